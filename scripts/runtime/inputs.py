"""Check and convert an operation's input values the way the designer and runtime see them.

Values arrive as strings from the command line (converted by the declared type: integer, number,
boolean, JSON for objects and arrays) or as Python values from tests (checked, not converted).
Internal inputs get their default, as the platform sends the default of a parameter the maker
never sees; a required input with a default is prefilled by the designer, so it gets it too.
Patterns, enums and ranges are not checked: the backend does that, and its error is what a flow
would show.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from .definition import TYPE_OF, Input, Operation
from .errors import InputError

INTEGER = re.compile(r"^[+-]?[0-9]+$")


def accepted(operation: Operation) -> str:
    """The inputs of ``operation``, for error messages: what the caller may give instead."""
    parts = []
    for inp in operation.inputs:
        flags = [inp.type or "any", "required" if inp.required else "optional"]
        if inp.internal:
            flags.append("internal")
        parts.append(f"{inp.key} ({', '.join(flags)})")
    if operation.body_param:
        parts.append(f"{operation.body_param} (object: the whole body as JSON)")
    return f"{operation.id} accepts: " + (", ".join(parts) if parts else "no inputs")


def prepare(operation: Operation, supplied: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values by input key, defaults added. Raises InputError naming the input at fault."""
    supplied = dict(supplied)
    values: dict[str, Any] = {}
    if operation.body_param and operation.body_param in supplied:
        # The whole body first, so that inputs given one by one override its properties.
        for key, value in _flatten_body(operation, supplied.pop(operation.body_param)):
            values[key] = value
    for key, raw in supplied.items():
        inp = operation.input(key)
        if inp is None:
            raise InputError(f"unknown input {key!r} for {operation.id}. {accepted(operation)}")
        values[key] = convert(operation, inp, raw)
    for inp in operation.inputs:
        if inp.key not in values and inp.has_default and (inp.internal or inp.required):
            values[inp.key] = inp.default
    missing = [inp for inp in operation.inputs if inp.required and values.get(inp.key) is None]
    if missing:
        names = ", ".join(f"{inp.key} ({inp.name})" for inp in missing)
        raise InputError(f"missing required input(s) for {operation.id}: {names}. {accepted(operation)}")
    return values


def convert(operation: Operation, inp: Input, raw: Any) -> Any:
    if raw is None:
        return None
    expected = inp.type
    if isinstance(raw, str) and expected not in ("", "string"):
        value = _from_text(raw, expected)
        if value is _BAD:
            raise InputError(f"input {inp.key!r} ({inp.name}) must be {_article(expected)}, got {raw!r}. "
                             f"{accepted(operation)}")
        return value
    if expected and not _is_type(raw, expected):
        raise InputError(f"input {inp.key!r} ({inp.name}) must be {_article(expected)}, got "
                         f"{TYPE_OF.get(type(raw), type(raw).__name__)} {raw!r}. {accepted(operation)}")
    return raw


_BAD = object()


def _from_text(text: str, expected: str) -> Any:
    stripped = text.strip()
    if expected == "integer":
        return int(stripped) if INTEGER.match(stripped) else _BAD
    if expected == "number":
        if INTEGER.match(stripped):
            return int(stripped)
        try:
            number = float(stripped)
        except ValueError:
            return _BAD
        return number if math.isfinite(number) else _BAD
    if expected == "boolean":
        return {"true": True, "false": False}.get(stripped.lower(), _BAD)
    if expected in ("object", "array"):
        try:
            value = json.loads(text)
        except ValueError:
            return _BAD
        return value if _is_type(value, expected) else _BAD
    return _BAD  # "file" and other types cannot come from text


def _is_type(value: Any, expected: str) -> bool:
    if expected == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if expected == "boolean":
        return isinstance(value, bool)
    return isinstance(value, {"string": str, "object": dict, "array": list}.get(expected, object))


def _article(type_name: str) -> str:
    articles = {"integer": "an integer", "object": "a JSON object", "array": "a JSON array"}
    return articles.get(type_name, f"a {type_name}")


def _flatten_body(operation: Operation, body: Any) -> list[tuple[str, Any]]:
    """``{"a": {"b": 1}}`` -> ``[("a.b", 1)]`` following the declared properties, values converted."""
    name = operation.body_param or ""
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            body = None
    if not isinstance(body, dict):
        raise InputError(f"input {name!r} (the whole body) must be a JSON object. {accepted(operation)}")
    keys = {inp.key for inp in operation.inputs if inp.location == "body"}
    pairs: list[tuple[str, Any]] = []

    def walk(node: dict[str, Any], prefix: str) -> None:
        for key, value in node.items():
            full = f"{prefix}{key}"
            if isinstance(value, dict) and any(k.startswith(full + ".") for k in keys):
                walk(value, full + ".")
                continue
            inp = operation.input(full)
            if inp is None or inp.location != "body":
                raise InputError(f"unknown property {full!r} in input {name!r}. {accepted(operation)}")
            pairs.append((full, convert(operation, inp, value)))

    walk(body, "")
    return pairs
