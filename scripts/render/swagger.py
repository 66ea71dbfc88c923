"""Render apiDefinition.swagger.json (Swagger 2.0) from the YAML sources, as data.

Key order follows Microsoft's connector templates. Every operation gets the connector-level error
responses, and the 429 response is written from the throttling policy so its text always matches
the limit.
"""

from __future__ import annotations

from typing import Any

from ..sources.load import Sources
from ..sources.origins import Origins
from ..sources.yaml_source import SourceFile

DOCUMENT = "apiDefinition.swagger.json"
METHOD_ORDER = ["get", "put", "post", "patch", "delete"]
JSON_MIME = ["application/json"]

# source key -> swagger key, in output order (keys not listed are not copied)
SCHEMA_KEYS = [
    ("type", "type"), ("format", "format"), ("description", "description"),
    ("summary", "x-ms-summary"), ("visibility", "x-ms-visibility"), ("nullable", "x-nullable"),
    ("default", "default"), ("enum", "enum"), ("pattern", "pattern"), ("minimum", "minimum"),
    ("maximum", "maximum"), ("minLength", "minLength"), ("maxLength", "maxLength"),
    ("minItems", "minItems"), ("maxItems", "maxItems"), ("example", "example"),
    ("notificationUrl", "x-ms-notification-url"),
]
PARAMETER_KEYS = [
    ("name", "name"), ("in", "in"), ("required", "required"), ("type", "type"), ("format", "format"),
    ("default", "default"), ("enum", "enum"), ("pattern", "pattern"), ("minimum", "minimum"),
    ("maximum", "maximum"), ("description", "description"), ("summary", "x-ms-summary"),
    ("visibility", "x-ms-visibility"), ("urlEncoding", "x-ms-url-encoding"),
]
TRIGGER_KINDS = {"polling": "batch", "webhook": "single"}
# The trigger metadata Microsoft's certified polling triggers carry beside x-ms-trigger: batch.
POLLING_METADATA = {"kind": "query", "mode": "polling"}


def dynamic_values(spec: dict) -> dict:
    """x-ms-dynamic-values from a source's dynamicValues, keys in the order of Microsoft's docs."""
    result: dict[str, Any] = {"operationId": spec["operationId"]}
    if "parameters" in spec:
        result["parameters"] = spec["parameters"]
    result["value-collection"] = spec["valueCollection"]
    result["value-path"] = spec["valuePath"]
    result["value-title"] = spec["valueTitle"]
    return result


def throttling_response(throttling: dict) -> str:
    return (f"Too many requests: a connection may make {throttling['calls']} calls per "
            f"{throttling['renewalPeriodSeconds']} seconds; retry after the time in the Retry-After header.")


def render_swagger(sources: Sources, origins: Origins) -> dict[str, Any]:
    connector = sources.connector.data
    renderer = _SchemaRenderer(sources, origins)
    paths: dict[str, dict[str, Any]] = {}
    notifications: dict[str, dict[str, Any]] = {}
    for op in sources.operations:
        data = op.data
        paths.setdefault(data["path"], {})[data["method"]] = _operation(op, sources, renderer, origins)
        if "notification" in data:
            note = data["notification"]
            pointer = ("paths", data["path"], "x-ms-notification-content")
            origins.record(DOCUMENT, pointer, op, ("notification",))
            notifications[data["path"]] = {
                "description": note["description"],
                "schema": renderer.schema(op, note["schema"], ("notification", "schema"), (*pointer, "schema")),
            }
    paths = {path: {**{m: paths[path][m] for m in METHOD_ORDER if m in paths[path]},
                    **({"x-ms-notification-content": notifications[path]} if path in notifications else {})}
             for path in sorted(paths)}

    definitions = {}
    for name, schema in sources.definitions.data.items():
        definitions[name] = renderer.schema(sources.definitions, schema, (name,), ("definitions", name))

    return {
        "swagger": "2.0",
        "info": {
            "title": connector["title"],
            "description": connector["description"],
            "version": connector["version"],
            "contact": dict(connector["contact"]),
        },
        "host": connector["host"],
        "basePath": connector["basePath"],
        "schemes": list(connector["schemes"]),
        "consumes": JSON_MIME,
        "produces": JSON_MIME,
        "paths": paths,
        "definitions": definitions,
        "parameters": {},
        "responses": {},
        "securityDefinitions": {"basic_auth": {"type": "basic"}},
        "security": [{"basic_auth": []}],
        "tags": [],
        "x-ms-connector-metadata": [
            {"propertyName": "Website", "propertyValue": connector["website"]},
            {"propertyName": "Privacy policy", "propertyValue": connector["privacyPolicy"]},
            {"propertyName": "Categories", "propertyValue": ";".join(connector["categories"])},
        ],
        **_capabilities(connector),  # last, as in Microsoft's certified connectors (e.g. Calendly)
    }


