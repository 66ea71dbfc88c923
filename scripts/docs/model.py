"""The data the documentation templates show, read from the rendered definition and properties.

Operations are discovered from the definition (never listed by hand), split into actions and
triggers and sorted by their display name, as Microsoft's connector reference pages are.
"""

from __future__ import annotations

import re
from typing import Any

from ..package.logic_apps import LogicAppsError, plan
from ..runtime.definition import Connector, Operation

SUCCESS = ("200", "201", "202", "204")
MAX_DEPTH = 4  # response properties nested deeper are summarised by their parent row


def document_model(swagger: dict[str, Any], properties: dict[str, Any], throttling: dict[str, Any],
                   connector: Connector | None = None, wire: dict[str, str] | None = None) -> dict[str, Any]:
    """``connector`` and ``wire`` (``Connector.from_dicts`` and ``wire_paths`` of the same two
    documents) may be given by a caller that has them already: on a big definition each costs
    about as much as rendering the pages."""
    connector = Connector.from_dicts(swagger, properties) if connector is None else connector
    ops = sorted(connector.operations.values(), key=lambda op: (op.summary.lower(), op.id))
    metadata = {m["propertyName"]: m["propertyValue"] for m in swagger.get("x-ms-connector-metadata", [])}
    props = properties["properties"]
    wire = wire_paths(swagger, properties) if wire is None else wire
    try:
        logic_apps = plan(swagger, properties)
        logic_apps_error = ""
    except LogicAppsError as error:
        logic_apps, logic_apps_error = None, str(error)
    return {
        "title": swagger["info"]["title"],
        "description": swagger["info"]["description"],
        "version": swagger["info"].get("version", ""),
        "contact": swagger["info"].get("contact", {}),
        "publisher": props.get("publisher", ""),
        "stack_owner": props.get("stackOwner", ""),
        "website": metadata.get("Website", ""),
        "privacy_policy": metadata.get("Privacy policy", ""),
        "categories": metadata.get("Categories", ""),
        "auth_type": next(iter(swagger.get("securityDefinitions", {}).values()), {}).get("type", "none"),
        "connection": [_connection_parameter(key, spec) for key, spec in props.get("connectionParameters", {}).items()],
        "policies": [{"template": p.get("templateId", ""), "title": p.get("title", "")}
                     for p in props.get("policyTemplateInstances") or []],
        "throttling": throttling,
        "actions": [_operation(op, swagger, wire) for op in ops if not op.trigger],
        "triggers": [_operation(op, swagger, wire) for op in ops if op.trigger],
        "logic_apps_omitted": logic_apps.omitted if logic_apps else {},
        "logic_apps_error": logic_apps_error,
    }


def _connection_parameter(key: str, spec: dict[str, Any]) -> dict[str, Any]:
    ui = spec.get("uiDefinition", {})
    return {"key": key, "type": spec.get("type", ""), "name": ui.get("displayName", key),
            "description": " ".join(t for t in (ui.get("description", ""), ui.get("tooltip", "")) if t),
            "required": str(ui.get("constraints", {}).get("required", "false")).lower() == "true"}


def wire_paths(swagger: dict[str, Any], properties: dict[str, Any]) -> dict[str, str]:
    """operationId -> the request as sent, where a policy limited to it changes the host or path
    (LookupNumber: lookup.plivo.com; SendMMS: /Message/). Empty when a policy cannot be followed."""
    from ..expressions import ExpressionError
    from ..policy_routes import RouteError, operation_routes

    try:
        routes = operation_routes(swagger, properties, {"username": "AUTH_ID", "password": ""})
    except (RouteError, ExpressionError):
        return {}
    return {r.operation_id: (r.base or "") + r.path for r in routes}


def _operation(op: Operation, swagger: dict[str, Any], wire: dict[str, str]) -> dict[str, Any]:
    spec = swagger["paths"][op.path][op.method.lower()]
    inputs = [{"name": i.name, "key": i.key, "required": i.required, "type": _type(i.schema) or "object",
               "description": i.description, "internal": i.internal} for i in op.inputs]
    status = next((code for code in SUCCESS if code in op.responses), None)
    response = op.responses.get(status, {}) if status else {}
    if op.notification is not None:
        # A webhook trigger's outputs are what the service posts to the flow, not the registration's answer.
        status, response = None, op.notification
    schema = response.get("schema")
    returns = _properties(schema, "", 0) if schema else []
    return {
        "id": op.id, "summary": op.summary, "anchor": anchor(op.summary), "description": op.description,
        "method": op.method, "path": wire.get(op.id, op.path), "deprecated": bool(spec.get("deprecated")),
        "internal": op.visibility == "internal",
        "trigger": op.trigger, "inputs": [i for i in inputs if not i["internal"]],
        "status": status, "returns_description": response.get("description", ""),
        "returns_type": _type(schema) if schema else "", "returns": returns,
    }


def _type(schema: dict[str, Any]) -> str:
    kind = schema.get("type", "")
    if kind == "array":
        item = schema.get("items", {})
        return f"array of {_type(item) or 'object'}"
    if kind in ("", "object") and schema.get("properties"):
        return "object"
    return kind


def _properties(schema: dict[str, Any], prefix: str, depth: int) -> list[dict[str, Any]]:
    """One row per property, with its dotted path; array items' properties under the array's path."""
    if schema.get("type") == "array":
        schema = schema.get("items", {})
    rows = []
    for name, prop in (schema.get("properties") or {}).items():
        path = f"{prefix}{name}"
        rows.append({"name": prop.get("x-ms-summary", name), "path": path, "type": _type(prop) or "object",
                     "description": prop.get("description", "")})
        nested = prop.get("items", {}) if prop.get("type") == "array" else prop
        if nested.get("properties") and depth + 1 < MAX_DEPTH:
            rows.extend(_properties(nested, f"{path}.", depth + 1))
    return rows



def anchor(heading: str) -> str:
    """The fragment GitHub and Microsoft Learn give a Markdown heading."""
    return re.sub(r"[^a-z0-9 _-]", "", heading.lower()).replace(" ", "-")
