"""Rules on schemas: required lists, array items, formats, enums and $ref use."""

from __future__ import annotations

from . import CERTIFICATION, PLATFORM, SWAGGER, SWAGGER_SPEC, VALIDATOR_DOC, WARNING, Connector, Problem, rule
from .walk import all_schemas, obj, parameters

FORMATS = {"int32", "int64", "float", "double", "byte", "binary", "date", "date-time", "password",
           "date-no-tz", "email", "html", "uri", "uuid"}
# JSON types a value of each Swagger type may have (an integer is also a number).
ENUM_TYPES = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,)}


@rule("RequiredList", "No empty 'required'; 'required' only on object schemas and naming existing properties.",
      profile=CERTIFICATION, severity=WARNING, source=VALIDATOR_DOC,
      rationale="A required property that does not exist can never be given, so the action always fails.",
      fix="List only properties the schema declares in 'required', and drop an empty list.")
def required_list(c: Connector):
    for pointer, schema, where in all_schemas(c):
        if "required" not in schema or "$ref" in schema:
            continue
        required = schema["required"]
        if not isinstance(required, list):
            continue  # the Swagger 2.0 check reports it
        if not required:
            yield Problem(SWAGGER, (*pointer, "required"), f"{where}: remove the empty 'required' list")
        elif schema.get("type") not in ("object", None) or not isinstance(schema.get("properties"), dict):
            if "allOf" not in schema:
                yield Problem(SWAGGER, (*pointer, "required"), f"{where}: 'required' belongs on an object schema "
                                                               "with properties")
        else:
            for name in required:
                if not isinstance(name, str) or name not in schema["properties"]:
                    yield Problem(SWAGGER, (*pointer, "required"),
                                  f"{where}: required property '{name}' is not among its properties")


@rule("ArrayItems", "Every array schema has items.",
      profile=CERTIFICATION, severity=WARNING, source=VALIDATOR_DOC,
      rationale="The designer shows an array's fields from its items schema; without it makers get a raw array.",
      fix="Add 'items' with the schema of one element.")
def array_items(c: Connector):
    for pointer, schema, where in all_schemas(c):
        if schema.get("type") == "array" and not isinstance(schema.get("items"), dict):
            yield Problem(SWAGGER, pointer, f"{where} is an array without 'items'; say what it holds")
    for pointer, param, _, op in parameters(c.swagger):
        if param.get("type") == "array" and not isinstance(param.get("items"), dict):
            yield Problem(SWAGGER, pointer, f"{op} parameter '{param.get('name')}' is an array without 'items'")


@rule("FormatValues", "format is one of the formats Power Platform knows.",
      profile=CERTIFICATION, severity=WARNING, source=VALIDATOR_DOC,
      rationale="The designer picks editors and conversions by format; an unknown one is ignored.",
      fix="Use one of int32, int64, float, double, byte, binary, date, date-time, password, date-no-tz, email, "
          "html, uri, uuid, or leave format out.")
def format_values(c: Connector):
    found = [(pointer, schema, where) for pointer, schema, where in all_schemas(c)]
    found += [(pointer, p, f"{op} parameter '{p.get('name')}'") for pointer, p, _, op in parameters(c.swagger)]
    for pointer, item, where in found:
        fmt = item.get("format")
        if fmt is not None and (not isinstance(fmt, str) or fmt not in FORMATS):
            yield Problem(SWAGGER, pointer, f"{where}: format '{fmt}' is not supported; use one of "
                                            f"{', '.join(sorted(FORMATS))} or leave it out")


@rule("EnumValueTypes", "Every enum value has the type of its schema or parameter.",
      profile=CERTIFICATION, severity=WARNING, source=SWAGGER_SPEC,
      rationale="The designer offers enum values in a drop-down and sends the one picked; a value of another type "
                "(\"1\" for an integer) is sent as the wrong JSON type or refused.",
      fix="Write the enum values in the declared type (1, not \"1\"), or change the type.")
def enum_value_types(c: Connector):
    found = [(pointer, schema, where) for pointer, schema, where in all_schemas(c)]
    found += [(pointer, p, f"{op} parameter '{p.get('name')}'") for pointer, p, _, op in parameters(c.swagger)]
    for pointer, item, where in found:
        allowed = ENUM_TYPES.get(item["type"]) if isinstance(item.get("type"), str) else None
        if allowed is None or not isinstance(item.get("enum"), list):
            continue
        for index, value in enumerate(item["enum"]):
            if value is None and item.get("x-nullable") is True:
                continue
            if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
                yield Problem(SWAGGER, (*pointer, "enum", index),
                              f"{where}: enum value {value!r} is not of type {item['type']}")


@rule("RefUsage", "A $ref names an existing definition.",
      profile=PLATFORM, source=SWAGGER_SPEC,
      rationale="A $ref to nothing fails the import.",
      fix="Point the $ref at an existing definition.")
def ref_usage(c: Connector):
    definitions = obj(c.swagger.get("definitions"))
    for pointer, schema, where in all_schemas(c):
        ref = schema.get("$ref")
        if ref is None:
            continue
        name = str(ref).removeprefix("#/definitions/").replace("~1", "/").replace("~0", "~")
        in_definitions = str(ref).startswith("#/definitions/") and name in definitions
        if not in_definitions and (not str(ref).startswith("#/") or _resolves(c.swagger, str(ref)) is None):
            yield Problem(SWAGGER, pointer, f"{where}: $ref '{ref}' names no definition")


@rule("RecursiveRef", "No definition refers to itself through $ref; nothing stands beside a $ref.",
      profile=CERTIFICATION, severity=WARNING, source=VALIDATOR_DOC,
      rationale="The designer cannot show recursive schemas, and ignores keys beside a $ref.",
      fix="Cut the loop (an untyped object at the recursive place) and move sibling keys into the definition.")
def recursive_ref(c: Connector):
    definitions = obj(c.swagger.get("definitions"))
    for pointer, schema, where in all_schemas(c):
        if "$ref" in schema:
            extra = sorted(k for k in set(schema) - {"$ref", "description", "title"} if not k.startswith("x-ms-"))
            if extra:
                yield Problem(SWAGGER, pointer, f"{where}: keys beside $ref are ignored ({', '.join(extra)}); "
                                                "move them into the definition")
    for name in definitions:
        if _reaches(definitions, name, name, set()):
            yield Problem(SWAGGER, ("definitions", name), f"definition {name} refers to itself through $ref; "
                                                          "the designer cannot show recursive schemas")


def _resolves(swagger: dict, ref: str):
    target = swagger
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, dict) or part not in target:
            return None
        target = target[part]
    return target


def _refs(schema) -> list[str]:
    if isinstance(schema, dict):
        found = [str(schema["$ref"]).removeprefix("#/definitions/")] if "$ref" in schema else []
        for value in schema.values():
            found += _refs(value)
        return found
    if isinstance(schema, list):
        return [ref for item in schema for ref in _refs(item)]
    return []


def _reaches(definitions: dict, start: str, target: str, seen: set) -> bool:
    stack = [start]
    while stack:  # iterative: a long chain of definitions must not exhaust the recursion limit
        for ref in _refs(definitions.get(stack.pop(), {})):
            if ref == target:
                return True
            if ref not in seen:
                seen.add(ref)
                stack.append(ref)
    return False
