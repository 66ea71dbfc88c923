"""The contract run's own checks, registered with schemathesis.

- ``success_body_matches_output_schema``: Power Platform shows outputs only from a schema on 200 or
  201, so SendSMS keeps its schema on 200 while Plivo answers 202. schemathesis validates a body
  only against the schema of its own status code, so a 202 body would go unchecked; this check
  validates every 2xx body that has no schema of its own against the operation's 200/201 schema.
- ``every_operation_succeeded``: a run in which some operation never answered 2xx proved nothing
  about its success schema (an all-401 run is not a pass).
- ``valid_data_accepted_unless_known_refusal``: schemathesis' positive-data check for the operations
  whose well-formed requests Plivo refuses for a reason Swagger 2.0 cannot state (``KNOWN_REFUSALS``):
  a 400 passes only when its error is that documented reason; any other refusal still fails.
"""

from __future__ import annotations

import json
import re

import jsonschema
import schemathesis

from ..swagger_schema import resolve_refs, success_schema, to_json_schema


def output_schema(swagger: dict, operation: dict, status: int = 200) -> dict | None:
    """The schema a ``status`` answer must match, $refs inlined, as JSON Schema (x-nullable: null)."""
    schema = success_schema(operation.get("responses", {}), status)
    return None if schema is None else to_json_schema(resolve_refs(schema, swagger))


# (id of the whole definition, operation, status) -> (that definition, validator): the schema is
# resolved and its validator built once per operation and status, not once per response. Holding
# the definition keeps its id from being reused by another run's definition in the same process.
_VALIDATORS: dict[tuple[int, str, int], tuple[dict, jsonschema.Draft4Validator | None]] = {}


def _output_validator(swagger: dict, label: str, operation: dict, status: int) -> jsonschema.Draft4Validator | None:
    key = (id(swagger), label, status)
    if key not in _VALIDATORS:
        if len(_VALIDATORS) > 1024:  # runs in one process (the tests) each bring their own definition
            _VALIDATORS.clear()
        schema = output_schema(swagger, operation, status)
        _VALIDATORS[key] = (swagger, None if schema is None else jsonschema.Draft4Validator(schema))
    return _VALIDATORS[key][1]


def _operation_definition(case) -> dict:
    return case.operation.definition.raw


@schemathesis.check
def success_body_matches_output_schema(ctx, response, case):
    """A 2xx response without a schema of its own must match the operation's 200/201 schema."""
    status = str(response.status_code)
    if not status.startswith("2") or case.method.lower() != case.operation.method.lower():
        return None  # an error, or a probe with a method the operation does not declare
    definition = _operation_definition(case)
    declared = definition.get("responses", {}).get(status, {})
    if "schema" in declared:
        return None  # schemathesis' response_schema_conformance covers it
    validator = _output_validator(case.operation.schema.raw_schema, case.operation.label, definition,
                                  response.status_code)
    if validator is None:
        return None
    try:
        body = json.loads(response.content or b"null")
    except ValueError as error:
        raise AssertionError(f"{status} body is not JSON: {error}") from None
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(root)"
        raise AssertionError(f"{status} body does not match the output schema at {where}: {first.message}")
    return None


@schemathesis.check
class every_operation_succeeded:  # lower case: schemathesis reports a check by its class name
    """Every tested operation answered 2xx at least once during the run."""

    def __init__(self):
        self.tested: set[str] = set()
        self.succeeded: set[str] = set()

    def after_response(self, ctx, response, case):
        self.tested.add(case.operation.label)
        if 200 <= response.status_code < 300:
            self.succeeded.add(case.operation.label)

    def merge(self, other: every_operation_succeeded) -> None:
        """Take in what another worker process saw (workers.py): the run is all of them."""
        self.tested |= other.tested
        self.succeeded |= other.succeeded

    def after_run(self, ctx):
        missing = sorted(self.tested - self.succeeded)
        if missing:
            raise AssertionError("no success response was ever observed for: " + ", ".join(missing))


# operationId -> the 400 errors (regex) Plivo gives to a request its schema allows, and why.
KNOWN_REFUSALS: dict[str, tuple[str, str]] = {
    # type mms/whatsapp needs a Plivo number as From; the schema cannot tie src's pattern to type.
    "SendSMS": (r"^'[^']*' is not a valid src$", "an alphanumeric sender id with type mms or whatsapp"),
    # An mms needs media or text; Swagger 2.0 cannot say "at least one of".
    "SendMMS": (r"^an mms needs text, media_urls or media_ids$", "an mms without media and text"),
    # A well-formed code can be the wrong one, or come after the session ended.
    "CheckVerificationCode": (r"^(Incorrect OTP\.|session expired)$", "a wrong code or an ended session"),
}
ACCEPTED = ("2", "3")
ACCEPTED_STATUSES = {401, 403, 404, 409, 429}


@schemathesis.check
def valid_data_accepted_unless_known_refusal(ctx, response, case):
    """As schemathesis' positive_data_acceptance (disabled for these operations), except the one
    documented refusal of each operation in KNOWN_REFUSALS."""
    from schemathesis.specs.openapi.checks import is_unexpected_http_status_case

    rule = KNOWN_REFUSALS.get(_operation_definition(case).get("operationId"))
    if rule is None or case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if is_unexpected_http_status_case(case):
        return None
    status = response.status_code
    if str(status)[0] in ACCEPTED or status in ACCEPTED_STATUSES or status >= 500:
        return None
    try:
        error = json.loads(response.content or b"{}").get("error", "")
    except (ValueError, AttributeError):
        error = ""
    if status == 400 and isinstance(error, str) and re.search(rule[0], error):
        return None
    raise AssertionError(f"valid data was refused with {status}: {error!r} (the only refusal allowed here is "
                         f"{rule[1]})")
