"""Read the committed connector files at a git ref, without a checkout and without running anything from it.

Only plumbing commands are used (``rev-parse``, ``merge-base``, ``cat-file``): they read objects and
never run hooks, filters, textconv drivers or anything else a ref (or the files in it) could
configure, so an untrusted branch stays inert.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

# Where the main branch may be, in order of preference: the remote's copy first (in CI the local
# `main` may be missing or stale), then the local branch.
MAIN_CANDIDATES = ("origin/main", "main", "origin/master", "master")


class GitError(Exception):
    """A ref that cannot be read, or no repository: the message says which and what to do."""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError as error:
        raise GitError("git is not installed; pass --base-file instead of --base") from error


def _resolves(root: Path, ref: str) -> bool:
    return _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}").returncode == 0


def _check_ref(ref: str) -> None:
    if not ref or ref.startswith("-") or any(c in ref for c in "\0\n"):
        raise GitError(f"not a usable git ref: {ref!r}")


def repository_prefix(root: Path) -> str:
    """The path of ``root`` inside its repository ("" at the top), or GitError outside a repository."""
    done = _git(root, "rev-parse", "--show-prefix")
    if done.returncode != 0:
        raise GitError(f"{root} is not inside a git repository; pass --base-file instead of --base")
    return done.stdout.decode("utf-8").strip()


def default_base(root: Path) -> tuple[str, str]:
    """(commit, how it was chosen): the merge base of HEAD with the main branch.

    On the main branch itself the merge base is HEAD, so the working tree is compared with the last
    commit, which is what a pre-commit check there wants.
    """
    repository_prefix(root)
    for candidate in MAIN_CANDIDATES:
        if _resolves(root, candidate):
            done = _git(root, "merge-base", "HEAD", candidate)
            if done.returncode != 0:
                raise GitError(f"HEAD and {candidate} have no common ancestor; pass --base REF")
            commit = done.stdout.decode().strip()
            return commit, f"merge base of HEAD and {candidate}"
    raise GitError("no main branch to compare with (looked for " + ", ".join(MAIN_CANDIDATES)
                   + "); pass --base REF (in CI: fetch the base branch, e.g. actions/checkout with fetch-depth: 0)")


def resolve(root: Path, ref: str) -> str:
    _check_ref(ref)
    repository_prefix(root)
    done = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if done.returncode != 0:
        raise GitError(f"unknown git ref {ref!r} (in CI, fetch it first: actions/checkout with fetch-depth: 0)")
    return done.stdout.decode().strip()


def read_at(root: Path, commit: str, relative: str) -> bytes | None:
    """The bytes of ``relative`` (a path under ``root``) at ``commit``, or None if it has no such file."""
    prefix = repository_prefix(root)
    spec = f"{commit}:{prefix}{relative}"
    if _git(root, "cat-file", "-e", spec).returncode != 0:
        return None
    done = _git(root, "cat-file", "blob", spec)
    if done.returncode != 0:
        raise GitError(f"cannot read {relative} at {commit[:12]}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout
