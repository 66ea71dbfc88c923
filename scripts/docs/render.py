"""Render the generated pages: docs/reference.md and the certification readme.

The certification readme is the ``readme.md`` that Microsoft's PowerPlatformConnectors repository
expects beside a connector's definition. It is committed at CERTIFICATION_README (the repository
root already has README.md, and readme.md beside it would be the same file on Windows and macOS);
``plivo-connector package`` puts it beside the definition as readme.md.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import jinja2

from .model import document_model

REFERENCE = "docs/reference.md"
CERTIFICATION_README = "docs/certification/readme.md"
TEMPLATES = {REFERENCE: "reference.md.j2", CERTIFICATION_README: "certification_readme.md.j2"}


def _cell(value: Any) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped."""
    return " ".join(str(value).split()).replace("|", "\\|")


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader(__package__, "templates"),
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True,
                             autoescape=False)  # Markdown output, not HTML
    env.filters["cell"] = _cell
    return env


def render_docs(swagger: dict[str, Any], properties: dict[str, Any], throttling: dict[str, Any]) -> dict[str, bytes]:
    """Path relative to the root -> bytes (UTF-8, LF, one final newline) of every generated page."""
    model = document_model(swagger, properties, throttling)
    pages = {}
    for path, template in TEMPLATES.items():
        text = _environment().get_template(template).render(**model)
        # Macros and conditional blocks leave runs of blank lines; Markdown wants one.
        text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
        pages[path] = text.encode("utf-8")
    return pages
