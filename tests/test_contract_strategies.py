"""Reusing the hooked strategy (scripts/contract/strategies.py) draws exactly what schemathesis draws."""

from __future__ import annotations

import pytest

from scripts.contract.compat import query_survives_the_wire

SWAGGER = {
    "swagger": "2.0", "info": {"title": "t", "version": "1"}, "host": "api.example.com", "basePath": "/v1",
    "paths": {"/Message/": {"get": {
        "operationId": "ListMessages", "responses": {"200": {"description": "ok"}}, "parameters": [
            {"name": "limit", "in": "query", "type": "integer", "minimum": 1, "maximum": 20},
            {"name": "tag", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
            {"name": "X-Trace", "in": "header", "type": "string"}]}}},
}


def drawn(mode):
    """(cases drawn, apply_hooks calls, a counting apply_hooks to install, the test to run) for a fixed seed."""
    import schemathesis
    from hypothesis import HealthCheck, given, seed, settings
    from schemathesis.config import SchemathesisConfig
    from schemathesis.specs.openapi import _hypothesis

    calls = []
    current = _hypothesis.apply_hooks
    counted = getattr(current, "_original", current)

    def counting(*args):
        calls.append(args)
        return counted(*args)

    schema = schemathesis.openapi.from_dict(SWAGGER, config=SchemathesisConfig.from_dict({}))
    schema.hooks.register_hook_with_name(query_survives_the_wire, "filter_query")
    operation = schema["/Message/"]["GET"]
    seen = []

    @seed(20261127)
    @settings(database=None, max_examples=60, suppress_health_check=list(HealthCheck), deadline=None)
    @given(operation.as_strategy(generation_mode=mode))
    def collect(case):
        seen.append((case.query, case.headers))

    return seen, calls, counting, collect


@pytest.mark.parametrize("negative", [False, True], ids=["positive", "negative"])
def test_same_seed_same_cases_fewer_strategies(monkeypatch, negative):
    from schemathesis.generation import GenerationMode
    from schemathesis.specs.openapi import _hypothesis

    from scripts.contract.strategies import reuse_hooked_strategies

    mode = GenerationMode.NEGATIVE if negative else GenerationMode.POSITIVE
    seen_before, calls_before, counting, collect = drawn(mode)
    monkeypatch.setattr(_hypothesis, "apply_hooks", counting)
    collect()
    seen_after, calls_after, counting, collect = drawn(mode)
    monkeypatch.setattr(_hypothesis, "apply_hooks", counting)
    reuse_hooked_strategies()  # wraps the counting original; monkeypatch restores the module afterwards
    collect()
    assert len(seen_before) > 20
    assert seen_after == seen_before
    # schemathesis wrapped the query strategy on every draw; reused, once per strategy
    query_calls = lambda calls: [c for c in calls if c[4].container_name == "query"]  # noqa: E731
    assert len(query_calls(calls_before)) >= len(seen_before)
    assert 1 <= len(query_calls(calls_after)) <= 2
