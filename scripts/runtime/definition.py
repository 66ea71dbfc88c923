"""Read the rendered connector: its operations and their inputs, as the designer presents them.

Everything the emulator does is driven from here, from apiDefinition.swagger.json and
apiProperties.json alone, so an operation added to connector/ is runnable without any code.

An input is what a maker fills in: a path, query or header parameter (key = parameter name), or,
for a JSON body whose schema is an object with properties, each leaf property (key = the property
names joined with ".", e.g. ``a.b``); a body whose schema has no properties is one input keyed by
the body parameter's name. The body parameter's name also accepts the whole body as a JSON object.
"""

from __future__ import annotations

import json
from collections import namedtuple
from pathlib import Path

from ..swagger_schema import SchemaRefError, resolve_refs
from .errors import DefinitionError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up of `run --list`)
if TYPE_CHECKING:
    from typing import Any

DEFINITION_FILE = "apiDefinition.swagger.json"
PROPERTIES_FILE = "apiProperties.json"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
TYPE_OF = {str: "string", bool: "boolean", int: "integer", float: "number", dict: "object", list: "array"}


# Input and Operation are named tuples, not dataclasses: this module is all that `run --list` needs,
# and the dataclasses module (with inspect) plus building the classes cost more than the rest of it.
_INPUT_FIELDS = (
    "key",             # what the maker fills in, as --input takes it
    "name",            # x-ms-summary, else the key: what the designer shows
    "location",        # path | query | header | body | formData
    "type",            # JSON type, "" when the definition leaves it open
    "required",
    "visibility",      # important | advanced | internal | "" (normal)
    "schema",
    "has_default", "default",
    "wire_name",       # the parameter name on the wire (path/query/header)
    "property_path",   # body properties: where the value goes in the body
    "url_encoding", "collection_format", "dynamic_values", "description",
)


class Input(namedtuple("Input", _INPUT_FIELDS, defaults=(False, None, "", (), "single", "csv", None, ""))):
    """One input of an operation (immutable; ``_replace`` makes a changed copy)."""

    __slots__ = ()

    @property
    def internal(self) -> bool:
        return self.visibility == "internal"


_OPERATION_FIELDS = (
    "id",
    "method",          # upper case
    "path", "summary", "description", "visibility",
    "trigger",         # x-ms-trigger: batch | single | None for actions
    "inputs",          # tuple of Input
    "responses",
    "consumes",
    "security",        # names of the security definitions that apply
    "body_param",      # name of the body parameter whose properties are inputs
    "body_required",
    "notification",    # the path's x-ms-notification-content (webhook triggers)
)


class Operation(namedtuple("Operation", _OPERATION_FIELDS, defaults=(None, False, None))):
    """One action or trigger (immutable)."""

    __slots__ = ()

    def input(self, key: str) -> Input | None:
        return next((inp for inp in self.inputs if inp.key == key), None)


class Connector:
    """The rendered definition and properties, and the operations read from them."""

    def __init__(self, swagger: dict[str, Any], properties: dict[str, Any], operations: dict[str, Operation]):
        self.swagger = swagger
        self.properties = properties
        self.operations = operations

    def __repr__(self) -> str:
        return f"Connector({len(self.operations)} operations)"

    @property
    def policies(self) -> list[dict[str, Any]]:
        return list(self.properties.get("properties", {}).get("policyTemplateInstances", []) or [])

    def operation(self, operation_id: str) -> Operation:
        found = self.operations.get(operation_id)
        if found is None:
            import difflib

            # Close names, not the whole list: it grows with every operation.
            lower = {k.lower(): k for k in sorted(self.operations)}
            close = [lower[c] for c in difflib.get_close_matches(operation_id.lower(), lower, 3, 0.6)]
            hint = f"did you mean {', '.join(close)}?" if close else "none is close"
            raise DefinitionError(f"unknown operationId {operation_id!r}; {hint} (--list shows all "
                                  f"{len(self.operations)})")
        return found

    @classmethod
    def from_dicts(cls, swagger: dict[str, Any], properties: dict[str, Any], *, private_copy: bool = True) -> Connector:
        """The connector of two documents, copied first unless the caller says with
        ``private_copy=False`` that nothing will change them (a read-only renderer, or ``load``,
        which has just parsed them)."""
        if private_copy:
            import copy

            swagger = copy.deepcopy(swagger)
            properties = copy.deepcopy(properties)
        return cls(swagger, properties, _operations(swagger))

    @classmethod
    def load(cls, root: str | Path) -> Connector:
        root = Path(root)
        files = []
        for name in (DEFINITION_FILE, PROPERTIES_FILE):
            path = root / name
            try:
                files.append(json.loads(path.read_text(encoding="utf-8")))
            except FileNotFoundError:
                raise DefinitionError(f"{path} not found: --root must be the folder with the rendered "
                                      f"files (run `plivo-connector build` first)") from None
            except (OSError, ValueError) as exc:
                raise DefinitionError(f"{path}: cannot read it as JSON: {exc}") from None
        return cls.from_dicts(*files, private_copy=False)  # parsed here: no one else holds them


