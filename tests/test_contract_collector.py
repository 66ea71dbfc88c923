"""The contract run's collector setting: full collections rare during a run, the default after it."""

from __future__ import annotations

import gc

from scripts.contract import collector, run_contract
from scripts.contract.cli import embedded_mock_target
from scripts.contract.runner import RunOptions


def test_a_run_makes_full_collections_rare_and_restores_the_setting(swagger, api_properties, monkeypatch):
    import schemathesis.cli.executor as executor

    seen = []
    original = executor.execute_event_loop

    def watched(stream, **kwargs):
        seen.append(gc.get_threshold())
        return original(stream, **kwargs)

    monkeypatch.setattr(executor, "execute_event_loop", watched)
    before = gc.get_threshold()
    target = embedded_mock_target(swagger, api_properties)
    code = run_contract(swagger, api_properties, target, max_examples=2, phases=("fuzzing",),
                        options=RunOptions(include=("GetAccount",), workers=1, color=False))
    assert code == 0
    assert seen and seen[0][2] >= collector.FULL_COLLECTION_THRESHOLD and seen[0][:2] == before[:2]
    assert gc.get_threshold() == before


def test_the_setting_is_restored_when_the_run_raises():
    before = gc.get_threshold()
    try:
        with collector.fewer_full_collections():
            assert gc.get_threshold()[2] == collector.FULL_COLLECTION_THRESHOLD
            raise KeyError("x")
    except KeyError:
        pass
    assert gc.get_threshold() == before


def test_a_spawned_worker_sets_it_for_itself(monkeypatch):
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        collector.tune_worker()
        assert gc.get_threshold() == (700, 10, collector.FULL_COLLECTION_THRESHOLD)
    finally:
        gc.set_threshold(*before)
