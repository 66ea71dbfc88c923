"""Deterministic delivery outcomes and Plivo's unit counting for outbound messages.

Reserved test numbers: a destination ``1500555NNNN`` (with or without "+") makes the message end
with Plivo error code ``NNNN`` (leading zeros dropped), when that is one of Plivo's documented
codes. Codes Plivo reports for messages the carrier took but could not deliver end ``undelivered``
(after queued -> sent); the others end ``failed`` straight from ``queued``. A failed message is
not charged (total_amount "0.00000", as in Plivo's documented failed record); an undelivered one
is. Every other destination ends ``delivered`` with error code "000". See docs/mock.md.

Units follow Plivo's rules: text made only of GSM 03.38 characters is 1 unit up to 160 characters
(the extension characters ^{}\\[~]|€ count twice), then 153 per unit; any other text is UCS-2:
1 unit up to 70 UTF-16 code units, then 67 per unit.
"""

from __future__ import annotations

import math

TEST_PREFIX = "1500555"
# Plivo's message error codes (docs: SMS error codes) -> the state a message with that code ends in.
UNDELIVERED = frozenset({20, 70, 80, 90, 100, 1000})
FAILED = frozenset({10, 30, 40, 50, 60, 110, 200, 300, 420, 900})
CODES = UNDELIVERED | FAILED

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà\x1b")
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")


def outcome(to_number: str) -> tuple[str, str] | None:
    """(final state, error code) for a reserved test destination, else None (delivered)."""
    number = to_number.lstrip("+")
    if len(number) != len(TEST_PREFIX) + 4 or not number.startswith(TEST_PREFIX):
        return None
    code = int(number[len(TEST_PREFIX):])
    if code not in CODES:
        return None
    return ("undelivered" if code in UNDELIVERED else "failed"), str(code)


def units(text: str | None) -> int:
    text = text or ""
    if all(c in GSM_BASIC or c in GSM_EXTENSION for c in text):
        length = sum(2 if c in GSM_EXTENSION else 1 for c in text)
        single, part = 160, 153
    else:
        length = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
    return 1 if length <= single else math.ceil(length / part)


def _sql_code() -> str:
    """SQL: the reserved error code of a row's to_number as an integer, or NULL."""
    return (f"(CASE WHEN length(to_number) = {len(TEST_PREFIX) + 4} AND substr(to_number, 1, {len(TEST_PREFIX)}) "
            f"= '{TEST_PREFIX}' THEN CAST(substr(to_number, {len(TEST_PREFIX) + 1}) AS INTEGER) END)")


def _in(codes: frozenset[int]) -> str:
    return "(" + ", ".join(str(c) for c in sorted(codes)) + ")"


# SQL over a messages row: 'failed', 'undelivered' or NULL (delivered). Only outbound rows use it.
OUTCOME_SQL = (f"(CASE WHEN {_sql_code()} IN {_in(UNDELIVERED)} THEN 'undelivered' "
               f"WHEN {_sql_code()} IN {_in(FAILED)} THEN 'failed' END)")
CODE_SQL = f"(CASE WHEN {OUTCOME_SQL} IS NOT NULL THEN CAST({_sql_code()} AS TEXT) END)"
