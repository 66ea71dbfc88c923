"""Plivo applications: list, create, get, update, delete (``/Application/``).

An application holds the URLs Plivo calls for the numbers attached to it; ``message_url`` (with
``message_method``) receives their incoming messages, which is what the connector's message trigger
sets. Bodies and status codes follow Plivo's docs and the SDK fixtures: create 201
``{"api_id", "app_id", "message": "created"}``, update 202 ``{"api_id", "message": "changed"}``,
delete 204.

Update reads the JSON (or form) body; when the body is empty it reads the same parameters from the
query string. That is how the connector's trigger clean-up (a DELETE the platform sends, routed to
this POST by a policy, with ``message_url`` set in the query) clears the Message URL. Whether the
live API reads a POST's parameters from the query string is not documented (docs/mock.md).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..sha import sha256  # without hashlib, which loads OpenSSL (the mock starts faster)
from . import params as p
from .formats import new_uuid
from .httpio import ApiError, Request, Response
from .paging import MAX_LIMIT, MAX_OFFSET, envelope

if TYPE_CHECKING:
    from .app import MockApp

URL_FIELDS = ("answer_url", "hangup_url", "fallback_answer_url", "message_url")
METHOD_FIELDS = ("answer_method", "hangup_method", "fallback_method", "message_method")
BOOL_FIELDS = ("default_number_app", "default_endpoint_app", "public_uri", "log_incoming_messages")
FIELDS = frozenset({"app_name", *URL_FIELDS, *METHOD_FIELDS, *BOOL_FIELDS, "subaccount"})


def _new_id(app: MockApp, auth_id: str) -> str:
    """A 17-digit id like Plivo's, derived from the account and the creation count: a fresh mock
    hands out the same ids in the same order, so a contract run stays the same for a seed."""
    count = app.store.one("SELECT COALESCE(MAX(id), 0) + 1 FROM applications")[0]
    digest = int(sha256(f"{auth_id}:{count}".encode()).hexdigest(), 16)
    return str(10**16 + digest % (9 * 10**16))


def _defaults(app_name: str) -> dict[str, Any]:
    return {"app_name": app_name, "answer_url": "", "answer_method": "POST", "hangup_url": "",
            "hangup_method": "POST", "fallback_answer_url": "", "fallback_method": "POST",
            "message_url": "", "message_method": "POST", "default_app": False,
            "default_endpoint_app": False, "enabled": True, "public_uri": False,
            "log_incoming_messages": True, "sub_account": None}


def record(auth_id: str, app_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """An application as Plivo lists it (keys of the SDK fixture, sorted as Plivo sends them)."""
    return {
        "answer_method": fields["answer_method"], "answer_url": fields["answer_url"], "app_id": app_id,
        "app_name": fields["app_name"], "default_app": fields["default_app"],
        "default_endpoint_app": fields["default_endpoint_app"], "enabled": fields["enabled"],
        "fallback_answer_url": fields["fallback_answer_url"], "fallback_method": fields["fallback_method"],
        "hangup_method": fields["hangup_method"], "hangup_url": fields["hangup_url"],
        "message_method": fields["message_method"], "message_url": fields["message_url"],
        "public_uri": fields["public_uri"],
        "resource_uri": f"/v1/Account/{auth_id}/Application/{app_id}/",
        "sip_uri": f"sip:{app_id}@app.plivo.com", "sub_account": fields["sub_account"],
    }


def find(app: MockApp, auth_id: str, app_id: str) -> dict[str, Any] | None:
    """The stored fields of the account's application ``app_id``, or None."""
    row = app.store.one("SELECT fields FROM applications WHERE app_id = ? AND auth_id = ?", (app_id, auth_id))
    return None if row is None else json.loads(row["fields"])


