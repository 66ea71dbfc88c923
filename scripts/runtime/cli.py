"""``plivo-connector run``: run a connector operation the way Power Platform would, from the terminal.

  run OPERATION_ID --input key=value ...   build, send (embedded mock or --url), check, print JSON
  run OPERATION_ID ... --dry-run           print the request instead (Authorization masked)
  run OPERATION_ID --options INPUT_KEY     the drop-down values of an input (x-ms-dynamic-values)
  run TRIGGER_ID --poll N                  poll a polling trigger N times, printing one JSON line per poll
  run TRIGGER_ID --listen [--inbound TEXT] register a webhook trigger with a local callback, print each
                                           firing as a JSON line, then delete the registration
  run --list                               the actions and triggers with their inputs

Exit codes: 0 success; 1 the call failed or its answer does not match the declared schema; 2 bad
arguments, unknown operation or input, or a policy/expression the emulator does not reproduce.
The auth token is removed from everything printed, errors included.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from .definition import Connector
from .errors import CallError, EmulatorError, InputError, ResponseMismatch
from .listing import render

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from typing import Any, TextIO

    from .runtime import Runtime

# The rest of the emulator (jsonschema, http.client, the mock) and the credential checks are
# imported in run() once an operation is to be run, so that `run --list` starts in a blink
# (benchmarks/cli_times.py; tests/test_build_stamp.py and tests/runtime/test_cli.py check what
# --list and --dry-run import).


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
    parser.add_argument("--listen", action="store_true",
                        help="run a webhook trigger: register a local callback, print firings, delete")
    parser.add_argument("--inbound", action="append", default=[], metavar="TEXT",
                        help="with --listen: have the mock receive a message with this text (repeatable)")
    parser.add_argument("--to", metavar="NUMBER", help="with --inbound: the receiving number (default: the "
                        "demo number the embedded mock attaches to the demo application)")
    parser.add_argument("--wait", type=float, default=10.0, metavar="SECONDS",
                        help="with --listen: how long to wait for the firings (10)")
    parser.add_argument("--interval", type=float, default=60.0, metavar="SECONDS",
                        help="time between polls: moves the embedded mock's clock, or sleeps with --url")


class _Output:
    """Prints with every secret replaced (in every encoding a printed text can hold it: raw, in a
    URL path or query value, JSON-escaped), so no code path can leak the token."""

    def __init__(self) -> None:
        self.secrets: list[str] = []

    def __call__(self, text: str, stream: TextIO | None = None) -> None:
        if self.secrets:
            from ..credentials import mask

            text = mask(text, self.secrets)
        print(text, file=stream or sys.stdout, flush=True)


def run(args: argparse.Namespace) -> int:
    from ..render.stamp import warn_if_stale  # quick: renders only when the stamp cannot vouch

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
        if sum(bool(x) for x in (args.dry_run, args.options, args.poll is not None, args.listen)) > 1:
            raise InputError("--dry-run, --options, --poll and --listen exclude each other")
        if (args.inbound or args.to) and not args.listen:
            raise InputError("--inbound and --to go with --listen")
        if args.poll is not None and args.poll < 1:
            raise InputError("--poll takes a number of polls of at least 1")
        from ..credentials import basic_token
        from .runtime import Runtime
        from .transport import HttpTransport, WsgiTransport

        values = _inputs(args.input)
        auth_id, token, demo = _credentials(args)
        say.secrets += [token, basic_token(auth_id, token)]
        if args.url:
            transport: Any = HttpTransport(args.url)  # checks --url even for --dry-run
        elif args.dry_run:
            transport = _NothingSent()  # so the embedded mock (werkzeug, SQLite) is not even started
        else:
            from scripts.mock import create_app

            app = create_app({auth_id: token}, throttle=None)
            transport = WsgiTransport(app)
        runtime = Runtime(connector, {"username": auth_id, "password": token}, transport)
        if args.dry_run:
            say(runtime.build(args.operation_id, values).describe())
        elif args.options:
            from .dynamic import options

            found = options(runtime, args.operation_id, args.options, values)
            say(json.dumps([{"value": o.value, "title": o.title} for o in found], indent=2, ensure_ascii=False))
        elif args.poll is not None:
            from .poller import Poller

            _poll(Poller(runtime, args.operation_id, values), args, app, say)
        elif args.listen:
            _listen(runtime, values, args, app, auth_id, say)
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


class _NothingSent:
    """The transport of --dry-run: it builds the request and prints it; sending would be a bug."""

    def send(self, request: Any) -> Any:
        raise AssertionError("--dry-run must not send anything")


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


DEMO_NUMBER = "14155550100"
DEMO_SENDER = "14155550177"


def _listen(runtime: Runtime, values: dict[str, str], args: argparse.Namespace, app: Any, auth_id: str,
            say: _Output) -> None:
    """Register the webhook trigger with a local callback, deliver ``--inbound`` messages through the
    mock, print each firing, and delete the registration (always, even after an error)."""
    from .webhook import CallbackServer, WebhookTrigger

    trigger = WebhookTrigger(runtime, args.operation_id, values)
    to = args.to
    if app is not None and not any(i.location in ("path", "query") and i.key in values
                                   for i in trigger.operation.inputs if i.required):
        from scripts.mock import applications, numbers

        # The embedded demo account: an application made for the flow, with a number attached.
        app_id = applications.add(app, auth_id, "Demo flow")
        numbers.rent(app, auth_id, DEMO_NUMBER, app_id=app_id)
        trigger.values.update({i.key: app_id for i in trigger.operation.inputs
                               if i.required and i.location in ("path", "query")})
        to = to or DEMO_NUMBER
    if args.inbound and not to:
        raise InputError("--inbound needs --to NUMBER: the number whose application the trigger uses")
    with CallbackServer(trigger.notification) as flow:
        registered = trigger.register(flow.url)
        say(json.dumps({"event": "registered", "status": registered.status, "location": trigger.location}))
        try:
            for text in args.inbound:
                _send_inbound(runtime, app, auth_id, to, text)
            firings = flow.wait(len(args.inbound), timeout=args.wait) if args.inbound else _sleep(flow, args.wait)
            for number, firing in enumerate(firings, start=1):
                say(json.dumps({"event": "fired", "firing": number, "method": firing.method, "body": firing.body},
                               ensure_ascii=False))
            for problem in flow.problems:
                say(f"warning: the firing does not match x-ms-notification-content: {problem}", sys.stderr)
        finally:
            deleted = trigger.delete()
            say(json.dumps({"event": "deleted", "status": deleted.status}))


def _sleep(flow: Any, seconds: float) -> list[Any]:
    time.sleep(seconds)
    return flow.wait(0, timeout=0)


def _send_inbound(runtime: Runtime, app: Any, auth_id: str, to: str, text: str) -> None:
    body = {"auth_id": auth_id, "from": DEMO_SENDER, "to": to, "text": text}
    if app is not None:
        from werkzeug.test import Client

        response = Client(app).post("/_mock/inbound", json=body)
        status, answer = response.status_code, response.get_json()
    else:
        import urllib.error
        import urllib.request

        origin = runtime.transport.origin  # HttpTransport: the mock server's control API
        request = urllib.request.Request(f"{origin}/_mock/inbound", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, answer = response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            status, answer = error.code, error.read().decode("utf-8", "replace")
        except OSError as error:
            raise CallError(f"cannot reach the mock's control API at {origin}: {error}") from None
    if status != 201:
        raise CallError(f"the mock refused the inbound message ({status})", status=status, body=answer)


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
    from ..credentials import auth_id_problem, token_problem

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
    import secrets
    import string

    alphabet = string.ascii_uppercase + string.digits
    auth_id = "MA" + "".join(secrets.choice(alphabet) for _ in range(18))
    return auth_id, secrets.token_urlsafe(30), True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="plivo-connector run", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))
