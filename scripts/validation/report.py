"""What one `validate` run found, as every output format reads it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import ERROR, INTERNAL, WARNING, Finding
from ..rules import Rule

TOOL = "plivo-connector"
TOOL_URI = "https://github.com/plivo/plivo-powerplatform-connector"
# Findings of the loader and the run itself (not rules): unreadable files, the config, stale disables.
RUN_RULES = {
    "FileMissing": "A connector file is missing.",
    "FileEncoding": "A connector file is not UTF-8 JSON without a byte-order mark.",
    "FileShape": "A connector file does not hold a JSON object.",
    "ConnectorFolder": "A connector folder given on the command line does not exist or is a file.",
    "FileOutsideFolder": "A connector file is a symlink out of its folder; it is not read.",
    "JsonTooDeep": "A connector file nests too deeply to be read safely.",
    "DuplicateKey": "A JSON object has the same key twice; readers disagree on which value wins.",
    "JsonConstant": "NaN or Infinity, which are not JSON.",
    "InterruptedBuild": "A killed build left the rendered files half-switched.",
    "Config": "The validation settings (.plivo-connector.toml or [tool.plivo-connector]) are invalid.",
    "UnusedSuppression": "A rule is switched off for a connector but finds nothing there.",
}


@dataclass
class Target:
    """One connector given on the command line."""

    name: str
    findings: list[Finding] = field(default_factory=list)
    unreadable: bool = False  # its files could not be read: no rule ran

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def passed(self) -> bool:
        return not self.unreadable and not self.count(ERROR) and not self.count(INTERNAL)


@dataclass
class Report:
    profile: str
    rules: dict[str, Rule]  # the rules that ran, by id
    targets: list[Target]
    disabled: dict[str, str] = field(default_factory=dict)  # rule id -> why (run-wide)

    def findings(self) -> list[Finding]:
        return [f for t in self.targets for f in t.findings]

    def totals(self) -> dict[str, int]:
        found = self.findings()
        return {severity: sum(1 for f in found if f.severity == severity) for severity in (ERROR, WARNING, INTERNAL)}

    def describe(self, rule_id: str) -> str:
        rule = self.rules.get(rule_id)
        return rule.summary if rule is not None else RUN_RULES.get(rule_id, rule_id)
