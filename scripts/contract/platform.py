"""The platform between the contract run and the backend: the connector's policies, applied per operation.

schemathesis sends what the definition declares (e.g. ``POST /Webhook/Message/?app_id=…`` or
``GET /trigger/Message/``); Power Platform would route those through the connector's policies
(routerequesttoendpoint, setqueryparameter, the pollingtrigger's ``/trigger`` removal) before Plivo
sees them, and apply the Response-section policies (a Location header, a root next link) to the
answer. ``PlatformShim`` is a WSGI app that does exactly that with the runtime emulator's policy
code, then hands the request to the backend: an in-process WSGI app or an origin over HTTP.

A request that matches no declared operation passes through unchanged, so the checks on unknown
paths and methods still see the backend's own answers. Credentials are never added here: the
Authorization header is the one schemathesis sent, so the missing-auth checks stay meaningful.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from ..runtime import policies
from ..runtime.definition import Connector, Operation
from ..runtime.errors import EmulatorError, UnsupportedError
from ..runtime.request import HttpRequest
from ..runtime.transport import HttpResponse, HttpTransport

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


def _pattern(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^{}]+\\\}", "([^/]+)", re.escape(path.rstrip("/"))) + "/?$")


def unreproducible(connector: Connector) -> list[str]:
    """The policies the shim cannot reproduce, as messages (empty: every policy is reproduced)."""
    problems = []
    for operation in connector.operations.values():
        try:
            policies.applicable(connector, operation)
        except UnsupportedError as error:
            problems.append(str(error))
    return sorted(set(problems))


def backend_operations(connector: Connector, connection: dict[str, str]) -> set[tuple[str, str]]:
    """(METHOD, path below the account) the backend receives for each declared operation, after the
    policies: the routes the mock must serve."""
    routes = set()
    for operation in connector.operations.values():
        values = {inp.key: "{" + inp.wire_name + "}" for inp in operation.inputs if inp.location in ("path", "query")}
        request = HttpRequest(operation.method, "", operation.path)
        try:
            built = policies.apply(request, connector=connector, operation=operation, values=values,
                                   connection=connection)
        except EmulatorError:
            built = request
        # the newPath placeholders come back percent-encoded; the mock's routes only need the shape
        routes.add((built.method, re.sub(r"%7B[^/]*?%7D", "{x}", built.path)))
    return routes


class PlatformShim:
    def __init__(self, connector: Connector, connection: dict[str, str], *, app: Any = None,
                 origin: str | None = None) -> None:
        self.connector = connector
        self.connection = dict(connection)
        self.backend = DirectWsgi(app) if app is not None else HttpTransport(origin or "")
        # Against the live API (origin = the account URL's own origin) an operation sent to another
        # Plivo host (lookup) keeps that host; a mock server serves every host on its own origin.
        own = urlsplit(policies_base(connector, self.connection))
        self.live = origin is not None and urlsplit(origin)[:2] == own[:2]
        # Worked out once: the account's base path (from the connection, which does not change)
        # and each route's pattern and literal length; the run asks for them on every request.
        self.base_path = own.path.rstrip("/")
        self.routes = [(op, _pattern(op.path), len(re.sub(r"\{[^{}]+\}", "", op.path)))
                       for op in connector.operations.values()]

    def _matches(self, below: str) -> list[tuple[Operation, re.Match[str]]]:
        """The operations whose declared path matches, the most literal path only (as the platform
        prefers /Call/ over /{phone_number})."""
        found = [(op, m, literal) for op, pattern, literal in self.routes if (m := pattern.match(below))]
        if not found:
            return []
        best = max(literal for _, _, literal in found)
        return [(op, m) for op, m, literal in found if literal == best]

    def _match(self, method: str, below: str) -> tuple[Operation, dict[str, str]] | None:
        for operation, m in self._matches(below):
            if operation.method == method:
                names = re.findall(r"\{([^{}]+)\}", operation.path)
                return operation, {n: unquote(v) for n, v in zip(names, m.groups(), strict=True)}
        return None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        # PATH_INFO is decoded (bytes as latin-1); requests carry it encoded, as the client sent it.
        path = quote((environ.get("PATH_INFO", "") or "/").encode("latin-1"), safe="/:@!$&'()*+,;=-._~")
        query = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        headers = {key[5:].replace("_", "-").title(): value for key, value in environ.items()
                   if key.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        host = headers.pop("Host", environ.get("SERVER_NAME", "localhost"))
        scheme = environ.get("wsgi.url_scheme", "http")
        base_path = self.base_path
        request = _RawRequest(method, f"{scheme}://{host}", path, query, headers, raw)
        below = path[len(base_path):] if path.startswith(base_path + "/") else None
        found = self._match(method, below) if below is not None else None
        allowed = sorted({op.method for op, _ in self._matches(below)}) if below is not None else []
        if found is None and allowed:
            # The platform exposes the declared operations only: another method on a declared path
            # never reaches the backend.
            body = b'{"error": "method not allowed"}'
            start_response("405 Method Not Allowed", [("Content-Type", "application/json"),
                                                      ("Allow", ", ".join(allowed)),
                                                      ("Content-Length", str(len(body)))])
            return [body]
        operation = None
        if found is not None:
            operation, path_values = found
            if operation.trigger:  # the run treats a trigger's internal inputs as optional (runner.py)
                _fill_internal_defaults(request, operation)
            values = {**dict(request.query), **path_values}
            request.base, request.path = f"{scheme}://{host}{base_path}", path[len(base_path):]
            try:
                policies.apply(request, connector=self.connector, operation=operation, values=values,
                               connection=self.connection)
            except EmulatorError:
                operation = None  # e.g. a path value a policy cannot place: the backend decides
                request = _RawRequest(method, f"{scheme}://{host}", path, query, headers, raw)
        backend = self.backend
        if self.live and operation is not None:
            parts = urlsplit(request.base)
            backend = HttpTransport(f"{parts.scheme}://{parts.netloc}")
        response = backend.send(request)
        out_headers = {k: v for k, v in response.headers.items() if k.lower() not in HOP_BY_HOP}
        content = response.content
        if operation is not None and 200 <= response.status < 300:
            out_headers, content = _respond(self.connector, operation, request, self.connection, response,
                                            out_headers)
        start_response(f"{response.status} {_REASONS.get(response.status, 'Status')}",
                       [*out_headers.items(), ("Content-Length", str(len(content)))])
        return [content]


def _fill_internal_defaults(request: _RawRequest, operation: Operation) -> None:
    """The platform always sends an internal input's default: add those the request lacks (query
    parameters and top-level JSON body properties)."""
    import json

    defaults = [inp for inp in operation.inputs if inp.internal and inp.has_default]
    present = {k for k, _ in request.query}
    for inp in defaults:
        if inp.location == "query" and inp.wire_name not in present:
            value = inp.default
            request.query.append((inp.wire_name, str(value).lower() if isinstance(value, bool) else str(value)))
    body_defaults = {inp.property_path[0]: inp.default for inp in defaults
                     if inp.location == "body" and len(inp.property_path) == 1}
    if body_defaults and request.raw.strip():
        try:
            body = json.loads(request.raw)
        except ValueError:
            return
        if isinstance(body, dict) and any(k not in body for k in body_defaults):
            request.raw = json.dumps({**body_defaults, **body}).encode()
    elif body_defaults and operation.body_param:
        request.raw = json.dumps(body_defaults).encode()
        request.headers.setdefault("Content-Type", "application/json")


def _respond(connector: Connector, operation: Operation, request: HttpRequest, connection: dict[str, str],
             response: HttpResponse, headers: dict[str, str]) -> tuple[dict[str, str], bytes]:
    import json

    new_headers, body = policies.apply_response(replace(response, headers=headers), connector=connector,
                                                operation=operation, request=request, connection=connection)
    if body == response.json():
        return new_headers, response.content
    return new_headers, json.dumps(body).encode()


class DirectWsgi:
    """Calls a WSGI app (the embedded mock) with the environ a test client would build, without one.

    werkzeug's test client wraps every call in an EnvironBuilder, a cookie jar, a Request for the
    response's sake and a TestResponse: about 0.1 ms of CPU per call (half of a trivial call through
    it), on each of the run's thousands of calls. The environ carries what werkzeug's does for such
    a request: PATH_INFO percent-decoded (UTF-8, as latin-1 text), the query string as sent, Host
    from the URL, the headers as HTTP_*, Content-Type and Content-Length when there is a body.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    def send(self, request: HttpRequest) -> HttpResponse:
        parts = urlsplit(request.url)
        scheme, host = parts.scheme or "http", parts.netloc or "localhost"
        name, _, port = host.partition(":")
        data = request.data()
        environ: dict[str, Any] = {
            "REQUEST_METHOD": request.method.upper(),
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(parts.path or "/").encode().decode("latin-1"),
            "QUERY_STRING": parts.query.encode().decode("latin-1"),
            "SERVER_NAME": name,
            "SERVER_PORT": port or ("443" if scheme == "https" else "80"),
            "HTTP_HOST": host,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": scheme,
            "wsgi.input": io.BytesIO(data or b""),
            "wsgi.errors": io.StringIO(),
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for key, value in request.headers.items():
            lower = key.lower()
            if lower == "content-type":
                environ["CONTENT_TYPE"] = value
            elif lower not in ("content-length", "host"):
                wsgi_key = "HTTP_" + key.upper().replace("-", "_")
                environ[wsgi_key] = f"{environ[wsgi_key]}, {value}" if wsgi_key in environ else value
        if data is not None:
            environ["CONTENT_LENGTH"] = str(len(data))
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            captured["status"], captured["headers"] = status, headers

        result = self.app(environ, start_response)
        try:
            content = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        headers: dict[str, str] = {}
        for key, value in captured["headers"]:
            headers.setdefault(key, value)  # as dict(werkzeug's Headers): the first of repeated names
        return HttpResponse(int(captured["status"].split(" ", 1)[0]), headers, content)


def policies_base(connector: Connector, connection: dict[str, str]) -> str:
    from ..expressions import account_base_url

    return account_base_url(connector.properties, connection, swagger=connector.swagger)


class _RawRequest(HttpRequest):
    """An HttpRequest whose body is bytes as received (not re-encoded JSON)."""

    def __init__(self, method: str, base: str, path: str, query: list[tuple[str, str]],
                 headers: dict[str, str], raw: bytes) -> None:
        super().__init__(method, base, path, list(query), dict(headers), None)
        self.raw = raw

    def data(self) -> bytes | None:
        return self.raw or None


_REASONS = {200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 400: "Bad Request",
            401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
            413: "Payload Too Large", 415: "Unsupported Media Type", 429: "Too Many Requests",
            500: "Internal Server Error"}
