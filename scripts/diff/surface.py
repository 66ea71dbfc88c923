"""The surface of a connector that flows depend on, read from its apiDefinition and apiProperties.

A flow (or a Power App, or a Logic App) built on a connector refers to operations by operationId,
to inputs by key (``name`` for path/query/header parameters, ``<body name>/<property>/...`` for
the properties of a body, as the designer writes them into a flow's ``parameters``), to outputs by
property path (``objects.message_uuid``), and to a connection by its parameters and auth type.
``read_surface`` reduces the two JSON documents to exactly that, so the comparison in
``compare.py`` never has to know about ``$ref``, ``allOf`` or the difference between a body and a
query parameter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_MAX_DEPTH = 12  # nesting limit for schemas
# A schema that reuses definitions at every level (A has two Bs, B two Cs...) grows exponentially
# when flattened; real connectors have a few hundred properties per operation at most.
_MAX_FIELDS = 5000
_PATH_PARAMETER = re.compile(r"\{[^}]*\}")
_CONNECTION_REFERENCE = re.compile(r"@connectionParameters\('[^']*'\)")


# An immutable record as a NamedTuple, not a frozen dataclass: the same fields, defaults, equality,
# hash and repr, without the ~1 ms @dataclass spends at every start-up compiling its methods.
class Field(NamedTuple):
    """One input key or output property: what a flow relies on about it."""

    key: str
    type: str | None = None  # "string", "array<string>", "object", ...
    format: str | None = None
    enum: tuple | None = None
    required: bool = False
    has_default: bool = False
    summary: str | None = None  # x-ms-summary: the display name
    description: str | None = None
    visibility: str | None = None
    location: str | None = None  # inputs: path, query, header, body, formData
    unknown: tuple[str, ...] = ()  # attributes a record does not know (the published one: format, enum)
    truncated: bool = False  # its properties were not listed (a recursive definition, or the size limit)


# Plain classes, not @dataclass: this is all they need, and @dataclass spends ~0.6 ms of every start-up
# (build runs this module) compiling methods (equality, repr) that nothing here uses.
class Operation:
    def __init__(self, operation_id: str, method: str, path: str, summary: str | None = None,
                 description: str | None = None, deprecated: bool = False, visibility: str | None = None,
                 trigger: str | None = None, family: str = "", revision: int = 1,
                 inputs: dict[str, Field] | None = None, outputs: dict[str, Field] | None = None):
        self.operation_id = operation_id
        self.method = method
        self.path = path  # the request path as sent, base path and host template included
        self.summary = summary
        self.description = description
        self.deprecated = deprecated
        self.visibility = visibility
        self.trigger = trigger  # None for an action; "single/polling", "batch/webhook", ...
        self.family = family  # x-ms-api-annotation family (the operationId when there is none)
        self.revision = revision
        self.inputs: dict[str, Field] = {} if inputs is None else inputs
        self.outputs: dict[str, Field] = {} if outputs is None else outputs

    def __repr__(self) -> str:
        return f"Operation({self.operation_id!r}, {self.method!r}, {self.path!r})"

    @property
    def path_shape(self) -> str:
        """The path with parameter names blanked: a renamed path parameter is an input change, not a new path."""
        return _PATH_PARAMETER.sub("{}", self.path)


class Surface:
    def __init__(self, operations: dict[str, Operation] | None = None, auth: tuple[str, ...] = (),
                 connection: dict[str, Field] | None = None):
        self.operations: dict[str, Operation] = {} if operations is None else operations
        self.auth = auth  # e.g. ("basic",), ("oauth2/accessCode",)
        self.connection: dict[str, Field] = {} if connection is None else connection


class Resolver:
    """Follows local ``$ref``s (``#/definitions/X``, ``#/parameters/X``, ``#/responses/X``)."""

    def __init__(self, document: dict):
        self.document = document

    def resolve(self, node: Any) -> Any:
        return self.follow(node)[0]

    def follow(self, node: Any) -> tuple[dict, frozenset[str]]:
        """The node a chain of ``$ref``s ends at, and the refs followed on the way."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen or not ref.startswith("#/"):
                return {}, frozenset(seen)
            seen.add(ref)
            target: Any = self.document
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                target = target.get(part) if isinstance(target, dict) else None
            node = target if isinstance(target, dict) else {}
        return (node if isinstance(node, dict) else {}), frozenset(seen)


def read_surface(swagger: dict, properties: dict | None = None,
                 detailed: Callable[[str, str], bool] | None = None) -> Surface:
    """The flow-facing surface of a connector. Tolerant: odd or missing parts are read as absent.

    ``detailed(operation_id, family)``, when given, says which operations need their inputs and
    outputs read (the costly part); the others get empty ones. A comparison against a base that
    only looks at the operations the base has, or at later revisions of them, can skip the rest.
    """
    swagger = swagger if isinstance(swagger, dict) else {}
    props = (properties or {}).get("properties", {}) if isinstance(properties, dict) else {}
    props = props if isinstance(props, dict) else {}
    resolver = Resolver(swagger)
    prefix = _path_prefix(swagger, props)
    surface = Surface(auth=_auth(swagger, props), connection=_connection(props))
    paths = swagger.get("paths") if isinstance(swagger.get("paths"), dict) else {}
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        shared = item.get("parameters") if isinstance(item.get("parameters"), list) else []
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            operation_id = op.get("operationId")
            if not isinstance(operation_id, str):
                operation_id = f"{method.upper()} {path}"
            annotation = op.get("x-ms-api-annotation") if isinstance(op.get("x-ms-api-annotation"), dict) else {}
            revision = annotation.get("revision", 1)
            params = op.get("parameters") if isinstance(op.get("parameters"), list) else []
            family = str(annotation.get("family") or operation_id)
            detail = detailed is None or detailed(operation_id, family)
            surface.operations[operation_id] = Operation(
                operation_id=operation_id,
                method=method.upper(),
                path=prefix + path,
                summary=op.get("summary"),
                description=op.get("description"),
                deprecated=op.get("deprecated") is True,
                visibility=op.get("x-ms-visibility"),
                trigger=_trigger(op, params, resolver),
                family=family,
                revision=revision if isinstance(revision, int) else 1,
                inputs=_inputs(_merge_parameters(shared, params, resolver), resolver) if detail else {},
                outputs=_outputs(op, resolver) if detail else {},
            )
    return surface


def _path_prefix(swagger: dict, props: dict) -> str:
    """What the platform puts before each path: the path of a ``dynamichosturl`` template, else basePath.

    A connection-parameter reference in the template becomes ``{}``, like a path parameter, so
    moving the account id from a path parameter to the host template keeps the same shape.
    """
    for policy in props.get("policyTemplateInstances") or []:
        if isinstance(policy, dict) and policy.get("templateId") == "dynamichosturl":
            template = (policy.get("parameters") or {}).get("x-ms-apimTemplateParameter.urlTemplate")
            if isinstance(template, str):
                template = _CONNECTION_REFERENCE.sub("{}", template)
                without_scheme = template.split("://", 1)[-1]
                return "/" + without_scheme.split("/", 1)[1].rstrip("/") if "/" in without_scheme else ""
    base = swagger.get("basePath")
    return base.rstrip("/") if isinstance(base, str) else ""


def _merge_parameters(shared: list, own: list, resolver: Resolver) -> list[dict]:
    """Path-item parameters overridden by the operation's own (same name and location)."""
    merged: dict[tuple, dict] = {}
    for raw in [*shared, *own]:
        param = resolver.resolve(raw)
        if isinstance(param.get("name"), str):
            merged[(param["name"], param.get("in"))] = param
    return list(merged.values())


def _type_of(schema: dict, resolver: Resolver, depth: int = 0) -> str | None:
    schema = resolver.resolve(schema)
    kind = schema.get("type")
    if kind == "array" and depth < _MAX_DEPTH:
        inner = _type_of(schema.get("items") or {}, resolver, depth + 1)
        return f"array<{inner}>" if inner else "array"
    if kind is None and (schema.get("properties") or schema.get("allOf")):
        return "object"
    return kind if isinstance(kind, str) else None


def _field(key: str, node: dict, resolver: Resolver, *, required: bool, location: str | None = None) -> Field:
    enum = node.get("enum")
    return Field(
        key=key,
        type=_type_of(node, resolver),
        format=node.get("format") if isinstance(node.get("format"), str) else None,
        enum=tuple(enum) if isinstance(enum, list) else None,
        required=required,
        has_default="default" in node,
        summary=node.get("x-ms-summary"),
        description=node.get("description"),
        visibility=node.get("x-ms-visibility"),
        location=location,
    )


def _properties(schema: dict, resolver: Resolver) -> tuple[dict[str, dict], set[str]]:
    """Properties (as written, ``$ref``s unresolved) and required names of an object schema, ``allOf`` merged."""
    schema = resolver.resolve(schema)
    props: dict[str, dict] = {}
    required: set[str] = set()
    for part in [schema, *[resolver.resolve(p) for p in schema.get("allOf") or [] if isinstance(p, dict)]]:
        if isinstance(part.get("properties"), dict):
            props.update({k: v for k, v in part["properties"].items() if isinstance(v, dict)})
        if isinstance(part.get("required"), list):
            required.update(r for r in part["required"] if isinstance(r, str))
    return props, required


def _local(node: dict) -> dict:
    """Keys written beside a ``$ref`` (x-ms-summary, description) win over the target's."""
    return {k: v for k, v in node.items() if k != "$ref"}


def _walk(prefix: str, schema: dict, resolver: Resolver, out: dict[str, Field], *, sep: str,
          inputs: bool, depth: int = 0, seen: frozenset[str] = frozenset()) -> bool:
    """Add a Field per (nested) property of ``schema`` under ``prefix``; array items share the array's path.

    A definition met again below itself (a tree node's children) is not entered again: its
    properties are listed once, where it first appears. Returns False when the walk was cut there
    (or by the limits), so the caller marks the field as truncated.
    """
    if depth >= _MAX_DEPTH or len(out) >= _MAX_FIELDS:
        return False
    schema, refs = resolver.follow(schema)
    if schema.get("type") == "array":
        schema, more = resolver.follow(schema.get("items") or {})
        refs |= more
    for part in schema.get("allOf") or []:
        refs |= resolver.follow(part)[1]
    if refs & seen:
        return False
    seen |= refs
    props, required = _properties(schema, resolver)
    for name, raw in props.items():
        key = f"{prefix}{sep}{name}" if prefix else name
        sub = resolver.resolve(raw) | _local(raw)
        out[key] = _field(key, sub, resolver, required=name in required, location="body" if inputs else None)
        if not _walk(key, raw, resolver, out, sep=sep, inputs=inputs, depth=depth + 1, seen=seen):
            out[key] = out[key]._replace(truncated=True)
    return True


def _inputs(params: list[dict], resolver: Resolver) -> dict[str, Field]:
    inputs: dict[str, Field] = {}
    for param in params:
        name, where = param["name"], param.get("in")
        if where == "body":
            schema = resolver.resolve(param.get("schema") or {})
            inputs[name] = _field(name, schema | {k: v for k, v in param.items() if k.startswith("x-ms-")},
                                  resolver, required=param.get("required") is True, location="body")
            _walk(name, schema, resolver, inputs, sep="/", inputs=True)
        else:
            inputs[name] = _field(name, param, resolver, required=param.get("required") is True,
                                  location=where if isinstance(where, str) else None)
    return inputs


def _outputs(op: dict, resolver: Resolver) -> dict[str, Field]:
    """The properties of the success response's body, by path (``meta.limit``, ``objects.units``)."""
    responses = op.get("responses") if isinstance(op.get("responses"), dict) else {}
    codes = sorted(str(c) for c in responses if str(c).startswith("2"))
    for code in [*codes, "default"]:
        response = resolver.resolve(responses.get(code) or responses.get(int(code) if code.isdigit() else code))
        if isinstance(response.get("schema"), dict):
            outputs: dict[str, Field] = {}
            _walk("", response["schema"], resolver, outputs, sep=".", inputs=False)
            return outputs
    return {}


def _trigger(op: dict, params: list, resolver: Resolver) -> str | None:
    kind = op.get("x-ms-trigger")
    if not isinstance(kind, str):
        return None
    webhook = any(_has_notification_url(resolver.resolve(p), resolver) for p in params)
    return f"{kind}/{'webhook' if webhook else 'polling'}"


def _has_notification_url(param: dict, resolver: Resolver) -> bool:
    if param.get("x-ms-notification-url") is True:
        return True
    props, _ = _properties(param.get("schema") or {}, resolver)
    return any((resolver.resolve(p) | _local(p)).get("x-ms-notification-url") is True for p in props.values())


def _auth(swagger: dict, props: dict) -> tuple[str, ...]:
    kinds = set()
    definitions = swagger.get("securityDefinitions")
    for scheme in (definitions.values() if isinstance(definitions, dict) else []):
        if isinstance(scheme, dict) and isinstance(scheme.get("type"), str):
            flow = scheme.get("flow")
            kinds.add(scheme["type"] + (f"/{flow}" if isinstance(flow, str) else ""))
    for param in (props.get("connectionParameters") or {}).values():
        if isinstance(param, dict) and param.get("type") == "oauthSetting":
            provider = (param.get("oAuthSettings") or {}).get("identityProvider")
            kinds.add(f"oauthSetting/{provider}")
    return tuple(sorted(kinds))


def _connection(props: dict) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    sets = props.get("connectionParameterSets")
    groups = [("", props.get("connectionParameters"))]
    if isinstance(sets, dict):
        groups += [(f"{s.get('name')}/", s.get("parameters")) for s in sets.get("values") or []
                   if isinstance(s, dict)]
    for prefix, params in groups:
        for name, param in (params.items() if isinstance(params, dict) else []):
            if not isinstance(param, dict):
                continue
            ui = param.get("uiDefinition") if isinstance(param.get("uiDefinition"), dict) else {}
            constraints = ui.get("constraints") if isinstance(ui.get("constraints"), dict) else {}
            required = str(constraints.get("required", "false")).lower() == "true"
            fields[prefix + name] = Field(key=prefix + name, type=param.get("type"), required=required,
                                          summary=ui.get("displayName"), description=ui.get("description"))
    return fields
