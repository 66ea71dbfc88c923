"""Rules on sizes and counts that the import enforces."""

from __future__ import annotations

import json

from . import LIMITS_DOC, PLATFORM, SWAGGER, Connector, Problem, rule
from .walk import operations

MAX_DEFINITION_BYTES = 1024 * 1024
MAX_OPERATIONS = 256


@rule("FileLimits", "apiDefinition.swagger.json is under 1 MB and has at most 256 operations.",
      profile=PLATFORM, source=LIMITS_DOC,
      rationale="The import refuses larger definitions.",
      fix="Split the connector, or remove unused definitions and operations.")
def file_limits(c: Connector):
    # Measured as compact JSON: certified connectors over 1 MB pretty-printed import, so the limit is on
    # content, not indentation. (A file under 1 MB is under it compact too: no need to serialise it.)
    size = c.sizes.get(SWAGGER)
    if size is not None and size >= MAX_DEFINITION_BYTES:
        size = len(json.dumps(c.swagger, separators=(",", ":"), ensure_ascii=False).encode())
    if size is not None and size >= MAX_DEFINITION_BYTES:
        yield Problem(SWAGGER, (), f"the definition is {size} bytes as compact JSON; the import takes less than 1 MB")
    count = sum(1 for _ in operations(c.swagger))
    if count > MAX_OPERATIONS:
        yield Problem(SWAGGER, ("paths",), f"{count} operations; a connector may have at most {MAX_OPERATIONS}")
