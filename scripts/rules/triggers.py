"""Rules on triggers: the x-ms-trigger kind and how polling triggers are named."""

from __future__ import annotations

import re

from . import CERTIFICATION, CERTIFICATION_DOC, EXTENSIONS_DOC, PLATFORM, SWAGGER, WARNING, Connector, Problem, rule
from .walk import obj, op_name, operations, text

TRIGGER_KINDS = ("single", "batch")


@rule("TriggerKind", "x-ms-trigger is single or batch.",
      profile=PLATFORM, source=EXTENSIONS_DOC,
      rationale="The platform knows two kinds of trigger: single (one run per item) and batch (one run per poll "
                "or call); an operation with another value is no trigger the designer can use.",
      fix="Set x-ms-trigger to single or batch.")
def trigger_kind(c: Connector):
    for pointer, path, method, op in operations(c.swagger):
        if "x-ms-trigger" in op and op["x-ms-trigger"] not in TRIGGER_KINDS:
            yield Problem(SWAGGER, (*pointer, "x-ms-trigger"),
                          f"{op_name(op, path, method)}: x-ms-trigger {op['x-ms-trigger']!r} must be single or batch")


def is_polling_trigger(swagger: dict, path: str, op: dict) -> bool:
    """A trigger without a webhook callback: no x-ms-notification-content, no x-ms-notification-url input."""
    if "x-ms-trigger" not in op:
        return False
    if obj(op.get("x-ms-trigger-metadata")).get("mode") == "polling":
        return True
    item = obj(obj(swagger.get("paths")).get(path))
    if "x-ms-notification-content" in item or "x-ms-notification-content" in op:
        return False
    inputs = str(op.get("parameters", ""))
    for ref in re.findall(r"#/definitions/([^'\"]+)", inputs):  # a body schema kept in definitions
        inputs += str(obj(swagger.get("definitions")).get(ref.replace("~1", "/").replace("~0", "~"), ""))
    return "x-ms-notification-url" not in inputs


@rule("PollingTriggerSummary", "A polling trigger's summary says when it fires: \"When ...\".",
      profile=CERTIFICATION, severity=WARNING, source=CERTIFICATION_DOC,
      rationale="Makers find triggers by their names; Microsoft's string guidance names triggers \"When a ...\".",
      fix="Name the trigger like 'When a message is received'.")
def polling_trigger_summary(c: Connector):
    for pointer, path, method, op in operations(c.swagger):
        if not is_polling_trigger(c.swagger, path, op) or op.get("deprecated") is True:
            continue
        summary = text(op.get("summary")).strip()
        if summary and not summary.lower().startswith("when "):
            yield Problem(SWAGGER, (*pointer, "summary"),
                          f"{op_name(op, path, method)} is a polling trigger; its summary '{summary}' should "
                          "start with 'When'")
