"""Plivo's Lookup API: GET https://lookup.plivo.com/v1/Number/{number}?type=carrier.

Lookup has its own host and no account in its path: any configured account's credentials are
accepted (the same 401s as the REST API otherwise). The mock serves it on its own origin under
/v1/Number/. Answers are derived from the number alone, so they are the same on every run: the
country from a small table of calling codes (a number in none of them is "not found", as Plivo
answers for an invalid number), the line type from the digit after the national prefix
(even: mobile, odd: fixed), ported when the last digit is 7. See docs/mock.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import params as p
from .formats import PHONE_RE, new_uuid
from .httpio import ApiError, Request, Response

if TYPE_CHECKING:
    from .app import MockApp

# calling code -> (country name, ISO2, ISO3, national number length, carriers (mobile, fixed), MCC)
COUNTRIES: dict[str, tuple[str, str, str, int, tuple[str, str], str]] = {
    "1": ("United States", "US", "USA", 10, ("Cingular Wireless", "Level 3 Communications"), "310"),
    "44": ("United Kingdom", "GB", "GBR", 10, ("Vodafone UK", "BT Group"), "234"),
    "33": ("France", "FR", "FRA", 9, ("SFR", "Orange France"), "208"),
    "49": ("Germany", "DE", "DEU", 11, ("Telekom Deutschland", "Deutsche Telekom Festnetz"), "262"),
    "61": ("Australia", "AU", "AUS", 9, ("Telstra Mobile", "Telstra"), "505"),
    "91": ("India", "IN", "IND", 10, ("Jio", "BSNL"), "405"),
}
TYPES = ("carrier",)


def get(app: MockApp, req: Request, auth_id: str | None, number: str) -> Response:
    p.reject_unknown_query(req.query, frozenset({"type"}))
    info_type = p.query_value(req.query, "type")
    if info_type is None:
        raise p.missing("type")
    if info_type not in TYPES:
        raise p.bad(f"type must be one of: {', '.join(TYPES)}")
    digits = number[1:] if number.startswith("+") else number
    if not PHONE_RE.match(number):
        raise ApiError(404, "not found")
    code = next((c for c in sorted(COUNTRIES, key=len, reverse=True) if digits.startswith(c)), None)
    if code is None or len(digits) - len(code) != COUNTRIES[code][3]:
        raise ApiError(404, "not found")
    name, iso2, iso3, _, (mobile, fixed), mcc = COUNTRIES[code]
    national = digits[len(code):]
    is_mobile = int(national[0]) % 2 == 0
    e164 = "+" + digits
    return Response(200, {
        "api_id": new_uuid(),
        "phone_number": e164,
        "country": {"name": name, "iso2": iso2, "iso3": iso3},
        "format": {
            "e164": e164,
            "national": _national(code, national),
            "international": f"+{code} {national[:3]} {national[3:6]} {national[6:]}".rstrip(),
            "rfc3966": f"tel:+{code}-{national[:3]}-{national[3:6]}-{national[6:]}".rstrip("-"),
        },
        "carrier": {
            "mobile_country_code": mcc,
            "mobile_network_code": "150" if is_mobile else "",
            "name": mobile if is_mobile else fixed,
            "type": "mobile" if is_mobile else "fixed",
            "ported": "yes" if digits.endswith("7") else "no",
        },
        "resource_uri": f"/v1/Number/{e164}?type={info_type}",
    })


def _national(code: str, national: str) -> str:
    if code == "1":
        return f"({national[:3]}) {national[3:6]}-{national[6:]}"
    return "0" + national
