"""Which folder a command works on: found upward from the current folder, like git finds its root.

A connector repository is the folder holding ``connector/connector.yaml``. Commands that only need
the rendered files (validate, run, contract) first take the current folder if it holds
``apiDefinition.swagger.json`` (a downloaded connector, say), then search upward.
"""

from __future__ import annotations

from pathlib import Path

MARKER = Path("connector") / "connector.yaml"
RENDERED = "apiDefinition.swagger.json"


class RootError(Exception):
    """The folder to work on does not exist or cannot be found; the message says which."""


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds connector/connector.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / MARKER).is_file():
            return folder
    return None


def resolve_root(given: Path | None, *, rendered_only: bool, option: str = "--root") -> Path:
    if given is not None:
        if not given.exists():
            raise RootError(f"{option} {given}: no such folder")
        if not given.is_dir():
            raise RootError(f"{option} {given}: not a folder")
        return given
    here = Path.cwd()
    if rendered_only and (here / RENDERED).is_file():  # the folder itself: the most specific answer
        return here
    found = find_root(here)
    if found is not None:
        return found
    raise RootError(f"not inside a connector repository: no {MARKER.as_posix()} in {here} or any folder "
                    f"above it. Run this inside the repository or give {option}")
