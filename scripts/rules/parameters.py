"""Rules on parameters and response properties: display names, descriptions, visibility, encoding."""

from __future__ import annotations

from . import (
    CERTIFICATION,
    EXTENSIONS_DOC,
    HOUSE,
    HOUSE_DOC,
    PLATFORM,
    SWAGGER,
    VALIDATOR_DOC,
    WARNING,
    Connector,
    Problem,
    rule,
)
from .text import is_sentence, is_title_case
from .walk import all_properties, all_schemas, obj, operations, parameters, seq, text

VISIBILITY = {"important", "advanced", "internal", "none"}


def _inputs(c: Connector):
    """(pointer, item, what) for every parameter and every request body property."""
    for pointer, param, _, op in parameters(c.swagger):
        if param.get("in") != "body":
            yield pointer, param, f"{op} parameter '{param.get('name')}'"
    for pointer, _, prop, where in all_properties(c):
        if pointer[0] == "paths" and pointer[3] == "parameters" and "$ref" not in prop:
            yield pointer, prop, where


def _shown(item: dict) -> bool:
    return item.get("x-ms-visibility") != "internal"


@rule("ParameterMetadata", "Every input a maker sees (parameter or body property) has an x-ms-summary or a "
                           "description.",
      profile=CERTIFICATION, severity=WARNING, source=VALIDATOR_DOC,
      rationale="The designer labels an input with its x-ms-summary and explains it with its description; "
                "without either the maker sees the raw key.",
      fix="Give the input an x-ms-summary (a short Title Case label) and a description sentence.")
def parameter_metadata(c: Connector):
    for pointer, item, what in _inputs(c):
        if _shown(item) and not text(item.get("x-ms-summary")).strip() and not text(item.get("description")).strip():
            yield Problem(SWAGGER, pointer, f"{what} has neither x-ms-summary nor description")


def _style_problems(pointer: tuple, item: dict, what: str):
    summary, description = text(item.get("x-ms-summary")), text(item.get("description"))
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


@rule("ParameterStyle", "Every parameter has a Title Case x-ms-summary and a sentence description that differ.",
      profile=HOUSE, source=HOUSE_DOC + " (as certified connectors such as Mtarget SMS do)",
      rationale="Makers read these labels in every flow; the Plivo connector holds all of them to Microsoft's "
                "string guidance.",
      fix="Set 'summary' (Title Case) and 'description' (a sentence) on the parameter in its operation file.")
def parameter_style(c: Connector):
    for pointer, param, _, op_name in parameters(c.swagger):
        yield from _style_problems(pointer, param, f"{op_name} parameter '{param.get('name')}'")


@rule("PropertyMetadata", "Every object property in bodies and responses has a Title Case x-ms-summary and a "
                          "sentence description that differ.",
      profile=HOUSE, source=HOUSE_DOC,
      rationale="Output properties appear as dynamic content in flows; the Plivo connector labels every one.",
      fix="Set 'summary' and 'description' on the property in definitions.yaml or the operation file.")
def property_metadata(c: Connector):
    for pointer, _, prop, where in all_properties(c):
        if "$ref" in prop:
            continue  # the referenced definition carries the metadata
        yield from _style_problems(pointer, prop, where)


@rule("InputVisibility", "Every input (parameter or body property) states its x-ms-visibility, as certified "
                         "connectors do: important for what a maker must fill, advanced for the rest.",
      profile=HOUSE, source=HOUSE_DOC,
      rationale="An explicit visibility keeps the action card short and says which inputs matter.",
      fix="Set 'visibility' (important, advanced or internal) on the input.")
def input_visibility(c: Connector):
    for pointer, item, what in _inputs(c):
        if "x-ms-visibility" not in item:
            yield Problem(SWAGGER, pointer, f"{what} has no x-ms-visibility; set 'visibility' (important, "
                                            "advanced or internal)")


@rule("VisibilityValues", "x-ms-visibility is important, advanced, internal or none.",
      profile=CERTIFICATION, source=EXTENSIONS_DOC,
      rationale="The designer knows only these values; another one is ignored or rejected.",
      fix="Use important, advanced or internal (or leave x-ms-visibility out).")
