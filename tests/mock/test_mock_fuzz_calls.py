"""Property tests for live calls and recordings: any body or query gets a JSON answer, never a 5xx."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from mock_helpers import ACCOUNTS, WsgiClient
from test_mock_fuzz import FUZZ, assert_sane, json_values, query_values

from scripts.mock import create_app
from scripts.mock.calls import RING_SECONDS

APP = create_app(ACCOUNTS, throttle=None)
CLIENT = WsgiClient(APP)
# A call kept in progress for the whole run (a day of mock time; the tests never move the clock).
CALL = CLIENT.call(time_limit=86_400).json["request_uuid"]
APP.clock.advance(RING_SECONDS)

ACTION_KEYS = ["text", "voice", "language", "legs", "loop", "mix", "type", "urls", "length", "digits", "leg",
               "time_limit", "file_format", "transcription_type", "transcription_url", "record_channel_type",
               "callback_url", "callback_method", "call_uuid", "URL", "bogus"]
RECORDING_KEYS = ["limit", "offset", "call_uuid", "from_number", "to_number", "add_time", "add_time__gte",
                  "add_time__lt", "recording_storage_duration__gt", "conference_name", "subaccount", "bogus"]


@FUZZ
@given(st.sampled_from(["POST", "DELETE"]), st.sampled_from(["Speak", "Play", "DTMF", "Record"]),
       st.dictionaries(st.sampled_from(ACTION_KEYS), json_values, max_size=6))
def test_live_call_actions_never_fail_on_any_body(method, action, body):
    assert_sane(CLIENT.request(method, CLIENT.uri(f"Call/{CALL}/{action}/"), json_body=body))


@FUZZ
@given(st.dictionaries(st.sampled_from(RECORDING_KEYS), query_values, max_size=5))
def test_recording_list_never_fails_on_any_query(query):
    assert_sane(CLIENT.request("GET", CLIENT.uri("Recording/"), query=query))


@FUZZ
@given(st.dictionaries(st.sampled_from(["status", "call_uuid", "bogus"]), query_values, max_size=2))
def test_call_get_never_fails_on_any_query(query):
    assert_sane(CLIENT.request("GET", CLIENT.uri(f"Call/{CALL}/"), query=query))
