"""templates/precompiled.json of a folder: the Python Jinja2 generated for each template, and its bytecode.

Standard library only: both the full Jinja2 environment (scripts/render/templating.py, through its
bytecode-cache hook) and the runtime-only one (scripts/render/jinja_runtime.py) read it. An entry
is used only when the template's SHA-1 (Jinja2's own checksum), the Jinja2 version and the
environment's settings are those it was made with; otherwise the template is compiled from source.

Python still has to compile that stored Python (7 ms for the five templates, a fifth of a cold
``build --check``'s rendering), so its bytecode is kept the way Python keeps a module's: in
``templates/__pycache__/``, under the digest of precompiled.json and its folder and for this
Python only, not written when Python writes no bytecode (PYTHONDONTWRITEBYTECODE), rebuilt
whenever it does not match, ignored when damaged. It is bytecode of the committed file, never a
rendered result: the checks above decide as before whether that code is used at all.
"""

from __future__ import annotations

import json
import marshal
import os
import re
import sys
from contextlib import suppress
from importlib.util import MAGIC_NUMBER, find_spec
from pathlib import Path
from types import CodeType

from ..sha import sha1, sha256  # without hashlib, which loads OpenSSL (~4 ms of start-up)

PRECOMPILED = "precompiled.json"
_VERSION = re.compile(r'^__version__ = "([^"]+)"', re.MULTILINE)
_jinja2_version: str | None = None


def jinja2_version() -> str:
    """The installed Jinja2's version, without running its package's __init__ (that imports the
    compiler, lexer and parser, which stored code does not need)."""
    global _jinja2_version
    if _jinja2_version is None:
        loaded = sys.modules.get("jinja2")
        version = getattr(loaded, "__dict__", {}).get("__version__") if loaded is not None else None
        if version is None:
            spec = find_spec("jinja2")
            try:
                found = _VERSION.search(Path(spec.origin).read_text("utf-8")) if spec and spec.origin else None
            except (OSError, ValueError):
                found = None
            version = found.group(1) if found else None
        if version is None:  # no literal line (newer Pallets releases): the distribution's metadata, slower
            from importlib.metadata import PackageNotFoundError
            from importlib.metadata import version as installed

            try:
                version = installed("jinja2")
            except PackageNotFoundError:
                version = ""  # unknown: no stored code is used (entries)
        _jinja2_version = version
    return _jinja2_version


def source_checksum(source: str) -> str:
    """Jinja2's checksum of a template's source (BytecodeCache.get_source_checksum)."""
    return sha1(source.encode("utf-8")).hexdigest()


class StoredTemplates:
    """The entries of one folder's precompiled.json, and their compiled code."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._stored: dict | None = None
        self._digest = b""  # of precompiled.json and the folder: what its cached bytecode is valid for
        self._codes: dict[str, CodeType] | None = None

    def entries(self) -> dict:
        """name -> entry, or nothing when the file is missing, damaged or made by another Jinja2."""
        if self._stored is None:
            try:
                raw = (self.folder / PRECOMPILED).read_bytes()
                stored = json.loads(raw.decode("utf-8"))
                current = jinja2_version()
                ok = bool(current) and stored.get("jinja2") == current  # an unknown version matches nothing
                self._stored = stored["templates"] if ok and isinstance(stored["templates"], dict) else {}
                self._digest = sha256(raw + b"\0" + os.fsencode(self.folder)).digest()
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self._stored = {}  # missing or damaged: every template is compiled from source
        return self._stored

    def usable(self, name: str, checksum: str, settings: str) -> bool:
        """Whether the stored code of ``name`` is what Jinja2 would generate now."""
        entry = self.entries().get(name)
        return (isinstance(entry, dict) and entry.get("checksum") == checksum and entry.get("settings") == settings
                and isinstance(entry.get("code"), str))

    def code(self, name: str, filename: str) -> CodeType:
        """The stored Python of template ``name`` (``usable``) compiled, from the bytecode file when it matches."""
        if self._codes is None:
            self._codes = self._read_bytecode()
        code = self._codes.get(name)
        if code is None or code.co_filename != filename:
            code = compile(self.entries()[name]["code"], filename, "exec")
            self._codes[name] = code
            # Every stored template is compiled in a build (the file holds the ones the pages load),
            # so the file is written whole, once, with all of them.
            for other, entry in self.entries().items():
                if other not in self._codes and isinstance(entry, dict) and isinstance(entry.get("code"), str):
                    self._codes[other] = compile(entry["code"], os.path.join(self.folder, other), "exec")
            self._write_bytecode()
        return code

    def _bytecode_path(self) -> Path:
        return self.folder / "__pycache__" / f"precompiled.{sys.implementation.cache_tag}.bin"

    def _read_bytecode(self) -> dict[str, CodeType]:
        self.entries()  # the digest
        try:
            data = self._bytecode_path().read_bytes()
        except OSError:
            return {}
        header = MAGIC_NUMBER + self._digest
        if not self._digest or not data.startswith(header):
            return {}  # another Python, or another precompiled.json: stale
        try:
            codes = marshal.loads(data[len(header):])
        except (ValueError, EOFError, TypeError):
            return {}  # damaged
        if not (isinstance(codes, dict) and all(isinstance(code, CodeType) for code in codes.values())):
            return {}
        return codes

    def _write_bytecode(self) -> None:
        if sys.dont_write_bytecode or not self._digest:
            return
        path = self._bytecode_path()
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(exist_ok=True)
            temporary.write_bytes(MAGIC_NUMBER + self._digest + marshal.dumps(self._codes))
            os.replace(temporary, path)  # whole or not at all, as Python writes a .pyc
        except (OSError, ValueError):  # a read-only install, say: compiled again next time
            with suppress(OSError):
                temporary.unlink(missing_ok=True)
