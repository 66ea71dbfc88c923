"""Build the HTTP request for an operation from its input values, before and then with the policies.

Order, as the connector runtime does it: the URL from ``schemes[0]``, ``host`` and ``basePath``
plus the operation path with its path parameters encoded per ``x-ms-url-encoding``; query and
header parameters by their names; the JSON body from the body inputs; basic auth from the
connection's ``username`` and ``password``; then every policy template that applies, in order.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from .definition import Connector, Input, Operation
from .errors import UnsupportedError

MASK = "***"
JOINERS = {"csv": ",", "ssv": " ", "tsv": "\t", "pipes": "|"}


@dataclass
class HttpRequest:
    method: str
    base: str   # scheme://host + basePath, or what dynamichosturl made of it
    path: str   # already encoded
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None

    @property
    def url(self) -> str:
        query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in self.query)
        return self.base + self.path + (f"?{query}" if query else "")

    def __repr__(self) -> str:
        # Masked like describe(): a repr ends up in tracebacks and test reports.
        headers = {k: mask_authorization(k, v) for k, v in self.headers.items()}
        return (f"HttpRequest(method={self.method!r}, url={self.url!r}, headers={headers!r}, "
                f"body={self.body!r})")

    def query_values(self) -> dict[str, str]:
        """The first value of each query parameter, for ``@queryParameters('name')``."""
        values: dict[str, str] = {}
        for key, value in self.query:
            values.setdefault(key, value)
        return values

    def header_name(self, name: str) -> str | None:
        """The spelling under which ``name`` is set (header names are case-insensitive)."""
        return next((k for k in self.headers if k.lower() == name.lower()), None)

    def data(self) -> bytes | None:
        return None if self.body is None else json.dumps(self.body, ensure_ascii=False).encode("utf-8")

    def describe(self) -> str:
        """Method, URL, headers and body as text, with the Authorization header masked."""
        lines = [f"{self.method} {self.url}"]
        for name, value in self.headers.items():
            lines.append(f"{name}: {mask_authorization(name, value)}")
        if self.body is not None:
            lines += ["", json.dumps(self.body, indent=2, ensure_ascii=False)]
        return "\n".join(lines)


def mask_authorization(name: str, value: str) -> str:
    if name.lower() != "authorization":
        return value
    scheme, _, _ = value.partition(" ")
    return f"{scheme} {MASK}" if scheme else MASK


def text(value: Any) -> str:
    """A value as it goes into a URL or header: booleans in lower case, objects as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def encode_path_value(inp: Input, value: Any) -> str:
    # "single" escapes the value once (the backend sees it decoded once); "double" escapes the
    # escaped text again, for backends that decode twice. Absent = single (the project's rules
    # require the key on every path parameter, so the default never decides anything here).
    once = quote(text(value), safe="")
    if inp.url_encoding == "double":
        return quote(once, safe="")
    if inp.url_encoding != "single":
        raise UnsupportedError(f"input {inp.key!r}: x-ms-url-encoding {inp.url_encoding!r} is not "
                               f"'single' or 'double'")
    return once


def base_url(connector: Connector) -> str:
    swagger = connector.swagger
    scheme = (swagger.get("schemes") or ["https"])[0]
    return f"{scheme}://{swagger.get('host', '')}{swagger.get('basePath', '')}".rstrip("/")


def build(connector: Connector, operation: Operation, values: Mapping[str, Any],
          connection: Mapping[str, str], *, extra_query: Mapping[str, str] | None = None) -> HttpRequest:
    """The request before policies: ``values`` are prepared input values (see inputs.prepare);
    ``extra_query`` are query parameters the operation does not declare (a trigger's state)."""
    from .policies import apply  # policies needs HttpRequest from this module

    path = operation.path
    request = HttpRequest(operation.method, base_url(connector), path)
    body: dict[str, Any] = {}
    for inp in operation.inputs:
        if inp.key not in values or values[inp.key] is None:
            continue
        value = values[inp.key]
        if inp.location == "path":
            request.path = request.path.replace("{" + inp.wire_name + "}", encode_path_value(inp, value))
        elif inp.location == "query":
            if isinstance(value, list) and inp.collection_format == "multi":
                request.query += [(inp.wire_name, text(v)) for v in value]
            elif isinstance(value, list):
                joiner = JOINERS.get(inp.collection_format)
                if joiner is None:
                    raise UnsupportedError(f"input {inp.key!r}: collectionFormat {inp.collection_format!r}")
                request.query.append((inp.wire_name, joiner.join(text(v) for v in value)))
            else:
                request.query.append((inp.wire_name, text(value)))
        elif inp.location == "header":
            request.headers[inp.wire_name] = text(value)
        elif inp.location == "body" and inp.property_path:
            node = body
            for part in inp.property_path[:-1]:
                node = node.setdefault(part, {})
            node[inp.property_path[-1]] = value
        elif inp.location == "body":
            request.body = value
        else:
            raise UnsupportedError(f"input {inp.key!r} of {operation.id} is a {inp.location!r} parameter; "
                                   f"the emulator sends JSON bodies, path, query and header parameters only")
    if body or (operation.body_param and operation.body_required):
        request.body = body
    for name, value in (extra_query or {}).items():
        request.query = [(k, v) for k, v in request.query if k != name] + [(name, value)]
    if request.body is not None:
        if operation.consumes and "application/json" not in operation.consumes:
            raise UnsupportedError(f"{operation.id} consumes {', '.join(operation.consumes)}; the emulator "
                                   f"sends application/json bodies only")
        request.headers["Content-Type"] = "application/json"
    _authenticate(connector, operation, request, connection)
    return apply(request, connector=connector, operation=operation, values=values, connection=connection)


def _authenticate(connector: Connector, operation: Operation, request: HttpRequest,
                  connection: Mapping[str, str]) -> None:
    definitions = connector.swagger.get("securityDefinitions") or {}
    for name in operation.security:
        kind = (definitions.get(name) or {}).get("type")
        if kind != "basic":
            raise UnsupportedError(f"security definition {name!r} of type {kind!r}: the emulator "
                                   f"reproduces basic authentication only")
        for key in ("username", "password"):
            if key not in connection:
                raise UnsupportedError(f"basic authentication needs the connection parameter {key!r}")
        token = base64.b64encode(f"{connection['username']}:{connection['password']}".encode()).decode()
        request.headers["Authorization"] = f"Basic {token}"
