"""The Message resource: send (POST), get one, list with Plivo's filters, and the inbound helper.

A message's state is not stored: it is derived from its age on the mock clock (queued, then sent
after 1 s, delivered after 5 s), both in Python for records and in SQL for the state filters, so
advancing the clock changes every message at once without a background job. Reserved test
destinations end failed or undelivered instead (outcomes.py). message_time and the other times are
written in the offset of the account's time zone (``MockApp.timezone``).
"""

from __future__ import annotations

import contextlib
import json
import math
from datetime import tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from . import media, outcomes
from . import params as p
from .formats import (
    PHONE_RE,
    SENDER_ID_RE,
    SUBACCOUNT_RE,
    URL_RE,
    bare_number,
    money,
    new_uuid,
    parse_filter_time,
    plivo_time,
    plivo_time_us,
)
from .httpio import ApiError, Request, Response
from .paging import MAX_LIMIT, MAX_OFFSET, active_filters, envelope_json

if TYPE_CHECKING:
    from .app import MockApp

SENT_AFTER = 1.0       # seconds from queued to sent
DELIVERED_AFTER = 5.0  # seconds from queued to delivered
DEFAULT_WINDOW = 24 * 3600.0  # lists without a time filter cover the last 24 hours
# Messages of :auth with created_at > :start, from the per-hour counts (store.COUNTS_SCHEMA): the
# hours after the one holding :start from the counts, and that hour's messages after :start from
# the index. Float division is monotonic, so a message is in exactly one of the two parts; the
# range bound on created_at only keeps the index scan inside that hour.
WINDOW_COUNT_SQL = """
SELECT (SELECT COALESCE(SUM(n), 0) FROM message_counts
        WHERE auth_id = :auth AND hour > CAST(:start / 3600 AS INTEGER))
     + (SELECT COUNT(*) FROM messages
        WHERE auth_id = :auth AND created_at > :start
          AND created_at < (CAST(:start / 3600 AS INTEGER) + 1) * 3600 + 1
          AND CAST(created_at / 3600 AS INTEGER) = CAST(:start / 3600 AS INTEGER))
"""
MAX_DESTINATIONS = 1000
# Price per unit in 0.00001 (so 500 = "0.00500"); inbound messages are free in the mock.
RATES_E5 = {"sms": 500, "mms": 2000, "whatsapp": 500}
POWERPACK_NUMBER = "14155550100"  # the number a powerpack "picks" when no src is given

SEND_FIELDS = frozenset({
    "src", "dst", "text", "type", "url", "method", "log", "trackable", "powerpack_uuid",
    "media_urls", "media_ids", "message_expiry", "template", "interactive", "location",
    "dlt_entity_id", "dlt_template_id", "dlt_template_category",
})
STATES = ("queued", "sent", "delivered", "undelivered", "failed", "rejected", "read", "received")
TIME_FILTERS = ("message_time", "message_time__gt", "message_time__gte", "message_time__lt",
                "message_time__lte")
LIST_PARAMS = frozenset({
    "limit", "offset", "subaccount", "message_direction", "message_state", "message_type",
    "error_code", "from_number", "to_number", "powerpack_id", *TIME_FILTERS,
})

# The derived state and error code, as SQL over a row and the parameter :now.
STATE_SQL = (f"(CASE WHEN fixed_state IS NOT NULL THEN fixed_state "
             f"WHEN created_at > :now - {SENT_AFTER} THEN 'queued' "
             f"WHEN {outcomes.OUTCOME_SQL} = 'failed' THEN 'failed' "
             f"WHEN created_at > :now - {DELIVERED_AFTER} THEN 'sent' "
             f"WHEN {outcomes.OUTCOME_SQL} = 'undelivered' THEN 'undelivered' ELSE 'delivered' END)")
ERROR_CODE_SQL = (f"(CASE WHEN fixed_state IS NOT NULL THEN NULL "
                  f"WHEN {outcomes.OUTCOME_SQL} = 'failed' AND created_at <= :now - {SENT_AFTER} "
                  f"THEN {outcomes.CODE_SQL} "
                  f"WHEN created_at <= :now - {DELIVERED_AFTER} THEN COALESCE({outcomes.CODE_SQL}, '000') END)")
