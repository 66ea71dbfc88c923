"""Command line of the mock: ``add_arguments`` for a parser, ``run`` to serve until SIGTERM/SIGINT.

The throttle numbers are the caller's (they come from the connector's sources), never fixed here.
"""

from __future__ import annotations

import argparse
import random
import signal
import sqlite3
import string
import sys
import threading
from typing import Any

from . import create_app
from .formats import AUTH_ID_RE
from .server import make_server


def _account(value: str) -> tuple[str, str]:
    auth_id, sep, token = value.partition(":")
    if not sep or not AUTH_ID_RE.match(auth_id) or not token:
        # argparse prints "argument --account: <this>" and exits with status 2.
        raise argparse.ArgumentTypeError(
            f"invalid value {value!r}: expected AUTH_ID:AUTH_TOKEN, where AUTH_ID matches "
            f"^(M|S)A[A-Z0-9]{{18}}$ and AUTH_TOKEN is not empty")
    return auth_id, token


def _port(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"invalid value {value!r}: expected a port number 0-65535")
    return int(value)


def _timezone(value: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(f"invalid value {value!r}: expected an IANA time zone name such as "
                                         "Asia/Kolkata or Etc/UTC") from None
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8765, help="port (default 8765; 0 picks a free port)")
    parser.add_argument("--account", action="append", type=_account, default=[], metavar="AUTH_ID:AUTH_TOKEN",
                        help="an account the mock accepts (repeatable); without it a demo account is made")
    parser.add_argument("--db", metavar="FILE", default=None,
                        help="SQLite file that keeps messages and calls across restarts (default: memory)")
    parser.add_argument("--no-throttle", action="store_true",
                        help="disable the per-connection rate limit and Plivo's per-account limits "
                             "(list messages: 20 a minute)")
    parser.add_argument("--timezone", type=_timezone, default="Etc/UTC", metavar="IANA_NAME",
                        help="time zone of the accounts; message times carry its offset (default Etc/UTC)")


def demo_account() -> tuple[str, str]:
    # SystemRandom draws from os.urandom, as the secrets module does (whose import loads OpenSSL).
    choose = random.SystemRandom().choice
    alphabet = string.ascii_uppercase + string.digits
    auth_id = "MA" + "".join(choose(alphabet) for _ in range(18))
    token = "".join(choose(string.ascii_letters + string.digits) for _ in range(40))
    return auth_id, token


def run(args: argparse.Namespace, throttle: tuple[int, float],
        operations: set[tuple[str, str]] | None = None) -> int:
    accounts = dict(args.account)
    demo = None
    if not accounts:
        demo = demo_account()
        accounts[demo[0]] = demo[1]
    try:
        app = create_app(accounts, throttle=None if args.no_throttle else throttle, db_path=args.db,
                         operations=operations, plivo_limits=not args.no_throttle,
                         timezone=args.timezone)
    except sqlite3.Error as exc:
        print(f"error: cannot use --db {args.db}: {exc}", file=sys.stderr)
        return 1
    try:
        server = make_server(app, args.host, args.port)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        app.close()
        return 1
    host, port = server.server_address[:2]
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    # serve_forever runs in a thread: shutdown() must not be called from the thread serving.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    print(f"Plivo mock listening on http://{host}:{port}", flush=True)
    if demo:
        print(f"Demo account: auth_id={demo[0]} auth_token={demo[1]}", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()
        server.server_close()
        app.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("Plivo mock stopped", flush=True)
    return 0
