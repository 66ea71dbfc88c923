"""The official Plivo Python SDK against a running mock: live calls and recordings."""

from __future__ import annotations

import plivo
import pytest
from mock_helpers import ACCOUNT_A
from plivo import exceptions

from scripts.mock.calls import RING_SECONDS
from tests.support import point_sdk_at


@pytest.fixture
def sdk(live_url, monkeypatch):
    point_sdk_at(monkeypatch, live_url)
    with plivo.RestClient(*ACCOUNT_A) as client:
        yield client


def _call(sdk, app) -> str:
    uuid = sdk.calls.create(from_="+14155550100", to_="14155550123", answer_url="https://example.com/answer",
                            time_limit=600).request_uuid
    app.clock.advance(RING_SECONDS)
    return uuid


def test_sdk_live_calls_get_and_list(sdk, app):
    uuid = sdk.calls.create(from_="+14155550100", to_="14155550123", answer_url="https://example.com/a",
                            caller_name="Shop").request_uuid
    live = sdk.live_calls.get(uuid)  # GET Call/{uuid}/?status=live
    assert (live.call_uuid, live.call_status, live.caller_name, live.direction) == (uuid, "ringing", "Shop",
                                                                                    "outbound")
    app.clock.advance(RING_SECONDS)
    assert sdk.live_calls.get(uuid).call_status == "in-progress"
    assert sdk.calls.live_call_list_ids().calls == [uuid]
    sdk.calls.hangup(uuid)
    with pytest.raises(exceptions.ResourceNotFoundError):
        sdk.live_calls.get(uuid)
    assert sdk.live_calls.list_ids().calls == []


def test_sdk_speak_play_and_digits(sdk, app):
    uuid = _call(sdk, app)
    assert sdk.calls.speak(uuid, "Your order has shipped", voice="MAN", language="en-GB", legs="both",
                           loop=False, mix=True).message == "speak started"
    assert sdk.calls.speak_stop(uuid) is None  # 204
    assert sdk.calls.play(uuid, "https://example.com/a.mp3", legs="aleg", loop=True).message == "play started"
    assert sdk.calls.play_stop(uuid) is None
    assert sdk.calls.send_digits(uuid, "1w2#", leg="bleg").message == "digits sent"


def test_sdk_actions_on_an_ended_call_raise_not_found(sdk, app):
    uuid = _call(sdk, app)
    sdk.calls.delete(uuid)
    with pytest.raises(exceptions.ResourceNotFoundError):
        sdk.calls.speak(uuid, "too late")
    with pytest.raises(exceptions.ResourceNotFoundError):
        sdk.calls.send_digits(uuid, "1")


def test_sdk_bad_action_input_raises_validation_error(sdk, app):
    uuid = _call(sdk, app)
    with pytest.raises(exceptions.ValidationError, match="digits"):
        sdk.calls.send_digits(uuid, "12x")
    with pytest.raises(exceptions.ValidationError, match="voice"):
        sdk.calls.speak(uuid, "hi", voice="ROBOT")


def test_sdk_record_then_list_and_get_recordings(sdk, app):
    uuid = _call(sdk, app)
    started = sdk.calls.start_recording(uuid, time_limit=120, file_format="mp3")
    assert started.message == "call recording started"
    with pytest.raises(exceptions.ResourceNotFoundError):
        sdk.recordings.get(started.recording_id)  # not complete yet
    app.clock.advance(30)
    assert sdk.calls.record_stop(uuid) is None
    recording = sdk.recordings.get(started.recording_id)
    assert (recording.recording_id, recording.call_uuid, recording.recording_url) == (
        started.recording_id, uuid, started.url)
    listed = sdk.recordings.list(call_uuid=uuid, limit=5, offset=0)
    assert [r.recording_id for r in listed] == [started.recording_id]
    assert listed.meta.total_count == 1
    assert sdk.recordings.list(add_time__gte="2000-01-01 00:00:00").meta.total_count == 1
