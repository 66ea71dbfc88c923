"""Rules on operations: ids, summaries, descriptions, bodies, responses, MIME types."""

from __future__ import annotations

import re

from . import (
    CERTIFICATION,
    CERTIFICATION_DOC,
    HOUSE,
    HOUSE_DOC,
    PLATFORM,
    SWAGGER,
    SWAGGER_SPEC,
    VALIDATOR_DOC,
    WARNING,
    Connector,
    Problem,
    rule,
)
from .text import is_sentence
from .walk import op_name, operations, responses, seq, text

OPERATION_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
SUMMARY_CHARS = re.compile(r"^[A-Za-z0-9 ()\-.,'&:]+$")
# Structured-syntax JSON (RFC 6839) and the text types the designer reads as JSON or text.
MIME_TYPES = {"application/json", "text/json", "text/plain", "text/html", "text/csv", "multipart/form-data",
              "application/x-www-form-urlencoded", "application/octet-stream", "application/xml", "text/xml",
              "application/pdf", "*/*"}
MIME = re.compile(r"^[\w.+*-]+/[\w.+*-]+(\s*;.*)?$")


@rule("OperationIdUnique", "Every operation has an operationId, unique ignoring case.",
      profile=PLATFORM, source=VALIDATOR_DOC,
      rationale="The designer and flows address operations by operationId; the import rejects a missing or "
                "duplicate one.",
      fix="Give each operation its own operationId.")
def operation_id_unique(c: Connector):
    seen: dict[str, str] = {}
    for pointer, path, method, op in operations(c.swagger):
        op_id = op.get("operationId")
        if not isinstance(op_id, str) or not op_id:
            yield Problem(SWAGGER, pointer, f"{method.upper()} {path} has no operationId")
            continue
        if op_id.lower() in seen:
            yield Problem(SWAGGER, (*pointer, "operationId"),
                          f"operationId '{op_id}' is used twice (also by {seen[op_id.lower()]})")
        seen.setdefault(op_id.lower(), f"{method.upper()} {path}")


@rule("OperationIdFormat", "operationIds are letters, digits and underscores, starting with a letter.",
      profile=CERTIFICATION, severity=WARNING, source=VALIDATOR_DOC,
      rationale="operationIds become names in flows and Power Fx formulas (Plivo.SendSMS(...)); other characters "
                "break them.",
      fix="Rename the operationId to PascalCase letters and digits, e.g. SendSMS (before it is published).")
def operation_id_format(c: Connector):
    for pointer, _, _, op in operations(c.swagger):
        op_id = op.get("operationId")
        if isinstance(op_id, str) and op_id and not OPERATION_ID.match(op_id):
            yield Problem(SWAGGER, (*pointer, "operationId"),
                          f"operationId '{op_id}' must be letters, digits and underscores (e.g. SendSMS)")


@rule("OperationSummary", "Operation summary: at most 80 characters, no '/' or other symbols, ending with a "
                          "letter, digit or ')'.",
      profile=CERTIFICATION, source=VALIDATOR_DOC,
      rationale="The summary is the action's name in the designer; certification limits its length and characters.",
      fix="Write a short action name such as 'Send SMS' (sentence case; '(deprecated)' may end it).")
def operation_summary(c: Connector):
    for pointer, path, method, op in operations(c.swagger):
        name, summary = op_name(op, path, method), text(op.get("summary"))
        where = (SWAGGER, (*pointer, "summary"))
        if not summary.strip():
            if op.get("x-ms-visibility") != "internal":
                yield Problem(*where, f"{name} has no summary; give it a short action name such as 'Send SMS'")
            continue
        if len(summary) > 80:
            yield Problem(*where, f"{name}: summary has {len(summary)} characters; keep it to 80 or fewer")
        if "/" in summary:
            yield Problem(*where, f"{name}: summary '{summary}' contains '/'; use letters, digits, "
                                  "spaces and parentheses only")


