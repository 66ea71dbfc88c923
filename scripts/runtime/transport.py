"""Send a built request: to a WSGI app in-process (the embedded mock), or over HTTP to an origin.

``--url BASE`` is an origin (scheme, host, port): it replaces the scheme and host of the URL the
policies produced and keeps its path and query, so the policies are exercised exactly as built.
A redirect is followed only within that origin: urllib would otherwise resend the Authorization
header to whatever host a response names, and follow https to http. Any other redirect is reported
as the call's failure, not followed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from .errors import CallError, InputError
from .request import HttpRequest

TIMEOUT = 30.0


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str]
    content: bytes

    def json(self) -> Any:
        """The body as JSON; None when empty; the text itself when it is not JSON."""
        if not self.content.strip():
            return None
        try:
            return json.loads(self.content)
        except ValueError:
            return self.content.decode("utf-8", "replace")


class WsgiTransport:
    """Calls a WSGI app (e.g. ``scripts.mock.create_app(...)``) without a socket."""

    def __init__(self, app: Any) -> None:
        self.app = app
        from werkzeug.test import Client  # here: reading a definition (the README build) needs no werkzeug

        self._client = Client(app)

    def send(self, request: HttpRequest) -> HttpResponse:
        parts = urlsplit(request.url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        response = self._client.open(target, base_url=f"{parts.scheme}://{parts.netloc}", method=request.method,
                                     headers=list(request.headers.items()), data=request.data())
        try:
            return HttpResponse(response.status_code, dict(response.headers), response.get_data())
        finally:
            response.close()


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:  # a port that is not a number
        port = -1
    return scheme, (parts.hostname or "").lower(), port


def redirect_refusal(source: str, target: str) -> str | None:
    """Why a redirect from ``source`` to ``target`` (absolute or relative) must not be followed, or None."""
    absolute = urljoin(source, target)
    if _origin(absolute) == _origin(source):
        return None
    scheme, _, _ = _origin(absolute)
    why = "a downgrade from https to http" if _origin(source)[0] == "https" and scheme != "https" else \
        "another origin"
    return (f"the server redirected to {absolute} ({why}); not followed, so the credentials are not sent "
            f"there. Use that origin in --url if it is the right one")


class HttpTransport:
    """Sends to ``origin`` (e.g. ``http://127.0.0.1:8765``) with the path and query as built."""

    def __init__(self, origin: str) -> None:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/") \
                or parts.query or parts.fragment:
            raise InputError(f"--url must be an origin such as http://127.0.0.1:8765 (scheme, host and "
                             f"port only), got {origin!r}")
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self._opener: Any = None  # made on the first send: http.client and ssl are not needed before

    def send(self, request: HttpRequest) -> HttpResponse:
        import http.client
        import urllib.error
        import urllib.request

        if self._opener is None:
            class SameOriginRedirects(urllib.request.HTTPRedirectHandler):
                def redirect_request(self, req, fp, code, msg, headers, newurl):
                    refusal = redirect_refusal(req.full_url, newurl)
                    if refusal is not None:
                        raise CallError(refusal)
                    return super().redirect_request(req, fp, code, msg, headers, newurl)

            self._opener = urllib.request.build_opener(SameOriginRedirects)
        parts = urlsplit(request.url)
        url = self.origin + parts.path + (f"?{parts.query}" if parts.query else "")
        req = urllib.request.Request(url, data=request.data(), headers=request.headers, method=request.method)
        try:
            with self._opener.open(req, timeout=TIMEOUT) as response:
                return HttpResponse(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            with error:
                return HttpResponse(error.code, dict(error.headers), error.read())
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise CallError(f"cannot reach {self.origin}: {reason}") from None
        except (ValueError, http.client.HTTPException) as error:  # e.g. a policy put a space into the URL
            raise CallError(f"cannot send the request to {self.origin}: {error}") from None