def _apply(fields: dict[str, Any], body: p.Body) -> None:
    form = bool(body.get("__form__"))
    if "app_name" in body:
        name = p.get_str(body, "app_name", max_len=255)
        if not name:
            raise p.bad("app_name may not be blank")
        fields["app_name"] = name
    for name in URL_FIELDS:
        if name in body:
            value = p.get_str(body, name)
            if value:  # "" clears a URL
                p.get_url(body, name)
            fields[name] = value
    for name in METHOD_FIELDS:
        if name in body:
            fields[name] = p.get_method(body, name)
    for name in BOOL_FIELDS:
        if name in body:
            value = body[name]
            if form and isinstance(value, str) and value.lower() in ("true", "false"):
                value = value.lower() == "true"
            if not isinstance(value, bool):
                raise p.bad(f"{name} must be true or false")
            fields["default_app" if name == "default_number_app" else name] = value
    if "subaccount" in body:
        fields["sub_account"] = p.get_str(body, "subaccount")


def create(app: MockApp, req: Request, auth_id: str) -> Response:
    body = req.body()
    p.reject_unknown(body, FIELDS)
    name = p.get_str(body, "app_name", required=True, max_len=255)
    taken = app.store.all("SELECT fields FROM applications WHERE auth_id = ?", (auth_id,))
    if any(json.loads(row["fields"])["app_name"] == name for row in taken):
        raise p.bad(f"an application named '{name[:100]}' already exists")
    fields = _defaults(name)
    _apply(fields, body)
    app_id = _new_id(app, auth_id)
    app.store.write("INSERT INTO applications (app_id, auth_id, fields) VALUES (?, ?, ?)",
                    [(app_id, auth_id, json.dumps(fields))])
    return Response(201, {"api_id": new_uuid(), "app_id": app_id, "message": "created"})


def get(app: MockApp, req: Request, auth_id: str, app_id: str) -> Response:
    p.reject_unknown_query(req.query, frozenset())
    fields = find(app, auth_id, app_id)
    if fields is None:
        raise ApiError(404, "not found")
    return Response(200, {"api_id": new_uuid(), **record(auth_id, app_id, fields)})


def update(app: MockApp, req: Request, auth_id: str, app_id: str) -> Response:
    fields = find(app, auth_id, app_id)
    if fields is None:
        raise ApiError(404, "not found")
    body = req.body()
    if not body and req.content_length == 0:  # no body at all: see the module docstring
        body = {k: v[0] if len(v) == 1 else v for k, v in req.query.items()} | {"__form__": True}
    p.reject_unknown(body, FIELDS)
    _apply(fields, body)
    app.store.execute("UPDATE applications SET fields = ? WHERE app_id = ? AND auth_id = ?",
                      (json.dumps(fields), app_id, auth_id))
    return Response(202, {"api_id": new_uuid(), "message": "changed"})


def delete(app: MockApp, req: Request, auth_id: str, app_id: str) -> Response:
    if find(app, auth_id, app_id) is None:
        raise ApiError(404, "not found")
    app.store.execute("DELETE FROM applications WHERE app_id = ? AND auth_id = ?", (app_id, auth_id))
    app.store.execute("UPDATE numbers SET app_id = NULL WHERE app_id = ? AND auth_id = ?", (app_id, auth_id))
    return Response(204)


def list_(app: MockApp, req: Request, auth_id: str) -> Response:
    p.reject_unknown_query(req.query, frozenset({"limit", "offset", "subaccount"}))
    limit = p.query_int(req.query, "limit", 1, MAX_LIMIT, MAX_LIMIT)
    offset = p.query_int(req.query, "offset", 0, MAX_OFFSET, 0)
    rows = app.store.all("SELECT app_id, fields FROM applications WHERE auth_id = ? ORDER BY id", (auth_id,))
    objects = [record(auth_id, r["app_id"], json.loads(r["fields"])) for r in rows]
    wanted = p.query_value(req.query, "subaccount")
    if wanted is not None:
        objects = [o for o in objects if o["sub_account"] == wanted]
    page = objects[offset:offset + limit]
    filters = [("subaccount", wanted)] if wanted is not None else []
    return Response(200, envelope(f"/v1/Account/{auth_id}/Application/", page, limit=limit, offset=offset,
                                  total=len(objects), filters=filters))


def add(app: MockApp, auth_id: str, app_name: str, **fields: Any) -> str:
    """Create an application directly (tests, the control API and the demo account)."""
    values = _defaults(app_name) | fields
    app_id = _new_id(app, auth_id)
    app.store.write("INSERT INTO applications (app_id, auth_id, fields) VALUES (?, ?, ?)",
                    [(app_id, auth_id, json.dumps(values))])
    return app_id
