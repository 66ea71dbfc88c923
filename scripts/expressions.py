"""Evaluate the expressions of Power Platform policy template values.

Supported: ``@connectionParameters('name')``, ``@queryParameters('name')``, ``@headers('name')`` (and
``@header``), with an optional second argument as the default, as documented for the
dynamichosturl and routerequesttoendpoint templates. Anything else raises ExpressionError: an
expression this project cannot evaluate must never be passed on silently.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

CALL = re.compile(r"@(?P<function>[A-Za-z]+)\((?P<args>[^()]*)\)")
ARGUMENT = re.compile(r"""\s*(?:'([^']*)'|"([^"]*)")\s*""")
SOURCES = {"connectionParameters": "connection", "queryParameters": "query", "headers": "headers",
           "header": "headers"}


class ExpressionError(ValueError):
    pass


def evaluate(template: str, *, connection: Mapping[str, str], query: Mapping[str, str] | None = None,
             headers: Mapping[str, str] | None = None) -> str:
    values = {"connection": connection, "query": query or {}, "headers": headers or {}}

    def substitute(match: re.Match) -> str:
        function = match.group("function")
        if function not in SOURCES:
            raise ExpressionError(f"unsupported expression @{function}(...) in {template!r}; supported: "
                                  + ", ".join(f"@{name}('...')" for name in SOURCES))
        args = _arguments(match.group("args"), template)
        if not 1 <= len(args) <= 2:
            raise ExpressionError(f"@{function}() takes a name and an optional default, in {template!r}")
        source = values[SOURCES[function]]
        if args[0] in source:
            return str(source[args[0]])
        if len(args) == 2:
            return args[1]
        raise ExpressionError(f"@{function}('{args[0]}') has no value: the {SOURCES[function]} has "
                              f"{', '.join(sorted(source)) or 'no values'}")

    result = CALL.sub(substitute, template)
    if "@" in result.replace("@@", "") and re.search(r"@[A-Za-z{]", result):
        raise ExpressionError(f"cannot evaluate the expression in {template!r}")
    return result


ANY_CALL = re.compile(r"@\{?(?P<function>[A-Za-z]+)\((?P<args>[^()]*)\)")


def static_problems(template: str, *, connection_names: set[str], triggers: bool = False,
                    response_body: bool = False) -> list[str]:
    """What ``evaluate`` (or, with ``triggers``, ``evaluate_trigger``) would refuse in ``template``,
    found without values: the build checks policy templates with the same parser that runs them."""
    problems = []
    for match in ANY_CALL.finditer(template):
        function = match.group("function")
        if triggers and function == "triggerBody":
            continue  # its accessors are checked when the poller evaluates it against a body
        if response_body and function == "body":
            continue  # a response policy's reference to the answer (setproperty), read by the emulator
        if function not in SOURCES:
            allowed = ", ".join(f"@{name}('...')" for name in SOURCES) + (", @triggerBody()" if triggers else "")
            problems.append(f"unsupported expression @{function}(...); supported: {allowed}")
            continue
        try:
            args = _arguments(match.group("args"), template)
        except ExpressionError as error:
            problems.append(str(error))
            continue
        if not 1 <= len(args) <= 2:
            problems.append(f"@{function}() takes a name and an optional default")
        elif SOURCES[function] == "connection" and args[0] not in connection_names and len(args) == 1:
            problems.append(f"@{function}('{args[0]}') names no connection parameter; the connection has "
                            f"{', '.join(sorted(connection_names))}")
    return problems


def _arguments(text: str, template: str) -> list[str]:
    parts = [p for p in text.split(",")] if text.strip() else []
    args = []
    for part in parts:
        match = ARGUMENT.fullmatch(part)
        if not match:
            raise ExpressionError(f"expression arguments must be quoted strings, got {part.strip()!r} in {template!r}")
        args.append(match.group(1) if match.group(1) is not None else match.group(2))
    return args


def account_base_url(properties: dict, connection: Mapping[str, str], *, swagger: dict) -> str:
    """The base URL the platform calls for this connection: dynamichosturl applied, else host + basePath."""
    for policy in properties.get("properties", {}).get("policyTemplateInstances", []):
        if policy.get("templateId") == "dynamichosturl":
            if policy["parameters"].get("x-ms-apimTemplate-operationName"):
                continue  # scoped to some operations only; not the connector-wide base
            return evaluate(policy["parameters"]["x-ms-apimTemplateParameter.urlTemplate"], connection=connection)
    scheme = swagger.get("schemes", ["https"])[0]
    return f"{scheme}://{swagger['host']}{swagger.get('basePath', '')}".rstrip("/")


