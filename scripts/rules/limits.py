"""Rules on sizes and counts that the import enforces."""

from __future__ import annotations

from . import SWAGGER, Connector, Problem, rule
from .walk import operations

MAX_DEFINITION_BYTES = 1024 * 1024
MAX_OPERATIONS = 256


@rule("FileLimits", "apiDefinition.swagger.json is under 1 MB and has at most 256 operations.")
def file_limits(c: Connector):
    size = c.sizes.get(SWAGGER)
    if size is not None and size >= MAX_DEFINITION_BYTES:
        yield Problem(SWAGGER, (), f"the definition is {size} bytes; the import takes less than 1 MB")
    count = sum(1 for _ in operations(c.swagger))
    if count > MAX_OPERATIONS:
        yield Problem(SWAGGER, ("paths",), f"{count} operations; a connector may have at most {MAX_OPERATIONS}")
