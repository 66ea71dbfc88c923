"""Check YAML sources against source.schema.json and turn jsonschema's errors into findings.

jsonschema reports one error per failed keyword; a user needs one finding per mistake, with the
line and a hint. A typo such as ``sumary`` fails twice (unknown key, and the required ``summary``
is missing); the two are merged into one finding that suggests the right key.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..findings import Finding
from .yaml_source import SourceFile, describe_coercion, dotted_path

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

RULE = "SourceSchema"


@cache
def source_schema() -> dict:
    # Beside this module, in a checkout or an installed package alike (package data); read directly:
    # importlib.resources would import zipfile and its readers for a file that is never in a zip.
    return json.loads(Path(__file__).with_name("source.schema.json").read_text("utf-8"))


@cache
def _validator(kind: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    schema = source_schema()
    return Draft202012Validator({"$ref": f"#/$defs/{kind}", "$defs": schema["$defs"]})


@cache
def _fast_validator(kind: str) -> Any:
    try:
        import jsonschema_rs
    except ImportError:
        return None
    schema = source_schema()
    return jsonschema_rs.Draft202012Validator({"$ref": f"#/$defs/{kind}", "$defs": schema["$defs"]})


def _surely_valid(source: SourceFile, kind: str) -> bool:
    """jsonschema-rs (Rust, installed with schemathesis) answers "valid?" many times faster than
    jsonschema. Only its "valid" is trusted; anything else goes to jsonschema, whose errors the
    findings are made from. Where the two could differ, rs is the stricter (its regex '$' does
    not match before a final newline; Python values JSON lacks make it raise), so trusting only
    its "valid" never hides a finding."""
    validator = _fast_validator(kind)
    if validator is None:
        return False
    try:
        return bool(validator.is_valid(source.data))
    except Exception:  # a value JSON has no type for (a YAML date, say): let jsonschema explain it
        return False


def check_source(source: SourceFile, kind: str) -> list[Finding]:
    """Findings for ``source`` against the ``$defs`` entry ``kind`` (connector, operation, ...)."""
    if _surely_valid(source, kind):
        return []
    errors = list(_validator(kind).iter_errors(source.data))
    unknown: dict[tuple, list[str]] = {}  # object path -> unexpected keys
    missing: dict[tuple, list[str]] = {}  # object path -> missing required keys
    allowed: dict[tuple, list[str]] = {}
    others: list[ValidationError] = []
    for error in errors:
        where = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = list(error.schema.get("properties", {}))
            if not known:  # a free-form map whose values failed: report those values instead
                others.append(error)
                continue
            allowed[where] = known
            unknown.setdefault(where, []).extend(k for k in error.instance if k not in known)
        elif error.validator == "required" and isinstance(error.instance, dict):
            missing.setdefault(where, []).extend(
                k for k in error.validator_value if k not in error.instance)
        else:
            others.append(error)

    findings = []
    import difflib  # only for a source with an unknown key

    for where, keys in unknown.items():
        for key in keys:
            close = difflib.get_close_matches(key, allowed[where], n=1, cutoff=0.6)
            hint = ""
            if close:
                hint = f"; did you mean '{close[0]}'?"
                if close[0] in missing.get(where, []):
                    missing[where].remove(close[0])
                    hint = f"; did you mean '{close[0]}' (a required key)?"
            else:
                hint = f"; allowed here: {', '.join(allowed[where])}"
            findings.append(_finding(source, (*where, key), f"unknown key '{key}'{_in(where)}{hint}"))
    for where, keys in missing.items():
        for key in keys:
            findings.append(_finding(source, where, f"missing required key '{key}'{_in(where)}"))
    for error in others:
        findings.append(_finding(source, tuple(error.absolute_path), _message(source, error)))
    return findings


def _message(source: SourceFile, error: ValidationError) -> str:
    where = tuple(error.absolute_path)
    name = f"'{dotted_path(where)}'" if where else "the file"
    if where in source.coerced and error.validator in ("type", "enum", "pattern"):
        return f"{name}: {describe_coercion(source.coerced[where], error.instance)}"
    if error.validator == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return f"{name} must be {_article(expected)}, not {_kind(error.instance)} ({error.instance!r})"
    if error.validator == "enum":
        choices = ", ".join(str(v) for v in error.validator_value)
        return f"{name} must be one of: {choices} (got {error.instance!r})"
    if error.validator == "propertyNames":
        return f"key {error.instance!r}{_in(where)} is not allowed: {error.message}"
    return f"{name}: {error.message}"


def _finding(source: SourceFile, where: tuple, message: str) -> Finding:
    return Finding(source.display, source.line(where), RULE, message)


def _in(where: tuple) -> str:
    return f" in '{dotted_path(where)}'" if where else ""


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty (null)"
    return "a string"
