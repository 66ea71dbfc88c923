"""`plivo-connector contract`: the contract run from the command line.

Default target: the embedded mock, in-process (no socket), throttling and Plivo's per-account limits
off, on a clock that stands still and with uuids drawn from the seed (so the same seed gives the
same requests), with one MMS sent and one verification started first so that GetMessage,
ListMessageMedia, GetVerification and CheckVerificationCode can reach their success paths.
``--url`` targets a running server (a mock started with ``plivo-connector mock``); ``--live``
targets api.plivo.com with PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN, read-only unless ``--allow-writes``
(writes send real, billed messages and calls).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import difflib
import functools
import json
import os
import re
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from ..expressions import ExpressionError
from ..policy_routes import RouteError, mock_operations, operation_routes
from .runner import PHASES, STALL_TIMEOUT, ContractError, ContractTarget, RunOptions, base_url_for, run_contract

LIVE_ORIGIN = "https://api.plivo.com"
DEMO_AUTH_ID = "MACONTRACTRUN0000001"
DEMO_AUTH_TOKEN = "contract-run-token"  # a throwaway account of the in-process mock
DEMO_NUMBER = "14155550100"  # rented by the demo account, attached to its flow application
RATE_LIMIT = re.compile(r"^[1-9][0-9]*/[smh]$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=None,
                        help="folder with the rendered files (default: found upward from the current folder)")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--url", help="run against a server at this origin, e.g. http://127.0.0.1:8765")
    target.add_argument("--live", action="store_true", help="run against api.plivo.com (read-only by default)")
    parser.add_argument("--allow-writes", action="store_true", help="with --live: also send messages and calls")
    parser.add_argument("--auth-id", help="Auth ID for --url (default: $PLIVO_AUTH_ID)")
    parser.add_argument("--auth-token", help="Auth Token for --url (default: $PLIVO_AUTH_TOKEN)")
    parser.add_argument("--max-examples", type=_positive, default=100, help="examples per operation and phase")
    parser.add_argument("--seed", type=int, default=20261127, help="random seed (fixed: runs are repeatable)")
    parser.add_argument("--phases", default=",".join(PHASES), help=f"comma-separated subset of {', '.join(PHASES)}")
    parser.add_argument("--junit", type=Path, help="write a JUnit XML report to this file")
    # schemathesis' own options, under its own names.
    parser.add_argument("--include-operation-id", action="append", default=[], metavar="ID",
                        help="test only this operation (repeatable)")
    parser.add_argument("--exclude-operation-id", action="append", default=[], metavar="ID",
                        help="skip this operation (repeatable)")
    parser.add_argument("--rate-limit", metavar="N/UNIT",
                        help="at most N requests per s, m or h, e.g. 100/m (for --url and --live)")
    parser.add_argument("--workers", type=_workers, default="auto", metavar="N|auto",
                        help="worker processes sharing out the operations; auto: one per CPU this process may "
                             "use against the embedded mock, 1 with --url, --live or --rate-limit")
    parser.add_argument("--stall-timeout", type=_seconds, default=None, metavar="SECONDS",
                        help="with worker processes: stop the run (exit 2) when a worker sends nothing for this "
                             f"long, naming its last phase and operation (default {STALL_TIMEOUT:g}, none with "
                             "--rate-limit; 0: wait for ever)")
    parser.add_argument("--no-color", action="store_true", help="no colours in the output (also: NO_COLOR set)")


@contextlib.contextmanager
def _hypothesis_storage(root: Path):
    """Hypothesis keeps caches under ./.hypothesis of the *current* folder. Point it at the
    repository's ignored .schemathesis/ folder instead, or at a temporary folder when the root is
    not a repository (rendered files only), so that a run writes nothing where it was started.
    HYPOTHESIS_STORAGE_DIRECTORY, when set, is left to decide."""
    from hypothesis.configuration import set_hypothesis_home_dir

    from ..project_root import MARKER

    if os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        yield
        return
    temporary = None
    if (root / MARKER).is_file():
        home = root / ".schemathesis" / "hypothesis"
    else:
        home = temporary = Path(tempfile.mkdtemp(prefix="plivo-contract-"))
    set_hypothesis_home_dir(home)
    try:
        yield
    finally:
        set_hypothesis_home_dir(None)
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


def run(args: argparse.Namespace) -> int:
    args.root = args.root or Path.cwd()
    if args.rate_limit is not None and not RATE_LIMIT.match(args.rate_limit):
        print(f"plivo-connector contract: --rate-limit {args.rate_limit!r}: expected N/s, N/m or N/h, e.g. 100/m",
              file=sys.stderr)
        return 2
    phases = tuple(p.strip() for p in args.phases.split(",") if p.strip())
    unknown = [p for p in phases if p not in PHASES]
    if unknown or not phases:
        print(f"plivo-connector contract: --phases: unknown phase {', '.join(unknown) or '(none given)'}; "
              f"choose from {', '.join(PHASES)}", file=sys.stderr)
        return 2
    if args.allow_writes and not args.live:
        print("plivo-connector contract: --allow-writes only applies to --live", file=sys.stderr)
        return 2
    from ..render.stamp import warn_if_stale

    warn_if_stale(args.root, "contract", getattr(args, "verbosity", 0))
    try:
        swagger = json.loads((args.root / "apiDefinition.swagger.json").read_text("utf-8"))
        properties = json.loads((args.root / "apiProperties.json").read_text("utf-8"))
    except (OSError, ValueError) as error:
        print(f"plivo-connector contract: cannot read the rendered files in {args.root}: {error}\n"
              "Run `plivo-connector build` first.", file=sys.stderr)
        return 2
    from ..validation.refs import external_refs

    external = list(external_refs(swagger))  # schemathesis would read or fetch what they name
    for pointer, ref in external:
        where = "/" + "/".join(str(p) for p in pointer)
        print(f"plivo-connector contract: apiDefinition.swagger.json: $ref {ref} at {where} is not a local "
              "reference (#/...); files and URLs are never resolved.", file=sys.stderr)
    if external:
        return 2

    known = sorted(operation_ids(swagger))
    unknown_ids = [op for op in args.include_operation_id + args.exclude_operation_id if op not in known]
    if unknown_ids:
        # Close names, not every operation: the list grows with each one added.
        lower = {k.lower(): k for k in known}
        close = list(dict.fromkeys(lower[c] for op in unknown_ids
                                   for c in difflib.get_close_matches(op.lower(), lower, 3, 0.6)))
        hint = f"did you mean {', '.join(close)}?" if close else "none is close"
        print(f"plivo-connector contract: unknown operation id {', '.join(unknown_ids)}; {hint} (the definition "
              f"has {len(known)}; `plivo-connector run --list` shows them)", file=sys.stderr)
        return 2
    workers = args.workers
    if workers == "auto":
        # A server (perhaps a shared live account) or a rate limit gets one stream of requests
        # unless asked for more.
        from .workers import available_cpus

        workers = 1 if (args.url or args.live or args.rate_limit) else available_cpus()
    if args.rate_limit is not None and workers > int(args.rate_limit.split("/")[0]):
        print(f"plivo-connector contract: --rate-limit {args.rate_limit} is less than one request per "
              f"{args.rate_limit.split('/')[1]} for each of {workers} workers; give --workers 1 or a higher limit",
              file=sys.stderr)
        return 2
    options = RunOptions(include=tuple(args.include_operation_id), exclude=tuple(args.exclude_operation_id),
                         rate_limit=args.rate_limit, workers=workers, stall_timeout=_stall_timeout(args),
                         color=not (args.no_color or os.environ.get("NO_COLOR")))
    if args.live or args.url:
        auth_id = args.auth_id or os.environ.get("PLIVO_AUTH_ID")
        auth_token = args.auth_token or os.environ.get("PLIVO_AUTH_TOKEN")
        if not auth_id or not auth_token:
            where = "PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN" if args.live else \
                "--auth-id/--auth-token or PLIVO_AUTH_ID/PLIVO_AUTH_TOKEN"
            print(f"plivo-connector contract: credentials are required for {'--live' if args.live else '--url'}; "
                  f"set {where}", file=sys.stderr)
            return 2
        from ..credentials import auth_id_problem

        problem = auth_id_problem(auth_id)  # it becomes part of every request URL
        if problem:
            print(f"plivo-connector contract: {problem}", file=sys.stderr)
            return 2
        target = ContractTarget(auth_id, auth_token, origin=LIVE_ORIGIN if args.live else args.url,
                                read_only=args.live and not args.allow_writes)
    else:
        try:
            target = embedded_mock_target(swagger, properties, seed=args.seed)
        except (RouteError, ExpressionError) as error:
            print(f"plivo-connector contract: {error}", file=sys.stderr)
            return 2
    try:
        if target.app is None:
            target.known_message_uuids = known_message(swagger, properties, target)
            if not target.read_only:
                target.known_session_uuids = known_session(swagger, properties, target)
            seed_calls(swagger, properties, target, live=args.live)
            target.known_parameters = known_resources(swagger, properties, target)
        with _hypothesis_storage(args.root):
            code = run_contract(swagger, properties, target, seed=args.seed, max_examples=args.max_examples,
                                junit=args.junit, phases=phases, options=options)
        if workers > 1:
            # Each worker count shares the operations out differently: the seed alone does not repeat
            # this run on a machine with another number of CPUs.
            print(f"Workers: {workers} (to repeat this run: --seed {args.seed} --workers {workers})")
        return code
    except (ContractError, ExpressionError) as error:
        print(f"plivo-connector contract: {error}", file=sys.stderr)
        return 2


def known_message(swagger: dict, properties: dict, target: ContractTarget) -> list[str]:
    """A message uuid of the target account, so GetMessage can reach its success path: the newest
    listed one when read-only, else one sent now. Empty (with a note) when there is none."""
    base = base_url_for(swagger, properties, target)
    token = base64.b64encode(f"{target.auth_id}:{target.auth_token}".encode()).decode()
    headers = {"Authorization": f"Basic {token}", "Content-Type": "application/json"}
    if target.read_only:
        request = urllib.request.Request(f"{base}/Message/?limit=1", headers=headers)
    else:
        seed = json.dumps({"src": "14155550100", "dst": "14155550101", "text": "Contract run seed"}).encode()
        request = urllib.request.Request(f"{base}/Message/", data=seed, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = json.loads(response.read())
    except (OSError, ValueError) as error:
        print(f"plivo-connector contract: note: no known message uuid ({error}); GetMessage may only see 404s",
              file=sys.stderr)
        return []
    uuids = body.get("message_uuid") or [m["message_uuid"] for m in body.get("objects", [])[:1]]
    return list(uuids[:1])


def known_session(swagger: dict, properties: dict, target: ContractTarget) -> list[str]:
    """A verification session of the target account (started now), so GetVerification and
    CheckVerificationCode can reach their success paths. Empty (with a note) when none starts."""
    base = base_url_for(swagger, properties, target)
    token = base64.b64encode(f"{target.auth_id}:{target.auth_token}".encode()).decode()
    headers = {"Authorization": f"Basic {token}", "Content-Type": "application/json"}
    request = urllib.request.Request(f"{base}/Verify/Session/", data=json.dumps(SEED_SESSION).encode(),
                                     headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return [json.loads(response.read())["session_uuid"]]
    except (OSError, ValueError, KeyError) as error:
        print(f"plivo-connector contract: note: no verification session ({error}); the Verify operations may "
              "only see 404s", file=sys.stderr)
        return []


def known_resources(swagger: dict, properties: dict, target: ContractTarget) -> dict[str, str]:
    """A number of the target account and an application (the number's, else the first listed), so
    GetNumber, GetApplication and the message trigger can reach their success path. Read only:
    nothing is rented or created. Empty (with a note) when the account has none."""
    base = base_url_for(swagger, properties, target)
    token = base64.b64encode(f"{target.auth_id}:{target.auth_token}".encode()).decode()
    found: dict[str, str] = {}
    for resource in ("Number", "Application"):
        request = urllib.request.Request(f"{base}/{resource}/?limit=1", headers={"Authorization": f"Basic {token}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                objects = json.loads(response.read()).get("objects") or []
        except (OSError, ValueError, AttributeError):
            objects = []
        if objects and resource == "Number":
            found["path.number"] = objects[0]["number"]
            app_uri = objects[0].get("application") or ""
            if app_uri.rstrip("/").rsplit("/", 1)[-1].isdigit():
                found["path.app_id"] = found["query.app_id"] = app_uri.rstrip("/").rsplit("/", 1)[-1]
        elif objects and "path.app_id" not in found:
            found["path.app_id"] = found["query.app_id"] = objects[0]["app_id"]
    if len(found) < 3:
        print("plivo-connector contract: note: the account has no number with an application; GetNumber, "
              "GetApplication and the message trigger may only see 404s", file=sys.stderr)
    return found


def seed_flow_resources(app: object, auth_id: str) -> dict[str, str]:
    """In a mock: an application with a number attached (the same ids on every run), as
    known_parameters for the contract run."""
    from ..mock import applications, numbers

    app_id = applications.add(app, auth_id, "Contract run flow")
    numbers.rent(app, auth_id, DEMO_NUMBER, app_id=app_id)
    return {"path.app_id": app_id, "query.app_id": app_id, "path.number": DEMO_NUMBER}


# What the embedded mock holds before the run, so that the run's operations find something. An MMS,
# so that ListMessageMedia lists media. (Remote targets get a plain SMS: see known_message.)
SEED_MESSAGE = {"src": "14155550100", "dst": "14155550101", "type": "mms", "text": "Contract run seed",
                "media_urls": ["https://example.com/contract/seed.png"]}
SEED_SESSION = {"recipient": "14155550101"}
CLOCK_START = 1_767_225_600.0  # 2026-01-01 00:00:00 UTC: the embedded mock's clock stands still here


def seed_calls(swagger: dict, properties: dict, target: ContractTarget, *, live: bool) -> None:
    """Calls (and a recording) for the call operations of a server's account: made on a mock
    (whose clock is moved through its control API so they are answered), read from the lists on
    api.plivo.com, where the run never places real calls for its own use."""
    from .seed import seed_mock, seed_read_only

    base = base_url_for(swagger, properties, target)
    token = base64.b64encode(f"{target.auth_id}:{target.auth_token}".encode()).decode()
    headers = {"Authorization": f"Basic {token}", "Content-Type": "application/json"}

    def send(method: str, path: str, body: object) -> tuple[int, object]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw.strip() else None
        except urllib.error.HTTPError as error:
            with error:
                return error.code, None
        except (OSError, ValueError) as error:
            return 0, str(error)

    def advance(seconds: float) -> None:
        request = urllib.request.Request(f"{target.origin}/_mock/clock/advance", method="POST",
                                         data=json.dumps({"seconds": seconds}).encode(),
                                         headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request, timeout=10).close()
        except OSError as error:
            print(f"plivo-connector contract: note: cannot move the server's clock ({error}); "
                  "live-call operations may only see 404s until the seed calls are answered", file=sys.stderr)

    seeds = seed_read_only(swagger, send) if live or target.read_only else seed_mock(swagger, send, advance)
    for note in seeds.notes:
        print(f"plivo-connector contract: note: {note}", file=sys.stderr)
    target.path_values.update(seeds.path_values)
    target.operation_path_values.update(seeds.per_operation)


def embedded_mock_target(swagger: dict, properties: dict, *, seed: int = 20261127) -> ContractTarget:
    """The in-process mock with one account, serving exactly the declared operations. Its clock
    stands still and its uuids come from ``seed``: the run must not depend on the wall clock."""
    from werkzeug.test import Client

    from ..mock import Clock, create_app

    app = create_app({DEMO_AUTH_ID: DEMO_AUTH_TOKEN}, throttle=None, plivo_limits=False,
                     operations=declared_operations(swagger, properties), clock=Clock(frozen_at=CLOCK_START),
                     ids_seed=seed)
    client, auth = Client(app), (DEMO_AUTH_ID, DEMO_AUTH_TOKEN)
    sent = client.post(f"/v1/Account/{DEMO_AUTH_ID}/Message/", auth=auth, json=SEED_MESSAGE)
    if sent.status_code != 202:
        raise RuntimeError(f"the embedded mock refused the seed message: {sent.status_code} {sent.text}")
    session = client.post(f"/v1/Account/{DEMO_AUTH_ID}/Verify/Session/", auth=auth, json=SEED_SESSION)
    app.clock.advance(10)  # the seed message is delivered

    def send(method: str, path: str, body: object) -> tuple[int, object]:
        response = client.open(f"/v1/Account/{DEMO_AUTH_ID}{path}", method=method, json=body, auth=auth)
        return response.status_code, response.get_json(silent=True)

    from .seed import seed_mock

    calls = seed_mock(swagger, send, app.clock.advance)
    if calls.notes:
        raise RuntimeError("the embedded mock refused the seed calls: " + "; ".join(calls.notes))
    # A number attached to an application, so GetNumber, GetApplication and the message trigger's
    # registration and clean-up reach their success path.
    return ContractTarget(DEMO_AUTH_ID, DEMO_AUTH_TOKEN, app=app, known_message_uuids=sent.json["message_uuid"],
                          known_session_uuids=[session.json["session_uuid"]] if session.status_code == 200 else [],
                          path_values=calls.path_values, operation_path_values=calls.per_operation,
                          known_parameters=seed_flow_resources(app, DEMO_AUTH_ID),
                          factory=functools.partial(embedded_mock_target, swagger, properties, seed=seed))


def operation_ids(swagger: dict) -> set[str]:
    return {spec["operationId"] for item in swagger["paths"].values() for spec in item.values()
            if isinstance(spec, dict) and "operationId" in spec}


def declared_operations(swagger: dict, properties: dict) -> set[tuple[str, str]]:
    """(METHOD, path) of every operation as the platform sends it (after the connector's policies):
    the mock serves exactly these."""
    connection = {"username": DEMO_AUTH_ID, "password": DEMO_AUTH_TOKEN}
    return mock_operations(operation_routes(swagger, properties, connection))


def _workers(text: str) -> int | str:
    if text.strip().lower() == "auto":
        return "auto"
    try:
        return _positive(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of workers or auto, got {text!r}") from None


def _stall_timeout(args: argparse.Namespace) -> float | None:
    """None: no limit. A rate-limited scenario may take any time (100 examples at 10/m: 10 minutes)."""
    if args.stall_timeout is None:
        return None if args.rate_limit else STALL_TIMEOUT
    return args.stall_timeout or None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds, got {text!r}")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value
