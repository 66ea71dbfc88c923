"""Plivo's list envelope: ``{"api_id", "meta": {limit, offset, total_count, next, previous}, "objects"}``.

``next``/``previous`` are relative URIs that repeat the active filters, so a client can follow them
without remembering its own query.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from .formats import new_uuid

MAX_LIMIT = 20
MAX_OFFSET = 2**31 - 1  # no documented cap; int32 is what API schemas usually declare


def _link(base: str, limit: int, offset: int, filters: list[tuple[str, str]]) -> str:
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


def active_filters(query: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The query's filters (not limit/offset) in a stable order, for the paging links."""
    return sorted((k, v[0]) for k, v in query.items() if k not in ("limit", "offset") and v)