def _capabilities(connector: dict) -> dict[str, Any]:
    """x-ms-capabilities: the operation the platform calls to test a connection when it is made."""
    if "testConnection" not in connector:
        return {}
    return {"x-ms-capabilities": {"testConnection": {"operationId": connector["testConnection"],
                                                     "parameters": {}}}}


def _operation(op: SourceFile, sources: Sources, renderer: _SchemaRenderer, origins: Origins) -> dict:
    data = op.data
    pointer = ("paths", data["path"], data["method"])
    origins.record(DOCUMENT, pointer, op, ())
    origins.record(DOCUMENT, (*pointer, "operationId"), op, ("operationId",))
    origins.record(DOCUMENT, (*pointer, "summary"), op, ("summary",))
    origins.record(DOCUMENT, (*pointer, "description"), op, ("description",))
    result: dict[str, Any] = {
        "summary": data["summary"],
        "description": data["description"],
        "operationId": data["operationId"],
    }
    if "visibility" in data:
        result["x-ms-visibility"] = data["visibility"]
    if data.get("deprecated"):
        result["deprecated"] = True
    if "apiAnnotation" in data:
        result["x-ms-api-annotation"] = {"family": data["apiAnnotation"]["family"],
                                         "revision": data["apiAnnotation"]["revision"]}
    if "trigger" in data:
        result["x-ms-trigger"] = TRIGGER_KINDS[data["trigger"]]
        if data["trigger"] == "polling":
            result["x-ms-trigger-metadata"] = dict(POLLING_METADATA)
        if "triggerHint" in data:
            result["x-ms-trigger-hint"] = data["triggerHint"]

    parameters = []
    for index, param in enumerate(data.get("parameters", [])):
        origins.record(DOCUMENT, (*pointer, "parameters", len(parameters)), op, ("parameters", index))
        parameters.append(_parameter(param))
    if "body" in data:
        body = data["body"]
        body_pointer = (*pointer, "parameters", len(parameters))
        origins.record(DOCUMENT, body_pointer, op, ("body",))
        parameters.append({
            "name": body["name"],
            "in": "body",
            "required": body.get("required", True),
            "schema": renderer.schema(op, body["schema"], ("body", "schema"), (*body_pointer, "schema")),
            "description": body["description"],
            "x-ms-summary": body["summary"],
        })
    if parameters:
        result["parameters"] = parameters

    responses: dict[str, tuple[SourceFile, tuple, dict]] = {}
    for code, response in sources.connector.data.get("responses", {}).items():
        responses[code] = (sources.connector, ("responses", code), response)
    responses["429"] = (sources.connector, ("throttling",),
                        {"description": throttling_response(sources.throttling)})
    for code, response in data["responses"].items():
        responses[code] = (op, ("responses", code), response)
    rendered = {}
    for code in sorted(responses, key=lambda c: (c == "default", c)):
        source, path, response = responses[code]
        response_pointer = (*pointer, "responses", code)
        origins.record(DOCUMENT, response_pointer, source, path)
        entry: dict[str, Any] = {"description": response["description"]}
        if "schema" in response:
            entry["schema"] = renderer.schema(source, response["schema"], (*path, "schema"),
                                              (*response_pointer, "schema"))
        rendered[code] = entry
    result["responses"] = rendered
    return result


def _parameter(param: dict) -> dict:
    param = dict(param)
    if param["in"] == "path":
        param["required"] = True
        param.setdefault("urlEncoding", "single")
    result = {out: param[key] for key, out in PARAMETER_KEYS if key in param}
    if "dynamicValues" in param:
        result["x-ms-dynamic-values"] = dynamic_values(param["dynamicValues"])
    return result


class _SchemaRenderer:
    def __init__(self, sources: Sources, origins: Origins):
        self.definitions = sources.definitions
        self.origins = origins

    def schema(self, source: SourceFile, schema: dict, path: tuple, pointer: tuple) -> dict:
        self.origins.record(DOCUMENT, pointer, source, path)
        if "ref" in schema:
            return {"$ref": f"#/definitions/{schema['ref']}"}
        result = {out: schema[key] for key, out in SCHEMA_KEYS if key in schema}
        if "dynamicValues" in schema:
            result["x-ms-dynamic-values"] = dynamic_values(schema["dynamicValues"])
        if "items" in schema:
            result["items"] = self.schema(source, schema["items"], (*path, "items"), (*pointer, "items"))
        properties: dict[str, dict] = {}
        required: list[str] = []
        if "extends" in schema:
            name = schema["extends"]
            base = self.schema(self.definitions, self.definitions.data[name], (name,), pointer)
            self.origins.record(DOCUMENT, pointer, source, path)
            properties.update(base.get("properties", {}))
            required.extend(base.get("required", []))
        for name, child in schema.get("properties", {}).items():
            child_pointer = (*pointer, "properties", name)
            properties[name] = self.schema(source, child, (*path, "properties", name), child_pointer)
            if child.get("required") and name not in required:
                required.append(name)
        if properties:
            result["properties"] = properties
        if required:
            result["required"] = required
        if "additionalProperties" in schema:
            result["additionalProperties"] = schema["additionalProperties"]
        return result