COLUMNS = ("uuid, auth_id, direction, fixed_state, type, from_number, to_number, created_at, units, "
           "rate_e5, powerpack_id, text")
INSERT_SQL = f"INSERT INTO messages ({COLUMNS}) VALUES ({', '.join('?' * 12)})"
FINAL_CACHE_SIZE = 4096  # records kept as JSON text: about 200 pages, a few MiB at most
_final_texts: dict[tuple[Any, ...], str] = {}  # (row values but text, time zone) -> message_record as JSON


@lru_cache(maxsize=8192)
def _times(created: float, tz: tzinfo | None) -> tuple[str, str, str, str]:
    """message_time and the queued/sent/delivered update times of a message created at ``created``.
    Cached: formatting is most of a list request's cost, and a message's times never change."""
    return (plivo_time(created, tz), plivo_time_us(created, tz), plivo_time_us(created + SENT_AFTER, tz),
            plivo_time_us(created + DELIVERED_AFTER, tz))


def message_record(row: Any, now: float, tz: tzinfo | None = None) -> dict[str, Any]:
    created = row["created_at"]
    message_time, queued_at, sent_at, delivered_at = _times(created, tz)
    age = now - created
    sent_time = None
    error_code = None
    charged = True
    end = None if row["fixed_state"] is not None else outcomes.outcome(row["to_number"])
    if row["fixed_state"] is not None:
        state, updated = row["fixed_state"], queued_at
    elif age < SENT_AFTER:
        state, updated = "queued", queued_at
    elif end is not None and end[0] == "failed":
        # Plivo never handed it to a carrier: no sent time, and (as in Plivo's documented failed
        # record) nothing charged.
        state, updated, error_code = "failed", sent_at, end[1]
        charged = False
    elif age < DELIVERED_AFTER:
        state, updated, sent_time = "sent", sent_at, sent_at
    else:
        final, code = end if end is not None else ("delivered", "000")
        state, updated, sent_time, error_code = final, delivered_at, sent_at, code
    rate = row["rate_e5"]
    record = {
        "error_code": error_code,
        "from_number": row["from_number"],
        "message_direction": row["direction"],
        "message_state": state,
        "message_time": message_time,
        "message_type": row["type"],
        "message_uuid": row["uuid"],
        "resource_uri": f"/v1/Account/{row['auth_id']}/Message/{row['uuid']}/",
        "to_number": row["to_number"],
        "total_amount": money(rate * row["units"] if charged else 0),
        "total_rate": money(rate),
        "units": row["units"],
        "message_sent_time": sent_time,
        "message_updated_time": updated,
        "error_message": "",
    }
    if row["powerpack_id"]:
        record["powerpack_id"] = row["powerpack_id"]
    return record


def message_json(row: Any, now: float, tz: tzinfo | None = None) -> str:
    """``json.dumps(message_record(...))``. A record in its final state (a fixed state such as
    received, or DELIVERED_AFTER seconds old) no longer depends on the clock: its text is cached,
    keyed by every column of the row and the time zone, so a list of old messages (the common case)
    encodes nothing. Bounded: the oldest entries are dropped first. The text column (last in
    COLUMNS) is left out of the key: the record does not show it, and it may be long."""
    if row["fixed_state"] is None and now - row["created_at"] < DELIVERED_AFTER:
        return json.dumps(message_record(row, now, tz))
    key = (*row[:-1], tz)
    text = _final_texts.get(key)
    if text is None:
        text = json.dumps(message_record(row, now, tz))
        if len(_final_texts) >= FINAL_CACHE_SIZE:
            with contextlib.suppress(KeyError, RuntimeError, StopIteration):  # another thread was first
                del _final_texts[next(iter(_final_texts))]
        _final_texts[key] = text
    return text


def units_for(msg_type: str, text: str | None) -> int:
    """Plivo's units: sms by its text (GSM 160/153, UCS-2 70/67); an mms or whatsapp message is one."""
    return outcomes.units(text) if msg_type == "sms" else 1