def visibility_values(c: Connector):
    items = [(pointer, param, f"{op} parameter '{param.get('name')}'") for pointer, param, _, op in
             parameters(c.swagger)]
    items += [(pointer, prop, where) for pointer, _, prop, where in all_properties(c)]
    items += [(pointer, op, f"operation {op.get('operationId')}") for pointer, _, _, op in operations(c.swagger)]
    for pointer, item, what in items:
        value = item.get("x-ms-visibility")
        if value is not None and (not isinstance(value, str) or value not in VISIBILITY):
            yield Problem(SWAGGER, pointer, f"{what}: x-ms-visibility '{value}' must be one of "
                                            "important, advanced, internal (or left out)")


@rule("InternalRequiredHasDefault", "An internal required parameter or property has a default (unless the "
                                    "platform fills it, as x-ms-notification-url); an internal property with a "
                                    "default is required.",
      profile=CERTIFICATION, source=EXTENSIONS_DOC,
      rationale="Makers cannot see internal inputs, so the platform must be able to fill them: from a default, or "
                "a webhook's callback URL; and it sends internal defaults only for required properties.",
      fix="Give the internal input a default, or make it visible.")
def internal_required_default(c: Connector):
    for pointer, param, _, op in parameters(c.swagger):
        if (param.get("x-ms-visibility") == "internal" and param.get("required") is True
                and "default" not in param and param.get("in") != "body" and not _platform_filled(param)):
            yield Problem(SWAGGER, pointer, f"{op} parameter '{param.get('name')}' is internal and required but "
                                            "has no default; the user cannot fill it, so give it a default")
    inputs = request_definitions(c.swagger)
    for pointer, schema, where in all_schemas(c):
        if not (pointer[0] == "paths" and pointer[3] == "parameters") and pointer[:2] not in inputs:
            continue  # a response: the platform never fills it
        required = {r for r in seq(schema.get("required")) if isinstance(r, str)}
        for name, prop in obj(schema.get("properties")).items():
            if not isinstance(prop, dict) or prop.get("x-ms-visibility") != "internal" or _platform_filled(prop):
                continue
            # The platform fills a webhook trigger's callback property itself (x-ms-notification-url).
            if name in required and "default" not in prop and "$ref" not in prop and prop.get("type") != "object" \
                    and prop.get("x-ms-notification-url") is not True:
                yield Problem(SWAGGER, (*pointer, "properties", name),
                              f"{where} property '{name}' is internal and required but has no default")


def request_definitions(swagger: dict) -> set[tuple[str, str]]:
    """("definitions", name) for every definition a request body uses, directly or through other ones."""
    definitions = obj(swagger.get("definitions"))
    pending = [schema for pointer, param, _, _ in parameters(swagger) if param.get("in") == "body"
               for schema in [param.get("schema")]]
    seen: set[str] = set()
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/definitions/"):
                name = ref.removeprefix("#/definitions/")
                if name not in seen and name in definitions:
                    seen.add(name)
                    pending.append(definitions[name])
            pending.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            pending.extend(node)
    return {("definitions", name) for name in seen}


def _platform_filled(item: dict) -> bool:
    return item.get("x-ms-notification-url") is True or "x-ms-dynamic-values" in item


@rule("ReservedParameterName", "No parameter is named connectionId.",
      profile=PLATFORM, source=VALIDATOR_DOC,
      rationale="The platform adds connectionId to every request path itself; a parameter of that name clashes.",
      fix="Rename the parameter (its key, and the path segment).")
def reserved_parameter_name(c: Connector):
    for pointer, param, _, op in parameters(c.swagger):
        if param.get("name") == "connectionId":
            yield Problem(SWAGGER, pointer, f"{op}: a parameter may not be named connectionId (reserved)")


@rule("PathParameterEncoding", "Path parameters carry x-ms-url-encoding single; query parameters carry none.",
      profile=HOUSE, source=HOUSE_DOC + "; " + EXTENSIONS_DOC,
      rationale="Plivo's ids never contain '/', so single encoding is exact; the default (double) would mangle "
                "any id with reserved characters.",
      fix="Let the renderer set x-ms-url-encoding (path parameters in the operation file).")
def path_parameter_encoding(c: Connector):
    for pointer, param, _, op in parameters(c.swagger):
        name = param.get("name")
        if param.get("in") == "path":
            if param.get("x-ms-url-encoding") not in ("single", "double"):
                yield Problem(SWAGGER, pointer, f"{op} path parameter '{name}' needs \"x-ms-url-encoding\": "
                                                "\"single\"")
        elif param.get("in") == "query" and "x-ms-url-encoding" in param:
            yield Problem(SWAGGER, pointer, f"{op} query parameter '{name}' must not carry x-ms-url-encoding")
