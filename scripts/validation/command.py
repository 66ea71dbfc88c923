"""`plivo-connector validate [DIR]`: the rules on any connector folder (the files paconn imports)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..findings import EXIT_BROKEN, EXIT_FAILED, EXIT_OK, SourceError, report_findings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, nargs="?", default=None,
                        help="connector folder (default: the repository around the current folder, or the "
                             "current folder if it holds apiDefinition.swagger.json)")


def run(args: argparse.Namespace) -> int:
    from .connector import validate_connector
    from .folder import load_connector_folder

    try:
        connector = load_connector_folder(args.folder or Path.cwd())
    except SourceError as error:
        report_findings(error.findings)
        return EXIT_BROKEN
    findings = validate_connector(connector)
    if findings:
        report_findings(findings)
        return EXIT_FAILED
    print(f"{args.folder or Path.cwd()}: valid ({len(connector.swagger.get('paths', {}))} paths).")
    return EXIT_OK
