"""The build stamp: which sources the committed definition was rendered from, checked without rendering.

``plivo-connector build`` writes build-stamp.json beside the artifacts, in the same all-or-nothing
switch: the SHA-256 of every source file the loader reads and of the two definition files it
rendered from them. ``build --check`` compares it like every other rendered file, so on a fresh
clone (CI, a maker's checkout) it is as current as the definition itself.

``run`` and ``contract`` use the committed definition and warn when it is older than connector/.
When the stamp matches the files on disk, the definition on disk is the one a build made from
exactly these sources, so there is nothing to render: this module reads ~40 small files and hashes
them (a few milliseconds, standard library only). Anything else (a source edited, added, removed
or made a symlink out of the repository, a hand-edited definition, no stamp, a damaged stamp)
falls back to the full check in scripts/render/artifacts.py, which renders the definition, compares
bytes and names the stale file, or says that the sources do not build.

What the stamp does not cover: an edit of the renderer's own code (scripts/) made since the last
build. ``build --check`` renders with the current code and catches that; CI and the tests run it.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

from ..sha import sha256  # without hashlib, which loads OpenSSL (~4 ms of start-up)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up of `run --list`)
if TYPE_CHECKING:
    from ..sources.load import Sources

STAMP = "build-stamp.json"
SOURCE_DIR = "connector"
# The files rendered from the sources that run and contract read (names as in scripts/rules).
DEFINITION = ("apiDefinition.swagger.json", "apiProperties.json")
BOM = b"\xef\xbb\xbf"  # the loader drops it before hashing the text
MAX_SOURCE_BYTES = 1 << 20  # larger than any source the loader accepts (scripts/sources/yaml_source.py)
MAX_STAMP_BYTES = 1 << 24  # a stamp of 1024 operations is about 100 KiB
ABOUT = ("Written by `plivo-connector build`: the SHA-256 of each source and of the definition rendered "
         "from them, so that `run` and `contract` can tell the definition is current without rendering it. "
         "Never edit it; `plivo-connector build --check` reports it stale like any rendered file.")


def source_paths(root: Path) -> list[str]:
    """Every file the loader reads, relative to ``root`` (scripts/sources/load.py: connector.yaml,
    definitions.yaml and operations/*.yaml; tests/test_build_stamp.py checks that the two agree),
    and stray ``*.yml`` operation files, which the loader reports."""
    try:
        names = [entry.name for entry in os.scandir(root / SOURCE_DIR / "operations")]
    except OSError:
        names = []
    return [f"{SOURCE_DIR}/connector.yaml", f"{SOURCE_DIR}/definitions.yaml",
            *sorted(f"{SOURCE_DIR}/operations/{name}" for name in names if name.endswith((".yaml", ".yml")))]


def render_stamp(sources: Sources, files: dict[str, bytes]) -> bytes:
    """The stamp for the loaded ``sources`` and the ``files`` rendered from them (name -> bytes).

    It takes each source's digest from the loader (the very text that was rendered), not from a
    second read, so a file saved during the build cannot make the stamp vouch for a render of
    other content."""
    loaded = [sources.connector, sources.definitions, *sources.operations]
    stamp = {"about": ABOUT,
             "sources": {source.display: source.digest.hex() for source in sorted(loaded, key=lambda s: s.display)},
             "rendered": {name: sha256(files[name]).hexdigest() for name in DEFINITION}}
    from .jsonfmt import dump_json  # the one JSON writer of rendered files (only build gets here)

    return dump_json(stamp)


def definition_is_fresh(root: Path) -> bool:
    """True when the stamp proves that the definition files under ``root`` were rendered from the
    sources now under it; False when it cannot (then only a render can tell)."""
    base = str(root)
    raw = _read_regular(os.path.join(base, STAMP), MAX_STAMP_BYTES)
    try:
        stamp = json.loads(raw) if raw is not None else None
    except ValueError:
        return False
    if not isinstance(stamp, dict):
        return False
    rendered = {}
    for name in DEFINITION:
        raw = _read_regular(os.path.join(base, name))
        if raw is None:
            return False
        rendered[name] = sha256(raw).hexdigest()
    if stamp.get("rendered") != rendered:
        return False
    sources = _source_digests(root)
    return sources is not None and stamp.get("sources") == sources


def warn_if_stale(root: Path, command: str, verbosity: int = 0) -> None:
    """Tell the user (stderr) when ``command`` is about to use rendered files older than the sources
    (not with -q). Quick when the stamp proves them current; otherwise a render decides."""
    if verbosity < 0 or not (root / SOURCE_DIR).is_dir() or definition_is_fresh(root):
        return
    from ..findings import SourceError
    from .artifacts import stale_definition

    try:
        stale = stale_definition(root)
    except SourceError as error:
        print(f"plivo-connector {command}: warning: the sources in {root / SOURCE_DIR} do not build "
              f"({len(error.findings)} problem(s)); using the committed files. "
              "Run `plivo-connector build` to see them.", file=sys.stderr)
        return
    if stale:
        print(f"plivo-connector {command}: warning: {', '.join(stale)} "
              f"{'is' if len(stale) == 1 else 'are'} stale (connector/ changed since the last build); "
              "this run uses the committed file(s). Fix: run `plivo-connector build`.", file=sys.stderr)


def _source_digests(root: Path) -> dict[str, str] | None:
    """relative path -> digest of each source as the loader computes it (SHA-256 of the text, a
    leading BOM removed); None if one is not a regular file inside ``root`` or is too big to be a
    source. A symlink out of the repository is never read (the loader refuses it, and so does
    this), nor a FIFO or a device."""
    real_root = root.resolve()
    # The two folders are resolved once, and a file only if it is itself a symlink: resolving each
    # of ~40 paths would cost more than all the reading and hashing. Plain strings, not Paths, for
    # the same reason.
    inside = {folder: (root / folder).resolve().is_relative_to(real_root)
              for folder in (SOURCE_DIR, f"{SOURCE_DIR}/operations")}
    base = str(root)
    digests: dict[str, str] = {}
    for name in source_paths(root):
        path = os.path.join(base, name)
        try:
            status = os.lstat(path)
            if stat.S_ISLNK(status.st_mode):
                if not Path(path).resolve().is_relative_to(real_root):
                    return None
                status = os.stat(path)
            elif not inside[name.rpartition("/")[0]]:
                return None
        except OSError:  # missing
            return None
        raw = _read_regular(path, MAX_SOURCE_BYTES, status)
        if raw is None:
            return None
        digests[name] = sha256(raw.removeprefix(BOM)).hexdigest()
    return digests


def _read_regular(path: str, limit: int | None = None, status: os.stat_result | None = None) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (not a symlink, unless ``status`` already
    followed one inside the repository) of at most ``limit`` bytes; None otherwise. A FIFO would
    block the read, and a symlink could lead out of the repository."""
    try:
        if status is None:
            status = os.lstat(path)
        if not stat.S_ISREG(status.st_mode) or (limit is not None and status.st_size > limit):
            return None
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:  # missing, unreadable
        return None