def _validate_send(body: p.Body) -> dict[str, Any]:
    p.reject_unknown(body, SEND_FIELDS)
    msg_type = p.get_str(body, "type", default="sms")
    if msg_type not in ("sms", "mms", "whatsapp"):
        raise p.bad("type must be one of: sms, mms, whatsapp")
    src = p.get_str(body, "src")
    powerpack = p.get_str(body, "powerpack_uuid") or None  # an empty uuid names no Powerpack
    if src is not None and powerpack is not None:
        raise p.bad("specify either src or powerpack_uuid, not both")
    if src is None and (powerpack is None or msg_type == "whatsapp"):
        raise p.bad("src parameter is missing" if msg_type == "whatsapp"
                    else "src parameter is missing (or give powerpack_uuid)")
    if src is not None and not (PHONE_RE.match(src) or (msg_type == "sms" and SENDER_ID_RE.match(src))):
        raise p.bad(f"'{src[:100]}' is not a valid src")
    dst = p.get_str(body, "dst", required=True)
    text = p.get_str(body, "text", required=msg_type == "sms")
    media_urls = p.get_list(body, "media_urls", lambda u: bool(URL_RE.match(u)), "URL", 10)
    media_ids = p.get_list(body, "media_ids", lambda s: bool(s.strip()), "media id", 10)
    if msg_type == "sms" and (media_urls or media_ids):
        raise p.bad("media_urls and media_ids are only accepted for type mms or whatsapp")
    if msg_type == "whatsapp" and media_ids:
        raise p.bad("media_ids is only accepted for type mms")
    for name in ("template", "interactive", "location"):
        if body.get(name) is not None:
            if msg_type != "whatsapp":
                raise p.bad(f"{name} is only accepted for type whatsapp")
            if not isinstance(body[name], dict):
                raise p.bad(f"{name} must be an object")
    if msg_type == "mms" and not (text or media_urls or media_ids):
        raise p.bad("an mms needs text, media_urls or media_ids")
    if msg_type == "whatsapp" and not (text or media_urls or any(body.get(k) for k in
                                                                   ("template", "interactive", "location"))):
        raise p.bad("a whatsapp message needs text, media_urls, template, interactive or location")
    p.get_url(body, "url")
    p.get_method(body, "method")
    p.get_bool(body, "log", True)
    p.get_bool(body, "trackable", False)
    # Plivo: 5 s to 3 h for sms/mms; whatsapp messages may wait up to 30 days.
    p.get_int(body, "message_expiry", 5, 2_592_000 if msg_type == "whatsapp" else 10_800)
    for name in ("dlt_entity_id", "dlt_template_id", "dlt_template_category"):
        p.get_str(body, name)
    numbers = dst.split("<")  # no trimming: the definition's pattern allows no spaces either
    if len(numbers) > MAX_DESTINATIONS:
        raise p.bad(f"dst accepts at most {MAX_DESTINATIONS} numbers")
    # Plivo sends once per destination: a number given twice (with or without "+") gets one message.
    valid: list[str] = []
    seen: set[str] = set()
    for number in numbers:
        if PHONE_RE.match(number) and bare_number(number) not in seen:
            seen.add(bare_number(number))
            valid.append(number)
    invalid = list(dict.fromkeys(n for n in numbers if not PHONE_RE.match(n)))
    if not valid:
        raise p.bad(f"'{dst[:100]}' is not a valid phone number." if len(numbers) == 1
                    else "dst contains no valid phone number")
    return {"type": msg_type, "src": src, "powerpack": powerpack, "text": text,
            "valid": valid, "invalid": invalid, "media_urls": media_urls or []}


def send(app: MockApp, req: Request, auth_id: str) -> Response:
    fields = _validate_send(req.body())
    now = app.clock.now()
    src = fields["src"]
    from_number = POWERPACK_NUMBER if src is None else (bare_number(src) if PHONE_RE.match(src) else src)
    units = units_for(fields["type"], fields["text"])
    rows = [
        (new_uuid(), auth_id, "outbound", None, fields["type"], from_number, bare_number(number), now,
         units, RATES_E5[fields["type"]], fields["powerpack"], fields["text"])
        for number in fields["valid"]
    ]
    app.store.write(INSERT_SQL, rows)  # committed before the 202 goes out
    if fields["media_urls"]:
        media.attach(app, auth_id, [r[0] for r in rows], fields["media_urls"])
    body: dict[str, Any] = {"api_id": new_uuid(), "message": "message(s) queued",
                            "message_uuid": [r[0] for r in rows]}
    if fields["invalid"]:
        body["invalid_number"] = fields["invalid"]
    return Response(202, body)


