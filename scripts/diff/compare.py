"""Classify every change between two connector surfaces as breaking or safe.

Breaking means a flow built on the old definition stops working or changes meaning: an operation,
path or method removed or renamed, an input key removed or renamed, an input made required or a
new required one, a type or format changed, an enum narrowed, a response property removed or
retyped, a connection parameter or the auth type changed, a trigger's kind changed. Everything
else is safe: new operations, new optional inputs, new response properties, text.

Versioning the documented way (Microsoft's connector docs): the changed operation gets a new
operationId with ``x-ms-api-annotation: {family, revision}`` one higher, and the old one stays, with
``deprecated: true``. The differences between the two revisions are then reported as *versioned*:
listed, but not breaking, because flows on the old revision keep working.
"""

from __future__ import annotations

from typing import NamedTuple

from .surface import Field, Operation, Surface

BREAKING, SAFE = "breaking", "safe"


# An immutable record as a NamedTuple, not a frozen dataclass: the same fields, defaults, equality,
# hash and repr, without the ~1 ms @dataclass spends at every start-up compiling its methods.
class Change(NamedTuple):
    kind: str  # the change class, e.g. "input-renamed"; the fixtures under tests/fixtures/diff are named after it
    severity: str  # BREAKING or SAFE
    message: str
    operation: str | None = None  # operationId, None for connector-level changes
    versioned: str | None = None  # for a change between revisions: the operationId of the new revision
    attribute: str | None = None  # text changes: "summary" (the display name), "description" or "visibility"
    had_value: bool = True  # text changes: whether the old side had the attribute at all

    @property
    def blocks(self) -> bool:
        return self.severity == BREAKING and self.versioned is None


def compare(base: Surface, head: Surface) -> list[Change]:
    changes: list[Change] = []
    changes += _connection_changes(base, head)
    revisions = _new_revisions(base, head)
    for operation_id, old in base.operations.items():
        new = head.operations.get(operation_id)
        if new is None:
            changes.append(_removed_operation(old, base, head, revisions))
        else:
            changes += compare_operation(old, new)
    for operation_id, new in head.operations.items():
        if operation_id in base.operations:
            continue
        old_id = revisions.get(operation_id)
        if old_id is None:
            if not _is_rename_target(new, base, head):
                changes.append(Change("operation-added", SAFE, f"new operation {operation_id} "
                                      f"({new.method} {new.path})", operation_id))
            continue
        old = base.operations[old_id]
        kept = head.operations.get(old_id)
        note = "" if kept and kept.deprecated else f"; mark {old_id} `deprecated: true`"
        changes.append(Change("operation-revised", SAFE, f"new revision {new.revision} of {old_id} "
                              f"(family {new.family}) as {operation_id}; {old_id} is kept{note}", operation_id))
        changes += [c._replace(versioned=operation_id) for c in compare_operation(old, new, revised=True)]
    return changes


def _new_revisions(base: Surface, head: Surface) -> dict[str, str]:
    """New operationId -> the base operation it is a later revision of, when that one is still kept.

    A head operation that is not in the base, whose annotation names the family of a base operation
    with a lower revision, while that base operation is still in the head.
    """
    found: dict[str, str] = {}
    for operation_id, new in head.operations.items():
        if operation_id in base.operations:
            continue
        candidates = [old for old in base.operations.values()
                      if old.family == new.family and old.revision < new.revision
                      and old.operation_id in head.operations]
        if candidates:
            found[operation_id] = max(candidates, key=lambda o: o.revision).operation_id
    return found


def _is_rename_target(new: Operation, base: Surface, head: Surface) -> bool:
    return any(old.operation_id not in head.operations and (old.method, old.path_shape) == (new.method, new.path_shape)
               for old in base.operations.values())


def _removed_operation(old: Operation, base: Surface, head: Surface, revisions: dict[str, str]) -> Change:
    renamed = [new for new in head.operations.values() if new.operation_id not in base.operations
               and (new.method, new.path_shape) == (old.method, old.path_shape)]
    successor = next((new for new in head.operations.values() if new.family == old.family
                      and new.revision > old.revision), None)
    hint = (f"; {successor.operation_id} is a new revision of it, but the old one must stay "
            f"(with `deprecated: true`) for the flows that use it" if successor else "")
    if renamed:
        return Change("operation-renamed", BREAKING, f"operation {old.operation_id} renamed to "
                      f"{renamed[0].operation_id} ({old.method} {old.path}){hint}", old.operation_id)
    return Change("operation-removed", BREAKING, f"operation {old.operation_id} ({old.method} {old.path}) "
                  f"removed{hint}", old.operation_id)


