"""Recordings on the mock: made by start recording, complete at a stop, their time limit or the end of
the call, then listed (filters, paging) and read; 404 while they run."""

from __future__ import annotations

import pytest
from mock_helpers import ACCOUNT_A

from scripts.mock import create_app
from scripts.mock.calls import RING_SECONDS


def _answered_call(client, app, **fields) -> str:
    r = client.call(**fields)
    assert r.status == 201, r
    app.clock.advance(RING_SECONDS)
    return r.json["request_uuid"]


def _start(client, uuid, **fields) -> dict:
    r = client.request("POST", client.uri(f"Call/{uuid}/Record/"), json_body=fields)
    assert r.status == 202, r
    return r.json


def _get(client, recording_id):
    return client.request("GET", client.uri(f"Recording/{recording_id}/"))


def _list(client, **query):
    r = client.request("GET", client.uri("Recording/"), query=query)
    assert r.status == 200, r
    return r.json


def test_a_stopped_recording_is_listed_and_readable(client, app):
    uuid = _answered_call(client, app, to="+14155550123")
    started = _start(client, uuid, file_format="wav", time_limit=600)
    rid = started["recording_id"]
    assert started["url"] == f"https://media.plivo.com/v1/Account/{ACCOUNT_A[0]}/Recording/{rid}.wav"
    assert _get(client, rid).status == 404  # still recording
    assert _list(client)["objects"] == []
    app.clock.advance(75)
    assert client.request("DELETE", client.uri(f"Call/{uuid}/Record/")).status == 204
    record = _get(client, rid).json
    assert record["recording_id"] == rid and record["call_uuid"] == uuid
    assert (record["from_number"], record["to_number"]) == ("14155550100", "14155550123")
    assert (record["recording_format"], record["recording_type"], record["conference_name"]) == ("wav", "call", "")
    assert record["recording_url"] == started["url"]
    assert record["resource_uri"] == f"/v1/Account/{ACCOUNT_A[0]}/Recording/{rid}/"
    start_ms, end_ms = float(record["recording_start_ms"]), float(record["recording_end_ms"])
    assert abs(end_ms - start_ms - 75_000) < 50
    assert record["recording_duration_ms"] == f"{int(end_ms - start_ms)}.00000"
    assert record["rounded_recording_duration"] == 120
    assert record["recording_storage_rate"] == 0.0004
    assert record["monthly_recording_storage_amount"] == 0.0008
    assert record["recording_storage_duration"] == 0
    assert record["add_time"].endswith("+00:00") and "." in record["add_time"]
    app.clock.advance(3 * 86_400)
    assert _get(client, rid).json["recording_storage_duration"] == 3


def test_a_recording_ends_at_its_time_limit(client, app):
    uuid = _answered_call(client, app)
    rid = _start(client, uuid, time_limit=10)["recording_id"]
    app.clock.advance(9)
    assert _get(client, rid).status == 404
    app.clock.advance(1)
    record = _get(client, rid).json
    assert abs(float(record["recording_duration_ms"]) - 10_000) < 50


def test_the_default_time_limit_is_60_seconds(client, app):
    uuid = _answered_call(client, app)
    rid = _start(client, uuid)["recording_id"]
    app.clock.advance(60)
    assert abs(float(_get(client, rid).json["recording_duration_ms"]) - 60_000) < 50


def test_hanging_up_ends_the_recordings_of_the_call(client, app):
    uuid = _answered_call(client, app)
    rid = _start(client, uuid, time_limit=600)["recording_id"]
    app.clock.advance(5)
    assert client.request("DELETE", client.uri(f"Call/{uuid}/")).status == 204
    assert abs(float(_get(client, rid).json["recording_duration_ms"]) - 5_000) < 50


def test_stop_with_a_url_stops_only_that_recording(client, app):
    uuid = _answered_call(client, app)
    first = _start(client, uuid, time_limit=600)
    second = _start(client, uuid, time_limit=600)
    app.clock.advance(2)
    r = client.request("DELETE", client.uri(f"Call/{uuid}/Record/"), json_body={"URL": first["url"]})
    assert r.status == 204
    assert _get(client, first["recording_id"]).status == 200
    assert _get(client, second["recording_id"]).status == 404


