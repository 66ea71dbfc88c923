"""Calls end to end through the emulator on the embedded mock: make a call, let it be answered on the
mock clock, act on it while it is live, hang up, and read the call and its recording back."""

from __future__ import annotations

import argparse
import json

import pytest

from scripts.mock.calls import RING_SECONDS
from scripts.runtime import CallError, cli
from tests.runtime.helpers import AUTH_ID, ROOT, TOKEN, serve

CALL = {"from": "14155550100", "to": "14155550123", "answer_url": "https://example.com/answer"}


def _make_call(runtime) -> str:
    return runtime.call("MakeCall", CALL).body["request_uuid"]


def test_call_speak_play_digits_record_hang_up_and_read_back(runtime, app):
    uuid = _make_call(runtime)
    assert runtime.call("GetLiveCall", {"call_uuid": uuid}).body["call_status"] == "ringing"
    app.clock.advance(RING_SECONDS)
    live = runtime.call("GetLiveCall", {"call_uuid": uuid})
    assert live.request.query == [("status", "live")]  # the internal default, sent by the platform
    assert (live.body["call_uuid"], live.body["call_status"]) == (uuid, "in-progress")
    assert runtime.call("ListLiveCalls", {"call_direction": "outbound"}).body["calls"] == [uuid]
    spoken = runtime.call("SpeakText", {"call_uuid": uuid, "text": "Your order has shipped.", "voice": "MAN",
                                        "language": "en-GB", "legs": "both", "loop": False, "mix": True})
    assert (spoken.status, spoken.body["message"]) == (202, "speak started")
    assert runtime.call("StopSpeaking", {"call_uuid": uuid}).status == 204
    played = runtime.call("PlayAudio", {"call_uuid": uuid, "urls": "https://example.com/a.mp3", "length": 5})
    assert played.body["message"] == "play started"
    assert runtime.call("StopPlayingAudio", {"call_uuid": uuid}).status == 204
    assert runtime.call("SendDigits", {"call_uuid": uuid, "digits": "1w2#"}).body["message"] == "digits sent"
    recording = runtime.call("StartRecording", {"call_uuid": uuid, "time_limit": 600, "file_format": "wav"}).body
    app.clock.advance(30)
    assert runtime.call("StopRecording", {"call_uuid": uuid}).status == 204
    app.clock.advance(12)
    hung_up = runtime.call("HangUpCall", {"call_uuid": uuid})
    assert (hung_up.status, hung_up.body) == (204, None)
    assert runtime.call("ListLiveCalls").body["calls"] == []
    with pytest.raises(CallError) as caught:
        runtime.call("GetLiveCall", {"call_uuid": uuid})
    assert caught.value.status == 404

    call = runtime.call("GetCall", {"call_uuid": uuid}).body
    assert call["call_uuid"] == uuid
    assert (call["hangup_source"], call["hangup_cause_code"], call["bill_duration"]) == ("API Request", 4000, 42)
    listed = runtime.call("ListCalls", {"to_number": "14155550123", "call_direction": "outbound"}).body
    assert [c["call_uuid"] for c in listed["objects"]] == [uuid] and listed["meta"]["total_count"] == 1

    stored = runtime.call("GetRecording", {"recording_id": recording["recording_id"]}).body
    assert (stored["call_uuid"], stored["recording_format"], stored["recording_url"]) == (uuid, "wav",
                                                                                          recording["url"])
    recordings = runtime.call("ListRecordings", {"call_uuid": uuid, "limit": 5}).body
    assert [r["recording_id"] for r in recordings["objects"]] == [recording["recording_id"]]


def test_live_call_action_on_a_ringing_call_is_a_404(runtime):
    uuid = _make_call(runtime)
    with pytest.raises(CallError) as caught:
        runtime.call("SpeakText", {"call_uuid": uuid, "text": "Too early"})
    assert caught.value.status == 404 and caught.value.body["error"] == "not found"


def test_hanging_up_twice_is_a_404(runtime, app):
    uuid = _make_call(runtime)
    runtime.call("HangUpCall", {"call_uuid": uuid})
    with pytest.raises(CallError) as caught:
        runtime.call("HangUpCall", {"call_uuid": uuid})
    assert caught.value.status == 404


def test_list_calls_filters_reach_the_mock(runtime, app):
    uuids = [_make_call(runtime) for _ in range(3)]
    app.clock.advance(RING_SECONDS + 10)
    runtime.call("HangUpCall", {"call_uuid": uuids[0]})
    page = runtime.call("ListCalls", {"limit": 2}).body
    assert len(page["objects"]) == 2 and page["meta"]["next"]
    ended = runtime.call("ListCalls", {"hangup_source": "API Request", "bill_duration__gte": 10}).body
    assert [c["call_uuid"] for c in ended["objects"]] == [uuids[0]]
    assert runtime.call("ListCalls", {"end_time__lte": "2000-01-01 00:00"}).body["objects"] == []


def test_command_line_acts_on_a_live_call_over_http(runtime, app, capsys):
    uuid = _make_call(runtime)
    app.clock.advance(RING_SECONDS)
    for url in serve(app):
        for argv, expected in (
            (["SpeakText", "-i", f"call_uuid={uuid}", "-i", "text=Hello"], "speak started"),
            (["HangUpCall", "-i", f"call_uuid={uuid}"], None),
        ):
            parser = argparse.ArgumentParser()
            cli.add_arguments(parser)
            args = parser.parse_args([*argv, "--url", url, "--auth-id", AUTH_ID, "--auth-token", TOKEN,
                                      "--root", str(ROOT)])
            assert cli.run(args) == 0
            out = json.loads(capsys.readouterr().out)
            assert (out["message"] if out else out) == expected  # a 204 prints null
