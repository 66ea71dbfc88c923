"""One JSON document: the profile, each connector with its findings, and the totals."""

from __future__ import annotations

import json


def render(report) -> str:
    document = {
        "tool": "plivo-connector",
        "profile": report.profile,
        "disabled": report.disabled,
        "connectors": [
            {"name": target.name, "passed": target.passed, "unreadable": target.unreadable,
             "findings": [{"rule": f.rule, "severity": f.severity, "file": f.file, "line": f.line,
                           "column": f.column,
                           "pointer": "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in f.pointer)
                           if f.pointer is not None else None,
                           "message": f.message} for f in target.findings]}
            for target in report.targets
        ],
        "totals": report.totals(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
