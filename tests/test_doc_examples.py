"""Every `plivo-connector` command shown in the README and docs/ parses: no renamed or missing flags.

The commands are parsed by the real command line with each command's action replaced, so nothing
runs; placeholders such as <environment GUID> and ... become one word.
"""

from __future__ import annotations

import importlib
import re
import shlex

import pytest

from scripts.cli import COMMANDS, main
from tests.project import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(r"```(?:sh|bash|console|powershell)\n(.*?)```", re.S)


def _examples() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for block in BLOCK.findall(page.read_text(encoding="utf-8")):
            for line in block.replace("\\\n", " ").splitlines():
                line = line.strip()
                if line.startswith("plivo-connector "):
                    found.append((page.relative_to(ROOT).as_posix(), line))
    return found


EXAMPLES = _examples()


def _argv(line: str) -> list[str]:
    line = re.sub(r"<[^<>]+>", "PLACEHOLDER", line)
    return shlex.split(line, comments=True)[1:]


def test_the_docs_show_examples():
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize(("page", "line"), EXAMPLES, ids=[f"{p}: {line[:60]}" for p, line in EXAMPLES])
def test_example_parses(monkeypatch, capsys, page, line):
    for module_name, _ in COMMANDS.values():
        monkeypatch.setattr(importlib.import_module(module_name), "run", lambda args: 0)
    try:
        assert main(_argv(line)) == 0
    except SystemExit as done:  # --version and --help exit 0; a bad flag exits 2
        assert done.code in (0, None), capsys.readouterr().err
