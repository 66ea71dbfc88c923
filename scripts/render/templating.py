"""The Jinja2 environment every rendered page uses (README section, docs, rule catalogue).

Three things make it cheaper than a plain ``jinja2.Environment``, with the same output:

- Lookups. The templates read plain dicts with attribute syntax (``op.summary``). Jinja2's own
  lookup tries ``getattr`` first and only then the key, paying a raised AttributeError on every
  lookup: on a big connector that was two thirds of the reference page's render time. For a dict
  and a name that is not an attribute of dict, that getattr can only fail, so going straight to
  the key is the same lookup, without the exception; ``items`` or ``get`` still reach the methods.

- Compiling. Lexing, parsing and generating Python for the five templates took longer than a cold
  ``build --check`` spends on anything but validation. ``templates/precompiled.json`` beside each
  folder of templates holds the Python that Jinja2 generates for each one, used instead of
  compiling -- only when the template's SHA-1 (Jinja2's own checksum), the Jinja2 version and the
  environment's settings are those it was made with (stored_templates.py); otherwise the template
  is compiled from source as usual. So an edited template or another Jinja2 is never served stale
  code, just compiled. The file is made, never edited, with ``python -m scripts.render.templating``;
  tests/test_templating.py fails when it is out of date.

- Importing. A template that stored code serves runs with Jinja2's runtime alone
  (jinja_runtime.py), without importing Jinja2's compiler; any other, and every template while the
  file is being made, goes through the full environment (jinja_environment.py).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from .stored_templates import PRECOMPILED, StoredTemplates

FIX_COMMAND = "python -m scripts.render.templating"
# The packages whose templates are precompiled (each has a templates/ folder).
PACKAGES = ("scripts.docs", "scripts.render")
RUNTIME_OPTIONS = frozenset({"trim_blocks", "lstrip_blocks", "finalize"})  # what StoredEnvironment takes
use_stored_environment = True  # False: always the full environment (tests compare the two)


def __getattr__(name: str) -> Any:
    """The full environment's classes, importing Jinja2 whole only when asked for."""
    if name in ("Environment", "_Precompiled"):
        from . import jinja_environment

        return jinja_environment.Environment if name == "Environment" else jinja_environment.Precompiled
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def settings(env: Any) -> str:
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


_recording: dict[str, dict] | None = None  # package -> recorded entries, while the file is being made


def environment(package: str, filters: dict | None = None, **options: Any) -> Any:
    """Markdown templates of ``package``'s ``templates`` folder: undefined names are errors, a
    template's final newline is kept, nothing is HTML-escaped. ``filters``: added to Jinja2's.
    Either environment has ``get_template(name).render(...)``, ``filters`` and ``globals``."""
    folder = Path(sys.modules[package].__file__).parent / "templates"
    recorded = None if _recording is None else _recording.setdefault(package, {})

    def full() -> Any:
        from .jinja_environment import full_environment

        return full_environment(package, folder, recorded, filters or {}, **options)

    if _recording is not None or not use_stored_environment or not set(options) <= RUNTIME_OPTIONS:
        return full()
    from .jinja_runtime import StoredEnvironment

    stored = StoredEnvironment(os.fspath(folder), StoredTemplates(folder), full, **options)
    stored.filters.update(filters or {})
    return stored


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
    from .stored_templates import jinja2_version

    files = {}
    for package in PACKAGES:
        folder = Path(sys.modules[package].__file__).parent / "templates"
        data = {"jinja2": jinja2_version(), "made by": FIX_COMMAND,
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
