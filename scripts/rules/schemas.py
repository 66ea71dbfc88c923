"""Rules on schemas: required lists, array items, formats, and $ref use."""

from __future__ import annotations

from . import SWAGGER, Connector, Problem, rule
from .walk import parameters, schemas

FORMATS = {"int32", "int64", "float", "double", "byte", "binary", "date", "date-time", "password",
           "date-no-tz", "email", "html", "uri", "uuid"}


@rule("RequiredList", "No empty 'required'; 'required' only on object schemas and naming existing properties.")
def required_list(c: Connector):
    for pointer, schema, where in schemas(c.swagger):
        if "required" not in schema:
            continue
        required = schema["required"]
        if not required:
            yield Problem(SWAGGER, (*pointer, "required"), f"{where}: remove the empty 'required' list")
        elif schema.get("type") not in ("object", None) or "properties" not in schema:
            yield Problem(SWAGGER, (*pointer, "required"), f"{where}: 'required' belongs on an object schema "
                                                           "with properties")
        else:
            for name in required:
                if name not in schema["properties"]:
                    yield Problem(SWAGGER, (*pointer, "required"),
                                  f"{where}: required property '{name}' is not among its properties")


@rule("ArrayItems", "Every array schema has items.")
def array_items(c: Connector):
    for pointer, schema, where in schemas(c.swagger):
        if schema.get("type") == "array" and not isinstance(schema.get("items"), dict):
            yield Problem(SWAGGER, pointer, f"{where} is an array without 'items'; say what it holds")
    for pointer, param, _, op in parameters(c.swagger):
        if param.get("type") == "array" and not isinstance(param.get("items"), dict):
            yield Problem(SWAGGER, pointer, f"{op} parameter '{param.get('name')}' is an array without 'items'")


@rule("FormatValues", "format is one of the formats Power Platform knows.")
def format_values(c: Connector):
    found = [(pointer, schema, where) for pointer, schema, where in schemas(c.swagger)]
    found += [(pointer, p, f"{op} parameter '{p.get('name')}'") for pointer, p, _, op in parameters(c.swagger)]
    for pointer, item, where in found:
        fmt = item.get("format")
        if fmt is not None and fmt not in FORMATS:
            yield Problem(SWAGGER, pointer, f"{where}: format '{fmt}' is not supported; use one of "
                                            f"{', '.join(sorted(FORMATS))} or leave it out")


@rule("RefUsage", "A $ref names an existing definition, stands alone, and no definition refers to itself.")
def ref_usage(c: Connector):
    definitions = c.swagger.get("definitions", {})
    for pointer, schema, where in schemas(c.swagger):
        ref = schema.get("$ref")
        if ref is None:
            continue
        name = ref.removeprefix("#/definitions/")
        if not ref.startswith("#/definitions/") or name not in definitions:
            yield Problem(SWAGGER, pointer, f"{where}: $ref '{ref}' names no definition")
        extra = sorted(set(schema) - {"$ref"})
        if extra:
            yield Problem(SWAGGER, pointer, f"{where}: keys beside $ref are ignored ({', '.join(extra)}); "
                                            "move them into the definition")
    for name in definitions:
        if _reaches(definitions, name, name, set()):
            yield Problem(SWAGGER, ("definitions", name), f"definition {name} refers to itself through $ref; "
                                                          "the designer cannot show recursive schemas")


def _refs(schema) -> list[str]:
    if isinstance(schema, dict):
        found = [schema["$ref"].removeprefix("#/definitions/")] if "$ref" in schema else []
        for value in schema.values():
            found += _refs(value)
        return found
    if isinstance(schema, list):
        return [ref for item in schema for ref in _refs(item)]
    return []


def _reaches(definitions: dict, start: str, target: str, seen: set) -> bool:
    for ref in _refs(definitions.get(start, {})):
        if ref == target:
            return True
        if ref not in seen:
            seen.add(ref)
            if _reaches(definitions, ref, target, seen):
                return True
    return False
