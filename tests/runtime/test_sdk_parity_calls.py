"""The emulator's request for each call and recording action equals the official Plivo SDK's.

As in test_sdk_parity.py: both go to the same mock on a socket and are compared on its request log.
The SDK repeats the path's call_uuid in the body (or query) of every call request; the connector
does not, and the mock accepts both (it must match the path).
"""

from __future__ import annotations

import pytest

from scripts.mock.calls import RING_SECONDS
from tests.runtime.helpers import AUTH_ID
from tests.runtime.test_sdk_parity import assert_same_request, last_two


@pytest.fixture
def call_uuid(sdk, app) -> str:
    uuid = sdk.calls.create(from_="14155550100", to_="14155550123", answer_url="https://example.com/a",
                            time_limit=3600).request_uuid
    app.clock.advance(RING_SECONDS)
    return uuid


CASES = [
    ("SpeakText", {"text": "Hello", "voice": "MAN", "language": "en-GB", "legs": "both", "loop": True, "mix": False},
     lambda sdk, uuid: sdk.calls.speak(uuid, "Hello", voice="MAN", language="en-GB", legs="both", loop=True,
                                       mix=False)),
    ("StopSpeaking", {}, lambda sdk, uuid: sdk.calls.speak_stop(uuid)),
    ("PlayAudio", {"urls": "https://example.com/a.mp3", "length": 10, "legs": "aleg", "loop": False, "mix": True},
     lambda sdk, uuid: sdk.calls.play(uuid, "https://example.com/a.mp3", length=10, legs="aleg", loop=False,
                                      mix=True)),
    ("StopPlayingAudio", {}, lambda sdk, uuid: sdk.calls.play_stop(uuid)),
    ("SendDigits", {"digits": "12#", "leg": "bleg"}, lambda sdk, uuid: sdk.calls.send_digits(uuid, "12#", leg="bleg")),
    ("StartRecording", {"time_limit": 30, "file_format": "wav", "callback_url": "https://example.com/r",
                        "callback_method": "GET"},
     lambda sdk, uuid: sdk.calls.start_recording(uuid, time_limit=30, file_format="wav",
                                                 callback_url="https://example.com/r", callback_method="GET")),
    ("StopRecording", {}, lambda sdk, uuid: sdk.calls.record_stop(uuid)),
    ("GetCall", {}, lambda sdk, uuid: sdk.calls.get(uuid)),
]


@pytest.mark.parametrize(("operation", "inputs", "official"), CASES, ids=[c[0] for c in CASES])
def test_call_action_matches_sdk(emulator, sdk, app, call_uuid, operation, inputs, official):
    emulator.call(operation, {"call_uuid": call_uuid, **inputs})
    official(sdk, call_uuid)
    emulated, sent = last_two(app)
    assert_same_request(emulated, sent)
    extra = {**{k: v for k, v in (sent["json"] or {}).items() if k not in (emulated["json"] or {})},
             **{k: v for k, v in sent["query"].items() if k not in emulated["query"]}}
    assert extra in ({"call_uuid": call_uuid}, {"call_uuid": [call_uuid]}, {})


def test_hang_up_matches_sdk(emulator, sdk, app, call_uuid):
    other = sdk.calls.create(from_="14155550100", to_="14155550124", answer_url="https://example.com/a").request_uuid
    emulator.call("HangUpCall", {"call_uuid": call_uuid})
    sdk.calls.delete(other)
    emulated, sent = last_two(app)
    assert (emulated["method"], emulated["status"], sent["status"]) == ("DELETE", 204, 204)
    assert emulated["path"].replace(call_uuid, other) == sent["path"]


def test_list_calls_matches_sdk(emulator, sdk, app, call_uuid):
    filters = {"limit": 5, "offset": 0, "call_direction": "outbound", "from_number": "14155550100",
               "to_number": "14155550123", "hangup_cause_code": 4000, "hangup_source": "Plivo",
               "parent_call_uuid": "p", "end_time__gte": "2024-01-01 00:00", "end_time__lte": "2030-01-01 00:00"}
    emulator.call("ListCalls", filters)
    sdk.calls.list(**filters)
    emulated, sent = last_two(app)
    assert_same_request(emulated, sent)
    assert emulated["query"] == sent["query"]


def test_recordings_match_sdk(emulator, sdk, app, call_uuid):
    recording = sdk.calls.start_recording(call_uuid, time_limit=5).recording_id
    app.clock.advance(5)
    filters = {"limit": 5, "offset": 0, "call_uuid": call_uuid, "from_number": "14155550100",
               "to_number": "14155550123", "add_time__gte": "2024-01-01 00:00", "add_time__lte": "2030-01-01 00:00"}
    emulator.call("ListRecordings", filters)
    sdk.recordings.list(**filters)
    emulated, sent = last_two(app)
    assert emulated["query"] == sent["query"] and emulated["path"] == sent["path"]
    emulator.call("GetRecording", {"recording_id": recording})
    sdk.recordings.get(recording)
    emulated, sent = last_two(app)
    assert_same_request(emulated, sent)
    assert emulated["path"] == f"/v1/Account/{AUTH_ID}/Recording/{recording}/"


def test_live_call_views_match_sdk(emulator, sdk, app, call_uuid):
    emulator.call("GetLiveCall", {"call_uuid": call_uuid})
    sdk.live_calls.get(call_uuid)
    emulated, sent = last_two(app)
    # The connector declares this view without the trailing slash (see GetLiveCall.yaml).
    assert (emulated["method"], emulated["path"] + "/") == (sent["method"], sent["path"])
    assert emulated["query"] == sent["query"] == {"status": ["live"]}
    emulator.call("ListLiveCalls", {"call_direction": "outbound", "from_number": "14155550100"})
    sdk.live_calls.list_ids(call_direction="outbound", from_number="14155550100")
    emulated, sent = last_two(app)
    assert emulated["path"] + "/" == sent["path"]
    extra = {k: v for k, v in sent["query"].items() if k not in emulated["query"]}
    assert {k: v for k, v in sent["query"].items() if k in emulated["query"]} == emulated["query"]
    assert extra == {"limit": ["20"], "offset": ["0"]}  # the SDK's paging defaults; the live list has no pages
