"""Plivo credentials as the command line takes them: checked before use, masked wherever printed.

The Auth ID goes into the request URL (``/v1/Account/<Auth ID>/``, through the dynamichosturl
policy) and into the Basic header, so anything but Plivo's own shape is refused before a request
is built: ``MA1/../../x?y=1`` would rewrite the path and a CR/LF would split the header.
The Auth Token is masked by its exact occurrences in every form a printed text can hold it; a token
so short that it occurs by chance in ordinary output (``a``) cannot be masked without blanking
unrelated text and thereby revealing it, so such a token is refused.
"""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import quote, quote_plus

AUTH_ID_RE = re.compile(r"(M|S)A[A-Z0-9]{18}")  # used with fullmatch: no trailing newline slips through
AUTH_ID_SHAPE = "MA or SA followed by 18 upper-case letters or digits"
MIN_TOKEN_LENGTH = 12  # Plivo's tokens have 40 characters; shorter ones cannot be told from ordinary text
MASK = "***"


def auth_id_problem(auth_id: str) -> str | None:
    if AUTH_ID_RE.fullmatch(auth_id):
        return None
    return (f"the Auth ID must be {AUTH_ID_SHAPE} (as shown on the Plivo console), got {auth_id!r}"
            if len(auth_id) <= 40 else f"the Auth ID must be {AUTH_ID_SHAPE}; got {len(auth_id)} characters")


def token_problem(token: str) -> str | None:
    if len(token) >= MIN_TOKEN_LENGTH:
        return None
    return (f"the Auth Token is too short ({len(token)} characters; at least {MIN_TOKEN_LENGTH}): it could not "
            "be masked in the output without revealing it. Plivo's tokens have 40 characters")


def secret_forms(secret: str) -> list[str]:
    """The ways ``secret`` can appear in printed text: as is, percent-encoded (as a path segment, a
    query value or a form value), JSON-escaped (with and without ASCII escapes), in any case of
    hex digits. Longest first, so a longer form is masked whole before a shorter one inside it."""
    forms = {secret, quote(secret, safe=""), quote(secret), quote_plus(secret),
             json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=True)[1:-1]}
    forms |= {re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), form) for form in list(forms)}
    return sorted((form for form in forms if form), key=len, reverse=True)


def basic_token(auth_id: str, token: str) -> str:
    return base64.b64encode(f"{auth_id}:{token}".encode()).decode()


def mask(text: str, secrets: list[str]) -> str:
    """``text`` with every exact occurrence of every form of every secret replaced by ``***``."""
    forms = sorted({form for secret in secrets for form in secret_forms(secret)}, key=len, reverse=True)
    for form in forms:
        text = text.replace(form, MASK)
    return text
