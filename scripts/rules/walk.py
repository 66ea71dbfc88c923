"""Walk a rendered Swagger document: operations, parameters, and every schema with its pointer.

Any connector folder can be validated, so the walk never assumes a shape: a node of the wrong type
is skipped here (the Swagger 2.0 check reports it) and the rules read it through ``obj``/``seq``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

METHODS = ("get", "put", "post", "patch", "delete", "options", "head")


def json_objects(c: Any) -> list:
    """``trails(c.swagger)``: every JSON object of the definition with its trail, walked once per
    connector for the rules that look at all of them (DynamicOperationExists, ExternalReference)."""
    if "json_objects" not in c.cache:
        from ..trails import trails

        c.cache["json_objects"] = list(trails(c.swagger))
    return c.cache["json_objects"]


def obj(value: Any) -> dict:
    """``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def seq(value: Any) -> list:
    """``value`` if it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []


def text(value: Any) -> str:
    """``value`` if it is a string, else an empty one."""
    return value if isinstance(value, str) else ""


def host_replaced(properties: dict) -> bool:
    """A dynamichosturl policy replaces host and basePath at run time: the definition's host is a placeholder."""
    return any(str(obj(p).get("templateId")).lower() in ("dynamichosturl", "dynamicsubdomain")
               for p in seq(obj(properties.get("properties")).get("policyTemplateInstances")))


def operations(swagger: dict) -> Iterator[tuple[tuple, str, str, dict]]:
    """(pointer, path, method, operation) for each operation."""
    for path, item in obj(swagger.get("paths")).items():
        for method, op in obj(item).items():
            if method in METHODS and isinstance(op, dict):
                yield ("paths", path, method), path, method, op


def operation_ids(swagger: dict) -> set[str]:
    return {op["operationId"] for _, _, _, op in operations(swagger) if isinstance(op.get("operationId"), str)}


def op_name(op: dict, path: str, method: str) -> str:
    op_id = op.get("operationId")
    return f"operation {op_id if isinstance(op_id, str) and op_id else method.upper() + ' ' + path}"


def parameters(swagger: dict) -> Iterator[tuple[tuple, dict, dict, str]]:
    """(pointer, parameter, operation, operation name) for each operation parameter."""
    for pointer, path, method, op in operations(swagger):
        for index, param in enumerate(seq(op.get("parameters"))):
            if isinstance(param, dict) and "$ref" not in param:
                yield (*pointer, "parameters", index), param, op, op_name(op, path, method)


def responses(op: dict) -> Iterator[tuple[str, dict]]:
    for code, response in obj(op.get("responses")).items():
        if isinstance(response, dict):
            yield str(code), response


def schemas(swagger: dict) -> Iterator[tuple[tuple, dict, str]]:
    """(pointer, schema, where) for every schema node: definitions, bodies, responses, nested."""
    for name, schema in obj(swagger.get("definitions")).items():
        yield from _nested(("definitions", name), schema, f"definition {name}")
    for pointer, path, method, op in operations(swagger):
        where = op_name(op, path, method)
        for index, param in enumerate(seq(op.get("parameters"))):
            if isinstance(param, dict) and "schema" in param:
                yield from _nested((*pointer, "parameters", index, "schema"), param["schema"],
                                   f"{where} body '{param.get('name')}'")
        for code, response in responses(op):
            if "schema" in response:
                yield from _nested((*pointer, "responses", code, "schema"), response["schema"],
                                   f"{where} response {code}")


def all_schemas(c) -> list[tuple[tuple, dict, str]]:
    """``schemas(c.swagger)``, walked once per connector (``c.cache``): several rules read every schema."""
    found = c.cache.get("schemas")
    if found is None:
        found = c.cache["schemas"] = list(schemas(c.swagger))
    return found


def all_properties(c) -> list[tuple[tuple, str, dict, str]]:
    """(pointer, property name, property schema, where) for every object property, once per connector."""
    found = c.cache.get("properties")
    if found is None:
        found = c.cache["properties"] = list(_properties_of(all_schemas(c)))
    return found


def _properties_of(found) -> Iterator[tuple[tuple, str, dict, str]]:
    for pointer, schema, where in found:
        for name, prop in obj(schema.get("properties")).items():
            if isinstance(prop, dict):
                yield (*pointer, "properties", name), name, prop, f"{where} property '{name}'"


def _nested(pointer: tuple, schema: Any, where: str, depth: int = 0) -> Iterator[tuple[tuple, dict, str]]:
    if not isinstance(schema, dict) or depth > 64:  # 64: deeper than any real schema, and no recursion blow-up
        return
    yield pointer, schema, where
    for name, prop in obj(schema.get("properties")).items():
        yield from _nested((*pointer, "properties", name), prop, f"{where}.{name}", depth + 1)
    if isinstance(schema.get("items"), dict):
        yield from _nested((*pointer, "items"), schema["items"], f"{where}[]", depth + 1)
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _nested((*pointer, "additionalProperties"), schema["additionalProperties"], f"{where}{{}}",
                           depth + 1)
