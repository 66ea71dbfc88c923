"""Calls and a recording for the contract run, so that every call operation can reach its success path.

Live-call actions need a call in progress, and hanging up ends one: sharing a single call would
leave every operation tested after HangUpCall with 404s only. So each operation with a
``{call_uuid}`` path parameter gets its own call, answered before the run starts (the mock's clock
is moved past the ringing), and GetRecording gets a recording made and stopped on one more call.

Only a mock gets calls made: against api.plivo.com (read-only) the newest listed call and
recording are used instead, and live-call actions, being writes, are not run at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CALL_PARAMETER = "call_uuid"
RECORDING_PARAMETER = "recording_id"
SEED_CALL = {"from": "14155550100", "to": "14155550102", "answer_url": "https://example.com/answer"}
ANSWERED_AFTER = 3.0  # seconds of mock time: past the mock's 2 s of ringing

# send(method, path below the account, JSON body or None) -> (status, parsed body)
Send = Callable[[str, str, Any], tuple[int, Any]]


@dataclass
class Seeds:
    path_values: dict[str, str] = field(default_factory=dict)  # for every operation
    per_operation: dict[str, dict[str, str]] = field(default_factory=dict)  # operationId -> values
    notes: list[str] = field(default_factory=list)


def operations_with(swagger: dict, parameter: str) -> list[str]:
    """operationIds whose path holds ``{parameter}``, in definition order."""
    return [op.get("operationId", f"{method.upper()} {path}") for path, item in swagger.get("paths", {}).items()
            if "{" + parameter + "}" in path for method, op in item.items() if isinstance(op, dict)]


def seed_mock(swagger: dict, send: Send, advance: Callable[[float], None]) -> Seeds:
    """Make one call per call operation (and one for a recording), let them be answered, record."""
    seeds = Seeds()
    wanted = operations_with(swagger, CALL_PARAMETER)
    needs_recording = bool(operations_with(swagger, RECORDING_PARAMETER))
    if not wanted and not needs_recording:
        return seeds
    calls = {}
    for op_id in [*wanted, *(["(recording)"] if needs_recording else [])]:
        status, body = send("POST", "/Call/", SEED_CALL)
        if status != 201 or not isinstance(body, dict) or not isinstance(body.get("request_uuid"), str):
            seeds.notes.append(f"could not make a call for {op_id}: {status} {body}")
            continue
        calls[op_id] = body["request_uuid"]
    advance(ANSWERED_AFTER)
    for op_id in wanted:
        if op_id in calls:
            seeds.per_operation[op_id] = {CALL_PARAMETER: calls[op_id]}
    if "(recording)" in calls:
        call_uuid = calls["(recording)"]
        status, body = send("POST", f"/Call/{call_uuid}/Record/", {})
        stopped, _ = send("DELETE", f"/Call/{call_uuid}/Record/", None)
        if status == 202 and stopped == 204 and isinstance(body, dict):
            seeds.path_values[RECORDING_PARAMETER] = body["recording_id"]
        else:
            seeds.notes.append(f"could not record a call: start {status} {body}, stop {stopped}")
    return seeds


def seed_read_only(swagger: dict, send: Send) -> Seeds:
    """The newest listed call and recording of the account, for GetCall and GetRecording."""
    seeds = Seeds()
    for parameter, path in ((CALL_PARAMETER, "/Call/?limit=1"), (RECORDING_PARAMETER, "/Recording/?limit=1")):
        if not operations_with(swagger, parameter):
            continue
        status, body = send("GET", path, None)
        objects = body.get("objects") if isinstance(body, dict) else None
        if status == 200 and objects:
            seeds.path_values[parameter] = objects[0][parameter]
        else:
            seeds.notes.append(f"no {parameter} to read back ({status}); its operations may only see 404s")
    return seeds
