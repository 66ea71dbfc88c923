"""Plivo's wire formats: timestamps, money strings, phone numbers, ids.

Kept in one place so every record (message, call, account) spells them the same way.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from functools import lru_cache

# Patterns end in \Z, not $: "$" also matches before a trailing newline.
# The request patterns are written with explicit ASCII classes, never \s or \d, and the connector's
# definition declares the same patterns: schemathesis generates from the definition with other
# regex engines, whose \s differs from Python's, and the contract run demands that exactly what
# the definition allows is accepted (tests/test_contract.py compares the two).
# Plivo's phone numbers: E.164 digits, optional leading "+", 7 to 15 digits, no leading zero.
PHONE = r"[+]?[1-9][0-9]{6,14}"
PHONE_RE = re.compile(rf"^{PHONE}\Z")
# Alphanumeric sender ids (e.g. "INSID"): a letter, then up to 10 letters or digits.
SENDER_ID = r"[A-Za-z][A-Za-z0-9]{0,10}"
SENDER_ID_RE = re.compile(rf"^{SENDER_ID}\Z")
SIP = r"sips?:[^\t\n\v\f\r @<]+@[^\t\n\v\f\r <]+"
SIP_RE = re.compile(rf"^{SIP}\Z")
AUTH_ID_RE = re.compile(r"^(M|S)A[A-Z0-9]{18}\Z")
SUBACCOUNT_RE = re.compile(r"^SA[A-Z0-9]{18}\Z")
URL = r"https?://[^\t\n\v\f\r /?#][^\t\n\v\f\r ]*"
URL_RE = re.compile(rf"^{URL}\Z")
# The list filters' time format: YYYY-MM-DD HH:MM[:ss[.uuuuuu]], always UTC. A day past the end of
# its month rolls over (2024-02-30 is 2024-03-01): a regex cannot know month lengths, and the
# definition's pattern must describe exactly what is accepted.
FILTER_TIME = (r"[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]"
               r"(:[0-5][0-9]([.][0-9]{1,6})?)?")
FILTER_TIME_RE = re.compile(
    r"^([1-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):([0-5][0-9])"
    r"(?::([0-5][0-9])(?:[.]([0-9]{1,6}))?)?\Z")


def new_uuid() -> str:
    return str(uuid.uuid4())


def plivo_time(ts: float) -> str:
    """``2024-05-01 12:00:03+00:00``: whole seconds, explicit UTC offset, as in message_time."""
    return datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%d %H:%M:%S+00:00")


def plivo_time_us(ts: float) -> str:
    """``2024-05-01 12:00:03.123456+00:00``: the microsecond form Plivo uses for *_sent/_updated_time."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00:00")


def parse_filter_time(value: str) -> float | None:
    """Seconds since the epoch for a filter value, or None when the format (or the date) is invalid."""
    m = FILTER_TIME_RE.match(value)
    if not m:
        return None
    year, month, day, hour, minute, sec, frac = m.groups()
    start = datetime(int(year), int(month), 1, tzinfo=UTC)
    return start.timestamp() + (int(day) - 1) * 86400 + int(hour) * 3600 + int(minute) * 60 + int(sec or 0) \
        + int((frac or "0").ljust(6, "0")) / 1e6


@lru_cache(maxsize=1024)  # a handful of distinct amounts, formatted for every record listed
def money(amount_e5: int) -> str:
    """Money in units of 0.00001 as Plivo's 5-decimal string: 250 -> "0.00250"."""
    return f"{amount_e5 // 100000}.{amount_e5 % 100000:05d}"


def bare_number(number: str) -> str:
    """Plivo reports message numbers without the leading "+"; filters compare this form."""
    return number[1:] if number.startswith("+") else number
