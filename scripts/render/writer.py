"""Write rendered artifacts all or nothing, and compare them with what is committed.

Every new file is first written in full to a temporary file beside its target and made durable;
a failure while writing (a full disk, say) removes them and leaves every target untouched. Then a
journal naming every pending rename and deletion is written (atomically) at the root, the renames
and deletions are made, and the journal is removed. A build killed at any point therefore leaves
either the old set, the new set, or a journal: the next build completes the recorded switch
first (every temporary it names was complete before the journal existed), `build --check` reports
the interrupted build, and temporaries of builds killed before their journal are removed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

FIX_COMMAND = "plivo-connector build"
JOURNAL = ".plivo-build.journal"


def write_artifacts(root: Path, files: dict[str, bytes], retired: list[str]) -> list[str]:
    """Write the files that differ and delete retired ones; return the names that changed."""
    import tempfile  # only when writing: build --check never does

    recover_interrupted_build(root, files)
    pending: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            target = root / name
            linked_out = target.is_symlink() and not target.resolve().is_relative_to(root.resolve())
            if not linked_out and target.is_file() and target.read_bytes() == data:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)  # a new generated page may live in a new folder
            handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            pending.append((temp, target))
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            if target.exists():
                os.chmod(temp, target.stat().st_mode & 0o777)
            else:
                os.chmod(temp, 0o644)
    except BaseException:
        for temp, _ in pending:
            Path(temp).unlink(missing_ok=True)
        raise
    retired = [name for name in retired if (root / name).exists()]
    if not pending and not retired:
        return []
    _write_journal(root, [(Path(temp).relative_to(root).as_posix(), target.relative_to(root).as_posix())
                          for temp, target in pending], retired)
    _complete(root)
    return [target.relative_to(root).as_posix() for _, target in pending] + list(retired)


def recover_interrupted_build(root: Path, names) -> None:
    """Complete a switch a killed build recorded, then remove temporaries no journal names."""
    if (root / JOURNAL).exists():
        _complete(root)
    for temp in leftover_temporaries(root, names):
        temp.unlink(missing_ok=True)


def leftover_temporaries(root: Path, names) -> list[Path]:
    """Temporaries of killed builds: ``.<name>.*.tmp`` beside each artifact, and the journal's own."""
    found = sorted(root.glob(f"{JOURNAL}.*.tmp"))
    for name in names:
        target = root / name
        if target.parent.is_dir():
            found += sorted(target.parent.glob(f".{target.name}.*.tmp"))
    return found


def _write_journal(root: Path, renames: list[tuple[str, str]], retired: list[str]) -> None:
    import tempfile

    data = json.dumps({"renames": renames, "retired": retired}, indent=2).encode()
    handle, temp = tempfile.mkstemp(dir=root, prefix=f"{JOURNAL}.", suffix=".tmp")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, root / JOURNAL)
    _sync_folder(root)


def _complete(root: Path) -> None:
    """Make every rename and deletion the journal records (idempotent: a rename already made has no
    temporary left), make them durable, then drop the journal."""
    try:
        journal = json.loads((root / JOURNAL).read_text("utf-8"))
        renames, retired = journal["renames"], journal["retired"]
    except (OSError, ValueError, KeyError, TypeError):
        # Not written by this writer (it is replaced into place whole): drop it. The build that
        # called this rewrites every artifact that differs anyway, and its temporaries are swept.
        renames, retired = [], []
    folders = {root}
    for temp, target in renames:
        if (root / temp).exists():
            os.replace(root / temp, root / target)
            folders.add((root / target).parent)
    for name in retired:
        if (root / name).exists():
            os.unlink(root / name)
            folders.add((root / name).parent)
    for folder in folders:
        _sync_folder(folder)
    os.unlink(root / JOURNAL)
    _sync_folder(root)


def _sync_folder(folder: Path) -> None:
    """fsync a folder, so that renames and deletions in it survive a crash of the machine too."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass  # some file systems cannot sync a folder; the renames are still atomic
    finally:
        os.close(handle)


def stale_artifacts(root: Path, files: dict[str, bytes], retired: list[str]) -> list[str]:
    """One report per artifact that is missing, out of date, or no longer produced, and one for an
    interrupted build (its journal or temporaries)."""
    reports = []
    if (root / JOURNAL).exists():
        reports.append(f"{JOURNAL}: an interrupted build left the artifacts half-switched; "
                       f"`{FIX_COMMAND}` completes the switch")
    for temp in leftover_temporaries(root, files):
        reports.append(f"{temp.relative_to(root).as_posix()}: a temporary file of an interrupted build; "
                       f"`{FIX_COMMAND}` removes it")
    real_root = root.resolve()
    for name, data in files.items():
        target = root / name
        if target.exists() and not target.resolve().is_relative_to(real_root):
            # Never read, let alone print in a diff, a file the repository only links to.
            reports.append(f"{name}: a symlink to a file outside the repository; `{FIX_COMMAND}` "
                           "replaces the link with the rendered file")
            continue
        current = target.read_bytes() if target.is_file() else None
        if current == data:
            continue
        if current is None:
            reports.append(f"{name}: missing (the build produces it)")
        elif _is_text(current) and _only_line_endings_differ(current, data):
            reports.append(f"{name}: out of date only in its line endings (CRLF here, LF rendered): a checkout "
                           "with core.autocrlf=true made before .gitattributes existed? `git add --renormalize .` "
                           f"or `{FIX_COMMAND}` restores LF; the content is current")
        elif _is_text(current) and _is_text(data):
            import difflib  # only for a finding or a diff, not on a clean run's path

            diff = difflib.unified_diff(current.decode("utf-8").splitlines(keepends=True),
                                        data.decode("utf-8").splitlines(keepends=True),
                                        fromfile=f"{name} (committed)", tofile=f"{name} (rendered)")
            reports.append(f"{name}: out of date\n" + "".join(_ensure_newline(line) for line in diff))
        else:
            reports.append(f"{name}: out of date (binary file: {len(current)} bytes committed, "
                           f"{len(data)} bytes rendered)")
    for name in retired:
        reports.append(f"{name}: no longer produced by the build; delete it")
    return reports


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\0" not in data


def _only_line_endings_differ(current: bytes, rendered: bytes) -> bool:
    """Whether the committed bytes are the rendered ones with CRLF (or CR) line endings."""
    return current != rendered and current.replace(b"\r\n", b"\n").replace(b"\r", b"\n") == rendered


def _ensure_newline(line: str) -> str:
    return line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
