"""A small HTTP/1.1 server with keep-alive that runs any WSGI app: one thread, one ``selectors`` loop.

Why not wsgiref: its server speaks HTTP/1.0 and closes every connection, and the Plivo SDK and wrk
both keep connections alive. Why not ``http.server``'s ThreadingHTTPServer (this module's first
version): a thread per connection makes the threads fight for the GIL at every system call (each
SQLite statement, each recv and send hands the GIL over), and BaseHTTPRequestHandler parses headers
with the ``email`` package; together they cost more than the app's own work. Here one thread reads
every connection, parses the request line and headers itself, calls the app inline and writes each
response in one ``send`` with TCP_NODELAY set, so a keep-alive client never waits on Nagle or
delayed ACKs and no thread ever waits for the GIL.

A request whose app may wait on something outside the process (``app.may_block(environ)`` true:
the mock's control API delivers incoming messages over HTTP, perhaps to this very server) runs on
a thread of its own; its connection waits for it while every other connection is served.

Bodies are read whole (up to ``httpio.MAX_BODY``) before the app is called. A bigger declared body
is not waited for: the app answers (413) at once, and the connection is closed with a lingering
close (as Apache and nginx do): the server stops writing but keeps reading and discarding for a
while, so that a client still sending its body (Python's http.client writes it all before reading)
finishes and reads the answer instead of getting a reset. Bounded in time and bytes.
"""

from __future__ import annotations

import contextlib
import io
import re
import selectors
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from .httpio import MAX_BODY

SERVER = "PlivoMock/1.0"
IDLE_SECONDS = 120.0  # idle keep-alive connections (and half-sent requests) are closed after this
MAX_REQUEST_LINE = 65536  # longer request lines get 414
MAX_HEAD = 256 * 1024  # request line and headers together; more gets 431
MAX_HEADERS = 100  # as http.client and http.server allow
LINGER_SECONDS = 5.0
LINGER_IDLE_SECONDS = 1.0
LINGER_BYTES = 16 * 1024 * 1024
RECV_SIZE = 256 * 1024
SWEEP_SECONDS = 0.25  # how often idle and lingering connections are checked
ASCII_DIGITS = re.compile(r"[0-9]{1,18}")  # str.isdigit() accepts '²', which int() then refuses
HEAD_END = re.compile(rb"\r?\n\r?\n")
LINE_END = re.compile(r"\r?\n")
VERSION = re.compile(r"HTTP/(\d)\.(\d)")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def parse_length(raw: str | None) -> int | None:
    """Content-Length as an int; 0 when absent; None when it is not plain ASCII digits."""
    raw = (raw or "").strip()
    if not raw:
        return 0
    return int(raw) if ASCII_DIGITS.fullmatch(raw) else None


class _Refusal(Exception):
    """A request the server answers itself (the app never sees it); the connection is then closed."""

    def __init__(self, status: str, error: str) -> None:
        super().__init__(error)
        self.status = status
        self.body = b'{"error": "' + error.encode() + b'"}'


class _Request:
    """A parsed request head, waiting for its body."""

    __slots__ = ("environ", "keep_alive", "length")

    def __init__(self, environ: dict[str, Any], keep_alive: bool, length: int) -> None:
        self.environ = environ
        self.keep_alive = keep_alive
        self.length = length


class _Connection:
    __slots__ = (
        "address",
        "busy",
        "closed",
        "closing",
        "continued",
        "events",
        "inbuf",
        "last",
        "linger",
        "linger_until",
        "lingered",
        "outbuf",
        "request",
        "scanned",
        "skipped",
        "sock",
    )

    def __init__(self, sock: socket.socket, address: Any) -> None:
        self.sock = sock
        self.address = address
        self.inbuf = b""
        self.outbuf: bytes | memoryview = b""
        self.request: _Request | None = None  # head parsed, body still arriving
        self.busy = False  # the app runs on a thread for this connection's request
        self.closing = False  # close once outbuf is written
        self.linger = False  # ... with a lingering close
        self.last = time.monotonic()
        self.linger_until = 0.0  # set when lingering: then the connection only reads and discards
        self.lingered = 0
        self.events = 0
        self.closed = False
        self.continued = False  # "100 Continue" sent for the current request
        self.scanned = 0  # bytes of an unfinished head already searched for its end
        self.skipped = 0  # empty lines skipped before the next request


