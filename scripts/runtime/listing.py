"""``run --list``: the actions and triggers with their inputs, as a maker sees them in the designer.

Internal operations and inputs are not shown to makers; they are listed here marked "internal"
(with the default the platform sends) because the emulator can still run them.
"""

from __future__ import annotations

from .definition import Connector, Operation


def render(connector: Connector) -> str:
    operations = sorted(connector.operations.values(), key=lambda op: op.id)
    sections = [("Actions", [op for op in operations if not op.trigger]),
                ("Triggers", [op for op in operations if op.trigger])]
    lines: list[str] = []
    for title, group in sections:
        lines.append(f"{title} ({len(group)})")
        if not group:
            lines.append("  (none)")
        for op in group:
            lines += _operation(op)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _operation(op: Operation) -> list[str]:
    visibility = "internal: hidden from makers" if op.visibility == "internal" else op.visibility
    parts = [part for part in (visibility, f"{op.trigger} trigger" if op.trigger else "") if part]
    marks = f" [{', '.join(parts)}]" if parts else ""
    lines = [f"  {op.summary or op.id} ({op.id}){marks}: {op.method} {op.path}"]
    if not op.inputs:
        lines.append("      no inputs")
    rows = [("name", "key", "type", "required", "visibility")]
    for inp in op.inputs:
        visibility = inp.visibility or "normal"
        if inp.internal:
            visibility = "internal (hidden" + (f"; sends {inp.default!r})" if inp.has_default else ")")
        rows.append((inp.name, inp.key, inp.type or "any", "yes" if inp.required else "no", visibility))
    if op.inputs:
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            lines.append("      " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4]))
                         + "  " + row[4])
    if op.body_param:
        lines.append(f"      (or {op.body_param!r}: the whole body as a JSON object)")
    return lines
