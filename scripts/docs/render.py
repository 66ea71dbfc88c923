"""Render the generated pages: docs/reference.md and the certification readme.

The certification readme is the ``readme.md`` that Microsoft's PowerPlatformConnectors repository
expects beside a connector's definition. It is committed at CERTIFICATION_README (the repository
root already has README.md, and readme.md beside it would be the same file on Windows and macOS);
``plivo-connector package`` puts it beside the definition as readme.md.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from ..render.templating import environment
from .model import document_model

if TYPE_CHECKING:
    from ..runtime.definition import Connector

REFERENCE = "docs/reference.md"
CERTIFICATION_README = "docs/certification/readme.md"
TEMPLATES = {REFERENCE: "reference.md.j2", CERTIFICATION_README: "certification_readme.md.j2"}


def _cell(value: Any) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped."""
    return " ".join(str(value).split()).replace("|", "\\|")


@cache
def _environment() -> Any:
    return environment(__package__, filters={"cell": _cell}, trim_blocks=True, lstrip_blocks=True)


def render_docs(swagger: dict[str, Any], properties: dict[str, Any], throttling: dict[str, Any],
                connector: Connector | None = None, wire: dict[str, str] | None = None) -> dict[str, bytes]:
    """Path relative to the root -> bytes (UTF-8, LF, one final newline) of every generated page.
    (``connector`` and ``wire``: see ``document_model``.)"""
    model = document_model(swagger, properties, throttling, connector, wire)
    pages = {}
    for path, template in TEMPLATES.items():
        text = _environment().get_template(template).render(**model)
        # Macros and conditional blocks leave runs of blank lines; Markdown wants one.
        text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
        pages[path] = text.encode("utf-8")
    return pages
