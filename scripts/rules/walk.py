"""Walk a rendered Swagger document: operations, parameters, and every schema with its pointer."""

from __future__ import annotations

from collections.abc import Iterator

METHODS = ("get", "put", "post", "patch", "delete", "options", "head")


def operations(swagger: dict) -> Iterator[tuple[tuple, str, str, dict]]:
    """(pointer, path, method, operation) for each operation."""
    for path, item in swagger.get("paths", {}).items():
        for method, op in item.items():
            if method in METHODS and isinstance(op, dict):
                yield ("paths", path, method), path, method, op


def op_name(op: dict, path: str, method: str) -> str:
    return f"operation {op.get('operationId') or method.upper() + ' ' + path}"


def parameters(swagger: dict) -> Iterator[tuple[tuple, dict, dict, str]]:
    """(pointer, parameter, operation, operation name) for each operation parameter."""
    for pointer, path, method, op in operations(swagger):
        for index, param in enumerate(op.get("parameters", [])):
            if isinstance(param, dict) and "$ref" not in param:
                yield (*pointer, "parameters", index), param, op, op_name(op, path, method)


def schemas(swagger: dict) -> Iterator[tuple[tuple, dict, str]]:
    """(pointer, schema, where) for every schema node: definitions, bodies, responses, nested."""
    for name, schema in swagger.get("definitions", {}).items():
        yield from _nested(("definitions", name), schema, f"definition {name}")
    for pointer, path, method, op in operations(swagger):
        where = op_name(op, path, method)
        for index, param in enumerate(op.get("parameters", [])):
            if isinstance(param, dict) and "schema" in param:
                yield from _nested((*pointer, "parameters", index, "schema"), param["schema"],
                                   f"{where} body '{param.get('name')}'")
        for code, response in op.get("responses", {}).items():
            if isinstance(response, dict) and "schema" in response:
                yield from _nested((*pointer, "responses", code, "schema"), response["schema"],
                                   f"{where} response {code}")


def properties(swagger: dict) -> Iterator[tuple[tuple, str, dict, str]]:
    """(pointer, property name, property schema, where) for every object property."""
    for pointer, schema, where in schemas(swagger):
        for name, prop in schema.get("properties", {}).items():
            if isinstance(prop, dict):
                yield (*pointer, "properties", name), name, prop, f"{where} property '{name}'"


def _nested(pointer: tuple, schema: dict, where: str) -> Iterator[tuple[tuple, dict, str]]:
    if not isinstance(schema, dict):
        return
    yield pointer, schema, where
    for name, prop in schema.get("properties", {}).items():
        yield from _nested((*pointer, "properties", name), prop, f"{where}.{name}")
    if isinstance(schema.get("items"), dict):
        yield from _nested((*pointer, "items"), schema["items"], f"{where}[]")
