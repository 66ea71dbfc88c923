"""The call operations' request constraints are the mock's, so that "valid by the definition" and
"accepted by the mock" stay the same thing for the contract run (as tests/test_definition_patterns.py
does for messages)."""

from __future__ import annotations

import pytest

from scripts.mock import formats as f
from scripts.mock import live_calls, recordings


def body(swagger, path, method="post"):
    params = swagger["paths"][path][method]["parameters"]
    return next(p for p in params if p["in"] == "body")["schema"]["properties"]


def query(swagger, path, name):
    return next(p for p in swagger["paths"][path]["get"]["parameters"] if p["name"] == name)


@pytest.mark.parametrize(("where", "expected"), [
    (lambda s: body(s, "/Call/{call_uuid}/Speak/")["language"], f"^{live_calls.LANGUAGE}$"),
    (lambda s: body(s, "/Call/{call_uuid}/Play/")["urls"], f"^{live_calls.URL_LIST}$"),
    (lambda s: body(s, "/Call/{call_uuid}/DTMF/")["digits"], f"^{live_calls.DIGITS}$"),
    (lambda s: body(s, "/Call/{call_uuid}/Record/")["callback_url"], f"^{f.URL}$"),
    (lambda s: query(s, "/Call/", "end_time__gte"), f"^{f.FILTER_TIME}$"),
    (lambda s: query(s, "/Call/", "end_time__lte"), f"^{f.FILTER_TIME}$"),
    (lambda s: query(s, "/Recording/", "add_time__gte"), f"^{f.FILTER_TIME}$"),
    (lambda s: query(s, "/Recording/", "add_time__lte"), f"^{f.FILTER_TIME}$"),
], ids=["language", "urls", "digits", "callback_url", "end_time__gte", "end_time__lte", "add_time__gte",
        "add_time__lte"])
def test_definition_pattern_is_the_mocks(where, expected, swagger):
    assert where(swagger)["pattern"] == expected


def test_enums_and_ranges_are_the_mocks(swagger):
    speak = body(swagger, "/Call/{call_uuid}/Speak/")
    assert speak["voice"]["enum"] == list(live_calls.VOICES)
    assert speak["legs"]["enum"] == list(live_calls.LEGS)
    assert speak["text"]["maxLength"] == live_calls.MAX_TEXT
    assert body(swagger, "/Call/{call_uuid}/Play/")["legs"]["enum"] == list(live_calls.LEGS)
    assert body(swagger, "/Call/{call_uuid}/Play/")["length"]["maximum"] == live_calls.MAX_PLAY_LENGTH
    assert body(swagger, "/Call/{call_uuid}/DTMF/")["leg"]["enum"] == list(live_calls.DTMF_LEGS)
    record = body(swagger, "/Call/{call_uuid}/Record/")
    assert record["file_format"]["enum"] == list(recordings.FORMATS)
    assert (record["time_limit"]["minimum"], record["time_limit"]["maximum"]) == (1, recordings.MAX_TIME_LIMIT)
    assert record["callback_method"]["enum"] == ["GET", "POST"]
    assert query(swagger, "/Recording/", "limit")["maximum"] == 20
    assert query(swagger, "/Call/", "limit")["maximum"] == 20
