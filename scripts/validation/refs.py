"""References that leave the document: found and refused, never resolved.

A connector folder is untrusted input (a download, a pull request). A ``$ref`` such as
``file:///etc/passwd``, ``../secrets.json`` or ``http://internal/`` would make a resolver read a
local file or reach the network, and the validator's error message would then print what it read.
The project's definitions only ever use local references (``#/...``), so anything else is a finding,
and the resolver handed to openapi-spec-validator refuses every retrieval whatever the scheme.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NoReturn

from ..trails import pointer_of, trails


class ExternalRefRefused(LookupError):
    """Raised by the resolver instead of reading a file or fetching a URL."""


def _refuse(uri: str) -> NoReturn:
    raise ExternalRefRefused(f"$ref {uri!r} refused: only local references (#/...) are resolved")


class RefuseEveryScheme(dict):
    """jsonschema-path's retriever looks the URI's scheme up here and, for a scheme it does not
    find, falls back to ``urllib.request.urlopen`` (ftp:, data:, relative paths...). Every scheme is
    therefore "found", and its handler refuses."""

    def __contains__(self, scheme: object) -> bool:
        return True

    def __getitem__(self, scheme: str):
        return _refuse

    def get(self, scheme: str, default: Any = None):
        return _refuse


REFUSE_EVERY_SCHEME = RefuseEveryScheme()


def external_refs(document: Any, prefix: tuple = (), objects: Iterable | None = None) -> Iterator[tuple[tuple, str]]:
    """(pointer of the object holding it, ref) for every ``$ref`` that is not a local ``#...`` one.
    ``objects``: ``trails(document)`` when the caller has walked it already."""
    for trail, node in trails(document) if objects is None else objects:
        if "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str):
                yield pointer_of(trail, prefix), repr(ref)
            elif not ref.startswith("#"):
                yield pointer_of(trail, prefix), ref
