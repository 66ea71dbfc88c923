"""A flat record of what a flow built on an operation depends on, and the pinned copy of the four
operations of the published "Plivo (Preview)" connector.

``snapshot`` reduces an operation of a rendered definition to the facts a saved flow refers to: its
operationId, method, full Plivo URL, summary, the keys of its inputs (with where they go, their type,
whether they are required and their display name) and its output properties by the path the
designer shows (``meta.limit``, ``objects.units``). ``tests/fixtures/published/operations.json``
holds that record for SendSMS, ListMessages, GetMessage and MakeCall as they were rendered before
issue 7 added operations; ``tests/test_published.py`` compares the current definition with it.

Regenerate the fixture only to record a deliberate, reviewed change (a flow would notice):

    python -m tests.published > tests/fixtures/published/operations.json
"""

from __future__ import annotations

import json
from typing import Any

from tests.project import FIXTURES

PINNED_FILE = FIXTURES / "published" / "operations.json"
PUBLISHED_OPERATIONS = ("SendSMS", "ListMessages", "GetMessage", "MakeCall")
ACCOUNT = "MAXXXXXXXXXXXXXXXXXX"


def find(swagger: dict, operation_id: str) -> tuple[str, str, dict] | None:
    for path, methods in swagger["paths"].items():
        for method, op in methods.items():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return path, method, op
    return None


def resolve(swagger: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = swagger["definitions"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _shape(prop: dict) -> dict[str, Any]:
    """The parts of a property's schema a flow's saved values depend on."""
    shape = {"type": prop.get("type"), "summary": prop.get("x-ms-summary")}
    for key in ("format", "enum"):
        if key in prop:
            shape[key] = prop[key]
    if prop.get("type") == "array":
        shape["items"] = prop["items"].get("type")
    return shape


def outputs(swagger: dict, schema: dict, prefix: str = "") -> dict[str, dict]:
    found: dict[str, dict] = {}
    for name, prop in resolve(swagger, schema).get("properties", {}).items():
        prop = resolve(swagger, prop)
        found[prefix + name] = _shape(prop)
        if prop.get("type") == "object":
            found.update(outputs(swagger, prop, f"{prefix}{name}."))
        if prop.get("type") == "array":
            items = resolve(swagger, prop["items"])
            if items.get("type") == "object":
                found.update(outputs(swagger, items, f"{prefix}{name}."))
    return found


def inputs(swagger: dict, op: dict) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for param in op.get("parameters", []):
        if param["in"] == "body":
            schema = resolve(swagger, param["schema"])
            found[param["name"]] = {"in": "body", "type": "object", "summary": param.get("x-ms-summary"),
                                    "required": bool(param.get("required"))}
            for name, prop in schema.get("properties", {}).items():
                found[f"{param['name']}.{name}"] = {"in": "body", **_shape(resolve(swagger, prop)),
                                                    "required": name in schema.get("required", [])}
        else:
            found[param["name"]] = {"in": param["in"], **_shape(param), "required": bool(param.get("required"))}
    return found


def plivo_url(properties: dict, path: str, operation_id: str) -> str:
    """The URL the platform calls: the dynamichosturl template that applies to the operation + path."""
    for policy in properties["properties"].get("policyTemplateInstances", []):
        params = policy["parameters"]
        scope = params.get("x-ms-apimTemplate-operationName")
        if policy["templateId"] == "dynamichosturl" and (scope is None or operation_id in scope):
            template = params["x-ms-apimTemplateParameter.urlTemplate"]
            return template.replace("@connectionParameters('username')", ACCOUNT) + path
    raise AssertionError(f"no dynamichosturl policy applies to {operation_id}")


def snapshot(swagger: dict, properties: dict, operation_id: str) -> dict[str, Any]:
    found = find(swagger, operation_id)
    if found is None:
        raise AssertionError(f"operation {operation_id} is missing")
    path, method, op = found
    success = sorted(code for code, r in op["responses"].items() if "schema" in r)
    return {
        "operationId": operation_id,
        "method": method,
        "url": plivo_url(properties, path, operation_id),
        "summary": op.get("summary"),
        "success": success,
        "inputs": inputs(swagger, op),
        "outputs": {code: outputs(swagger, op["responses"][code]["schema"]) for code in success},
    }


def breaking_changes(pinned: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """What a saved flow built on the pinned operation would notice in ``now``, one line each.

    Allowed: new optional inputs, new outputs, an enum that grows. Anything pinned that is removed,
    renamed, retyped, relabelled or changes whether it is required is reported.
    """
    op_id = pinned["operationId"]
    problems = [f"{op_id}: {key} {pinned[key]!r} became {now[key]!r}"
                for key in ("method", "url", "summary", "success") if now[key] != pinned[key]]
    for key, shape in pinned["inputs"].items():
        if key not in now["inputs"]:
            problems.append(f"{op_id}: input {key} was removed or renamed")
            continue
        found = dict(now["inputs"][key])
        if "enum" in shape and set(shape["enum"]) <= set(found.get("enum", [])):
            found["enum"] = shape["enum"]  # every value a saved flow may hold is still accepted
        if found != shape:
            problems.append(f"{op_id}: input {key} {shape} became {found}")
    problems += [f"{op_id}: new input {key} is required" for key, shape in now["inputs"].items()
                 if key not in pinned["inputs"] and shape["required"]]
    for code, pinned_outputs in pinned["outputs"].items():
        now_outputs = now["outputs"].get(code, {})
        for key, shape in pinned_outputs.items():
            if key not in now_outputs:
                problems.append(f"{op_id}: output {key} ({code}) was removed or renamed")
            elif now_outputs[key] != shape:
                problems.append(f"{op_id}: output {key} ({code}) {shape} became {now_outputs[key]}")
    return problems


def main() -> int:
    from scripts.render.artifacts import render_artifacts
    from tests.project import ROOT

    rendered = render_artifacts(ROOT)
    pinned = [snapshot(rendered.swagger, rendered.properties, op_id) for op_id in PUBLISHED_OPERATIONS]
    print(json.dumps(pinned, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
