"""Line endings: .gitattributes keeps LF under core.autocrlf; `build --check` names a CRLF-only difference."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from scripts.cli import main
from tests.project import ROOT

ARTIFACTS = ("apiDefinition.swagger.json", "apiProperties.json", "README.md", "icon.png")


def test_check_says_when_only_line_endings_differ(project, capsys):
    path = project / "apiDefinition.swagger.json"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert main(["build", "--check", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert "apiDefinition.swagger.json: out of date only in its line endings (CRLF here, LF rendered)" in err
    assert "@@" not in err, "no line-by-line diff of a file whose every line 'changed'"
    assert main(["build", "--root", str(project)]) == 0
    assert b"\r" not in path.read_bytes()


def test_a_real_change_under_crlf_still_shows_the_diff(project, capsys):
    path = project / "apiProperties.json"
    path.write_bytes(path.read_bytes().replace(b"Plivo Inc", b"Someone Else").replace(b"\n", b"\r\n"))
    assert main(["build", "--check", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert "apiProperties.json: out of date\n" in err
    assert "only in its line endings" not in err


@pytest.fixture
def git(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    repo = tmp_path / "repo"
    repo.mkdir()

    def run(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=t@example.com", *args],
                       check=True, capture_output=True)

    run.repo = repo  # type: ignore[attr-defined]
    return run


def _checkout_with_autocrlf(git, with_attributes: bool) -> dict[str, bytes]:
    """Commit the artifacts, then check them out again as a Windows user with core.autocrlf=true would."""
    git("init", "-q")
    for name in ARTIFACTS:
        shutil.copy(ROOT / name, git.repo / name)
    if with_attributes:
        shutil.copy(ROOT / ".gitattributes", git.repo / ".gitattributes")
    git("add", "-A")
    git("commit", "-q", "-m", "artifacts")
    git("config", "core.autocrlf", "true")
    for name in ARTIFACTS:
        (git.repo / name).unlink()
    git("checkout", "--", ".")
    return {name: (git.repo / name).read_bytes() for name in ARTIFACTS}


def test_gitattributes_keeps_artifacts_byte_identical_under_autocrlf(git):
    checked_out = _checkout_with_autocrlf(git, with_attributes=True)
    assert checked_out == {name: (ROOT / name).read_bytes() for name in ARTIFACTS}


def test_without_gitattributes_autocrlf_would_make_them_stale(git):
    """The control: the same checkout without the attributes file converts the text artifacts to CRLF."""
    checked_out = _checkout_with_autocrlf(git, with_attributes=False)
    assert b"\r\n" in checked_out["apiDefinition.swagger.json"]
    assert checked_out["icon.png"] == (ROOT / "icon.png").read_bytes()
