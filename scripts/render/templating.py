"""The Jinja2 environment every rendered page uses (README section, docs, rule catalogue).

Two things make it cheaper than a plain ``jinja2.Environment``, with the same output:

- Lookups. The templates read plain dicts with attribute syntax (``op.summary``). Jinja2's own
  lookup tries ``getattr`` first and only then the key, paying a raised AttributeError on every
  lookup: on a big connector that was two thirds of the reference page's render time. For a dict
  and a name that is not an attribute of dict, that getattr can only fail, so going straight to
  the key is the same lookup, without the exception; ``items`` or ``get`` still reach the methods.

- Compiling. Lexing, parsing and generating Python for the five templates took longer than a cold
  ``build --check`` spends on anything but validation. ``templates/precompiled.json`` beside each
  folder of templates holds the Python that Jinja2 generates for each one, and Jinja2's
  bytecode-cache hook hands it over instead of compiling -- only when the template's SHA-1 (Jinja2's
  own checksum), the Jinja2 version and the environment's settings are those it was made with;
  otherwise the template is compiled from source as usual. So an edited template or another
  Jinja2 is never served stale code, just compiled. The file is made, never edited, with
  ``python -m scripts.render.templating``; tests/test_templating.py fails when it is out of date.
  Python still has to compile that stored Python (7 ms for the five templates, a fifth of a cold
  ``build --check``'s rendering), so its bytecode is kept the way Python keeps a module's: in
  ``templates/__pycache__/``, under the digest of precompiled.json and for this Python only, not
  written when Python writes no bytecode (PYTHONDONTWRITEBYTECODE), rebuilt whenever it does not
  match. It is bytecode of the committed file, never a rendered result: the checks above decide
  as before whether that code is used at all.
"""

from __future__ import annotations

import json
import marshal
import os
import sys
from contextlib import suppress
from hashlib import sha256
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
import jinja2.bccache

_DICT_ATTRIBUTES = frozenset(dir(dict))
PRECOMPILED = "precompiled.json"
FIX_COMMAND = "python -m scripts.render.templating"
# The packages whose templates are precompiled (each has a templates/ folder).
PACKAGES = ("scripts.docs", "scripts.render")


class Environment(jinja2.Environment):
    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def settings(env: jinja2.Environment) -> str:
    """What the generated Python of a template depends on besides its source and the Jinja2 version."""
    return json.dumps({
        "delimiters": [env.block_start_string, env.block_end_string, env.variable_start_string,
                       env.variable_end_string, env.comment_start_string, env.comment_end_string,
                       env.line_statement_prefix, env.line_comment_prefix],
        "whitespace": [env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline],
        "autoescape": env.autoescape if isinstance(env.autoescape, bool) else "callable",
        "finalize": env.finalize is not None, "optimized": env.optimized,
        "extensions": sorted(env.extensions), "filters": sorted(env.filters), "tests": sorted(env.tests),
    }, sort_keys=True)


