"""The pages' Jinja2 environment: a dict's key by attribute syntax, without changing what a name means."""

from __future__ import annotations

from types import SimpleNamespace

import jinja2
import pytest

from scripts.render.templating import Environment


def render(source: str, **context) -> str:
    return Environment(undefined=jinja2.StrictUndefined).from_string(source).render(**context)


def test_a_dict_key_by_attribute_syntax() -> None:
    assert render("{{ op.summary }}/{{ op['summary'] }}", op={"summary": "Send SMS"}) == "Send SMS/Send SMS"


def test_names_of_dict_methods_stay_methods() -> None:
    """As in plain Jinja2: ``x.items`` is the method even when the dict has a key 'items'."""
    data = {"items": "a key", "get": "another"}
    assert render("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", d=data) == "items=a key;get=another;"
    assert render("{{ d.get('items') }}", d=data) == "a key"
    assert render("{{ d.items }}", d=data) == jinja2.Environment().from_string("{{ d.items }}").render(d=data)


def test_a_missing_key_is_an_error() -> None:
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'summray'"):
        render("{{ op.summray }}", op={"summary": "x"})


def test_objects_and_dict_subclasses_keep_jinja2s_lookup() -> None:
    class Ordered(dict):
        label = "attribute"

    assert render("{{ o.label }}", o=SimpleNamespace(label="object")) == "object"
    assert render("{{ o.label }}", o=Ordered(label="key")) == "attribute"  # getattr first, as in Jinja2
