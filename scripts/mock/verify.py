"""Plivo's Verify API: start a session (send a code), check a code, get a session.

POST /Verify/Session/ sends a code to ``recipient`` by sms or voice and answers 200 with the
session's uuid; POST /Verify/Session/{uuid}/ with ``otp`` checks it; GET /Verify/Session/{uuid}/
returns the session. The mock's code is deterministic so tests and flows can enter it: the first
``code_length`` digits of 12345678 (123456 by default). A session expires 10 minutes after it
starts (on the mock clock); 5 wrong codes also end it. A verified session accepts its code again.
Wrong codes and expired sessions answer 400. See docs/mock.md.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from . import params as p
from .formats import PHONE_RE, URL_RE, bare_number, money, new_uuid
from .httpio import ApiError, Request, Response

if TYPE_CHECKING:
    from .app import MockApp

CODE_DIGITS = "12345678"
LIFETIME = 600.0        # seconds a session accepts codes
MAX_WRONG = 5           # wrong codes before a session ends
DEFAULT_APP_UUID = "00000000-0000-4000-8000-000000000000"  # the account's default Verify application
ATTEMPT_E5 = {"sms": 500, "voice": 1000}  # price of sending one code, in 0.00001 USD
VALIDATION_E5 = 5000                       # charged once a session is verified
CREATE_FIELDS = frozenset({"recipient", "channel", "app_uuid", "url", "method", "locale", "brand_name",
                           "app_hash", "code_length", "dtmf", "fraud_check"})
COLUMNS = "uuid, auth_id, app_uuid, recipient, channel, code, created_at, updated_at, verified, wrong_codes"


def _iso(ts: float, tz: tzinfo | None) -> str:
    """``2023-07-19T18:32:05.496988+05:30``: Verify's ISO 8601 times, in the account's offset."""
    return datetime.fromtimestamp(ts, tz or UTC).isoformat(timespec="microseconds")


def _status(row: Any, now: float) -> str:
    if row["verified"]:
        return "verified"
    if now - row["created_at"] >= LIFETIME or row["wrong_codes"] >= MAX_WRONG:
        return "expired"
    return "in-progress"


def start(app: MockApp, req: Request, auth_id: str) -> Response:
    body = req.body()
    p.reject_unknown(body, CREATE_FIELDS)
    recipient = p.get_str(body, "recipient", required=True)
    if not PHONE_RE.match(recipient):
        raise p.bad(f"'{recipient[:100]}' is not a valid phone number.")
    channel = p.get_str(body, "channel", default="sms")
    if channel not in ATTEMPT_E5:
        raise p.bad("channel must be one of: sms, voice")
    app_uuid = p.get_str(body, "app_uuid") or DEFAULT_APP_UUID
    url = p.get_str(body, "url")
    if url is not None and not URL_RE.match(url):
        raise p.bad("url must be an http or https URL")
    p.get_method(body, "method")
    length = p.get_int(body, "code_length", 4, 8, 6)
    for name in ("locale", "brand_name", "app_hash", "dtmf", "fraud_check"):
        if body.get(name) is not None and not isinstance(body[name], str | int | bool):
            raise p.bad(f"{name} must be a string")
    now = app.clock.now()
    uuid = new_uuid()
    app.store.write(f"INSERT INTO verify_sessions ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
                    [(uuid, auth_id, app_uuid, bare_number(recipient), channel, CODE_DIGITS[:length], now, now)])
    return Response(200, {"api_id": new_uuid(), "message": "Session initiated", "session_uuid": uuid})


def _session(app: MockApp, auth_id: str, session_uuid: str) -> Any:
    row = app.store.one(f"SELECT {COLUMNS} FROM verify_sessions WHERE uuid = ? AND auth_id = ?",
                        (session_uuid, auth_id))
    if row is None:
        raise ApiError(404, "not found")
    return row


def check(app: MockApp, req: Request, auth_id: str, session_uuid: str) -> Response:
    body = req.body()
    p.reject_unknown(body, frozenset({"otp", "session_uuid"}))
    # The Python SDK repeats the path's session_uuid in the body.
    given = p.get_str(body, "session_uuid")
    if given is not None and given != session_uuid:
        raise p.bad("session_uuid does not match the session in the path")
    otp = p.get_str(body, "otp", required=True)
    row = _session(app, auth_id, session_uuid)
    now = app.clock.now()
    status = _status(row, now)
    if status == "expired":
        raise p.bad("session expired")
    if otp != row["code"]:
        app.store.execute("UPDATE verify_sessions SET wrong_codes = wrong_codes + 1, updated_at = ? WHERE uuid = ?",
                          (now, session_uuid))
        raise p.bad("Incorrect OTP.")
    if status != "verified":
        app.store.execute("UPDATE verify_sessions SET verified = 1, updated_at = ? WHERE uuid = ?", (now, session_uuid))
    return Response(200, {"api_id": new_uuid(), "message": "session validated successfully."})


def get(app: MockApp, req: Request, auth_id: str, session_uuid: str) -> Response:
    p.reject_unknown_query(req.query, frozenset())
    row = _session(app, auth_id, session_uuid)
    now, tz = app.clock.now(), app.timezone
    attempt_uuid = row["uuid"][:-12] + "a" * 12  # one attempt per session in the mock: stable id
    attempt_e5 = ATTEMPT_E5[row["channel"]]
    validation_e5 = VALIDATION_E5 if row["verified"] else 0
    return Response(200, {
        "api_id": new_uuid(),
        "session_uuid": row["uuid"],
        "app_uuid": row["app_uuid"],
        "recipient": row["recipient"],
        "channel": row["channel"],
        "status": _status(row, now),
        "count": 1,
        "attempt_details": [{"channel": row["channel"], "attempt_uuid": attempt_uuid, "status": "delivered",
                             "time": _iso(row["created_at"], tz)}],
        "charges": {
            "total_charge": money(attempt_e5 + validation_e5),
            "validation_charge": money(validation_e5),
            "attempt_charges": [{"attempt_uuid": attempt_uuid, "channel": row["channel"],
                                 "charge": money(attempt_e5)}],
        },
        "created_at": _iso(row["created_at"], tz),
        "updated_at": _iso(row["updated_at"], tz),
    })
