"""POST/GET/DELETE Call/: validation, the simulated call timeline, hang-up and the call list."""

from __future__ import annotations

import pytest


def _get(client, uuid):
    return client.request("GET", client.uri(f"Call/{uuid}/")).json


def test_bulk_to_makes_one_call_per_destination(client):
    r = client.call(to="14155550001<sip:alice@phone.plivo.com")
    assert r.status == 201
    uuids = r.json["request_uuid"]
    assert isinstance(uuids, list) and len(set(uuids)) == 2
    records = client.request("GET", client.uri("Call/")).json["objects"]
    assert sorted(c["to_number"] for c in records) == ["14155550001", "sip:alice@phone.plivo.com"]


@pytest.mark.parametrize("name", ["from", "to", "answer_url"])
def test_required_call_fields_are_400_naming_them(client, name):
    r = client.call(**{name: None})
    assert r.status == 400
    assert r.json["error"] == f"{name} parameter is missing"


@pytest.mark.parametrize(("fields", "name"), [
    ({"answer_url": "ftp://example.com/a"}, "answer_url"),
    ({"answer_url": "example.com/answer"}, "answer_url"),
    ({"answer_method": "PUT"}, "answer_method"),
    ({"hangup_url": "nope"}, "hangup_url"),
    ({"ring_method": "DELETE"}, "ring_method"),
    ({"from": "abc"}, "from"),
    ({"to": "14155550001<bogus"}, "to"),
    ({"caller_name": "x" * 51}, "caller_name"),
    ({"time_limit": 0}, "time_limit"),
    ({"time_limit": "60"}, "time_limit"),
    ({"ring_timeout": -1}, "ring_timeout"),
    ({"machine_detection": "maybe"}, "machine_detection"),
    ({"machine_detection_time": 100}, "machine_detection_time"),
    ({"send_digits": "12x"}, "send_digits"),
    ({"colour": "red"}, "colour"),
])
def test_invalid_call_fields_are_400_naming_them(client, fields, name):
    r = client.call(**fields)
    assert r.status == 400, r
    assert name in r.json["error"]


def test_fields_the_python_sdk_sends_by_default_are_accepted(client):
    r = client.call(answer_method="GET", ring_method="POST", hangup_method="POST", fallback_method="POST",
                    machine_detection_time=5000, machine_detection_method="POST", ring_timeout=120,
                    error_if_parent_not_found=False, caller_name="Mock", send_digits="1w2#",
                    machine_detection="hangup", time_limit=30, hangup_url="https://example.com/h")
    assert r.status == 201, r


def test_error_if_parent_not_found(client):
    r = client.call(parent_call_uuid="00000000-0000-0000-0000-000000000000", error_if_parent_not_found=True)
    assert r.status == 404
    parent = client.call().json["request_uuid"]
    child = client.call(parent_call_uuid=parent, error_if_parent_not_found=True).json["request_uuid"]
    assert _get(client, child)["parent_call_uuid"] == parent


def test_call_is_answered_after_ringing_and_hung_up_by_delete(client, app):
    uuid = client.call().json["request_uuid"]
    ringing = _get(client, uuid)
    assert (ringing["answer_time"], ringing["end_time"], ringing["hangup_source"]) == (None, None, None)
    app.clock.advance(2)
    answered = _get(client, uuid)
    assert answered["answer_time"] is not None and answered["end_time"] is None
    app.clock.advance(61)
    assert client.request("DELETE", client.uri(f"Call/{uuid}/"), json_body={"call_uuid": uuid}).status == 204
    ended = _get(client, uuid)
    assert ended["end_time"] is not None
    assert ended["call_duration"] == ended["bill_duration"] == 61
    assert ended["billed_duration"] == 120  # billed per started minute
    assert ended["total_amount"] == "0.01700"
    assert (ended["hangup_cause_code"], ended["hangup_cause_name"], ended["hangup_source"]) == (
        4000, "Normal Hangup", "API Request")


