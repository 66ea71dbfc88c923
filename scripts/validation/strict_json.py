"""Read a JSON file the way a validator must: what readers disagree on is a finding, not a guess.

``json.loads`` silently keeps the last of two duplicate keys (other readers keep the first, or
fail), accepts ``NaN`` and ``Infinity`` (not JSON: paconn and the platform reject them), and raises
RecursionError on deep nesting. Here each of those is a finding with its line.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from json import scanner
from json.decoder import JSONObject
from typing import Any

from ..findings import Finding

MAX_DEPTH = 100  # containers inside containers; Microsoft's largest definitions stay far below this
_STRING = re.compile(r'"(?:\\.|[^"\\])*"')
_STRING_UNROLLED = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')  # the same strings, matched 2-3x faster
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_CONSTANT = re.compile(r"(?<![\w.])(-?Infinity|NaN)(?![\w.])")


class JsonTooDeep(ValueError):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def load_strict_json(text: str, display: str) -> tuple[Any, list[Finding]]:
    """The document and findings about it; raises ValueError (JSONDecodeError, JsonTooDeep) when it
    cannot be read at all."""
    duplicates = False
    constants = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicates
        result = dict(items)
        if len(result) != len(items):
            duplicates = True
        return result

    def constant(name: str) -> float:
        nonlocal constants
        constants = True
        return float(name)

    _check_depth(text, display)  # before parsing: json's C parser recurses per level
    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except RecursionError:
        raise JsonTooDeep(f"nested more than {MAX_DEPTH} levels deep") from None
    findings = []
    if duplicates:
        findings += _locate_duplicates(text, display)
    if constants:
        findings += _locate_constants(text, display)
    return data, findings


def _check_depth(text: str, display: str) -> None:
    """Containers nested deeper than MAX_DEPTH, counted outside strings, without recursion."""
    # The common case at C speed: strings out, then everything but brackets, then the running depth.
    brackets = _NOT_BRACKET.sub("", _STRING_UNROLLED.sub("", text))
    if max(accumulate(map(_STEP.__getitem__, brackets)), default=0) <= MAX_DEPTH:
        return
    depth = 0  # too deep: find the line where it happens
    for token in re.finditer(r'"(?:\\.|[^"\\])*"|[\[{]|[\]}]', text):
        char = token.group()[0]
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, token.start()) + 1
                raise JsonTooDeep(f"nested more than {MAX_DEPTH} levels deep; no connector definition needs "
                                  "that, and readers run out of stack", line)
        elif char in "]}":
            depth -= 1


def _locate_duplicates(text: str, display: str) -> list[Finding]:
    """A second, slower pass with the pure-Python parser, which tells where each object starts."""
    findings = []

    def located_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None, **kw):
        s, start = s_and_end

        def check(items: list[tuple[str, Any]]) -> dict[str, Any]:
            seen: dict[str, int | None] = {}
            position = start
            for key, _ in items:
                # Keys come in text order, so each key is found after the previous one.
                found = s.find(json.dumps(key, ensure_ascii=False), position)
                position = found + 1 if found >= 0 else position
                line = s.count("\n", 0, found) + 1 if found >= 0 else None
                if key in seen:
                    first = f" (first on line {seen[key]})" if seen[key] else ""
                    findings.append(Finding(display, line, "DuplicateKey",
                                            f"key {key!r} appears twice in the same object{first}; readers "
                                            "disagree on which value wins (json.loads keeps the last): remove one"))
                seen.setdefault(key, line)
            return dict(items)

        return JSONObject(s_and_end, strict, scan_once, object_hook, check, memo, **kw)

    decoder = json.JSONDecoder()
    decoder.parse_object = located_object
    decoder.parse_constant = float
    decoder.scan_once = scanner.py_make_scanner(decoder)
    decoder.decode(text)
    return findings


def _locate_constants(text: str, display: str) -> list[Finding]:
    findings = []
    for number, line in enumerate(text.splitlines(), 1):
        for match in _CONSTANT.finditer(_STRING.sub('""', line)):
            findings.append(Finding(display, number, "JsonConstant",
                                    f"{match.group()} is not JSON (json.loads accepts it, paconn and the "
                                    "platform do not); use a number or a string"))
    return findings
