"""The YAML source format: its schema documents every key, and the loader keeps lines and text."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.findings import SourceError
from scripts.sources.source_schema import source_schema
from scripts.sources.yaml_source import load_yaml_text


def _properties(node, where=""):
    if isinstance(node, dict):
        for name, child in node.get("properties", {}).items():
            yield f"{where}.{name}", child
        for key, child in node.items():
            if key in ("properties", "$defs"):
                for name, value in child.items():
                    yield from _properties(value, f"{where}.{name}")
            elif isinstance(child, dict):
                yield from _properties(child, f"{where}.{key}")


def test_every_key_of_the_source_format_is_documented():
    undocumented = [where for where, prop in _properties(source_schema())
                    if "description" not in prop and "$ref" not in prop]
    assert undocumented == []


def test_every_definition_of_the_format_says_what_it_renders_into():
    for name, definition in source_schema()["$defs"].items():
        assert definition.get("description"), name


def load(text: str):
    return load_yaml_text(text, Path("x.yaml"), "x.yaml")


def test_keys_are_always_text_and_lines_are_kept():
    source = load("on: 1\n200:\n  description: OK\nlist:\n  - a\n  - b\n")
    assert source.data == {"on": 1, "200": {"description": "OK"}, "list": ["a", "b"]}
    assert source.line(("200", "description")) == 3
    assert source.line(("list", 1)) == 6
    assert source.line(("list", 1, "deeper")) == 6


def test_unquoted_yaml11_scalars_are_recorded_with_their_text():
    source = load("a: NO\nb: 'NO'\nc: 1.0\nd: text\n")
    assert source.data == {"a": False, "b": "NO", "c": 1.0, "d": "text"}
    assert source.coerced == {("a",): "NO", ("c",): "1.0"}


@pytest.mark.parametrize(("text", "message"), [
    ("", "the file is empty"),
    ("a: 1\n---\nb: 2\n", "holds 2 YAML documents"),
    ("base: &b {x: 1}\nother:\n  <<: *b\n", "merge keys ('<<') are not supported"),
    ("? [a, b]\n: 1\n", "a mapping key must be plain text"),
])
def test_loader_rejects_what_it_cannot_represent(text, message):
    with pytest.raises(SourceError) as error:
        load(text)
    assert message in str(error.value)
