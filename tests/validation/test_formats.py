"""The output formats of `validate`: text, json, sarif (GitHub code scanning), junit, github annotations."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from scripts.cli import main
from scripts.rules import RULES, Rule, all_rules
from scripts.validation.positions import TextPositions
from tests.validation.other_connector import other_connector, write_connector

# The parts of the SARIF 2.1.0 schema (OASIS, sarif-schema-2.1.0.json) that GitHub code scanning reads,
# written out here: required properties, levels, and the shape of locations and rules.
SARIF_SUBSET = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "$schema": {"type": "string", "format": "uri"},
        "runs": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["tool"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name"],
                    "properties": {
                        "name": {"type": "string"},
                        "rules": {"type": "array", "items": {
                            "type": "object", "required": ["id"],
                            "properties": {
                                "id": {"type": "string"},
                                "shortDescription": {"$ref": "#/$defs/message"},
                                "fullDescription": {"$ref": "#/$defs/message"},
                                "help": {"$ref": "#/$defs/message"},
                                "helpUri": {"type": "string", "format": "uri"},
                                "defaultConfiguration": {"type": "object", "properties": {
                                    "level": {"$ref": "#/$defs/level"}}},
                            }}},
                    }}}},
                "invocations": {"type": "array", "items": {
                    "type": "object", "required": ["executionSuccessful"],
                    "properties": {"executionSuccessful": {"type": "boolean"},
                                   "toolExecutionNotifications": {"type": "array", "items": {
                                       "type": "object", "required": ["message"],
                                       "properties": {"message": {"$ref": "#/$defs/message"},
                                                      "level": {"$ref": "#/$defs/level"}}}}}}},
                "results": {"type": "array", "items": {
                    "type": "object", "required": ["message"],
                    "properties": {
                        "ruleId": {"type": "string"},
                        "ruleIndex": {"type": "integer", "minimum": 0},
                        "level": {"$ref": "#/$defs/level"},
                        "message": {"$ref": "#/$defs/message"},
                        "locations": {"type": "array", "items": {"type": "object", "properties": {
                            "physicalLocation": {"type": "object", "properties": {
                                "artifactLocation": {"type": "object", "required": ["uri"],
                                                     "properties": {"uri": {"type": "string"}}},
                                "region": {"type": "object", "properties": {
                                    "startLine": {"type": "integer", "minimum": 1},
                                    "startColumn": {"type": "integer", "minimum": 1}}}}}}}},
                    }}},
            }}},
    },
    "$defs": {
        "message": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}},
        "level": {"enum": ["none", "note", "warning", "error"]},
    },
}


@pytest.fixture
def broken(tmp_path, monkeypatch):
    """A connector in a folder whose name has a space, with one error and one warning."""
    swagger, properties = other_connector()
    swagger["paths"]["/tasks"]["get"]["x-ms-trigger"] = "poll, or push"  # an error, with a comma in it
    swagger["info"]["title"] = "Acme Tasks Connector"  # a warning
    monkeypatch.chdir(tmp_path)
    write_connector(tmp_path / "acme tasks", swagger, properties)
    return "acme tasks"


def validate(capsys, *argv) -> tuple[int, str]:
    code = main(["validate", *argv])
    return code, capsys.readouterr().out


def test_text_names_file_line_column_and_severity(broken, capsys):
    code, out = validate(capsys, broken)
    assert code == 1
    assert "acme tasks/apiDefinition.swagger.json:4:5: warning [TitleFormat]" in out
    assert "acme tasks/apiDefinition.swagger.json:" in out and ": error [TriggerKind] " in out
    assert out.rstrip().endswith("acme tasks: failed (1 error(s), 1 warning(s)) [certification profile]")


def test_json_lists_each_finding_with_its_place(broken, capsys):
    code, out = validate(capsys, broken, "--format", "json")
    report = json.loads(out)
    assert report["totals"] == {"error": 1, "warning": 1, "internal": 0} and code == 1
    (connector,) = report["connectors"]
    rules = {f["rule"]: f for f in connector["findings"]}
    assert rules["TitleFormat"]["line"] == 4 and rules["TitleFormat"]["pointer"] == "/info/title"


def test_sarif_is_sarif_2_1_0_as_code_scanning_reads_it(broken, capsys, tmp_path):
    code, out = validate(capsys, broken, "--format", "sarif", "--output", "validate.sarif")
    assert out == "" and code == 1, "the report goes to the file, not stdout"
    sarif = json.loads((tmp_path / "validate.sarif").read_text())
    jsonschema.validate(sarif, SARIF_SUBSET, format_checker=jsonschema.FormatChecker())
    (run,) = sarif["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= set(r.id for r in all_rules().values() if r.in_profile("certification"))
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"TriggerKind": "error", "TitleFormat": "warning"}
    location = run["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "acme%20tasks/apiDefinition.swagger.json"
    assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
    assert run["invocations"][0]["executionSuccessful"] is True


def test_sarif_reports_a_crash_as_a_tool_notification_not_a_result(broken, capsys, monkeypatch):
    def crash(connector):
        raise ValueError("boom")
        yield  # pragma: no cover

    all_rules()
    monkeypatch.setitem(RULES, "Crashes", Rule("Crashes", "always crashes", crash, "platform"))
    code, out = validate(capsys, broken, "--format", "sarif")
    (run,) = json.loads(out)["runs"]
    assert code == 3
    assert run["invocations"][0]["executionSuccessful"] is False
    assert "rule Crashes crashed (ValueError: boom" in run["invocations"][0]["toolExecutionNotifications"][0][
        "message"]["text"]
    assert "Crashes" not in {r["ruleId"] for r in run["results"]}


def test_junit_has_a_case_per_rule_and_fails_on_errors_only(broken, capsys):
    code, out = validate(capsys, broken, "--format", "junit")
    assert code == 1
    suite = ET.fromstring(out).find("testsuite")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert suite.get("failures") == "1" and suite.get("name") == "acme tasks"
    assert cases["TriggerKind"].find("failure") is not None
    assert cases["TitleFormat"].find("failure") is None and "warning" in cases["TitleFormat"].find("system-out").text
    assert int(suite.get("tests")) == len(cases)


def test_github_annotations_escape_their_properties_and_messages(broken, capsys):
    code, out = validate(capsys, broken, "--format", "github")
    assert code == 1
    lines = out.splitlines()
    error = next(line for line in lines if line.startswith("::error "))
    assert error.startswith("::error file=acme tasks/apiDefinition.swagger.json,line=")
    assert ",title=TriggerKind::" in error and "'poll, or push'" in error  # commas are escaped in properties only
    warning = next(line for line in lines if line.startswith("::warning "))
    assert "line=4,col=5,title=TitleFormat::" in warning


def test_positions_of_members_and_elements():
    text = '{\n  "a": [1, {"b": 2}],\n  "c": {}, "d": [],\n  "e\\"f": true\n}\n'
    positions = TextPositions(text)
    assert positions.locate(()) == (1, 1)
    assert positions.locate(("a",)) == (2, 3)
    assert positions.locate(("a", "1")) == (2, 12)
    assert positions.locate(("a", "1", "b")) == (2, 13)
    assert positions.locate(("d",)) == (3, 12)
    assert positions.locate(('e"f',)) == (4, 3)
    assert positions.locate(("a", "7")) == (2, 3), "a pointer not in the text falls back to its parent"


def test_positions_found_in_one_walk_match_the_full_tokenizer():
    """The walk along the wanted paths (json's scanner skips the rest) places every member and element
    where the tokenizer over the whole text does: escaped keys, repeated keys, empty containers,
    scalars and odd spacing included. Under a repeated key, what only the first value held falls back
    to the last key, the one json.loads keeps (the tokenizer kept the first value's positions)."""
    from scripts.validation.positions import json_positions

    text = ('{"a\\u0041": {"x": 1},\r\n "dup": {"old": [1]}, "list" :[ [] , {} ,"s", {"k":\t[0, {"m": null}]}],'
            '\n"dup": {"new": 2}, "n": -1.5e3}')
    every = list(json_positions(text))
    wanted = [*every, ("dup", "old"), ("list", "9"), ("n", "deeper")]
    positions = TextPositions(text, wanted)
    full = TextPositions.__new__(TextPositions)  # the tokenizer's answer, by the same line arithmetic
    full._text, full._lines, full._offsets = text, None, {}
    reference = json_positions(text)
    for pointer in wanted:
        if pointer[:2] == ("dup", "old"):
            continue
        found = pointer
        while found and found not in reference:
            found = found[:-1]
        full._offsets[pointer] = reference[found] if found else 0
        assert positions.locate(pointer) == full.locate(pointer), pointer
    assert positions.locate(("aA",)) == (1, 2)
    assert positions.locate(("dup",)) == (3, 1) and positions.locate(("dup", "old", "0")) == (3, 1)


def test_the_workflow_interface_writes_sarif_for_the_repository(project, capsys, monkeypatch):
    """The pull-request workflow runs exactly this from the repository root."""
    monkeypatch.chdir(project)
    assert main(["validate", "--format", "sarif", "--output", "validate.sarif"]) == 0
    sarif = json.loads((project / "validate.sarif").read_text())
    jsonschema.validate(sarif, SARIF_SUBSET)
    assert sarif["runs"][0]["results"] == []
