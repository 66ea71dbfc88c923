"""Plivo's wire formats: timestamps, money strings, phone numbers, ids.

Kept in one place so every record (message, call, account) spells them the same way.
"""

from __future__ import annotations

import os
import random
import re
from datetime import UTC, datetime, tzinfo
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


_ids: random.Random | None = None  # None: uuid4 from the OS; seeded: the same ids on every run


def seed_ids(seed: int | None) -> None:
    """Make ``new_uuid`` repeatable (the contract run: the same seed must give the same requests,
    and generated ids appear in them) or, with None, random again. Process-wide."""
    global _ids
    _ids = None if seed is None else random.Random(seed)


def new_uuid() -> str:
    ids = _ids
    return uuid4_text(int.from_bytes(os.urandom(16)) if ids is None else ids.getrandbits(128))


def uuid4_text(bits: int) -> str:
    """``str(uuid.UUID(int=bits, version=4))``: the variant and version bits set as RFC 4122 says.
    Written out because the uuid module imports platform, a noticeable part of the mock's start-up."""
    bits = (bits & ~(0xC000 << 48)) | (0x8000 << 48)
    bits = (bits & ~(0xF000 << 64)) | (4 << 76)
    text = f"{bits:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _offset(dt: datetime) -> str:
    """``+05:30``: the UTC offset as Plivo writes it (with a colon)."""
    minutes = int(dt.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def plivo_time(ts: float, tz: tzinfo | None = None) -> str:
    """``2024-05-01 17:30:03+05:30``: whole seconds with the offset of ``tz`` (the account's time
    zone; UTC when None), as in message_time."""
    dt = datetime.fromtimestamp(int(ts), tz or UTC)
    return dt.strftime("%Y-%m-%d %H:%M:%S") + _offset(dt)


def plivo_time_us(ts: float, tz: tzinfo | None = None) -> str:
    """``2024-05-01 12:00:03.123456+00:00``: the microsecond form Plivo uses for *_sent/_updated_time."""
    dt = datetime.fromtimestamp(ts, tz or UTC)
    return dt.strftime("%Y-%m-%d %H:%M:%S.%f") + _offset(dt)


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
