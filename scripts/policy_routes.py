"""Where the platform sends each operation once the connector's policies have applied.

Shared by the contract run (and the mock it serves), which must see the requests Power Platform
sends, and the README's operation table, which shows them. Not the definition's paths: a
``dynamichosturl`` policy limited to some operations gives them another base URL (LookupNumber:
https://lookup.plivo.com/v1/Number), and ``routerequesttoendpoint`` sends an operation to another
path (SendMMS, declared on /Message/MMS/, goes to /Message/). Reproduced: those two, limited to
operations, and pollingtrigger (its /trigger/ prefix is removed). Anything else that applies to an
operation would change its requests in a way the run cannot reproduce, so it is an error, never
skipped.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlsplit

from .expressions import account_base_url, evaluate
from .render.policy_templates import OPERATIONS_KEY, PARAMETER_PREFIX

ORIGINAL_METHOD = "@Request.OriginalHTTPMethod"


class RouteError(ValueError):
    """A policy changes requests in a way the contract run cannot reproduce."""


# An immutable record as a NamedTuple, not a frozen dataclass: the same fields, defaults, equality,
# hash and repr, without the ~1 ms @dataclass spends at every start-up compiling its methods.
class Route(NamedTuple):
    """The wire form of one operation: ``base`` is None for the connector-wide base URL, else the
    base URL a policy limited to this operation gives it; ``path`` keeps {name} placeholders."""

    operation_id: str
    method: str
    declared_path: str
    path: str
    base: str | None = None


def _scope(policy: dict) -> list[str] | None:
    scope = (policy.get("parameters") or {}).get(OPERATIONS_KEY)
    return [scope] if isinstance(scope, str) else scope


def _param(policy: dict, name: str) -> str:
    return (policy.get("parameters") or {}).get(PARAMETER_PREFIX + name)


def operation_routes(swagger: dict, properties: dict, connection: dict[str, str]) -> list[Route]:
    policies = properties.get("properties", {}).get("policyTemplateInstances", []) or []
    for policy in policies:
        template, scope = policy.get("templateId"), _scope(policy)
        if scope is None and template != "dynamichosturl":
            raise RouteError(f"policy '{policy.get('title')}' ({template}) applies to every operation; the "
                             "contract run reproduces only a connector-wide dynamichosturl")
    default_base = account_base_url(properties, connection, swagger=swagger)
    routes = []
    for path, item in swagger.get("paths", {}).items():
        for method, op in item.items():
            if not isinstance(op, dict) or "operationId" not in op:
                continue
            op_id = op["operationId"]
            route = Route(op_id, method.upper(), path, path)
            for policy in policies:
                scope = _scope(policy)
                if scope is None or op_id not in scope:
                    continue
                route = _apply(route, policy, connection, default_base)
            routes.append(route)
    return routes


def _apply(route: Route, policy: dict, connection: dict[str, str], default_base: str) -> Route:
    template = policy.get("templateId")
    label = f"policy '{policy.get('title')}' ({template}) on {route.operation_id}"
    if template == "dynamichosturl":
        base = evaluate(_param(policy, "urlTemplate"), connection=connection).rstrip("/")
        return Route(route.operation_id, route.method, route.declared_path, route.path,
                     None if base == default_base else base)
    if template == "routerequesttoendpoint":
        method = _param(policy, "httpMethod")
        new_method = route.method if method in (None, ORIGINAL_METHOD) else method.upper()
        new_path = _param(policy, "newPath")
        if "@" in new_path or "?" in new_path:
            raise RouteError(f"{label}: newPath {new_path!r} uses expressions or a query; not reproduced")
        return Route(route.operation_id, new_method, route.declared_path,
                     new_path if new_path.startswith("/") else "/" + new_path, route.base)
    if template in ("setheader", "setqueryparameter", "setproperty"):
        # Headers, query values and (Response section) the answer: the route stays; the contract
        # run's platform shim applies them (scripts/contract/platform.py).
        return route
    if template == "pollingtrigger":
        path = route.path[len("/trigger"):] if route.path.startswith("/trigger/") else route.path
        return Route(route.operation_id, route.method, route.declared_path, path, route.base)
    raise RouteError(f"{label} would change requests; the contract run reproduces dynamichosturl, "
                     "routerequesttoendpoint, pollingtrigger, setheader, setqueryparameter and setproperty")


def mock_operations(routes: list[Route]) -> set[tuple[str, str]]:
    """(METHOD, path) pairs for the mock's route table: the wire path below the account, or the
    absolute URL template for an operation sent to another host."""
    return {(r.method, (r.base + r.path) if r.base else r.path) for r in routes}


def on_origin(url: str, origin: str | None) -> str:
    """``url`` with its scheme and host replaced by ``origin`` (a mock serving every Plivo host)."""
    if not origin:
        return url
    parts, target = urlsplit(url), urlsplit(origin)
    return f"{target.scheme}://{target.netloc}{parts.path}"
