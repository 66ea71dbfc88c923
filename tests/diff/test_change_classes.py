"""One before/after fixture per change class (tests/fixtures/diff/<class>/), each with its expected verdict.

A new class needs only a new folder: before.json, after.json (apiDefinition files), optionally
before.apiProperties.json / after.apiProperties.json, and expected.json with the exit code and the
change classes reported as breaking, safe and versioned.
"""

from __future__ import annotations

import json

import pytest

from tests.diff.helpers import classes, run_diff
from tests.project import FIXTURES

CASES = sorted(p for p in (FIXTURES / "diff").iterdir() if p.is_dir())


def _args(folder, side: str, flag: str) -> list[str]:
    args = [f"--{flag}-file", str(folder / f"{side}.json")]
    props = folder / f"{side}.apiProperties.json"
    return [*args, f"--{flag}-properties", str(props)] if props.is_file() else args


@pytest.mark.parametrize("folder", CASES, ids=[p.name for p in CASES])
def test_change_class_verdict(folder, capsys):
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    code, report = run_diff(capsys, *_args(folder, "before", "base"), *_args(folder, "after", "head"))
    assert classes(report) == {k: expected[k] for k in ("breaking", "safe", "versioned")}
    assert code == expected["exit"]


def test_every_class_the_gate_names_has_a_fixture():
    """The breaking classes listed in the issue, and the safe ones, each have a folder."""
    names = {p.name for p in CASES}
    required = {"operation-removed", "operation-renamed", "path-changed", "method-changed", "input-removed",
                "input-renamed", "input-made-required", "input-type-changed", "input-format-changed",
                "enum-narrowed", "response-property-removed", "response-property-retyped",
                "connection-parameter-changed", "auth-type-changed", "trigger-kind-changed",
                "operation-added", "optional-input-added", "response-property-added", "text-changed",
                "versioned-operation"}
    assert required <= names


def test_identical_definitions_have_no_changes(capsys):
    before = FIXTURES / "diff" / "operation-added" / "before.json"
    code, report = run_diff(capsys, "--base-file", str(before), "--head-file", str(before))
    assert (code, report["changes"]) == (0, [])


def test_text_output_names_the_change_and_the_fix(capsys):
    folder = FIXTURES / "diff" / "input-renamed"
    code = __import__("scripts.cli", fromlist=["main"]).main(
        ["diff", "--base-file", str(folder / "before.json"), "--head-file", str(folder / "after.json")])
    out = capsys.readouterr().out
    assert code == 1
    assert "SendMessage: input 'Message/src' renamed to 'Message/from' [input-renamed]" in out
    assert "deprecated: true" in out


def test_github_format_writes_error_annotations(capsys):
    folder = FIXTURES / "diff" / "operation-removed"
    from scripts.cli import main

    code = main(["diff", "--format", "github", "--base-file", str(folder / "before.json"),
                 "--head-file", str(folder / "after.json")])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert lines[0].startswith("::error title=Breaking change (operation-removed)::GetMessage: operation GetMessage")


@pytest.mark.parametrize(("content", "message"), [
    (b"{\n  \"swagger\": \"2.0\",\n}", ":3:1: not valid JSON"),
    (b"[]", "expected a JSON object"),
])
def test_unreadable_input_exits_2_naming_the_file(tmp_path, capsys, content, message):
    bad = tmp_path / "apiDefinition.swagger.json"
    bad.write_bytes(content)
    good = FIXTURES / "diff" / "operation-added" / "before.json"
    from scripts.cli import main

    assert main(["diff", "--base-file", str(bad), "--head-file", str(good)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and message in err


def test_quiet_prints_only_the_breaking_changes_and_the_verdict(capsys):
    from scripts.cli import main

    folder = FIXTURES / "diff" / "versioned-operation"
    assert main(["diff", "-q", "--base-file", str(folder / "before.json"),
                 "--head-file", str(folder / "after.json")]) == 0
    assert capsys.readouterr().out == "OK: no breaking changes (5 change(s) in all).\n"
