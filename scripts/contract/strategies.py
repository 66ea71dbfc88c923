"""Reuse strategy objects that schemathesis makes anew on every draw, where a new one and a reused
one draw exactly alike. These places:

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

3. Negative mode's schema mutation (schemathesis/specs/openapi/negative/mutations.py), which runs on
every negative draw (about a fifth of a negative case's time in a profile), and the choice of the
locations a negative case breaks and of a body's media type (specs/openapi/_hypothesis.py). They
build strategies of the same few arguments on every draw: ``st.sampled_from`` of the same targets,
keywords and operators (a new SampledFromStrategy, or a JustStrategy for one element, each time:
Hypothesis caches neither),
``st.shared(FeatureStrategy(), key=...)`` (a new base and a new SharedStrategy each time), and
``st.lists(st.sampled_from(operators), unique_by=lambda fn: fn.__name__)`` (``ordered``: a new
lambda each time, so Hypothesis' own strategy cache never hits and is filled with one dead entry
per draw, pushing out the strategies it could have kept). Those modules' ``st`` is given a copy of
``hypothesis.strategies`` where
- ``sampled_from`` returns the same strategy for the same elements: compared by value for str,
  int, bool and None (of the same type: 1 and True differ), by identity for anything else (the
  cached strategy holds those very objects, so it samples what a new one would), tuples element by
  element (the body's (media type, serializer) choices); a sequence with a list, dict or set in
  it, even inside a tuple, is not kept (the value channel's targets: per-draw data);
- ``shared(FeatureStrategy(), key=k)`` returns one strategy per key (a SharedStrategy draws from
  its base only the first time its key is met in a test case, and FeatureStrategy() has no state);
- ``lists(..., unique_by=f)`` passes one function for every ``f`` made from the same code without
  a closure or defaults (two such functions compute the same thing), so Hypothesis' cache hits.
A reused strategy is the object a new one would be rebuilt as, with the same label: the same seed
gives the same choices.

4. Negative mode's value strategy per mutated schema. Each negative draw mutates the schema and
then expands it in a flatmap: ``generate_value_with_metadata((schema, metadata))`` in
schemathesis/specs/openapi/negative/__init__.py returns ``build(schema).filter(...).map(...)``, a
new strategy tree (validated on its first draw) although the same few mutations come back all the
time (schemathesis already keeps ``build``'s part). The expansion depends only on that argument
and on the closure's variables, which are fixed for the strategy it belongs to; so it is kept per
(expand function, the argument's exact value). The key spells the value out with every type
(1 is not True, a tuple is not a list, dict order kept: it is draw order). The kept strategy's map
wraps each value with the *first* equal metadata object: schemathesis never changes a Mutation or
MutationMetadata once made (nothing assigns to their fields), so an equal one is as good. This
is a class-level patch of Hypothesis' FlatMapStrategy.do_draw that does what the original does
(draw the base, expand, check, draw) and applies only to that one function's code: the flatmap's
label comes from its expand function, which stays the same.

5. Not a reuse but the same waste: Hypothesis 6.170 validates a FilteredStrategy again on every
draw. ``FilteredStrategy.do_validate`` re-initialises the strategy in place (to fold in filters its
reified inner strategy can absorb) and ``SearchStrategy.__init__`` sets ``validate_called = {}``,
so the mark ``validate()`` set just before is lost: every later draw replays the filters (a
TextStrategy's ``filter`` even parses the predicate's source to look for length bounds) and may
leave a new inner strategy to validate. (Before validate_called became a per-thread dict set in
``__init__`` it was a class attribute set to True, which the re-initialisation kept.) The patch keeps
the mark; the state each replay starts from is what the first validation left, and replaying the
same filters on it gives the same strategy again (bounds intersect to themselves, sampled_from's
filters are already folded in), so the draws are the same.

6. Operations that take values captured from earlier answers (a call_uuid in a path, found in a
list the mock returned). schemathesis (adapter/parameters.py) caches a location's strategy only
for operations that take none: for the others it rebuilds on every draw what sits on top of the
cached strategy beneath, since the captured values are bound in when it is built and more come as
the run goes on: the hybrid strategy that mixes them in (``build_hybrid_strategy``), the location's
serialising maps and filters (``OpenApiParameterSet._build_strategy``) and, in negative mode, the
mix of negative and positive values (``_mix_negative_into_positive``). Each is kept per its exact
arguments: the same strategy beneath, the same captured values (compared by value: flat overlays of
str, int, bool or None, and their provenance records field by field; a nested overlay is built
anew), the same usage tracker (read when drawing, as before) and schema objects. A new captured
value makes a new key, so a kept strategy never holds stale values. What it binds is equal to
what a new one would bind, so it draws the same.

The caches are plain dicts without locks: schemathesis runs one worker thread per process here
(runner.build_config sets workers 1; worker processes each have their own).
"""