@rule("OperationSummaryStyle", "Operation summary in sentence case, letters, digits, spaces and parentheses, "
                               "ending with a letter, digit or ')'.",
      profile=CERTIFICATION, severity=WARNING, source=CERTIFICATION_DOC,
      rationale="Microsoft's string guidance writes action names in sentence case without punctuation.",
      fix="Write the summary like 'Send SMS' or 'Get message (deprecated)'.")
def operation_summary_style(c: Connector):
    for pointer, path, method, op in operations(c.swagger):
        name, summary = op_name(op, path, method), text(op.get("summary")).strip()
        where = (SWAGGER, (*pointer, "summary"))
        if not summary or "/" in summary:
            continue  # OperationSummary reports these
        if not summary[-1].isalnum() and not summary.endswith(")"):
            yield Problem(*where, f"{name}: summary '{summary}' must end with a letter, digit or ')'")
        if not summary[0].isupper() and not summary[0].isdigit():
            yield Problem(*where, f"{name}: summary '{summary}' must start with a capital letter (sentence case)")


@rule("OperationDescription", "Operation description: full sentences ending in punctuation, not the summary.",
      profile=CERTIFICATION, severity=WARNING, source=CERTIFICATION_DOC,
      rationale="The description is the action's help text in the designer; a copy of the summary tells the "
                "maker nothing.",
      fix="Say in a full sentence what the operation does and returns.")
def operation_description(c: Connector):
    for pointer, path, method, op in operations(c.swagger):
        if op.get("deprecated") is True or op.get("x-ms-visibility") == "internal":
            continue  # makers no longer see it
        name, description = op_name(op, path, method), text(op.get("description"))
        where = (SWAGGER, (*pointer, "description"))
        if not description.strip():
            yield Problem(*where, f"{name} has no description; say what it does in a full sentence")
        elif description.strip().rstrip(".").lower() == text(op.get("summary")).strip().lower():
            yield Problem(*where, f"{name}: description repeats the summary; say more than the summary does")


@rule("OperationDescriptionSentence", "Operation description ends with punctuation.",
      profile=HOUSE, source=HOUSE_DOC + "; " + CERTIFICATION_DOC,
      rationale="Descriptions are shown as help text; Microsoft's string guidance asks for full sentences.",
      fix="End the description with a period.")
def operation_description_sentence(c: Connector):
    for pointer, path, method, op in operations(c.swagger):
        description = text(op.get("description"))
        if description.strip() and not is_sentence(description) and op.get("deprecated") is not True:
            yield Problem(SWAGGER, (*pointer, "description"),
                          f"{op_name(op, path, method)}: description must be a full sentence ending with punctuation")


@rule("BodyParameters", "No body or formData on GET; at most one body; never body and formData together.",
      profile=PLATFORM, source=SWAGGER_SPEC,
      rationale="Swagger 2.0 allows one body parameter and never beside formData; the platform sends no body on GET.",
      fix="Put the fields in the one body parameter's schema, or use query parameters on a GET.")
def body_parameters(c: Connector):
    for pointer, path, method, op in operations(c.swagger):
        name = op_name(op, path, method)
        kinds = [p.get("in") for p in seq(op.get("parameters")) if isinstance(p, dict)]
        if method == "get" and ("body" in kinds or "formData" in kinds):
            yield Problem(SWAGGER, (*pointer, "parameters"),
                          f"{name} is a GET and must not have a body or formData parameter; use query parameters")
        if kinds.count("body") > 1:
            yield Problem(SWAGGER, (*pointer, "parameters"), f"{name} has {kinds.count('body')} body parameters; "
                                                             "keep one and put the fields in its schema")
        if "body" in kinds and "formData" in kinds:
            yield Problem(SWAGGER, (*pointer, "parameters"), f"{name} mixes body and formData parameters")


@rule("SchemaDefinitionSetIncorrectly", "A success (2xx or default) response exists.",
      profile=CERTIFICATION, severity=WARNING, source=VALIDATOR_DOC,
      rationale="The designer builds an action's outputs from its 2xx schema; schemas elsewhere are ignored.",
      fix="Declare the success response and keep the output schema on one 2xx response (200 or 201).")
