"""Response checking against the declared schema."""

from __future__ import annotations

import json

import pytest

from scripts.runtime import HttpResponse, ResponseMismatch, Runtime
from tests.runtime.helpers import CONNECTION

SMS = {"src": "14155550100", "dst": "14155550123", "text": "hi"}


class Canned:
    """A transport that answers every request with the same response."""

    def __init__(self, status: int, body) -> None:
        self.response = HttpResponse(status, {"Content-Type": "application/json"},
                                     b"" if body is None else json.dumps(body).encode())

    def send(self, request):
        return self.response


def test_202_without_schema_is_checked_against_the_200_schema(connector):
    rt = Runtime(connector, CONNECTION, Canned(202, {"api_id": "a", "message": "queued", "message_uuid": "not-a-list"}))
    with pytest.raises(ResponseMismatch, match=r"the 202 response does not match the declared schema:\n  "
                                               r"message_uuid: 'not-a-list' is not of type 'array'") as caught:
        rt.call("SendSMS", SMS)
    assert caught.value.exit_code == 1


def test_x_nullable_allows_null_and_only_there(connector):
    message = {"message_uuid": "u", "error_code": None, "units": 1, "extra_field": "allowed"}
    assert Runtime(connector, CONNECTION, Canned(200, message)).call("GetMessage", {"message_uuid": "u"}).body
    with pytest.raises(ResponseMismatch, match=r"units: None is not of type 'integer'"):
        Runtime(connector, CONNECTION, Canned(200, {**message, "units": None})).call("GetMessage",
                                                                                    {"message_uuid": "u"})
    listing = {"meta": {"next": None, "previous": None, "limit": 20}, "objects": [message]}
    assert Runtime(connector, CONNECTION, Canned(200, listing)).call("ListMessages").body == listing
    with pytest.raises(ResponseMismatch, match=r"objects/0/units: 'x' is not of type 'integer'"):
        Runtime(connector, CONNECTION, Canned(200, {"objects": [{"units": "x"}]})).call("ListMessages")


def test_empty_body_where_a_schema_is_declared(connector):
    with pytest.raises(ResponseMismatch, match="status 201 came with an empty body"):
        Runtime(connector, CONNECTION, Canned(201, None)).call("MakeCall", {"from": "1", "to": "2", "answer_url": "h"})
