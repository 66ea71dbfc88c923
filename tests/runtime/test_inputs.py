"""Inputs: conversion by declared type, nested body keys, defaults, and every bad-input error."""

from __future__ import annotations

import pytest

from scripts.runtime import Connector, DefinitionError, InputError, Runtime, WsgiTransport
from tests.runtime.helpers import ACCOUNT_URL, CONNECTION, committed


@pytest.fixture
def typed(app) -> Runtime:
    """A synthetic action with every input type, a nested body and internal defaults."""
    swagger, properties = committed()
    swagger["paths"]["/Typed/{item_id}/"] = {"post": {
        "operationId": "Typed", "summary": "Typed", "description": "Typed inputs.",
        "parameters": [
            {"name": "item_id", "in": "path", "required": True, "type": "string", "x-ms-url-encoding": "double"},
            {"name": "flag", "in": "query", "type": "boolean"},
            {"name": "ratio", "in": "query", "type": "number"},
            {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}},
            {"name": "api-version", "in": "query", "type": "string", "required": True, "default": "2024-01",
             "x-ms-visibility": "internal"},
            {"name": "X-Trace", "in": "header", "type": "string"},
            {"name": "Body", "in": "body", "required": True, "schema": {
                "type": "object", "required": ["name", "address"], "properties": {
                    "name": {"type": "string", "x-ms-summary": "Name"},
                    "count": {"type": "integer"},
                    "meta": {"type": "object"},
                    "address": {"type": "object", "required": ["city"], "properties": {
                        "city": {"type": "string", "x-ms-summary": "City"},
                        "zip": {"type": "string"}}},
                    "kind": {"type": "string", "default": "basic", "x-ms-visibility": "internal"}}}},
        ],
        "responses": {"200": {"description": "ok"}}}}
    return Runtime(Connector.from_dicts(swagger, properties), CONNECTION, WsgiTransport(app))


def test_strings_convert_by_declared_type_and_nest_into_the_body(typed):
    request = typed.build("Typed", {"item_id": "a/b c", "flag": "TRUE", "ratio": "0.5", "tags": '["x","y"]',
                                    "X-Trace": "t1", "name": "n", "count": "3", "meta": '{"k": [1]}',
                                    "address.city": "Paris", "address.zip": "75001"})
    assert request.path == "/Typed/a%252Fb%2520c/"  # x-ms-url-encoding: double
    assert request.query == [("flag", "true"), ("ratio", "0.5"), ("tags", "x,y"), ("api-version", "2024-01")]
    assert request.headers["X-Trace"] == "t1"
    assert request.body == {"name": "n", "count": 3, "meta": {"k": [1]},
                            "address": {"city": "Paris", "zip": "75001"}, "kind": "basic"}


def test_whole_body_as_json_object_with_overrides(typed):
    request = typed.build("Typed", {"item_id": "1", "Body": '{"name": "n", "address": {"city": "Rome"}}',
                                    "address.city": "Oslo"})
    assert request.body == {"name": "n", "address": {"city": "Oslo"}, "kind": "basic"}
    with pytest.raises(InputError, match=r"unknown property 'address.street' in input 'Body'"):
        typed.build("Typed", {"item_id": "1", "Body": {"name": "n", "address": {"city": "R", "street": "s"}}})
    with pytest.raises(InputError, match=r"input 'Body' \(the whole body\) must be a JSON object"):
        typed.build("Typed", {"item_id": "1", "Body": "[1]"})


def test_single_encoding_of_path_parameters(runtime):
    assert runtime.build("GetMessage", {"message_uuid": "a/b c"}).url == f"{ACCOUNT_URL}/Message/a%2Fb%20c/"


def test_query_values_from_the_command_line(runtime):
    request = runtime.build("ListMessages", {"limit": "5", "offset": "0", "message_direction": "inbound"})
    assert request.query == [("limit", "5"), ("offset", "0"), ("message_direction", "inbound")]
    assert request.body is None and "Content-Type" not in request.headers


def test_unknown_operation(runtime):
    with pytest.raises(DefinitionError, match="unknown operationId 'SendSM'; did you mean SendSMS, SendMMS") as caught:
        runtime.build("SendSM")
    assert caught.value.exit_code == 2


def test_missing_required_inputs_are_named_with_what_is_accepted(runtime):
    with pytest.raises(InputError) as caught:
        runtime.build("SendSMS", {"src": "14155550100"})
    message = str(caught.value)
    assert "missing required input(s) for SendSMS: dst (To), text (Message)" in message
    assert "SendSMS accepts: src (string, required), dst (string, required), text (string, required), " \
           "url (string, optional), method (string, optional), " in message
    assert message.endswith("SMS (object: the whole body as JSON)")


def test_missing_nested_required_input(typed):
    with pytest.raises(InputError, match=r"missing required input\(s\) for Typed: address.city \(City\)"):
        typed.build("Typed", {"item_id": "1", "name": "n"})


def test_wrong_type_names_the_input(runtime, typed):
    with pytest.raises(InputError, match=r"input 'limit' \(Limit\) must be an integer, got 'five'\. "
                                         r"ListMessages accepts: limit \(integer, optional\)"):
        runtime.build("ListMessages", {"limit": "five"})
    with pytest.raises(InputError, match=r"input 'limit' \(Limit\) must be an integer, got boolean True"):
        runtime.build("ListMessages", {"limit": True})
    with pytest.raises(InputError, match=r"input 'flag' \(flag\) must be a boolean, got 'yes'"):
        typed.build("Typed", {"item_id": "1", "name": "n", "address.city": "c", "flag": "yes"})
    with pytest.raises(InputError, match=r"input 'meta' \(meta\) must be a JSON object, got '\[1\]'"):
        typed.build("Typed", {"item_id": "1", "name": "n", "address.city": "c", "meta": "[1]"})
    with pytest.raises(InputError, match=r"input 'ratio' \(ratio\) must be a number, got 'nan'"):
        typed.build("Typed", {"item_id": "1", "name": "n", "address.city": "c", "ratio": "nan"})
    with pytest.raises(InputError, match=r"input 'src' \(From\) must be a string, got integer 14155550100"):
        runtime.build("SendSMS", {"src": 14155550100, "dst": "1", "text": "t"})


def test_unknown_input_lists_the_accepted_ones(runtime):
    with pytest.raises(InputError, match=r"unknown input 'auth_id' for GetMessage\. GetMessage accepts: "
                                         r"message_uuid \(string, required\)$"):
        runtime.build("GetMessage", {"message_uuid": "u", "auth_id": "MA"})


def test_internal_inputs_get_their_default_and_are_marked(typed):
    operation = typed.connector.operation("Typed")
    assert operation.input("api-version").internal and operation.input("kind").internal
    with pytest.raises(InputError, match=r"api-version \(string, required, internal\)"):
        typed.build("Typed", {})
