"""Each broken-source fixture fails the build with exactly its expected findings and writes nothing.

A fixture is a folder under tests/fixtures/broken/ named after the mistake it contains. Its
``connector/`` files are laid over a copy of the real sources, except ``<name>.prepend.yaml``, which
is put in front of the real ``<name>.yaml`` (so a fixture adds a mistake without a copy of a file
that grows with every operation, and its line numbers stay put); ``remove.txt`` (optional) lists
source files to delete first; ``expected.txt`` holds the findings, one per line, as printed.
"""

from __future__ import annotations

import shutil

import pytest

from scripts.cli import main
from tests.project import FIXTURES, copy_project

BROKEN = FIXTURES / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())
REQUIRED_CASES = {"yaml-syntax-error", "unknown-key-typo", "missing-required-field", "duplicate-operation-id",
                  "undefined-definition-reference", "wrong-type", "yaml11-unquoted-no", "yaml11-unquoted-on",
                  "yaml11-unquoted-version", "invalid-policy-template"}


def test_the_required_mistakes_have_fixtures():
    assert set(CASES) >= REQUIRED_CASES


@pytest.mark.parametrize("case", CASES)
def test_broken_source_is_reported(case, tmp_path, capsys):
    fixture = BROKEN / case
    project = copy_project(tmp_path / "project")
    removals = fixture / "remove.txt"
    if removals.exists():
        for name in removals.read_text().split():
            (project / name).unlink()
    shutil.copytree(fixture / "connector", project / "connector", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.prepend.yaml"))
    for prefix in (fixture / "connector").rglob("*.prepend.yaml"):
        target = project / prefix.relative_to(fixture).with_name(prefix.name.replace(".prepend", ""))
        target.write_text(prefix.read_text() + target.read_text())
    before = {p.name: p.read_bytes() for p in project.iterdir() if p.is_file()}

    assert main(["build", "--root", str(project)]) == 2
    err = capsys.readouterr().err
    findings = [line for line in err.splitlines() if line.startswith("connector/")]
    assert findings == (fixture / "expected.txt").read_text().splitlines()
    assert {p.name: p.read_bytes() for p in project.iterdir() if p.is_file()} == before
