"""Line and column of a JSON pointer in a JSON text, for findings on files that have no YAML sources.

``json`` keeps no positions, so the text is scanned once more (only when there are findings to place):
a regular-expression tokenizer walks the document and records where each member (its key) and each
array element starts. A pointer that is not in the text falls back to its nearest ancestor.
"""

from __future__ import annotations

import bisect
import json
import re

TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


def json_positions(text: str) -> dict[tuple[str, ...], int]:
    """Offset of every member key and array element, by JSON pointer (as a tuple of strings)."""
    positions: dict[tuple[str, ...], int] = {}
    stack: list[list] = []  # [is_array, path of the container, index of the current element]
    path: tuple[str, ...] = ()
    want, record = "value", True
    for match in TOKEN.finditer(text):
        token = match.group()
        if want == "key":
            if token == "}":
                stack.pop()
                want = "other"
                continue
            try:
                key = json.loads(token)
            except ValueError:
                key = token
            path = (*stack[-1][1], str(key))
            positions[path] = match.start()  # a repeated key: the last one wins, as in json.loads
            want = "colon"
        elif want == "colon":
            want, record = "value", False
        elif want == "value":
            if token == "]" and stack and stack[-1][0]:  # an empty array
                stack.pop()
                want = "other"
                continue
            if record:
                positions.setdefault(path, match.start())
            record = True
            if token == "{":
                stack.append([False, path, 0])
                want = "key"
            elif token == "[":
                stack.append([True, path, 0])
                path = (*path, "0")
            else:
                want = "other"
        elif token == "," and stack:
            frame = stack[-1]
            if frame[0]:
                frame[2] += 1
                path = (*frame[1], str(frame[2]))
                want = "value"
            else:
                want = "key"
        elif token in "}]" and stack:
            stack.pop()
    return positions


class TextPositions:
    """Pointer -> (line, column), both 1-based; built lazily for one document text."""

    def __init__(self, text: str):
        self._text = text
        self._positions: dict[tuple[str, ...], int] | None = None
        self._lines = [0] + [m.end() for m in re.finditer("\n", text)]

    def locate(self, pointer: tuple[str, ...]) -> tuple[int, int]:
        if self._positions is None:
            self._positions = json_positions(self._text)
        pointer = tuple(pointer)
        while pointer and pointer not in self._positions:
            pointer = pointer[:-1]
        offset = self._positions.get(pointer, 0) if pointer else _first(self._text)
        line = bisect.bisect_right(self._lines, offset)
        return line, offset - self._lines[line - 1] + 1


def _first(text: str) -> int:
    match = re.search(r"\S", text)
    return match.start() if match else 0
