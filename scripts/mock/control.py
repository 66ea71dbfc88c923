"""The control API under ``/_mock/``: drive the mock from tests (clock, inbound messages, request
log, reset). No credentials, so it answers only clients on the loopback interface. Bodies are JSON
whatever the Content-Type says, so ``curl -d '{"seconds": 60}'`` works as typed.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from . import applications, messages, numbers
from . import inbound as delivery
from . import params as p
from .formats import PHONE_RE, URL_RE, plivo_time
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
    p.reject_unknown(body, frozenset({"auth_id", "from", "to", "text", "media_urls"}))
    auth_id = p.get_str(body, "auth_id", required=True)
    if auth_id not in app.accounts:
        raise p.bad(f"auth_id {auth_id[:40]!r} is not an account of this mock")
    given = {}
    for name in ("from", "to"):
        value = p.get_str(body, name, required=True)
        if not PHONE_RE.match(value):
            raise p.bad(f"'{value[:100]}' is not a valid phone number for {name}")
        given[name] = value
    # An MMS carries media (up to 10 URLs) and may have no text; an SMS needs text.
    media = p.get_list(body, "media_urls", URL_RE.match, "an http or https URL", 10) or []
    text = p.get_str(body, "text", required=not media) or ""
    msg_type = "mms" if media else "sms"
    uuid = messages.add_inbound(app, auth_id, given["from"], given["to"], text, msg_type=msg_type)
    fields = delivery.fields_for(uuid, given["from"], given["to"], text, messages.units_for(msg_type, text),
                                 media=media)
    delivered = delivery.deliver(app, auth_id, fields)
    answer: dict[str, Any] = {"message_uuid": uuid, "resource_uri": f"/v1/Account/{auth_id}/Message/{uuid}/"}
    if delivered is not None:
        answer["delivery"] = {k: delivered[k] for k in ("url", "method", "status", "error")}
    return Response(201, answer)


def rent_number(app: MockApp, req: Request) -> Response:
    """Give a number to an account, optionally attached to an application (``app_id``) or to a new
    application named ``app_name``: Plivo's number purchase, without the inventory and the bill."""
    body = req.json_body()
    p.reject_unknown(body, frozenset({"auth_id", "number", "app_id", "app_name", "alias"}))
    auth_id = p.get_str(body, "auth_id", required=True)
    if auth_id not in app.accounts:
        raise p.bad(f"auth_id {auth_id[:40]!r} is not an account of this mock")
    number = p.get_str(body, "number", required=True)
    app_id = p.get_str(body, "app_id")
    name = p.get_str(body, "app_name", max_len=255)
    if app_id is not None and name is not None:
        raise p.bad("give app_id or app_name, not both")
    if name is not None:
        app_id = applications.add(app, auth_id, name)
    numbers.rent(app, auth_id, number, app_id=app_id, alias=p.get_str(body, "alias", max_len=100))
    return Response(201, {"number": number.lstrip("+"), "app_id": app_id})


def deliveries(app: MockApp, req: Request) -> Response:
    return Response(200, {"deliveries": app.deliveries})


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
    "/_mock/numbers": {"POST": rent_number},
    "/_mock/deliveries": {"GET": deliveries},
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
