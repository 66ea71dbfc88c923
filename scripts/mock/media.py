"""Media of MMS and WhatsApp messages: GET /Message/{message_uuid}/Media/ lists the files sent.

Each media URL given to a send becomes one file of every message of that send. The mock does not
fetch URLs (it never reaches the network): the content type is guessed from the URL's extension
and the size is a stable number derived from the URL, so the same send lists the same media.
"""

from __future__ import annotations

import mimetypes
from typing import TYPE_CHECKING

from ..sha import sha256  # without hashlib, which loads OpenSSL (the mock starts faster)
from . import params as p
from .formats import new_uuid
from .httpio import ApiError, Request, Response

if TYPE_CHECKING:
    from .app import MockApp

MEDIA_HOST = "https://media.plivo.com"


def attach(app: MockApp, auth_id: str, message_uuids: list[str], urls: list[str]) -> None:
    app.store.write("INSERT INTO message_media (media_id, message_uuid, auth_id, url) VALUES (?, ?, ?, ?)",
                    [(new_uuid(), uuid, auth_id, url) for uuid in message_uuids for url in urls])


def _content_type(url: str) -> str:
    path = url.split("?", 1)[0].split("#", 1)[0]
    return mimetypes.guess_type(path, strict=False)[0] or "application/octet-stream"


def _size(url: str) -> int:
    return 1024 + int(sha256(url.encode()).hexdigest()[:8], 16) % 4_000_000


def list_(app: MockApp, req: Request, auth_id: str, message_uuid: str) -> Response:
    p.reject_unknown_query(req.query, frozenset())
    if app.store.one("SELECT 1 FROM messages WHERE uuid = ? AND auth_id = ?", (message_uuid, auth_id)) is None:
        raise ApiError(404, "not found")
    rows = app.store.all("SELECT media_id, url FROM message_media WHERE message_uuid = ? AND auth_id = ? "
                         "ORDER BY id", (message_uuid, auth_id))
    objects = [{
        "content_type": _content_type(row["url"]),
        "media_id": row["media_id"],
        "media_url": f"{MEDIA_HOST}/Account/{auth_id}/Message/{message_uuid}/Media/{row['media_id']}",
        "message_uuid": message_uuid,
        "size": _size(row["url"]),
    } for row in rows]
    return Response(200, {"api_id": new_uuid(), "message_uuid": message_uuid, "objects": objects})