def compare_operation(old: Operation, new: Operation, *, revised: bool = False) -> list[Change]:
    """Changes from ``old`` to ``new``: the same operation, or (``revised``) two revisions of one."""
    op = old.operation_id
    changes: list[Change] = []
    if old.method != new.method:
        changes.append(Change("method-changed", BREAKING, f"method {old.method} -> {new.method}", op))
    if old.path_shape != new.path_shape:
        changes.append(Change("path-changed", BREAKING, f"path {old.path} -> {new.path}", op))
    if old.trigger != new.trigger:
        changes.append(Change("trigger-kind-changed", BREAKING,
                              f"kind {_kind(old.trigger)} -> {_kind(new.trigger)}", op))
    if not revised:
        if new.deprecated and not old.deprecated:
            changes.append(Change("operation-deprecated", SAFE, "marked deprecated", op))
        for attr, label in (("summary", "summary"), ("description", "description"), ("visibility", "visibility")):
            if getattr(old, attr) != getattr(new, attr):
                changes.append(Change("text-changed", SAFE, f"{label} {getattr(old, attr)!r} -> "
                                      f"{getattr(new, attr)!r}", op, attribute=attr,
                                      had_value=getattr(old, attr) is not None))
    changes += _input_changes(op, old.inputs, new.inputs)
    changes += _output_changes(op, old.outputs, new.outputs)
    return changes


def _kind(trigger: str | None) -> str:
    return f"trigger ({trigger})" if trigger else "action"


def _input_changes(op: str, old: dict[str, Field], new: dict[str, Field]) -> list[Change]:
    changes: list[Change] = []
    removed = [k for k in old if k not in new]
    added = [k for k in new if k not in old]
    renames = _pair_renames(removed, added, old, new)
    for key in removed:
        before = old[key]
        if key in renames:
            changes.append(Change("input-renamed", BREAKING, f"input '{key}' renamed to '{renames[key]}'", op))
        elif before.visibility == "internal":
            # A flow never sets an internal input (the designer hides it; the connector fills it).
            changes.append(Change("internal-input-removed", SAFE, f"internal input '{key}' removed", op))
        elif not _under(key, removed) and not _hidden(key, new, "/"):  # a removed object: one report
            changes.append(Change("input-removed", BREAKING, f"input '{key}' removed", op))
    for key in added:
        after = new[key]
        if key in renames.values() or _under(key, added):
            continue  # a renamed input, or part of a new object: the object's own report covers it
        if after.required and not after.has_default:
            changes.append(Change("required-input-added", BREAKING, f"new required input '{key}' "
                                  "(flows made before it do not set it)", op))
        else:
            changes.append(Change("optional-input-added", SAFE, f"new optional input '{key}'", op))
    for key in old.keys() & new.keys():
        changes += _field_changes(op, "input", old[key], new[key])
        before, after = old[key], new[key]
        if after.required and not before.required and not (after.has_default and after.visibility == "internal"):
            changes.append(Change("input-made-required", BREAKING, f"input '{key}' is now required", op))
        elif before.required and not after.required:
            changes.append(Change("input-made-optional", SAFE, f"input '{key}' is now optional", op))
        if before.enum != after.enum and "enum" not in before.unknown:
            lost = [v for v in before.enum or () if v not in (after.enum or ())] if after.enum is not None else []
            if after.enum is not None and (before.enum is None or lost):
                what = f"values {lost} removed" if before.enum is not None else f"now limited to {list(after.enum)}"
                changes.append(Change("enum-narrowed", BREAKING, f"input '{key}': {what}", op))
            else:
                changes.append(Change("enum-widened", SAFE, f"input '{key}': allowed values widened", op))
        if before.location != after.location:
            changes.append(Change("input-moved", SAFE, f"input '{key}' moved from {before.location} to "
                                  f"{after.location}", op))
    return changes


