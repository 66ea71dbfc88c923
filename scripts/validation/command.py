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
    from ..cache import Cache
    from .connector import validate_connector
    from .folder import load_connector_folder

    raw_files: dict[str, bytes] = {}
    try:
        connector = load_connector_folder(args.folder or Path.cwd(), raw_files)
    except SourceError as error:
        report_findings(error.findings)
        return EXIT_BROKEN
    # Like ruff's and mypy's, the cache sits in the folder the command runs from.
    findings = validate_connector(connector, files=raw_files, cache=Cache.under(Path.cwd()))
    if findings:
        report_findings(findings)
        return EXIT_FAILED
    print(f"{args.folder or Path.cwd()}: valid ({len(connector.swagger.get('paths', {}))} paths).")
    return EXIT_OK
