"""`plivo-connector mock`: serve the mock with the connector's own throttling policy."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import cli as mock_cli

EXIT_BROKEN = 2  # scripts.findings.EXIT_BROKEN (a test checks they agree): broken sources


def add_arguments(parser: argparse.ArgumentParser) -> None:
    mock_cli.add_arguments(parser)
    parser.add_argument("--root", type=Path, default=None,
                        help="project root, for the throttling policy (default: found upward, like git)")
    parser.add_argument("--only-declared", action="store_true",
                        help="serve only the operations of the rendered definition (for `contract --url`)")


def run(args: argparse.Namespace) -> int:
    from ..cache import Cache
    from ..sources.throttling import load_throttling

    args.root = args.root or Path.cwd()
    root = args.root.resolve()
    try:
        throttling = load_throttling(root, Cache.under(root))
    except _source_error() as error:  # evaluated only when something was raised
        from ..findings import report_findings

        report_findings(error.findings, "the throttling policy comes from the sources")
        return EXIT_BROKEN
    operations = None
    if args.only_declared:
        from ..contract.cli import declared_operations

        definition = args.root / "apiDefinition.swagger.json"
        try:
            operations = declared_operations(json.loads(definition.read_text("utf-8")),
                                             json.loads((args.root / "apiProperties.json").read_text("utf-8")))
        except (OSError, ValueError, KeyError, AttributeError) as error:
            print(f"plivo-connector mock: --only-declared needs the rendered {definition} and "
                  f"apiProperties.json: {error}; "
                  "run `plivo-connector build` first", file=sys.stderr)
            return EXIT_BROKEN
    return mock_cli.run(args, (throttling["calls"], float(throttling["renewalPeriodSeconds"])), operations)


def _source_error() -> type[Exception]:
    # scripts.findings imports dataclasses (and inspect): a good part of the mock's start-up, for
    # an error that a checkout with intact sources never raises.
    from ..findings import SourceError

    return SourceError
