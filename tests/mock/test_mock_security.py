"""The mock under hostile traffic: a bounded request log without secrets, a malformed Content-Length,
and a 413 that a client still sending its body gets to read."""

from __future__ import annotations

import json

import pytest
from mock_helpers import ACCOUNT_A

from scripts.mock import app as app_module
from scripts.mock.httpio import LOG_BODY_LIMIT


def log_bytes(app) -> int:
    return len(json.dumps(app.request_log))


def test_large_rejected_bodies_are_truncated_in_the_log(client, app):
    big = "x" * (1024 * 1024 - 200)
    for _ in range(20):
        assert client.send(text=big, type="nonsense").status == 400
    entries = app.request_log
    assert len(entries) == 20
    for entry in entries:
        logged = entry["json"]["__truncated__"]
        assert logged["bytes"] > 1_000_000
        assert len(logged["head"]) <= LOG_BODY_LIMIT
    assert log_bytes(app) < 20 * 2 * LOG_BODY_LIMIT


def test_small_bodies_are_logged_whole(client, app):
    client.send(text="hello")
    assert app.request_log[-1]["json"] == {"src": "14155550100", "dst": "14155550123", "text": "hello"}


def test_the_log_is_bounded_in_bytes(client, app, monkeypatch):
    monkeypatch.setattr(app_module, "REQUEST_LOG_BYTES", 64 * 1024)
    for number in range(200):
        client.list_messages(limit=1, offset=0, message_state="x" * 900 + str(number))
    assert log_bytes(app) <= 64 * 1024
    assert app.request_log[-1]["query"]["message_state"] == ["x" * 900 + "199"], "the newest entries stay"
    assert len(app.request_log) > 10


@pytest.mark.parametrize("name", ["auth_token", "token", "password", "api_key", "secret", "X-Signature",
                                  "access_key", "session"])
def test_credential_looking_query_values_are_redacted(client, app, name):
    client.list_messages(limit=2, **{name: "hunter2-value"})
    entry = app.request_log[-1]
    assert entry["query"][name] == ["***"]
    assert entry["query"]["limit"] == ["2"]
    assert "hunter2-value" not in json.dumps(app.request_log)


def test_the_query_of_a_401_is_redacted(client, app):
    client.request("GET", client.uri("Message/"), query={"limit": "2", "note": "MyPassw0rd!"},
                   auth=(ACCOUNT_A[0], "wrong"))
    entry = app.request_log[-1]
    assert entry["status"] == 401
    assert entry["query"] == {"limit": ["***"], "note": ["***"]}
    assert "MyPassw0rd!" not in json.dumps(app.request_log)
