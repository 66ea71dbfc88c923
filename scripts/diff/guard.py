"""The build's guard for this repository: the rendered definition keeps the published connector's surface.

`plivo-connector build` (and `build --check`) stop, as they do for broken sources, when a change
would break flows built on the published Plivo (Preview) connector: a renamed operationId or
input key, a removed output. A changed display name breaks no flow: `diff --published` (in the
tests and CI) reports it, the build does not stop for it. The way to change such an operation is a new
revision (README, "Breaking changes and CI"); retiring part of the published surface for good
means editing scripts/diff/published.json in the same commit, where a reviewer sees it.
"""

from __future__ import annotations

from pathlib import Path

from ..findings import Finding
from .published import compare_published, published_surface
from .surface import read_surface

RULE = "PublishedSurface"


def published_findings(root: Path, swagger: dict, properties: dict) -> list[Finding]:
    """One finding per breaking change against the published connector, placed at its operation's source."""
    findings = []
    published = published_surface()
    families = {op.family for op in published.operations.values()}
    # Inputs and outputs are compared only for published operations and new revisions of them: a
    # connector with a thousand operations does not need the other 996 read that far.
    head = read_surface(swagger, properties, lambda operation_id, family: operation_id in published.operations
                        or family in families)
    for change in compare_published(head):
        if not change.blocks or change.kind == "display-name-changed":
            continue
        source = f"connector/operations/{change.operation}.yaml" if change.operation else None
        if source is None or not (root / source).is_file():
            source = "connector/connector.yaml"
        findings.append(Finding(source, None, RULE, f"{change.message} [{change.kind}]: flows built on the "
                                "published Plivo connector would break; add a new revision instead "
                                "(README: Breaking changes and CI)"))
    return findings
