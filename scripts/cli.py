"""The `plivo-connector` command.

  build [--check]     render the artifacts from connector/ and validate them
  validate [DIR]      validate the rendered files of a connector folder
  mock                run the mock Plivo backend on a local port
  contract            run schemathesis on the rendered definition (default: against the embedded mock)
  run OPERATION_ID    call an action as Power Platform would (default: against the embedded mock)
Exit codes: 0 success; 1 stale artifacts (--check) or findings in rendered files; 2 broken sources
or bad arguments (nothing is written).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .artifacts import render_artifacts
from .findings import SourceError

EXIT_OK, EXIT_FAILED, EXIT_BROKEN = 0, 1, 2  # failed: stale artifacts, or findings in a folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="plivo-connector", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="render apiDefinition.swagger.json, apiProperties.json, icon.png "
                                              "and the README section from connector/, and validate them")
    build.add_argument("--check", action="store_true",
                       help="render in memory and fail (exit 1) with a diff if a committed artifact is stale")
    build.add_argument("--root", type=Path, default=Path.cwd(), help="project root (default: current folder)")
    build.set_defaults(handler=_build)

    validate = commands.add_parser("validate", help="validate the rendered files of a connector folder")
    validate.add_argument("folder", type=Path, nargs="?", default=Path.cwd())
    validate.set_defaults(handler=_validate)

    # The other commands pull in schemathesis, werkzeug and the mock: set them up only when asked
    # for (or for --help), so that build and validate start fast.
    argv = sys.argv[1:] if argv is None else argv
    chosen = next((arg for arg in argv if not arg.startswith("-")), None)
    for name, help_text, setup in (
        ("mock", "run the mock Plivo backend (see docs/mock.md)", _setup_mock),
        ("contract", "run schemathesis on the rendered definition", _setup_contract),
        ("run", "call an action as Power Platform would (see docs/runtime.md)", _setup_run),
    ):
        command = commands.add_parser(name, help=help_text)
        if chosen in (None, name):
            setup(command)

    args = parser.parse_args(argv)
    return args.handler(args)


def _setup_mock(parser: argparse.ArgumentParser) -> None:
    from .mock import cli as mock_cli

    mock_cli.add_arguments(parser)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project root, for the throttling policy")
    parser.add_argument("--only-declared", action="store_true",
                        help="serve only the operations of the rendered definition (for `contract --url`)")
    parser.set_defaults(handler=_mock)


def _setup_contract(parser: argparse.ArgumentParser) -> None:
    from .contract import cli as contract_cli

    contract_cli.add_arguments(parser)
    parser.set_defaults(handler=contract_cli.run)


def _setup_run(parser: argparse.ArgumentParser) -> None:
    from .runtime import cli as runtime_cli

    runtime_cli.add_arguments(parser)
    parser.set_defaults(handler=runtime_cli.run)


def _build(args: argparse.Namespace) -> int:
    from .writer import FIX_COMMAND, stale_artifacts, write_artifacts

    root = args.root.resolve()
    try:
        rendered = render_artifacts(root)
    except SourceError as error:
        _report_findings(error.findings, "nothing was written" if not args.check else "")
        return EXIT_BROKEN
    retired = rendered.retired(root)
    if args.check:
        reports = stale_artifacts(root, rendered.files, retired)
        if reports:
            for report in reports:
                print(report, file=sys.stderr)
            print(f"\n{len(reports)} artifact(s) are stale. Fix: run `{FIX_COMMAND}` and commit the result.",
                  file=sys.stderr)
            return EXIT_FAILED
        print(f"{len(rendered.files)} artifacts are up to date and valid.")
        return EXIT_OK
    changed = write_artifacts(root, rendered.files, retired)
    print(f"Rendered {len(rendered.files)} artifacts ({len(changed)} changed"
          + (f": {', '.join(changed)}" if changed else "") + "); validation passed.")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from .folder import load_connector_folder
    from .validate import validate_connector

    try:
        connector = load_connector_folder(args.folder)
    except SourceError as error:
        _report_findings(error.findings, "")
        return EXIT_BROKEN
    findings = validate_connector(connector)
    if findings:
        _report_findings(findings, "")
        return EXIT_FAILED
    print(f"{args.folder}: valid ({len(connector.swagger.get('paths', {}))} paths).")
    return EXIT_OK


def _mock(args: argparse.Namespace) -> int:
    from .mock import cli as mock_cli
    from .sources import load_sources

    try:
        throttling = load_sources(args.root.resolve()).throttling
    except SourceError as error:
        _report_findings(error.findings, "the throttling policy comes from the sources")
        return EXIT_BROKEN
    operations = None
    if args.only_declared:
        from .contract.cli import declared_operations

        definition = args.root / "apiDefinition.swagger.json"
        try:
            operations = declared_operations(json.loads(definition.read_text("utf-8")))
        except (OSError, ValueError, KeyError, AttributeError) as error:
            print(f"plivo-connector mock: --only-declared needs the rendered {definition}: {error}; "
                  "run `plivo-connector build` first", file=sys.stderr)
            return EXIT_BROKEN
    return mock_cli.run(args, (throttling["calls"], float(throttling["renewalPeriodSeconds"])), operations)


def _report_findings(findings, tail: str) -> None:
    for finding in findings:
        print(finding, file=sys.stderr)
    summary = f"{len(findings)} problem(s) found"
    print(f"\n{summary}; {tail}." if tail else f"\n{summary}.", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
