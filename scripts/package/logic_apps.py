"""What a Logic Apps (Consumption) custom connector can and cannot take from this connector.

A connector deployed as ``Microsoft.Web/customApis`` has no policy templates. The connector-wide
``dynamichosturl`` policy is replaced by ``backendService.serviceUrl`` (set at deployment from the
Auth ID); every other policy changes the requests of the operations it applies to, so those
operations would call the wrong URL or send the wrong body there. They are left out of the Logic
Apps definition, and the generated docs say so. One module decides this for the ARM template and
for the docs, so they cannot disagree.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

OPERATIONS_KEY = "x-ms-apimTemplate-operationName"
URL_TEMPLATE = "x-ms-apimTemplateParameter.urlTemplate"
CONNECTION_PARAMETER = re.compile(r"@connectionParameters\('([^']+)'\)")


class LogicAppsError(ValueError):
    """The definition cannot be expressed as a Logic Apps custom connector."""


# An immutable record as a NamedTuple, not a frozen dataclass: the same fields, defaults, equality,
# hash and repr, without the ~1 ms @dataclass spends at every start-up compiling its methods.
class LogicAppsPlan(NamedTuple):
    service_url: list[str | tuple[str]]  # literal text, and (connection parameter,) placeholders
    omitted: dict[str, list[str]]        # operationId -> the policy templates it needs
    replaced: list[str]                  # policy titles replaced by backendService.serviceUrl


def _policies(properties: dict[str, Any]) -> list[dict[str, Any]]:
    return list(properties.get("properties", {}).get("policyTemplateInstances") or [])


def _scope(policy: dict[str, Any], all_ids: list[str]) -> list[str]:
    scope = (policy.get("parameters") or {}).get(OPERATIONS_KEY)
    if scope is None:
        return list(all_ids)
    return [scope] if isinstance(scope, str) else list(scope)


def operation_ids(swagger: dict[str, Any]) -> list[str]:
    return [spec["operationId"] for item in swagger.get("paths", {}).values()
            for spec in item.values() if isinstance(spec, dict) and "operationId" in spec]


def plan(swagger: dict[str, Any], properties: dict[str, Any]) -> LogicAppsPlan:
    """Decide the service URL and the operations left out; LogicAppsError when it cannot be done."""
    ids = operation_ids(swagger)
    service_url: list[str | tuple[str]] | None = None
    omitted: dict[str, list[str]] = {}
    replaced: list[str] = []
    for policy in _policies(properties):
        template = policy.get("templateId", "")
        scoped = (policy.get("parameters") or {}).get(OPERATIONS_KEY) is not None
        if template == "dynamichosturl" and not scoped and service_url is None:
            service_url = _split_url(policy["parameters"].get(URL_TEMPLATE, ""))
            replaced.append(policy.get("title", template))
            continue
        if not scoped:
            raise LogicAppsError(f"policy '{policy.get('title', template)}' ({template}) applies to every "
                                 "operation and Logic Apps custom connectors have no policy templates")
        for op_id in _scope(policy, ids):
            omitted.setdefault(op_id, []).append(template)
    if service_url is None:
        base = f"{(swagger.get('schemes') or ['https'])[0]}://{swagger['host']}{swagger.get('basePath', '')}"
        service_url = [base.rstrip("/")]
    return LogicAppsPlan(service_url, {k: omitted[k] for k in sorted(omitted)}, replaced)


def _split_url(template: str) -> list[str | tuple[str]]:
    """``https://x/@connectionParameters('username')`` -> ["https://x/", ("username",)]."""
    parts: list[str | tuple[str]] = []
    position = 0
    for match in CONNECTION_PARAMETER.finditer(template):
        if match.start() > position:
            parts.append(template[position:match.start()])
        parts.append((match.group(1),))
        position = match.end()
    rest = template[position:]
    if "@" in rest or any("@" in p for p in parts if isinstance(p, str)):
        raise LogicAppsError(f"urlTemplate {template!r} uses an expression other than "
                             "@connectionParameters('name'); it cannot become a deployment parameter")
    if rest:
        parts.append(rest)
    return parts
