"""The published "Plivo (Preview)" connector's surface, from published.json, as a Surface to compare with.

The published connector's definition is not open source; published.json records what flows built
on it depend on (operationIds, keys, types, display names, the connection), taken from its
reference page. Comparing against it uses the same rules as ``diff --base``, with two differences:
the published record has no descriptions or visibilities, so only display names are compared as
text, and a changed display name fails the check, because makers know the connector by them.
"""

from __future__ import annotations

import json
from pathlib import Path

from .compare import BREAKING, Change, compare
from .surface import Field, Operation, Surface

PUBLISHED = Path(__file__).with_name("published.json")
# The reference page shows types but not formats or allowed values: those are not compared.
UNKNOWN = ("format", "enum")


def published_surface(path: Path = PUBLISHED) -> Surface:
    data = json.loads(path.read_text(encoding="utf-8"))
    surface = Surface(auth=tuple(data["auth"]))
    for key, spec in data["connection"].items():
        surface.connection[key] = Field(key=key, type=spec["type"], required=spec["required"],
                                        summary=spec.get("displayName"))
    for operation_id, spec in data["operations"].items():
        surface.operations[operation_id] = Operation(
            operation_id=operation_id, method=spec["method"], path=spec["path"], summary=spec["summary"],
            family=operation_id,
            inputs={key: Field(key=key, type=f["type"], required=f["required"], summary=f.get("displayName"),
                               visibility=f.get("visibility"), location=f["in"], unknown=UNKNOWN)
                    for key, f in spec["inputs"].items()},
            outputs={key: Field(key=key, type=f["type"], summary=f.get("displayName"), unknown=UNKNOWN)
                     for key, f in spec["outputs"].items()},
        )
    return surface


def compare_published(head: Surface, path: Path = PUBLISHED) -> list[Change]:
    """Changes from the published connector to ``head``; display-name changes are breaking here."""
    changes = []
    for change in compare(published_surface(path), head):
        if change.kind == "text-changed":
            if change.attribute != "summary" or not change.had_value:
                continue  # not recorded for the published connector: nothing to compare with
            change = change._replace(kind="display-name-changed", severity=BREAKING)
        changes.append(change)
    return changes
