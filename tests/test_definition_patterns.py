"""The definition's request patterns are the mock's validation patterns.

schemathesis demands that exactly what the definition allows is accepted (and the rest refused),
so the two must not drift apart.
"""

from __future__ import annotations

import pytest

from scripts.mock import formats as f


def body(swagger, path, method):
    return swagger["paths"][path][method]["parameters"][0]["schema"]["properties"]


def query(swagger, name):
    return next(p for p in swagger["paths"]["/Message/"]["get"]["parameters"] if p["name"] == name)


@pytest.mark.parametrize(("where", "expected"), [
    (lambda s: body(s, "/Message/", "post")["src"], f"^({f.PHONE}|{f.SENDER_ID})$"),
    (lambda s: body(s, "/Message/", "post")["dst"], f"^([^<]*<)*{f.PHONE}(<[^<]*)*$"),
    (lambda s: body(s, "/Message/", "post")["url"], f"^{f.URL}$"),
    (lambda s: body(s, "/Call/", "post")["from"], f"^{f.PHONE}$"),
    (lambda s: body(s, "/Call/", "post")["to"], f"^({f.PHONE}|{f.SIP})$"),
    (lambda s: body(s, "/Call/", "post")["answer_url"], f"^{f.URL}$"),
    (lambda s: query(s, "message_time__gte"), f"^{f.FILTER_TIME}$"),
    (lambda s: query(s, "message_time__lte"), f"^{f.FILTER_TIME}$"),
], ids=["src", "dst", "url", "from", "to", "answer_url", "message_time__gte", "message_time__lte"])
def test_definition_pattern_is_the_mocks(where, expected, swagger):
    assert where(swagger)["pattern"] == expected


def test_enums_are_the_mocks(swagger):
    assert body(swagger, "/Message/", "post")["method"]["enum"] == ["GET", "POST"]
    assert body(swagger, "/Call/", "post")["answer_method"]["enum"] == ["GET", "POST"]
    assert query(swagger, "limit")["maximum"] == 20
