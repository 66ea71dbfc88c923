"""The Swagger 2.0 fast path says what openapi-spec-validator says, or hands the definition to it.

One fixture per kind of mistake in tests/fixtures/swagger20/, named after it. A ``default-*`` fixture
holds only default values that do not match their schema (warnings): the fast path must decide it and
give exactly the validator's findings (same messages, same pointers, same order). Every other
fixture (but ``valid``) holds an error: the fast path must decline, so the validator words it.
The same comparison over Microsoft's certified connectors: tests/validation/test_corpus.py (-m corpus).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from scripts.rules.swagger20 import _accepted_extension, _classify, _classify_with_validator
from scripts.validation.swagger20_fast import decide, fast_findings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "swagger20"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.json"))
# Only default values are wrong here, but in a way the replica does not model (multipleOf: float
# arithmetic), so the validator decides.
NOT_MODELLED = {"default-not-a-multiple"}


def _load(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def test_there_is_a_fixture_of_each_kind():
    assert "valid" in NAMES
    assert sum(n.startswith("default-") for n in NAMES) >= 10
    assert sum(not n.startswith("default-") and n != "valid" for n in NAMES) >= 10


@pytest.mark.parametrize("name", NAMES)
def test_the_fast_path_agrees_with_openapi_spec_validator(name):
    document = _load(name)
    truth = _classify_with_validator(document)
    fast, why = decide(document, forgiven=_accepted_extension)  # as the Swagger20 rule asks it
    if name == "valid":
        assert fast == [] and truth == {"document": [], "default": []}
    elif name.startswith("default-"):
        assert truth["document"] == [] and truth["default"], "the fixture must hold a wrong default and nothing else"
        if name in NOT_MODELLED:
            assert fast is None, "now modelled: move it out of NOT_MODELLED"
        else:
            assert fast is not None, why
    else:
        assert truth["document"], "the fixture must hold a mistake openapi-spec-validator reports"
        assert fast is None, f"the fast path let an error through: {fast}"
    # what the rule module uses, whichever path answered, is the validator's verdict
    assert _classify(document) == truth


def test_a_default_reached_through_two_refs_is_reported_once_where_the_validator_first_meets_it():
    fast = fast_findings(_load("default-reached-through-two-refs"))
    assert fast is not None and [pointer[-2] for pointer, _ in fast] == ["first"]


def test_the_fast_path_reads_no_file_and_imports_no_validator(tmp_path):
    """A definition whose $ref names a file is declined without the file being opened; a valid one is
    decided without openapi-spec-validator (or jsonschema-path) being imported at all."""
    import subprocess

    secret = tmp_path / "other.json"
    secret.write_text('{"Item": {"type": "object"}}')
    document = _load("external-ref-to-a-file")
    code = (
        "import json, sys\n"
        "from scripts.validation.swagger20_fast import decide\n"
        "opened = []\n"
        "# the audit event sees every open (builtins.open, io.open, pathlib), not only one spelling\n"
        "sys.addaudithook(lambda event, args: event == 'open' and opened.append(str(args[0])))\n"
        f"external = json.loads({json.dumps(json.dumps(document))})\n"
        f"valid = json.loads({json.dumps(json.dumps(_load('default-of-the-wrong-type')))})\n"
        "print(decide(external)[0] is None, decide(valid)[0] is not None,\n"
        "      [f for f in opened if f.endswith('other.json')],\n"
        "      sorted(m for m in sys.modules if m.split('.')[0] in ('openapi_spec_validator', 'jsonschema_path',\n"
        "                                                           'openapi_schema_validator', 'pydantic')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         env={"PYTHONPATH": str(Path(__file__).resolve().parents[2]), "PATH": ""}, check=True)
    assert out.stdout.strip() == "True True [] []"


def test_every_format_jsonschema_checks_here_is_one_the_fast_path_knows():
    """A format the validator checks but the fast path thought unchecked would let a wrong default through."""
    from jsonschema import FormatChecker

    from scripts.validation.swagger20_fast import FORMAT_CHECKS, JSONSCHEMA_FORMATS

    assert set(FormatChecker().checkers) <= JSONSCHEMA_FORMATS | set(FORMAT_CHECKS)


def test_the_fast_path_declines_under_a_validator_version_it_does_not_copy(monkeypatch):
    from scripts.validation import swagger20_fast

    monkeypatch.setitem(swagger20_fast.REPLICATED, "openapi_spec_validator", "0.8.")
    swagger20_fast._replicated_versions_installed.cache_clear()
    try:
        assert decide(_load("valid")) == (None, "openapi-spec-validator or openapi-schema-validator is not the "
                                                 "version the replica copies")
    finally:
        monkeypatch.undo()
        swagger20_fast._replicated_versions_installed.cache_clear()
    assert fast_findings(_load("valid")) == []
