"""schemathesis' in-process (WSGI) send, without werkzeug's test client in between.

For every case schemathesis 4.32's ``WSGITransport.send`` serializes the case, builds a requests
PreparedRequest to learn the auth header, tries to import Flask (to catch a Flask app's errors; a
failed import walks the import path on every call), creates a werkzeug ``Client``, an
``EnvironBuilder``, a ``Request`` and a ``TestResponse``, and then a second PreparedRequest for the
request it reports. Only the environ and the reported request matter to the app and to the checks.

``send`` below does the same steps with the same schemathesis functions (serialize_case, the
requests-style reported request, the rate limit, the event-stream reading) and builds the environ
itself, exactly as werkzeug 3.1's ``EnvironBuilder``/``Client.run_wsgi_app`` would for the requests
the contract run sends: a body of bytes, text or JSON, headers as one text value per name, no
cookies. Anything else (form data, files, cookies, a header werkzeug would refuse, an app that
is not ours) goes through schemathesis' own send unchanged. tests/test_contract_transport.py
compares both paths field by field.
"""

from __future__ import annotations

import json
import re
import sys
from contextlib import nullcontext, suppress
from functools import lru_cache
from io import BytesIO
from typing import Any
from urllib.parse import unquote, urlsplit

# Keys of a serialized case this send builds an environ for; any other goes through werkzeug.
HANDLED = frozenset({"method", "path", "headers", "query_string", "base_url", "data", "json"})
_NEWLINE = re.compile(r"[\r\n]")  # werkzeug refuses such header values (a ValueError): leave those to it


def _latin1(text: str) -> str:  # werkzeug's _wsgi_encoding_dance
    return text.encode().decode("latin1")


@lru_cache(maxsize=64)
def _origin(base_url: str | None) -> tuple[str, str, str, str, str]:
    """(scheme, host, SCRIPT_NAME, SERVER_NAME, SERVER_PORT) as EnvironBuilder derives them from base_url."""
    from werkzeug.urls import iri_to_uri

    if base_url is None:
        scheme, host, root = "http", "localhost", ""
    else:
        scheme, host, root, query, fragment = urlsplit(iri_to_uri(base_url))
        if query or fragment:
            raise ValueError("base url must not contain a query string or fragment")
        root = root.rstrip("/")
    name, sep, port = host.partition(":")
    number = 443 if scheme == "https" else 80
    if sep:
        with suppress(ValueError):
            number = int(port)
    return scheme, host, _latin1(unquote(root)), name, str(number)


def build_environ(data: dict[str, Any]) -> dict[str, Any] | None:
    """The environ werkzeug's test client gives the app for ``client.open(**data)``; None where this
    does not reproduce it (the caller then uses werkzeug itself)."""
    from werkzeug.urls import _urlencode, iri_to_uri

    if not HANDLED.issuperset(data):
        return None
    headers = data.get("headers") or {}
    if any(not isinstance(v, str) or _NEWLINE.search(v) for v in headers.values()):
        return None
    path, query = data.get("path", "/"), data.get("query_string")
    if query is not None and "?" in path:
        return None  # werkzeug raises a ValueError
    parts = urlsplit(path)
    if query is None and "?" in path:
        query = parts.query
    if query is None:
        query_string = ""
    elif isinstance(query, str):
        query_string = query
    else:
        from werkzeug.datastructures import MultiDict

        query_string = _urlencode(query if isinstance(query, MultiDict) else MultiDict(query))
    body = data.get("data")
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
    if data.get("json") is not None:
        if body is not None:
            return None  # werkzeug raises a TypeError
        body = json.dumps(data["json"])
        if content_type is None:
            content_type = "application/json"
    if body and not isinstance(body, (str, bytes)):
        return None  # a form or files: werkzeug encodes those itself
    mimetype = content_type.partition(";")[0].strip() if content_type else None
    if body:
        raw = body.encode() if isinstance(body, str) else body
        length: int | None = len(raw)
    elif mimetype == "multipart/form-data":
        return None  # werkzeug encodes an empty multipart body
    elif mimetype == "application/x-www-form-urlencoded":
        raw, length = b"", 0
    else:  # a Content-Length header is dropped (EnvironBuilder's content_length=None pops it)
        raw, length = b"", None
    scheme, host, script_name, server_name, server_port = _origin(data.get("base_url"))
    request_uri = _latin1(path)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": data.get("method", "GET"),
        "SCRIPT_NAME": script_name,
        "PATH_INFO": _latin1(unquote(iri_to_uri(parts.path))),
        "QUERY_STRING": _latin1(query_string),
        "REQUEST_URI": request_uri,
        "RAW_URI": request_uri,
        "SERVER_NAME": server_name,
        "SERVER_PORT": server_port,
        "HTTP_HOST": host,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": BytesIO(raw),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    if length is not None:
        environ["CONTENT_LENGTH"] = str(length)
    combined: dict[str, list[str]] = {}
    for key, value in headers.items():
        if key.lower() not in ("content-type", "content-length"):
            combined.setdefault(f"HTTP_{key.upper().replace('-', '_')}", []).append(value)
    for key, values in combined.items():
        environ[key] = ", ".join(values)
    environ.pop("HTTP_COOKIE", None)  # the client's (always empty) cookie jar replaces any Cookie header
    return environ


def call_app(app: Any, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], list[bytes]]:
    """Call the WSGI app; (status code, headers as werkzeug's TestResponse lists them, body chunks)."""
    started: list[tuple[str, list[tuple[str, str]]]] = []
    written: list[bytes] = []

    def start_response(status, headers, exc_info=None):
        if exc_info:
            raise exc_info[1].with_traceback(exc_info[2])
        started[:] = [(status, headers)]
        return written.append

    result = app(environ, start_response)
    try:
        chunks = [*written, *result]
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    status, headers = started[0]
    # (werkzeug's TestResponse has no default mimetype: a response without a Content-Type keeps none)
    return int(status.split(None, 1)[0]), list(headers), chunks


