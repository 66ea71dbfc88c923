"""Line and column of a JSON pointer in a JSON text, for findings on files that have no YAML sources.

``json`` keeps no positions, so the text is scanned once more (only when there are findings to place).
Only the paths that lead to the pointers asked for are walked in Python; every other value is skipped
with json's C scanner, so placing a dozen findings in a 1 MB definition costs about one ``json.loads``
rather than a Python loop over every token. A member is placed at its key, an array element at its
value; a pointer that is not in the text falls back to its nearest ancestor. Should the text not scan
(it always parsed before it got here), ``json_positions`` tokenizes all of it instead.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable

TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')
STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
SPACE = re.compile(r"[ \t\n\r]*")


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
    """Pointer -> (line, column), both 1-based, for one document text. ``wanted`` (the pointers about
    to be located) lets one walk serve them all; a pointer not among them costs a walk of its own."""

    def __init__(self, text: str, wanted: Iterable[Iterable] = ()):
        self._text = text
        self._offsets: dict[tuple[str, ...], int] = {}  # a pointer asked for -> offset of what it reaches
        self._lines: list[int] | None = None
        self._prepare([tuple(str(p) for p in pointer) for pointer in wanted])

    def locate(self, pointer: Iterable) -> tuple[int, int]:
        pointer = tuple(str(p) for p in pointer)
        if pointer not in self._offsets:
            self._prepare([pointer])
        offset = self._offsets[pointer]
        if self._lines is None:
            self._lines = [0] + [m.end() for m in re.finditer("\n", self._text)]
        line = bisect.bisect_right(self._lines, offset)
        return line, offset - self._lines[line - 1] + 1

    def _prepare(self, pointers: list[tuple[str, ...]]) -> None:
        pointers = [p for p in pointers if p not in self._offsets]
        if not pointers:
            return
        trie: dict = {}
        for pointer in pointers:
            node = trie
            for part in pointer:
                node = node.setdefault(part, {})
        try:
            reached = _Walker(self._text).reached(trie)
        except (ValueError, IndexError, StopIteration, RecursionError):
            reached = json_positions(self._text)
        for pointer in pointers:
            found = pointer
            while found and found not in reached:
                found = found[:-1]
            self._offsets[pointer] = reached[found] if found else _first(self._text)


class _Walker:
    """Walks a JSON text along a trie of wanted paths; skips everything else with json's scanner."""

    def __init__(self, text: str):
        self.text = text
        self.skip = json.JSONDecoder().scan_once  # (text, index) -> (value, end), in C
        self.found: dict[tuple[str, ...], int] = {}

    def reached(self, trie: dict) -> dict[tuple[str, ...], int]:
        self.value(SPACE.match(self.text, 0).end(), trie, ())
        return self.found

    def value(self, at: int, trie: dict, path: tuple[str, ...]) -> int:
        """Walks the value starting at ``at``; returns the offset just after it."""
        char = self.text[at]
        if not trie or char not in "{[":
            return self.skip(self.text, at)[1]
        if char == "{":
            return self.members(at, trie, path)
        return self.elements(at, trie, path)

    def members(self, at: int, trie: dict, path: tuple[str, ...]) -> int:
        text = self.text
        at = SPACE.match(text, at + 1).end()
        if text[at] == "}":
            return at + 1
        while True:
            token = STRING.match(text, at)
            if token is None:
                raise ValueError(f"no key at offset {at}")
            raw = token.group()
            key = json.loads(raw) if "\\" in raw else raw[1:-1]
            at = SPACE.match(text, token.end()).end()
            if text[at] != ":":
                raise ValueError(f"no colon at offset {at}")
            at = SPACE.match(text, at + 1).end()
            if key in trie:
                member = (*path, key)
                if member in self.found:  # a repeated key: the last one wins, as in json.loads
                    for stale in [p for p in self.found if p[:len(member)] == member]:
                        del self.found[stale]
                self.found[member] = token.start()
                at = self.value(at, trie[key], member)
            else:
                at = self.skip(text, at)[1]
            at = SPACE.match(text, at).end()
            if text[at] == "}":
                return at + 1
            if text[at] != ",":
                raise ValueError(f"no comma at offset {at}")
            at = SPACE.match(text, at + 1).end()

    def elements(self, at: int, trie: dict, path: tuple[str, ...]) -> int:
        text = self.text
        at = SPACE.match(text, at + 1).end()
        if text[at] == "]":
            return at + 1
        index = 0
        while True:
            key = str(index)
            if key in trie:
                self.found[(*path, key)] = at
                at = self.value(at, trie[key], (*path, key))
            else:
                at = self.skip(text, at)[1]
            at = SPACE.match(text, at).end()
            if text[at] == "]":
                return at + 1
            if text[at] != ",":
                raise ValueError(f"no comma at offset {at}")
            at = SPACE.match(text, at + 1).end()
            index += 1


def _first(text: str) -> int:
    match = re.search(r"\S", text)
    return match.start() if match else 0
