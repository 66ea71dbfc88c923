"""`contract` writes nothing into the current folder (Hypothesis would create .hypothesis/ there)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.project import ROOT, copy_project


def test_contract_writes_nothing_into_the_current_folder(tmp_path):
    project = copy_project(tmp_path / "project")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HYPOTHESIS")}
    env["PYTHONPATH"] = str(ROOT)
    for cwd in (elsewhere, project / "connector"):
        before = sorted(p.name for p in cwd.iterdir())
        done = subprocess.run([sys.executable, "-m", "scripts.cli", "contract", "--root", str(project),
                               "--max-examples", "3", "--phases", "coverage,fuzzing"],
                              cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        assert sorted(p.name for p in cwd.iterdir()) == before
    assert not (project / ".hypothesis").exists()