from __future__ import annotations

from typing import Any

KEEP = 1024  # entries; a new feedback generation in schemathesis makes new strategies, so start over then


def reuse_strategies() -> None:
    """Install the reuses (once per process); schemathesis behaves as before for any other use."""
    reuse_hooked_strategies()
    reuse_object_strategies()
    reuse_mutation_strategies()
    reuse_negative_expansions()
    validate_filters_once()
    reuse_captured_variant_strategies()


def _reusing_copy(**replacements):
    """A copy of ``hypothesis.strategies`` (as it is now) with some functions replaced."""
    import types

    import hypothesis.strategies

    module = types.ModuleType(hypothesis.strategies.__name__, hypothesis.strategies.__doc__)
    module.__dict__.update(vars(hypothesis.strategies))
    module.__dict__.update(replacements)
    module._reuses = True  # type: ignore[attr-defined]
    return module


def _kept_by_key(make, key_of):
    """``make`` whose result is kept per ``key_of(*arguments)``: (a hashable key, the objects whose
    ids it holds); a TypeError from key_of means "build anew"."""
    kept: dict[tuple, tuple[tuple, Any]] = {}

    def kept_make(*args, **kwargs):
        try:
            key, held = key_of(*args, **kwargs)
        except TypeError:
            return make(*args, **kwargs)
        found = kept.get(key)
        if found is not None and all(a is b for a, b in zip(found[0], held, strict=True)):
            return found[1]
        made = make(*args, **kwargs)
        if len(kept) >= KEEP:
            kept.clear()
        kept[key] = (held, made)  # holding them keeps their ids from being reused
        return made

    kept_make._reuses = True  # type: ignore[attr-defined]
    kept_make._original = make  # type: ignore[attr-defined]
    kept_make.__doc__ = make.__doc__
    return kept_make


_BY_VALUE = (str, int, bool, type(None))  # immutable: an equal one is as good as the same one
_PER_DRAW = (list, dict, set)  # elements holding these are per-draw data: not worth keeping


def _element_key(element: Any) -> tuple:
    kind = type(element)
    if kind in _BY_VALUE:
        return (kind, element)
    if kind is tuple:  # e.g. (media type, its serializer)
        return (kind, tuple(_element_key(item) for item in element))
    if isinstance(element, _PER_DRAW):
        raise TypeError("per-draw data")
    return (None, id(element))


def _sampled_from(make):
    kept: dict[tuple, tuple[tuple, Any]] = {}

    def sampled_from(elements):
        if type(elements) not in (list, tuple):
            return make(elements)
        try:
            key = (type(elements), tuple(_element_key(e) for e in elements))
        except TypeError:
            return make(elements)
        found = kept.get(key)
        if found is not None:
            return found[1]
        made = make(elements)
        if len(kept) >= KEEP:
            kept.clear()
        kept[key] = (tuple(elements), made)  # holding the elements keeps their ids from being reused
        return made

    sampled_from._original = make  # type: ignore[attr-defined]
    return sampled_from


