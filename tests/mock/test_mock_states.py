"""Message states over simulated time, and inbound messages."""

from __future__ import annotations

import pytest
from mock_helpers import ACCOUNT_A


def _get(client, uuid):
    return client.request("GET", client.uri(f"Message/{uuid}/")).json


def test_outbound_message_moves_queued_sent_delivered_with_the_clock(client, app):
    uuid = client.send().json["message_uuid"][0]
    first = _get(client, uuid)
    assert (first["message_state"], first["error_code"], first["message_sent_time"]) == ("queued", None, None)
    app.clock.advance(1.0)
    sent = _get(client, uuid)
    assert (sent["message_state"], sent["error_code"]) == ("sent", None)
    assert sent["message_sent_time"].endswith("+00:00")
    app.clock.advance(3.9)
    assert _get(client, uuid)["message_state"] == "sent"
    app.clock.advance(0.1)
    delivered = _get(client, uuid)
    assert (delivered["message_state"], delivered["error_code"]) == ("delivered", "000")
    assert delivered["message_time"] == first["message_time"]  # creation time never changes
    assert delivered["message_updated_time"] > sent["message_updated_time"]


def test_state_is_computed_the_same_in_list_and_filters(client, app):
    old = client.send().json["message_uuid"][0]
    app.clock.advance(2)
    mid = client.send().json["message_uuid"][0]
    app.clock.advance(0.5)
    new = client.send().json["message_uuid"][0]
    app.clock.advance(3)  # ages: old 5.5 s, mid 3.5 s, new 3 s
    objects = client.list_messages().json["objects"]
    assert [(o["message_uuid"], o["message_state"]) for o in objects] == [
        (new, "sent"), (mid, "sent"), (old, "delivered")]
    assert [o["message_uuid"] for o in client.list_messages(message_state="sent").json["objects"]] == [new, mid]
    assert [o["message_uuid"] for o in client.list_messages(error_code="000").json["objects"]] == [old]
    app.clock.advance(10)
    assert client.list_messages(message_state="queued").json["meta"]["total_count"] == 0


@pytest.fixture
def inbound(client):
    r = client.control("POST", "/_mock/inbound", {"auth_id": ACCOUNT_A[0], "from": "+14155550001",
                                                   "to": "14155550100", "text": "hello mock"})
    assert r.status == 201
    return r.json["message_uuid"]


def test_inbound_message_is_received_and_inbound(client, app, inbound):
    record = _get(client, inbound)
    assert record["message_direction"] == "inbound"
    assert record["message_state"] == "received"
    assert record["from_number"] == "14155550001"
    assert record["to_number"] == "14155550100"
    assert record["error_code"] is None
    app.clock.advance(60)
    assert _get(client, inbound)["message_state"] == "received"  # inbound state does not age


def test_inbound_filter_by_direction_and_state(client, inbound):
    client.send()
    assert [o["message_uuid"] for o in client.list_messages(message_direction="inbound").json["objects"]] \
        == [inbound]
    assert client.list_messages(message_state="received").json["meta"]["total_count"] == 1
    assert client.list_messages(message_direction="outbound").json["meta"]["total_count"] == 1
