"""Deliver an incoming message the way Plivo does: to the ``message_url`` of the application
attached to the receiving number, as form fields, with the application's ``message_method``.

POST sends ``application/x-www-form-urlencoded``; GET puts the same fields in the query string.
Fields (Plivo's docs): From, To, Type, Text, MessageUUID, Units, TotalRate, TotalAmount,
MessageIntent, MediaCount and, for an MMS, Media1..MediaN; signed as Plivo signs:
``X-Plivo-Signature-V2`` (base64 HMAC-SHA256 of the URL without its query plus the nonce, keyed
with the auth token) and ``X-Plivo-Signature-V3`` (the same HMAC over the URL with its sorted
query, then the sorted fields for POST, "." and the nonce), each with its ``-Nonce`` header.

Nothing is delivered for a number that the receiving account does not rent, that has no
application, or whose application has no message URL; outbound messages never reach this module.
The mock reaches loopback addresses only: a URL elsewhere is logged as not delivered (untrusted
input never makes the mock reach the network).
"""

from __future__ import annotations

import base64
import ipaddress
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from . import applications, numbers
from .formats import bare_number, money

if TYPE_CHECKING:
    from .app import MockApp

TIMEOUT = 5.0
LOOPBACK_NAMES = ("localhost",)


def fields_for(message_uuid: str, from_number: str, to_number: str, text: str, units: int,
               media: list[str] | None = None) -> dict[str, str]:
    """The form fields of one incoming message; an MMS adds Media1..MediaN with its media URLs."""
    media = media or []
    fields = {
        "From": bare_number(from_number), "To": bare_number(to_number), "Type": "mms" if media else "sms",
        "Text": text, "MessageUUID": message_uuid, "Units": str(units), "TotalRate": money(0),
        "TotalAmount": money(0), "MessageIntent": "", "MediaCount": str(len(media)),
    }
    fields.update({f"Media{i}": url for i, url in enumerate(media, start=1)})
    return fields


def _hmac_sha256(token: str, text: str) -> str:
    import hashlib  # here, not at the top: they load OpenSSL, which the mock's start-up need not wait for
    import hmac

    return base64.b64encode(hmac.new(token.encode(), text.encode(), hashlib.sha256).digest()).decode()


def signature_v2(token: str, url: str, nonce: str) -> str:
    parts = urlsplit(url)
    base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return _hmac_sha256(token, base + nonce)


def signature_v3(token: str, method: str, url: str, fields: dict[str, str], nonce: str) -> str:
    parts = urlsplit(url)
    base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if method == "GET":
        signed = "&".join(f"{k}={v}" for k, v in sorted({**query, **fields}.items()))
        base += f"?{signed}" if signed else ""
    else:
        signed = "&".join(f"{k}={v}" for k, v in sorted(query.items()))
        if signed or fields:
            base += f"?{signed}"
        if signed and fields:
            base += "."
        base += "".join(f"{k}{v}" for k, v in sorted(fields.items()))
    return _hmac_sha256(token, f"{base}.{nonce}")


def deliver(app: MockApp, auth_id: str, fields: dict[str, str]) -> dict[str, Any] | None:
    """Deliver to the receiving number's application; the delivery log entry, or None when the
    number has no application with a message URL in this account."""
    found = numbers.owner(app, fields["To"])
    if found is None or found[0] != auth_id or found[1] is None:
        return None
    application = applications.find(app, auth_id, found[1])
    if application is None or not application["message_url"]:
        return None
    url, method = application["message_url"], application["message_method"]
    token = app.accounts[auth_id]
    import secrets

    nonce, nonce_v3 = secrets.token_hex(10), secrets.token_hex(10)
    headers = {"X-Plivo-Signature-V2": signature_v2(token, url, nonce), "X-Plivo-Signature-V2-Nonce": nonce,
               "X-Plivo-Signature-V3": signature_v3(token, method, url, fields, nonce_v3),
               "X-Plivo-Signature-V3-Nonce": nonce_v3, "User-Agent": "PlivoHTTP/1.0 (mock)"}
    entry: dict[str, Any] = {"app_id": found[1], "url": url, "method": method, "fields": fields,
                             "time": app.clock.now()}
    if not _is_loopback(url):
        entry.update(status=None, error="not delivered: the mock delivers to loopback addresses only")
    else:
        status, error = app.deliver(method, url, fields, headers)
        entry.update(status=status, error=error)
    app.log_delivery(entry)
    return entry


def http_deliver(method: str, url: str, fields: dict[str, str], headers: dict[str, str]
                 ) -> tuple[int | None, str | None]:
    """Send one delivery over HTTP; (status, None) when answered, (None, reason) when not."""
    data = None
    if method == "GET":
        parts = urlsplit(url)
        query = "&".join(filter(None, [parts.query, urlencode(fields)]))
        url = urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
    else:
        data = urlencode(fields).encode()
        headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
    # Imported here: urllib.request pulls in http.client and the email package, a good part of the
    # mock's start-up, for a delivery most runs never make.
    import urllib.error
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    # No redirects (one could lead off the loopback) and no proxy from the environment (a loopback
    # delivery must not be sent to a proxy elsewhere).
    opener = urllib.request.build_opener(NoRedirect, urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            return response.status, None
    except urllib.error.HTTPError as error:
        return error.code, None
    except (OSError, ValueError) as error:
        return None, f"not delivered: {error}"


def _is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    if parts.hostname in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False
