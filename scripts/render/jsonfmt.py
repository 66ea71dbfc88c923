"""The one JSON format of every rendered file: 2-space indent, UTF-8 without BOM, LF, final newline.

Keys keep the order in which the renderer built them (the order of Microsoft's templates), so the
output is byte-identical on every run and machine.

The format is exactly ``json.dumps(document, indent=2, ensure_ascii=False)``. With an indent, the
standard library encodes in Python through nested generators; the writer here appends the same
text to one list (strings still escaped by json's C ``encode_basestring``), about three times
faster on a big definition. It handles the plain JSON types the renderer builds; anything else
(a non-string key, NaN, a subclass of str or int) goes to ``json.dumps``, which writes it or
raises exactly as before. tests/test_jsonfmt.py compares the two.
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring
from typing import Any


class _NotPlain(Exception):
    """A value the fast writer leaves to json.dumps."""


def dump_json(document: Any) -> bytes:
    try:
        text = _indented(document)
    except (_NotPlain, RecursionError):
        text = json.dumps(document, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def _indented(document: Any) -> str:
    out: list[str] = []
    append = out.append

    def write(value: Any, pad: str) -> None:  # pad: the newline and indent of the current level
        kind = type(value)
        if kind is str:
            append(encode_basestring(value))
        elif kind is dict:
            if not value:
                append("{}")
                return
            inner, opener = pad + "  ", "{"
            for key, item in value.items():
                if type(key) is not str:
                    raise _NotPlain
                append(opener + inner + encode_basestring(key) + ": ")
                opener = ","
                write(item, inner)
            append(pad + "}")
        elif kind is list:
            if not value:
                append("[]")
                return
            inner, opener = pad + "  ", "["
            for item in value:
                append(opener + inner)
                opener = ","
                write(item, inner)
            append(pad + "]")
        elif value is True:
            append("true")
        elif value is False:
            append("false")
        elif value is None:
            append("null")
        elif kind is int:
            append(int.__repr__(value))
        elif kind is float and math.isfinite(value):
            append(float.__repr__(value))
        else:
            raise _NotPlain

    write(document, "\n")
    return "".join(out)
