"""Findings: what the loader, the source checks and the Power Platform rules report.

Every problem the tool finds is one Finding, printed as ``file:line: [RULE] message`` so that an
editor or a CI log can jump straight to the place to fix. ``severity`` is ``error``, ``warning`` or
``internal`` (a rule crashed: a bug in this tool, not in the connector).
"""

from __future__ import annotations

from typing import NamedTuple

ERROR, WARNING, INTERNAL = "error", "warning", "internal"


# An immutable record as a NamedTuple, not a frozen dataclass: the same fields, defaults, equality,
# hash and repr, without the ~1 ms @dataclass spends at every start-up compiling its methods.
class Finding(NamedTuple):
    file: str | None
    line: int | None
    rule: str
    message: str
    severity: str = ERROR
    column: int | None = None
    pointer: tuple[str, ...] | None = None  # JSON pointer into ``file`` when it is a JSON document

    def __str__(self) -> str:
        where = self.file or "<connector>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: [{self.rule}] {self.message}"


class SourceError(Exception):
    """Raised when the YAML sources cannot be turned into artifacts; carries every finding."""

    def __init__(self, findings: list[Finding]):
        self.findings = sorted(set(findings), key=_sort_key)
        super().__init__("\n".join(str(f) for f in self.findings))


def _sort_key(finding: Finding) -> tuple:
    return (finding.file or "", finding.line or 0, finding.rule, finding.message)


EXIT_OK, EXIT_FAILED, EXIT_BROKEN, EXIT_INTERNAL = 0, 1, 2, 3  # failed: stale artifacts, or findings in a folder


def report_findings(findings, tail: str = "") -> None:
    """Print findings to stderr, one per line, then a count (and what it means for the outputs)."""
    import sys

    for finding in findings:
        print(finding, file=sys.stderr)
    summary = f"{len(findings)} problem(s) found"
    print(f"\n{summary}; {tail}." if tail else f"\n{summary}.", file=sys.stderr)
