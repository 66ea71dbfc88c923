"""Rules on parameters and response properties: display names, descriptions, visibility, encoding."""

from __future__ import annotations

from . import SWAGGER, Connector, Problem, rule
from .text import is_sentence, is_title_case
from .walk import operations, parameters, properties, schemas

VISIBILITY = {"important", "advanced", "internal"}


def _metadata_problems(pointer: tuple, item: dict, what: str):
    summary, description = item.get("x-ms-summary"), item.get("description")
    if not summary:
        yield Problem(SWAGGER, pointer, f"{what} has no x-ms-summary; give it a short Title Case label "
                                        "('summary' in the source)")
    else:
        if len(summary) > 80:
            yield Problem(SWAGGER, pointer, f"{what}: x-ms-summary has {len(summary)} characters; keep it to 80")
        if not is_title_case(summary):
            yield Problem(SWAGGER, pointer, f"{what}: x-ms-summary '{summary}' must be in Title Case")
    if not description:
        yield Problem(SWAGGER, pointer, f"{what} has no description; add a sentence ending with a period")
    else:
        if not is_sentence(description):
            yield Problem(SWAGGER, pointer, f"{what}: description '{description}' must be a sentence that starts "
                                            "with a capital letter and ends with a period")
        if summary and description.strip().rstrip(".").lower() == summary.strip().lower():
            yield Problem(SWAGGER, pointer, f"{what}: description repeats the x-ms-summary; say more")


@rule("ParameterMetadata", "Every parameter has a Title Case x-ms-summary and a sentence description that "
                           "differ.")
def parameter_metadata(c: Connector):
    for pointer, param, _, op_name in parameters(c.swagger):
        yield from _metadata_problems(pointer, param, f"{op_name} parameter '{param.get('name')}'")


@rule("PropertyMetadata", "Every object property in bodies and responses has a Title Case x-ms-summary and a "
                          "sentence description that differ.")
def property_metadata(c: Connector):
    for pointer, _, prop, where in properties(c.swagger):
        if "$ref" in prop:
            continue  # the referenced definition carries the metadata
        yield from _metadata_problems(pointer, prop, where)


@rule("InputVisibility", "Every input (parameter or body property) states its x-ms-visibility, as certified "
                         "connectors do: important for what a maker must fill, advanced for the rest.")
def input_visibility(c: Connector):
    for pointer, param, _, op in parameters(c.swagger):
        if param.get("in") != "body" and "x-ms-visibility" not in param:
            yield Problem(SWAGGER, pointer, f"{op} parameter '{param.get('name')}' has no x-ms-visibility; "
                                            "set 'visibility' (important, advanced or internal)")
    for pointer, _, prop, where in properties(c.swagger):
        in_request_body = pointer[0] == "paths" and pointer[3] == "parameters"
        if in_request_body and "x-ms-visibility" not in prop and "$ref" not in prop:
            yield Problem(SWAGGER, pointer, f"{where} has no x-ms-visibility; set 'visibility' (important, "
                                            "advanced or internal)")


@rule("VisibilityValues", "x-ms-visibility is important, advanced or internal.")
def visibility_values(c: Connector):
    items = [(pointer, param, f"{op} parameter '{param.get('name')}'") for pointer, param, _, op in
             parameters(c.swagger)]
    items += [(pointer, prop, where) for pointer, _, prop, where in properties(c.swagger)]
    items += [(pointer, op, f"operation {op.get('operationId')}") for pointer, _, _, op in operations(c.swagger)]
    for pointer, item, what in items:
        value = item.get("x-ms-visibility")
        if value is not None and value not in VISIBILITY:
            yield Problem(SWAGGER, pointer, f"{what}: x-ms-visibility '{value}' must be one of "
                                            "important, advanced, internal (or left out)")


@rule("InternalRequiredHasDefault", "An internal required parameter or property has a default; an internal "
                                    "property with a default is required.")
def internal_required_default(c: Connector):
    for pointer, param, _, op in parameters(c.swagger):
        if param.get("x-ms-visibility") == "internal" and param.get("required") and "default" not in param:
            yield Problem(SWAGGER, pointer, f"{op} parameter '{param.get('name')}' is internal and required but "
                                            "has no default; the user cannot fill it, so give it a default")
    for pointer, schema, where in schemas(c.swagger):
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            if not isinstance(prop, dict) or prop.get("x-ms-visibility") != "internal":
                continue
            if name in required and "default" not in prop:
                yield Problem(SWAGGER, (*pointer, "properties", name),
                              f"{where} property '{name}' is internal and required but has no default")
            if "default" in prop and name not in required:
                yield Problem(SWAGGER, (*pointer, "properties", name),
                              f"{where} property '{name}' is internal with a default but not required; "
                              "the platform sends internal defaults only for required properties")


@rule("PathParameterEncoding", "Path parameters are required with x-ms-url-encoding single; query parameters "
                               "carry no x-ms-url-encoding; no parameter is named connectionId.")
def path_parameter_encoding(c: Connector):
    for pointer, param, _, op in parameters(c.swagger):
        name = param.get("name")
        if name == "connectionId":
            yield Problem(SWAGGER, pointer, f"{op}: a parameter may not be named connectionId (reserved)")
        if param.get("in") == "path":
            if param.get("required") is not True:
                yield Problem(SWAGGER, pointer, f"{op} path parameter '{name}' must be required: true")
            if param.get("x-ms-url-encoding") not in ("single", "double"):
                yield Problem(SWAGGER, pointer, f"{op} path parameter '{name}' needs \"x-ms-url-encoding\": "
                                                "\"single\"")
        elif param.get("in") == "query" and "x-ms-url-encoding" in param:
            yield Problem(SWAGGER, pointer, f"{op} query parameter '{name}' must not carry x-ms-url-encoding")
