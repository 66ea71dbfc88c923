"""Write rendered artifacts all or nothing, and compare them with what is committed.

Every new file is first written in full to a temporary file beside its target and flushed; only
when all of them are written are they renamed over their targets. Each rename is atomic, so no
target is ever half-written, and a failure while writing (a full disk, say) leaves every target
untouched. The renames themselves are not one transaction: should one of them fail, the files
renamed before it are new and the rest old; `build --check` then shows which.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from pathlib import Path

FIX_COMMAND = "plivo-connector build"


def write_artifacts(root: Path, files: dict[str, bytes], retired: list[str]) -> list[str]:
    """Write the files that differ and delete retired ones; return the names that changed."""
    pending: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            target = root / name
            if target.is_file() and target.read_bytes() == data:
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
    for temp, target in pending:
        os.replace(temp, target)
    for name in retired:
        (root / name).unlink(missing_ok=True)
    return [target.relative_to(root).as_posix() for _, target in pending] + list(retired)


def stale_artifacts(root: Path, files: dict[str, bytes], retired: list[str]) -> list[str]:
    """One report per artifact that is missing, out of date, or no longer produced."""
    reports = []
    for name, data in files.items():
        target = root / name
        current = target.read_bytes() if target.is_file() else None
        if current == data:
            continue
        if current is None:
            reports.append(f"{name}: missing (the build produces it)")
        elif _is_text(current) and _is_text(data):
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


def _ensure_newline(line: str) -> str:
    return line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