class _Precompiled(jinja2.bccache.BytecodeCache):
    """Serves the stored Python of a template as its code when it is still the right code.

    With ``recorded`` (a dict), every template compiled goes into it instead: what
    ``python -m scripts.render.templating`` writes to the file."""

    def __init__(self, folder: Path, recorded: dict | None = None):
        self.folder = folder
        self.recorded = recorded
        self._stored: dict | None = None
        self._digest = b""  # of precompiled.json and the folder: what its cached bytecode is valid for
        self._codes: dict[str, CodeType] | None = None

    def _entries(self) -> dict:
        if self._stored is None:
            try:
                raw = (self.folder / PRECOMPILED).read_bytes()
                stored = json.loads(raw.decode("utf-8"))
                ok = stored.get("jinja2") == jinja2.__version__
                self._stored = stored["templates"] if ok else {}
                self._digest = sha256(raw + b"\0" + os.fsencode(self.folder)).digest()
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self._stored = {}  # missing or damaged: every template is compiled from source
        return self._stored

    def _bytecode_path(self) -> Path:
        return self.folder / "__pycache__" / f"precompiled.{sys.implementation.cache_tag}.bin"

    def _code(self, name: str, filename: str) -> CodeType:
        """The stored Python of template ``name`` compiled, from the bytecode file when it matches."""
        if self._codes is None:
            self._codes = self._read_bytecode()
        code = self._codes.get(name)
        if code is None or code.co_filename != filename:
            code = compile(self._entries()[name]["code"], filename, "exec")
            self._codes[name] = code
            # Every stored template is compiled in a build (the file holds the ones the pages load),
            # so the file is written whole, once, with all of them.
            for other, entry in self._entries().items():
                if other not in self._codes and isinstance(entry, dict) and isinstance(entry.get("code"), str):
                    self._codes[other] = compile(entry["code"], str(self.folder / other), "exec")
            self._write_bytecode()
        return code

    def _read_bytecode(self) -> dict[str, CodeType]:
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

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> jinja2.bccache.Bucket:
        bucket = jinja2.bccache.Bucket(environment, name, self.get_source_checksum(source))
        if self.recorded is not None:
            self.recorded[name] = {"checksum": bucket.checksum, "settings": settings(environment),
                                   "code": environment.compile(source, name, filename, raw=True)}
            return bucket
        entry = self._entries().get(name)
        if (isinstance(entry, dict) and entry.get("checksum") == bucket.checksum
                and entry.get("settings") == settings(environment) and isinstance(entry.get("code"), str)):
            bucket.code = self._code(name, filename or name)
        return bucket

    def set_bucket(self, bucket: jinja2.bccache.Bucket) -> None:
        pass  # compiled from source: nothing is written at run time

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:  # pragma: no cover - get_bucket does it
        pass

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:  # pragma: no cover - set_bucket does it
        pass


_recording: dict[str, dict] | None = None  # package -> recorded entries, while the file is being made


def environment(package: str, **options: Any) -> Environment:
    """Markdown templates of ``package``'s ``templates`` folder: undefined names are errors, a
    template's final newline is kept, nothing is HTML-escaped."""
    loader = jinja2.PackageLoader(package, "templates")
    folder = Path(sys.modules[package].__file__).parent / "templates"
    recorded = None if _recording is None else _recording.setdefault(package, {})
    return Environment(loader=loader, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                       autoescape=False, bytecode_cache=_Precompiled(folder, recorded), **options)


def precompiled_files() -> dict[Path, str]:
    """Every templates/precompiled.json as it should be: each page rendered once, recording the
    Python Jinja2 generates for every template it loads."""
    global _recording
    from ..cache import NO_CACHE
    from ..project_root import find_root  # the repository this tool ships in: its sources use every template
    from .artifacts import render_artifacts

    root = find_root(Path(__file__).parent)
    if root is None:
        raise SystemExit(f"{FIX_COMMAND} runs in a checkout of the repository (it renders its connector)")
    _recording = {}
    try:
        _clear_environment_caches()
        render_artifacts(root, NO_CACHE)
        recorded = _recording
    finally:
        _recording = None
        _clear_environment_caches()
    files = {}
    for package in PACKAGES:
        folder = Path(sys.modules[package].__file__).parent / "templates"
        data = {"jinja2": jinja2.__version__, "made by": FIX_COMMAND,
                "templates": dict(sorted(recorded.get(package, {}).items()))}
        files[folder / PRECOMPILED] = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    return files


def _clear_environment_caches() -> None:
    """The page renderers keep their environment (functools.cache): drop them so the next render
    makes new ones (recording, or not)."""
    from ..docs import render as docs_render
    from . import readme

    docs_render._environment.cache_clear()
    readme._template.cache_clear()


def main() -> int:
    from . import templating  # the module the renderers import, not this __main__ copy of it

    for path, text in templating.precompiled_files().items():
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)  # all or nothing: a half-written file is never left behind
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