def add_inbound(app: MockApp, auth_id: str, from_number: str, to_number: str, text: str,
                msg_type: str = "sms") -> str:
    uuid = new_uuid()
    app.store.write(INSERT_SQL, [(uuid, auth_id, "inbound", "received", msg_type, bare_number(from_number),
                                  bare_number(to_number), app.clock.now(), units_for(msg_type, text), 0,
                                  None, text)])
    return uuid


def get(app: MockApp, req: Request, auth_id: str, message_uuid: str) -> Response:
    p.reject_unknown_query(req.query, frozenset())
    row = app.store.one(f"SELECT {COLUMNS} FROM messages WHERE uuid = ? AND auth_id = ?",
                        (message_uuid, auth_id))
    if row is None:
        raise ApiError(404, "not found")
    return Response(200, {"api_id": new_uuid(), **message_record(row, app.clock.now(), app.timezone)})


def list_(app: MockApp, req: Request, auth_id: str) -> Response:
    query = req.query
    p.reject_unknown_query(query, LIST_PARAMS)
    limit = p.query_int(query, "limit", 1, MAX_LIMIT, MAX_LIMIT)
    offset = p.query_int(query, "offset", 0, MAX_OFFSET, 0)
    now = app.clock.now()
    where = ["auth_id = :auth"]
    args: dict[str, Any] = {"auth": auth_id, "now": now}

    def add(clause: str, name: str, value: Any) -> None:
        where.append(clause.format(name))
        args[name] = value

    if (v := p.query_choice(query, "message_direction", ("inbound", "outbound"))) is not None:
        add("direction = :{}", "direction", v)
    if (v := p.query_choice(query, "message_state", STATES)) is not None:
        add(STATE_SQL + " = :{}", "state", v)
    if (v := p.query_choice(query, "message_type", ("sms", "mms", "whatsapp"))) is not None:
        add("type = :{}", "type", v)
    if (v := p.query_value(query, "error_code")) is not None:
        add(ERROR_CODE_SQL + " = :{}", "error_code", v)
    for name in ("from_number", "to_number"):
        if (v := p.query_value(query, name)) is not None:
            add(name + " = :{}", name, bare_number(v))
    if (v := p.query_value(query, "powerpack_id")) is not None:
        add("powerpack_id = :{}", "powerpack_id", v)
    if (v := p.query_value(query, "subaccount")) is not None:
        if not SUBACCOUNT_RE.match(v):
            raise p.bad("subaccount must be a subaccount auth id (SA followed by 18 characters)")
        # Accounts are not linked in the mock: the filter can only narrow the caller's own records.
        add("auth_id = :{}", "subaccount", v)
    timed = False
    for name, op in zip(TIME_FILTERS, ("=", ">", ">=", "<", "<="), strict=True):
        if (v := p.query_value(query, name)) is None:
            continue
        ts = parse_filter_time(v)
        if ts is None:
            raise p.bad(f"{name} must be a UTC time formatted YYYY-MM-DD HH:MM[:ss[.uuuuuu]]")
        timed = True
        if op == "=":  # equal to the second, as message_time is displayed
            add("created_at >= :{0} AND created_at < :{0} + 1", name, math.floor(ts))
        else:
            add(f"created_at {op} :{{}}", name, ts)
    if not timed:
        add("created_at > :{}", "window_start", now - DEFAULT_WINDOW)

    clause = " AND ".join(where)
    if len(where) == 2 and not timed:  # the default list: owner and 24-hour window only
        total = app.store.one(WINDOW_COUNT_SQL, {"auth": auth_id, "start": args["window_start"]})[0]
    else:
        total = app.store.one(f"SELECT COUNT(*) FROM messages WHERE {clause}", args)[0]
    objects: list[str] = []
    if offset < total:
        rows = app.store.all(
            f"SELECT {COLUMNS} FROM messages WHERE {clause} ORDER BY created_at DESC, id DESC "
            "LIMIT :limit OFFSET :offset", args | {"limit": limit, "offset": offset})
        objects = [message_json(r, now, app.timezone) for r in rows]
    base = f"/v1/Account/{auth_id}/Message/"
    return Response(200, raw=envelope_json(base, objects, limit=limit, offset=offset, total=total,
                                           filters=active_filters(query)))
