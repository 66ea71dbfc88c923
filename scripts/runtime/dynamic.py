"""Drop-downs: resolve an input's ``x-ms-dynamic-values`` to the value/title pairs a maker picks from.

The extension sits on a parameter or on a body schema property: ``operationId`` (the list
operation to call), ``parameters`` (its inputs: a literal, ``{"value": literal}``, or
``{"parameter": "key"}`` taking the value of another input of the operation being filled in),
``value-collection`` (slash-separated path to the array in the response; absent = the body is the
array), ``value-path`` and ``value-title`` (slash-separated paths inside each item).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import CallError, InputError, UnsupportedError
from .runtime import Runtime

KEYS = {"operationId", "parameters", "value-collection", "value-path", "value-title"}


@dataclass(frozen=True)
class Option:
    value: Any
    title: str


def options(runtime: Runtime, operation_id: str, input_key: str,
            values: Mapping[str, Any] | None = None) -> list[Option]:
    operation = runtime.connector.operation(operation_id)
    inp = operation.input(input_key)
    if inp is None:
        raise InputError(f"unknown input {input_key!r} for {operation_id}; its inputs: "
                         + ", ".join(i.key for i in operation.inputs))
    spec = inp.dynamic_values
    if not spec:
        with_lists = [i.key for i in operation.inputs if i.dynamic_values]
        raise InputError(f"input {input_key!r} of {operation_id} has no x-ms-dynamic-values (inputs with a "
                         f"drop-down: {', '.join(with_lists) or 'none'})")
    unknown = sorted(set(spec) - KEYS)
    if unknown:
        raise UnsupportedError(f"x-ms-dynamic-values of {input_key!r}: {', '.join(unknown)} not reproduced "
                               f"(reproduced: {', '.join(sorted(KEYS))})")
    if "operationId" not in spec or "value-path" not in spec:
        raise UnsupportedError(f"x-ms-dynamic-values of {input_key!r} needs operationId and value-path")
    arguments = _arguments(spec.get("parameters") or {}, values or {}, input_key)
    body = runtime.call(spec["operationId"], arguments).body
    collection = _at(body, spec.get("value-collection", ""), "value-collection")
    if not isinstance(collection, list):
        raise CallError(f"{spec['operationId']}: value-collection {spec.get('value-collection', '')!r} is not an "
                        f"array in the response", body=body)
    title_path = spec.get("value-title", spec["value-path"])
    return [Option(_at(item, spec["value-path"], "value-path"), str(_at(item, title_path, "value-title")))
            for item in collection]


def _arguments(parameters: Mapping[str, Any], values: Mapping[str, Any], input_key: str) -> dict[str, Any]:
    arguments = {}
    for name, spec in parameters.items():
        if isinstance(spec, dict) and set(spec) == {"parameter"}:
            if values.get(spec["parameter"]) is None:
                raise InputError(f"the drop-down of {input_key!r} needs input {spec['parameter']!r} "
                                 f"(it fills parameter {name!r} of the list operation)")
            arguments[name] = values[spec["parameter"]]
        elif isinstance(spec, dict) and set(spec) == {"value"}:
            arguments[name] = spec["value"]
        elif isinstance(spec, dict):
            raise UnsupportedError(f"x-ms-dynamic-values parameter {name!r}: {spec!r} is not a literal, "
                                   f"{{\"value\": ...}} or {{\"parameter\": ...}}")
        else:
            arguments[name] = spec
    return arguments


def _at(node: Any, path: str, what: str) -> Any:
    for part in filter(None, path.split("/")):
        if not isinstance(node, dict) or part not in node:
            raise CallError(f"{what} {path!r} finds nothing in the response")
        node = node[part]
    return node
