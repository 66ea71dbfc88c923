"""The contract run: schemathesis on the rendered definition against the mock, and what makes it fail."""

from __future__ import annotations

import copy
import json
import re
import sys
import xml.etree.ElementTree as ET

import pytest

from scripts.cli import main
from scripts.contract import ContractTarget, run_contract
from scripts.contract.checks import output_schema
from scripts.contract.cli import (
    DEMO_AUTH_ID,
    DEMO_AUTH_TOKEN,
    declared_operations,
    embedded_mock_target,
    known_resources,
    seed_calls,
    seed_flow_resources,
)
from scripts.mock import create_app
from tests.support import serve

QUICK = {"max_examples": 5, "phases": ("coverage", "fuzzing")}


def test_contract_run_passes_on_the_committed_definition(tmp_path, capsys):
    report = tmp_path / "junit.xml"
    assert main(["contract", "--max-examples", "25", "--junit", str(report)]) == 0, capsys.readouterr().out
    cases = ET.parse(report).getroot().iter("testcase")
    names = {case.get("name") for case in cases}
    assert {"GET /Message/", "POST /Message/", "GET /Message/{message_uuid}/", "POST /Call/"} <= names
    out = capsys.readouterr().out
    summary = [line for line in out.splitlines() if line.startswith("==") and " in " in line][-1]
    assert "Failures:" not in out and "failure" not in summary


def test_requests_reach_the_account_path_from_the_connection(swagger, api_properties):
    target = embedded_mock_target(swagger, api_properties)
    assert run_contract(swagger, api_properties, target, **QUICK) == 0
    paths = {entry["path"] for entry in target.app.request_log}
    # Lookup's own host is served by the mock under /v1/Number/ (its dynamichosturl policy).
    assert paths and all(p.startswith((f"/v1/Account/{DEMO_AUTH_ID}/", "/v1/Number/")) for p in paths)


def test_policies_limited_to_an_operation_route_its_requests(swagger, api_properties):
    target = embedded_mock_target(swagger, api_properties)
    assert run_contract(swagger, api_properties, target, max_examples=3, phases=("examples",)) == 0
    sent = {(e["method"], e["path"]) for e in target.app.request_log if 200 <= e["status"] < 300}
    assert ("GET", "/v1/Number/+14155550100") in sent  # LookupNumber: lookup.plivo.com/v1/Number/...
    mms = [e for e in target.app.request_log if (e["json"] or {}).get("type") == "mms"]
    assert mms and {e["path"] for e in mms} == {f"/v1/Account/{DEMO_AUTH_ID}/Message/"}  # SendMMS
    assert not any("MMS" in e["path"] for e in target.app.request_log)


def _requests(swagger, api_properties, seed):
    target = embedded_mock_target(swagger, api_properties, seed=seed)
    assert run_contract(swagger, api_properties, target, seed=seed, max_examples=5,
                        phases=("coverage", "fuzzing", "stateful")) == 0
    return [(e["method"], e["path"], e["query"], e["json"], e["status"]) for e in target.app.request_log]


def test_the_same_seed_gives_the_same_requests(swagger, api_properties):
    first = _requests(swagger, api_properties, 7)
    assert first == _requests(swagger, api_properties, 7)
    assert first != _requests(swagger, api_properties, 8)


def _quick_requests(swagger, api_properties):
    from scripts.contract.runner import RunOptions

    target = embedded_mock_target(swagger, api_properties, seed=7)
    assert run_contract(swagger, api_properties, target, seed=7, max_examples=10, phases=("fuzzing",),
                        options=RunOptions(include=("SendSMS", "ListMessages"), color=False)) == 0
    return [(e["method"], e["path"], e["query"], e["json"]) for e in target.app.request_log]


def test_the_same_seed_gives_the_same_requests_whatever_literals_local_modules_hold(
        swagger, api_properties, tmp_path, monkeypatch, capsys):
    # Hypothesis draws literals of local (non-library) modules into its data as they are imported;
    # the run's requests must depend on the seed and the definition only.
    first = _quick_requests(swagger, api_properties)
    folder = tmp_path / "literals"
    folder.mkdir()
    words = [f"planted-{i}" for i in range(300)] + ["14155550100", "mms", "whatsapp", "", "0", "-1"]
    (folder / "planted_literals.py").write_text(f"WORDS = {words!r}\nNUMBERS = {list(range(-50, 250))!r}\n")
    monkeypatch.syspath_prepend(str(folder))
    import planted_literals  # noqa: F401 -- what a new module of scripts/ would do

    try:
        assert _quick_requests(swagger, api_properties) == first
    finally:
        del sys.modules["planted_literals"]


