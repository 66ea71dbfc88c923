"""Messages that fail or are undelivered (reserved test numbers), de-duplicated destinations, and
message times in the account's time zone."""

from __future__ import annotations

import pytest
from mock_helpers import ACCOUNTS, WsgiClient

from scripts.mock import Clock, create_app


def _state(client, uuid):
    return client.request("GET", client.uri(f"Message/{uuid}/")).json


@pytest.mark.parametrize(("dst", "state", "code"), [
    ("15005550420", "failed", "420"), ("+15005550900", "failed", "900"), ("15005550200", "failed", "200"),
    ("15005550020", "undelivered", "20"), ("15005551000", "undelivered", "1000"),
])
def test_a_reserved_destination_ends_with_its_error_code(client, app, dst, state, code):
    uuid = client.send(dst=dst).json["message_uuid"][0]
    assert _state(client, uuid)["message_state"] == "queued"
    app.clock.advance(1)
    early = _state(client, uuid)
    assert early["message_state"] == ("failed" if state == "failed" else "sent")
    app.clock.advance(4)
    record = _state(client, uuid)
    assert (record["message_state"], record["error_code"]) == (state, code)
    # Plivo charges nothing for a message it never handed to a carrier.
    assert record["total_amount"] == ("0.00000" if state == "failed" else "0.00500")
    assert record["total_rate"] == "0.00500"
    # The list filters see the same states and codes as the records.
    listed = client.list_messages(message_state=state, error_code=code).json
    assert [m["message_uuid"] for m in listed["objects"]] == [uuid]


def test_other_numbers_of_the_test_range_are_delivered(client, app):
    uuid = client.send(dst="15005551234").json["message_uuid"][0]  # 1234 is no Plivo error code
    app.clock.advance(5)
    assert (_state(client, uuid)["message_state"], _state(client, uuid)["error_code"]) == ("delivered", "000")
    assert client.list_messages(message_state="delivered", error_code="000").json["meta"]["total_count"] == 1


def test_duplicate_destinations_get_one_message(client):
    body = client.send(dst="14155550001<+14155550001<14155550002<oops<14155550001<oops").json
    assert len(body["message_uuid"]) == 2
    assert body["invalid_number"] == ["oops"]
    assert sorted(m["to_number"] for m in client.list_messages().json["objects"]) == ["14155550001",
                                                                                       "14155550002"]


def test_message_time_carries_the_account_time_zone():
    clock = Clock()
    app = create_app(ACCOUNTS, timezone="Asia/Kolkata", clock=clock)
    client = WsgiClient(app)
    uuid = client.send().json["message_uuid"][0]
    record = _state(client, uuid)
    assert record["message_time"].endswith("+05:30")
    assert record["message_updated_time"].endswith("+05:30")
    assert client.request("GET", client.uri("")).json["timezone"] == "Asia/Kolkata"
    # Filters stay UTC: the message is found by its UTC time.
    utc = app.clock.now()
    from datetime import UTC, datetime
    start = datetime.fromtimestamp(utc - 60, UTC).strftime("%Y-%m-%d %H:%M:%S")
    assert client.list_messages(message_time__gte=start).json["meta"]["total_count"] == 1
    app.close()


def test_utc_is_the_default_time_zone(client):
    uuid = client.send().json["message_uuid"][0]
    assert _state(client, uuid)["message_time"].endswith("+00:00")
