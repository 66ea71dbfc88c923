"""Reuse strategy objects that schemathesis makes anew on every draw, where a new one and a reused
one draw exactly alike. Two places:

1. The hooked strategy (about 5% of the fuzzing phase in a profile).
schemathesis 4.32 applies the filter/map/flatmap hooks (the run registers ``filter_query``:
compat.query_survives_the_wire) each time it draws a location's value: ``apply_hooks`` wraps the
location's strategy, which schemathesis itself caches, in a new ``FilteredStrategy`` per draw, and
Hypothesis validates each new strategy object on its first draw (walking the strategy below it
for is_empty and has_reusable_values). That was about 5% of the fuzzing phase in a profile.

The wrapped strategy depends only on the strategy below it, the operation (a hook's filters match
the operation) and the hooks registered for the location, so it is kept per (strategy, operation,
location, registered hooks). A reused FilteredStrategy draws exactly as a new one (no state of its
own; the label Hypothesis records comes from its class), so the same seed gives the same choices:
tests/test_contract_strategies.py checks that. ``before_generate_*`` hooks, which may do anything
each time, make apply_hooks run as before.

2. An object's properties. schemathesis' JSON Schema strategies (generation/jsonschema/strategy.py,
``_drawn_object``/``_named_object``) draw the optional properties to include, then build
``st.fixed_dictionaries`` of the chosen ones on every draw: a new strategy, validated on its first
draw, for what is mostly one of a few key sets. That module's ``st`` is given a copy of
``hypothesis.strategies`` whose ``fixed_dictionaries`` returns the same strategy object for the same
keys and value strategies (the same objects). Hypothesis labels a composite by its code, not its
globals, so the spans it records are unchanged.
"""

from __future__ import annotations

from typing import Any

KEEP = 1024  # entries; a new feedback generation in schemathesis makes new strategies, so start over then


def reuse_strategies() -> None:
    """Install both reuses (once per process); schemathesis behaves as before for any other use."""
    reuse_hooked_strategies()
    reuse_object_strategies()


def reuse_object_strategies() -> None:
    import types

    import hypothesis.strategies
    from schemathesis.generation.jsonschema import strategy as jsonschema_strategies

    if getattr(jsonschema_strategies.st, "_reuses", False):
        return
    make = hypothesis.strategies.fixed_dictionaries
    kept: dict[tuple, tuple[dict, Any]] = {}

    def fixed_dictionaries(mapping, **optional):
        if optional or type(mapping) is not dict:
            return make(mapping, **optional)
        key = tuple((name, id(value)) for name, value in mapping.items())
        found = kept.get(key)
        if found is not None and all(found[0][name] is value for name, value in mapping.items()):
            return found[1]
        made = make(mapping)
        if len(kept) >= KEEP:
            kept.clear()
        kept[key] = (dict(mapping), made)  # holding the value strategies keeps their ids from being reused
        return made

    module = types.ModuleType(hypothesis.strategies.__name__, hypothesis.strategies.__doc__)
    module.__dict__.update(vars(hypothesis.strategies))
    module.fixed_dictionaries = fixed_dictionaries  # type: ignore[attr-defined]
    module._reuses = True  # type: ignore[attr-defined]
    jsonschema_strategies.st = module


def reuse_hooked_strategies() -> None:
    from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER
    from schemathesis.specs.openapi import _hypothesis

    original = _hypothesis.apply_hooks
    if getattr(original, "_reuses", False):
        return
    kept: dict[tuple, tuple[Any, Any, Any]] = {}

    def apply_hooks(operation, ctx, hooks, strategy, location):
        container = location.container_name
        names = (f"filter_{container}", f"map_{container}", f"flatmap_{container}")
        dispatchers = (GLOBAL_HOOK_DISPATCHER, operation.schema.hooks, hooks)
        if any(d is not None and d._hooks.get(f"before_generate_{container}") for d in dispatchers):
            return original(operation, ctx, hooks, strategy, location)
        registered = tuple(tuple(map(id, d._hooks.get(name, ()))) if d is not None else ()
                           for d in dispatchers for name in names)
        if not any(registered):
            return strategy  # what apply_hooks returns without hooks
        key = (id(strategy), id(operation), location, registered)
        found = kept.get(key)
        if found is not None and found[0] is strategy and found[1] is operation:
            return found[2]
        made = original(operation, ctx, hooks, strategy, location)
        if len(kept) >= KEEP:
            kept.clear()
        kept[key] = (strategy, operation, made)  # holding both keeps their ids from being reused
        return made

    apply_hooks._reuses = True  # type: ignore[attr-defined]
    apply_hooks._original = original  # type: ignore[attr-defined]
    apply_hooks.__doc__ = original.__doc__
    _hypothesis.apply_hooks = apply_hooks
