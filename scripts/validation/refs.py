"""References that leave the document: found and refused, never resolved.

A connector folder is untrusted input (a download, a pull request). A ``$ref`` such as
``file:///etc/passwd``, ``../secrets.json`` or ``http://internal/`` would make a resolver read a
local file or reach the network, and the validator's error message would then print what it read.
The project's definitions only ever use local references (``#/...``), so anything else is a finding,
and the resolver handed to openapi-spec-validator refuses every retrieval whatever the scheme.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NoReturn


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


def external_refs(document: Any, pointer: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(pointer of the object holding it, ref) for every ``$ref`` that is not a local ``#...`` one."""
    # Iterative (a deeply nested document must not exhaust the recursion limit here), and a node's
    # pointer is spelled out only for a reference found: each stack entry links to its parent's.
    stack: list[tuple[Any, Any, Any]] = [(document, None, None)]
    while stack:
        entry = stack.pop()
        node = entry[0]
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                yield _pointer(entry, pointer), ref
            elif "$ref" in node and not isinstance(ref, str):
                yield _pointer(entry, pointer), repr(ref)
            children = [(child, entry, key) for key, child in node.items() if isinstance(child, dict | list)]
        elif isinstance(node, list):
            children = [(child, entry, index) for index, child in enumerate(node) if isinstance(child, dict | list)]
        else:
            continue
        children.reverse()  # popped in document order
        stack.extend(children)


def _pointer(entry: tuple, prefix: tuple) -> tuple:
    keys = []
    while entry[1] is not None:
        keys.append(entry[2])
        entry = entry[1]
    return (*prefix, *reversed(keys))