def _shared(make):
    from hypothesis.strategies._internal.featureflags import FeatureStrategy

    kept: dict[tuple, Any] = {}

    def shared(base, *, key=None):
        if type(base) is not FeatureStrategy or base._at_least_one_of or key is None:
            return make(base, key=key)
        try:
            found = kept.get((type(key), key))
        except TypeError:  # an unhashable key: Hypothesis will say so
            return make(base, key=key)
        if found is None:
            found = kept[(type(key), key)] = make(base, key=key)  # a few keys: "operators", "types", ...
        return found

    shared._original = make  # type: ignore[attr-defined]
    return shared


def _lists(make):
    import types

    canonical: dict[tuple, Any] = {}

    def lists(elements, **options):
        unique_by = options.get("unique_by")
        if (isinstance(unique_by, types.FunctionType) and unique_by.__closure__ is None
                and not unique_by.__defaults__ and not unique_by.__kwdefaults__):
            key = (unique_by.__code__, id(unique_by.__globals__))
            first = canonical.get(key)
            if first is None:
                if len(canonical) >= KEEP:
                    canonical.clear()
                first = canonical[key] = unique_by  # holding it keeps its code and globals alive
            options["unique_by"] = first
        return make(elements, **options)

    lists._original = make  # type: ignore[attr-defined]
    return lists


def _frozen(value: Any) -> tuple:
    """A hashable spelling of a mutated schema and its metadata that equals another only for an
    equal value of the same types; a TypeError for anything else."""
    import dataclasses
    import enum

    kind = type(value)
    if kind in _BY_VALUE:
        return (kind, value)
    if kind is float:
        return (kind, value.hex() if value == value else "nan")
    if kind is list or kind is tuple:
        return (kind, tuple(_frozen(item) for item in value))
    if kind is dict:
        return (kind, tuple((_frozen(k), _frozen(v)) for k, v in value.items()))
    if isinstance(value, enum.Enum):
        return (kind, value)
    if kind.__name__ in ("Mutation", "MutationMetadata") and kind.__module__ == "schemathesis.core.mutations":
        if dataclasses.is_dataclass(value):
            return (kind, tuple(_frozen(getattr(value, f.name)) for f in dataclasses.fields(value)))
        return (kind, _frozen(value.mutations))
    raise TypeError(f"not kept: {kind.__name__}")


def _negative_expand_code():
    """The code object of generate_value_with_metadata (a closure made per negative strategy)."""
    from schemathesis.specs.openapi import negative

    for const in negative.negative_schema.__code__.co_consts:
        if getattr(const, "co_name", None) == "generate_value_with_metadata":
            return const
    return None


def reuse_negative_expansions() -> None:
    from hypothesis.strategies._internal.flatmapped import FlatMapStrategy
    from hypothesis.strategies._internal.strategies import check_strategy

    original = FlatMapStrategy.do_draw
    code = _negative_expand_code()
    if getattr(original, "_reuses", False) or code is None:
        return  # installed, or a schemathesis without that function: nothing to reuse
    expanded_by = _kept_by_key(lambda expand, base: expand(base),
                               lambda expand, base: ((id(expand), _frozen(base)), (expand,)))

    def do_draw(self, data):
        expand = self.expand
        if getattr(expand, "__code__", None) is not code:
            return original(self, data)
        expanded = expanded_by(expand, data.draw(self.base))
        check_strategy(expanded)
        return data.draw(expanded)

    do_draw._reuses = True  # type: ignore[attr-defined]
    do_draw._original = original  # type: ignore[attr-defined]
    FlatMapStrategy.do_draw = do_draw


