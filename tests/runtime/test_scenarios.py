"""End-to-end scenarios on the mock, through the emulator only."""

from __future__ import annotations

import re

import pytest

from scripts.runtime import CallError, Connector, Runtime, WsgiTransport
from tests.runtime.helpers import ACCOUNT_URL, AUTH_ID, CONNECTION, committed


def test_send_read_back_and_find_in_list(runtime, app):
    sent = runtime.call("SendSMS", {"src": "+14155550100", "dst": "14155550123", "text": "from the emulator"})
    assert sent.status == 202  # Plivo's status; checked against the 200 schema
    assert sent.body["message"] == "message(s) queued"
    uuid, = sent.body["message_uuid"]
    app.clock.advance(6)
    got = runtime.call("GetMessage", {"message_uuid": uuid})
    assert got.body["message_uuid"] == uuid
    assert got.body["message_state"] == "delivered"
    assert got.body["error_code"] == "000"
    assert (got.body["from_number"], got.body["to_number"]) == ("14155550100", "14155550123")
    listed = runtime.call("ListMessages", {"to_number": "14155550123", "message_direction": "outbound"})
    assert [m["message_uuid"] for m in listed.body["objects"]] == [uuid]
    assert listed.body["meta"]["total_count"] == 1


def test_unknown_message_is_a_call_error_with_the_status(runtime):
    with pytest.raises(CallError) as caught:
        runtime.call("GetMessage", {"message_uuid": "00000000-0000-0000-0000-000000000000"})
    assert caught.value.status == 404
    assert caught.value.exit_code == 1


def test_make_call(runtime, app, connector):
    fired = runtime.call("MakeCall", {"from": "14155550100", "to": "14155550123",
                                      "answer_url": "https://example.com/answer"})
    assert fired.status == 201
    assert fired.body["message"] == "call fired"
    assert fired.body["request_uuid"]
    # The mock recorded exactly the call the connector asked for.
    entry = app.request_log[-1]
    assert (entry["method"], entry["path"]) == ("POST", f"/v1/Account/{AUTH_ID}/Call/")
    assert entry["json"] == {"from": "14155550100", "to": "14155550123", "answer_url": "https://example.com/answer"}


def test_account_id_comes_from_the_connection_through_dynamichosturl(connector, app):
    for operation in connector.operations.values():
        keys = {inp.key.lower() for inp in operation.inputs}
        assert not keys & {"auth_id", "authid", "account", "account_id"}, operation.id
        placeholders = set(re.findall(r"\{([^{}]+)\}", operation.path))
        assert not {p.lower() for p in placeholders} & {"auth_id", "authid", "account", "account_id"}, operation.path
        assert placeholders <= {inp.wire_name for inp in operation.inputs if inp.location == "path"}, operation.id
    runtime = Runtime(connector, CONNECTION, WsgiTransport(app))
    assert runtime.build("ListMessages").url == f"{ACCOUNT_URL}/Message/"
    # Without the policy the same definition would call the bare basePath: the policy does it.
    swagger, properties = committed()
    properties["properties"]["policyTemplateInstances"] = []
    bare = Runtime(Connector.from_dicts(swagger, properties), CONNECTION, WsgiTransport(app))
    assert bare.build("ListMessages").url == "https://api.plivo.com/v1/Account/Message/"
