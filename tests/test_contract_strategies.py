"""Reusing strategies (scripts/contract/strategies.py) draws exactly what schemathesis draws, with fewer
strategies made."""

from __future__ import annotations

import re
import sys

import hypothesis.strategies
import pytest
from schemathesis.generation import GenerationMode
from schemathesis.generation.jsonschema import strategy as jsonschema_strategies
from schemathesis.specs.openapi import _hypothesis

from scripts.contract import strategies
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


# What negative mode's schema mutation (mutations.py) and its choice of locations to break
# (_hypothesis.py) make on every draw; each place is reused by strategies.reuse_mutation_strategies.
MUTATION_PLACES = {
    "sampled_from": "the targets, keywords, types and properties to break",
    "shared": "the swarm masks: shared(FeatureStrategy(), key=...)",
    "lists": "ordered(): the operators in a random order, unique by a lambda made per draw",
}


def _made_by(monkeypatch, module, names: list[str]) -> dict[str, list]:
    """Record every strategy ``module`` (and no other) gets from these hypothesis.strategies functions (the objects are
    held, so distinct ids are distinct strategies); ``module.st`` is schemathesis' as shipped."""
    made: dict[str, list] = {name: [] for name in names}

    def recording(name, function):
        def record(*args, **kwargs):
            strategy = function(*args, **kwargs)
            caller = sys._getframe(1)
            if caller.f_globals.get("__name__") == strategies.__name__:
                caller = caller.f_back  # through the reuse
            if caller.f_globals.get("__name__") == module.__name__:
                made[name].append(strategy)
            return strategy
        return record

    for name in names:
        original = getattr(hypothesis.strategies, name)
        monkeypatch.setattr(hypothesis.strategies, name, recording(name, getattr(original, "_original", original)))
    monkeypatch.setattr(module, "st", hypothesis.strategies)
    return made


@pytest.mark.parametrize("place", sorted(MUTATION_PLACES))
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_mutation_strategies_reused_same_cases(monkeypatch, method, place):
    from schemathesis.specs.openapi.negative import mutations

    monkeypatch.setattr(_hypothesis, "st", hypothesis.strategies)  # as shipped: reuse_strategies sets it anew
    made = _made_by(monkeypatch, mutations, [place])
    before = draw(method, GenerationMode.NEGATIVE)
    distinct_before = len({id(s) for s in made[place]})
    made[place].clear()

    reuse_strategies()
    after = draw(method, GenerationMode.NEGATIVE)
    distinct_after = len({id(s) for s in made[place]})

    assert len(before) > 30
    assert after == before
    # Without the reuse every schema-mutating draw makes its own (several); with it, one per distinct set
    # of arguments (change_type's candidate lists vary the most: about 40 for this schema). A body's
    # syntax fuzzing and value channel draw without mutating the schema; which draws do depends on the
    # local constants Hypothesis has seen in the process, hence a loose floor.
    assert distinct_before > len(before) / 4, MUTATION_PLACES[place]
    assert distinct_before > 2 * distinct_after > 0, MUTATION_PLACES[place]


def test_negated_locations_choice_reused_same_cases(monkeypatch):
    """_draw_negated_locations samples the location to break from the same few candidates per draw."""
    made = _made_by(monkeypatch, _hypothesis, ["sampled_from"])
    from schemathesis.specs.openapi.negative import mutations

    monkeypatch.setattr(mutations, "st", hypothesis.strategies)
    before = draw("GET", GenerationMode.NEGATIVE)
    distinct_before = len({id(s) for s in made["sampled_from"]})
    made["sampled_from"].clear()

    reuse_strategies()
    after = draw("GET", GenerationMode.NEGATIVE)
    distinct_after = len({id(s) for s in made["sampled_from"]})

    assert after == before
    assert distinct_before > 4 * distinct_after > 0


