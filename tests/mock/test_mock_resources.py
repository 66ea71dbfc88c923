"""Paths, methods, status codes and response shapes of the Plivo resources the mock serves."""

from __future__ import annotations

import re

import pytest
from mock_helpers import ACCOUNT_A

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+00:00$")


def test_send_returns_202_with_plivo_body(client):
    r = client.send()
    assert r.status == 202
    body = r.json
    assert list(body) == ["api_id", "message", "message_uuid"]
    assert UUID_RE.match(body["api_id"])
    assert body["message"] == "message(s) queued"
    assert len(body["message_uuid"]) == 1 and UUID_RE.match(body["message_uuid"][0])
    assert r.headers["Content-Type"] == "application/json"


def test_get_message_returns_the_plivo_record(client):
    uuid = client.send(src="+14155550100", dst="+14155550123", text="hi").json["message_uuid"][0]
    r = client.request("GET", client.uri(f"Message/{uuid}/"))
    assert r.status == 200
    body = r.json
    assert UUID_RE.match(body["api_id"])
    assert body["message_uuid"] == uuid
    # Plivo reports numbers without the "+".
    assert body["from_number"] == "14155550100"
    assert body["to_number"] == "14155550123"
    assert body["message_direction"] == "outbound"
    assert body["message_state"] == "queued"
    assert body["message_type"] == "sms"
    assert TIME_RE.match(body["message_time"])
    assert body["units"] == 1
    assert body["total_rate"] == "0.00500"
    assert body["total_amount"] == "0.00500"
    assert body["error_code"] is None
    assert body["error_message"] == ""
    assert body["resource_uri"] == f"/v1/Account/{ACCOUNT_A[0]}/Message/{uuid}/"


def test_list_messages_returns_envelope(client):
    client.send()
    r = client.list_messages()
    assert r.status == 200
    assert list(r.json) == ["api_id", "meta", "objects"]
    assert r.json["meta"] == {"limit": 20, "next": None, "offset": 0, "previous": None, "total_count": 1}
    assert len(r.json["objects"]) == 1
    assert "api_id" not in r.json["objects"][0]


def test_make_call_returns_201_call_fired(client):
    r = client.call()
    assert r.status == 201
    assert r.json["message"] == "call fired"
    assert UUID_RE.match(r.json["request_uuid"])
    assert UUID_RE.match(r.json["api_id"])


def test_get_call_returns_the_call_record(client):
    uuid = client.call(**{"from": "+14155550100", "to": "+14155550123"}).json["request_uuid"]
    r = client.request("GET", client.uri(f"Call/{uuid}/"))
    assert r.status == 200
    body = r.json
    expected_keys = {
        "answer_time", "api_id", "bill_duration", "billed_duration", "call_direction", "call_duration",
        "call_uuid", "end_time", "from_number", "initiation_time", "parent_call_uuid", "resource_uri",
        "to_number", "total_amount", "total_rate", "hangup_cause_code", "hangup_cause_name", "hangup_source",
    }
    assert set(body) == expected_keys
    assert body["call_uuid"] == uuid
    assert body["call_direction"] == "outbound"
    assert body["from_number"] == "+14155550100"  # as Plivo's call records: from keeps the "+"
    assert body["to_number"] == "14155550123"
    assert TIME_RE.match(body["initiation_time"])
    assert body["resource_uri"] == f"/v1/Account/{ACCOUNT_A[0]}/Call/{uuid}/"
    assert body["total_rate"] == "0.00850"


def test_list_calls_returns_envelope(client):
    uuid = client.call().json["request_uuid"]
    r = client.request("GET", client.uri("Call/"))
    assert r.status == 200
    assert r.json["meta"]["total_count"] == 1
    assert [c["call_uuid"] for c in r.json["objects"]] == [uuid]


def test_hang_up_returns_204_with_empty_body(client):
    uuid = client.call().json["request_uuid"]
    r = client.request("DELETE", client.uri(f"Call/{uuid}/"))
    assert r.status == 204
    assert r.body == b""
    assert "Content-Type" not in r.headers
    assert r.headers["Content-Length"] == "0"


def test_account_details(client):
    r = client.request("GET", client.uri())
    assert r.status == 200
    assert r.json["auth_id"] == ACCOUNT_A[0]
    assert r.json["resource_uri"] == f"/v1/Account/{ACCOUNT_A[0]}/"
    assert r.json["cash_credits"] == "100.00000"
    assert r.json["account_type"] == "standard"


@pytest.mark.parametrize("tail", ["", "Message", "Call"])
def test_trailing_slash_is_optional(client, tail):
    with_slash = client.request("GET", client.uri(tail + "/" if tail else ""))
    without = client.request("GET", client.uri(tail).rstrip("/"))
    assert with_slash.status == without.status == 200


def test_trailing_slash_optional_on_item_paths(client):
    uuid = client.send().json["message_uuid"][0]
    assert client.request("GET", client.uri(f"Message/{uuid}")).status == 200
    assert client.request("POST", client.uri("Message"), json_body={
        "src": "14155550100", "dst": "14155550123", "text": "x"}).status == 202


@pytest.mark.parametrize("tail", ["Message/00000000-0000-0000-0000-000000000000/", "Call/nope/"])
def test_unknown_ids_are_404(client, tail):
    r = client.request("GET", client.uri(tail))
    assert r.status == 404
    assert r.json["error"] == "not found"
    assert UUID_RE.match(r.json["api_id"])


@pytest.mark.parametrize("path", ["/", "/v1/", "/v1/Account/", "/v2/Account/X/Message/",
                                  f"/v1/Account/{ACCOUNT_A[0]}/Endpoint/", f"/v1/Account/{ACCOUNT_A[0]}/Message/x/y/"])
def test_unknown_paths_are_404(client, path):
    r = client.request("GET", path)
    assert r.status == 404
    assert r.json["error"] == "not found"


@pytest.mark.parametrize(("method", "tail", "allow"), [
    ("DELETE", "Message/", "GET, POST"),
    ("PUT", "Call/", "GET, POST"),
    ("POST", "Message/abc/", "GET"),
    ("PATCH", "Call/abc/", "GET, DELETE"),
    ("POST", "", "GET"),
    ("HEAD", "Message/", "GET, POST"),
])
def test_undeclared_methods_are_405_with_allow(client, method, tail, allow):
    r = client.request(method, client.uri(tail))
    assert r.status == 405
    assert r.headers["Allow"] == allow
    assert r.json["error"] == "method not allowed"
