"""The Call resource: make a call (POST), get one, list (with ``status=live``), hang up (DELETE).
The actions on a live call (speak, play, DTMF, record) are in live_calls.py.

A call's life is derived from the mock clock like a message's state: it rings for RING_SECONDS, is
answered, and ends when hung up through the API or when its time_limit runs out. Durations and
charges are computed once it has ended. Lists filter in Python: call volumes in tests are small and
the derived fields (end_time, bill_duration, hangup cause) would make SQL filters unreadable.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from . import params as p
from .formats import PHONE_RE, SIP_RE, SUBACCOUNT_RE, bare_number, money, new_uuid, parse_filter_time, plivo_time
from .httpio import ApiError, Request, Response
from .paging import MAX_LIMIT, MAX_OFFSET, active_filters, envelope

if TYPE_CHECKING:
    from .app import MockApp

RING_SECONDS = 2.0
DEFAULT_TIME_LIMIT = 14_400
DEFAULT_WINDOW = 7 * 24 * 3600.0  # call lists without an end_time filter cover 7 days
MAX_DESTINATIONS = 1000
RATE_PER_MINUTE_E5 = 850  # "0.00850" per started minute
DIGITS_RE = re.compile(r"^[0-9*#wW]+$")

CALL_FIELDS = frozenset({
    "from", "to", "answer_url", "answer_method", "ring_url", "ring_method", "hangup_url",
    "hangup_method", "fallback_url", "fallback_method", "caller_name", "send_digits",
    "send_on_preanswer", "time_limit", "hangup_on_ring", "machine_detection", "machine_detection_time",
    "machine_detection_url", "machine_detection_method", "sip_headers", "ring_timeout",
    "parent_call_uuid", "error_if_parent_not_found", "callback_url", "callback_method",
})
HANGUP_FIELDS = frozenset({"call_uuid", "callback_url", "callback_method"})
COMPARISONS = (("", "="), ("__gt", ">"), ("__gte", ">="), ("__lt", "<"), ("__lte", "<="))
LIST_PARAMS = frozenset({
    "limit", "offset", "subaccount", "call_direction", "from_number", "to_number", "status",
    "hangup_cause_code", "hangup_source", "parent_call_uuid",
    *(f"bill_duration{s}" for s, _ in COMPARISONS), *(f"end_time{s}" for s, _ in COMPARISONS),
})
OPS = {"=": float.__eq__, ">": float.__gt__, ">=": float.__ge__, "<": float.__lt__, "<=": float.__le__}
COLUMNS = "uuid, auth_id, from_number, to_number, caller_name, created_at, time_limit, ended_at, parent_call_uuid"


def _timeline(row: Any, now: float) -> dict[str, Any]:
    """When the call was answered and ended (None while not yet), and how it ended."""
    created = row["created_at"]
    answer_at = created + RING_SECONDS
    hung_up = row["ended_at"]
    natural_end = answer_at + row["time_limit"]
    end_at = natural_end if hung_up is None else min(hung_up, natural_end)
    ended = end_at <= now
    answered = answer_at <= now and answer_at <= end_at
    return {"answer_at": answer_at if answered else None, "end_at": end_at if ended else None,
            "by_api": hung_up is not None and hung_up < natural_end}


def call_record(row: Any, now: float) -> dict[str, Any]:
    t = _timeline(row, now)
    answered_and_ended = t["end_at"] is not None and t["answer_at"] is not None
    duration = int(t["end_at"] - t["answer_at"]) if answered_and_ended else 0
    billed = 60 * math.ceil(duration / 60)
    ended = t["end_at"] is not None
    return {
        "answer_time": plivo_time(t["answer_at"]) if t["answer_at"] is not None else None,
        "bill_duration": duration,
        "billed_duration": billed,
        "call_direction": "outbound",
        "call_duration": duration,
        "call_uuid": row["uuid"],
        "end_time": plivo_time(t["end_at"]) if ended else None,
        "from_number": row["from_number"],
        "hangup_cause_code": 4000 if ended else None,
        "hangup_cause_name": "Normal Hangup" if ended else None,
        "hangup_source": ("API Request" if t["by_api"] else "Plivo") if ended else None,
        "initiation_time": plivo_time(row["created_at"]),
        "parent_call_uuid": row["parent_call_uuid"],
        "resource_uri": f"/v1/Account/{row['auth_id']}/Call/{row['uuid']}/",
        "to_number": row["to_number"],
        "total_amount": money(RATE_PER_MINUTE_E5 * billed // 60),
        "total_rate": money(RATE_PER_MINUTE_E5),
    }


def _find(app: MockApp, auth_id: str, call_uuid: str) -> Any:
    row = app.store.one(f"SELECT {COLUMNS} FROM calls WHERE uuid = ? AND auth_id = ?", (call_uuid, auth_id))
    if row is None:
        raise ApiError(404, "not found")
    return row


def make(app: MockApp, req: Request, auth_id: str) -> Response:
    body = req.body()
    p.reject_unknown(body, CALL_FIELDS)
    src = p.get_str(body, "from", required=True)
    if not PHONE_RE.match(src):
        raise p.bad(f"'{src[:100]}' is not a valid phone number for from")
    to = p.get_str(body, "to", required=True)
    numbers = to.split("<")  # no trimming: the definition's pattern allows no spaces either
    if len(numbers) > MAX_DESTINATIONS:
        raise p.bad(f"to accepts at most {MAX_DESTINATIONS} destinations")
    for number in numbers:
        if not (PHONE_RE.match(number) or SIP_RE.match(number)):
            raise p.bad(f"'{number[:100]}' is not a valid phone number or SIP endpoint for to")
    p.get_url(body, "answer_url", required=True)
    for name in ("answer", "ring", "hangup", "fallback", "machine_detection", "callback"):
        if name != "answer":
            p.get_url(body, f"{name}_url")
        p.get_method(body, f"{name}_method")
    caller_name = p.get_str(body, "caller_name", max_len=50) or ""
    digits = p.get_str(body, "send_digits")
    if digits is not None and not DIGITS_RE.match(digits):
        raise p.bad("send_digits may contain only digits, *, # and w/W (waits)")
    p.get_bool(body, "send_on_preanswer", False)
    time_limit = p.get_int(body, "time_limit", 1, 86_400, DEFAULT_TIME_LIMIT)
    p.get_int(body, "hangup_on_ring", 0, 86_400)
    p.get_int(body, "ring_timeout", 0, 3_600)
    machine_detection = body.get("machine_detection")
    if machine_detection is not None and machine_detection not in ("true", "hangup", True):
        raise p.bad("machine_detection must be true or hangup")
    p.get_int(body, "machine_detection_time", 2000, 10_000)
    p.get_str(body, "sip_headers")
    parent = p.get_str(body, "parent_call_uuid")
    if parent is not None and p.get_bool(body, "error_if_parent_not_found", False):
        _find(app, auth_id, parent)
    now = app.clock.now()
    rows = [(new_uuid(), auth_id, src, bare_number(n), caller_name, now, time_limit, None, parent)
            for n in numbers]
    app.store.write(f"INSERT INTO calls ({COLUMNS}) VALUES ({', '.join('?' * 9)})", rows)
    uuids = [r[0] for r in rows]
    # The call's uuid is its request_uuid (Plivo's live-call records show them equal).
    return Response(201, {"api_id": new_uuid(), "message": "call fired",
                          "request_uuid": uuids[0] if len(uuids) == 1 else uuids})


def _same_uuid(given: str | None, call_uuid: str) -> None:
    # The Python SDK repeats the path's call_uuid (as a query parameter on GET, in the body on DELETE).
    if given is not None and given != call_uuid:
        raise p.bad("call_uuid does not match the call in the path")


def get(app: MockApp, req: Request, auth_id: str, call_uuid: str) -> Response:
    p.reject_unknown_query(req.query, frozenset({"call_uuid", "status", "callback_url", "callback_method"}))
    _same_uuid(p.query_value(req.query, "call_uuid"), call_uuid)
    row = _find(app, auth_id, call_uuid)
    if p.query_choice(req.query, "status", ("live",)) == "live":
        return _live_call(row, app.clock.now())
    return Response(200, {"api_id": new_uuid(), **call_record(row, app.clock.now())})


def _live_call(row: Any, now: float) -> Response:
    """GET /Call/{uuid}/?status=live (the Python SDK's live_calls.get): the live-call record, or 404
    once the call has ended (it is no longer live)."""
    t = _timeline(row, now)
    if t["end_at"] is not None:
        raise ApiError(404, "not found")
    return Response(200, {
        "api_id": new_uuid(),
        "call_status": "in-progress" if t["answer_at"] is not None else "ringing",
        "call_uuid": row["uuid"],
        "caller_name": row["caller_name"],
        "direction": "outbound",
        "from": "+" + bare_number(row["from_number"]),
        "request_uuid": row["uuid"],
        "session_start": datetime.fromtimestamp(row["created_at"], UTC).strftime("%Y-%m-%d %H:%M:%S.%f"),
        "to": row["to_number"],
    })


def hangup(app: MockApp, req: Request, auth_id: str, call_uuid: str) -> Response:
    body = req.body()
    p.reject_unknown(body, HANGUP_FIELDS)
    _same_uuid(p.get_str(body, "call_uuid"), call_uuid)
    p.get_url(body, "callback_url")
    p.get_method(body, "callback_method")
    row = _find(app, auth_id, call_uuid)
    now = app.clock.now()
    if _timeline(row, now)["end_at"] is not None:
        raise ApiError(404, "not found")  # only live calls can be hung up
    app.store.execute("UPDATE calls SET ended_at = ? WHERE uuid = ? AND ended_at IS NULL", (now, call_uuid))
    return Response(204)


def list_(app: MockApp, req: Request, auth_id: str) -> Response:
    query = req.query
    p.reject_unknown_query(query, LIST_PARAMS)
    limit = p.query_int(query, "limit", 1, MAX_LIMIT, MAX_LIMIT)
    offset = p.query_int(query, "offset", 0, MAX_OFFSET, 0)
    status = p.query_choice(query, "status", ("live",))
    checks: list[Any] = []
    if (v := p.query_value(query, "subaccount")) is not None:
        if not SUBACCOUNT_RE.match(v):
            raise p.bad("subaccount must be a subaccount auth id (SA followed by 18 characters)")
        checks.append(lambda r, v=v: r["resource_uri"].split("/")[3] == v)
    if (v := p.query_choice(query, "call_direction", ("inbound", "outbound"))) is not None:
        checks.append(lambda r, v=v: r["call_direction"] == v)
    for name in ("from_number", "to_number"):
        if (v := p.query_value(query, name)) is not None:
            wanted = bare_number(v)
            checks.append(lambda r, v=wanted, name=name: bare_number(r[name]) == v)
    for name in ("hangup_source", "parent_call_uuid"):
        if (v := p.query_value(query, name)) is not None:
            checks.append(lambda r, v=v, name=name: r[name] == v)
    if (n := p.query_count(query, "hangup_cause_code")) is not None:
        checks.append(lambda r, n=n: r["hangup_cause_code"] == n)
    for suffix, op in COMPARISONS:
        if (n := p.query_count(query, f"bill_duration{suffix}")) is not None:
            checks.append(lambda r, n=n, op=op: OPS[op](float(r["bill_duration"]), float(n)))
    end_filtered = False
    for suffix, op in COMPARISONS:
        if (v := p.query_value(query, f"end_time{suffix}")) is None:
            continue
        ts = parse_filter_time(v)
        if ts is None:
            raise p.bad(f"end_time{suffix} must be a UTC time formatted YYYY-MM-DD HH:MM[:ss[.uuuuuu]]")
        end_filtered = True
        if op == "=":
            ts = float(math.floor(ts))
        checks.append(lambda r, ts=ts, op=op: r["_end"] is not None and OPS[op](
            math.floor(r["_end"]) if op == "=" else r["_end"], ts))

    now = app.clock.now()
    sql = f"SELECT {COLUMNS} FROM calls WHERE auth_id = ?"
    args: list[Any] = [auth_id]
    if not end_filtered:
        sql += " AND created_at > ?"
        args.append(now - DEFAULT_WINDOW)
    records = []
    for row in app.store.all(sql + " ORDER BY created_at DESC, id DESC", args):
        record = call_record(row, now)
        record["_end"] = _timeline(row, now)["end_at"]
        if all(check(record) for check in checks):
            records.append(record)
    if status == "live":
        return Response(200, {"api_id": new_uuid(), "calls": [r["call_uuid"] for r in records
                                                               if r["_end"] is None]})
    for record in records:
        del record["_end"]
    page = records[offset:offset + limit]
    base = f"/v1/Account/{auth_id}/Call/"
    return Response(200, envelope(base, page, limit=limit, offset=offset, total=len(records),
                                  filters=active_filters(query)))


# Shared with live_calls.py and recordings.py.
find_call = _find
timeline = _timeline
same_uuid = _same_uuid
