"""Rented numbers (``/Number/``) and Plivo's inventory of numbers to rent (``/PhoneNumber/``).

A number belongs to one account at most and has at most one application; incoming messages to it
go to that application's ``message_url`` (see ``inbound.py``). The mock's inventory is generated
from the country and the position, so a search gives the same numbers every time; rented numbers
are left out of it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from . import applications
from . import params as p
from .formats import PHONE_RE, bare_number, new_uuid
from .httpio import ApiError, Request, Response
from .paging import MAX_LIMIT, MAX_OFFSET, envelope

if TYPE_CHECKING:
    from .app import MockApp

NUMBER_TYPES = ("local", "mobile", "tollfree", "national", "fixed")
SERVICES = ("voice", "sms", "mms")
RATES = {"local": "0.80000", "mobile": "1.00000", "tollfree": "1.00000", "national": "0.80000", "fixed": "0.80000"}
# country ISO -> (calling code, country name as Plivo spells it in searches, region, area codes)
INVENTORY = {
    "US": ("1", "UNITED STATES", "California", ("415", "650", "510")),
    "CA": ("1", "CANADA", "Ontario", ("416", "647")),
    "GB": ("44", "UNITED KINGDOM", "London", ("20",)),
    "IN": ("91", "INDIA", "Karnataka", ("80",)),
    "AU": ("61", "AUSTRALIA", "New South Wales", ("2",)),
    "DE": ("49", "GERMANY", "Berlin", ("30",)),
}
PER_AREA = 12  # numbers in stock per area code


def _services(text: str) -> set[str]:
    return set(filter(None, text.split(",")))


def record(app: MockApp, row: Any) -> dict[str, Any]:
    services = _services(row["services"])
    number_type = row["number_type"]
    app_uri = f"/v1/Account/{row['auth_id']}/Application/{row['app_id']}/" if row["app_id"] else None
    added = datetime.fromtimestamp(row["added_at"], UTC)
    renewal = added.replace(day=min(added.day, 28), month=added.month % 12 + 1,
                            year=added.year + (added.month == 12))
    return {
        "added_on": added.strftime("%Y-%m-%d"), "alias": row["alias"], "application": app_uri,
        "carrier": "Plivo", "monthly_rental_rate": RATES[number_type], "number": row["number"],
        "number_type": number_type, "region": "California, UNITED STATES",
        "resource_uri": f"/v1/Account/{row['auth_id']}/Number/{row['number']}/",
        "sms_enabled": "sms" in services, "sms_rate": "0.00000", "sub_account": None, "active": True,
        "city": "San Francisco", "compliance_application_id": None, "compliance_status": None,
        "country": "United States", "mms_enabled": "mms" in services, "mms_rate": "0.00000",
        "tendlc_campaign_id": None, "tendlc_registration_status": "UNREGISTERED",
        "toll_free_sms_verification": None, "renewal_date": renewal.strftime("%Y-%m-%d"),
        "cnam_lookup": "enabled", "voice_enabled": "voice" in services, "voice_rate": "0.00850",
    }


def rent(app: MockApp, auth_id: str, number: str, *, app_id: str | None = None, alias: str | None = None,
         number_type: str = "local", services: str = "voice,sms,mms") -> None:
    """Give ``number`` to the account (the control API, tests and the demo account use this)."""
    number = bare_number(number)
    if not PHONE_RE.match(number):
        raise p.bad(f"'{number[:100]}' is not a valid phone number")
    if app_id is not None and applications.find(app, auth_id, app_id) is None:
        raise p.bad(f"app_id {app_id[:40]} is not an application of this account")
    if app.store.one("SELECT 1 FROM numbers WHERE number = ?", (number,)) is not None:
        raise p.bad(f"number {number} is already rented")
    app.store.write("INSERT INTO numbers (number, auth_id, app_id, alias, number_type, services, added_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(number, auth_id, app_id, alias, number_type, services, app.clock.now())])


def owner(app: MockApp, number: str) -> tuple[str, str | None] | None:
    """(auth id, attached app id) of the account renting ``number``, or None."""
    row = app.store.one("SELECT auth_id, app_id FROM numbers WHERE number = ?", (bare_number(number),))
    return None if row is None else (row["auth_id"], row["app_id"])


def _row(app: MockApp, auth_id: str, number: str) -> Any:
    row = app.store.one("SELECT * FROM numbers WHERE number = ? AND auth_id = ?", (bare_number(number), auth_id))
    if row is None:
        raise ApiError(404, "not found")
    return row


def get(app: MockApp, req: Request, auth_id: str, number: str) -> Response:
    p.reject_unknown_query(req.query, frozenset())
    return Response(200, {"api_id": new_uuid(), **record(app, _row(app, auth_id, number))})


def update(app: MockApp, req: Request, auth_id: str, number: str) -> Response:
    row = _row(app, auth_id, number)
    body = req.body()
    p.reject_unknown(body, frozenset({"app_id", "alias", "subaccount"}))
    app_id = p.get_str(body, "app_id")
    if app_id is not None and app_id != "" and applications.find(app, auth_id, app_id) is None:
        raise ApiError(404, "application not found")
    alias = p.get_str(body, "alias", max_len=100)
    app.store.execute("UPDATE numbers SET app_id = ?, alias = ? WHERE id = ?",
                      ((app_id or None) if "app_id" in body else row["app_id"],
                       alias if "alias" in body else row["alias"], row["id"]))
    return Response(202, {"message": "changed", "api_id": new_uuid()})


def list_(app: MockApp, req: Request, auth_id: str) -> Response:
    query = req.query
    p.reject_unknown_query(query, frozenset({"number_type", "number_startswith", "services", "alias",
                                             "limit", "offset", "subaccount"}))
    limit = p.query_int(query, "limit", 1, MAX_LIMIT, MAX_LIMIT)
    offset = p.query_int(query, "offset", 0, MAX_OFFSET, 0)
    number_type = p.query_choice(query, "number_type", NUMBER_TYPES)
    starts = p.query_value(query, "number_startswith")
    if starts is not None and not re.fullmatch(r"[0-9]{1,15}", starts):
        raise p.bad("number_startswith must be digits")
    wanted = _wanted_services(p.query_value(query, "services"))
    alias = p.query_value(query, "alias")
    rows = app.store.all("SELECT * FROM numbers WHERE auth_id = ? ORDER BY id", (auth_id,))
    kept = [r for r in rows
            if (number_type is None or r["number_type"] == number_type)
            and (starts is None or r["number"].startswith(starts))
            and wanted <= _services(r["services"])
            and (alias is None or r["alias"] == alias)]
    page = [record(app, r) for r in kept[offset:offset + limit]]
    filters = sorted((k, v[0]) for k, v in query.items() if k not in ("limit", "offset") and v)
    return Response(200, envelope(f"/v1/Account/{auth_id}/Number/", page, limit=limit, offset=offset,
                                  total=len(kept), filters=filters))


def _wanted_services(value: str | None) -> set[str]:
    if value is None:
        return set()
    wanted = _services(value)
    if not wanted or not wanted <= set(SERVICES):
        raise p.bad("services must be a comma-separated list of voice, sms, mms")
    return wanted


def _inventory(country_iso: str) -> list[dict[str, Any]]:
    code, country, region, areas = INVENTORY[country_iso]
    stock = []
    for area in areas:
        for i in range(PER_AREA):
            kind = "fixed" if i % 3 else "mobile"
            local = f"{area}{5550100 + i * 7:07d}"
            stock.append({
                "country": country, "lata": 722 if code == "1" else None,
                "monthly_rental_rate": RATES[kind], "number": code + local, "type": kind, "prefix": area,
                "rate_center": "SNFC CNTRL" if code == "1" else None, "region": region,
                "restriction": None, "restriction_text": None, "setup_rate": "0.00000",
                "sms_enabled": True, "sms_rate": "0.00800", "voice_enabled": True, "voice_rate": "0.00500",
                "mms_enabled": code == "1", "calling_code": code,
            })
    return stock


def search(app: MockApp, req: Request, auth_id: str) -> Response:
    query = req.query
    p.reject_unknown_query(query, frozenset({"country_iso", "type", "pattern", "region", "services", "lata",
                                             "rate_center", "city", "limit", "offset"}))
    country_iso = p.query_value(query, "country_iso")
    if not country_iso:
        raise p.missing("country_iso")
    # The mock stocks a few countries only; any other valid code has an empty inventory.
    if not re.fullmatch(r"[A-Z]{2}", country_iso):
        raise p.bad("country_iso must be a two-letter ISO country code")
    limit = p.query_int(query, "limit", 1, MAX_LIMIT, MAX_LIMIT)
    offset = p.query_int(query, "offset", 0, MAX_OFFSET, 0)
    kind = p.query_choice(query, "type", ("any", *NUMBER_TYPES))
    pattern = p.query_value(query, "pattern")
    if pattern is not None and not re.fullmatch(r"[0-9*]{1,15}", pattern):
        raise p.bad("pattern may hold digits and * only")
    region = p.query_value(query, "region")
    wanted = _wanted_services(p.query_value(query, "services"))
    rented = {r["number"] for r in app.store.all("SELECT number FROM numbers")}
    found = []
    for item in _inventory(country_iso) if country_iso in INVENTORY else []:
        if item["number"] in rented:
            continue
        if kind not in (None, "any") and item["type"] != ("fixed" if kind == "local" else kind):
            continue
        national = item["number"][len(item["calling_code"]):]
        if pattern is not None and not re.match(pattern.replace("*", "[0-9]"), national):
            continue
        if region is not None and region.lower() not in item["region"].lower():
            continue
        if "mms" in wanted and not item["mms_enabled"]:
            continue
        entry = {k: v for k, v in item.items() if k not in ("calling_code", "mms_enabled")}
        entry["resource_uri"] = f"/v1/Account/{auth_id}/PhoneNumber/{item['number']}/"
        found.append(entry)
    page = found[offset:offset + limit]
    filters = sorted((k, v[0]) for k, v in query.items() if k not in ("limit", "offset") and v)
    return Response(200, envelope(f"/v1/Account/{auth_id}/PhoneNumber/", page, limit=limit, offset=offset,
                                  total=len(found), filters=filters))
