"""The connector's throttling policy, which the mock enforces, without parsing YAML when nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

from ..cache import NO_CACHE, Cache

SOURCE_DIR = "connector"


def load_throttling(root: Path, cache: Cache = NO_CACHE) -> dict:
    """The connector's throttling policy (what the mock enforces), checked like every source.

    Kept in the cache under the bytes of every source file: while no source changes, the mock
    starts without parsing YAML at all, and it still refuses to start on broken sources."""
    source_dir = root / SOURCE_DIR
    paths = [source_dir / "connector.yaml", source_dir / "definitions.yaml",
             *sorted((source_dir / "operations").glob("*.y*ml"))]
    parts: list[bytes | str] = []
    try:
        for path in paths:
            parts += [path.relative_to(root).as_posix(), path.read_bytes()]
    except OSError:
        from .load import load_sources

        return load_sources(root, cache).throttling  # a missing file: let the loader say so
    key = cache.key("throttling", *parts)
    cached = cache.get(key)
    if cached is not None:
        try:
            return json.loads(cached)
        except ValueError:
            pass
    from .load import load_sources  # YAML and the source checks: only when a source changed

    throttling = load_sources(root, cache).throttling
    cache.put(key, json.dumps(throttling).encode("utf-8"))
    return throttling