def test_every_operation_answers_2xx_in_the_run(swagger, api_properties):
    from scripts.policy_routes import operation_routes

    target = embedded_mock_target(swagger, api_properties)
    assert run_contract(swagger, api_properties, target, **QUICK) == 0
    routes = operation_routes(swagger, api_properties, {"username": DEMO_AUTH_ID, "password": DEMO_AUTH_TOKEN})
    ok = [(e["method"], e["path"]) for e in target.app.request_log if 200 <= e["status"] < 300]
    for route in routes:
        prefix = route.base.replace("https://lookup.plivo.com", "") if route.base else f"/v1/Account/{DEMO_AUTH_ID}"
        pattern = re.escape(prefix + route.path)
        pattern = re.sub(r"\\\{[^}]*\\\}", "[^/]+", pattern)
        assert any(m == route.method and re.fullmatch(pattern, p) for m, p in ok), route.operation_id


def test_a_202_body_that_breaks_the_200_schema_fails_the_run(swagger, api_properties, capsys):
    broken = copy.deepcopy(swagger)
    broken["definitions"]["SendSMSResponse"]["properties"]["message_uuid"] = {
        "type": "string", "description": "Unique ID of the message.", "x-ms-summary": "Message UUID"}
    assert run_contract(broken, api_properties, embedded_mock_target(broken, api_properties), **QUICK) != 0
    out = capsys.readouterr().out
    assert "success_body_matches_output_schema" in out
    assert "202 body does not match the output schema at message_uuid" in out


def test_a_response_schema_the_mock_does_not_meet_fails_the_run(swagger, api_properties, capsys):
    broken = copy.deepcopy(swagger)
    broken["definitions"]["Message"]["properties"]["units"]["type"] = "string"
    assert run_contract(broken, api_properties, embedded_mock_target(broken, api_properties), **QUICK) != 0
    assert "Response violates schema" in capsys.readouterr().out


def test_a_run_that_never_succeeds_is_not_a_pass(swagger, api_properties, capsys):
    app = create_app({DEMO_AUTH_ID: DEMO_AUTH_TOKEN}, throttle=None,
                     operations=declared_operations(swagger, api_properties))
    wrong = ContractTarget(DEMO_AUTH_ID, "not-the-token", app=app)
    assert run_contract(swagger, api_properties, wrong, **QUICK) != 0
    out = capsys.readouterr().out
    assert "no success response was ever observed for" in out


def test_the_contract_runs_against_a_server_over_a_socket(swagger, api_properties):
    # plivo_limits off: list messages (20 a minute per account) is shared by ListMessages and the
    # failed-message trigger, and this run makes more requests than that in real time.
    app = create_app({DEMO_AUTH_ID: DEMO_AUTH_TOKEN}, throttle=None, plivo_limits=False,
                     operations=declared_operations(swagger, api_properties))
    seed_flow_resources(app, DEMO_AUTH_ID)
    for url in serve(app):
        target = ContractTarget(DEMO_AUTH_ID, DEMO_AUTH_TOKEN, origin=url)
        seed_calls(swagger, api_properties, target, live=False)  # as the command does for --url
        target.known_parameters = known_resources(swagger, api_properties, target)
        assert set(target.known_parameters) == {"path.number", "path.app_id", "query.app_id"}
        assert run_contract(swagger, api_properties, target, max_examples=5, phases=("coverage", "stateful")) == 0
    app.close()
    assert any(e["path"].startswith(f"/v1/Account/{DEMO_AUTH_ID}/") for e in app.request_log)


def test_output_schema_inlines_refs_and_nullables(swagger):
    send = swagger["paths"]["/Message/"]["post"]
    schema = output_schema(swagger, send)
    assert schema["properties"]["message_uuid"] == {
        "type": "array", "description": "Unique ID of the message.", "items": {"type": "string"}}
    listing = output_schema(swagger, swagger["paths"]["/Message/"]["get"])
    assert listing["properties"]["meta"]["properties"]["next"]["anyOf"][1] == {"type": "null"}
    assert listing["properties"]["objects"]["items"]["properties"]["error_code"]["anyOf"] == [
        {"type": "string", "description": "Delivery error code if the message isn't delivered."}, {"type": "null"}]


@pytest.mark.parametrize(("args", "message"), [
    (["--live"], "credentials are required for --live; set PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN"),
    (["--url", "http://127.0.0.1:1"], "credentials are required for --url"),
    (["--allow-writes"], "--allow-writes only applies to --live"),
    (["--phases", "examples,smoke"], "--phases: unknown phase smoke"),
])
def test_contract_refuses_bad_arguments(args, message, monkeypatch, capsys):
    monkeypatch.delenv("PLIVO_AUTH_ID", raising=False)
    monkeypatch.delenv("PLIVO_AUTH_TOKEN", raising=False)
    assert main(["contract", *args]) == 2
    assert message in capsys.readouterr().err