# -- @triggerBody() expressions (pollingtrigger's triggerConfig and triggerDataPath) ---------------
# ``@triggerBody()`` followed by property and index accessors (``.name``, ``['name']``, ``[0]``, each
# optionally null-safe with ``?``), either alone (the value itself) or inside ``@{...}`` (the value
# as text, interpolated into the surrounding string). Other functions are not evaluated.
ACCESSORS = r"(?:\??\.[A-Za-z_][A-Za-z0-9_]*|\??\[(?:'[^']*'|[0-9]+)\])*"
BODY_EXPRESSION = re.compile(r"triggerBody\(\)(?P<path>" + ACCESSORS + r")")
ACCESSOR = re.compile(r"(?P<safe>\?)?(?:\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)|\['(?P<key>[^']*)'\]|\[(?P<index>[0-9]+)\])")
INTERPOLATION = re.compile(r"@\{(?P<inner>[^{}]*)\}")


def evaluate_trigger(template: str, body: object) -> object:
    """Evaluate a trigger expression against a response body (see above); ExpressionError otherwise."""
    if template.startswith("@") and not template.startswith(("@{", "@@")):
        match = BODY_EXPRESSION.fullmatch(template[1:])
        if not match:
            raise ExpressionError(f"unsupported trigger expression {template!r}: only @triggerBody() followed "
                                  f"by .name, ['name'] or [index] accessors is evaluated")
        return _walk(body, match.group("path"), template)

    def interpolate(match: re.Match) -> str:
        text = match.group("inner").strip()
        formatted = FORMAT_DATE_TIME.fullmatch(text)
        inner = BODY_EXPRESSION.fullmatch(formatted.group("body") if formatted else text)
        if not inner:
            raise ExpressionError(f"unsupported trigger expression @{{{match.group('inner')}}} in {template!r}: "
                                  f"only triggerBody() with accessors, optionally inside formatDateTime(..., "
                                  f"'<format>'), is evaluated")
        value = _walk(body, inner.group("path"), template)
        if formatted:
            return format_date_time(value, formatted.group("format"), template)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, dict | list):
            return json.dumps(value, separators=(",", ":"))
        return str(value)

    result = INTERPOLATION.sub(interpolate, template)
    if re.search(r"@[A-Za-z{]", INTERPOLATION.sub("", template).replace("@@", "")):
        raise ExpressionError(f"cannot evaluate the expression in {template!r}")
    return result.replace("@@", "@")


# formatDateTime(<timestamp>, '<.NET custom format>') as Power Automate evaluates it: a timestamp with
# an offset is converted to UTC first; one without an offset is taken as UTC. Only the format
# specifiers a filter value needs are reproduced.
FORMAT_DATE_TIME = re.compile(r"formatDateTime\(\s*(?P<body>triggerBody\(\)" + ACCESSORS
                              + r")\s*,\s*'(?P<format>[^']*)'\s*\)")
DATE_TOKENS = re.compile(r"yyyy|MM|dd|HH|mm|ss|f{1,7}|[-: ./T]")


def format_date_time(value: object, fmt: str, template: str) -> str:
    from datetime import UTC, datetime

    if not isinstance(value, str):
        raise ExpressionError(f"{template!r}: formatDateTime needs a timestamp, got {value!r}")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ExpressionError(f"{template!r}: formatDateTime cannot read {value!r} as a timestamp") from None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    if "".join(DATE_TOKENS.findall(fmt)) != fmt:
        raise ExpressionError(f"{template!r}: format {fmt!r} uses specifiers the emulator does not reproduce "
                              "(it reproduces yyyy MM dd HH mm ss f..fffffff and - : . / T space)")
    out = []
    for token in DATE_TOKENS.findall(fmt):
        if token.startswith("f"):
            out.append(f"{moment.microsecond:06d}0"[:len(token)])
        else:
            out.append({"yyyy": f"{moment.year:04d}", "MM": f"{moment.month:02d}", "dd": f"{moment.day:02d}",
                        "HH": f"{moment.hour:02d}", "mm": f"{moment.minute:02d}",
                        "ss": f"{moment.second:02d}"}.get(token, token))
    return "".join(out)


def _walk(value: object, path: str, template: str) -> object:
    for step in ACCESSOR.finditer(path):
        if value is None and step.group("safe"):
            return None
        if step.group("index") is not None:
            index = int(step.group("index"))
            if not isinstance(value, list) or index >= len(value):
                if step.group("safe"):
                    return None
                raise ExpressionError(f"{template!r}: index [{index}] is out of range")
            value = value[index]
            continue
        key = step.group("name") if step.group("name") is not None else step.group("key")
        if not isinstance(value, dict) or key not in value:
            if step.group("safe"):
                return None
            raise ExpressionError(f"{template!r}: the body has no property {key!r} there")
        value = value[key]
    return value
