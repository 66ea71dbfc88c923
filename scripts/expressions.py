"""Evaluate the expressions of Power Platform policy template values.

Supported: ``@connectionParameters('name')``, ``@queryParameters('name')``, ``@headers('name')`` (and
``@header``), with an optional second argument as the default, as documented for the
dynamichosturl and routerequesttoendpoint templates. Anything else raises ExpressionError: an
expression this project cannot evaluate must never be passed on silently.
"""

from __future__ import annotations

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
