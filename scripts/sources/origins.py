"""Where each part of a rendered document came from, so rule findings point at a YAML line.

A rule reports a JSON pointer into a rendered document; the renderer records, for the parts it
builds from a source entry, the file and line of that entry. The nearest recorded ancestor of the
pointer gives the place to fix.
"""

from __future__ import annotations

from .yaml_source import SourceFile

Pointer = tuple[str, ...]


class Origins:
    def __init__(self) -> None:
        self._places: dict[tuple[str, Pointer], tuple[str, int | None]] = {}

    def record(self, document: str, pointer: Pointer, source: SourceFile, path: tuple) -> None:
        self._places[(document, tuple(str(p) for p in pointer))] = (source.display, source.line(path))

    def locate(self, document: str, pointer: Pointer) -> tuple[str, int | None]:
        pointer = tuple(str(p) for p in pointer)
        while True:
            place = self._places.get((document, pointer))
            if place is not None:
                return place
            if not pointer:
                return (document, None)
            pointer = pointer[:-1]
