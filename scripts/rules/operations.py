"""Rules on operations: ids, summaries, descriptions, bodies, responses, MIME types."""

from __future__ import annotations

import re

from . import SWAGGER, Connector, Problem, rule
from .text import is_sentence
from .walk import op_name, operations

OPERATION_ID = re.compile(r"^[A-Z][A-Za-z0-9]*$")
SUMMARY_CHARS = re.compile(r"^[A-Za-z0-9 ()]+$")
MIME_TYPES = {"application/json", "text/plain", "multipart/form-data", "application/x-www-form-urlencoded"}


@rule("OperationIdFormat", "Every operation has a unique PascalCase operationId of letters and digits.")
def operation_id_format(c: Connector):
    seen: dict[str, str] = {}
    for pointer, path, method, op in operations(c.swagger):
        op_id = op.get("operationId")
        if not op_id:
            yield Problem(SWAGGER, pointer, f"{method.upper()} {path} has no operationId")
            continue
        if not OPERATION_ID.match(op_id):
            yield Problem(SWAGGER, (*pointer, "operationId"),
                          f"operationId '{op_id}' must be PascalCase letters and digits (e.g. SendSMS)")
        if op_id.lower() in seen:
            yield Problem(SWAGGER, (*pointer, "operationId"),
                          f"operationId '{op_id}' is used twice (also by {seen[op_id.lower()]})")
        seen.setdefault(op_id.lower(), f"{method.upper()} {path}")


@rule("OperationSummary", "Operation summary: sentence case, at most 80 characters, letters, digits, spaces "
                          "and parentheses, ending with a letter or digit.")
def operation_summary(c: Connector):
    for pointer, path, method, op in operations(c.swagger):
        name, summary = op_name(op, path, method), op.get("summary", "")
        where = (SWAGGER, (*pointer, "summary"))
        if not summary:
            yield Problem(*where, f"{name} has no summary; give it a short action name such as 'Send SMS'")
            continue
        if len(summary) > 80:
            yield Problem(*where, f"{name}: summary has {len(summary)} characters; keep it to 80 or fewer")
        if not SUMMARY_CHARS.match(summary):
            bad = "".join(sorted(set(re.sub(r"[A-Za-z0-9 ()]", "", summary))))
            yield Problem(*where, f"{name}: summary '{summary}' contains {bad!r}; use letters, digits, "
                                  "spaces and parentheses only")
        if not summary[-1].isalnum():
            yield Problem(*where, f"{name}: summary '{summary}' must end with a letter or digit")
        if not summary[0].isupper():
            yield Problem(*where, f"{name}: summary '{summary}' must start with a capital letter (sentence case)")
        later = [w for w in summary.split()[1:] if w[0].isupper() and not w.isupper()]
        if len(later) >= 2:
            yield Problem(*where, f"{name}: summary '{summary}' is in Title Case; write it in sentence case")


@rule("OperationDescription", "Operation description: full sentences ending in punctuation, not the summary.")
def operation_description(c: Connector):
    for pointer, path, method, op in operations(c.swagger):
        name, text = op_name(op, path, method), op.get("description", "")
        where = (SWAGGER, (*pointer, "description"))
        if not text:
            yield Problem(*where, f"{name} has no description; say what it does in a full sentence")
        elif not is_sentence(text):
            yield Problem(*where, f"{name}: description must be a full sentence ending with punctuation")
        elif text.strip().rstrip(".").lower() == op.get("summary", "").strip().lower():
            yield Problem(*where, f"{name}: description repeats the summary; say more than the summary does")


@rule("BodyParameters", "No body or formData on GET; at most one body; never body and formData together.")
def body_parameters(c: Connector):
    for pointer, path, method, op in operations(c.swagger):
        name = op_name(op, path, method)
        kinds = [p.get("in") for p in op.get("parameters", []) if isinstance(p, dict)]
        if method == "get" and ("body" in kinds or "formData" in kinds):
            yield Problem(SWAGGER, (*pointer, "parameters"),
                          f"{name} is a GET and must not have a body or formData parameter; use query parameters")
        if kinds.count("body") > 1:
            yield Problem(SWAGGER, (*pointer, "parameters"), f"{name} has {kinds.count('body')} body parameters; "
                                                             "keep one and put the fields in its schema")
        if "body" in kinds and "formData" in kinds:
            yield Problem(SWAGGER, (*pointer, "parameters"), f"{name} mixes body and formData parameters")


@rule("SchemaDefinitionSetIncorrectly", "A 2xx response exists; the one output schema sits on 200 or 201; "
                                        "default has no schema.")
def response_schemas(c: Connector):
    for pointer, path, method, op in operations(c.swagger):
        name = op_name(op, path, method)
        responses = op.get("responses", {})
        where = (SWAGGER, (*pointer, "responses"))
        if not any(str(code).startswith("2") for code in responses):
            yield Problem(*where, f"{name} declares no 2xx response")
        with_schema = [str(code) for code, r in responses.items() if isinstance(r, dict) and "schema" in r]
        if len(with_schema) > 1:
            yield Problem(*where, f"{name}: responses {', '.join(with_schema)} all carry a schema; only one "
                                  "(200 or 201) may, the designer ignores the others")
        for code in with_schema:
            if code == "default":
                yield Problem(SWAGGER, (*pointer, "responses", code),
                              f"{name}: the default response must not carry a schema")
            elif code not in ("200", "201"):
                yield Problem(SWAGGER, (*pointer, "responses", code),
                              f"{name}: the output schema is on {code}; the designer shows outputs only from "
                              "200 or 201, so put the schema there (and keep the real status without one)")


@rule("MimeTypes", "consumes and produces list only application/json, text/plain, multipart/form-data, "
                   "application/x-www-form-urlencoded.")
def mime_types(c: Connector):
    places = [((), c.swagger)] + [(pointer, op) for pointer, _, _, op in operations(c.swagger)]
    for pointer, holder in places:
        for key in ("consumes", "produces"):
            for mime in holder.get(key, []):
                if mime not in MIME_TYPES:
                    yield Problem(SWAGGER, (*pointer, key), f"{key} lists '{mime}'; allowed: "
                                                            f"{', '.join(sorted(MIME_TYPES))}")
