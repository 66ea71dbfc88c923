"""Print a list of classified changes: human text, JSON, or GitHub workflow annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .compare import BREAKING, Change


def _line(change: Change) -> str:
    where = f"{change.operation}: " if change.operation else "connector: "
    via = f" (versioned: {change.versioned})" if change.versioned else ""
    return f"{where}{change.message} [{change.kind}]{via}"


def verdict(changes: Sequence[Change]) -> str:
    blocking = sum(c.blocks for c in changes)
    if blocking:
        return (f"BREAKING: {blocking} breaking change(s). Flows built on the base definition would break. "
                "Keep the old operation/input, or version the operation: add it under a new operationId with "
                "x-ms-api-annotation {family, revision: n+1} and keep the old one with `deprecated: true`.")
    return f"OK: no breaking changes ({len(changes)} change(s) in all)."


def render_text(changes: Sequence[Change], title: str, *, quiet: bool = False) -> str:
    """The changes grouped by verdict; ``quiet``: only the breaking ones and the verdict."""
    groups = (
        ("Breaking", [c for c in changes if c.blocks]),
        ("Versioned (between revisions; the old revision is kept)", [c for c in changes if c.versioned]),
        ("Safe", [c for c in changes if c.severity != BREAKING and not c.versioned]),
    )
    if quiet:
        groups = groups[:1]
    lines = [] if quiet else [title]
    for label, items in groups:
        if items:
            lines.append(f"\n{label} ({len(items)}):")
            lines += [f"  {_line(c)}" for c in items]
    lines.append(("\n" if lines else "") + verdict(changes))
    return "\n".join(lines).lstrip("\n") + "\n"


def render_json(changes: Sequence[Change], base: str, head: str) -> str:
    return json.dumps({
        "base": base,
        "head": head,
        "breaking": sum(c.blocks for c in changes),
        "changes": [{"class": c.kind, "severity": c.severity, "operation": c.operation, "message": c.message,
                     "versioned": c.versioned, "blocks": c.blocks} for c in changes],
    }, indent=2) + "\n"


def _escape(text: str) -> str:
    """GitHub's workflow-command escaping of a message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """The escaping of a property value (title=...), where ':' and ',' are separators too."""
    return _escape(text).replace(":", "%3A").replace(",", "%2C")


def render_github(changes: Sequence[Change], file: str | None) -> str:
    """``::error``/``::notice`` workflow commands: the runner shows them on the pull request."""
    location = f"file={file}," if file else ""
    lines = []
    for change in changes:
        level = "error" if change.blocks else "notice"
        title = _escape_property(f"{'Breaking' if change.blocks else 'Safe'} change ({change.kind})")
        lines.append(f"::{level} {location}title={title}::{_escape(_line(change))}")
    lines.append(_escape(verdict(changes)))
    return "\n".join(lines) + "\n"
