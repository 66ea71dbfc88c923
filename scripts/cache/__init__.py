"""A content-hash cache of results that take long to compute and depend only on their inputs.

Validation findings, the source-schema findings of each YAML file, the icon and the README section
are each a pure function of some bytes and of this tool's code. The cache stores a result under
the SHA-256 of those bytes plus a fingerprint of the code and of the libraries that compute it, so
a result is only ever reused for the very same inputs on the very same code: a cold cache (CI,
a fresh clone) computes everything, and a warm one gives the same answer sooner.

The cache is a folder, ``.plivo-connector-cache/`` under the project (or, for ``validate``, under
the current folder). It is disposable: delete it at any time. It ignores itself for git (it holds a
``.gitignore`` of ``*``), entries are written atomically, anything unreadable is a miss, and a
read-only or full disk just means no caching; each entry starts with the SHA-256 of its
content, so a damaged one (a torn write, a disk error) is a miss. ``PLIVO_CONNECTOR_CACHE=off`` turns it off.
Entries hold JSON or PNG bytes, never pickles: a planted cache file can at worst give a wrong
answer on its own machine, never run code.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from ..sha import sha256  # without hashlib, which loads OpenSSL (~4 ms of start-up)

FOLDER = ".plivo-connector-cache"
ENV = "PLIVO_CONNECTOR_CACHE"
MAX_ENTRIES = 2000  # a 1024-operation project needs about 1030
# The code whose output is cached; a change to any of it (or an upgrade of these libraries) is a
# new fingerprint, so no stale entry can be reused.
_CODE = Path(__file__).resolve().parent.parent
_LIBRARIES = ("openapi_spec_validator", "jsonschema", "jsonschema_rs", "yaml", "jinja2")
_fingerprint: bytes | None = None


def code_fingerprint() -> bytes:
    """Changes whenever a file of scripts/ or an installed version of the libraries changes."""
    global _fingerprint
    if _fingerprint is None:
        digest = sha256()
        for path in sorted(_CODE.rglob("*")):
            if path.suffix in (".py", ".json", ".j2") and "__pycache__" not in path.parts:
                stat = path.stat()
                digest.update(f"{path.relative_to(_CODE)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
        for name in _LIBRARIES:
            spec = importlib.util.find_spec(name)  # finds a top-level package without importing it
            origin = spec.origin if spec is not None else None
            stat = os.stat(origin) if origin and os.path.exists(origin) else None
            digest.update(f"{name}:{origin}:{stat and stat.st_mtime_ns}\n".encode())
        _fingerprint = digest.digest()
    return _fingerprint


class Cache:
    def __init__(self, folder: Path | None):
        self.folder = folder  # None: caching is off

    @classmethod
    def under(cls, base: Path) -> Cache:
        if os.environ.get(ENV, "").lower() in ("off", "0", "no", "false"):
            return cls(None)
        cache = cls(base / FOLDER)
        cache._remove_temporaries()
        return cache

    def _remove_temporaries(self) -> None:
        """Delete what a killed process left half-written. (A run writing at this very moment then
        fails its rename and just does not cache that entry.)"""
        assert self.folder is not None
        try:
            with os.scandir(self.folder) as entries:
                for entry in entries:
                    if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                        Path(entry.path).unlink(missing_ok=True)
        except OSError:
            pass  # no folder yet, or unreadable: nothing to clean

    def key(self, kind: str, *parts: bytes | str) -> str:
        if self.folder is None:
            # get and put ignore the key when caching is off (CI): skip hashing the inputs and, on
            # the first key, stat-ing every file of scripts/ for the code fingerprint.
            return kind
        digest = sha256(code_fingerprint())
        digest.update(kind.encode())
        for part in parts:
            data = part.encode("utf-8") if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
        return f"{kind}-{digest.hexdigest()}"

    def get(self, key: str) -> bytes | None:
        if self.folder is None:
            return None
        try:
            entry = (self.folder / key).read_bytes()
        except OSError:
            return None
        digest, data = entry[:32], entry[32:]
        return data if sha256(data).digest() == digest else None  # damaged: a miss

    def put(self, key: str, data: bytes) -> None:
        if self.folder is None:
            return
        import tempfile

        try:
            if not self.folder.is_dir():
                self.folder.mkdir(parents=True, exist_ok=True)
                (self.folder / ".gitignore").write_text("# Made by plivo-connector; safe to delete.\n*\n")
            handle, temp = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(sha256(data).digest() + data)
                os.replace(temp, self.folder / key)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
            self._prune()
        except OSError:
            pass  # no cache is slower, never wrong

    def _prune(self) -> None:
        """Keep the folder small: past MAX_ENTRIES, drop the least recently written half."""
        assert self.folder is not None
        entries = [e for e in os.scandir(self.folder) if e.is_file() and not e.name.startswith(".")]
        if len(entries) <= MAX_ENTRIES:
            return
        entries.sort(key=lambda e: e.stat().st_mtime_ns)
        for entry in entries[: len(entries) // 2]:
            Path(entry.path).unlink(missing_ok=True)


NO_CACHE = Cache(None)