def validate_filters_once() -> None:
    from hypothesis.strategies._internal.strategies import FilteredStrategy

    original = FilteredStrategy.do_validate
    if getattr(original, "_reuses", False):
        return

    def do_validate(self):
        called = self.validate_called  # validate() marked this thread before calling us
        original(self)  # re-runs __init__, which replaces validate_called with {}
        self.validate_called = called

    do_validate._reuses = True  # type: ignore[attr-defined]
    do_validate._original = original  # type: ignore[attr-defined]
    FilteredStrategy.do_validate = do_validate


def reuse_mutation_strategies() -> None:
    import hypothesis.strategies
    from schemathesis.specs.openapi import _hypothesis
    from schemathesis.specs.openapi.negative import mutations

    for module in (mutations, _hypothesis):
        if not getattr(module.st, "_reuses", False):
            module.st = _reusing_copy(sampled_from=_sampled_from(hypothesis.strategies.sampled_from),
                                      shared=_shared(hypothesis.strategies.shared),
                                      lists=_lists(hypothesis.strategies.lists))


def reuse_object_strategies() -> None:
    import hypothesis.strategies
    from schemathesis.generation.jsonschema import strategy as jsonschema_strategies

    if getattr(jsonschema_strategies.st, "_reuses", False):
        return
    def key_of(mapping, **optional):
        if optional or type(mapping) is not dict:
            raise TypeError("not kept")
        return tuple((name, id(value)) for name, value in mapping.items()), tuple(mapping.values())

    fixed_dictionaries = _kept_by_key(hypothesis.strategies.fixed_dictionaries, key_of)
    jsonschema_strategies.st = _reusing_copy(fixed_dictionaries=fixed_dictionaries)


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


def reuse_captured_variant_strategies() -> None:
    """Keep the strategies schemathesis builds on every draw for an operation that takes values
    captured from earlier answers (a path's call_uuid, a message_uuid): see 6 above."""
    from schemathesis.specs.openapi.adapter import parameters

    if getattr(parameters.build_hybrid_strategy, "_reuses", False):
        return
    parameters.build_hybrid_strategy = _kept_by_key(parameters.build_hybrid_strategy, _hybrid_key)
    parameters._mix_negative_into_positive = _kept_by_key(parameters._mix_negative_into_positive, _mix_key)
    parameter_set = parameters.OpenApiParameterSet
    parameter_set._build_strategy = _kept_by_key(parameter_set._build_strategy, _parameter_set_key)


def _variants_key(variants) -> tuple:
    """The captured variants by value: flat overlays of immutable values only (a nested overlay's
    dicts end up inside the case, where later steps may change them: those are built anew)."""
    import dataclasses

    key = []
    for variant in variants:
        if type(variant).__name__ != "CapturedVariant" or type(variant.overlay) is not dict:
            raise TypeError("not kept")
        overlay = variant.overlay
        if any(type(value) not in _BY_VALUE for value in overlay.values()):
            raise TypeError("not kept")
        draws = tuple((type(draw), tuple(_frozen(getattr(draw, field.name)) for field in dataclasses.fields(draw)))
                      for draw in variant.draws)
        key.append((_frozen(overlay), draws))
    return tuple(key)


def _hybrid_key(original, variants, usage_tracker, container_schema=None, validator_cls=None):
    return ((id(original), _variants_key(variants), id(usage_tracker), id(container_schema), validator_cls),
            (original, usage_tracker, container_schema))


def _mix_key(positive, negative):
    return (id(positive), id(negative)), (positive, negative)


def _parameter_set_key(self, operation, schema, generation_config, generation_mode, exclude_key, captured, *,
                       feedback, base_key, mix_examples):
    # base_key is set when schemathesis caches the strategy beneath the captured values: what is built
    # on it depends on that, the captured values, the location's schema and serializer (the operation's).
    if base_key is None:
        raise TypeError("not kept")
    variants, tracker = captured if captured is not None else (None, None)
    variants_key = _variants_key(variants) if variants is not None else None
    return ((id(self), id(operation), id(schema), base_key, generation_mode, exclude_key, mix_examples,
             variants_key, id(tracker)),
            (self, operation, schema, tracker))