def test_live_mode_is_read_only_unless_writes_are_allowed(swagger, api_properties, monkeypatch):
    seen = {}

    def fake_run(swagger, properties, target, **kwargs):
        seen["target"] = target
        return 0

    monkeypatch.setattr("scripts.contract.cli.run_contract", fake_run)
    monkeypatch.setattr("scripts.contract.cli.known_message", lambda *args: [])  # no network in tests
    monkeypatch.setattr("scripts.contract.cli.known_resources", lambda *args: {})
    monkeypatch.setenv("PLIVO_AUTH_ID", "MAXXXXXXXXXXXXXXXXXX")
    monkeypatch.setenv("PLIVO_AUTH_TOKEN", "token")
    assert main(["contract", "--live"]) == 0
    assert (seen["target"].origin, seen["target"].read_only) == ("https://api.plivo.com", True)
    assert main(["contract", "--live", "--allow-writes"]) == 0
    assert seen["target"].read_only is False


def test_a_policy_the_run_cannot_reproduce_is_refused(swagger, api_properties, tmp_path, capsys):
    properties = copy.deepcopy(api_properties)
    properties["properties"]["policyTemplateInstances"].append({
        "templateId": "setheader", "title": "Version header",
        "parameters": {"x-ms-apimTemplateParameter.name": "X-Version", "x-ms-apimTemplateParameter.value": "2"}})
    (tmp_path / "apiDefinition.swagger.json").write_text(json.dumps(swagger))
    (tmp_path / "apiProperties.json").write_text(json.dumps(properties))
    assert main(["contract", "--root", str(tmp_path)]) == 2
    assert "policy 'Version header' (setheader) applies to every operation; the contract run reproduces only " \
           "a connector-wide dynamichosturl" in capsys.readouterr().err


def test_a_limited_policy_the_run_cannot_reproduce_is_refused(swagger, api_properties, tmp_path, capsys):
    properties = copy.deepcopy(api_properties)
    properties["properties"]["policyTemplateInstances"].append({
        "templateId": "stringreplace", "title": "Page size",
        "parameters": {"x-ms-apimTemplate-operationName": ["ListMessages"]}})
    (tmp_path / "apiDefinition.swagger.json").write_text(json.dumps(swagger))
    (tmp_path / "apiProperties.json").write_text(json.dumps(properties))
    assert main(["contract", "--root", str(tmp_path)]) == 2
    assert "policy 'Page size' (stringreplace) on ListMessages would change requests" in capsys.readouterr().err


def test_a_run_against_a_server_first_sends_a_message_to_read_back(swagger, api_properties):
    from scripts.contract.cli import known_message

    app = create_app({DEMO_AUTH_ID: DEMO_AUTH_TOKEN}, throttle=None)
    for url in serve(app):
        uuids = known_message(swagger, api_properties, ContractTarget(DEMO_AUTH_ID, DEMO_AUTH_TOKEN, origin=url))
        read_only = known_message(swagger, api_properties,
                                  ContractTarget(DEMO_AUTH_ID, DEMO_AUTH_TOKEN, origin=url, read_only=True))
    app.close()
    assert len(uuids) == 1 and read_only == uuids
    assert [e["method"] for e in app.request_log] == ["POST", "GET"]


def test_the_run_does_not_expect_plivo_to_require_a_triggers_inputs(swagger):
    """A trigger's filters and state are always sent by the platform (the designer requires them),
    and Plivo's list requires none: the contract run must not expect a 400 without them (the
    default run's fuzzing once failed on OnMessageFailed without message_state)."""
    from scripts.contract.runner import platform_filled_optional

    relaxed = platform_filled_optional(swagger)
    for path, item in swagger["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "x-ms-trigger" not in operation:
                continue
            for declared, sent in zip(operation.get("parameters", []),
                                      relaxed["paths"][path][method].get("parameters", []), strict=True):
                if declared.get("in") == "query":
                    assert not sent.get("required"), (operation["operationId"], declared["name"])
    actions = [op for item in relaxed["paths"].values() for op in item.values()
               if isinstance(op, dict) and op.get("operationId") == "SendSMS"]
    assert actions == [op for item in swagger["paths"].values() for op in item.values()
                       if isinstance(op, dict) and op.get("operationId") == "SendSMS"]  # actions untouched
