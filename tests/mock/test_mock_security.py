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


def _raw_exchange(url: str, request: bytes) -> bytes:
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("length", [b"\xb2", b"\xb9\xb2", b"1_0", b"+5", b"-1", b"0x10", b" 5 5"])
def test_a_content_length_that_is_not_ascii_digits_is_a_400_not_a_traceback(live_url, client, length, capfd):
    request = (b"POST " + client.uri("Message/").encode() + b" HTTP/1.1\r\nHost: mock\r\n"
               b"Content-Type: application/json\r\nContent-Length: " + length + b"\r\n\r\n{}")
    answer = _raw_exchange(live_url, request)
    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert b"Content-Length" in answer.split(b"\r\n\r\n", 1)[1]
    assert "Traceback" not in capfd.readouterr().err


def test_expect_continue_with_a_non_ascii_length_is_a_400(live_url, client, capfd):
    request = (b"POST " + client.uri("Message/").encode() + b" HTTP/1.1\r\nHost: mock\r\n"
               b"Expect: 100-continue\r\nContent-Length: \xb2\r\n\r\n")
    answer = _raw_exchange(live_url, request)
    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert "Traceback" not in capfd.readouterr().err


def test_a_client_still_sending_an_oversize_body_reads_the_413(live_url, client):
    """http.client writes the whole 2 MiB body before reading; the mock must keep reading (and
    discarding) after its 413 so that the client's write does not end in a reset."""
    import base64
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(live_url)
    body = b"x" * (2 * 1024 * 1024)
    auth = "Basic " + base64.b64encode(f"{ACCOUNT_A[0]}:{ACCOUNT_A[1]}".encode()).decode()
    for attempt in range(12):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connection.request("POST", client.uri("Message/"), body=body,
                               headers={"Content-Type": "application/json", "Authorization": auth})
            response = connection.getresponse()
            assert response.status == 413, attempt
            assert b"too large" in response.read()
        finally:
            connection.close()