def resolve(node: Any, swagger: dict[str, Any]) -> Any:
    """``node`` with every local ``$ref`` inlined (the runtime sees the same expanded schema)."""
    try:
        return resolve_refs(node, swagger)
    except SchemaRefError as error:
        raise DefinitionError(str(error)) from None


def _operations(swagger: dict[str, Any]) -> dict[str, Operation]:
    operations: dict[str, Operation] = {}
    default_security = swagger.get("security")
    for path, item in (swagger.get("paths") or {}).items():
        shared = [resolve(p, swagger) for p in item.get("parameters", [])]
        for method in METHODS:
            spec = item.get(method)
            if not isinstance(spec, dict):
                continue
            op_id = spec.get("operationId") or f"{method.upper()} {path}"
            own = [resolve(p, swagger) for p in spec.get("parameters", [])]
            names = {(p.get("in"), p.get("name")) for p in own}
            params = [p for p in shared if (p.get("in"), p.get("name")) not in names] + own
            inputs, body_param, body_required = _inputs(op_id, params)
            security = spec.get("security", default_security) or []
            seen: set[str] = set()
            for inp in inputs:
                if inp.key in seen:
                    raise DefinitionError(f"{op_id}: two inputs have the key {inp.key!r}")
                seen.add(inp.key)
            operations[op_id] = Operation(
                id=op_id, method=method.upper(), path=path, summary=spec.get("summary", ""),
                description=spec.get("description", ""), visibility=spec.get("x-ms-visibility", ""),
                trigger=spec.get("x-ms-trigger"), inputs=tuple(inputs),
                responses=resolve(spec.get("responses", {}), swagger),
                consumes=tuple(spec.get("consumes", swagger.get("consumes", ["application/json"]))),
                security=tuple(name for requirement in security for name in requirement),
                body_param=body_param, body_required=body_required,
                notification=resolve(item["x-ms-notification-content"], swagger)
                if spec.get("x-ms-trigger") == "single" and "x-ms-notification-content" in item else None)
    return operations


def _inputs(op_id: str, params: list[dict[str, Any]]) -> tuple[list[Input], str | None, bool]:
    inputs: list[Input] = []
    body_param, body_required = None, False
    for param in params:
        location = param.get("in", "")
        if location != "body":
            inputs.append(Input(
                key=param["name"], name=param.get("x-ms-summary") or param["name"], location=location,
                type=param.get("type", ""), required=bool(param.get("required")),
                visibility=param.get("x-ms-visibility", ""), schema=param, has_default="default" in param,
                default=param.get("default"), wire_name=param["name"],
                url_encoding=param.get("x-ms-url-encoding", "single"),
                collection_format=param.get("collectionFormat", "csv"),
                dynamic_values=param.get("x-ms-dynamic-values"), description=param.get("description", "")))
            continue
        schema = param.get("schema") or {}
        if schema.get("properties") and schema.get("type", "object") == "object":
            body_param, body_required = param["name"], bool(param.get("required"))
            inputs.extend(_flatten(schema, (), body_required, param.get("x-ms-visibility", "")))
        else:  # an array, a string or an open object: one input for the whole body
            inputs.append(Input(
                key=param["name"], name=param.get("x-ms-summary") or param["name"], location="body",
                type=schema.get("type", ""), required=bool(param.get("required")),
                visibility=param.get("x-ms-visibility", ""), schema=schema, has_default="default" in schema,
                default=schema.get("default"), dynamic_values=schema.get("x-ms-dynamic-values"),
                description=param.get("description", "")))
    return inputs, body_param, body_required


def _flatten(schema: dict[str, Any], path: tuple[str, ...], required: bool, parent_visibility: str) -> list[Input]:
    """One input per leaf property. A property is required only if every level above it is: the
    designer asks for a required field of an optional object only once that object is used."""
    result = []
    required_names = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        here = (*path, name)
        is_required = required and name in required_names
        visibility = prop.get("x-ms-visibility", "")
        if parent_visibility == "internal":
            visibility = "internal"  # a hidden object hides everything in it
        if prop.get("properties") and prop.get("type", "object") == "object":
            result.extend(_flatten(prop, here, is_required, visibility or parent_visibility))
            continue
        result.append(Input(
            key=".".join(here), name=prop.get("x-ms-summary") or name, location="body",
            type=prop.get("type", ""), required=is_required, visibility=visibility, schema=prop,
            has_default="default" in prop, default=prop.get("default"), property_path=here,
            dynamic_values=prop.get("x-ms-dynamic-values"), description=prop.get("description", "")))
    return result
