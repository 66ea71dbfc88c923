"""The pages' Jinja2 environment: a dict's key by attribute syntax, without changing what a name means."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
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


# --- precompiled templates ------------------------------------------------------------------------------


def test_the_precompiled_templates_are_current() -> None:
    """templates/precompiled.json holds what Jinja2 generates for every template the pages use."""
    from scripts.render.templating import FIX_COMMAND, precompiled_files

    for path, text in precompiled_files().items():
        stored, fresh = json.loads(path.read_text("utf-8")), json.loads(text)
        assert fresh["templates"], f"{path}: no template was recorded"
        if stored["jinja2"] == fresh["jinja2"]:
            assert stored == fresh, f"{path} is out of date: run `{FIX_COMMAND}` and commit it"
        else:  # made with another Jinja2: never used here (see below), but no template may be missing or edited
            checksums = {name: entry["checksum"] for name, entry in fresh["templates"].items()}
            assert {name: entry["checksum"] for name, entry in stored["templates"].items()} == checksums, (
                f"{path} is out of date: run `{FIX_COMMAND}` and commit it")


def _precompiled_env(tmp_path, entry_changes: dict | None = None, version: str | None = None):
    """An environment over one template whose stored code renders 'PRECOMPILED' instead of its text."""
    from scripts.render.templating import PRECOMPILED, _Precompiled, settings

    source = "from source: {{ x }}"
    env = Environment(loader=jinja2.DictLoader({"t.j2": source}))
    code = env.compile("PRECOMPILED", "t.j2", raw=True)
    entry = {"checksum": _Precompiled(tmp_path).get_source_checksum(source), "settings": settings(env), "code": code}
    entry.update(entry_changes or {})
    (tmp_path / PRECOMPILED).write_text(json.dumps({"jinja2": version or jinja2.__version__,
                                                    "templates": {"t.j2": entry}}))
    env.bytecode_cache = _Precompiled(tmp_path)
    return env


def test_stored_code_is_used_when_everything_matches(tmp_path) -> None:
    assert _precompiled_env(tmp_path).get_template("t.j2").render(x=1) == "PRECOMPILED"


@pytest.mark.parametrize(("changes", "version"), [
    ({"checksum": "0" * 40}, None),  # the template was edited since
    ({"settings": "{}"}, None),  # made by an environment with other settings
    ({}, "0.0.1"),  # made by another Jinja2
    ({"code": None}, None),  # damaged
])
def test_stale_stored_code_is_never_used(tmp_path, changes, version) -> None:
    assert _precompiled_env(tmp_path, changes, version).get_template("t.j2").render(x=1) == "from source: 1"


def test_a_damaged_file_means_compiling_from_source(tmp_path) -> None:
    from scripts.render.templating import PRECOMPILED

    env = _precompiled_env(tmp_path)
    (tmp_path / PRECOMPILED).write_text("{not json")
    env.bytecode_cache = type(env.bytecode_cache)(tmp_path)
    assert env.get_template("t.j2").render(x=2) == "from source: 2"


def test_the_pages_use_the_stored_code_under_the_jinja2_that_made_it(monkeypatch) -> None:
    """Under the Jinja2 version recorded in precompiled.json no page template is compiled from source
    (the point of the file); under another version every one is, and the pages are the same."""
    from scripts.cache import NO_CACHE
    from scripts.render import templating
    from scripts.render.artifacts import render_artifacts
    from tests.project import ROOT

    compiled: list[str] = []
    real_compile = jinja2.Environment.compile

    def counting_compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return real_compile(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting_compile)
    templating._clear_environment_caches()
    try:
        render_artifacts(ROOT, NO_CACHE)
    finally:
        templating._clear_environment_caches()
    versions = {json.loads((Path(sys.modules[package].__file__).parent / "templates" / templating.PRECOMPILED)
                           .read_text("utf-8"))["jinja2"] for package in templating.PACKAGES}
    if versions == {jinja2.__version__}:
        assert compiled == [], f"compiled from source although precompiled: {compiled}"
    else:
        assert compiled, "another Jinja2 must compile the templates from source"


# --- the bytecode of the stored code, kept in templates/__pycache__ as Python keeps a module's -------------


def _counting_compile(monkeypatch) -> list[str]:
    from scripts.render import stored_templates

    compiled: list[str] = []

    def counting(source, filename, mode):
        compiled.append(filename)
        return compile(source, filename, mode)

    monkeypatch.setattr(stored_templates, "compile", counting, raising=False)  # the module's own, not builtins'
    return compiled


def test_the_stored_code_is_compiled_once_then_read_as_bytecode(tmp_path, monkeypatch) -> None:
    from scripts.render.templating import _Precompiled

    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    compiled = _counting_compile(monkeypatch)
    assert _precompiled_env(tmp_path).get_template("t.j2").render(x=1) == "PRECOMPILED"
    assert len(compiled) == 1 and list((tmp_path / "__pycache__").glob("precompiled.*.bin"))
    env = _precompiled_env(tmp_path)  # the same precompiled.json, written again
    env.bytecode_cache = _Precompiled(tmp_path)
    assert env.get_template("t.j2").render(x=1) == "PRECOMPILED"
    assert len(compiled) == 1, "the second environment compiled instead of reading the bytecode"


@pytest.mark.parametrize("damage", ["other json", "truncated", "garbage"])
def test_stale_or_damaged_bytecode_is_compiled_again(tmp_path, monkeypatch, damage) -> None:
    from scripts.render.templating import PRECOMPILED, _Precompiled

    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    _precompiled_env(tmp_path).get_template("t.j2").render(x=1)
    [bytecode] = (tmp_path / "__pycache__").glob("precompiled.*.bin")
    if damage == "other json":  # precompiled.json remade, say with a template changed: its digest changes
        stored = json.loads((tmp_path / PRECOMPILED).read_text())
        stored["made by"] = "someone else"
        (tmp_path / PRECOMPILED).write_text(json.dumps(stored))
    elif damage == "truncated":
        bytecode.write_bytes(bytecode.read_bytes()[:-20])
    else:
        bytecode.write_bytes(bytecode.read_bytes()[:36] + b"\x00not marshal data")
    compiled = _counting_compile(monkeypatch)
    env = Environment(loader=jinja2.DictLoader({"t.j2": "from source: {{ x }}"}), bytecode_cache=_Precompiled(tmp_path))
    assert env.get_template("t.j2").render(x=1) == "PRECOMPILED"
    assert len(compiled) == 1


def test_no_bytecode_is_written_when_python_writes_none(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert _precompiled_env(tmp_path).get_template("t.j2").render(x=1) == "PRECOMPILED"
    assert not (tmp_path / "__pycache__").exists()


# --- stored code run with Jinja2's runtime alone (scripts/render/jinja_runtime.py) --------------------------


def _stored_env(tmp_path, templates: dict[str, str], **options):
    """A StoredEnvironment over ``templates`` (name -> source), with their code recorded by the full
    environment the way ``python -m scripts.render.templating`` records it."""
    from scripts.render import templating
    from scripts.render.jinja_runtime import StoredEnvironment
    from scripts.render.stored_templates import StoredTemplates, jinja2_version

    def full(recorded=None):
        return Environment(loader=jinja2.FileSystemLoader(tmp_path), undefined=jinja2.StrictUndefined,
                           keep_trailing_newline=True, autoescape=False,
                           bytecode_cache=templating._Precompiled(tmp_path, recorded), **options)

    for name, source in templates.items():
        (tmp_path / name).write_text(source)
    recorded: dict = {}
    for name in templates:
        full(recorded).get_template(name)
    (tmp_path / templating.PRECOMPILED).write_text(json.dumps({"jinja2": jinja2_version(), "templates": recorded}))
    return StoredEnvironment(str(tmp_path), StoredTemplates(tmp_path), full, **options)


def test_every_page_is_the_same_from_stored_code_and_from_the_full_environment(monkeypatch) -> None:
    from scripts.cache import NO_CACHE
    from scripts.render import templating
    from scripts.render.artifacts import render_artifacts
    from tests.project import ROOT

    files = {}
    for stored in (True, False):
        monkeypatch.setattr(templating, "use_stored_environment", stored)
        templating._clear_environment_caches()
        try:
            files[stored] = render_artifacts(ROOT, NO_CACHE).files
        finally:
            templating._clear_environment_caches()
    assert files[True] == files[False]


def test_the_stored_environment_looks_names_up_as_the_full_one(tmp_path) -> None:
    class Ordered(dict):
        label = "attribute"

    source = ("{{ op.summary }}/{{ op['summary'] }}/{{ d.get('items') }}"
              "/{% for k, v in d.items() %}{{ k }};{% endfor %}/{{ o.label }}/{{ s.label }}"
              "/{{ ops | map(attribute='summary') | join(',') }}"
              "/{{ ops | selectattr('summary', 'equalto', 'B') | list | length }}/{{ missing | default('-') }}")
    context = {"op": {"summary": "Send SMS"}, "d": {"items": "a key", "get": "x"}, "o": Ordered(label="key"),
               "s": SimpleNamespace(label="object"), "ops": [{"summary": "A"}, {"summary": "B"}]}
    env = _stored_env(tmp_path, {"t.j2": source})
    template = env.get_template("t.j2")
    assert type(template).__name__ == "StoredTemplate"
    assert template.render(**context) == render(source, **context) == (
        "Send SMS/Send SMS/a key/items;get;/attribute/object/A,B/1/-")
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'summray'"):
        _stored_env(tmp_path, {"u.j2": "{{ op.summray }}"}).get_template("u.j2").render(op={"summary": "x"})


def test_imported_macros_run_from_stored_code(tmp_path) -> None:
    env = _stored_env(tmp_path, {"m.j2": "{% macro row(x) %}| {{ x | upper }} |{% endmacro %}",
                                 "page.j2": "{% import 'm.j2' as m %}{% for x in xs %}{{ m.row(x) }}\n{% endfor %}"},
                      trim_blocks=True, lstrip_blocks=True)
    assert env.get_template("page.j2").render(xs=["a", "b"]) == "| A |\n| B |\n"


def test_an_edited_template_is_compiled_by_the_full_environment(tmp_path) -> None:
    env = _stored_env(tmp_path, {"t.j2": "stored: {{ x }}"})
    (tmp_path / "t.j2").write_text("edited: {{ x }}")
    template = env.get_template("t.j2")
    assert type(template).__name__ == "Template" and template.render(x=1) == "edited: 1"


def test_a_cold_build_check_does_not_import_jinja2s_compiler():
    """With every template's stored code current, `build --check` runs them with Jinja2's runtime
    alone; the package still completes itself for any later user of jinja2.Environment."""
    code = "\n".join([
        "import sys", "from scripts.cli import main",
        "assert main(['build', '--check', '-q']) == 0",
        "loaded = sorted(m for m in sys.modules if m in ('jinja2.environment', 'jinja2.compiler', 'jinja2.lexer',"
        " 'jinja2.parser', 'jinja2.loaders', 'jinja2.bccache'))",
        "import jinja2",
        "print(loaded, jinja2.Environment().from_string('{{ 1 + 1 }}').render(), jinja2.__version__)"])
    from tests.project import ROOT

    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                          env={**os.environ, "PLIVO_CONNECTOR_CACHE": "off"})
    loaded, two, version = done.stdout.rsplit(" ", 2)
    assert loaded == "[]" and two == "2" and version.strip() == jinja2.__version__


def test_a_jinja2_without_a_literal_version_line_still_has_its_version_checked(tmp_path, monkeypatch) -> None:
    """Pallets' newer releases drop ``__version__ = "..."`` from ``__init__`` (importlib.metadata
    instead). The version read from that line must not become "" on both sides, which would match a
    precompiled.json made by any other such Jinja2 and serve its code."""
    from scripts.render import stored_templates

    fake = tmp_path / "fake_jinja2"
    fake.mkdir()
    (fake / "__init__.py").write_text("# no version line here\n")
    monkeypatch.setattr(stored_templates, "_jinja2_version", None)
    monkeypatch.setattr(stored_templates, "find_spec", lambda name: SimpleNamespace(origin=str(fake / "__init__.py")))
    monkeypatch.delitem(sys.modules, "jinja2")  # the test process's, whose __dict__ holds __version__
    try:
        version = stored_templates.jinja2_version()
    finally:
        sys.modules["jinja2"] = jinja2
    assert version == jinja2.__version__  # from the installed distribution's metadata
    monkeypatch.setattr(stored_templates, "_jinja2_version", "")
    (tmp_path / stored_templates.PRECOMPILED).write_text(json.dumps({"jinja2": "", "templates": {"t.j2": {}}}))
    assert stored_templates.StoredTemplates(tmp_path).entries() == {}, "an unknown version matched an unknown one"
