"""Check a response body against the schema the operation declares for it.

Which schema: the response's own schema for its status; for a 2xx without one (SendSMS answers
202 and declares its schema on 200, as the rules require), the schema of 200 or 201. Swagger's
``x-nullable: true`` means null is allowed; properties not declared are allowed, as in the
designer, which only shows the declared ones.
"""

from __future__ import annotations

from typing import Any

from ..swagger_schema import success_schema, to_json_schema
from .definition import Operation
from .errors import ResponseMismatch


def check(operation: Operation, status: int, body: Any) -> None:
    schema = success_schema(operation.responses, status)
    if schema is None:
        return
    if body is None:
        raise ResponseMismatch(f"{operation.id}: status {status} came with an empty body; the declared schema "
                               f"expects one", problems=["(empty body)"], body=body)
    from jsonschema import Draft4Validator  # here: building a request (--dry-run) needs no jsonschema

    validator = Draft4Validator(to_json_schema(schema))
    problems = sorted(
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in validator.iter_errors(body))
    if problems:
        raise ResponseMismatch(f"{operation.id}: the {status} response does not match the declared schema:\n  "
                               + "\n  ".join(problems[:20]), problems=problems, body=body)
