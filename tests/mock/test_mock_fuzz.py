"""Property tests: whatever a client sends, the mock answers with a JSON body and never a 5xx."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mock_helpers import ACCOUNTS, WsgiClient

from scripts.mock import create_app

APP = create_app(ACCOUNTS, throttle=None)  # one app for all examples: fixtures do not mix with @given
CLIENT = WsgiClient(APP)

SEND_KEYS = ["src", "dst", "text", "type", "url", "method", "log", "trackable", "powerpack_uuid", "media_urls",
             "media_ids", "message_expiry", "template", "bogus"]
CALL_KEYS = ["from", "to", "answer_url", "answer_method", "time_limit", "ring_timeout", "caller_name",
             "machine_detection", "machine_detection_time", "send_digits", "parent_call_uuid",
             "error_if_parent_not_found", "bogus"]
LIST_KEYS = ["limit", "offset", "message_direction", "message_state", "message_type", "error_code",
             "from_number", "to_number", "subaccount", "message_time", "message_time__gt", "message_time__lte",
             "powerpack_id", "status", "call_direction", "end_time__gte", "bill_duration", "hangup_cause_code",
             "bogus"]

# Text from a fixed alphabet (ASCII, separators, other scripts' digits, controls): st.text() would
# make hypothesis write a .hypothesis/ cache into the work tree.
ALPHABET = [chr(c) for c in range(32, 127)] + ["\n", "\x00", "é", "\u0663", "\u2028", "\U0001f600", "<", "+"]


def texts(max_size: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(ALPHABET), max_size=max_size).map("".join)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | texts(30) | st.sampled_from(["14155550123", "sms", "mms", "whatsapp", "GET", "https://e.com/x",
                                               "14155550001<bad<14155550002", "true"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts(5), children, max_size=3),
    max_leaves=6,
)
query_values = texts(25) | st.sampled_from(["0", "1", "20", "21", "-1", "2024-01-01 10:00", "live",
                                                       "inbound", "sent", "000", "SACCCCCCCCCCCCCCCCCC"])
# database=None: no .hypothesis folder in the work tree.
FUZZ = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def assert_sane(result) -> None:
    assert result.status < 500, result
    if result.status == 204:
        assert result.body == b""
        return
    body = json.loads(result.body)
    if result.status >= 400:
        assert isinstance(body["error"], str) and body["error"]


@FUZZ
@given(st.dictionaries(st.sampled_from(SEND_KEYS), json_values, max_size=8))
def test_send_never_fails_on_any_body(body):
    assert_sane(CLIENT.request("POST", CLIENT.uri("Message/"), json_body=body))


@FUZZ
@given(st.dictionaries(st.sampled_from(CALL_KEYS), json_values, max_size=8))
def test_make_call_never_fails_on_any_body(body):
    assert_sane(CLIENT.request("POST", CLIENT.uri("Call/"), json_body=body))


@FUZZ
@given(st.sampled_from(["Message/", "Call/"]), st.dictionaries(st.sampled_from(LIST_KEYS), query_values, max_size=5))
def test_lists_never_fail_on_any_query(tail, query):
    assert_sane(CLIENT.request("GET", CLIENT.uri(tail), query=query))


@FUZZ
@given(st.sampled_from(["GET", "POST", "DELETE", "PUT"]), texts(40), st.binary(max_size=60),
       st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain", ""]))
def test_any_path_method_and_raw_body(method, tail, raw, content_type):
    for path in (CLIENT.uri(tail), "/" + tail, "/_mock/" + tail):
        assert_sane(CLIENT.request(method, path, data=raw, content_type=content_type))
