"""Drop-downs (x-ms-dynamic-values) on a synthetic definition, resolved against the mock."""

from __future__ import annotations

import pytest

from scripts.runtime import CallError, Connector, InputError, Option, Runtime, UnsupportedError, WsgiTransport, options
from tests.runtime.helpers import CONNECTION, committed


def dropdowns(app, *, on_property=None, on_parameter=None) -> Runtime:
    swagger, properties = committed()
    sms = swagger["paths"]["/Message/"]["post"]["parameters"][0]["schema"]["properties"]
    sms["src"]["x-ms-dynamic-values"] = on_property or {
        "operationId": "ListMessages",
        "parameters": {"message_direction": {"value": "outbound"}, "to_number": {"parameter": "dst"}, "limit": 20},
        "value-collection": "objects", "value-path": "from_number", "value-title": "message_uuid"}
    get = swagger["paths"]["/Message/{message_uuid}/"]["get"]["parameters"][0]
    get["x-ms-dynamic-values"] = on_parameter or {
        "operationId": "ListMessages", "value-collection": "objects", "value-path": "message_uuid",
        "value-title": "to_number"}
    return Runtime(Connector.from_dicts(swagger, properties), CONNECTION, WsgiTransport(app))


def test_body_property_dropdown_uses_literal_and_referenced_inputs(app):
    rt = dropdowns(app)
    first = rt.call("SendSMS", {"src": "14155550100", "dst": "14155550123", "text": "a"}).body["message_uuid"][0]
    rt.call("SendSMS", {"src": "14155550101", "dst": "14155550999", "text": "b"})
    assert options(rt, "SendSMS", "src", {"dst": "14155550123"}) == [Option("14155550100", first)]
    assert app.request_log[-1]["query"] == {"message_direction": ["outbound"], "to_number": ["14155550123"],
                                            "limit": ["20"]}


def test_parameter_dropdown(app):
    rt = dropdowns(app)
    uuid = rt.call("SendSMS", {"src": "14155550100", "dst": "14155550123", "text": "a"}).body["message_uuid"][0]
    assert options(rt, "GetMessage", "message_uuid") == [Option(uuid, "14155550123")]


def test_dropdown_errors(app):
    rt = dropdowns(app)
    with pytest.raises(InputError, match=r"the drop-down of 'src' needs input 'dst' \(it fills parameter 'to_number'"):
        options(rt, "SendSMS", "src")
    with pytest.raises(InputError, match=r"input 'text' of SendSMS has no x-ms-dynamic-values \(inputs with a "
                                         r"drop-down: src\)"):
        options(rt, "SendSMS", "text")
    with pytest.raises(InputError, match=r"unknown input 'from' for SendSMS"):
        options(rt, "SendSMS", "from")
    rt = dropdowns(app, on_property={"capability": "file-picker", "operationId": "ListMessages", "value-path": "x"})
    with pytest.raises(UnsupportedError, match=r"x-ms-dynamic-values of 'src': capability not reproduced"):
        options(rt, "SendSMS", "src")
    rt = dropdowns(app, on_parameter={"operationId": "ListMessages", "value-collection": "items",
                                      "value-path": "message_uuid"})
    with pytest.raises(CallError, match=r"value-collection 'items' finds nothing in the response"):
        options(rt, "GetMessage", "message_uuid")
