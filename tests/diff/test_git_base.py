"""`diff --base REF` and the default base, against a throwaway git repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.diff.helpers import classes, run_diff, run_diff_error
from tests.project import FIXTURES

CASE = FIXTURES / "diff" / "input-renamed"


@pytest.fixture
def git(tmp_path, monkeypatch):
    """A function running git in a fresh repository at tmp_path/repo, isolated from the user's config."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{var}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{var}_EMAIL", "test@example.com")
    repo = tmp_path / "repo"
    repo.mkdir()

    def run(*args: str) -> str:
        return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout

    run.repo = repo  # type: ignore[attr-defined]
    return run


def _write(folder: Path, side: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(CASE / f"{side}.json", folder / "apiDefinition.swagger.json")


def _commit(git, message: str) -> None:
    git("add", "-A")
    git("commit", "-q", "-m", message)


def test_default_base_is_the_merge_base_with_main(git, capsys):
    git("init", "-q", "-b", "main")
    _write(git.repo, "before")
    _commit(git, "connector")
    git("checkout", "-q", "-b", "feature")
    _write(git.repo, "after")
    code, report = run_diff(capsys, "--root", str(git.repo))
    assert (code, classes(report)["breaking"]) == (1, ["input-renamed"])
    assert report["base"].startswith("merge base of HEAD and main")
    _commit(git, "rename an input")  # committed on the branch: still a change since the merge base
    code, report = run_diff(capsys, "--root", str(git.repo))
    assert (code, classes(report)["breaking"]) == (1, ["input-renamed"])
    code, report = run_diff(capsys, "--root", str(git.repo), "--base", "HEAD")
    assert (code, report["changes"]) == (0, [])
    code, report = run_diff(capsys, "--root", str(git.repo), "--base", "main")
    assert code == 1


def test_on_main_itself_the_working_tree_is_compared_with_head(git, capsys):
    git("init", "-q", "-b", "main")
    _write(git.repo, "before")
    _commit(git, "connector")
    _write(git.repo, "after")
    code, report = run_diff(capsys, "--root", str(git.repo))
    assert (code, classes(report)["breaking"]) == (1, ["input-renamed"])


def test_origin_main_is_preferred_to_a_stale_local_main(git, capsys):
    git("init", "-q", "-b", "main")
    _write(git.repo, "before")
    _commit(git, "connector")
    git("update-ref", "refs/remotes/origin/main", "HEAD")
    _write(git.repo, "after")
    _commit(git, "rename on local main, not yet pushed")
    code, report = run_diff(capsys, "--root", str(git.repo))
    assert report["base"].startswith("merge base of HEAD and origin/main")
    assert code == 1


def test_connector_in_a_subfolder_is_read_at_its_own_path(git, capsys):
    git("init", "-q", "-b", "main")
    _write(git.repo / "connectors" / "plivo", "before")
    _commit(git, "connector")
    _write(git.repo / "connectors" / "plivo", "after")
    code, report = run_diff(capsys, "--root", str(git.repo / "connectors" / "plivo"), "--base", "HEAD")
    assert (code, classes(report)["breaking"]) == (1, ["input-renamed"])


def test_without_a_main_branch_the_error_says_what_to_pass(git, capsys):
    git("init", "-q", "-b", "trunk")
    _write(git.repo, "before")
    _commit(git, "connector")
    code, err = run_diff_error(capsys, "--root", str(git.repo))
    assert code == 2
    assert "no main branch" in err and "--base REF" in err


def test_unknown_ref_and_no_repository_exit_2(git, tmp_path, capsys):
    git("init", "-q", "-b", "main")
    _write(git.repo, "before")
    _commit(git, "connector")
    code, err = run_diff_error(capsys, "--root", str(git.repo), "--base", "no-such-branch")
    assert (code, "unknown git ref 'no-such-branch'" in err) == (2, True)
    code, err = run_diff_error(capsys, "--root", str(git.repo), "--base=--output=x")
    assert (code, "not a usable git ref" in err) == (2, True)
    outside = tmp_path / "plain"
    _write(outside, "before")
    code, err = run_diff_error(capsys, "--root", str(outside), "--base", "HEAD")
    assert (code, "not inside a git repository" in err) == (2, True)


def test_a_base_without_the_connector_has_nothing_to_compare(git, capsys):
    git("init", "-q", "-b", "main")
    (git.repo / "README.md").write_text("x\n")
    _commit(git, "empty")
    _write(git.repo, "after")
    code = __import__("scripts.cli", fromlist=["main"]).main(["diff", "--root", str(git.repo), "--base", "HEAD"])
    assert code == 0
    assert "every operation is new" in capsys.readouterr().out


def test_the_base_is_read_without_running_filters_from_the_repository(git, capsys):
    """Reading a ref must not run a filter or textconv driver that the repository configures."""
    git("init", "-q", "-b", "main")
    marker = git.repo.parent / "ran"
    git("config", "filter.evil.smudge", f"touch {marker}; cat")
    git("config", "filter.evil.textconv", f"touch {marker}; cat")
    git("config", "diff.evil.textconv", f"touch {marker}; cat")
    (git.repo / ".gitattributes").write_text("*.json filter=evil diff=evil\n")
    _write(git.repo, "before")
    _commit(git, "connector")
    _write(git.repo, "after")
    code, _ = run_diff(capsys, "--root", str(git.repo), "--base", "HEAD")
    assert code == 1
    assert not marker.exists()
