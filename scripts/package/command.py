"""`plivo-connector package`: write a deployment package from the rendered files.

  package [--out DIR]                 the paconn / pac folder: apiDefinition.swagger.json,
                                      apiProperties.json, icon.png, settings.json, readme.md, and a zip
  package --environment GUID --connector-id ID   fill settings.json for `paconn create/update -s`
  package --logic-apps                also logic-apps/azuredeploy.json, an ARM template for
                                      `az deployment group create`

The package is rendered from connector/ through the same render function as `build`, and refused
(exit 1, nothing written) while the committed files are stale, so what is deployed is what is
committed. Files are written all or none; files of an earlier package that this run does not
produce are removed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..findings import EXIT_BROKEN, EXIT_FAILED, EXIT_OK, SourceError, report_findings

DEFAULT_OUT = Path("dist") / "connector"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR",
                        help="folder to write the package to, relative to --root unless absolute")
    parser.add_argument("--root", type=Path, default=None,
                        help="project root (default: found upward from the current folder, like git)")
    parser.add_argument("--environment", metavar="GUID",
                        help="Power Platform environment id for settings.json (paconn's 'environment')")
    parser.add_argument("--connector-id", metavar="ID",
                        help="id of the existing connector, for `paconn update` (settings.json 'connectorId')")
    parser.add_argument("--logic-apps", action="store_true",
                        help="also write logic-apps/azuredeploy.json, an ARM template of a Logic Apps custom "
                             "connector and its basic-auth connection")


def run(args: argparse.Namespace) -> int:
    from ..render.artifacts import render_artifacts
    from ..render.writer import FIX_COMMAND, stale_artifacts, write_artifacts
    from .bundle import ARM_TEMPLATE, SETTINGS, PackageError, package_files, settings_json
    from .logic_apps import LogicAppsError

    root = (args.root or Path.cwd()).resolve()
    out = (args.out if args.out.is_absolute() else root / args.out).resolve()
    if out == root or root.is_relative_to(out):
        print(f"plivo-connector package: --out {args.out} is the project root (or above it); choose a folder "
              "of its own, e.g. dist/connector", file=sys.stderr)
        return EXIT_BROKEN
    try:
        settings = settings_json(args.environment, args.connector_id)
    except PackageError as error:
        print(f"plivo-connector package: {error}", file=sys.stderr)
        return EXIT_BROKEN
    try:
        rendered = render_artifacts(root)
    except SourceError as error:
        report_findings(error.findings, "no package was written")
        return EXIT_BROKEN
    stale = stale_artifacts(root, rendered.files, rendered.retired(root))
    if stale:
        for report in stale:
            print(report.splitlines()[0], file=sys.stderr)
        print(f"\nThe committed files are stale, so no package was written. Fix: run `{FIX_COMMAND}`, "
              "review and commit the result, then package again.", file=sys.stderr)
        return EXIT_FAILED
    arm = None
    if args.logic_apps:
        from .arm import arm_template

        try:
            arm = arm_template(rendered.swagger, rendered.properties)
        except (LogicAppsError, ValueError) as error:
            print(f"plivo-connector package: --logic-apps: {error}", file=sys.stderr)
            return EXIT_BROKEN
    files = package_files(rendered.files, settings, arm)
    previous = [name for name in (ARM_TEMPLATE,) if name not in files and (out / name).exists()]
    changed = write_artifacts(out, files, previous)
    verbosity = getattr(args, "verbosity", 0)
    if verbosity >= 0:
        shown = out.relative_to(root) if out.is_relative_to(root) else out
        print(f"Wrote the package to {shown} ({len(files)} files, {len(changed)} changed).")
        if verbosity > 0:
            for name in files:
                print(f"  {shown / name}")
        if arm is not None and arm["metadata"]["omittedOperations"]:
            print("Logic Apps: left out (they need a policy template Logic Apps lacks): "
                  + ", ".join(arm["metadata"]["omittedOperations"]), file=sys.stderr)
        if SETTINGS in files and not args.environment:
            print("settings.json has no environment: pass --environment GUID for `paconn create -s settings.json`, "
                  "or let paconn ask for it.", file=sys.stderr)
    return EXIT_OK
