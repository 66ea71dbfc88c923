"""The Recording resource: recordings made by ``POST Call/{uuid}/Record/`` (live_calls.py), listed
(``GET Recording/``) and read (``GET Recording/{recording_id}/``) once they are complete.

A recording runs from its start until the first of: a stop request (``DELETE Call/{uuid}/Record/``),
its own time_limit, or the end of the call. Only then does Plivo list it, so a recording in progress
is a 404 here too. Like call states, the end is derived from the mock clock, not stored by a job.
Lists filter in Python (volumes in tests are small; the end time is derived).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from . import calls
from . import params as p
from .formats import SUBACCOUNT_RE, bare_number, new_uuid, parse_filter_time, plivo_time_us
from .httpio import ApiError, Request, Response
from .paging import MAX_LIMIT, MAX_OFFSET, active_filters, envelope

if TYPE_CHECKING:
    from .app import MockApp

DEFAULT_TIME_LIMIT = 60      # seconds: Plivo's default maximum length of a call recording
MAX_TIME_LIMIT = 86_400
FORMATS = ("mp3", "wav")
STORAGE_RATE = 0.0004        # per rounded minute and month, as in Plivo's recording records
MEDIA_HOST = "https://media.plivo.com"
START_FIELDS = frozenset({
    "call_uuid", "callback_url", "callback_method", "time_limit", "file_format", "transcription_type",
    "transcription_url", "transcription_method", "transcription_report_type", "record_channel_type",
})
COMPARISONS = (("", "="), ("__gt", ">"), ("__gte", ">="), ("__lt", "<"), ("__lte", "<="))
OPS = {"=": float.__eq__, ">": float.__gt__, ">=": float.__ge__, "<": float.__lt__, "<=": float.__le__}
LIST_PARAMS = frozenset({
    "limit", "offset", "subaccount", "call_uuid", "from_number", "to_number", "conference_name",
    "mpc_name", "conference_uuid", "mpc_uuid",
    *(f"add_time{s}" for s, _ in COMPARISONS), *(f"recording_storage_duration{s}" for s, _ in COMPARISONS),
})
SELECT = ("SELECT r.recording_id, r.auth_id, r.call_uuid, r.started_at, r.time_limit, r.stopped_at, r.format, "
          "c.from_number, c.to_number, c.created_at, c.time_limit AS call_time_limit, c.ended_at "
          "FROM recordings r JOIN calls c ON c.uuid = r.call_uuid")


def validate_start(body: p.Body) -> dict[str, Any]:
    p.reject_unknown(body, START_FIELDS)
    time_limit = p.get_int(body, "time_limit", 1, MAX_TIME_LIMIT, DEFAULT_TIME_LIMIT)
    file_format = p.get_str(body, "file_format", default="mp3")
    if file_format not in FORMATS:
        raise p.bad("file_format must be one of: mp3, wav")
    transcription = p.get_str(body, "transcription_type")
    if transcription is not None and transcription != "auto":
        raise p.bad("transcription_type must be auto")
    p.get_url(body, "transcription_url")
    p.get_method(body, "transcription_method")
    p.get_str(body, "transcription_report_type")
    channels = p.get_str(body, "record_channel_type")
    if channels is not None and channels not in ("mono", "stereo"):
        raise p.bad("record_channel_type must be mono or stereo")
    return {"time_limit": time_limit, "file_format": file_format}


def _url(auth_id: str, recording_id: str, file_format: str) -> str:
    return f"{MEDIA_HOST}/v1/Account/{auth_id}/Recording/{recording_id}.{file_format}"


def start(app: MockApp, auth_id: str, call_row: Any, *, time_limit: int, file_format: str) -> tuple[str, str]:
    recording_id = new_uuid()
    app.store.write("INSERT INTO recordings (recording_id, auth_id, call_uuid, started_at, time_limit, format) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [(recording_id, auth_id, call_row["uuid"], app.clock.now(), time_limit, file_format)])
    return recording_id, _url(auth_id, recording_id, file_format)


def stop(app: MockApp, auth_id: str, call_uuid: str, url: str | None) -> None:
    """Stop the call's recordings still running (only the one at ``url`` when given)."""
    now = app.clock.now()
    rows = app.store.all(SELECT + " WHERE r.auth_id = ? AND r.call_uuid = ? AND r.stopped_at IS NULL",
                         (auth_id, call_uuid))
    running = [r["recording_id"] for r in rows if _end(r, now) is None
               and (url is None or url == _url(auth_id, r["recording_id"], r["format"]))]
    app.store.write("UPDATE recordings SET stopped_at = ? WHERE recording_id = ?", [(now, i) for i in running])


