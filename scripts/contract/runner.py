"""Run schemathesis on the rendered definition, as Power Platform would call it.

The base URL is what the connector's policies make of the connection (the dynamichosturl template
with the Auth ID filled in), never a generated value; policies limited to some operations (another
host, another path) are applied to those operations' requests (routes.py); basic auth comes from the
connection through schemathesis' config, so its missing-auth checks stay on. Output, warnings, exit codes and the JUnit
report are schemathesis' own CLI machinery, fed with our in-process or remote schema.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..expressions import account_base_url
from ..policy_routes import Route, RouteError, on_origin, operation_routes
from .checks import KNOWN_REFUSALS

PHASES = ("examples", "coverage", "fuzzing", "stateful")
# Warnings that mean the run did not test what it claims to: a wrong base URL or missing credentials.
FAIL_ON_WARNINGS = ("missing_auth", "base_url_mismatch")
LOOKUP_NUMBER = "+14155550100"
# Checks that probe an operation's declared path with other methods: they build that URL without
# the policies, so for an operation routed elsewhere (another host or path) they would probe a URL
# the platform never calls. They stay on for every other operation.
DECLARED_PATH_CHECKS = ("unsupported_method", "allow_header_conformance")
# The methods schemathesis probes a path with (its default set) in the coverage phase.
PROBE_METHODS = frozenset({"get", "put", "post", "delete", "options", "patch", "trace"})
# Warnings a destructive operation does not show: the ones that mean "valid requests got only 4xx".
ONLY_404_WARNINGS = ("base_url_mismatch", "missing_test_data", "low_valid_rate")


@dataclass
class ContractTarget:
    """Where requests go: an in-process WSGI app, or a server at ``origin`` (scheme://host[:port])."""

    auth_id: str
    auth_token: str = field(repr=False)  # a secret: never in a printed target (or a worker's job)
    app: object | None = None
    origin: str | None = None
    read_only: bool = False
    known_message_uuids: list[str] = field(default_factory=list)
    known_session_uuids: list[str] = field(default_factory=list)
    # Path parameter values that reach a success path: for every operation, and per operationId
    # (each live-call operation gets its own call: see seed.py).
    path_values: dict[str, str] = field(default_factory=dict)
    operation_path_values: dict[str, dict[str, str]] = field(default_factory=dict)
    # Values that let operations on one resource reach their success path, by schemathesis'
    # "location.name" (e.g. "path.app_id"): a number and an application the account has.
    known_parameters: dict[str, str] = field(default_factory=dict)
    # How a worker process builds its own copy of this target (a picklable call without arguments):
    # an in-process mock cannot be shared between processes. None: the target is a server, shared.
    factory: Callable[[], ContractTarget] | None = None
    # After a run with worker processes: each worker's copy's request log (app.request_log), in order.
    worker_request_logs: list[list[dict]] = field(default_factory=list)


# A worker process silent this long is taken for stuck. One operation's scenario sends no event
# until it ends: 100 examples take seconds here, far longer against a slow server.
STALL_TIMEOUT = 600.0


@dataclass(frozen=True)
class RunOptions:
    """schemathesis' options that the command passes through."""

    include: tuple[str, ...] = ()   # operationIds to test (empty: all)
    exclude: tuple[str, ...] = ()   # operationIds to skip
    rate_limit: str | None = None   # "100/m"
    workers: int = 1                # worker processes (workers.py); 1: everything in this process
    stall_timeout: float | None = STALL_TIMEOUT  # a worker silent this long (s) stops the run; None: never
    color: bool = True              # False: no ANSI colours even on a terminal (NO_COLOR, --no-color)


class ContractError(ValueError):
    """The definition uses something the contract run cannot reproduce."""


def _connection(target: ContractTarget) -> dict[str, str]:
    return {"username": target.auth_id, "password": target.auth_token}


def routes_for(swagger: dict, properties: dict, target: ContractTarget) -> dict[tuple[str, str], Route]:
    """Each operation's wire route by (METHOD, declared path); a ContractError for any policy the
    run cannot reproduce (it would test requests the platform never sends)."""
    try:
        routes = operation_routes(swagger, properties, _connection(target))
    except RouteError as error:
        raise ContractError(str(error)) from None
    return {(r.method, r.declared_path): r for r in routes}


def base_url_for(swagger: dict, properties: dict, target: ContractTarget) -> str:
    routes_for(swagger, properties, target)  # raises for what cannot be reproduced
    from ..runtime.definition import Connector
    from .platform import unreproducible

    problems = unreproducible(Connector.from_dicts(swagger, properties))
    if problems:  # the platform shim applies every policy with the runtime emulator's code
        raise ContractError("the contract run cannot reproduce a policy of the connector: " + "; ".join(problems))
    url = account_base_url(properties, _connection(target), swagger=swagger)
    if target.origin:
        origin = urlsplit(target.origin)
        parts = urlsplit(url)
        url = urlunsplit((origin.scheme, origin.netloc, parts.path, "", ""))
    return url


def route_base(route: Route, default: str, target: ContractTarget, swagger: dict, properties: dict) -> str:
    """The base URL of one operation's requests. Another host (lookup) is served by a mock on its
    own origin; against the live API (origin = the account URL's own) it keeps its real host."""
    if route.base is None:
        return default
    live_origin = urlsplit(account_base_url(properties, _connection(target), swagger=swagger))
    if target.origin and urlsplit(target.origin)[:2] != live_origin[:2]:
        return on_origin(route.base, target.origin)
    return route.base


def install_routes(schema, swagger: dict, properties: dict, target: ContractTarget, default: str) -> None:
    """Send each operation where the platform would: its policies' base URL and path."""
    from urllib.parse import quote, unquote, urljoin

    from schemathesis.transport.prepare import prepare_path

    routes = routes_for(swagger, properties, target)
    original = schema.build_request_url

    def build_request_url(case, base_url: str) -> str:
        route = routes.get((case.method.upper(), case.path))
        if route is None or (route.base is None and route.path == route.declared_path):
            return original(case, base_url)
        base = route_base(route, base_url, target, swagger, properties)
        path = prepare_path(route.path, case.path_parameters).lstrip("/")
        # As schemathesis does: the base is in wire form, so keep its "%" through the unquote.
        return unquote(urljoin(base.rstrip("/").replace("%", "%25") + "/", quote(path)))

    schema.build_request_url = build_request_url


def destructive_operations(swagger: dict) -> list[str]:
    """DELETE operations on a path that is also read with GET: they remove the resource itself
    (HangUpCall ends the call), unlike a DELETE that stops something on it (StopSpeaking)."""
    return sorted(item["delete"].get("operationId", f"DELETE {path}") for path, item in swagger.get("paths", {}).items()
                  if isinstance(item.get("delete"), dict) and "get" in item)


def constant_queries(swagger: dict) -> dict[str, dict[str, str]]:
    """Per operationId, the query parameters the platform always sends with their default: internal
    and required (GetLiveCall's status=live). A request without them, or with another value, is
    one Power Platform never sends, so the run does not send it either."""
    found: dict[str, dict[str, str]] = {}
    for path, item in swagger.get("paths", {}).items():
        for method, op in item.items():
            if not isinstance(op, dict):
                continue
            for param in op.get("parameters", []):
                if param.get("in") == "query" and param.get("x-ms-visibility") == "internal" \
                        and param.get("required") and "default" in param:
                    op_id = op.get("operationId", f"{method.upper()} {path}")
                    found.setdefault(op_id, {})[param["name"]] = str(param["default"])
    return found


def partial_spellings(swagger: dict) -> dict[str, set[str]]:
    """Operations on a spelling of a path that declares only some of the methods of the resource.

    /Call and /Call/ are one resource on the API, declared twice so that the live view
    (GET /Call?status=live) has its own operation. schemathesis takes each spelling for a resource
    of its own and probes it with the methods of the other spelling, expecting 405 and an Allow
    header without them. Such probes are real requests (DELETE /Call/{uuid}?status=live hangs the
    call up), so on such a spelling the run does not send them and does not check the Allow header;
    the full spelling keeps both. Returns operationId -> the methods of the resource.
    """
    groups: dict[str, dict[str, set[str]]] = {}
    for path, item in swagger.get("paths", {}).items():
        methods = {m for m, op in item.items() if isinstance(op, dict)}
        groups.setdefault(path.rstrip("/"), {})[path] = methods
    found: dict[str, set[str]] = {}
    for spellings in groups.values():
        union = set().union(*spellings.values())
        for path, methods in spellings.items():
            if methods != union:
                found.update({op.get("operationId", f"{m.upper()} {path}"): union
                              for m, op in swagger["paths"][path].items() if isinstance(op, dict)})
    return found
def platform_filled_optional(swagger: dict) -> dict:
    """A copy of the definition in which the triggers' internal inputs and query filters are not required.

    The platform always sends an internal input itself (its default, or the flow's callback URL for
    x-ms-notification-url), and a trigger's required filters (OnMessageFailed's message_state) are
    saved with the flow, which the designer does not allow without them: a request without one never
    comes from a flow. Plivo's list does not require these fields (message_direction, limit, the
    cursor, message_state; message_method defaults on its side). Left required, schemathesis would
    expect Plivo to refuse a request missing them."""
    copy = json.loads(json.dumps(swagger))

    def relax(schema: dict) -> None:
        if not isinstance(schema, dict):
            return
        props = schema.get("properties") or {}
        internal = {name for name, prop in props.items()
                    if isinstance(prop, dict) and prop.get("x-ms-visibility") == "internal"}
        if internal and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in internal]
            if not schema["required"]:
                del schema["required"]
        for prop in props.values():
            relax(prop)
        relax(schema.get("items"))

    for item in copy.get("paths", {}).values():
        for method, operation in item.items():
            if method.startswith("x-") or not isinstance(operation, dict) or "x-ms-trigger" not in operation:
                continue  # triggers only: their internal inputs are state and callback, not Plivo's needs
            for param in operation.get("parameters", []):
                if param.get("in") == "query" or (param.get("x-ms-visibility") == "internal"
                                                  and param.get("in") != "path"):
                    param["required"] = False
                props = (param.get("schema") or {}).get("properties") or {}
                if param.get("in") == "body" and props and all(
                        p.get("x-ms-visibility") == "internal" for p in props.values()):
                    param["required"] = False  # a body of internal properties only: the platform sends it
                relax(param.get("schema"))
    return copy


