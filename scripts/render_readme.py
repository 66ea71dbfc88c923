"""Render the connector section of README.md (actions, connection parameters, throttling limits).

The section sits between two marker lines and is rendered from the rendered swagger and
apiProperties data, so the README can never describe a different connector than the JSON files.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from .findings import Finding, SourceError

BEGIN = "<!-- BEGIN connector section: rendered by `plivo-connector build` from connector/; do not edit -->"
END = "<!-- END connector section -->"


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.PackageLoader(__package__, "templates"),
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             autoescape=False)  # Markdown output, not HTML
    return env.get_template("readme_connector.md.j2")


def render_section(swagger: dict, properties: dict, throttling: dict) -> str:
    operations = []
    for path, methods in swagger["paths"].items():
        for method, op in methods.items():
            operations.append({**op, "method": method, "path": path, "inputs": list(_inputs(swagger, op))})
    operations.sort(key=lambda op: op["summary"].lower())
    connection = [
        {"key": key, "type": spec["type"], "required": spec["uiDefinition"]["constraints"]["required"] == "true",
         **spec["uiDefinition"]}
        for key, spec in properties["properties"]["connectionParameters"].items()
    ]
    auth = next(iter(swagger["securityDefinitions"].values()))["type"]
    return _template().render(operations=operations, connection=connection, throttling=throttling,
                              auth_type={"basic": "basic (Auth ID and Auth Token)"}.get(auth, auth))


def _inputs(swagger: dict, op: dict):
    for param in op.get("parameters", []):
        if param.get("x-ms-visibility") == "internal":
            continue
        if param["in"] == "body":
            yield from _body_inputs(swagger, param["schema"], "")
        else:
            yield {"summary": param["x-ms-summary"], "key": param["name"], "required": param.get("required", False),
                   "type": param["type"], "description": param["description"]}


def _body_inputs(swagger: dict, schema: dict, prefix: str):
    schema = _resolve(swagger, schema)
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        prop = _resolve(swagger, prop)
        if prop.get("x-ms-visibility") == "internal":
            continue
        if prop.get("type") == "object" and "properties" in prop:
            yield from _body_inputs(swagger, prop, f"{prefix}{name}.")
            continue
        yield {"summary": prop.get("x-ms-summary", name), "key": prefix + name, "required": name in required,
               "type": prop.get("type", "object"), "description": prop.get("description", "")}


def _resolve(swagger: dict, schema: dict) -> dict[str, Any]:
    while "$ref" in schema:
        schema = swagger["definitions"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def splice_section(readme: str, section: str, display: str = "README.md") -> str:
    """Put ``section`` between the markers of ``readme``; a finding when the markers are not there once."""
    if readme.count(BEGIN) != 1 or readme.count(END) != 1 or readme.index(BEGIN) > readme.index(END):
        raise SourceError([Finding(display, None, "ReadmeMarkers",
                                   f"README.md needs exactly one pair of marker lines:\n  {BEGIN}\n  {END}")])
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{section.rstrip()}\n{END}{tail}"
