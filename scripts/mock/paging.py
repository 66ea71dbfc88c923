"""Plivo's list envelope: ``{"api_id", "meta": {limit, offset, total_count, next, previous}, "objects"}``.

``next``/``previous`` are relative URIs that repeat the active filters, so a client can follow them
without remembering its own query.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from .formats import new_uuid

MAX_LIMIT = 20
MAX_OFFSET = 2**31 - 1  # no documented cap; int32 is what API schemas usually declare


def _link(base: str, limit: int, offset: int, filters: list[tuple[str, str]]) -> str:
    if not filters:  # what urlencode gives for two integers, without its cost on every list
        return f"{base}?limit={limit}&offset={offset}"
    return base + "?" + urlencode([("limit", limit), ("offset", offset), *filters], quote_via=quote)


def envelope(base: str, objects: list[dict[str, Any]], *, limit: int, offset: int, total: int,
             filters: list[tuple[str, str]]) -> dict[str, Any]:
    next_uri = _link(base, limit, offset + limit, filters) if offset + limit < total else None
    previous = _link(base, limit, max(0, offset - limit), filters) if offset > 0 else None
    return {
        "api_id": new_uuid(),
        "meta": {"limit": limit, "next": next_uri, "offset": offset, "previous": previous,
                 "total_count": total},
        "objects": objects,
    }


def envelope_json(base: str, object_texts: list[str], *, limit: int, offset: int, total: int,
                  filters: list[tuple[str, str]]) -> bytes:
    """``envelope`` encoded as JSON, its objects given already encoded (``json.dumps`` of each): the
    same bytes as ``json.dumps(envelope(...))``, without encoding records whose text is cached."""
    text = json.dumps(envelope(base, [], limit=limit, offset=offset, total=total, filters=filters))
    assert text.endswith('"objects": []}')  # "objects" is the envelope's last key
    return (text[:-3] + "[" + ", ".join(object_texts) + "]}").encode()


def active_filters(query: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The query's filters (not limit/offset) in a stable order, for the paging links."""
    return sorted((k, v[0]) for k, v in query.items() if k not in ("limit", "offset") and v)
