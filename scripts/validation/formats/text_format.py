"""``file:line:column: severity [Rule] message``, one finding a line, then a summary per connector."""

from __future__ import annotations

from ...findings import Finding


def where(finding: Finding) -> str:
    place = finding.file or "<connector>"
    if finding.line is not None:
        place += f":{finding.line}"
        if finding.column is not None:
            place += f":{finding.column}"
    return place


def render(report) -> str:
    lines = []
    for target in report.targets:
        for finding in target.findings:
            lines.append(f"{where(finding)}: {finding.severity} [{finding.rule}] {finding.message}")
        if target.unreadable:
            verdict = "could not be read"
        else:
            counts = [f"{target.count(s)} {s}(s)" for s in ("error", "warning", "internal") if target.count(s)]
            verdict = ("passed" if target.passed else "failed") + (f" ({', '.join(counts)})" if counts else "")
        lines.append(f"{target.name}: {verdict} [{report.profile} profile]")
        if any(f.severity == "internal" for f in target.findings):
            lines.append(f"{target.name}: a rule crashed (internal error above); its findings are unknown")
    return "\n".join(lines) + "\n"