def _auth_header(case, session_auth, data) -> dict[str, str]:
    """schemathesis' _auth_headers without a PreparedRequest for the common case, basic auth."""
    auth = case._auth or session_auth
    if auth is None:
        return {}
    if isinstance(auth, tuple) and len(auth) == 2 and all(isinstance(p, str) for p in auth):
        from requests.auth import _basic_auth_str

        return {"Authorization": _basic_auth_str(*auth)}
    from schemathesis.transport.wsgi import _auth_headers

    return _auth_headers(case, session_auth, data)


class _Schemathesis:
    """schemathesis' and requests' names send uses, imported on its first call (an import statement
    in the function body costs a lookup per call, on thousands of calls)."""

    def __getattr__(self, name: str) -> Any:
        import requests
        from schemathesis.core.rate_limit import ratelimit
        from schemathesis.core.timing import Instant
        from schemathesis.core.transport import Response, is_event_stream, read_event_stream
        from schemathesis.generation.overrides import Override
        from schemathesis.python import wsgi
        from schemathesis.transport import prepare
        from schemathesis.transport.prepare import (
            BODY_KWARGS,
            normalize_base_url,
            prepare_cookies,
            serialize_cookies,
        )
        from schemathesis.transport.requests import REQUESTS_TRANSPORT

        from .platform import PlatformShim

        self.__dict__.update(requests=requests, ratelimit=ratelimit, Instant=Instant, Response=Response,
                             is_event_stream=is_event_stream, read_event_stream=read_event_stream,
                             Override=Override, HOST=wsgi.HOST, BODY_KWARGS=BODY_KWARGS,
                             prepare=prepare, normalize_base_url=normalize_base_url,
                             prepare_cookies=prepare_cookies, serialize_cookies=serialize_cookies,
                             REQUESTS_TRANSPORT=REQUESTS_TRANSPORT, PlatformShim=PlatformShim)
        return self.__dict__[name]


_st = _Schemathesis()


def direct_send(original, self, case, *, session=None, **kwargs):
    """WSGITransport.send for the platform shim; ``original`` for anything it does not reproduce.

    The steps and their order are schemathesis 4.32's (transport/wsgi.py); only werkzeug's client
    and the Flask error capture are left out."""
    st = _st
    if not isinstance(kwargs.get("app"), st.PlatformShim) or kwargs.get("cookies") \
            or (session is not None and not isinstance(session, st.requests.Session)):
        return original(self, case, session=session, **kwargs)
    passed = dict(kwargs)
    headers = kwargs.pop("headers", None)
    params = kwargs.pop("params", None)
    cookies = kwargs.pop("cookies", None)
    timeout = kwargs.pop("timeout", None)
    auth = None
    if session is not None:
        headers = {**session.headers, **(headers or {})}
        # (get_dict walks the jar's domains; the run's session never holds a cookie)
        cookies = {**(session.cookies.get_dict() if len(session.cookies) else {}), **(cookies or {})}
        auth = session.auth
        for name in ("max_redirects", "verify", "cert", "proxies"):
            kwargs.pop(name, None)
    application = kwargs.pop("app")
    base_url = st.normalize_base_url(kwargs.pop("base_url", None), host=st.HOST)
    body = {key: kwargs[key] for key in st.BODY_KWARGS if key in kwargs}
    cookies = st.prepare_cookies({**(st.serialize_cookies(case) or {}), **(cookies or {})})
    if cookies:
        return original(self, case, session=session, **passed)
    data = self.serialize_case(case, headers=headers, params=params, base_url=base_url, **body)
    data.update({key: value for key, value in kwargs.items() if key not in data})
    excluded_headers = st.prepare.get_exclude_headers(case)  # as patched by compat.py
    for name in excluded_headers:
        data["headers"].pop(name, None)
    if "Authorization" not in excluded_headers:
        data["headers"].update(_auth_header(case, auth, data))
    environ = build_environ(data)
    if environ is None:
        return original(self, case, session=session, **passed)

    config = case.operation.schema.config
    rate_limit = config.rate_limit_for(operation=case.operation)
    # schemathesis' ratelimit() does nothing without a limiter (it only imports pyrate_limiter)
    with st.ratelimit(rate_limit, config.base_url) if rate_limit is not None else nullcontext():
        started_at = st.Instant()
        status, response_headers, chunks = call_app(application, environ)
        elapsed = started_at.elapsed

    requests_kwargs = st.REQUESTS_TRANSPORT.serialize_case(
        case,
        base_url=base_url or st.normalize_base_url(case.operation.base_url, host=st.HOST),
        headers=headers,
        params=params,
        cookies=cookies,
        **body,
    )
    # The reported request is the one sent, with the caller's body rather than the generated one.
    requests_kwargs.update(body)
    grouped: dict[str, list[str]] = {}
    for name, value in response_headers:
        grouped.setdefault(name.lower(), []).append(value)
    content_type = next((v for k, v in response_headers if k.lower() == "content-type"), None)
    if st.is_event_stream(content_type):
        content, stream_cut_short = st.read_event_stream(
            iter(chunks), timeout or config.request_timeout_for(operation=case.operation),
            config.max_stream_events_for(operation=case.operation))
    else:
        content, stream_cut_short = b"".join(chunks), False
    return st.Response(
        status_code=status,
        headers=grouped,
        content=content,
        request=st.requests.Request(**requests_kwargs).prepare(),
        elapsed=elapsed,
        verify=False,
        stream_cut_short=stream_cut_short,
        _override=st.Override.from_send_kwargs(kwargs),
    )
