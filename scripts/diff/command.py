"""`plivo-connector diff`: classify the changes to a connector's definition; exit 1 on a breaking one.

The base is, in order: ``--published`` (the published Plivo connector, scripts/diff/published.json),
``--base-file`` (any connector's files), ``--base REF`` (the committed files at a git ref), or by
default the merge base of HEAD with the main branch. The head is ``--head-file``, else the working
tree: rendered from ``connector/`` when the folder has sources, else its rendered files as they are.
Exit codes: 0 no breaking change; 1 breaking changes; 2 bad arguments or unreadable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..findings import EXIT_BROKEN, EXIT_FAILED, EXIT_OK

DEFINITION_NAMES = ("apiDefinition.swagger.json", "apiDefinition.json")
PROPERTIES_NAME = "apiProperties.json"


class InputError(Exception):
    """Input that cannot be compared; the message names the file and the problem."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    base = parser.add_mutually_exclusive_group()
    base.add_argument("--base", metavar="REF",
                      help="git ref whose committed definition is the base (default: the merge base of HEAD "
                           "with origin/main, main, origin/master or master)")
    base.add_argument("--base-file", type=Path, metavar="PATH",
                      help="base definition: an apiDefinition file or a connector folder")
    base.add_argument("--published", action="store_true",
                      help="compare with the published Plivo (Preview) connector: operations, keys, display names")
    parser.add_argument("--base-properties", type=Path, metavar="PATH",
                        help="apiProperties.json of the base (with --base-file on a file)")
    parser.add_argument("--head-file", type=Path, metavar="PATH",
                        help="head definition: an apiDefinition file or a connector folder (default: the working tree)")
    parser.add_argument("--head-properties", type=Path, metavar="PATH",
                        help="apiProperties.json of the head (with --head-file on a file)")
    parser.add_argument("--root", type=Path, default=None,
                        help="connector folder (default: the current folder if it holds the rendered files, "
                             "else found upward from it, like git); not needed with --base-file and --head-file")
    parser.add_argument("--format", choices=("text", "json", "github"), default="text",
                        help="text (default), json, or github (workflow annotations)")


def run(args: argparse.Namespace) -> int:
    from ..findings import SourceError, report_findings
    from ..project_root import RootError
    from . import gitref, report
    from .compare import compare
    from .surface import read_surface

    try:
        root = _root(args)
        if args.head_file:
            head_label = str(args.head_file)
            head_swagger, head_props = load_files(args.head_file, args.head_properties)
        else:
            head_label = "working tree"
            head_swagger, head_props = _working_tree(root)
        head = read_surface(head_swagger, head_props)
        if args.published:
            from .published import compare_published

            base_label = "the published Plivo (Preview) connector"
            changes = compare_published(head)
        else:
            if args.base_file:
                base_label = str(args.base_file)
                base_swagger, base_props = load_files(args.base_file, args.base_properties)
            else:
                if args.base:
                    commit, base_label = gitref.resolve(root, args.base), args.base
                else:
                    commit, how = gitref.default_base(root)
                    base_label = f"{how} ({commit[:12]})"
                found = _at_ref(root, commit)
                if found is None:
                    print(f"{base_label} has no {DEFINITION_NAMES[0]} under {root.name or root}: nothing to "
                          "compare with, every operation is new.")
                    return EXIT_OK
                base_swagger, base_props = found
            changes = compare(read_surface(base_swagger, base_props), head)
    except SourceError as error:
        report_findings(error.findings, "the working tree's definition cannot be rendered")
        return EXIT_BROKEN
    except (InputError, gitref.GitError, RootError) as error:
        print(f"plivo-connector diff: {error}", file=sys.stderr)
        return EXIT_BROKEN

    title = f"Changes from {base_label} to {head_label}:"
    if args.format == "json":
        sys.stdout.write(report.render_json(changes, base_label, head_label))
    elif args.format == "github":
        sys.stdout.write(report.render_github(changes, None if args.head_file else DEFINITION_NAMES[0]))
    else:
        sys.stdout.write(report.render_text(changes, title, quiet=getattr(args, "verbosity", 0) < 0))
    return EXIT_FAILED if any(c.blocks for c in changes) else EXIT_OK


def _root(args: argparse.Namespace) -> Path | None:
    """The folder of the working tree and the git repository; None when explicit files make it unneeded."""
    if args.head_file and (args.base_file or args.published) and args.root is None:
        return None
    from ..project_root import resolve_root

    return resolve_root(args.root, rendered_only=True).resolve()


def _parse(data: bytes, where: str) -> dict:
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise InputError(f"{where}: not UTF-8 text ({error.reason} at byte {error.start})") from error
    except json.JSONDecodeError as error:
        raise InputError(f"{where}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}") from error
    if not isinstance(value, dict):
        raise InputError(f"{where}: expected a JSON object, found {type(value).__name__}")
    return value


def _read(path: Path) -> dict:
    try:
        return _parse(path.read_bytes(), str(path))
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from error


def load_files(definition: Path, properties: Path | None) -> tuple[dict, dict | None]:
    """An apiDefinition file (and optional apiProperties file), or a connector folder holding both."""
    if definition.is_dir():
        found = next((definition / n for n in DEFINITION_NAMES if (definition / n).is_file()), None)
        if found is None:
            raise InputError(f"{definition}: no {' or '.join(DEFINITION_NAMES)} in this folder")
        if properties is None and (definition / PROPERTIES_NAME).is_file():
            properties = definition / PROPERTIES_NAME
        definition = found
    return _read(definition), _read(properties) if properties else None


def _working_tree(root: Path) -> tuple[dict, dict | None]:
    """The head: rendered from the sources when the folder has them (so unbuilt edits count), else the files."""
    if (root / "connector" / "connector.yaml").is_file():
        from ..render.artifacts import render_artifacts

        rendered = render_artifacts(root)
        return rendered.swagger, rendered.properties
    return load_files(root, None)


def _at_ref(root: Path, commit: str) -> tuple[dict, dict | None] | None:
    from . import gitref

    for name in DEFINITION_NAMES:
        data = gitref.read_at(root, commit, name)
        if data is not None:
            swagger = _parse(data, f"{commit[:12]}:{name}")
            props = gitref.read_at(root, commit, PROPERTIES_NAME)
            return swagger, _parse(props, f"{commit[:12]}:{PROPERTIES_NAME}") if props is not None else None
    return None
