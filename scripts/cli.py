"""The `plivo-connector` command: a table of sub-commands, each in the module of its job.

Every command module has ``add_arguments(parser)`` and ``run(args) -> exit code``. A module is
imported only when its command is chosen (or for that command's ``--help``), so a command never
pays for another's dependencies and ``plivo-connector --help`` starts fast.
The commands work from any folder inside the repository: the root is found upward from the
current folder, like git finds its own (scripts/project_root.py).
Exit codes: 0 success; 1 stale artifacts (--check) or findings in rendered files; 2 broken sources,
bad arguments, or not inside a connector repository (nothing is written); 141 the output was
closed early (piped into `head`), as a shell reports a program stopped by SIGPIPE.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from pathlib import Path

DESCRIPTION = ("Render, validate, test and run the Plivo custom connector for Power Automate, Power Apps "
               "and Logic Apps.")

# name -> (module with add_arguments/run, one-line help). Add a command by adding a line here.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("scripts.render.command", "render apiDefinition.swagger.json, apiProperties.json, icon.png and the "
                                        "README section from connector/, and validate them"),
    "validate": ("scripts.validation.command", "validate the rendered files of a connector folder"),
    "mock": ("scripts.mock.command", "run the mock Plivo backend (see docs/mock.md)"),
    "contract": ("scripts.contract.cli", "run schemathesis on the rendered definition"),
    "run": ("scripts.runtime.cli", "call an action as Power Platform would (see docs/runtime.md)"),
    "new-operation": ("scripts.scaffold.command", "write connector/operations/NAME.yaml, a new operation that builds"),
    "package": ("scripts.package.command", "write what paconn, pac and ARM deploy (settings.json, zip, Logic Apps)"),
    "diff": ("scripts.diff.command", "classify changes to the definition since a base; exit 1 on breaking ones"),
}
# command -> (argument that names the folder to work on, whether rendered files alone suffice)
ROOTS: dict[str, tuple[str, bool]] = {
    "build": ("root", False), "mock": ("root", False), "new-operation": ("root", False), "package": ("root", False),
    "validate": ("folder", True), "run": ("root", True), "contract": ("root", True),
}
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE
# Commands that finish within seconds: the `plivo-connector` executable runs them with the cyclic
# garbage collector off (see console()). Not mock, contract or run: they may run for minutes.
SHORT_LIVED = frozenset({"build", "validate", "diff", "package", "new-operation"})


class HelpFormatter(argparse.HelpFormatter):
    """Shows each option's default, unless it has none worth showing or its help already says it."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if (action.default in (None, False, [], argparse.SUPPRESS) or "default" in text or "%(default)" in text
                or not action.option_strings):
            return text
        if isinstance(action.default, Path) and action.default == Path.cwd():
            return f"{text} (default: current folder)"
        return f"{text} (default: %(default)s)"


class _VersionAction(argparse.Action):
    """--version (the version lives in scripts/__init__.py; pyproject.toml reads it from there)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        from . import __version__

        print(f"plivo-connector {__version__}")
        parser.exit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="plivo-connector", description=DESCRIPTION)
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    # -q/-v go after the command name (`plivo-connector build -q`), as in pip and pytest.
    common = argparse.ArgumentParser(add_help=False)
    loudness = common.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", dest="verbosity", action="store_const", const=-1, default=0,
                          help="print only errors and the command's result data")
    loudness.add_argument("-v", "--verbose", dest="verbosity", action="count",
                          help="print more detail (repeatable)")
    argv = sys.argv[1:] if argv is None else argv
    chosen = next((arg for arg in argv if not arg.startswith("-")), None)
    # A command named first is the one that runs, and nothing can ask for the list of commands any
    # more: only its parser is made (each costs ~0.5 ms of every start-up), and the metavar keeps
    # the usage line of an error naming them all. Otherwise (--help, --version, an unknown or a
    # missing command) all of them, for the help and the error.
    named_first = argv[0] if argv and argv[0] in COMMANDS else None
    # prog given: argparse would otherwise format a usage line to work it out.
    commands = parser.add_subparsers(dest="command", required=True, prog=parser.prog,
                                     metavar="{" + ",".join(COMMANDS) + "}" if named_first else None)
    for name, (module_name, help_text) in COMMANDS.items():
        if named_first is not None and name != named_first:
            continue
        command = commands.add_parser(name, help=help_text, description=help_text, parents=[common],
                                      formatter_class=HelpFormatter)
        if chosen == name:
            module = importlib.import_module(module_name)
            module.add_arguments(command)
            command.set_defaults(handler=module.run)
    args = parser.parse_args(argv)
    prog = f"plivo-connector {args.command}"
    try:
        if args.command in ROOTS:
            from .project_root import RootError, resolve_root

            name, rendered_only = ROOTS[args.command]
            given = getattr(args, name)
            # validate reports a given folder itself, and resolves nothing when given paths or files
            chose_input = given is not None or getattr(args, "paths", None) or getattr(args, "api_def", None)
            if not (name == "folder" and chose_input):
                try:
                    setattr(args, name, resolve_root(given, rendered_only=rendered_only))
                except RootError as error:
                    print(f"{prog}: {error}", file=sys.stderr)
                    return 2
        return args.handler(args)
    except BrokenPipeError:
        _silence_closed_output()
        return EXIT_BROKEN_PIPE
    except RecursionError:
        print(f"{prog}: the input is nested too deeply to process", file=sys.stderr)
        return 2


def console() -> int:
    """The `plivo-connector` executable: ``main`` with the garbage collector set for a short process.

    A short-lived command allocates mostly objects that live until it exits (modules, the loaded
    sources, the rendered files), so the cyclic collector's passes over them find next to nothing:
    it is off while such a command runs (15-20 ms of a cold ``build --check``). Whatever is left at
    exit is frozen, which keeps the interpreter's final collections from walking it all once more
    (30-40 ms); the modules are still torn down and the output flushed as usual. Long-running
    commands keep the collector on. Tests call ``main``, which leaves the collector alone.
    """
    argv = sys.argv[1:]
    short = next((arg for arg in argv if not arg.startswith("-")), None) in SHORT_LIVED
    if short:
        gc.disable()
    try:
        return main(argv)
    finally:
        if short:
            gc.freeze()


def _silence_closed_output() -> None:
    """The reader of our output went away (``| head``): point the closed streams at /dev/null so
    that the interpreter's final flush does not print a second BrokenPipeError."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):
            os.dup2(devnull, stream.fileno())
    os.close(devnull)


if __name__ == "__main__":
    sys.exit(console())
