"""The control API under /_mock/ and the safety net for unexpected exceptions."""

from __future__ import annotations

import pytest
from mock_helpers import ACCOUNT_A

from scripts.mock import Clock, create_app, routes


def test_clock_advance_moves_the_mock_clock(client, app):
    before = client.control("GET", "/_mock/clock").json
    r = client.control("POST", "/_mock/clock/advance", {"seconds": 3600})
    assert r.status == 200
    assert r.json["offset"] == pytest.approx(before["offset"] + 3600)
    assert r.json["now"] - before["now"] >= 3600
    assert r.json["time"].endswith("+00:00")
    assert app.clock.offset == pytest.approx(3600)


@pytest.mark.parametrize("body", [{}, {"seconds": -1}, {"seconds": "5"}, {"seconds": True},
                                  {"seconds": 1e12}, {"seconds": 1, "extra": 2}])
def test_clock_advance_validates_seconds(client, body):
    r = client.control("POST", "/_mock/clock/advance", body)
    assert r.status == 400
    assert ("seconds" in r.json["error"]) or ("extra" in r.json["error"])


def test_clock_never_goes_backwards():
    clock = Clock()
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_injected_clock_is_used():
    clock = Clock(offset=-86400.0 * 365)
    app = create_app({ACCOUNT_A[0]: ACCOUNT_A[1]}, clock=clock)
    assert app.clock is clock
    app.close()


@pytest.mark.parametrize(("body", "name"), [
    ({"auth_id": "MAZZZZZZZZZZZZZZZZZZ", "from": "14155550001", "to": "14155550002", "text": "x"}, "auth_id"),
    ({"auth_id": ACCOUNT_A[0], "from": "abc", "to": "14155550002", "text": "x"}, "from"),
    ({"auth_id": ACCOUNT_A[0], "from": "14155550001", "to": "14155550002"}, "text"),
    ({"auth_id": ACCOUNT_A[0], "from": "14155550001", "to": "14155550002", "text": "x", "y": 1}, "y"),
])
def test_inbound_validates_its_body(client, body, name):
    r = client.control("POST", "/_mock/inbound", body)
    assert r.status == 400
    assert name in r.json["error"]


def test_request_log_records_v1_requests_with_query_body_and_status(client, app):
    client.send(text="logged")
    client.list_messages(limit=5)
    client.request("POST", client.uri("Message/"), data=b"{bad", content_type="application/json")
    client.control("GET", "/_mock/clock")  # control calls are not logged
    entries = client.control("GET", "/_mock/requests").json["requests"]
    assert [(e["method"], e["status"]) for e in entries] == [("POST", 202), ("GET", 200), ("POST", 400)]
    assert entries[0]["json"] == {"src": "14155550100", "dst": "14155550123", "text": "logged"}
    assert entries[0]["path"] == client.uri("Message/")
    assert entries[1]["query"] == {"limit": ["5"]} and entries[1]["json"] is None
    assert entries[2]["json"] is None
    assert app.request_log == entries
    assert client.control("DELETE", "/_mock/requests").status == 204
    assert app.request_log == []


def test_reset_forgets_everything(client, app):
    client.send()
    app.clock.advance(100)
    assert client.control("POST", "/_mock/reset").status == 204
    assert app.clock.offset == 0
    assert app.request_log == []
    assert client.list_messages().json["meta"]["total_count"] == 0


def test_control_api_answers_loopback_only(client):
    r = client.request("GET", "/_mock/clock", auth=False, remote_addr="10.1.2.3")
    assert r.status == 403
    assert client.request("GET", "/_mock/clock", auth=False, remote_addr="::1").status == 200


def test_control_unknown_path_and_method(client):
    assert client.control("GET", "/_mock/nothing").status == 404
    r = client.control("GET", "/_mock/reset")
    assert r.status == 405 and r.headers["Allow"] == "POST"


def test_unexpected_exception_is_500_json_without_trace(client, monkeypatch, capsys):
    def boom(app, req, auth_id):
        raise RuntimeError("secret internals")

    _template, _pattern, methods = routes.ROUTES[1]
    monkeypatch.setitem(methods, "GET", boom)
    r = client.list_messages()
    assert r.status == 500
    assert set(r.json) == {"api_id", "error"}
    assert r.json["error"] == "internal server error"
    assert b"secret internals" not in r.body and b"Traceback" not in r.body
    err = capsys.readouterr().err
    assert "Traceback" in err and "secret internals" in err


# curl -d sends application/x-www-form-urlencoded (or nothing with --data-binary @file): the control
# API reads JSON whatever the label, so the examples in docs/mock.md work as typed.
@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "", "text/plain",
                                          "application/json"])
def test_control_api_takes_json_whatever_the_content_type(client, app, content_type):
    r = client.request("POST", "/_mock/clock/advance", data=b'{"seconds": 60}', content_type=content_type,
                       auth=False)
    assert r.status == 200, r.json
    assert app.clock.offset == pytest.approx(60)


def test_control_api_names_the_format_when_the_body_is_a_form(client):
    r = client.request("POST", "/_mock/clock/advance", data=b"seconds=60",
                       content_type="application/x-www-form-urlencoded", auth=False)
    assert r.status == 400
    assert "malformed JSON body" in r.json["error"] and """curl -d '{"seconds": 60}'""" in r.json["error"]


def test_the_plivo_api_still_reads_forms_as_forms(client):
    r = client.request("POST", client.uri("Message/"), data=b"src=14155550100&dst=14155550123&text=hi",
                       content_type="application/x-www-form-urlencoded")
    assert r.status == 202, r.json
