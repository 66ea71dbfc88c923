"""GitHub Actions workflow commands: ``::error file=...,line=...,col=...,title=...::message``.

GitHub shows each as an annotation on the pull request's changed lines. Property values and the
message are escaped as the runner expects (%, CR, LF; and ``:`` ``,`` in properties).
"""

from __future__ import annotations


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report) -> str:
    lines = []
    for target in report.targets:
        for finding in target.findings:
            command = "warning" if finding.severity == "warning" else "error"
            props = []
            if finding.file:
                props.append(f"file={_property(finding.file)}")
            if finding.line is not None:
                props.append(f"line={finding.line}")
                if finding.column is not None:
                    props.append(f"col={finding.column}")
            title = f"{finding.rule}" + (" (internal error)" if finding.severity == "internal" else "")
            props.append(f"title={_property(title)}")
            lines.append(f"::{command} {','.join(props)}::{_data(finding.message)}")
        lines.append(f"{target.name}: {'passed' if target.passed else 'failed'}")
    return "\n".join(lines) + "\n"
