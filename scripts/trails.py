"""Every JSON object of a document with a trail to it: for walks that spell out a pointer only for
the few objects they report, not for each of the thousands they visit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Trail = tuple | None  # (parent trail, key or index), None for the document itself


def trails(document: Any) -> Iterator[tuple[Trail, dict]]:
    """(trail, object) for every JSON object, in document order; iterative, so nesting costs no recursion."""
    stack: list[tuple[Trail, Any]] = [(None, document)]
    while stack:
        trail, node = stack.pop()
        if isinstance(node, dict):
            yield trail, node
            children = [((trail, key), value) for key, value in node.items() if isinstance(value, dict | list)]
        elif isinstance(node, list):
            children = [((trail, index), value) for index, value in enumerate(node) if isinstance(value, dict | list)]
        else:
            continue
        children.reverse()  # popped in document order
        stack.extend(children)


def pointer_of(trail: Trail, prefix: tuple = ()) -> tuple:
    """The trail as a JSON pointer (a tuple of keys and indexes) after ``prefix``."""
    keys = []
    while trail is not None:
        trail, key = trail
        keys.append(key)
    return (*prefix, *reversed(keys))