def test_list_filters_and_paging(client, app):
    calls = [_answered_call(client, app, to=f"1415555020{i}") for i in range(3)]
    ids = []
    for uuid in calls:
        ids.append(_start(client, uuid, time_limit=1)["recording_id"])
        app.clock.advance(2)
    everything = _list(client)
    assert [r["recording_id"] for r in everything["objects"]] == ids[::-1]  # newest first
    assert everything["meta"]["total_count"] == 3
    page = _list(client, limit=2)
    assert len(page["objects"]) == 2
    assert page["meta"]["next"] == f"/v1/Account/{ACCOUNT_A[0]}/Recording/?limit=2&offset=2"
    assert _list(client, limit=2, offset=2)["meta"]["previous"] == \
        f"/v1/Account/{ACCOUNT_A[0]}/Recording/?limit=2&offset=0"
    assert [r["recording_id"] for r in _list(client, call_uuid=calls[1])["objects"]] == [ids[1]]
    assert [r["recording_id"] for r in _list(client, to_number="+14155550202")["objects"]] == [ids[2]]
    assert _list(client, from_number="14155550100")["meta"]["total_count"] == 3
    assert _list(client, conference_name="room")["meta"]["total_count"] == 0
    assert _list(client, add_time__gte="2000-01-01 00:00")["meta"]["total_count"] == 3
    assert _list(client, add_time__lt="2000-01-01 00:00")["meta"]["total_count"] == 0
    assert _list(client, recording_storage_duration__gte="1")["meta"]["total_count"] == 0


@pytest.mark.parametrize(("name", "value"), [
    ("limit", "0"), ("limit", "21"), ("offset", "-1"), ("add_time__gte", "yesterday"),
    ("recording_storage_duration", "x"), ("subaccount", "MA123"), ("colour", "red"),
])
def test_bad_list_parameters_are_400_naming_them(client, name, value):
    r = client.request("GET", client.uri("Recording/"), query={name: value})
    assert r.status == 400 and name in r.json["error"]


def test_accounts_do_not_see_each_others_recordings(client, client_b, app):
    uuid = _answered_call(client, app)
    rid = _start(client, uuid, time_limit=1)["recording_id"]
    app.clock.advance(1)
    assert _get(client, rid).status == 200
    assert _get(client_b, rid).status == 404
    assert _list(client_b)["meta"]["total_count"] == 0


def test_reset_forgets_recordings(client, app):
    uuid = _answered_call(client, app)
    rid = _start(client, uuid, time_limit=1)["recording_id"]
    assert client.control("POST", "/_mock/reset").status == 204
    app.clock.advance(5)
    assert _get(client, rid).status == 404


def test_recordings_survive_a_restart_with_a_database(tmp_path):
    from mock_helpers import WsgiClient

    db = str(tmp_path / "mock.sqlite")
    first = create_app(dict([ACCOUNT_A]), db_path=db)
    client = WsgiClient(first)
    uuid = _answered_call(client, first)
    rid = _start(client, uuid, time_limit=1)["recording_id"]
    first.close()
    second = create_app(dict([ACCOUNT_A]), db_path=db)
    second.clock.advance(5)
    assert _get(WsgiClient(second), rid).json["recording_id"] == rid
    second.close()


@pytest.mark.parametrize("tail", ["Recording/", "Recording/00000000-0000-0000-0000-000000000000/"])
def test_recordings_need_credentials_and_count_towards_the_throttle(tail):
    from mock_helpers import WsgiClient

    app = create_app(dict([ACCOUNT_A]), throttle=(2, 60.0))
    client = WsgiClient(app)
    assert client.request("GET", client.uri(tail), auth=False).status == 401
    assert client.request("GET", client.uri(tail), auth=(ACCOUNT_A[0], "wrong")).status == 401
    assert client.request("GET", client.uri(tail)).status in (200, 404)
    assert client.request("GET", client.uri(tail)).status in (200, 404)
    assert client.request("GET", client.uri(tail)).status == 429
    app.close()
