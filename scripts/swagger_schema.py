"""Swagger 2.0 schemas as the rest of the tooling needs them: $refs inlined, or as JSON Schema.

One implementation for the README renderer, the contract run's checks and the runtime emulator,
so that all three read a definition the same way.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up of `run --list`)
if TYPE_CHECKING:
    from typing import Any

# Keywords that are Swagger 2.0 but not JSON Schema draft 4.
SWAGGER_ONLY = ("discriminator", "readOnly", "xml", "externalDocs", "example")


class SchemaRefError(ValueError):
    """A $ref that is not local, points at nothing, or loops."""


def resolve_refs(node: Any, swagger: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    """``node`` with every local ``$ref`` inlined."""
    if isinstance(node, list):
        return [resolve_refs(item, swagger, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        if not ref.startswith("#/"):
            raise SchemaRefError(f"$ref {ref!r}: only local references (#/...) can be resolved")
        if ref in seen:
            raise SchemaRefError(f"$ref loop: {' -> '.join((*seen, ref))}")
        target: Any = swagger
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                raise SchemaRefError(f"$ref {ref!r} points at nothing")
            target = target[part]
        return resolve_refs(target, swagger, (*seen, ref))
    return {key: resolve_refs(value, swagger, seen) for key, value in node.items()}


def to_json_schema(schema: Any) -> Any:
    """A Swagger schema (refs already inlined) as JSON Schema draft 4; ``x-nullable`` allows null."""
    if isinstance(schema, list):
        return [to_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {k: to_json_schema(v) for k, v in schema.items()
                 if not k.startswith("x-") and k not in SWAGGER_ONLY}
    if "properties" in schema:  # property names are data, not keywords: keep every one
        converted["properties"] = {name: to_json_schema(prop) for name, prop in schema["properties"].items()}
    if schema.get("x-nullable") is True:
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def success_schema(responses: dict[str, Any], status: int) -> dict[str, Any] | None:
    """The schema a response of ``status`` must match: its own, or for a 2xx without one (SendSMS
    answers 202 while its schema sits on 200, as the rules require) the schema on 200 or 201."""
    own = responses.get(str(status)) or {}
    if own.get("schema"):
        return own["schema"]
    if 200 <= status < 300:
        for code in ("200", "201"):
            schema = (responses.get(code) or {}).get("schema")
            if schema:
                return schema
    return None
