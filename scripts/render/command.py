"""`plivo-connector build [--check]`: render the artifacts from connector/, validate, write all or none."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..findings import EXIT_BROKEN, EXIT_FAILED, EXIT_OK, SourceError, report_findings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true",
                        help="render in memory and fail (exit 1) with a diff if a committed artifact is stale")
    parser.add_argument("--root", type=Path, default=None,
                        help="project root (default: found upward from the current folder, like git)")


def run(args: argparse.Namespace) -> int:
    from .artifacts import render_artifacts
    from .writer import FIX_COMMAND, stale_artifacts, write_artifacts

    root = (args.root or Path.cwd()).resolve()
    try:
        rendered = render_artifacts(root)
    except SourceError as error:
        report_findings(error.findings, "nothing was written" if not args.check else "")
        return EXIT_BROKEN
    from ..diff.guard import published_findings

    guarded = published_findings(root, rendered.swagger, rendered.properties)
    if guarded:  # a rename of the published surface stops the build like a broken source
        report_findings(guarded, "nothing was written" if not args.check else "")
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
        if getattr(args, "verbosity", 0) >= 0:
            print(f"{len(rendered.files)} artifacts are up to date and valid."
                  + ("".join(f"\n  {name}" for name in rendered.files) if getattr(args, "verbosity", 0) > 0 else ""))
        return EXIT_OK
    changed = write_artifacts(root, rendered.files, retired)
    if getattr(args, "verbosity", 0) >= 0:
        print(f"Rendered {len(rendered.files)} artifacts ({len(changed)} changed"
              + (f": {', '.join(changed)}" if changed else "") + "); validation passed."
              + ("".join(f"\n  {name}" for name in rendered.files) if getattr(args, "verbosity", 0) > 0 else ""))
    return EXIT_OK
