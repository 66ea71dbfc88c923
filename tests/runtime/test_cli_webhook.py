"""``plivo-connector run TRIGGER --listen``: register, receive deliveries at a local callback, delete."""

from __future__ import annotations

import argparse
import json

import pytest

from scripts.mock import applications, numbers
from scripts.runtime import cli
from scripts.runtime.webhook import Firing, trigger_form_data_value
from tests.runtime.helpers import AUTH_ID, ROOT, TOKEN

CREDENTIALS = ["--auth-id", AUTH_ID, "--auth-token", TOKEN]


def run(capsys, *argv: str) -> tuple[int, list[dict], str]:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    code = cli.run(parser.parse_args([*argv, "--root", str(ROOT)]))
    out, err = capsys.readouterr()
    assert TOKEN not in out + err
    return code, [json.loads(line) for line in out.splitlines()], err


def text_of(event: dict) -> str:
    return trigger_form_data_value(Firing("POST", "/", {}, {}, event["body"]), "Text")


@pytest.fixture(autouse=True)
def no_env_credentials(monkeypatch):
    monkeypatch.delenv("PLIVO_AUTH_ID", raising=False)
    monkeypatch.delenv("PLIVO_AUTH_TOKEN", raising=False)


def test_listen_on_the_embedded_mock(capsys):
    code, events, err = run(capsys, "OnMessageReceived", "--listen", "--inbound", "first", "--inbound", "second",
                            *CREDENTIALS)
    assert code == 0, err
    assert [e["event"] for e in events] == ["registered", "fired", "fired", "deleted"]
    assert events[0]["location"].startswith(f"https://api.plivo.com/v1/Account/{AUTH_ID}/Webhook/Message/")
    assert [text_of(e) for e in events[1:3]] == ["first", "second"]
    assert events[-1]["status"] == 202


def test_listen_against_a_mock_server(capsys, app, live_url):
    app_id = applications.add(app, AUTH_ID, "Flow app")
    numbers.rent(app, AUTH_ID, "14155550142", app_id=app_id)
    code, events, err = run(capsys, "OnMessageReceived", "--listen", "-i", f"app_id={app_id}", "--url", live_url,
                            "--to", "14155550142", "--inbound", "over the socket", *CREDENTIALS)
    assert code == 0, err
    assert [e["event"] for e in events] == ["registered", "fired", "deleted"]
    assert text_of(events[1]) == "over the socket"
    assert applications.find(app, AUTH_ID, app_id)["message_url"] == ""  # cleaned up


@pytest.mark.parametrize(("argv", "message"), [
    (["SendSMS", "--listen"], "error: SendSMS is not a webhook trigger"),
    (["OnMessageReceived", "--inbound", "x"], "error: --inbound and --to go with --listen"),
    (["OnMessageReceived", "--listen", "--poll", "1"], "error: --dry-run, --options, --poll and --listen exclude"),
])
def test_listen_argument_errors(capsys, argv, message):
    code, _, err = run(capsys, *argv, *CREDENTIALS)
    assert code == 2 and err.startswith(message), err
