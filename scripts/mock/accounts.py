"""Authentication (HTTP Basic against the configured accounts) and the Account resource.

Texts follow the real API: a request without credentials gets exactly
``{"error": "authentication credentials were not provided"}`` (no api_id), as captured from Plivo.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING

from . import params as p
from .formats import new_uuid
from .httpio import ApiError, Request, Response

if TYPE_CHECKING:
    from .app import MockApp

REALM = 'Basic realm="Plivo API"'
NOT_PROVIDED = "authentication credentials were not provided"
INCORRECT = "incorrect authentication credentials"


def _unauthorized(text: str) -> ApiError:
    return ApiError(401, text, headers=[("WWW-Authenticate", REALM)], api_id=False)


def authenticate(accounts: dict[str, str], header: str, path_auth_id: str | None) -> str:
    """The auth id the request may act as, or a 401. The path's account (None: a path without
    one, e.g. lookup) must be the caller's own."""
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        raise _unauthorized(NOT_PROVIDED)
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise _unauthorized(INCORRECT) from None
    import hmac  # here, not at the top: it loads OpenSSL, a good part of the mock's start-up

    auth_id, sep, token = decoded.partition(":")
    expected = accounts.get(auth_id)
    # compare_digest: the time taken must not tell how much of a token was right.
    if not sep or expected is None or not hmac.compare_digest(token.encode(), expected.encode()):
        raise _unauthorized(INCORRECT)
    if path_auth_id is not None and auth_id != path_auth_id:
        # Valid credentials on another account's path: the same 401, so a caller cannot probe
        # which auth ids exist.
        raise _unauthorized(INCORRECT)
    return auth_id


def details(app: MockApp, req: Request, auth_id: str) -> Response:
    p.reject_unknown_query(req.query, frozenset())
    return Response(200, {
        "account_type": "standard",
        "address": "",
        "api_id": new_uuid(),
        "auth_id": auth_id,
        "auto_recharge": False,
        "billing_mode": "prepaid",
        "cash_credits": "100.00000",
        "city": "",
        "name": "Plivo mock account",
        "resource_uri": f"/v1/Account/{auth_id}/",
        "state": "",
        "timezone": app.timezone_name,
    })
