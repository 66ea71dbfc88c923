"""SARIF 2.1.0 for GitHub code scanning (``github/codeql-action/upload-sarif``).

Each rule that ran is a ``reportingDescriptor`` with its rationale, fix hint and source; each finding
a ``result`` at its file, line and column (URIs relative to the current folder, which in CI is the
repository root). A rule that crashed is no result about the code: it is a tool execution
notification, and the invocation is marked unsuccessful.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from urllib.parse import quote

from ..report import TOOL, TOOL_URI

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "internal": "error"}


def _uri(file: str) -> str:
    return quote(PurePosixPath(file.replace("\\", "/")).as_posix(), safe="/")


def _descriptor(report, rule_id: str) -> dict:
    rule = report.rules.get(rule_id)
    if rule is None:
        return {"id": rule_id, "shortDescription": {"text": report.describe(rule_id)},
                "defaultConfiguration": {"level": "error"}}
    descriptor = {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{rule.rationale} (source: {rule.source})"},
        "help": {"text": rule.fix, "markdown": f"**Fix:** {rule.fix}\n\n{rule.rationale}\n\nSource: {rule.source}"},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"profile": rule.profile, "tags": [rule.profile]},
    }
    if rule.source.startswith("https://"):
        descriptor["helpUri"] = rule.source.split(";")[0].split(" ")[0]
    return descriptor


def render(report) -> str:
    ids = list(report.rules)
    for finding in report.findings():
        if finding.rule not in ids and finding.severity != "internal":
            ids.append(finding.rule)
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    results, notifications = [], []
    for finding in report.findings():
        if finding.severity == "internal":
            notifications.append({"level": "error", "message": {"text": finding.message},
                                  "descriptor": {"id": finding.rule}})
            continue
        result = {"ruleId": finding.rule, "ruleIndex": index[finding.rule], "level": LEVELS[finding.severity],
                  "message": {"text": finding.message}}
        if finding.file:
            location = {"artifactLocation": {"uri": _uri(finding.file)}}
            if finding.line is not None:
                region = {"startLine": finding.line}
                if finding.column is not None:
                    region["startColumn"] = finding.column
                location["region"] = region
            result["locations"] = [{"physicalLocation": location}]
        results.append(result)
    run = {
        "tool": {"driver": {"name": TOOL, "informationUri": TOOL_URI,
                            "rules": [_descriptor(report, rule_id) for rule_id in ids]}},
        "invocations": [{"executionSuccessful": not notifications,
                         "toolExecutionNotifications": notifications}],
        "results": results,
        "properties": {"profile": report.profile},
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2, ensure_ascii=False) + "\n"
