"""Helpers for the Plivo mock tests: accounts, an in-process WSGI client, a live-server runner.

A module with a unique name (not conftest) so test modules can import it without clashing with
other conftest.py files in the project."""

from __future__ import annotations

import base64
import io
import json
import threading
from typing import Any
from urllib.parse import urlencode

from scripts.mock import MockApp
from tests.support import serve  # noqa: F401 -- re-exported for the tests of this package

ACCOUNT_A = ("MAAAAAAAAAAAAAAAAAAA", "token-a")
ACCOUNT_B = ("MABBBBBBBBBBBBBBBBBB", "token-b")
SUB_C = ("SACCCCCCCCCCCCCCCCCC", "token-c")
ACCOUNTS = dict([ACCOUNT_A, ACCOUNT_B, SUB_C])


def basic(auth_id: str, token: str) -> str:
    return "Basic " + base64.b64encode(f"{auth_id}:{token}".encode()).decode()


class Result:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    def __repr__(self) -> str:
        return f"<Result {self.status} {self.body[:300]!r}>"


class WsgiClient:
    """Calls the WSGI app directly (no socket); authenticates as ``account`` unless told otherwise."""

    def __init__(self, app: MockApp, account: tuple[str, str] = ACCOUNT_A) -> None:
        self.app = app
        self.account = account

    def uri(self, tail: str = "", account: tuple[str, str] | None = None) -> str:
        return f"/v1/Account/{(account or self.account)[0]}/{tail}"

    def request(self, method: str, path: str, *, json_body: Any = None, data: bytes | None = None,
                content_type: str | None = None, query: dict[str, Any] | str | None = None,
                auth: tuple[str, str] | bool | None = True, headers: dict[str, str] | None = None,
                remote_addr: str = "127.0.0.1") -> Result:
        if json_body is not None:
            data = json.dumps(json_body).encode()
            content_type = content_type or "application/json"
        data = data or b""
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query if isinstance(query, str) else urlencode(query or {}, doseq=True),
            "CONTENT_TYPE": content_type or "",
            "CONTENT_LENGTH": str(len(data)) if data else "",
            "REMOTE_ADDR": remote_addr,
            "wsgi.input": io.BytesIO(data),
        }
        if auth is True:
            auth = self.account
        if auth:
            environ["HTTP_AUTHORIZATION"] = basic(*auth)
        for name, value in (headers or {}).items():
            key = name.upper().replace("-", "_")
            environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + key] = value
        captured: dict[str, Any] = {}

        def start_response(status: str, response_headers: list[tuple[str, str]]) -> None:
            captured["status"] = int(status.split()[0])
            captured["headers"] = dict(response_headers)

        body = b"".join(self.app(environ, start_response))
        return Result(captured["status"], captured["headers"], body)

    # Shortcuts for the common calls.
    def send(self, **fields: Any) -> Result:
        body = {"src": "14155550100", "dst": "14155550123", "text": "hello"} | fields
        return self.request("POST", self.uri("Message/"), json_body={k: v for k, v in body.items()
                                                                         if v is not None})

    def list_messages(self, **query: Any) -> Result:
        return self.request("GET", self.uri("Message/"), query=query)

    def call(self, **fields: Any) -> Result:
        body = {"from": "14155550100", "to": "14155550123", "answer_url": "https://example.com/answer"}
        body |= fields
        return self.request("POST", self.uri("Call/"), json_body={k: v for k, v in body.items() if v is not None})

    def control(self, method: str, path: str, body: Any = None) -> Result:
        return self.request(method, path, json_body=body, auth=False)


class MockProcess:
    """``python -m scripts.mock ...`` as a subprocess; stdout lines are collected by a thread so a
    test can wait for them with a timeout."""

    def __init__(self, *args: str) -> None:
        import queue
        import subprocess
        import sys
        from pathlib import Path

        root = Path(__file__).resolve().parents[2]
        self.proc = subprocess.Popen([sys.executable, "-m", "scripts.mock", *args], cwd=root,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        self.url = ""

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def line(self, timeout: float = 10.0) -> str:
        return self.lines.get(timeout=timeout)

    def wait_listening(self) -> str:
        first = self.line()
        prefix = "Plivo mock listening on "
        assert first.startswith(prefix), first
        self.url = first[len(prefix):]
        return self.url

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream:
                stream.close()
