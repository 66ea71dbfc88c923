"""``plivo-connector run``: run a connector operation the way Power Platform would, from the terminal.

  run OPERATION_ID --input key=value ...   build, send (embedded mock or --url), check, print JSON
  run OPERATION_ID ... --dry-run           print the request instead (Authorization masked)
  run OPERATION_ID --options INPUT_KEY     the drop-down values of an input (x-ms-dynamic-values)
  run TRIGGER_ID --poll N                  poll a polling trigger N times, printing one JSON line per poll
  run --list                               the actions and triggers with their inputs

Exit codes: 0 success; 1 the call failed or its answer does not match the declared schema; 2 bad
arguments, unknown operation or input, or a policy/expression the emulator does not reproduce.
The auth token is removed from everything printed, errors included.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import string
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from ..credentials import auth_id_problem, basic_token, mask, token_problem
from .definition import Connector
from .errors import CallError, EmulatorError, InputError, ResponseMismatch
from .listing import render

# The rest of the emulator (jsonschema, http.client, the mock) is imported in run() once it is
# needed, so that `run --list` starts in a blink.


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("operation_id", nargs="?", metavar="OPERATION_ID", help="the operationId to run")
    parser.add_argument("--input", "-i", action="append", default=[], metavar="KEY=VALUE",
                        help="an input value (repeatable); converted by the input's declared type")
    parser.add_argument("--url", metavar="BASE", help="send to this origin (e.g. http://127.0.0.1:8765) "
                        "instead of the embedded mock; it replaces the scheme and host the policies produced")
    parser.add_argument("--dry-run", action="store_true", help="print the request instead of sending it")
    parser.add_argument("--auth-id", help="Auth ID (default: $PLIVO_AUTH_ID; a demo account on the embedded mock)")
    parser.add_argument("--auth-token", help="Auth Token (default: $PLIVO_AUTH_TOKEN)")
    parser.add_argument("--root", type=Path, default=None,
                        help="folder with apiDefinition.swagger.json and apiProperties.json (default: found "
                             "upward from the current folder, like git)")
    parser.add_argument("--list", action="store_true", help="list the actions and triggers with their inputs")
    parser.add_argument("--options", metavar="INPUT_KEY", help="print the drop-down values of this input")
    parser.add_argument("--poll", type=int, metavar="N", help="poll this polling trigger N times")
    parser.add_argument("--interval", type=float, default=60.0, metavar="SECONDS",
                        help="time between polls: moves the embedded mock's clock, or sleeps with --url")


class _Output:
    """Prints with every secret replaced (in every encoding a printed text can hold it: raw, in a
    URL path or query value, JSON-escaped), so no code path can leak the token."""

    def __init__(self) -> None:
        self.secrets: list[str] = []

    def __call__(self, text: str, stream: TextIO | None = None) -> None:
        print(mask(text, self.secrets), file=stream or sys.stdout, flush=True)


def run(args: argparse.Namespace) -> int:
    from ..render.artifacts import warn_if_stale

    warn_if_stale(args.root or Path.cwd(), "run", getattr(args, "verbosity", 0))
    say = _Output()
    app = None
    try:
        connector = Connector.load(args.root or Path.cwd())
        if args.list:
            say(render(connector).rstrip("\n"))
            return 0
        if not args.operation_id:
            raise InputError("give an OPERATION_ID (or --list to see them)")
        connector.operation(args.operation_id)  # unknown ids fail before anything is set up
        if sum(bool(x) for x in (args.dry_run, args.options, args.poll is not None)) > 1:
            raise InputError("--dry-run, --options and --poll exclude each other")
        if args.poll is not None and args.poll < 1:
            raise InputError("--poll takes a number of polls of at least 1")
        from .dynamic import options
        from .poller import Poller
        from .runtime import Runtime
        from .transport import HttpTransport, WsgiTransport

        values = _inputs(args.input)
        auth_id, token, demo = _credentials(args)
        say.secrets += [token, basic_token(auth_id, token)]
        if args.url:
            transport: Any = HttpTransport(args.url)
        else:
            from scripts.mock import create_app

            app = create_app({auth_id: token}, throttle=None)
            transport = WsgiTransport(app)
        runtime = Runtime(connector, {"username": auth_id, "password": token}, transport)
        if args.dry_run:
            say(runtime.build(args.operation_id, values).describe())
        elif args.options:
            found = options(runtime, args.operation_id, args.options, values)
            say(json.dumps([{"value": o.value, "title": o.title} for o in found], indent=2, ensure_ascii=False))
        elif args.poll is not None:
            _poll(Poller(runtime, args.operation_id, values), args, app, say)
        else:
            say(json.dumps(runtime.call(args.operation_id, values).body, indent=2, ensure_ascii=False))
        if demo:  # after the output, and only on success: an error message stays the first line
            say(f"(embedded mock: demo account {auth_id})", sys.stderr)
        return 0
    except EmulatorError as error:
        say(f"error: {error}", sys.stderr)
        body = getattr(error, "body", None)
        if isinstance(error, CallError | ResponseMismatch) and body is not None:
            say(json.dumps(body, indent=2, ensure_ascii=False), sys.stderr)
        return error.exit_code
    finally:
        if app is not None:
            app.close()


def _poll(poller: Any, args: argparse.Namespace, app: Any, say: _Output) -> None:
    for number in range(1, args.poll + 1):
        if number > 1:
            if app is not None:
                app.clock.advance(args.interval)  # the embedded mock's time, so no real waiting
            else:
                time.sleep(args.interval)
        poll = poller.poll()
        say(json.dumps({"poll": number, "status": poll.status, "state": poll.state, "items": poll.items},
                       ensure_ascii=False))


def _inputs(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InputError(f"--input takes KEY=VALUE, got {pair!r}")
        if key in values:
            raise InputError(f"input {key!r} is given twice")
        values[key] = value
    return values


def _credentials(args: argparse.Namespace) -> tuple[str, str, bool]:
    """Auth ID, token, and whether they are a demo account made up for the embedded mock."""
    auth_id = args.auth_id or os.environ.get("PLIVO_AUTH_ID") or ""
    token = args.auth_token or os.environ.get("PLIVO_AUTH_TOKEN") or ""
    if auth_id and token:
        for problem in (auth_id_problem(auth_id), token_problem(token)):
            if problem:
                raise InputError(problem)
        return auth_id, token, False
    if auth_id or token:
        raise InputError("give both the Auth ID and the Auth Token (--auth-id/--auth-token or "
                         "PLIVO_AUTH_ID/PLIVO_AUTH_TOKEN), or neither for a demo account on the embedded mock")
    if args.url:
        raise InputError("--url needs credentials: --auth-id/--auth-token or PLIVO_AUTH_ID/PLIVO_AUTH_TOKEN")
    alphabet = string.ascii_uppercase + string.digits
    auth_id = "MA" + "".join(secrets.choice(alphabet) for _ in range(18))
    return auth_id, secrets.token_urlsafe(30), True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="plivo-connector run", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))