class MockHTTPServer:
    """The interface of socketserver's servers that the mock's callers use: ``server_address``,
    ``serve_forever``, ``shutdown``, ``server_close``."""

    def __init__(self, address: tuple[str, int], app: Any) -> None:
        self.app = app
        may_block = getattr(app, "may_block", None)
        self._may_block: Callable[[dict[str, Any]], bool] = may_block if callable(may_block) else _never
        self.socket = socket.socket(socket.AF_INET6 if ":" in address[0] else socket.AF_INET, socket.SOCK_STREAM)
        try:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.socket.bind(address)
            self.socket.listen(128)
            self.socket.setblocking(False)
        except OSError:
            self.socket.close()
            raise
        self.server_address = self.socket.getsockname()
        self._selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._connections: set[_Connection] = set()
        self._done: deque[tuple[_Connection, bytes, bool, bool]] = deque()  # answers from request threads
        self._stop = False
        self._stopped = threading.Event()  # as in socketserver: shutdown() waits for serve_forever
        self._date = (0, "")

    # -- socketserver's interface -----------------------------------------------------------------
    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._stopped.clear()
        selector = self._selector
        try:
            selector.register(self.socket, selectors.EVENT_READ, None)
            selector.register(self._wake_r, selectors.EVENT_READ, self._wake_r)
            next_sweep = time.monotonic() + SWEEP_SECONDS
            while not self._stop:
                for key, events in selector.select(min(poll_interval, SWEEP_SECONDS)):
                    conn = key.data
                    try:
                        if conn is None:
                            self._accept()
                        elif conn is self._wake_r:
                            self._finish_threads()
                        else:
                            if events & selectors.EVENT_WRITE:
                                self._flush(conn)
                            if events & selectors.EVENT_READ and not conn.closed:
                                self._read(conn)
                    except Exception:  # a bug must cost one connection, not the server
                        import traceback

                        traceback.print_exc(file=sys.stderr)
                        if isinstance(conn, _Connection):
                            self._close(conn)
                now = time.monotonic()
                if now >= next_sweep:
                    self._sweep(now)
                    next_sweep = now + SWEEP_SECONDS
        finally:
            for conn in list(self._connections):
                self._close(conn)
            for sock in (self.socket, self._wake_r):
                with contextlib.suppress(KeyError, ValueError):
                    selector.unregister(sock)
            self._stop = False
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop serve_forever (from another thread) and wait until it has returned."""
        self._stop = True
        self._wake()
        self._stopped.wait()

    def server_close(self) -> None:
        for conn in list(self._connections):
            self._close(conn)
        self.socket.close()
        self._selector.close()
        self._wake_r.close()
        self._wake_w.close()

    # -- connections ------------------------------------------------------------------------------
    def _accept(self) -> None:
        for _ in range(64):
            try:
                sock, address = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # e.g. too many open files: try again on the next event
                return
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn = _Connection(sock, address)
            self._connections.add(conn)
            self._watch(conn, selectors.EVENT_READ)

    def _watch(self, conn: _Connection, events: int) -> None:
        if events == conn.events or conn.closed:
            return
        if not events:
            self._selector.unregister(conn.sock)
        elif not conn.events:
            self._selector.register(conn.sock, events, conn)
        else:
            self._selector.modify(conn.sock, events, conn)
        conn.events = events

    def _close(self, conn: _Connection) -> None:
        if conn.closed:
            return
        self._watch(conn, 0)
        conn.closed = True
        self._connections.discard(conn)
        with contextlib.suppress(OSError):
            conn.sock.close()

    def _sweep(self, now: float) -> None:
        for conn in list(self._connections):
            if conn.linger_until:
                if now >= conn.linger_until or now - conn.last >= LINGER_IDLE_SECONDS:
                    self._close(conn)
            elif not conn.busy and now - conn.last >= IDLE_SECONDS:
                self._close(conn)

    def _read(self, conn: _Connection) -> None:
        try:
            data = conn.sock.recv(RECV_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self._close(conn)
            return
        conn.last = time.monotonic()
        if conn.linger_until:
            conn.lingered += len(data)
            if not data or conn.lingered >= LINGER_BYTES:
                self._close(conn)
            return
        if not data:  # the client is done sending: answer what it asked (if anything), then close
            conn.closing, conn.linger = True, False
            if conn.outbuf or conn.busy:
                self._watch(conn, selectors.EVENT_WRITE if conn.outbuf else 0)
            else:
                self._close(conn)
            return
        conn.inbuf = conn.inbuf + data if conn.inbuf else data
        self._advance(conn)

    def _advance(self, conn: _Connection) -> None:
        """Serve every complete request in the input buffer, in order (pipelining), then wait."""
        while not (conn.busy or conn.closing or conn.outbuf or conn.closed):
            request = conn.request
            if request is None:
                if not conn.inbuf:
                    return
                try:
                    request = self._parse_head(conn)
                except _Refusal as refusal:
                    # Lingering: the rest of what the client sent must not turn our answer into a reset.
                    self._answer(conn, _plain(refusal.status, refusal.body), close=True, linger=True)
                    return
                if request is None:
                    return
                conn.request = request
            buffered = len(conn.inbuf)
            if request.length > MAX_BODY:
                # Do not wait for a body the app refuses unread: answer now, then linger.
                body = conn.inbuf[:request.length]
                conn.inbuf = b""
                conn.request = None
                self._dispatch(conn, request, body, unread=request.length - len(body))
                return
            if buffered < request.length:
                if not conn.continued and request.environ.get("HTTP_EXPECT", "").lower() == "100-continue" \
                        and request.environ["SERVER_PROTOCOL"] != "HTTP/1.0":
                    conn.continued = True
                    self._send(conn, b"HTTP/1.1 100 Continue\r\n\r\n")
                return
            body = conn.inbuf[:request.length]
            conn.inbuf = conn.inbuf[request.length:]
            conn.request = None
            conn.continued = False
            self._dispatch(conn, request, body, unread=0)

    def _parse_head(self, conn: _Connection) -> _Request | None:
        """The next request's head from the input buffer; None while it is incomplete."""
        buf = conn.inbuf
        if buf[:1] in (b"\r", b"\n"):  # RFC 9112: ignore empty lines before a request (in one C call)
            stripped = buf.lstrip(b"\r\n")
            conn.skipped += len(buf) - len(stripped)
            if conn.skipped > MAX_HEAD:  # an endless stream of them is not a request
                raise _Refusal("400 Bad Request", "too many empty lines before the request")
            buf = conn.inbuf = stripped
        # search only what the last reads added (3 bytes back: an end may straddle two reads)
        found = HEAD_END.search(buf, max(0, conn.scanned - 3))
        if found is None:
            conn.scanned = len(buf)
            line_end = buf.find(b"\n")
            if (line_end < 0 and len(buf) > MAX_REQUEST_LINE) or line_end > MAX_REQUEST_LINE:
                raise _Refusal("414 URI Too Long", "request line too long")
            if len(buf) > MAX_HEAD:
                raise _Refusal("431 Request Header Fields Too Large", "request headers too large")
            return None
        if found.start() > MAX_HEAD:
            raise _Refusal("431 Request Header Fields Too Large", "request headers too large")
        lines = LINE_END.split(buf[:found.start()].decode("latin-1"))
        conn.inbuf = buf[found.end():]
        conn.scanned = conn.skipped = 0
        if len(lines[0]) > MAX_REQUEST_LINE:
            raise _Refusal("414 URI Too Long", "request line too long")
        words = lines[0].split()
        if len(words) != 3:
            raise _Refusal("400 Bad Request", "malformed request line")
        method, target, version = words
        match = VERSION.fullmatch(version)
        if match is None:
            raise _Refusal("400 Bad Request", "malformed HTTP version")
        if match.group(1) != "1":
            raise _Refusal("505 HTTP Version Not Supported", "HTTP/1.x only")
        if len(lines) - 1 > MAX_HEADERS:
            raise _Refusal("431 Request Header Fields Too Large", "too many headers")
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep or not name or name != name.strip():  # also rejects obsolete line folding
                raise _Refusal("400 Bad Request", "malformed header line")
            key = name.upper().replace("-", "_")
            value = value.strip()
            if key in headers:
                if key == "CONTENT_LENGTH" and headers[key] != value:
                    raise _Refusal("400 Bad Request", "conflicting Content-Length headers")
                if key != "CONTENT_LENGTH":
                    headers[key] += ", " + value
            else:
                headers[key] = value
        if "chunked" in headers.get("TRANSFER_ENCODING", "").lower():
            # Plivo clients always send Content-Length; without it the body size cannot be checked.
            raise _Refusal("411 Length Required", "Content-Length is required")
        raw_length = headers.pop("CONTENT_LENGTH", "")
        length = parse_length(raw_length)
        if length is None:  # the body's end is unknown, so is the next request's start
            raise _Refusal("400 Bad Request", "invalid Content-Length header")
        connection = headers.get("CONNECTION", "").lower()
        keep_alive = "keep-alive" in connection if version == "HTTP/1.0" else "close" not in connection
        path, _, query = target.partition("?")
        if path.startswith("//"):  # as http.server does: never read as a scheme-relative URL
            path = "/" + path.lstrip("/")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(path, "latin-1"),
            "QUERY_STRING": query,
            "CONTENT_TYPE": headers.pop("CONTENT_TYPE", ""),
            "CONTENT_LENGTH": raw_length,
            "REMOTE_ADDR": conn.address[0],
            "SERVER_NAME": self.server_address[0],
            "SERVER_PORT": str(self.server_address[1]),
            "SERVER_PROTOCOL": version,
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for key, value in headers.items():
            environ["HTTP_" + key] = value
        return _Request(environ, keep_alive, length)

    # -- running the app --------------------------------------------------------------------------
    def _dispatch(self, conn: _Connection, request: _Request, body: bytes, unread: int) -> None:
        environ = request.environ
        environ["wsgi.input"] = io.BytesIO(body)
        close = not request.keep_alive or unread > 0
        if self._may_block(environ):
            conn.busy = True
            self._watch(conn, 0)
            threading.Thread(target=self._run_on_thread, args=(conn, environ, close, unread > 0),
                             daemon=True).start()
            return
        self._answer(conn, self._response(environ, close), close=close, linger=unread > 0)

    def _run_on_thread(self, conn: _Connection, environ: dict[str, Any], close: bool, linger: bool) -> None:
        self._done.append((conn, self._response(environ, close), close, linger))
        self._wake()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # full (a wake-up is already pending) or closed
            self._wake_w.send(b"\0")

    def _finish_threads(self) -> None:
        try:
            while self._wake_r.recv(4096):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        while self._done:
            conn, data, close, linger = self._done.popleft()
            conn.busy = False
            if conn.closed:
                continue
            try:
                self._answer(conn, data, close=close or conn.closing, linger=linger)
                if not (conn.closed or conn.closing or conn.outbuf):
                    self._watch(conn, selectors.EVENT_READ)
                    self._advance(conn)
            except Exception:  # as in serve_forever: one connection lost, the others answered
                import traceback

                traceback.print_exc(file=sys.stderr)
                self._close(conn)

    def _response(self, environ: dict[str, Any], close: bool) -> bytes:
        """Call the app; its whole answer, head and body, as bytes."""
        started: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            started[:] = [status, headers]
            return _no_write

        try:
            result = self.app(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
            status, headers = started
        except Exception:
            import traceback

            traceback.print_exc(file=sys.stderr)
            body = b'{"error": "internal server error"}'
            status = "500 Internal Server Error"
            headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        head = [f"HTTP/1.1 {status}\r\nServer: {SERVER}\r\nDate: {self._http_date()}\r\n"]
        head += [f"{name}: {value}\r\n" for name, value in headers]
        if close:
            head.append("Connection: close\r\n")
        head.append("\r\n")
        data = "".join(head).encode("latin-1")
        return data if environ["REQUEST_METHOD"] == "HEAD" else data + body

    def _http_date(self) -> str:
        now = int(time.time())
        if self._date[0] != now:
            t = time.gmtime(now)
            self._date = (now, f"{DAYS[t.tm_wday]}, {t.tm_mday:02d} {MONTHS[t.tm_mon - 1]} {t.tm_year} "
                               f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} GMT")
        return self._date[1]

    # -- writing ----------------------------------------------------------------------------------
    def _answer(self, conn: _Connection, data: bytes, *, close: bool, linger: bool = False) -> None:
        if close:
            conn.closing = True
            conn.linger = linger
        self._send(conn, data)

    def _send(self, conn: _Connection, data: bytes) -> None:
        conn.outbuf = bytes(conn.outbuf) + data if conn.outbuf else data
        self._flush(conn)

    def _flush(self, conn: _Connection) -> None:
        while conn.outbuf:
            try:
                sent = conn.sock.send(conn.outbuf)
            except (BlockingIOError, InterruptedError):
                self._watch(conn, selectors.EVENT_WRITE)
                return
            except OSError:
                self._close(conn)
                return
            # all sent: drop the response; partly: a view, not a copy of a big remainder
            conn.outbuf = b"" if sent == len(conn.outbuf) else memoryview(conn.outbuf)[sent:]
        if conn.closing:
            if conn.linger:
                self._start_linger(conn)
            else:
                self._close(conn)
            return
        if not conn.busy:
            was_writing = conn.events == selectors.EVENT_WRITE
            self._watch(conn, selectors.EVENT_READ)
            if was_writing:
                self._advance(conn)

    def _start_linger(self, conn: _Connection) -> None:
        """Half-close, then read and discard what the client still sends, within the bounds."""
        try:
            conn.sock.shutdown(socket.SHUT_WR)
        except OSError:
            self._close(conn)
            return
        conn.inbuf = b""
        conn.last = time.monotonic()
        conn.linger_until = conn.last + LINGER_SECONDS
        self._watch(conn, selectors.EVENT_READ)


def _never(environ: dict[str, Any]) -> bool:
    return False


def _no_write(data: bytes) -> None:
    raise RuntimeError("this server takes the body from the app's return value, not from write()")


def _plain(status: str, body: bytes) -> bytes:
    return (f"HTTP/1.1 {status}\r\nServer: {SERVER}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode("latin-1") + body


def make_server(app: Any, host: str = "127.0.0.1", port: int = 0) -> MockHTTPServer:
    """Bind (port 0 picks a free port: read it from ``server.server_address``); call serve_forever."""
    return MockHTTPServer((host, port), app)
