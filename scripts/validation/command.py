"""`plivo-connector validate`: the rules on any connector, given as folders or as files.

    plivo-connector validate [PATH ...] [--api-def FILE --api-prop FILE [--icon FILE]]
                             [--profile platform|certification|house] [--disable RULE ...]
                             [--format text|json|sarif|junit|github] [--output FILE] [--fail-on error|warning]

A PATH is a connector folder (apiDefinition.swagger.json or apiDefinition.json, apiProperties.json,
an optional icon.png) or a definition file with apiProperties.json beside it. The default profile is
certification: what the import enforces plus what certification asks; the house rules are this
repository's own (its build applies them). Exit codes: 0 no errors; 1 errors (or warnings with
--fail-on warning); 2 a connector or setting could not be read; 3 a rule crashed (a bug in this tool).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..findings import EXIT_BROKEN, EXIT_FAILED, EXIT_INTERNAL, EXIT_OK
from ..rules import PROFILES
from .formats import FORMATS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", type=Path, nargs="*", metavar="PATH",
                        help="connector folder or definition file (default: the current folder); several allowed")
    parser.add_argument("--api-def", type=Path, metavar="FILE", help="the definition file, as paconn names it")
    parser.add_argument("--api-prop", type=Path, metavar="FILE",
                        help="the properties file (default: apiProperties.json beside --api-def)")
    parser.add_argument("--icon", type=Path, metavar="FILE", help="the icon (optional)")
    parser.add_argument("--profile", choices=PROFILES, default=None,
                        help="platform: import errors; certification (default): plus what certification asks; "
                             "house: plus this repository's own rules")
    parser.add_argument("--disable", action="append", default=[], metavar="RULE",
                        help="switch a rule off for this run (repeatable, or comma-separated)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument("--fail-on", choices=("error", "warning"), default="error",
                        help="the lowest severity that fails the run (default: error)")
    # Without a PATH or --api-def, the CLI finds the connector (the current folder if it holds the rendered
    # files, else the repository around it) and puts it here.
    parser.set_defaults(folder=None)


def run(args: argparse.Namespace) -> int:
    from ..rules import all_rules
    from .formats import render
    from .report import Report
    from .run import validate_target

    rules = all_rules()
    disabled = {rule.strip() for value in args.disable for rule in value.split(",") if rule.strip()}
    unknown = sorted(disabled - set(rules))
    if unknown:
        print(f"plivo-connector validate: unknown rule(s) for --disable: {', '.join(unknown)}; see docs/rules.md",
              file=sys.stderr)
        return EXIT_BROKEN
    if args.api_prop is not None and args.api_def is None:
        print("plivo-connector validate: --api-prop needs --api-def", file=sys.stderr)
        return EXIT_BROKEN
    targets = [validate_target(path, None, None, args.profile, disabled) for path in args.paths]
    if args.api_def is not None:
        targets.append(validate_target(args.api_def, args.api_prop, args.icon, args.profile, disabled))
    elif not args.paths:
        targets.append(validate_target(_relative(args.folder or Path(".")), None, None, args.profile, disabled))
    profiles = {target.profile for target in targets}
    profile = profiles.pop() if len(profiles) == 1 else "mixed"
    ran = {rule_id: rule for rule_id, rule in rules.items()
           if rule_id not in disabled and any(rule.in_profile(t.profile) for t in targets)}
    report = Report(profile, ran, [t.result for t in targets],
                    {rule: "switched off with --disable" for rule in sorted(disabled)})
    text = render(args.format, report)
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        print(f"{args.output}: {args.format} report of {len(targets)} connector(s); "
              + ", ".join(f"{count} {severity}(s)" for severity, count in report.totals().items()), file=sys.stderr)
    else:
        sys.stdout.write(text)
    results = [t.result for t in targets]
    if any(t.count("internal") for t in results):
        return EXIT_INTERNAL
    if any(t.unreadable for t in results):
        return EXIT_BROKEN
    if any(not t.passed or (args.fail_on == "warning" and t.count("warning")) for t in results):
        return EXIT_FAILED
    return EXIT_OK


def _relative(folder: Path) -> Path:
    """The folder as a path relative to the current one where it can be: reports (SARIF above all) name
    files relative to where the command runs, which in CI is the repository root."""
    try:
        return Path(os.path.relpath(folder))
    except ValueError:  # another drive on Windows
        return folder
