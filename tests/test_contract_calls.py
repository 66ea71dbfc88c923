"""The contract run on the call operations: seeded calls, destructive hang-up, a 2xx for each, determinism."""

from __future__ import annotations

import re

from scripts.contract import run_contract
from scripts.contract.cli import embedded_mock_target
from scripts.contract.runner import constant_queries, destructive_operations, partial_spellings
from scripts.contract.seed import operations_with
from scripts.mock import live_calls

QUICK = {"max_examples": 5, "phases": ("examples", "coverage")}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def test_each_call_operation_gets_its_own_answered_call(swagger, api_properties):
    target = embedded_mock_target(swagger, api_properties)
    wanted = operations_with(swagger, "call_uuid")
    assert {"GetCall", "HangUpCall", "SpeakText", "StartRecording"} <= set(wanted)
    uuids = [target.operation_path_values[op]["call_uuid"] for op in wanted]
    assert len(set(uuids)) == len(wanted)
    now = target.app.clock.now()
    for uuid in uuids:
        row = target.app.store.one("SELECT * FROM calls WHERE uuid = ?", (uuid,))
        assert live_calls.live_state(row, now) == "in-progress"
    recording = target.path_values["recording_id"]
    assert target.app.store.one("SELECT stopped_at FROM recordings WHERE recording_id = ?", (recording,))[0]


def test_only_deleting_a_resource_itself_is_destructive(swagger):
    assert destructive_operations(swagger) == ["HangUpCall"]


def test_constant_queries_are_what_the_platform_sends(swagger):
    found = constant_queries(swagger)
    assert found["GetLiveCall"] == {"status": "live"} and found["ListLiveCalls"] == {"status": "live"}


def test_partial_spellings_are_the_live_views(swagger):
    assert partial_spellings(swagger) == {"GetLiveCall": {"get", "delete"}, "ListLiveCalls": {"get", "post"}}


def _shape(path: str) -> str:
    return UUID.sub("{id}", path)


def _operation_shapes(swagger) -> dict[tuple[str, str], str]:
    shapes = {}
    for path, item in swagger["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict) or "operationId" not in op:
                continue  # path-level keys such as a webhook trigger's x-ms-notification-content
            shape = "/v1/Account/MACONTRACTRUN0000001" + re.sub(r"\{[^}]+\}", "{id}", path)
            shapes[(method.upper(), shape)] = op["operationId"]
    return shapes


def test_every_operation_answers_2xx_in_the_run(swagger, api_properties):
    target = embedded_mock_target(swagger, api_properties)
    assert run_contract(swagger, api_properties, target, **QUICK) == 0
    shapes = _operation_shapes(swagger)
    succeeded = {shapes.get((e["method"], _shape(e["path"]))) for e in target.app.request_log
                 if 200 <= e["status"] < 300}
    calls = {op for (_, shape), op in shapes.items() if "/Call" in shape or "/Recording" in shape}
    assert len(calls) >= 14 and succeeded >= calls
    # The live views' spellings are never probed with the other spelling's methods: those would
    # hang up the seeded call or place a call.
    assert not [e for e in target.app.request_log
                if (e["method"], _shape(e["path"])) in {("DELETE", "/v1/Account/MACONTRACTRUN0000001/Call/{id}"),
                                                        ("POST", "/v1/Account/MACONTRACTRUN0000001/Call")}]


def test_settings_of_the_call_operations(swagger, api_properties):
    from scripts.contract.runner import ContractTarget, build_config

    target = ContractTarget("MAXXXXXXXXXXXXXXXXXX", "t", operation_path_values={"SpeakText": {"call_uuid": "u"}})
    config = build_config(base_url="https://api.plivo.com/v1/Account/MAXXXXXXXXXXXXXXXXXX", target=target,
                          seed=1, max_examples=1, junit=None, destructive=destructive_operations(swagger),
                          constants=constant_queries(swagger), partial=partial_spellings(swagger))
    settings = config.projects.default.operations.operations
    parameters = [op.parameters for op in settings if op.parameters]
    assert {"path.call_uuid": "u"} in parameters and {"query.status": "live"} in parameters
    assert sum(1 for op in settings if op.warnings is not None) == 1  # HangUpCall's