def test_hang_up_before_answer_bills_nothing(client, app):
    uuid = client.call().json["request_uuid"]
    assert client.request("DELETE", client.uri(f"Call/{uuid}")).status == 204
    app.clock.advance(10)
    record = _get(client, uuid)
    assert record["answer_time"] is None and record["end_time"] is not None
    assert (record["call_duration"], record["total_amount"]) == (0, "0.00000")


def test_hang_up_of_unknown_or_ended_call_is_404(client, app):
    assert client.request("DELETE", client.uri("Call/unknown/")).status == 404
    uuid = client.call(time_limit=5).json["request_uuid"]
    app.clock.advance(7)  # rang 2 s, talked 5 s: over
    assert _get(client, uuid)["hangup_source"] == "Plivo"
    assert client.request("DELETE", client.uri(f"Call/{uuid}/")).status == 404


def test_hang_up_rejects_unknown_body_fields(client):
    uuid = client.call().json["request_uuid"]
    r = client.request("DELETE", client.uri(f"Call/{uuid}/"), json_body={"legs": "aleg"})
    assert r.status == 400
    assert r.json["error"] == "unknown parameter(s): legs"


def test_live_call_list(client, app):
    live = client.call().json["request_uuid"]
    gone = client.call().json["request_uuid"]
    client.request("DELETE", client.uri(f"Call/{gone}/"))
    r = client.request("GET", client.uri("Call/"), query={"status": "live"})
    assert r.status == 200
    assert set(r.json) == {"api_id", "calls"}
    assert r.json["calls"] == [live]


def test_call_list_filters_and_paging(client, app):
    a = client.call(to="14155550001").json["request_uuid"]
    app.clock.advance(1)
    b = client.call(to="14155550002", **{"from": "+14155550999"}).json["request_uuid"]
    app.clock.advance(2)
    client.request("DELETE", client.uri(f"Call/{a}/"))

    def listed(**query):
        r = client.request("GET", client.uri("Call/"), query=query)
        assert r.status == 200, r
        return [c["call_uuid"] for c in r.json["objects"]]

    assert listed() == [b, a]
    assert listed(to_number="+14155550001") == [a]
    assert listed(from_number="14155550999") == [b]
    assert listed(call_direction="outbound") == [b, a]
    assert listed(hangup_source="API Request") == [a]
    assert listed(hangup_cause_code="4000") == [a]
    assert listed(end_time__gte="2000-01-01 00:00") == [a]
    assert listed(bill_duration__gt="0") == [a]
    assert listed(bill_duration="0") == [b]
    assert listed(limit=1) == [b]
    assert listed(limit=1, offset=1) == [a]
    meta = client.request("GET", client.uri("Call/"), query={"limit": 1}).json["meta"]
    assert meta["total_count"] == 2 and meta["next"].endswith("/Call/?limit=1&offset=1")


def test_call_list_default_window_is_seven_days(client, app):
    old = client.call().json["request_uuid"]
    app.clock.advance(7 * 24 * 3600 + 1)
    assert client.request("GET", client.uri("Call/")).json["objects"] == []
    assert _get(client, old)["call_uuid"] == old


@pytest.mark.parametrize(("name", "value"), [
    ("limit", "21"), ("offset", "-3"), ("end_time__gt", "2024-13-01 00:00"), ("bill_duration", "x"),
    ("call_direction", "up"), ("status", "dead"), ("hangup_cause_code", "-1"), ("subaccount", "nope"),
    ("foo", "bar"),
])
def test_bad_call_list_parameters_are_400_naming_them(client, name, value):
    r = client.request("GET", client.uri("Call/"), query={name: value})
    assert r.status == 400
    assert name in r.json["error"]


def test_call_uuid_repeated_by_the_sdk_must_match_the_path(client):
    uuid = client.call().json["request_uuid"]
    assert client.request("GET", client.uri(f"Call/{uuid}/"), query={"call_uuid": uuid}).status == 200
    r = client.request("GET", client.uri(f"Call/{uuid}/"), query={"call_uuid": "other"})
    assert r.status == 400 and "call_uuid" in r.json["error"]
    r = client.request("DELETE", client.uri(f"Call/{uuid}/"), json_body={"call_uuid": "other"})
    assert r.status == 400 and "call_uuid" in r.json["error"]
