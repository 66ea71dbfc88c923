"""Rule suppressions from connector.yaml: a rule switched off on purpose, with its written reason.

A finding is suppressed when its rule id matches and, if the suppression names operations, the
finding lies inside one of them. A suppression that suppresses nothing is itself reported, so
stale ones do not pile up and hide future mistakes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..findings import Finding
from ..rules import SWAGGER, Problem, Rule

if TYPE_CHECKING:
    from ..sources.yaml_source import SourceFile

RULE = "UnusedSuppression"


def operation_of(swagger: dict, problem: Problem) -> str | None:
    pointer = problem.pointer
    if problem.document == SWAGGER and len(pointer) >= 3 and pointer[0] == "paths":
        operation = swagger.get("paths", {}).get(pointer[1], {}).get(pointer[2])
        if isinstance(operation, dict):
            return operation.get("operationId")
    return None


def apply_suppressions(connector_source: SourceFile, swagger: dict,
                       found: list[tuple[Rule, Problem]]) -> tuple[list[tuple[Rule, Problem]], list[Finding]]:
    """(findings left, findings about the suppressions themselves)."""
    entries = connector_source.data.get("suppressions", [])
    used = [False] * len(entries)
    kept = []
    for rule, problem in found:
        operation = operation_of(swagger, problem)
        for index, entry in enumerate(entries):
            if entry["rule"] == rule.id and ("operations" not in entry or operation in entry["operations"]):
                used[index] = True
                break
        else:
            kept.append((rule, problem))
    unused = [Finding(connector_source.display, connector_source.line(("suppressions", index)), RULE,
                      f"suppression of {entry['rule']}"
                      + (f" for {', '.join(entry['operations'])}" if "operations" in entry else "")
                      + " suppresses nothing; remove it")
              for index, entry in enumerate(entries) if not used[index]]
    return kept, unused
