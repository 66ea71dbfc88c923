"""The command line: output, exit codes, errors, and that the auth token is never printed."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from scripts.mock import create_app
from scripts.runtime import Connector, cli
from tests.runtime.helpers import AUTH_ID, ROOT, TOKEN, TRIGGER_ID, serve, trigger_definition, write_root

CREDENTIALS = ["--auth-id", AUTH_ID, "--auth-token", TOKEN]
SMS = ["-i", "src=14155550100", "-i", "dst=14155550123", "-i", "text=hello"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    code = cli.run(parser.parse_args([*argv, "--root", str(ROOT)] if "--root" not in argv else list(argv)))
    out, err = capsys.readouterr()
    assert TOKEN not in out + err
    return code, out, err


@pytest.fixture(autouse=True)
def no_env_credentials(monkeypatch):
    monkeypatch.delenv("PLIVO_AUTH_ID", raising=False)
    monkeypatch.delenv("PLIVO_AUTH_TOKEN", raising=False)


def test_send_on_the_embedded_mock_prints_the_json(capsys):
    code, out, _ = run(capsys, "SendSMS", *SMS, *CREDENTIALS)
    assert code == 0
    body = json.loads(out)
    assert body["message"] == "message(s) queued" and len(body["message_uuid"]) == 1


def test_demo_account_when_no_credentials(capsys):
    code, out, err = run(capsys, "ListMessages", "-i", "limit=2")
    assert code == 0 and json.loads(out)["objects"] == []
    assert err.startswith("(embedded mock: demo account MA")


def test_dry_run_masks_authorization(capsys, monkeypatch):
    monkeypatch.setenv("PLIVO_AUTH_ID", AUTH_ID)
    monkeypatch.setenv("PLIVO_AUTH_TOKEN", TOKEN)
    code, out, _ = run(capsys, "SendSMS", *SMS, "--dry-run")
    assert code == 0
    assert out.splitlines()[:3] == [f"POST https://api.plivo.com/v1/Account/{AUTH_ID}/Message/",
                                    "Content-Type: application/json", "Authorization: Basic ***"]
    assert json.loads(out.split("\n\n", 1)[1]) == {"src": "14155550100", "dst": "14155550123", "text": "hello"}


def test_token_placed_by_a_policy_is_redacted(capsys, tmp_path):
    swagger, properties = trigger_definition()
    properties["properties"]["policyTemplateInstances"].append({
        "templateId": "setheader", "title": "leaky", "parameters": {
            "x-ms-apimTemplateParameter.name": "X-Token",
            "x-ms-apimTemplateParameter.value": "@connectionParameters('password')"}})
    root = write_root(tmp_path / "c", swagger, properties)
    code, out, _ = run(capsys, "GetMessage", "-i", "message_uuid=u", "--dry-run", "--root", str(root), *CREDENTIALS)
    assert code == 0 and "X-Token: ***" in out


def test_error_from_the_backend_over_http_exits_1_without_the_token(capsys):
    app = create_app({AUTH_ID: "the-real-token"}, throttle=None)
    try:
        for url in serve(app):
            code, _, err = run(capsys, "GetMessage", "-i", "message_uuid=u", "--url", url, *CREDENTIALS)
            assert code == 1
            assert "GetMessage: GET /Message/u/ answered 401" in err
            code, out, _ = run(capsys, "SendSMS", *SMS, "--url", url, "--auth-id", AUTH_ID,
                               "--auth-token", "the-real-token")
            assert code == 0 and "the-real-token" not in out
    finally:
        app.close()


@pytest.mark.parametrize(("argv", "message"), [
    (["SendSMSes"], "error: unknown operationId 'SendSMSes'; did you mean SendSMS"),
    (["SendFax"], "error: unknown operationId 'SendFax'; none is close (--list shows all"),
    (["SendSMS", "-i", "src=1"], "error: missing required input(s) for SendSMS: dst (To), text (Message)"),
    (["ListMessages", "-i", "limit=ten"], "error: input 'limit' (Limit) must be an integer, got 'ten'"),
    (["ListMessages", "-i", "page=2"], "error: unknown input 'page' for ListMessages. ListMessages accepts: limit"),
    (["ListMessages", "-i", "limit"], "error: --input takes KEY=VALUE, got 'limit'"),
    (["ListMessages", "-i", "limit=1", "-i", "limit=2"], "error: input 'limit' is given twice"),
    (["ListMessages", "--url", "http://127.0.0.1:1"], "error: --url needs credentials"),
    (["ListMessages", "--url", "http://127.0.0.1:1/v1", *CREDENTIALS], "error: --url must be an origin"),
    (["ListMessages", "--auth-id", AUTH_ID], "error: give both the Auth ID and the Auth Token"),
    (["ListMessages", "--poll", "2"], "error: ListMessages is not a polling trigger"),
    (["ListMessages", "--poll", "1", "--dry-run"], "error: --dry-run, --options, --poll and --listen exclude"),
    (["GetMessage", "--options", "message_uuid"], "error: input 'message_uuid' of GetMessage has no x-ms-dynamic"),
    ([], "error: give an OPERATION_ID (or --list to see them)"),
])
def test_bad_arguments_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2, err
    assert err.startswith(message), err
    assert out == ""


def test_missing_root(capsys, tmp_path):
    code, _, err = run(capsys, "SendSMS", "--root", str(tmp_path))
    assert code == 2 and "apiDefinition.swagger.json not found" in err


def test_list_marks_internal_inputs_and_triggers(capsys, tmp_path):
    root = write_root(tmp_path / "c", *trigger_definition())
    code, out, _ = run(capsys, "--list", "--root", str(root))
    assert code == 0
    connector = Connector.load(root)
    triggers = sum(1 for op in connector.operations.values() if op.trigger)
    assert f"Actions ({len(connector.operations) - triggers})" in out and f"Triggers ({triggers})" in out
    assert f"  When a message arrives ({TRIGGER_ID}) [batch trigger]: GET /trigger/Message/" in out
    assert "internal (hidden; sends '2000-01-01 00:00:00')" in out
    assert "  Send SMS (SendSMS) [important]: POST /Message/" in out
    assert "      Limit                    limit              integer  no        advanced" in out


def test_poll_on_the_embedded_mock(capsys, tmp_path):
    root = write_root(tmp_path / "c", *trigger_definition())
    code, out, _ = run(capsys, TRIGGER_ID, "--poll", "2", "--root", str(root), *CREDENTIALS)
    assert code == 0
    assert [json.loads(line) for line in out.splitlines()] == [
        {"poll": 1, "status": 202, "state": {}, "items": []}, {"poll": 2, "status": 202, "state": {}, "items": []}]


def test_options_on_the_embedded_mock(capsys, tmp_path):
    swagger, properties = trigger_definition()
    swagger["paths"]["/Message/{message_uuid}/"]["get"]["parameters"][0]["x-ms-dynamic-values"] = {
        "operationId": "ListMessages", "value-collection": "objects", "value-path": "message_uuid"}
    root = write_root(tmp_path / "c", swagger, properties)
    code, out, _ = run(capsys, "GetMessage", "--options", "message_uuid", "--root", str(root), *CREDENTIALS)
    assert (code, json.loads(out)) == (0, [])


def test_module_entry_point_exit_code():
    done = subprocess.run([sys.executable, "-m", "scripts.runtime", "ListMessages", "-i", "limit=x", "--root",
                           str(ROOT)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 2
    assert "input 'limit' (Limit) must be an integer" in done.stderr


def test_a_token_is_masked_as_a_whole_not_letter_by_letter(capsys):
    """Masking replaces exact occurrences of the token, so ordinary text around it survives
    (a too-short token, which could not be masked that way, is refused: tests/security)."""
    from scripts.cli import main

    assert main(["run", "GetMessage", "-i", "message_uuid=nope", "--auth-id", AUTH_ID, "--auth-token",
                 "nope-nope-nope", "--root", str(ROOT)]) == 1
    err = capsys.readouterr().err
    assert "error: GetMessage: GET /Message/nope/ answered 404" in err


def test_dry_run_starts_no_mock_and_loads_no_validator():
    """--dry-run only builds the request: the embedded mock (werkzeug), jsonschema and http.client
    are for sending and checking, and are not imported."""
    code = "\n".join([
        "import sys", "from scripts.cli import main",
        f"code = main(['run', 'SendSMS', '--dry-run', '--root', {str(ROOT)!r}, *{SMS!r}])",
        "print(sorted(m for m in ('werkzeug', 'jsonschema', 'http.client', 'scripts.mock') if m in sys.modules))",
        "sys.exit(code)"])
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("POST https://api.plivo.com/v1/Account/MA")
    assert done.stdout.strip().splitlines()[-1] == "[]"