def _end(row: Any, now: float) -> float | None:
    """When the recording ended (None while it runs): stop, time limit or end of the call."""
    call = {"created_at": row["created_at"], "time_limit": row["call_time_limit"], "ended_at": row["ended_at"]}
    call_end = calls.timeline(call, math.inf)["end_at"]
    ends = [row["started_at"] + row["time_limit"], call_end]
    if row["stopped_at"] is not None:
        ends.append(row["stopped_at"])
    end = min(ends)
    return end if end <= now else None


def recording_record(row: Any, end: float, now: float) -> dict[str, Any]:
    start_ms = round(row["started_at"] * 1000)
    end_ms = round(end * 1000)
    minutes = max(1, math.ceil((end_ms - start_ms) / 60_000))
    rid = row["recording_id"]
    return {
        "add_time": plivo_time_us(end),
        "call_uuid": row["call_uuid"],
        "conference_name": "",
        "from_number": row["from_number"],
        "monthly_recording_storage_amount": round(STORAGE_RATE * minutes, 5),
        "recording_duration_ms": f"{end_ms - start_ms}.00000",
        "recording_end_ms": f"{end_ms}.00000",
        "recording_format": row["format"],
        "recording_id": rid,
        "recording_start_ms": f"{start_ms}.00000",
        "recording_storage_duration": int((now - end) // 86_400),
        "recording_storage_rate": STORAGE_RATE,
        "recording_type": "call",
        "recording_url": _url(row["auth_id"], rid, row["format"]),
        "resource_uri": f"/v1/Account/{row['auth_id']}/Recording/{rid}/",
        "rounded_recording_duration": minutes * 60,
        "to_number": row["to_number"],
    }


def get(app: MockApp, req: Request, auth_id: str, recording_id: str) -> Response:
    p.reject_unknown_query(req.query, frozenset())
    now = app.clock.now()
    row = app.store.one(SELECT + " WHERE r.recording_id = ? AND r.auth_id = ?", (recording_id, auth_id))
    end = None if row is None else _end(row, now)
    if end is None:  # unknown, another account's, or still recording
        raise ApiError(404, "not found")
    return Response(200, {"api_id": new_uuid(), **recording_record(row, end, now)})


def list_(app: MockApp, req: Request, auth_id: str) -> Response:
    query = req.query
    p.reject_unknown_query(query, LIST_PARAMS)
    limit = p.query_int(query, "limit", 1, MAX_LIMIT, MAX_LIMIT)
    offset = p.query_int(query, "offset", 0, MAX_OFFSET, 0)
    checks: list[Any] = []
    if (v := p.query_value(query, "subaccount")) is not None:
        if not SUBACCOUNT_RE.match(v):
            raise p.bad("subaccount must be a subaccount auth id (SA followed by 18 characters)")
        checks.append(lambda r, v=v: r["resource_uri"].split("/")[3] == v)
    if (v := p.query_value(query, "call_uuid")) is not None:
        checks.append(lambda r, v=v: r["call_uuid"] == v)
    for name in ("from_number", "to_number"):
        if (v := p.query_value(query, name)) is not None:
            wanted = bare_number(v)
            checks.append(lambda r, v=wanted, name=name: bare_number(r[name]) == v)
    for name in ("conference_name", "mpc_name", "conference_uuid", "mpc_uuid"):
        if p.query_value(query, name) is not None:
            checks.append(lambda r: False)  # the mock records calls only, never conferences
    for suffix, op in COMPARISONS:
        if (n := p.query_count(query, f"recording_storage_duration{suffix}")) is not None:
            checks.append(lambda r, n=n, op=op: OPS[op](float(r["recording_storage_duration"]), float(n)))
        if (v := p.query_value(query, f"add_time{suffix}")) is not None:
            ts = parse_filter_time(v)
            if ts is None:
                raise p.bad(f"add_time{suffix} must be a UTC time formatted YYYY-MM-DD HH:MM[:ss[.uuuuuu]]")
            if op == "=":  # equal to the second
                checks.append(lambda r, ts=ts: math.floor(r["_end"]) == math.floor(ts))
            else:
                checks.append(lambda r, ts=ts, op=op: OPS[op](r["_end"], ts))

    now = app.clock.now()
    records = []
    for row in app.store.all(SELECT + " WHERE r.auth_id = ? ORDER BY r.started_at DESC, r.id DESC", (auth_id,)):
        end = _end(row, now)
        if end is None:
            continue
        record = recording_record(row, end, now) | {"_end": end}
        if all(check(record) for check in checks):
            records.append(record)
    records.sort(key=lambda r: r["_end"], reverse=True)  # newest first, by the time they were added
    page = [{k: v for k, v in r.items() if k != "_end"} for r in records[offset:offset + limit]]
    base = f"/v1/Account/{auth_id}/Recording/"
    return Response(200, envelope(base, page, limit=limit, offset=offset, total=len(records),
                                  filters=active_filters(query)))