def build_config(*, base_url: str, target: ContractTarget, seed: int, max_examples: int,
                 junit: Path | None, phases: tuple[str, ...] = PHASES, options: RunOptions = RunOptions(),
                 routed: tuple[str, ...] = (), destructive: list[str] | tuple = (),
                 constants: dict[str, dict[str, str]] | None = None,
                 partial: dict[str, set[str]] | None = None):
    from schemathesis.config import SchemathesisConfig
    from schemathesis.core.warnings import SchemathesisWarning

    data: dict = {
        "seed": seed,
        "base-url": base_url,
        "auth": {"basic": {"username": target.auth_id, "password": target.auth_token}},
        "checks": {"enabled": True},
        "phases": {name: {"enabled": name in phases} for name in PHASES},
        # No example database: hypothesis would otherwise replay examples saved by earlier runs (in
        # .hypothesis/ or in memory), and the same seed would not give the same requests. Without one
        # it also keeps no Pareto front of the targets schemathesis reports: half the generation time.
        "generation": {"max-examples": max_examples, "database": "none"},
        "warnings": {"fail-on": list(FAIL_ON_WARNINGS)},
        "output": {"sanitization": {"enabled": True}},
        # No crash cache: a run must depend on the seed only, not on what earlier runs found.
        "cache": {"enabled": False},
        # schemathesis' own workers are threads: they crash intermittently on CPython 3.11.7 and share
        # one core (the GIL). RunOptions.workers are processes (workers.py), each running this config.
        "workers": 1,
    }
    if options.rate_limit:
        data["rate-limit"] = options.rate_limit
    if not options.color:
        data["color"] = False
    # A number Plivo's Lookup knows: most generated digit strings are no phone number (404).
    parameters = {"path.phone_number": LOOKUP_NUMBER}
    if target.known_message_uuids:
        # A known id lets GetMessage reach its success path. (A dictionary mixing known and generated
        # ids leaves whole coverage scenarios at 404, which schemathesis reports as a wrong base URL.)
        parameters["path.message_uuid"] = target.known_message_uuids[0]
    if target.known_session_uuids:
        parameters["path.session_uuid"] = target.known_session_uuids[0]
    parameters.update({f"path.{k}": v for k, v in target.path_values.items()})
    parameters.update(target.known_parameters)
    data["parameters"] = parameters
    per_operation: dict[str, dict] = {}

    def settings(op_id: str) -> dict:
        return per_operation.setdefault(op_id, {"checks": {}})

    for op_id in routed:
        settings(op_id)["checks"].update({name: {"enabled": False} for name in DECLARED_PATH_CHECKS})
    for op_id in KNOWN_REFUSALS:
        # checks.valid_data_accepted_unless_known_refusal takes its place for these operations
        settings(op_id)["checks"]["positive_data_acceptance"] = {"enabled": False}
    for op_id, values in target.operation_path_values.items():
        settings(op_id).setdefault("parameters", {}).update({f"path.{k}": v for k, v in values.items()})
    for op_id, values in (constants or {}).items():
        settings(op_id).setdefault("parameters", {}).update({f"query.{k}": v for k, v in values.items()})
    for op_id, served in (partial or {}).items():
        settings(op_id)["checks"]["allow_header_conformance"] = {"enabled": False}
        settings(op_id)["phases"] = {"coverage": {"unexpected-methods": sorted(PROBE_METHODS - served)}}
    for op_id in destructive:
        # Deleting the resource (hanging up the seeded call) succeeds once; every later phase then
        # meets the API's 404 for a resource that is gone, which schemathesis would otherwise take
        # for a wrong base URL. every_operation_succeeded still demands the one success.
        settings(op_id)["warnings"] = {
            "display": [w.value for w in SchemathesisWarning if w.value not in ONLY_404_WARNINGS],
            "fail-on": [w for w in FAIL_ON_WARNINGS if w not in ONLY_404_WARNINGS]}
    data["operations"] = [{"include-operation-id": op_id, **{k: v for k, v in op.items() if v}}
                          for op_id, op in sorted(per_operation.items())]
    if junit is not None:
        data["reports"] = {"junit": {"path": str(junit)}}
    return SchemathesisConfig.from_dict(data)


