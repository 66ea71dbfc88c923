"""Drop-in compatibility with the published "Plivo (Preview)" connector, one test per operation.

The expectations below are this project's record of what the published connector exposes
(operationIds, methods, Plivo paths, keys, display names, response properties). A flow built on it
refers to exactly these, so each must stay.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.project import ROOT

ACCOUNT = "MAXXXXXXXXXXXXXXXXXX"

MESSAGE_RECORD = {
    "error_code": "Error Code", "from_number": "From", "message_direction": "Message Direction",
    "message_state": "Message Delivery Status", "message_time": "Timestamp", "message_type": "Message Type",
    "message_uuid": "Message UUID", "resource_uri": "Message URI", "to_number": "To",
    "total_amount": "Total Amount", "total_rate": "Rate", "units": "Units",
}

PUBLISHED = {
    "SendSMS": {
        "method": "post", "plivo_path": f"/v1/Account/{ACCOUNT}/Message/", "summary": "Send SMS",
        "inputs": {"src": ("From", True), "dst": ("To", True), "text": ("Message", True)},
        "outputs": {"api_id": "API ID", "message": "Response", "message_uuid": "Message UUID"},
    },
    "ListMessages": {
        "method": "get", "plivo_path": f"/v1/Account/{ACCOUNT}/Message/", "summary": "List all messages",
        "inputs": {},
        "outputs": {"api_id": "API ID", "meta.limit": "Limit", "meta.next": "Next", "meta.offset": "Offset",
                    "meta.previous": "Previous", "meta.total_count": "Total Count", "objects": "Message List",
                    **{f"objects.{k}": v for k, v in MESSAGE_RECORD.items()}},
    },
    "GetMessage": {
        "method": "get", "plivo_path": f"/v1/Account/{ACCOUNT}/Message/{{message_uuid}}/",
        "summary": "Get message",
        "inputs": {"message_uuid": ("Message UUID", True)},
        "outputs": {"api_id": "API ID", **MESSAGE_RECORD},
    },
    "MakeCall": {
        "method": "post", "plivo_path": f"/v1/Account/{ACCOUNT}/Call/", "summary": "Make a call",
        "inputs": {"from": ("From", True), "to": ("To", True), "answer_url": ("Answer URL", True),
                   "answer_method": ("Answer Method", False)},
        "outputs": {"api_id": "API ID", "message": "Response", "request_uuid": "Call UUID"},
    },
}
SUCCESS = {"SendSMS": "200", "ListMessages": "200", "GetMessage": "200", "MakeCall": "201"}


def find(swagger: dict, operation_id: str) -> tuple[str, str, dict]:
    for path, methods in swagger["paths"].items():
        for method, op in methods.items():
            if op["operationId"] == operation_id:
                return path, method, op
    raise AssertionError(f"operation {operation_id} is missing")


def resolve(swagger: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = swagger["definitions"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def flatten(swagger: dict, schema: dict, prefix: str = "") -> dict[str, dict]:
    """Output properties by their path as the designer lists them (meta.limit, objects.units)."""
    out = {}
    for name, prop in resolve(swagger, schema).get("properties", {}).items():
        prop = resolve(swagger, prop)
        out[prefix + name] = prop
        if prop.get("type") == "object":
            out.update(flatten(swagger, prop, f"{prefix}{name}."))
        if prop.get("type") == "array" and resolve(swagger, prop["items"]).get("type") == "object":
            out.update(flatten(swagger, prop["items"], f"{prefix}{name}."))
    return out


def inputs(swagger: dict, op: dict) -> dict[str, tuple[str, bool]]:
    found = {}
    for param in op.get("parameters", []):
        if param["in"] == "body":
            schema = resolve(swagger, param["schema"])
            for name, prop in schema["properties"].items():
                found[name] = (prop["x-ms-summary"], name in schema.get("required", []))
        else:
            found[param["name"]] = (param["x-ms-summary"], param.get("required", False))
    return found


def test_exactly_the_published_operations(swagger):
    ids = sorted(op["operationId"] for methods in swagger["paths"].values() for op in methods.values())
    assert ids == sorted(PUBLISHED)


def test_one_source_file_per_operation_named_after_it():
    names = sorted(p.stem for p in (ROOT / "connector" / "operations").glob("*.yaml"))
    assert names == sorted(PUBLISHED)


@pytest.mark.parametrize("operation_id", sorted(PUBLISHED))
def test_operation_reaches_plivos_path(operation_id, swagger, api_properties):
    path, method, _ = find(swagger, operation_id)
    expected = PUBLISHED[operation_id]
    assert method == expected["method"]
    policy = api_properties["properties"]["policyTemplateInstances"][0]
    assert policy["templateId"] == "dynamichosturl"
    host_url = policy["parameters"]["x-ms-apimTemplateParameter.urlTemplate"].replace(
        "@connectionParameters('username')", ACCOUNT)
    assert host_url + path == "https://api.plivo.com" + expected["plivo_path"]


@pytest.mark.parametrize("operation_id", sorted(PUBLISHED))
def test_operation_keeps_published_summary_and_inputs(operation_id, swagger):
    _, _, op = find(swagger, operation_id)
    expected = PUBLISHED[operation_id]
    assert op["summary"] == expected["summary"]
    found = inputs(swagger, op)
    for key, (display, required) in expected["inputs"].items():
        assert found.get(key) == (display, required), key
    extra_required = [k for k, (_, req) in found.items() if req and k not in expected["inputs"]]
    assert extra_required == [], "a new required input would break existing flows"


@pytest.mark.parametrize("operation_id", sorted(PUBLISHED))
def test_operation_describes_every_published_output(operation_id, swagger):
    _, _, op = find(swagger, operation_id)
    schema = op["responses"][SUCCESS[operation_id]]["schema"]
    found = flatten(swagger, schema)
    for key, display in PUBLISHED[operation_id]["outputs"].items():
        assert key in found, f"output {key} is missing"
        assert found[key]["x-ms-summary"] == display, key


@pytest.mark.parametrize("operation_id", sorted(PUBLISHED))
def test_operation_documents_error_responses(operation_id, swagger):
    _, _, op = find(swagger, operation_id)
    assert {"400", "401", "404", "429"} <= set(op["responses"])
    assert "100 calls per 60 seconds" in op["responses"]["429"]["description"]
    assert [code for code, r in op["responses"].items() if "schema" in r] == [SUCCESS[operation_id]]


def test_send_sms_declares_the_202_plivo_really_sends(swagger):
    _, _, op = find(swagger, "SendSMS")
    assert "schema" in op["responses"]["200"] and "schema" not in op["responses"]["202"]


def test_message_uuid_of_a_send_is_a_list_of_strings(swagger):
    _, _, op = find(swagger, "SendSMS")
    prop = flatten(swagger, op["responses"]["200"]["schema"])["message_uuid"]
    assert prop["type"] == "array" and prop["items"] == {"type": "string"}


def test_connection_matches_the_published_one(api_properties, swagger):
    params = api_properties["properties"]["connectionParameters"]
    assert {k: (v["type"], v["uiDefinition"]["displayName"]) for k, v in params.items()} == {
        "username": ("string", "Auth Id"), "password": ("securestring", "Auth Token")}
    assert swagger["securityDefinitions"] == {"basic_auth": {"type": "basic"}}


def test_throttling_emits_nothing_unknown_into_the_json(rendered):
    for name in ("apiDefinition.swagger.json", "apiProperties.json"):
        assert b"throttl" not in rendered.files[name].lower()
    assert "| API calls per connection | 100 | 60 seconds |" in Path(ROOT / "README.md").read_text()
