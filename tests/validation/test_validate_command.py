"""`plivo-connector validate` on connectors other than this one: inputs, profiles, switches, exit codes."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest

from scripts.cli import main
from scripts.rules import RULES, Problem, Rule, all_rules
from tests.project import ROOT
from tests.validation.other_connector import other_connector, write_connector


def run_json(capsys, *argv) -> tuple[int, dict]:
    code = main(["validate", "--format", "json", *map(str, argv)])
    return code, json.loads(capsys.readouterr().out)


def findings(report: dict) -> list[dict]:
    return [f for c in report["connectors"] for f in c["findings"]]


def test_another_publishers_connector_passes_without_any_finding(tmp_path, capsys):
    """Its API key auth, its connection parameters, no icon, a webhook's internal callback URL, a policy
    section, a '(deprecated)' summary, text/json, a file response and a placeholder host are all fine."""
    code, report = run_json(capsys, write_connector(tmp_path / "acme"))
    assert findings(report) == [] and code == 0


def test_the_house_rules_apply_only_when_asked(tmp_path, capsys):
    folder = write_connector(tmp_path / "acme")
    code, report = run_json(capsys, folder, "--profile", "house")
    rules = {f["rule"] for f in findings(report)}
    assert {"BasicAuthSecurity", "ConnectionParameters", "IconFormat"} <= rules and code == 1


def test_a_folder_with_apidefinition_json_and_files_given_as_paconn_names_them(tmp_path, capsys):
    folder = write_connector(tmp_path / "acme", definition_name="apiDefinition.json")
    assert main(["validate", str(folder)]) == 0
    files = write_connector(tmp_path / "files")
    (files / "apiProperties.json").rename(files / "props.json")
    assert main(["validate", "--api-def", str(files / "apiDefinition.swagger.json"),
                 "--api-prop", str(files / "props.json")]) == 0
    assert "files/apiDefinition.swagger.json: passed" in capsys.readouterr().out


def test_several_connectors_at_once_each_with_its_verdict(tmp_path, capsys):
    good = write_connector(tmp_path / "good")
    swagger, properties = other_connector()
    swagger["paths"]["/tasks"]["get"]["x-ms-trigger"] = "poll"
    bad = write_connector(tmp_path / "bad", swagger, properties)
    code, report = run_json(capsys, good, bad)
    verdicts = {c["name"]: c["passed"] for c in report["connectors"]}
    assert verdicts == {str(good): True, str(bad): False} and code == 1
    (finding,) = findings(report)
    assert finding["rule"] == "TriggerKind" and finding["file"] == str(bad / "apiDefinition.swagger.json")
    assert finding["pointer"] == "/paths/~1tasks/get/x-ms-trigger" and finding["line"] > 1


def test_a_missing_folder_or_file_is_exit_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nowhere")]) == 2
    (tmp_path / "empty").mkdir()
    assert main(["validate", str(tmp_path / "empty")]) == 2
    assert "has no apiDefinition.swagger.json (or apiDefinition.json)" in capsys.readouterr().out


def _broken_trigger(tmp_path):
    swagger, properties = other_connector()
    swagger["paths"]["/tasks"]["get"]["x-ms-trigger"] = "poll"
    return write_connector(tmp_path / "acme", swagger, properties)


def test_disable_a_rule_for_one_run(tmp_path, capsys):
    folder = _broken_trigger(tmp_path)
    assert main(["validate", str(folder), "--disable", "TriggerKind"]) == 0
    assert main(["validate", str(folder), "--disable", "NoSuchRule"]) == 2
    assert "unknown rule(s) for --disable: NoSuchRule" in capsys.readouterr().err


@pytest.mark.parametrize("config_name, table", [(".plivo-connector.toml", "disable"),
                                                ("pyproject.toml", "tool.plivo-connector.disable")])
def test_disable_a_rule_for_a_connector_with_a_reason(tmp_path, capsys, config_name, table):
    folder = _broken_trigger(tmp_path)
    config = folder / config_name
    config.write_text(f'[[{table}]]\nrule = "TriggerKind"\nreason = "A private extension of our gateway."\n')
    assert main(["validate", str(folder)]) == 0
    config.write_text(f'[[{table}]]\nrule = "TriggerKind"\nreason = "old"\n')
    assert main(["validate", str(folder)]) == 2
    assert "switching off TriggerKind needs a written reason" in capsys.readouterr().out


def test_a_connector_setting_that_switches_off_nothing_is_reported(tmp_path, capsys):
    folder = write_connector(tmp_path / "acme")
    (folder / ".plivo-connector.toml").write_text(
        '[[disable]]\nrule = "TriggerKind"\nreason = "No longer needed here."\n')
    code, report = run_json(capsys, folder)
    (finding,) = findings(report)
    assert finding["rule"] == "UnusedSuppression" and finding["severity"] == "warning" and code == 0


def test_a_crashing_rule_is_an_internal_error_and_hides_no_other_finding(tmp_path, capsys, monkeypatch):
    def crash(connector):
        raise KeyError("paths")
        yield  # pragma: no cover - a generator, as rules are

    all_rules()
    monkeypatch.setitem(RULES, "Crashes", Rule("Crashes", "always crashes", crash, "platform"))
    code, report = run_json(capsys, _broken_trigger(tmp_path))
    by_rule = {f["rule"]: f for f in findings(report)}
    assert by_rule["Crashes"]["severity"] == "internal"
    assert "internal error: rule Crashes crashed (KeyError: 'paths'" in by_rule["Crashes"]["message"]
    assert by_rule["TriggerKind"]["severity"] == "error"
    assert code == 3


def _mutations(document, pointer=()):
    """Each place in the document, replaced by each value of the wrong shape."""
    if isinstance(document, dict):
        items = list(document.items())
    elif isinstance(document, list):
        items = list(enumerate(document))
    else:
        return
    for key, value in items:
        for odd in (None, 7, "text", [], {}, [None], {"x": None}):
            if type(odd) is not type(value):
                yield (*pointer, key), odd
        yield from _mutations(value, (*pointer, key))


def test_no_rule_crashes_on_a_document_of_the_wrong_shape(rendered):
    from scripts.rules import Connector, run_rules

    checks = [r for r in all_rules().values() if r.id != "Swagger20"]  # the slow one; it catches its own errors
    crashes = set()
    acme_swagger, acme_properties = other_connector()
    for documents in ({"swagger": rendered.swagger, "properties": rendered.properties},
                      {"swagger": acme_swagger, "properties": acme_properties}):
        for name, document in documents.items():
            for index, (pointer, odd) in enumerate(_mutations(document)):
                if index % 20:  # a sample keeps the test fast (benchmarks: the full run finds nothing either)
                    continue
                mutated = copy.deepcopy(documents)
                target = mutated[name]
                for part in pointer[:-1]:
                    target = target[part]
                target[pointer[-1]] = odd
                _, crashed = run_rules(Connector(mutated["swagger"], mutated["properties"]), checks)
                crashes |= {(c.rule.id, c.error, c.where) for c in crashed}
    assert crashes == set()


def test_validate_help_loads_no_rule_and_no_validator():
    code = ("import sys; from scripts.cli import main\n"
            "try:\n    main(['validate', '--help'])\nexcept SystemExit:\n    pass\n"
            "loaded = [m for m in sys.modules if m.startswith(('openapi_spec_validator', 'jsonschema', 'jinja2',"
            " 'scripts.rules.', 'scripts.validation.connector'))]\n"
            "print(loaded, file=sys.stderr); sys.exit(1 if loaded else 0)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "--api-def" in done.stdout and "--format" in done.stdout


def test_a_rule_problem_is_placed_at_its_line_and_column(tmp_path, capsys):
    folder = _broken_trigger(tmp_path)
    text = (folder / "apiDefinition.swagger.json").read_text().splitlines()
    main(["validate", str(folder)])
    out = capsys.readouterr().out
    line = next(n for n, t in enumerate(text, 1) if '"x-ms-trigger": "poll"' in t)
    column = text[line - 1].index('"x-ms-trigger"') + 1
    assert f"apiDefinition.swagger.json:{line}:{column}: error [TriggerKind]" in out


def test_problem_dataclass_is_what_rules_yield():
    assert Problem("a", (), "m").message == "m"