def response_schemas(c: Connector):
    for pointer, path, method, op in operations(c.swagger):
        name = op_name(op, path, method)
        found = list(responses(op))
        where = (SWAGGER, (*pointer, "responses"))
        if not any(code.startswith("2") or code == "default" for code, _ in found):
            yield Problem(*where, f"{name} declares no 2xx (or default) response")


@rule("OutputSchemaOn200", "The output schema sits on 200 or 201 (not on another 2xx only), and on one 2xx.",
      profile=HOUSE, source=HOUSE_DOC + "; " + VALIDATOR_DOC,
      rationale="The designer shows outputs from 200 or 201; a schema only on 202 or 204 may be ignored.",
      fix="Put the output schema on 200 (and keep the real status without one).")
def output_schema_on_200(c: Connector):
    for pointer, path, method, op in operations(c.swagger):
        codes = {code: r for code, r in responses(op)}
        with_schema = [code for code, r in codes.items() if code.startswith("2") and "schema" in r]
        if with_schema and not set(with_schema) & {"200", "201"}:
            yield Problem(SWAGGER, (*pointer, "responses", with_schema[0]),
                          f"{op_name(op, path, method)}: the output schema is on {with_schema[0]}; the designer "
                          "shows outputs from 200 or 201, so put the schema there")
        elif len(with_schema) > 1:
            yield Problem(SWAGGER, (*pointer, "responses"),
                          f"{op_name(op, path, method)}: responses {', '.join(with_schema)} all carry a schema; "
                          "the designer shows the outputs of one")


@rule("NoContentSchema", "A 204 response carries no schema.",
      profile=CERTIFICATION, severity=WARNING, source=SWAGGER_SPEC,
      rationale="204 No Content has no body by definition (RFC 9110), so its schema promises outputs that never come.",
      fix="Move the schema to 200, or remove it.")
def no_content_schema(c: Connector):
    for pointer, path, method, op in operations(c.swagger):
        response = dict(responses(op)).get("204")
        if response is not None and "schema" in response:
            yield Problem(SWAGGER, (*pointer, "responses", "204", "schema"),
                          f"{op_name(op, path, method)}: the 204 (No Content) response carries a schema")


@rule("ResponseSchemaMissing", "A GET that answers 200 with a body declares the body's schema.",
      profile=CERTIFICATION, severity=WARNING, source=VALIDATOR_DOC,
      rationale="Without a response schema the designer offers only the raw body, so makers cannot pick fields.",
      fix="Add a schema to the 200 response (or x-ms-dynamic-schema when its shape depends on the input).")
def response_schema_missing(c: Connector):
    for pointer, path, method, op in operations(c.swagger):
        if method != "get" or op.get("deprecated") is True:
            continue
        codes = dict(responses(op))
        ok = codes.get("200")
        if ok is None or any("schema" in r for r in codes.values()):
            continue
        produces = seq(op.get("produces", c.swagger.get("produces")))
        if produces and not any("json" in str(m) for m in produces):
            continue  # a file or text download: the body is the raw content
        yield Problem(SWAGGER, (*pointer, "responses", "200"),
                      f"{op_name(op, path, method)} answers 200 with a body but declares no schema for it")


@rule("MimeTypes", "consumes and produces list media types the platform can send and read.",
      profile=CERTIFICATION, severity=WARNING, source=SWAGGER_SPEC,
      rationale="The designer reads JSON, text, forms and files; a media type outside these shows a raw body.",
      fix="List application/json (or text/plain, a form or file type) in consumes and produces.")
def mime_types(c: Connector):
    places = [((), c.swagger)] + [(pointer, op) for pointer, _, _, op in operations(c.swagger)]
    for pointer, holder in places:
        for key in ("consumes", "produces"):
            for mime in seq(holder.get(key)):
                base = str(mime).split(";")[0].strip().lower()
                if not MIME.match(str(mime)):
                    yield Problem(SWAGGER, (*pointer, key), f"{key} lists '{mime}', which is not a media type")
                elif base not in MIME_TYPES and not base.endswith("+json") and not base.startswith("image/"):
                    yield Problem(SWAGGER, (*pointer, key), f"{key} lists '{mime}'; the designer reads JSON, "
                                                            "text, forms and files")

