"""A polling trigger, following the documented protocol of the pollingtrigger policy.

Each poll calls the trigger operation with its inputs plus the current state (query parameters).
The first poll only records the state: it answers 202 and fires nothing, so a new flow does not
fire for everything that already exists. Later polls answer 200 with the items when
``triggerDataPath`` selects any (each item fires once: a batch trigger runs the flow per item), and
move the state on by evaluating each ``triggerConfig`` expression against the response; with no
items they answer 202 and keep the state. Items are expected newest first: the state is taken from
the first page, so expressions such as ``objects[0]`` point at the newest item.

When the response carries the next-page link named by ``x-ms-triggerConfig-nextLink`` (a root
property, default ``@odata.nextLink``), the poller follows it within the same poll.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from scripts.expressions import ExpressionError, evaluate_trigger

from . import policies
from .errors import CallError, InputError, UnsupportedError
from .request import HttpRequest, text
from .runtime import Runtime

NEXT_LINK_KEY = "x-ms-triggerConfig-nextLink"
DEFAULT_NEXT_LINK = "@odata.nextLink"
MAX_PAGES = 100  # a backend that keeps handing out next links must not hang a test


@dataclass
class Poll:
    status: int                       # 200 (items fired) or 202 (nothing fired)
    items: list[Any]
    state: dict[str, str]
    requests: list[HttpRequest] = field(default_factory=list)


class Poller:
    def __init__(self, runtime: Runtime, operation_id: str, values: Mapping[str, Any] | None = None) -> None:
        self.runtime = runtime
        self.operation = runtime.connector.operation(operation_id)
        policy = _trigger_policy(runtime, operation_id)
        params = policies.parameters(policy)
        config = params["triggerConfig"]
        if not isinstance(config, dict) or not all(isinstance(v, str) for v in config.values()):
            raise UnsupportedError(f"{operation_id}: triggerConfig must map query parameter names to expressions")
        config = dict(config)
        self.next_link = config.pop(NEXT_LINK_KEY, DEFAULT_NEXT_LINK)
        self.config: dict[str, str] = config
        self.data_path = params["triggerDataPath"]
        self.values = dict(values or {})
        self.state: dict[str, str] = {}   # empty: the inputs' defaults stand until the first items
        self.polls = 0
        self.fired: list[Any] = []

    def poll(self) -> Poll:
        declared = {k: v for k, v in self.state.items() if self.operation.input(k) is not None}
        extra = {k: v for k, v in self.state.items() if k not in declared}
        result = self.runtime.call(self.operation.id, {**self.values, **declared}, extra_query=extra)
        requests = [result.request]
        items = self._items(result.body)
        items += self._follow(result.body, result.request, requests)
        first = self.polls == 0
        self.polls += 1
        if items:
            self.state = self._new_state(result.body)
        if first or not items:
            return Poll(202, [], dict(self.state), requests)
        self.fired += items
        return Poll(200, items, dict(self.state), requests)

    def _items(self, body: Any) -> list[Any]:
        if not isinstance(body, dict):
            raise CallError(f"{self.operation.id}: a polling trigger's response must be an object holding the "
                            f"items (a bare array fails on the platform)", body=body)
        try:
            items = evaluate_trigger(self.data_path, body)
        except ExpressionError as exc:
            raise UnsupportedError(f"{self.operation.id}: triggerDataPath: {exc}") from None
        if items is None:
            return []
        if not isinstance(items, list):
            raise CallError(f"{self.operation.id}: triggerDataPath {self.data_path!r} selects a "
                            f"{type(items).__name__}, not an array", body=body)
        return items

    def _new_state(self, body: Any) -> dict[str, str]:
        state = dict(self.state)
        for name, expression in self.config.items():
            try:
                value = evaluate_trigger(expression, body)
            except ExpressionError as exc:
                raise UnsupportedError(f"{self.operation.id}: triggerConfig {name!r}: {exc}") from None
            state[name] = value if isinstance(value, str) else text(value)
        return state

    def _follow(self, body: Any, first: HttpRequest, requests: list[HttpRequest]) -> list[Any]:
        items: list[Any] = []
        link = body.get(self.next_link) if isinstance(body, dict) else None
        while link:
            if len(requests) >= MAX_PAGES:
                raise CallError(f"{self.operation.id}: more than {MAX_PAGES} pages of next links")
            absolute = urljoin(first.url, link)
            parts = urlsplit(absolute)
            page = HttpRequest("GET", f"{parts.scheme}://{parts.netloc}",
                               parts.path + (f"?{parts.query}" if parts.query else ""),
                               headers={k: v for k, v in first.headers.items() if k.lower() == "authorization"})
            result = self.runtime.send(self.operation.id, page)
            requests.append(page)
            items += self._items(result.body)
            link = result.body.get(self.next_link) if isinstance(result.body, dict) else None
        return items


def _trigger_policy(runtime: Runtime, operation_id: str) -> dict[str, Any]:
    operation = runtime.connector.operation(operation_id)
    found = [p for p in runtime.connector.policies
             if p.get("templateId") == "pollingtrigger" and policies.applies_to(p, operation_id)]
    if operation.trigger != "batch" or not found:
        triggers = sorted(op.id for op in runtime.connector.operations.values() if op.trigger == "batch")
        raise InputError(f"{operation_id} is not a polling trigger (it needs \"x-ms-trigger\": \"batch\" and a "
                         f"pollingtrigger policy); polling triggers: {', '.join(triggers) or 'none'}")
    return found[0]