def test_mutation_reuse_keys_never_mix_arguments():
    """A kept strategy comes back only for the very same arguments: 1 is not True, a list is not a
    tuple, an equal but other object is not the same one; per-draw data and closures are not kept."""
    from hypothesis.strategies._internal.featureflags import FeatureStrategy

    sampled_from = strategies._sampled_from(hypothesis.strategies.sampled_from)
    assert sampled_from(["a", "b"]) is sampled_from(["a", "b"])
    assert sampled_from([1, 2]) is not sampled_from([True, 2])
    assert sampled_from([1, 2]) is not sampled_from((1, 2))
    assert sampled_from(["a", "b"]) is not sampled_from(["b", "a"])
    first, second = object(), object()
    assert sampled_from([first, second]) is sampled_from([first, second])
    assert sampled_from([first, second]) is not sampled_from([object(), second])
    assert sampled_from([{"a": 1}, {"b": 2}]) is not sampled_from([{"a": 1}, {"b": 2}])
    assert sampled_from([(1, {}), (2, {})]) is not sampled_from([(1, {}), (2, {})])
    assert sampled_from([("a", first), ("b", second)]) is sampled_from([("a", first), ("b", second)])
    assert sampled_from([("a", first), ("b", second)]) is not sampled_from([("a", second), ("b", first)])
    assert sampled_from([(1, first), (2, first)]) is not sampled_from([(True, first), (2, first)])

    shared = strategies._shared(hypothesis.strategies.shared)
    assert shared(FeatureStrategy(), key="operators") is shared(FeatureStrategy(), key="operators")
    assert shared(FeatureStrategy(), key="operators") is not shared(FeatureStrategy(), key="types")
    assert shared(FeatureStrategy(at_least_one_of=["x"]), key="operators") is not \
        shared(FeatureStrategy(at_least_one_of=["x"]), key="operators")
    assert shared(FeatureStrategy()) is not shared(FeatureStrategy())  # no key: each one its own value

    lists = strategies._lists(hypothesis.strategies.lists)
    elements = sampled_from(["a", "b"])

    def by_name():
        return lambda fn: fn.__name__

    assert lists(elements, min_size=2, unique_by=by_name()) is lists(elements, min_size=2, unique_by=by_name())
    assert lists(elements, min_size=2, unique_by=by_name()) is not lists(elements, min_size=1, unique_by=by_name())

    def by(attribute):
        return lambda value: getattr(value, attribute)  # a closure: its cell may differ, never merged

    assert lists(elements, unique_by=by("x")) is not lists(elements, unique_by=by("x"))


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_negative_expansions_reused_same_cases(monkeypatch, method):
    """Negative mode expands each mutated schema into its value strategy in a flatmap; equal mutations
    (the same few come back all the time) get the strategy already made."""
    from hypothesis.strategies._internal.flatmapped import FlatMapStrategy
    from schemathesis.specs.openapi import negative

    expansions = []  # generate_value_with_metadata builds from the mutated schema first thing

    def counting_build(schema, **options):
        expansions.append(schema)
        return build(schema, **options)

    build = negative.build
    monkeypatch.setattr(negative, "build", counting_build)
    do_draw = FlatMapStrategy.do_draw
    monkeypatch.setattr(FlatMapStrategy, "do_draw", getattr(do_draw, "_original", do_draw))
    before = draw(method, GenerationMode.NEGATIVE)
    made_before = len(expansions)
    expansions.clear()

    reuse_strategies()
    after = draw(method, GenerationMode.NEGATIVE)

    assert len(before) > 30
    assert after == before
    # Alone: 150 expansions before, 31 after for GET; 72 and 24 for POST (whose syntax fuzzing and value
    # channel draw without one). How many draws expand depends on the local constants Hypothesis has
    # seen in the process (more in the full suite), so only "fewer" is asserted; without the reuse both
    # runs expand exactly as often.
    assert made_before > len(expansions) > 0


