"""Reusing strategies (scripts/contract/strategies.py) draws exactly what schemathesis draws, with fewer
strategies made."""

from __future__ import annotations

import hypothesis.strategies
import pytest
from schemathesis.generation import GenerationMode
from schemathesis.generation.jsonschema import strategy as jsonschema_strategies
from schemathesis.specs.openapi import _hypothesis

from scripts.contract.compat import query_survives_the_wire
from scripts.contract.strategies import reuse_strategies

SWAGGER = {
    "swagger": "2.0", "info": {"title": "t", "version": "1"}, "host": "api.example.com", "basePath": "/v1",
    "consumes": ["application/json"],
    "paths": {"/Message/": {
        "get": {"operationId": "ListMessages", "responses": {"200": {"description": "ok"}}, "parameters": [
            {"name": "limit", "in": "query", "type": "integer", "minimum": 1, "maximum": 20},
            {"name": "tag", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
            {"name": "X-Trace", "in": "header", "type": "string"}]},
        "post": {"operationId": "SendMessage", "responses": {"202": {"description": "ok"}}, "parameters": [
            {"name": "body", "in": "body", "required": True, "schema": {
                "type": "object", "required": ["src", "dst"], "properties": {
                    "src": {"type": "string"}, "dst": {"type": "string", "minLength": 2},
                    "text": {"type": "string"}, "url": {"type": "string", "format": "uri"},
                    "log": {"type": "boolean"}, "meta": {"type": "object", "properties": {
                        "a": {"type": "integer"}, "b": {"type": "string"}}}}}}]}}},
}


def draw(method: str, mode: GenerationMode) -> list:
    """The cases Hypothesis draws for one operation with a fixed seed."""
    import schemathesis
    from hypothesis import HealthCheck, given, seed, settings
    from schemathesis.config import SchemathesisConfig

    schema = schemathesis.openapi.from_dict(SWAGGER, config=SchemathesisConfig.from_dict({}))
    schema.hooks.register_hook_with_name(query_survives_the_wire, "filter_query")
    seen = []

    @seed(20261127)
    @settings(database=None, max_examples=80, suppress_health_check=list(HealthCheck), deadline=None)
    @given(schema["/Message/"][method].as_strategy(generation_mode=mode))
    def collect(case):
        seen.append((case.query, case.headers, case.body))

    collect()
    return seen


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
def test_same_seed_same_cases_fewer_strategies(monkeypatch, method, mode):
    made = {"apply_hooks": 0, "fixed_dictionaries": 0}

    def counting(name, function):
        def count(*args, **kwargs):
            made[name] += 1
            return function(*args, **kwargs)
        return count

    # schemathesis as shipped (another test may have installed the reuse in this process), counted
    hooks = _hypothesis.apply_hooks
    monkeypatch.setattr(_hypothesis, "apply_hooks", counting("apply_hooks", getattr(hooks, "_original", hooks)))
    monkeypatch.setattr(hypothesis.strategies, "fixed_dictionaries",
                        counting("fixed_dictionaries", hypothesis.strategies.fixed_dictionaries))
    monkeypatch.setattr(jsonschema_strategies, "st", hypothesis.strategies)
    before = draw(method, mode)
    made_before = dict(made)
    made.update(apply_hooks=0, fixed_dictionaries=0)

    reuse_strategies()  # wraps the counting functions; monkeypatch restores the modules afterwards
    after = draw(method, mode)

    assert len(before) > 30
    assert after == before
    # schemathesis wraps the query strategy in the hook's filter on every draw, and builds a strategy
    # for the body's chosen properties on every draw (negative cases mutate the schema: fewer reuses)
    name = "apply_hooks" if method == "GET" else "fixed_dictionaries"
    assert made_before[name] >= len(before) > 2 * made[name] > 0
