"""The control API under ``/_mock/``: drive the mock from tests (clock, inbound messages, request
log, reset). No credentials, so it answers only clients on the loopback interface. Bodies are JSON
whatever the Content-Type says, so ``curl -d '{"seconds": 60}'`` works as typed.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from . import messages
from . import params as p
from .formats import PHONE_RE, plivo_time
from .httpio import ApiError, Request, Response

if TYPE_CHECKING:
    from .app import MockApp

MAX_ADVANCE = 10 * 366 * 24 * 3600.0  # ten years is more than any test needs


def _clock_state(app: MockApp) -> dict[str, Any]:
    now = app.clock.now()
    return {"now": now, "time": plivo_time(now), "offset": app.clock.offset}


def clock(app: MockApp, req: Request) -> Response:
    return Response(200, _clock_state(app))


def advance(app: MockApp, req: Request) -> Response:
    body = req.json_body()
    p.reject_unknown(body, frozenset({"seconds"}))
    seconds = body.get("seconds")
    if seconds is None:
        raise p.missing("seconds")
    # Range check only (no float()): a huge JSON integer must not overflow; NaN/inf fail it too.
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 <= seconds <= MAX_ADVANCE:
        raise p.bad(f"seconds must be a number between 0 and {int(MAX_ADVANCE)}")
    app.advance_clock(seconds)
    return Response(200, _clock_state(app))


def inbound(app: MockApp, req: Request) -> Response:
    body = req.json_body()
    p.reject_unknown(body, frozenset({"auth_id", "from", "to", "text"}))
    auth_id = p.get_str(body, "auth_id", required=True)
    if auth_id not in app.accounts:
        raise p.bad(f"auth_id {auth_id[:40]!r} is not an account of this mock")
    numbers = {}
    for name in ("from", "to"):
        value = p.get_str(body, name, required=True)
        if not PHONE_RE.match(value):
            raise p.bad(f"'{value[:100]}' is not a valid phone number for {name}")
        numbers[name] = value
    text = p.get_str(body, "text", required=True)
    uuid = messages.add_inbound(app, auth_id, numbers["from"], numbers["to"], text)
    return Response(201, {"message_uuid": uuid, "resource_uri": f"/v1/Account/{auth_id}/Message/{uuid}/"})


def requests(app: MockApp, req: Request) -> Response:
    return Response(200, {"requests": app.request_log})


def clear_requests(app: MockApp, req: Request) -> Response:
    app.clear_request_log()
    return Response(204)


def reset(app: MockApp, req: Request) -> Response:
    app.reset()
    return Response(204)


ROUTES: dict[str, dict[str, Any]] = {
    "/_mock/clock": {"GET": clock},
    "/_mock/clock/advance": {"POST": advance},
    "/_mock/inbound": {"POST": inbound},
    "/_mock/requests": {"GET": requests, "DELETE": clear_requests},
    "/_mock/reset": {"POST": reset},
}


def is_loopback(address: str) -> bool:
    if not address:  # in-process WSGI call: there is no network peer at all
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def dispatch(app: MockApp, req: Request) -> Response:
    if not is_loopback(req.remote_addr):
        raise ApiError(403, "the control API answers loopback clients only")
    methods = ROUTES.get(req.path.rstrip("/"))
    if methods is None:
        raise ApiError(404, "not found")
    handler = methods.get(req.method)
    if handler is None:
        raise ApiError(405, "method not allowed", headers=[("Allow", ", ".join(methods))])
    return handler(app, req)
