"""The WSGI application: the order of the checks every request goes through, and the request log.

Order (that of Django REST framework, which Plivo's API appears to run on: its 401 text is DRF's):
body size (413, before any read), unknown path (404), credentials (401), throttle (429), method
(405), Plivo's own per-account limits (429: list messages 20 a minute), then the handler (400/404
and the success). 401s do not consume quota: wrong credentials must not let anyone use up a
connection's calls. Anything unexpected is logged to stderr and
answered with a plain 500 JSON body, never a stack trace.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any
from zoneinfo import ZoneInfo

from . import control, formats, inbound, messages, routes
from .accounts import authenticate
from .clock import Clock
from .httpio import ApiError, Request, Response, error_response
from .store import Store
from .throttle import SlidingWindowThrottle

REQUEST_LOG_SIZE = 10_000  # oldest entries are dropped: a long benchmark must not eat memory
REQUEST_LOG_BYTES = 16 * 1024 * 1024  # ... nor a few huge requests: the log's approximate size in bytes
LOG_VALUE_LIMIT = 1024  # a query value is logged up to this many characters
REDACTED = "***"
# Query parameter names that look like they carry a credential; their values are never logged.
CREDENTIAL_NAME = re.compile(r"token|secret|passw|pwd|auth|key|signature|sig$|credential|session|cookie",
                             re.IGNORECASE)
# Plivo's documented per-account limits on single endpoints: (handler, calls, seconds).
PLIVO_LIMITS = ((messages.list_, 20, 60.0),)
CLOCK_OFFSET_KEY = "clock_offset"


class MockApp:
    def __init__(self, accounts: dict[str, str], *, throttle: tuple[int, float] | None = None,
                 db_path: str | None = None, clock: Clock | None = None,
                 operations: set[tuple[str, str]] | None = None, plivo_limits: bool = True,
                 timezone: str = "Etc/UTC", ids_seed: int | None = None) -> None:
        self.accounts = dict(accounts)
        # Serving only a definition's operations makes 404/405/Allow match what it declares.
        self.routes = routes.restrict(operations) if operations is not None else None
        self.clock = clock or Clock()
        self.timezone_name = timezone
        self.timezone = ZoneInfo(timezone)  # raises for an unknown name: the CLI checks it first
        self.store = Store(db_path)
        saved = self.store.one("SELECT value FROM mock_state WHERE key = ?", (CLOCK_OFFSET_KEY,))
        if saved is not None and float(saved[0]) > self.clock.offset:
            # A restart with --db keeps the clock where tests moved it: records made "later" must
            # not end up in the future, and states must not go back to queued.
            self.clock.advance(float(saved[0]) - self.clock.offset)
        if ids_seed is not None:
            formats.seed_ids(ids_seed)
        self.throttle = SlidingWindowThrottle(throttle[0], throttle[1], self.clock.now) if throttle else None
        self.endpoint_limits = {handler: SlidingWindowThrottle(calls, seconds, self.clock.now)
                                for handler, calls, seconds in PLIVO_LIMITS} if plivo_limits else {}
        self._log: deque[tuple[dict[str, Any], int]] = deque()  # (entry, its approximate size)
        self._log_bytes = 0
        self._log_lock = threading.Lock()
        # Incoming messages reach applications' message URLs through this (inbound.py); tests may swap it.
        self.deliver = inbound.http_deliver
        self._deliveries: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_SIZE)

    # -- request log -----------------------------------------------------------------------------
    @property
    def request_log(self) -> list[dict[str, Any]]:
        """Requests to /v1 in arrival order: method, path, query, json, status. No credentials."""
        with self._log_lock:
            return [entry for entry, _ in self._log]

    def clear_request_log(self) -> None:
        with self._log_lock:
            self._log.clear()
            self._log_bytes = 0

    def _append_log(self, entry: dict[str, Any]) -> None:
        size = len(json.dumps(entry, default=str))
        with self._log_lock:
            self._log.append((entry, size))
            self._log_bytes += size
            while self._log and (len(self._log) > REQUEST_LOG_SIZE or self._log_bytes > REQUEST_LOG_BYTES):
                _, dropped = self._log.popleft()
                self._log_bytes -= dropped

    def advance_clock(self, seconds: float) -> float:
        """Move the mock clock forward; with a database the new offset survives a restart."""
        now = self.clock.advance(seconds)
        self.store.execute("INSERT INTO mock_state (key, value) VALUES (?, ?) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           (CLOCK_OFFSET_KEY, repr(self.clock.offset)))
        return now

    @property
    def deliveries(self) -> list[dict[str, Any]]:
        """Deliveries of incoming messages to message URLs, in order (inbound.py)."""
        with self._log_lock:
            return list(self._deliveries)

    def log_delivery(self, entry: dict[str, Any]) -> None:
        with self._log_lock:
            self._deliveries.append(entry)

    def reset(self) -> None:
        """Forget messages, calls, the log, throttle windows and the clock offset."""
        self.store.clear()
        self.clear_request_log()
        with self._log_lock:
            self._deliveries.clear()
        if self.throttle:
            self.throttle.reset()
        for limit in self.endpoint_limits.values():
            limit.reset()
        self.clock.reset()

    def close(self) -> None:
        self.store.close()

    # -- WSGI ------------------------------------------------------------------------------------
    def may_block(self, environ: dict[str, Any]) -> bool:
        """Whether answering may wait on something outside this process: the control API delivers
        incoming messages over HTTP (inbound.py), perhaps to the very server calling the app. The
        server (server.py) runs such requests on a thread of their own, the rest inline."""
        return environ.get("PATH_INFO", "").startswith("/_mock/")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        req: Request | None = None
        try:
            req = Request(environ)
            response = self._handle(req)
        except ApiError as err:
            response = error_response(err)
        except Exception:
            import traceback  # only for a bug: not worth its import time at start-up

            traceback.print_exc(file=sys.stderr)
            response = error_response(ApiError(500, "internal server error"))
        path = environ.get("PATH_INFO", "")
        if path.startswith("/v1/"):
            self._append_log({
                "method": environ.get("REQUEST_METHOD", ""),
                "path": path[:LOG_VALUE_LIMIT],
                "query": _loggable_query(req.query if req else {}, unauthorized=response.status == 401),
                "json": req.parsed_body if req else None,
                "status": response.status,
                "time": self.clock.now(),
            })
        status, headers, data = response.encode()
        start_response(status, headers)
        return [data]

    def _handle(self, req: Request) -> Response:
        req.check_size()
        if req.path.startswith("/_mock/"):
            return control.dispatch(self, req)
        found = routes.match(req.path, self.routes)
        if found is None:
            raise ApiError(404, "not found")
        methods, path_params = found
        # Paths of other hosts (lookup) carry no account: any configured account may call them.
        auth_id = authenticate(self.accounts, req.environ.get("HTTP_AUTHORIZATION", ""),
                               path_params.pop("auth_id", None))
        if self.throttle is not None:
            retry_after = self.throttle.acquire(auth_id)
            if retry_after is not None:
                raise ApiError(429, "too many requests", headers=[("Retry-After", str(retry_after))])
        handler = methods.get(req.method)
        if handler is None:
            raise ApiError(405, "method not allowed", headers=[("Allow", ", ".join(methods))])
        limit = self.endpoint_limits.get(handler)
        if limit is not None:
            retry_after = limit.acquire(auth_id)
            if retry_after is not None:
                raise ApiError(429, "too many requests", headers=[("Retry-After", str(retry_after))])
        return handler(self, req, auth_id, **path_params)


def _loggable_query(query: dict[str, list[str]], *, unauthorized: bool) -> dict[str, list[str]]:
    """The query as logged: values of credential-looking names redacted, every value of a request that
    failed authentication redacted (a misplaced token often sits there), long values cut."""
    logged = {}
    for name, values in query.items():
        if unauthorized or CREDENTIAL_NAME.search(name):
            logged[name[:LOG_VALUE_LIMIT]] = [REDACTED for _ in values]
        else:
            logged[name[:LOG_VALUE_LIMIT]] = [value[:LOG_VALUE_LIMIT] for value in values]
    return logged
