"""The `plivo-connector` command: a table of sub-commands, each in the module of its job.

Every command module has ``add_arguments(parser)`` and ``run(args) -> exit code``. A module is
imported only when its command is chosen (or for that command's ``--help``), so a command never
pays for another's dependencies and ``plivo-connector --help`` starts fast.
Exit codes: 0 success; 1 stale artifacts (--check) or findings in rendered files; 2 broken sources
or bad arguments (nothing is written).
"""

from __future__ import annotations

import argparse
import importlib
import sys

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
    "package": ("scripts.package.command", "write what paconn, pac and ARM deploy (settings.json, zip, Logic Apps)"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="plivo-connector", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True)
    argv = sys.argv[1:] if argv is None else argv
    chosen = next((arg for arg in argv if not arg.startswith("-")), None)
    for name, (module_name, help_text) in COMMANDS.items():
        command = commands.add_parser(name, help=help_text, description=help_text)
        if chosen == name:
            module = importlib.import_module(module_name)
            module.add_arguments(command)
            command.set_defaults(handler=module.run)
    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
