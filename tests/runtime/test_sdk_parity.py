"""The emulator's request for each action equals the official Plivo SDK's for the same intent.

Both go to the same mock on a socket and are compared on its request log: same method and path,
and every query or body field the connector sends has the SDK's value. The SDK adds defaults of
its own; the exact set is asserted, so a new SDK default shows up here (see docs/runtime.md).
"""

from __future__ import annotations

from typing import Any

from tests.runtime.helpers import AUTH_ID

# Fields the SDK sends that the connector leaves to Plivo's own defaults (values as the SDK sends them).
SDK_MESSAGE_DEFAULTS = {"type": "sms", "method": "POST", "log": "true", "trackable": False}
SDK_CALL_DEFAULTS = {"ring_method": "POST", "hangup_method": "POST", "fallback_method": "POST",
                     "machine_detection_time": 5000, "machine_detection_method": "POST", "ring_timeout": 120,
                     "error_if_parent_not_found": False}




def last_two(app) -> tuple[dict[str, Any], dict[str, Any]]:
    emulated, official = app.request_log[-2:]
    assert emulated["status"] < 300 and official["status"] < 300, (emulated, official)
    return emulated, official


def assert_same_request(emulated: dict[str, Any], official: dict[str, Any]) -> None:
    assert (emulated["method"], emulated["path"]) == (official["method"], official["path"])
    for field, value in emulated["query"].items():
        assert official["query"].get(field) == value, field
    for field, value in (emulated["json"] or {}).items():
        assert (official["json"] or {}).get(field) == value, field


def test_send_sms_matches_sdk(emulator, sdk, app):
    emulator.call("SendSMS", {"src": "14155550100", "dst": "14155550123<14155550124", "text": "hello",
                              "url": "https://example.com/status", "method": "GET"})
    sdk.messages.create(src="14155550100", dst="14155550123<14155550124", text="hello",
                        url="https://example.com/status", method="GET")
    emulated, official = last_two(app)
    assert_same_request(emulated, official)
    assert emulated["json"] == {"src": "14155550100", "dst": "14155550123<14155550124", "text": "hello",
                                "url": "https://example.com/status", "method": "GET"}
    # Without the optional fields the SDK still sends its defaults; the connector does not.
    emulator.call("SendSMS", {"src": "14155550100", "dst": "14155550123", "text": "hi"})
    sdk.messages.create(src="14155550100", dst="14155550123", text="hi")
    emulated, official = last_two(app)
    assert_same_request(emulated, official)
    extra = {k: v for k, v in official["json"].items() if k not in emulated["json"]}
    assert extra == SDK_MESSAGE_DEFAULTS


def test_list_messages_matches_sdk(emulator, sdk, app):
    filters = {"limit": 5, "offset": 0, "message_direction": "outbound", "message_state": "sent",
               "message_type": "sms", "from_number": "14155550100", "to_number": "14155550123",
               "message_time__gte": "2024-01-01 00:00", "message_time__lte": "2030-01-01 00:00:00"}
    emulator.call("ListMessages", {k: str(v) for k, v in filters.items()})  # as typed on the command line
    sdk.messages.list(**filters)
    emulated, official = last_two(app)
    assert_same_request(emulated, official)
    assert emulated["query"] == official["query"]  # the SDK adds nothing to a list
    assert set(emulated["query"]) == set(filters)


def test_get_message_matches_sdk(emulator, sdk, app):
    uuid = sdk.messages.create(src="14155550100", dst="14155550123", text="x").message_uuid[0]
    emulator.call("GetMessage", {"message_uuid": uuid})
    sdk.messages.get(uuid)
    emulated, official = last_two(app)
    assert_same_request(emulated, official)
    assert emulated["path"] == f"/v1/Account/{AUTH_ID}/Message/{uuid}/"
    assert emulated["query"] == official["query"] == {}


def test_make_call_matches_sdk(emulator, sdk, app):
    emulator.call("MakeCall", {"from": "14155550100", "to": "14155550123", "answer_url": "https://example.com/a",
                               "answer_method": "GET"})
    sdk.calls.create(from_="14155550100", to_="14155550123", answer_url="https://example.com/a", answer_method="GET")
    emulated, official = last_two(app)
    assert_same_request(emulated, official)
    extra = {k: v for k, v in official["json"].items() if k not in emulated["json"]}
    assert extra == SDK_CALL_DEFAULTS