def _selection(swagger: dict, target: ContractTarget, options: RunOptions) -> dict:
    """Keyword arguments of OperationsConfig.create_filter_set selecting the operations to run: GET
    only when read-only, then --include/--exclude-operation-id. (Its filters of different kinds are
    OR'ed, so the selection is made here and passed as one list of operationIds.)"""
    selected = [op["operationId"] for item in swagger["paths"].values() for method, op in item.items()
                if isinstance(op, dict) and "operationId" in op and (not target.read_only or method == "get")]
    selected = [op for op in selected if (not options.include or op in options.include)
                and op not in options.exclude]
    selection: dict = {f"{kind}_{what}": () for kind in ("include", "exclude")
                       for what in ("path", "method", "name", "tag", "operation_id")}
    selection |= {f"{kind}_{what}_regex": None for kind in ("include", "exclude")
                  for what in ("path", "method", "name", "tag", "operation_id")}
    selection |= {"include_by": None, "exclude_by": None, "exclude_deprecated": False}
    # Nothing selected must select nothing, not everything (an empty include list means "all").
    selection["include_operation_id"] = tuple(selected) or ("(none)",)
    return selection


def prepare_schema(swagger: dict, properties: dict, target: ContractTarget, *, seed: int, max_examples: int,
                   junit: Path | None, phases: tuple[str, ...], options: RunOptions):
    """The schemathesis schema of a run (its config final) and the base URL: the same in the parent
    and in every worker process, which each build their own from the same inputs."""
    import schemathesis

    from . import checks  # noqa: F401 -- registers the project's checks
    from .compat import (
        patch_header_exclusion,
        patch_no_content_check,
        patch_report_file_check,
        patch_wsgi_transport,
        query_survives_the_wire,
    )

    patch_report_file_check()
    patch_no_content_check()
    patch_header_exclusion()
    base_url = base_url_for(swagger, properties, target)
    routed = tuple(sorted(r.operation_id for r in routes_for(swagger, properties, target).values()
                          if r.base is not None or r.path != r.declared_path))
    config = build_config(base_url=base_url, target=target, seed=seed, max_examples=max_examples,
                          junit=junit, phases=phases, options=options, routed=routed,
                          destructive=destructive_operations(swagger), constants=constant_queries(swagger),
                          partial=partial_spellings(swagger))
    schema = schemathesis.openapi.from_dict(platform_filled_optional(swagger), config=config)
    schema.hooks.register_hook_with_name(query_survives_the_wire, "filter_query")
    from .strategies import reuse_strategies

    reuse_strategies()  # strategies schemathesis rebuilds identically per draw, made once (strategies.py)
    # Always in-process through the platform shim (platform.py), which applies every policy of the
    # operation (routing, hosts, query parameters, /trigger, response policies) and then calls the
    # mock (WSGI) or the origin (HTTP); it takes the place of install_routes.
    from ..runtime.definition import Connector
    from .platform import PlatformShim

    patch_wsgi_transport()
    schema.app = PlatformShim(Connector.from_dicts(swagger, properties), _connection(target), app=target.app,
                              origin=None if target.app is not None else target.origin)
    if target.read_only or options.include or options.exclude:
        # As schemathesis' own CLI selects operations: schema.include() would OR its filter with the
        # one the per-operation config entries (build_config) install, and select every operation.
        schema.filter_set = schema.config.operations.create_filter_set(**_selection(swagger, target, options))
    return schema, base_url