def _output_changes(op: str, old: dict[str, Field], new: dict[str, Field]) -> list[Change]:
    changes: list[Change] = []
    removed = [k for k in old if k not in new]
    for key in removed:
        if not _under(key, removed, sep=".") and not _hidden(key, new, "."):
            changes.append(Change("response-property-removed", BREAKING, f"response property '{key}' removed", op))
    for key in new.keys() - old.keys():
        changes.append(Change("response-property-added", SAFE, f"new response property '{key}'", op))
    for key in old.keys() & new.keys():
        changes += _field_changes(op, "response property", old[key], new[key])
    return sorted(changes, key=lambda c: c.message)


def _field_changes(op: str, what: str, before: Field, after: Field) -> list[Change]:
    changes = []
    kind = "input-type-changed" if what == "input" else "response-property-retyped"
    if before.type != after.type:
        changes.append(Change(kind, BREAKING, f"{what} '{before.key}' type {before.type} -> {after.type}", op))
    elif before.format != after.format and "format" not in before.unknown:
        message = f"{what} '{before.key}' format {before.format} -> {after.format}"
        if what != "input" and before.format is None:
            # An output gains a format (int32, date-time): the same values, described more precisely.
            changes.append(Change("response-format-added", SAFE, message, op))
        else:
            changes.append(Change(kind, BREAKING, message, op))
    for attr, label in (("summary", "display name"), ("description", "description"), ("visibility", "visibility")):
        if getattr(before, attr) != getattr(after, attr):
            changes.append(Change("text-changed", SAFE, f"{what} '{before.key}' {label} {getattr(before, attr)!r} -> "
                                  f"{getattr(after, attr)!r}", op, attribute=attr,
                                  had_value=getattr(before, attr) is not None))
    return changes


def _pair_renames(removed: list[str], added: list[str], old: dict[str, Field], new: dict[str, Field]) -> dict[str, str]:
    """Removed key -> added key that looks like the same input renamed: same parent, same display name or
    the same place among its siblings' display names, same type."""
    renames: dict[str, str] = {}
    for key in removed:
        parent = key.rpartition("/")[0]
        for candidate in added:
            if candidate in renames.values() or candidate.rpartition("/")[0] != parent:
                continue
            a, b = old[key], new[candidate]
            if a.type == b.type and a.summary and a.summary == b.summary:
                renames[key] = candidate
                break
    return renames


def _under(key: str, keys: list[str], sep: str = "/") -> bool:
    return any(key.startswith(other + sep) for other in keys)


def _hidden(key: str, fields: dict[str, Field], sep: str) -> bool:
    """Whether an ancestor of ``key`` is listed without its properties (recursive or too large): then
    the key may well still be there, and its absence from the list proves nothing."""
    parts = key.split(sep)
    return any(getattr(fields.get(sep.join(parts[:n])), "truncated", False) for n in range(1, len(parts)))


def _connection_changes(base: Surface, head: Surface) -> list[Change]:
    changes: list[Change] = []
    if base.auth != head.auth:
        changes.append(Change("auth-type-changed", BREAKING, f"authentication {list(base.auth) or 'none'} -> "
                              f"{list(head.auth) or 'none'} (existing connections stop working; the platform "
                              "refuses this change in an update)"))
    for key, before in base.connection.items():
        after = head.connection.get(key)
        if after is None:
            changes.append(Change("connection-parameter-changed", BREAKING, f"connection parameter '{key}' removed"))
            continue
        if before.type != after.type:
            changes.append(Change("connection-parameter-changed", BREAKING,
                                  f"connection parameter '{key}' type {before.type} -> {after.type}"))
        if after.required and not before.required:
            changes.append(Change("connection-parameter-changed", BREAKING,
                                  f"connection parameter '{key}' is now required"))
        for attr, label in (("summary", "display name"), ("description", "description")):
            if getattr(before, attr) != getattr(after, attr):
                changes.append(Change("text-changed", SAFE, f"connection parameter '{key}' {label} "
                                      f"{getattr(before, attr)!r} -> {getattr(after, attr)!r}", attribute=attr,
                                      had_value=getattr(before, attr) is not None))
    for key in head.connection.keys() - base.connection.keys():
        after = head.connection[key]
        if after.required:
            changes.append(Change("connection-parameter-changed", BREAKING, f"new required connection parameter "
                                  f"'{key}' (existing connections do not have it)"))
        else:
            changes.append(Change("connection-parameter-added", SAFE, f"new optional connection parameter '{key}'"))
    return changes
