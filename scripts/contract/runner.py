"""Run schemathesis on the rendered definition, as Power Platform would call it.

The base URL is what the connector's policies make of the connection (the dynamichosturl template
with the Auth ID filled in), never a generated value; basic auth comes from the connection through
schemathesis' config, so its missing-auth checks stay on. Output, warnings, exit codes and the JUnit
report are schemathesis' own CLI machinery, fed with our in-process or remote schema.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..expressions import account_base_url

PHASES = ("examples", "coverage", "fuzzing", "stateful")
# Warnings that mean the run did not test what it claims to: a wrong base URL or missing credentials.
FAIL_ON_WARNINGS = ("missing_auth", "base_url_mismatch")


@dataclass
class ContractTarget:
    """Where requests go: an in-process WSGI app, or a server at ``origin`` (scheme://host[:port])."""

    auth_id: str
    auth_token: str
    app: object | None = None
    origin: str | None = None
    read_only: bool = False
    known_message_uuids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RunOptions:
    """schemathesis' options that the command passes through."""

    include: tuple[str, ...] = ()   # operationIds to test (empty: all)
    exclude: tuple[str, ...] = ()   # operationIds to skip
    rate_limit: str | None = None   # "100/m"
    workers: int = 1
    color: bool = True              # False: no ANSI colours even on a terminal (NO_COLOR, --no-color)


class ContractError(ValueError):
    """The definition uses something the contract run cannot reproduce."""


def base_url_for(swagger: dict, properties: dict, target: ContractTarget) -> str:
    for policy in properties.get("properties", {}).get("policyTemplateInstances", []):
        scoped = bool(policy.get("parameters", {}).get("x-ms-apimTemplate-operationName"))
        if policy.get("templateId") != "dynamichosturl" or scoped:
            # schemathesis takes one base URL and sends what it generates: a policy that rewrites
            # some requests would make the run test requests the platform never sends.
            raise ContractError(f"the contract run reproduces only a connector-wide dynamichosturl policy; "
                                f"policy '{policy.get('title')}' ({policy.get('templateId')}"
                                f"{', scoped to some operations' if scoped else ''}) would change requests")
    url = account_base_url(properties, {"username": target.auth_id, "password": target.auth_token},
                           swagger=swagger)
    if target.origin:
        origin = urlsplit(target.origin)
        parts = urlsplit(url)
        url = urlunsplit((origin.scheme, origin.netloc, parts.path, "", ""))
    return url


def build_config(*, base_url: str, target: ContractTarget, seed: int, max_examples: int,
                 junit: Path | None, phases: tuple[str, ...] = PHASES, options: RunOptions = RunOptions()):
    from schemathesis.config import SchemathesisConfig

    data: dict = {
        "seed": seed,
        "base-url": base_url,
        "auth": {"basic": {"username": target.auth_id, "password": target.auth_token}},
        "checks": {"enabled": True},
        "phases": {name: {"enabled": name in phases} for name in PHASES},
        "generation": {"max-examples": max_examples},
        "warnings": {"fail-on": list(FAIL_ON_WARNINGS)},
        "output": {"sanitization": {"enabled": True}},
        # No crash cache: a run must depend on the seed only, not on what earlier runs found.
        "cache": {"enabled": False},
        "workers": options.workers,
    }
    if options.rate_limit:
        data["rate-limit"] = options.rate_limit
    if not options.color:
        data["color"] = False
    if target.known_message_uuids:
        # A known id lets GetMessage reach its success path. (A dictionary mixing known and generated
        # ids leaves whole coverage scenarios at 404, which schemathesis reports as a wrong base URL.)
        data["parameters"] = {"path.message_uuid": target.known_message_uuids[0]}
    if junit is not None:
        data["reports"] = {"junit": {"path": str(junit)}}
    return SchemathesisConfig.from_dict(data)


def run_contract(swagger: dict, properties: dict, target: ContractTarget, *, seed: int = 20261127,
                 max_examples: int = 100, junit: Path | None = None, phases: tuple[str, ...] = PHASES,
                 location: str = "apiDefinition.swagger.json", options: RunOptions = RunOptions()) -> int:
    """Run the contract; return schemathesis' exit code (0 = every check passed)."""
    import schemathesis
    from schemathesis.cli.commands.run.context import ExecutionContext
    from schemathesis.cli.commands.run.handlers.output import OutputHandler
    from schemathesis.cli.events import LoadingFinished, LoadingStarted
    from schemathesis.cli.executor import execute_event_loop
    from schemathesis.engine import from_schema

    from . import checks  # noqa: F401 -- registers the project's checks
    from .compat import patch_report_file_check, patch_wsgi_transport, query_survives_the_wire

    patch_report_file_check()
    base_url = base_url_for(swagger, properties, target)
    config = build_config(base_url=base_url, target=target, seed=seed, max_examples=max_examples,
                          junit=junit, phases=phases, options=options)
    schema = schemathesis.openapi.from_dict(json.loads(json.dumps(swagger)), config=config)
    schema.hooks.register_hook_with_name(query_survives_the_wire, "filter_query")
    if target.app is not None:
        patch_wsgi_transport()
        schema.app = target.app
    if target.read_only:
        schema = schema.include(method="GET")
    if options.include:
        schema = schema.include(operation_id=list(options.include))
    if options.exclude:
        schema = schema.exclude(operation_id=list(options.exclude))
    project = schema.config

    def events():
        started = LoadingStarted(location=location)
        yield started
        yield LoadingFinished.from_schema(schema, location=location, start_time=started.timestamp,
                                          base_url=base_url)
        yield from from_schema(schema).execute()

    import click

    # schemathesis prints with click (which strips colours only off a terminal) and rich (which
    # reads NO_COLOR itself): a click context with color=False strips them on a terminal too.
    try:
        with click.Context(click.Command("contract"), color=None if options.color else False):
            execute_event_loop(events(), config=project, args=[], params={},
                               output_handler=OutputHandler(config=project),
                               context_factory=lambda cfg: ExecutionContext(config=cfg, startup_warnings=[]))
    except SystemExit as done:
        return int(done.code or 0)
    finally:
        sys.stdout.flush()
    return 0