def test_negative_expansion_keys_spell_out_types_and_order():
    from schemathesis.core.mutations import Mutation, MutationChannel, MutationMetadata, OperatorKind
    from schemathesis.core.parameters import ParameterLocation

    frozen = strategies._frozen

    def mutation(**changes):
        fields = {"path": ("a",), "parameter_location": ParameterLocation.QUERY, "schema_pointer": "",
                  "channel": MutationChannel.SCHEMA, "operator": OperatorKind.NEGATE_CONSTRAINTS,
                  "keywords": ("minimum",), "parameter": None, "original_value": ["a"], "new_value": None}
        return MutationMetadata(mutations=(Mutation(**{**fields, **changes}),))

    assert frozen(({"type": "integer", "minimum": 1}, mutation())) == \
        frozen(({"type": "integer", "minimum": 1}, mutation()))
    assert frozen({"minimum": 1}) != frozen({"minimum": True})
    assert frozen({"minimum": 1}) != frozen({"minimum": 1.0})
    assert frozen({"enum": [1]}) != frozen({"enum": (1,)})
    assert frozen({"a": 1, "b": 2}) != frozen({"b": 2, "a": 1})  # key order is draw order
    assert frozen(0.0) != frozen(-0.0)
    assert frozen(float("nan")) == frozen(float("nan"))
    assert frozen(mutation()) != frozen(mutation(keywords=("maximum",)))
    assert frozen(mutation()) != frozen(mutation(original_value=("a",)))
    assert frozen(mutation()) != frozen(mutation(parameter_location=ParameterLocation.HEADER))
    with pytest.raises(TypeError):
        frozen({"a": object()})


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_filtered_strategies_validated_once_same_cases(monkeypatch, method):
    """Hypothesis 6.170 forgets that a FilteredStrategy was validated (its do_validate re-runs
    __init__), so it validated it again on every draw; validated once, it draws the same."""
    from hypothesis.strategies._internal.strategies import FilteredStrategy

    do_validate = FilteredStrategy.do_validate
    original = getattr(do_validate, "_original", do_validate)
    validated = []

    def counting(self):
        validated.append(self)
        return original(self)

    monkeypatch.setattr(FilteredStrategy, "do_validate", counting)
    before = draw(method, GenerationMode.NEGATIVE) + draw(method, GenerationMode.POSITIVE)
    count_before = len(validated)
    validated.clear()

    reuse_strategies()  # wraps the counting do_validate; monkeypatch restores the class afterwards
    after = draw(method, GenerationMode.NEGATIVE) + draw(method, GenerationMode.POSITIVE)

    assert after == before
    # Each filtered strategy once (each draw makes a few new ones: the expansions' and unique lists'
    # filters), instead of once per draw of each.
    assert count_before > 2 * len(validated) > 0
    assert len({id(s) for s in validated}) == len(validated)


def test_captured_value_consumers_reused_same_requests(swagger, api_properties, monkeypatch, capsys):
    """An operation that takes a value captured from earlier answers (a call's uuid in its path) had
    the strategies above schemathesis' cached one rebuilt on every draw; kept per their exact
    arguments, the run sends the same requests."""
    from schemathesis.specs.openapi.adapter import parameters

    from scripts.contract import run_contract
    from scripts.contract.cli import embedded_mock_target
    from scripts.contract.runner import RunOptions

    original_set = getattr(parameters.OpenApiParameterSet._build_strategy, "_original",
                           parameters.OpenApiParameterSet._build_strategy)
    serialize = getattr(parameters._serialize_for_location, "_original", parameters._serialize_for_location)
    built = []

    def counting(*args, **kwargs):
        built.append(args[0])
        return serialize(*args, **kwargs)

    def requests() -> list:
        target = embedded_mock_target(swagger, api_properties)
        code = run_contract(swagger, api_properties, target, seed=20261127, max_examples=40,
                            phases=("examples", "fuzzing"),
                            options=RunOptions(include=("ListCalls", "GetLiveCall", "DeleteMessageWebhook"),
                                               workers=1, color=False))
        assert code == 0, capsys.readouterr().out[-3000:]
        return [(e["method"], e["path"], e["query"], e["json"], e["status"]) for e in target.app.request_log]

    monkeypatch.setattr(parameters, "_serialize_for_location", counting)
    with monkeypatch.context() as without:
        without.setattr(strategies, "reuse_captured_variant_strategies", lambda: None)
        for name in ("build_hybrid_strategy", "_mix_negative_into_positive"):
            function = getattr(parameters, name)
            without.setattr(parameters, name, getattr(function, "_original", function))
        without.setattr(parameters.OpenApiParameterSet, "_build_strategy", original_set)
        before = requests()
        built_before = len(built)
    built.clear()
    reuse_strategies()
    after = requests()

    assert any(re.search(r"/Call/[0-9a-f-]{36}", path) for _, path, *_ in before)  # a call's uuid in a path
    assert after == before
    # Without the reuse, a location's serialising strategy was built on every draw of those operations.
    assert built_before > 5 * len(built) > 0
