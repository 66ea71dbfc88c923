"""A small threaded HTTP/1.1 server with keep-alive that runs any WSGI app.

Why not wsgiref: its server speaks HTTP/1.0 and closes every connection, and the Plivo SDK and
wrk both keep connections alive (the SDK stalls against a single-threaded server). One thread per
connection (ThreadingHTTPServer) is plenty for a loopback mock. The whole response goes out in a
single write with TCP_NODELAY set, so a keep-alive client never waits on Nagle/delayed-ACK.
"""

from __future__ import annotations

import re
import socket
import socketserver
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

from .httpio import MAX_BODY

DRAIN_LIMIT = 64 * 1024  # unread request bodies up to this size are skipped to keep the connection
# Lingering close (as Apache and nginx do it): after answering a request whose body is left unread
# (413), stop writing but keep reading and discarding for a while, so that a client still sending
# its body finishes and reads the answer instead of getting a reset. Bounded in time and bytes.
LINGER_SECONDS = 5.0
LINGER_IDLE_SECONDS = 1.0
LINGER_BYTES = 16 * 1024 * 1024
ASCII_DIGITS = re.compile(r"[0-9]{1,18}")  # str.isdigit() accepts '²', which int() then refuses
BAD_LENGTH = b'{"error": "invalid Content-Length header"}'


def parse_length(raw: str | None) -> int | None:
    """Content-Length as an int; 0 when absent; None when it is not plain ASCII digits."""
    raw = (raw or "").strip()
    if not raw:
        return 0
    return int(raw) if ASCII_DIGITS.fullmatch(raw) else None


class _Body:
    """wsgi.input that never reads past Content-Length (so the next request stays intact)."""

    def __init__(self, rfile: Any, length: int) -> None:
        self._rfile = rfile
        self.remaining = length

    def read(self, size: int = -1) -> bytes:
        if size < 0 or size > self.remaining:
            size = self.remaining
        data = self._rfile.read(size) if size else b""
        self.remaining -= len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        if size < 0 or size > self.remaining:
            size = self.remaining
        data = self._rfile.readline(size) if size else b""
        self.remaining -= len(data)
        return data


class WSGIRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "PlivoMock/1.0"
    sys_version = ""
    disable_nagle_algorithm = True
    timeout = 120  # idle keep-alive connections are closed after this many seconds

    def log_message(self, format: str, *args: Any) -> None:
        pass  # no access log: it would cost more than the request itself under load

    def handle_expect_100(self) -> bool:
        # Do not invite a body the app will refuse with 413 unread.
        length = parse_length(self.headers.get("Content-Length"))
        if length is None:
            self._plain(400, "Bad Request", BAD_LENGTH)
            return False
        if length > MAX_BODY:
            return True
        return super().handle_expect_100()

    def handle_one_request(self) -> None:
        # The stdlib version dispatches to do_<METHOD> and answers 501 for others; the WSGI app
        # must see every method (it answers 405 with Allow itself).
        try:
            self.raw_requestline = self.rfile.readline(65537)
            if len(self.raw_requestline) > 65536:
                self.send_error(414)
                return
            if not self.raw_requestline:
                self.close_connection = True
                return
            if not self.parse_request():
                return
            self._run_wsgi()
        except (TimeoutError, ConnectionError):
            self.close_connection = True

    def _plain(self, status: int, reason: str, body: bytes) -> None:
        self.close_connection = True
        self.wfile.write(
            f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode("latin-1") + body)

    def _run_wsgi(self) -> None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            # Plivo clients always send Content-Length; without it the body size cannot be checked.
            self._plain(411, "Length Required", b'{"error": "Content-Length is required"}')
            return
        raw_length = (self.headers.get("Content-Length") or "").strip()
        length = parse_length(raw_length)
        if length is None:  # the body's end is unknown, so is the next request's start: close
            self._plain(400, "Bad Request", BAD_LENGTH)
            return
        path, _, query = self.path.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.command,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(path, "latin-1"),
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": raw_length,
            "REMOTE_ADDR": self.client_address[0],
            "SERVER_NAME": self.server.server_address[0],
            "SERVER_PORT": str(self.server.server_address[1]),
            "SERVER_PROTOCOL": self.request_version,
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": _Body(self.rfile, length),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in self.headers.items():
            key = "HTTP_" + name.upper().replace("-", "_")
            if key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                environ[key] = value
        started: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            started[:] = [status, headers]
            return self.wfile.write

        result = self.server.app(environ, start_response)  # type: ignore[attr-defined]
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        # Skip what the app left unread (e.g. a 401 before the body was parsed); a large or unknown
        # remainder would take too long, so the connection is closed instead.
        unread = environ["wsgi.input"].remaining
        if unread > DRAIN_LIMIT:
            self.close_connection = True
        elif unread:
            environ["wsgi.input"].read()
        status, headers = started
        lines = [f"HTTP/1.1 {status}", f"Server: {self.server_version}", f"Date: {self.date_time_string()}"]
        lines += [f"{k}: {v}" for k, v in headers]
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head if self.command == "HEAD" else head + body)
        if unread > DRAIN_LIMIT:
            self._linger()

    def _linger(self) -> None:
        """Half-close, then read and discard what the client still sends, within the bounds."""
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + LINGER_SECONDS
            discarded = 0
            while discarded < LINGER_BYTES:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.connection.settimeout(min(left, LINGER_IDLE_SECONDS))
                chunk = self.rfile.read1(65536)
                if not chunk:
                    break
                discarded += len(chunk)
        except OSError:  # the client went away or went quiet: nothing more to wait for
            pass


class MockHTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # idle keep-alive connections must not keep the process alive
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: Any) -> None:
        self.app = app
        super().__init__(address, WSGIRequestHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, a DNS lookup that can hang for seconds.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


def make_server(app: Any, host: str = "127.0.0.1", port: int = 0) -> MockHTTPServer:
    """Bind (port 0 picks a free port: read it from ``server.server_address``); call serve_forever."""
    return MockHTTPServer((host, port), app)
