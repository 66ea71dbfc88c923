"""Shared pieces of the runtime tests: the account, synthetic definitions, a live mock server."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from werkzeug.test import Client

from scripts.runtime import Connector
from tests.support import serve  # noqa: F401 -- re-exported for the tests of this package

ROOT = Path(__file__).resolve().parents[2]
AUTH_ID = "MARUNTIMETEST0000001"
TOKEN = "s3cret-token-never-printed"
CONNECTION = {"username": AUTH_ID, "password": TOKEN}
ACCOUNT_URL = f"https://api.plivo.com/v1/Account/{AUTH_ID}"


def committed() -> tuple[dict[str, Any], dict[str, Any]]:
    """Fresh copies of the committed apiDefinition.swagger.json and apiProperties.json."""
    return tuple(json.loads((ROOT / name).read_text()) for name in  # type: ignore[return-value]
                 ("apiDefinition.swagger.json", "apiProperties.json"))


def policy(template: str, operations: list[str] | None = None, **params: Any) -> dict[str, Any]:
    parameters = {f"x-ms-apimTemplateParameter.{k}": v for k, v in params.items()}
    if operations is not None:
        parameters["x-ms-apimTemplate-operationName"] = operations
    return {"templateId": template, "title": f"test {template}", "parameters": parameters}


def with_policies(*extra: dict[str, Any], keep: bool = True) -> Connector:
    """The committed connector with ``extra`` policies after (or, keep=False, instead of) its own."""
    swagger, properties = committed()
    own = properties["properties"]["policyTemplateInstances"] if keep else []
    properties["properties"]["policyTemplateInstances"] = [*own, *extra]
    return Connector.from_dicts(swagger, properties)


TRIGGER_ID = "OnNewInboundMessage"
STATE_EXPRESSION = "@{triggerBody().objects[0].message_time}"


def trigger_definition(*, config: dict[str, str] | None = None, data_path: str = "@triggerBody().objects"
                       ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The committed files plus a polling trigger on GET /Message/ (declared under /trigger/ as
    Microsoft's connectors do) with internal required state parameters, and its policy."""
    swagger, properties = committed()
    swagger["paths"]["/trigger/Message/"] = {"get": {
        "operationId": TRIGGER_ID,
        "summary": "When a message arrives",
        "description": "This operation triggers when a message arrives.",
        "x-ms-trigger": "batch",
        "x-ms-trigger-metadata": {"kind": "query", "mode": "polling"},
        "parameters": [
            {"name": "message_direction", "in": "query", "type": "string", "required": True,
             "default": "inbound", "x-ms-visibility": "internal", "x-ms-summary": "Direction",
             "description": "Only inbound messages."},
            {"name": "message_time__gt", "in": "query", "type": "string", "required": True,
             "default": "2000-01-01 00:00:00", "x-ms-visibility": "internal", "x-ms-summary": "After",
             "description": "The trigger state: messages after this time."},
            {"name": "to_number", "in": "query", "type": "string", "x-ms-summary": "To",
             "description": "Only messages to this number."},
        ],
        "responses": {"200": {"description": "New messages.", "schema": {"$ref": "#/definitions/MessageList"}}},
    }}
    properties["properties"]["policyTemplateInstances"].append({
        "templateId": "pollingtrigger", "title": "New messages", "type": "PollingTrigger",
        "parameters": {
            "x-ms-apimTemplateParameter.triggerConfig": config or {"message_time__gt": STATE_EXPRESSION},
            "x-ms-apimTemplateParameter.triggerDataPath": data_path,
            "x-ms-apimTemplate-operationName": [TRIGGER_ID],
        }})
    return swagger, properties


def write_root(path: Path, swagger: dict[str, Any], properties: dict[str, Any]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    (path / "apiDefinition.swagger.json").write_text(json.dumps(swagger))
    (path / "apiProperties.json").write_text(json.dumps(properties))
    return path


def inbound(app: Any, text: str, *, frm: str = "14155550177", to: str = "14155550100") -> str:
    """An inbound message through the mock's control API; returns its uuid."""
    response = Client(app).post("/_mock/inbound", json={"auth_id": AUTH_ID, "from": frm, "to": to, "text": text})
    assert response.status_code == 201, response.get_data()
    return response.get_json()["message_uuid"]


def deep(value: Any) -> Any:
    return copy.deepcopy(value)
