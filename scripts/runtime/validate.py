"""Check a response body against the schema the operation declares for it.

Which schema: the response's own schema for its status; for a 2xx without one (SendSMS answers
202 and declares its schema on 200, as the rules require), the schema of 200 or 201. Swagger's
``x-nullable: true`` means null is allowed; properties not declared are allowed, as in the
designer, which only shows the declared ones.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft4Validator

from .definition import Operation
from .errors import ResponseMismatch

# Keywords that are Swagger 2.0 but not JSON Schema draft 4 (ignored by the check).
SWAGGER_ONLY = ("discriminator", "readOnly", "xml", "externalDocs", "example")


def response_schema(operation: Operation, status: int) -> dict[str, Any] | None:
    own = operation.responses.get(str(status)) or {}
    if own.get("schema"):
        return own["schema"]
    if 200 <= status < 300:
        for code in ("200", "201"):
            schema = (operation.responses.get(code) or {}).get("schema")
            if schema:
                return schema
    return None


def to_json_schema(schema: Any) -> Any:
    """A Swagger schema (refs already inlined) as JSON Schema draft 4."""
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


def check(operation: Operation, status: int, body: Any) -> None:
    schema = response_schema(operation, status)
    if schema is None:
        return
    if body is None:
        raise ResponseMismatch(f"{operation.id}: status {status} came with an empty body; the declared schema "
                               f"expects one", problems=["(empty body)"], body=body)
    validator = Draft4Validator(to_json_schema(schema))
    problems = sorted(
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in validator.iter_errors(body))
    if problems:
        raise ResponseMismatch(f"{operation.id}: the {status} response does not match the declared schema:\n  "
                               + "\n  ".join(problems[:20]), problems=problems, body=body)
