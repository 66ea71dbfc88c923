"""`plivo-connector new-operation NAME`: write connector/operations/NAME.yaml, ready to edit.

The file is valid as written (`plivo-connector build` renders it), so a maker starts from a
working operation and changes it step by step: the path, the parameters, the response schema.
It names its editor schema on the first line, so VS Code completes and checks every key.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

OPERATION_ID = re.compile(r"^[A-Z][A-Za-z0-9]*$")
METHODS = ("get", "post", "put", "patch", "delete")
MODELINE = "# yaml-language-server: $schema=../../scripts/sources/editor/operation.schema.json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the operationId, in PascalCase (e.g. GetCallDetail)")
    parser.add_argument("--method", choices=METHODS, default="get", help="HTTP method")
    parser.add_argument("--path", help="path relative to the account, e.g. /Call/{call_uuid}/ "
                                       "(default: /NAME/; path parameters in braces are declared for you)")
    parser.add_argument("--summary", help="the action's name in the designer (default: from NAME)")
    parser.add_argument("--root", type=Path, default=None,
                        help="project root (default: found upward from the current folder, like git)")


def summary_from(name: str) -> str:
    """GetCallDetail -> "Get call detail"; SendSMS -> "Send SMS" (acronyms kept)."""
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[0-9]+", name)
    return " ".join([words[0], *(w if w.isupper() and len(w) > 1 else w.lower() for w in words[1:])])


def operation_yaml(name: str, method: str, path: str, summary: str) -> str:
    lines = [MODELINE,
             f"operationId: {name}",
             f"summary: {summary}",
             f"description: Describe what {summary} does, in full sentences.",
             f"method: {method}",
             f"path: {path}"]
    path_parameters = re.findall(r"\{([^{}]+)\}", path)
    if path_parameters:
        lines.append("parameters:")
        for parameter in path_parameters:
            title = " ".join(part.upper() if part.lower() in ("id", "uuid", "url") else part.capitalize()
                             for part in parameter.split("_"))
            lines += [f"  - name: {parameter}", "    in: path", "    type: string", "    required: true",
                      f"    summary: {title}", f"    description: The {title} of the resource.",
                      "    visibility: important"]
    if method in ("post", "put", "patch"):
        lines += ["body:", "  name: body", "  summary: Details", "  description: What the request sends.",
                  "  schema:", "    type: object", "    additionalProperties: false", "    properties:",
                  "      text:", "        type: string", "        required: true", "        summary: Text",
                  "        description: Replace with the first field of the request body.",
                  "        visibility: important", "        example: Hello"]
    lines += ["responses:", '  "200":', "    description: The result.", "    schema:", "      type: object",
              "      properties:", "        api_id:", "          type: string", "          summary: API ID",
              "          description: Unique ID of the API request."]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    args.root = args.root or Path.cwd()
    name = args.name
    if not OPERATION_ID.match(name):
        print(f"plivo-connector new-operation: {name!r} is not an operationId: PascalCase letters and digits, "
              "e.g. GetCallDetail", file=sys.stderr)
        return 2
    folder = args.root / "connector" / "operations"
    if not folder.is_dir():
        print(f"plivo-connector new-operation: {folder} not found: run it from the project root or give --root",
              file=sys.stderr)
        return 2
    taken = [p for p in folder.glob("*.yaml") if p.stem.lower() == name.lower()]
    if taken:
        print(f"plivo-connector new-operation: {taken[0].relative_to(args.root).as_posix()} already exists; "
              "an operationId is never reused (flows refer to it)", file=sys.stderr)
        return 2
    path = args.path or f"/{name}/"
    if not path.startswith("/"):
        print(f"plivo-connector new-operation: --path {path!r} must start with '/'", file=sys.stderr)
        return 2
    target = folder / f"{name}.yaml"
    text = operation_yaml(name, args.method, path, args.summary or summary_from(name))
    with open(target, "x", encoding="utf-8", newline="\n") as out:  # "x": never overwrite
        out.write(text)
    if getattr(args, "verbosity", 0) >= 0:
        print(f"Wrote {target.relative_to(args.root).as_posix()}. Edit its path, parameters and response "
              "(keys: scripts/sources/source.schema.json), then run `plivo-connector build`.")
    return 0
