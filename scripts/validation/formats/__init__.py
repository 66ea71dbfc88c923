"""Output formats of `plivo-connector validate`: each module has ``render(report) -> str``.

text (default, for people and editors), json (for scripts), sarif (GitHub code scanning),
junit (test report viewers), github (workflow command annotations in a GitHub Actions log).
"""

from __future__ import annotations

import importlib

FORMATS = ("text", "json", "sarif", "junit", "github")


def render(name: str, report) -> str:
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; choose from {', '.join(FORMATS)}")
    return importlib.import_module(f"{__name__}.{name}_format").render(report)
