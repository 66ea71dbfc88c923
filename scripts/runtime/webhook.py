"""A webhook trigger (``x-ms-trigger: single``), the way the platform runs one.

Registration: the platform calls the trigger operation with the flow's callback URL in the body
property marked ``x-ms-notification-url`` (plus the maker's inputs); the answer must be 2xx and
carry a ``Location`` header. Each request the service then sends to the callback URL fires the flow
once; the flow sees the body as the trigger body (a form body as ``$content-type``/``$content``/
``$formdata``, which ``triggerFormDataValue`` reads). Deleting the flow makes the platform send
DELETE to the ``Location`` URL, through the connector (its policies apply).

``CallbackServer`` is the flow's end: a loopback HTTP server that records each firing in arrival
order, checks it against the path's ``x-ms-notification-content`` schema and answers 200.
"""

from __future__ import annotations

import base64
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from jsonschema import Draft4Validator

from ..expressions import ExpressionError, account_base_url
from ..swagger_schema import to_json_schema
from .errors import CallError, InputError, ResponseMismatch, UnsupportedError
from .runtime import Result, Runtime

FORM = "application/x-www-form-urlencoded"
MAX_BODY = 1 << 20


@dataclass
class Firing:
    """One run of the flow: what ``triggerOutputs()`` holds (method, headers, queries, body)."""

    method: str
    path: str
    headers: dict[str, str]
    queries: dict[str, str]
    body: Any


def form_body(content_type: str, raw: bytes) -> dict[str, Any]:
    """A form body as Power Automate hands it to a flow."""
    return {"$content-type": content_type, "$content": base64.b64encode(raw).decode(),
            "$formdata": [{"key": k, "value": v} for k, v in parse_qsl(raw.decode("utf-8"), keep_blank_values=True)]}


def trigger_form_data_value(firing: Firing, key: str) -> str:
    """``triggerFormDataValue(key)``: the first value of form field ``key``; an error when absent,
    as in a flow."""
    for field in (firing.body or {}).get("$formdata", []) if isinstance(firing.body, dict) else []:
        if field.get("key") == key:
            return field.get("value")
    raise KeyError(f"the trigger body has no form field {key!r}")


class CallbackServer:
    """The flow's callback endpoint on 127.0.0.1; ``url`` is what registration hands to the service."""

    def __init__(self, notification: Mapping[str, Any] | None = None) -> None:
        schema = (notification or {}).get("schema")
        self.validator = Draft4Validator(to_json_schema(schema)) if schema else None
        self.firings: list[Firing] = []
        self.problems: list[str] = []
        self._lock = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _fire(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(min(length, MAX_BODY))
                outer._record(self.command, self.path, dict(self.headers), raw)
                self.send_response(200 if self.path.startswith(outer.path) else 404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = do_PUT = _fire

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.path = "/workflows/emulated/triggers/manual/paths/invoke"
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{self.path}?api-version=2016-06-01&sig=emulated"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    def _record(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> None:
        parts = urlsplit(target)
        if parts.path != self.path:
            return
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        if content_type.split(";")[0].strip().lower() == FORM:
            body: Any = form_body(content_type, raw)
        elif raw.strip():
            import json

            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
        else:
            body = None
        queries = {k: v for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if k not in ("api-version", "sig")}
        firing = Firing(method, parts.path, headers, queries, body)
        if self.validator is not None and body is not None:
            self.problems += [f"firing {len(self.firings) + 1}: {e.message}" for e in self.validator.iter_errors(body)]
        with self._lock:
            self.firings.append(firing)
            self._lock.notify_all()

    def wait(self, count: int, timeout: float = 10.0) -> list[Firing]:
        """The firings once there are at least ``count`` (or when ``timeout`` runs out)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.firings) < count and time.monotonic() < deadline:
                self._lock.wait(max(0.0, deadline - time.monotonic()))
            return list(self.firings)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> CallbackServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class WebhookTrigger:
    def __init__(self, runtime: Runtime, operation_id: str, values: Mapping[str, Any] | None = None) -> None:
        self.runtime = runtime
        self.operation = runtime.connector.operation(operation_id)
        if self.operation.trigger != "single":
            triggers = sorted(op.id for op in runtime.connector.operations.values() if op.trigger == "single")
            raise InputError(f"{operation_id} is not a webhook trigger (\"x-ms-trigger\": \"single\"); webhook "
                             f"triggers: {', '.join(triggers) or 'none'}")
        urls = [inp for inp in self.operation.inputs if inp.schema.get("x-ms-notification-url") is True]
        if len(urls) != 1:
            raise UnsupportedError(f"{operation_id}: a webhook trigger needs exactly one input marked "
                                   f"x-ms-notification-url, found {len(urls)}")
        self.url_input = urls[0]
        self.values = dict(values or {})
        self.location: str | None = None

    @property
    def notification(self) -> dict[str, Any] | None:
        return self.operation.notification

    def register(self, callback_url: str) -> Result:
        """Call the trigger operation with the callback URL; keep the Location for ``delete``."""
        result = self.runtime.call(self.operation.id, {**self.values, self.url_input.key: callback_url})
        location = next((v for k, v in result.headers.items() if k.lower() == "location"), None)
        if not location:
            raise ResponseMismatch(f"{self.operation.id}: registration answered {result.status} without a "
                                   f"Location header: the platform could never remove this subscription",
                                   problems=["(no Location header)"], body=result.body)
        self.location = location
        return result

    def delete(self) -> Result:
        """What the platform does when the flow is deleted: DELETE the Location, through the connector."""
        if self.location is None:
            raise InputError(f"{self.operation.id}: nothing registered")
        operation_id, values = self._operation_for(self.location)
        result = self.runtime.call(operation_id, values)
        self.location = None
        return result

    def _operation_for(self, location: str) -> tuple[str, dict[str, str]]:
        connector = self.runtime.connector
        try:
            base = account_base_url(connector.properties, self.runtime.connection, swagger=connector.swagger)
        except ExpressionError as exc:
            raise UnsupportedError(str(exc)) from None
        base_path = urlsplit(base).path.rstrip("/")
        parts = urlsplit(location)
        if parts.netloc != urlsplit(base).netloc or not parts.path.startswith(base_path + "/"):
            raise CallError(f"{self.operation.id}: Location {location!r} is not on the connector's host "
                            f"({base}): the platform could not call it through the connector")
        below = parts.path[len(base_path):]
        for op in connector.operations.values():
            if op.method != "DELETE":
                continue
            names = re.findall(r"\{([^{}]+)\}", op.path)
            pattern = "^" + re.sub(r"\\\{[^{}]+\\\}", "([^/]+)", re.escape(op.path.rstrip("/"))) + "/?$"
            match = re.match(pattern, below)
            if match:
                values = {name: unquote(value) for name, value in zip(names, match.groups(), strict=True)}
                values.update(parse_qsl(parts.query))
                return op.id, values
        raise CallError(f"{self.operation.id}: no DELETE operation of the connector matches Location {location!r}")
