"""The four operations of the published connector stay as a saved flow knows them.

Compared with the copy in tests/fixtures/published/operations.json (taken before new operations
were added; see tests/published.py): nothing pinned may be removed, renamed, retyped, relabelled or
change whether it is required. New optional inputs, new outputs and new operations are allowed (the
copy lists only the four published operations, so adding one needs no edit to it).
"""

from __future__ import annotations

import copy
import json

import pytest

from tests.published import PINNED_FILE, PUBLISHED_OPERATIONS, breaking_changes, snapshot

PINNED = {entry["operationId"]: entry for entry in json.loads(PINNED_FILE.read_text())}


def test_the_copy_pins_exactly_the_published_operations():
    assert sorted(PINNED) == sorted(PUBLISHED_OPERATIONS)


@pytest.mark.parametrize("operation_id", PUBLISHED_OPERATIONS)
def test_published_operation_is_unchanged(operation_id, swagger, api_properties):
    assert breaking_changes(PINNED[operation_id], snapshot(swagger, api_properties, operation_id)) == []


def _doctor(entry: dict, *path: str, value=None) -> dict:
    """A copy of ``entry`` with one nested key set to ``value`` (removed when value is None)."""
    doctored = copy.deepcopy(entry)
    target = doctored
    for key in path[:-1]:
        target = target[key]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doctored


@pytest.mark.parametrize(("path", "value"), [
    (("inputs", "SMS.text"), None),                                      # removed
    (("inputs", "SMS.text", "type"), "integer"),                         # retyped
    (("inputs", "SMS.text", "required"), False),                         # no longer required
    (("inputs", "SMS.text", "summary"), "Body"),                         # relabelled
    (("inputs", "SMS.method", "enum"), ["POST"]),                        # an accepted value dropped
    (("inputs", "SMS.type"), {"in": "body", "type": "string", "summary": "Type", "required": True}),
    (("outputs", "200", "message_uuid"), None),                          # output removed
    (("outputs", "200", "message_uuid", "items"), "integer"),            # output retyped
    (("summary",), "Send a text"),
    (("url",), "https://api.plivo.com/v1/Account/MAXXXXXXXXXXXXXXXXXX/Messages/"),
])
def test_a_breaking_change_is_reported(path, value):
    assert breaking_changes(PINNED["SendSMS"], _doctor(PINNED["SendSMS"], *path, value=value)) != []


@pytest.mark.parametrize(("path", "value"), [
    (("inputs", "SMS.log"), {"in": "body", "type": "boolean", "summary": "Log", "required": False}),
    (("inputs", "SMS.method", "enum"), ["GET", "POST", "PUT"]),
    (("outputs", "200", "invalid_number_count"), {"type": "integer", "summary": "Invalid Count"}),
])
def test_an_additive_change_is_allowed(path, value):
    assert breaking_changes(PINNED["SendSMS"], _doctor(PINNED["SendSMS"], *path, value=value)) == []
