"""Apply apiProperties' policy templates to a built request, in the order they are listed.

A template applies to an operation when its ``x-ms-apimTemplate-operationName`` lists that
operationId, or when it has no such list (then it applies to every operation). Reproduced:
dynamichosturl, routerequesttoendpoint, setheader, setqueryparameter, and the request side of
pollingtrigger (the poller does the rest); in the Response section (``apply_response``), setheader
and setproperty. Any other template that applies, any parameter this
module does not know, and any expression ``scripts.expressions`` cannot evaluate raise an error:
skipping one would make a request the platform would never send look right.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from scripts.expressions import ExpressionError, evaluate
from scripts.render.policy_templates import OPERATIONS_KEY, PARAMETER_PREFIX, TEMPLATES

from .definition import Connector, Operation
from .errors import UnsupportedError
from .request import HttpRequest, encode_path_value

SECTION_KEY = "x-ms-apimTemplate-policySection"
# template -> (required, optional) parameters, without the prefix: the rules' table, for the
# templates this emulator reproduces.
REPRODUCED = {name: TEMPLATES[name] for name in
              ("dynamichosturl", "routerequesttoendpoint", "setheader", "setqueryparameter", "pollingtrigger",
               "setproperty")}
RESPONSE_TEMPLATES = ("setheader", "setproperty")
EXISTS_ACTIONS = ("override", "skip", "append")
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
ORIGINAL_METHOD = "@Request.OriginalHTTPMethod"
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def applies_to(policy: dict[str, Any], operation_id: str) -> bool:
    scope = (policy.get("parameters") or {}).get(OPERATIONS_KEY)
    if scope is None:
        return True
    return operation_id in ([scope] if isinstance(scope, str) else scope)


def applicable(connector: Connector, operation: Operation) -> list[dict[str, Any]]:
    """The policies that apply to ``operation``, in order, each checked to be reproducible."""
    result = []
    for policy in connector.policies:
        if applies_to(policy, operation.id):
            parameters(policy)  # raises for anything not reproduced
            result.append(policy)
    return result


def parameters(policy: dict[str, Any]) -> dict[str, Any]:
    """The template's parameters without the prefix, after checking the template is reproduced."""
    template = policy.get("templateId")
    label = f"policy template {template!r} ({policy.get('title', 'untitled')})"
    if template not in REPRODUCED:
        raise UnsupportedError(f"{label} is not reproduced by the emulator; it reproduces: "
                               f"{', '.join(REPRODUCED)}")
    required, optional = REPRODUCED[template]
    found: dict[str, Any] = {}
    for key, value in (policy.get("parameters") or {}).items():
        if key == OPERATIONS_KEY:
            continue
        if key == SECTION_KEY:
            if str(value).lower() not in ("request", "response") or (
                    str(value).lower() == "response" and template not in RESPONSE_TEMPLATES):
                raise UnsupportedError(f"{label}: {SECTION_KEY} {value!r}: reproduced are request policies and "
                                       f"response {' and '.join(RESPONSE_TEMPLATES)}")
            continue
        name = key[len(PARAMETER_PREFIX):] if key.startswith(PARAMETER_PREFIX) else None
        if name not in required | optional:
            raise UnsupportedError(f"{label}: unknown parameter {key!r}; it takes "
                                   + ", ".join(PARAMETER_PREFIX + p for p in sorted(required | optional)))
        found[name] = value
    missing = sorted(required - set(found))
    if missing:
        raise UnsupportedError(f"{label}: missing parameter(s) " + ", ".join(PARAMETER_PREFIX + p for p in missing))
    return found


def section(policy: dict[str, Any]) -> str:
    return str((policy.get("parameters") or {}).get(SECTION_KEY, "Request")).lower()


def apply(request: HttpRequest, *, connector: Connector, operation: Operation, values: Mapping[str, Any],
          connection: Mapping[str, str]) -> HttpRequest:
    for policy in applicable(connector, operation):
        if section(policy) != "request":
            continue
        if policy["templateId"] == "setproperty":
            raise UnsupportedError(f"policy template 'setproperty' ({policy.get('title', 'untitled')}): only its "
                                   f"Response section is reproduced")
        template = policy["templateId"]
        params = parameters(policy)
        label = f"policy template {template!r} ({policy.get('title', 'untitled')})"

        def ev(value: Any, what: str, label: str = label) -> str:
            if not isinstance(value, str):
                raise UnsupportedError(f"{label}: {what} must be a string, got {value!r}")
            try:
                return evaluate(value, connection=connection, query=request.query_values(),
                                headers=request.headers)
            except ExpressionError as exc:
                raise UnsupportedError(f"{label}: {what}: {exc}") from None

        if template == "dynamichosturl":
            url = ev(params["urlTemplate"], "urlTemplate")
            if not re.match(r"^https?://[^/?#]+", url):
                raise UnsupportedError(f"{label}: urlTemplate must give an absolute http(s) URL")
            request.base = url.rstrip("/")
        elif template == "routerequesttoendpoint":
            _route(request, operation, values, ev(params["newPath"], "newPath"), label)
            method = params.get("httpMethod")
            if method is not None and method != ORIGINAL_METHOD:
                if not isinstance(method, str) or method.upper() not in HTTP_METHODS:
                    raise UnsupportedError(f"{label}: httpMethod {method!r} is not {ORIGINAL_METHOD} or one "
                                           f"of {', '.join(HTTP_METHODS)}")
                request.method = method.upper()
        elif template == "setheader":
            _set_header(request, ev(params["name"], "name"), ev(params["value"], "value"),
                        _action(params, label))
        elif template == "setqueryparameter":
            _set_query(request, ev(params["name"], "name"), ev(params["value"], "value"),
                       _action(params, label))
        elif template == "pollingtrigger" and request.path.startswith("/trigger/"):
            # Polling trigger operations are declared under /trigger/ so that they do not clash
            # with the action on the same backend path; the platform calls the path without it.
            request.path = request.path[len("/trigger"):]
    return request


