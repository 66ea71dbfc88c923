"""`build` killed with SIGKILL at every step of its write: never an undetected mixed set of files,
and the next build completes the switch and leaves no temporaries behind."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from scripts.cli import main
from scripts.render.artifacts import render_artifacts
from scripts.render.rules_catalogue import CATALOGUE
from scripts.render.writer import JOURNAL
from tests.project import ROOT, copy_project

# Runs `build` in a child that SIGKILLs itself just before its Nth file-system step (a file being
# made durable, a rename, a delete), counted across os.fsync, os.replace and os.unlink. Syncs of a
# folder are not counted: the files are the same just before and just after one.
KILLER = """
import os, signal, stat, sys
kill_at, counter = int(sys.argv[2]), [0]
def step(real):
    def wrapped(*args, **kwargs):
        if real is os.fsync and stat.S_ISDIR(os.fstat(args[0]).st_mode):
            return real(*args, **kwargs)
        counter[0] += 1
        if counter[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return wrapped
os.fsync, os.replace, os.unlink = step(os.fsync), step(os.replace), step(os.unlink)
from scripts.cli import main
sys.exit(main(["build", "--root", sys.argv[1]]))
"""


def _change_every_artifact(project):
    source = project / "connector" / "connector.yaml"
    text = source.read_text()
    text = text.replace('brandColor: "#1f8f5a"', 'brandColor: "#2a6fdb"')
    text = text.replace("for businesses of all sizes.", "for businesses of every size.")  # the definition
    text = text.replace("The Auth Token that belongs to the Auth ID.", "The Auth Token of the Auth ID.")  # README
    source.write_text(text)


def _state(project, names):
    return {name: (project / name).read_bytes() if (project / name).exists() else None for name in names}


def _temporaries(project):
    return sorted(p.relative_to(project).as_posix() for p in project.rglob(".*.tmp"))


def test_every_kill_point_is_all_old_all_new_or_detected_and_repaired(tmp_path, capsys):
    template = copy_project(tmp_path / "template")
    old = _state(template, render_artifacts(template).files)
    _change_every_artifact(template)
    new_files = render_artifacts(template).files
    # docs/rules.md is rendered from the rules, not the sources: a change of sources never rewrites it.
    names = sorted(name for name in new_files if name != CATALOGUE)
    assert all(old[name] != new_files[name] for name in names), "the test must change every artifact"

    outcomes = []
    for kill_at in range(1, 40):
        project = tmp_path / f"kill{kill_at}"
        copy_project_tree(template, project)
        done = subprocess.run([sys.executable, "-c", KILLER, str(project), str(kill_at)], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        if done.returncode == 0:
            break
        assert done.returncode == -signal.SIGKILL, done.stderr
        state = _state(project, names)
        journal = (project / JOURNAL).exists()
        all_old = all(state[n] == old[n] for n in names)
        all_new = all(state[n] == new_files[n] for n in names)
        outcomes.append("old" if all_old else "new" if all_new else "journal")
        assert all_old or all_new or journal, f"killed at step {kill_at}: a mixed set with no journal"
        if journal:  # detected: --check says so
            assert main(["build", "--check", "--root", str(project)]) == 1
            assert "interrupted build" in capsys.readouterr().err
        assert main(["build", "--root", str(project)]) == 0, capsys.readouterr().err
        capsys.readouterr()
        assert _state(project, names) == {n: new_files[n] for n in names}, f"not repaired after step {kill_at}"
        assert _temporaries(project) == [], f"temporaries left after a kill at step {kill_at}"
        assert not (project / JOURNAL).exists()
    else:
        pytest.fail("the build never completed: more steps than expected")
    assert "journal" in outcomes and "old" in outcomes, outcomes


def copy_project_tree(source, target):
    import shutil

    shutil.copytree(source, target, symlinks=True)


def test_a_killed_build_leaves_no_temporaries_for_the_next_build(tmp_path, capsys):
    project = copy_project(tmp_path / "p")
    _change_every_artifact(project)
    done = subprocess.run([sys.executable, "-c", KILLER, str(project), "2"], cwd=ROOT, capture_output=True,
                          timeout=120)
    assert done.returncode == -signal.SIGKILL
    assert _temporaries(project), "the kill happened after a temporary was written"
    assert main(["build", "--root", str(project)]) == 0
    assert _temporaries(project) == []


def test_validate_refuses_a_half_switched_folder(tmp_path, capsys):
    project = copy_project(tmp_path / "p")
    (project / JOURNAL).write_text('{"renames": [], "retired": []}')
    assert main(["validate", str(project)]) == 2
    assert ".plivo-build.journal: error [InterruptedBuild]" in capsys.readouterr().out


def test_a_journal_not_written_by_the_build_does_not_stop_it(tmp_path, capsys):
    project = copy_project(tmp_path / "p")
    (project / JOURNAL).write_text("not json")
    assert main(["build", "--root", str(project)]) == 0, capsys.readouterr().err
    assert not (project / JOURNAL).exists()
