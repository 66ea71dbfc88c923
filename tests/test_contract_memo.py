"""The contract run's memoized schemathesis settings (scripts/contract/memo.py) answer as schemathesis does."""

from __future__ import annotations

import pytest

from scripts.contract import memo
from scripts.contract.cli import embedded_mock_target
from scripts.contract.runner import (
    PHASES,
    base_url_for,
    build_config,
    constant_queries,
    destructive_operations,
    partial_spellings,
    platform_filled_optional,
)


@pytest.fixture(scope="module")
def schema(swagger, api_properties):
    import schemathesis

    target = embedded_mock_target(swagger, api_properties)
    config = build_config(base_url=base_url_for(swagger, api_properties, target), target=target, seed=1,
                          max_examples=10, junit=None, routed=("LookupNumber",),
                          destructive=destructive_operations(swagger), constants=constant_queries(swagger),
                          partial=partial_spellings(swagger))
    return schemathesis.openapi.from_dict(platform_filled_optional(swagger), config=config)


def _answers(config, operations):
    return [(name, op.label, phase, getattr(config, name)(operation=op, **({"phase": phase} if phase else {})))
            for op in operations for name in memo.MEMOIZED
            for phase in ((None,) if name == "phases_for" else (None, *PHASES))]


def test_memoized_settings_equal_schemathesis_own_for_every_operation_and_phase(schema):
    operations = [result.ok() for result in schema.get_all_operations()]
    config = schema.config
    plain = _answers(config, operations)
    memo.register(config)
    try:
        first, second = _answers(config, operations), _answers(config, operations)
    finally:
        memo.unregister(config)
    assert first == plain
    # The second round is served from the memo: the very objects of the first.
    assert all(a[3] is b[3] for a, b in zip(first, second, strict=True))
    # Phases differ between operations (HangUpCall's coverage phase, unexpected methods per path), so
    # `first == plain` above would catch a memo that mixed operations up.
    assert len({repr(answer) for n, _, _, answer in plain if n == "phases_for"}) > 1


def test_an_unregistered_config_is_looked_up_afresh(schema):
    op = next(result.ok() for result in schema.get_all_operations())
    memo.register(schema.config)
    memo.unregister(schema.config)
    fresh = [schema.config.generation_for(operation=op, phase="fuzzing") for _ in range(2)]
    assert fresh[0] == fresh[1] and fresh[0] is not fresh[1]