def _action(params: dict[str, Any], label: str) -> str:
    action = params.get("existsAction", "override")
    if action not in EXISTS_ACTIONS:
        raise UnsupportedError(f"{label}: existsAction {action!r} is not one of {', '.join(EXISTS_ACTIONS)}")
    return action


def _set_header(request: HttpRequest, name: str, value: str, action: str) -> None:
    existing = request.header_name(name)
    if existing is None:
        request.headers[name] = value
    elif action == "override":
        del request.headers[existing]
        request.headers[name] = value
    elif action == "append":
        request.headers[existing] = f"{request.headers[existing]}, {value}"


def _set_query(request: HttpRequest, name: str, value: str, action: str) -> None:
    present = any(k == name for k, _ in request.query)
    if present and action == "skip":
        return
    if action == "override":
        request.query = [(k, v) for k, v in request.query if k != name]
    request.query.append((name, value))  # append: one more value under the same name


def _route(request: HttpRequest, operation: Operation, values: Mapping[str, Any], new_path: str, label: str) -> None:
    """newPath replaces the operation path (the base URL stays); ``{name}`` takes the value of the
    operation's parameter ``name``, encoded like a path parameter."""
    def substitute(match: re.Match) -> str:
        name = match.group(1)
        for inp in operation.inputs:
            if inp.location in ("path", "query") and inp.wire_name == name:
                if values.get(inp.key) is None:
                    raise UnsupportedError(f"{label}: newPath uses {{{name}}}, which has no value")
                # A query parameter has no x-ms-url-encoding of its own: it is escaped once.
                spec = inp if inp.location == "path" else inp._replace(url_encoding="single")
                return encode_path_value(spec, values[inp.key])
        names = [i.wire_name for i in operation.inputs if i.location in ("path", "query")]
        raise UnsupportedError(f"{label}: newPath uses {{{name}}}, which is not a path or query parameter of "
                               f"{operation.id} (it has: {', '.join(names) or 'none'})")

    path, _, query = PLACEHOLDER.sub(substitute, new_path).partition("?")
    request.path = path if path.startswith("/") else "/" + path
    for key, value in parse_qsl(query, keep_blank_values=True):
        _set_query(request, key, value, "override")


SET_PROPERTY_VALUE = re.compile(r"^\{@body\(\)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)\}$")


def apply_response(response: Any, *, connector: Connector, operation: Operation, request: HttpRequest,
                   connection: Mapping[str, str]) -> tuple[dict[str, str], Any]:
    """(headers, body) of a 2xx answer after the Response-section policies: setheader sets a response
    header (values may use @connectionParameters and the request's @queryParameters/@headers);
    setproperty copies ``{@body().a.b}`` to a new property of ``@body()``."""
    headers, body = dict(response.headers), response.json()
    for policy in applicable(connector, operation):
        if section(policy) != "response":
            continue
        params = parameters(policy)
        label = f"policy template {policy['templateId']!r} ({policy.get('title', 'untitled')})"
        if policy["templateId"] == "setheader":
            try:
                name = evaluate(params["name"], connection=connection)
                value = evaluate(params["value"], connection=connection, query=request.query_values(),
                                 headers=request.headers)
            except ExpressionError as exc:
                raise UnsupportedError(f"{label}: {exc}") from None
            existing = next((k for k in headers if k.lower() == name.lower()), None)
            action = _action(params, label)
            if existing is not None and action == "append":
                headers[existing] = f"{headers[existing]}, {value}"
            elif existing is None or action == "override":
                if existing is not None:
                    del headers[existing]
                headers[name] = value
        else:  # setproperty
            match = SET_PROPERTY_VALUE.match(params["propertyValuePathTemplate"])
            if params["newPropertyParentPathTemplate"] != "@body()" or not match or \
                    not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", params["newPropertySubPathTemplate"]):
                raise UnsupportedError(f"{label}: reproduced is a new root property of @body() set from "
                                       f"{{@body().path}}")
            if isinstance(body, dict):
                value: Any = body
                for part in filter(None, match.group(1).split(".")):
                    value = value.get(part) if isinstance(value, dict) else None
                body = {**body, params["newPropertySubPathTemplate"]: value}
    return headers, body
