"""Render the connector section of README.md (actions, connection parameters, throttling limits).

The section sits between two marker lines and is rendered from the rendered swagger and
apiProperties data, so the README can never describe a different connector than the JSON files.
"""

from __future__ import annotations

from functools import cache

from ..findings import Finding, SourceError

BEGIN = "<!-- BEGIN connector section: rendered by `plivo-connector build` from connector/; do not edit -->"
END = "<!-- END connector section -->"


def _inert(value):
    """Every value put into the section: an HTML comment opener is escaped (Markdown shows
    ``&lt;!--`` as ``<!--``), so no text from the sources can forge a marker line and make every
    later build find two of them."""
    return value.replace("<!--", "&lt;!--") if isinstance(value, str) else value


@cache
def _template():
    from .templating import environment  # Jinja2 only when the section is rendered, not when cached

    env = environment(__package__, finalize=_inert)
    return env.get_template("readme_connector.md.j2")


def render_section(swagger: dict, properties: dict, throttling: dict, connector=None, wire=None) -> str:
    """``connector`` and ``wire``: ``Connector.from_dicts`` and ``wire_paths`` of the same documents,
    when the caller has them already (see ``docs.model.document_model``)."""
    from ..docs.model import wire_paths
    from ..runtime.definition import Connector  # the inputs exactly as the emulator and the designer see them

    connector = Connector.from_dicts(swagger, properties) if connector is None else connector
    # The request as sent, after policies limited to an operation.
    wire = wire_paths(swagger, properties) if wire is None else wire
    operations = []
    for op in sorted(connector.operations.values(), key=lambda op: op.summary.lower()):
        inputs = [{"summary": i.name, "key": i.key, "required": i.required, "type": i.type or "object",
                   "description": i.description} for i in op.inputs if not i.internal]
        operations.append({"summary": op.summary, "operationId": op.id, "method": op.method,
                           "path": wire.get(op.id, op.path), "description": op.description, "inputs": inputs,
                           "deprecated": swagger["paths"][op.path][op.method.lower()].get("deprecated", False)})
    connection = [
        {"key": key, "type": spec["type"], "required": spec["uiDefinition"]["constraints"]["required"] == "true",
         **spec["uiDefinition"]}
        for key, spec in properties["properties"]["connectionParameters"].items()
    ]
    auth = next(iter(swagger["securityDefinitions"].values()))["type"]
    return _template().render(operations=operations, connection=connection, throttling=throttling,
                              auth_type={"basic": "basic (Auth ID and Auth Token)"}.get(auth, auth))


def splice_section(readme: str, section: str, display: str = "README.md") -> str:
    """Put ``section`` between the markers of ``readme``; a finding when the markers are not there once."""
    if readme.count(BEGIN) != 1 or readme.count(END) != 1 or readme.index(BEGIN) > readme.index(END):
        raise SourceError([Finding(display, None, "ReadmeMarkers",
                                   f"README.md needs exactly one pair of marker lines:\n  {BEGIN}\n  {END}")])
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{section.rstrip()}\n{END}{tail}"
