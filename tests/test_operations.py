"""Every operation, discovered from connector/operations/: it is rendered, reaches Plivo and lists
its errors. What the four published operations must keep is tests/test_published.py's job."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import published
from tests.project import ROOT

OPERATION_IDS = sorted(p.stem for p in (ROOT / "connector" / "operations").glob("*.yaml"))
PLIVO_HOSTS = ("https://api.plivo.com/v1/Account/MAXXXXXXXXXXXXXXXXXX/", "https://lookup.plivo.com/v1/")


def find(swagger: dict, operation_id: str) -> tuple[str, str, dict]:
    found = published.find(swagger, operation_id)
    if found is None:
        raise AssertionError(f"operation {operation_id} is missing")
    return found


def test_every_rendered_operation_has_a_source_file_named_after_it(swagger):
    rendered = sorted(op["operationId"] for item in swagger["paths"].values() for op in item.values()
                      if isinstance(op, dict) and "operationId" in op)  # not x-ms-notification-content
    assert rendered == OPERATION_IDS


@pytest.mark.parametrize("operation_id", OPERATION_IDS)
def test_operation_reaches_a_plivo_url(operation_id, swagger, api_properties):
    path, _, _ = find(swagger, operation_id)
    assert published.plivo_url(api_properties, path, operation_id).startswith(PLIVO_HOSTS)


@pytest.mark.parametrize("operation_id", OPERATION_IDS)
def test_operation_documents_error_responses(operation_id, swagger):
    _, _, op = find(swagger, operation_id)
    assert {"400", "401", "404", "429"} <= set(op["responses"])
    assert "100 calls per 60 seconds" in op["responses"]["429"]["description"]
    with_schema = [code for code, r in op["responses"].items() if "schema" in r]
    # A webhook trigger's outputs are its x-ms-notification-content; an operation answering only
    # 202/204 (the trigger's clean-up) has none.
    outputs = op.get("x-ms-trigger") != "single" and bool({"200", "201"} & set(op["responses"]))
    assert len(with_schema) == int(outputs) and all(c in ("200", "201") for c in with_schema), with_schema


def test_send_sms_declares_the_202_plivo_really_sends(swagger):
    _, _, op = find(swagger, "SendSMS")
    assert "schema" in op["responses"]["200"] and "schema" not in op["responses"]["202"]


def test_message_uuid_of_a_send_is_a_list_of_strings(swagger):
    _, _, op = find(swagger, "SendSMS")
    schema = published.resolve(swagger, op["responses"]["200"]["schema"])
    prop = schema["properties"]["message_uuid"]
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
