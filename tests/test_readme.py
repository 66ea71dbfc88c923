"""The README opens with the two commands a newcomer runs, and CI runs the README's test command."""

from __future__ import annotations

import re

from tests.project import ROOT


def _commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```sh\n(.*?)```", readme, re.S).group(1)
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def test_readme_opens_with_install_and_run_and_install_and_test():
    main_job, tests = _commands()
    assert "pip install -e ." in main_job and "plivo-connector build" in main_job
    assert "pip install -e '.[test]'" in tests and tests.endswith("pytest")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert _commands()[1] in ci