def run_contract(swagger: dict, properties: dict, target: ContractTarget, *, seed: int = 20261127,
                 max_examples: int = 100, junit: Path | None = None, phases: tuple[str, ...] = PHASES,
                 location: str = "apiDefinition.swagger.json", options: RunOptions = RunOptions()) -> int:
    """Run the contract; return schemathesis' exit code (0 = every check passed).

    With ``options.workers`` above 1 the operations are shared out among that many worker processes
    (workers.py) whose events make one run here: the same output, exit code and report."""
    from .collector import fewer_full_collections

    with fewer_full_collections():  # a tenth of the run's CPU went to full collections (collector.py)
        return _run_contract(swagger, properties, target, seed=seed, max_examples=max_examples, junit=junit,
                             phases=phases, location=location, options=options)


def _run_contract(swagger: dict, properties: dict, target: ContractTarget, *, seed: int, max_examples: int,
                  junit: Path | None, phases: tuple[str, ...], location: str, options: RunOptions) -> int:
    from schemathesis.cli.commands.run.context import ExecutionContext
    from schemathesis.cli.commands.run.handlers.output import OutputHandler
    from schemathesis.cli.events import LoadingFinished, LoadingStarted
    from schemathesis.cli.executor import execute_event_loop
    from schemathesis.engine import from_schema

    schema, base_url = prepare_schema(swagger, properties, target, seed=seed, max_examples=max_examples,
                                      junit=junit, phases=phases, options=options)
    project = schema.config
    pool = None
    if options.workers > 1:
        from .workers import start_workers

        # Started before the output starts its progress threads: a fork copies only this thread.
        pool = start_workers(swagger, properties, target, schema, seed=seed, max_examples=max_examples,
                             phases=phases, options=options)  # None: one process after all
    from . import memo

    memo.register(project)  # the config is final from here on

    def events():
        started = LoadingStarted(location=location)
        yield started
        yield LoadingFinished.from_schema(schema, location=location, start_time=started.timestamp,
                                          base_url=base_url)
        yield from (from_schema(schema).execute() if pool is None else pool.events())

    import click

    # schemathesis prints with click (which strips colours only off a terminal) and rich (which
    # reads NO_COLOR itself): a click context with color=False strips them on a terminal too.
    from .repeatable import seed_only

    code = 0
    try:
        with seed_only(), click.Context(click.Command("contract"), color=None if options.color else False):
            execute_event_loop(events(), config=project, args=[], params={},
                               output_handler=OutputHandler(config=project),
                               context_factory=lambda cfg: ExecutionContext(config=cfg, startup_warnings=[]))
    except SystemExit as done:
        code = int(done.code or 0)
    finally:
        memo.unregister(project)
        if pool is not None:
            pool.close()
        sys.stdout.flush()
    if pool is not None and pool.failure is not None:
        print(f"plivo-connector contract: {pool.failure}", file=sys.stderr)
        return 2
    return code
