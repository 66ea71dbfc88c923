"""Rules on the x-ms extensions that refer to other parts: dynamic values and schemas, paging, shared parts."""

from __future__ import annotations

from ..trails import pointer_of
from . import CERTIFICATION, EXTENSIONS_DOC, PLATFORM, SWAGGER, VALIDATOR_DOC, WARNING, Connector, Problem, rule
from .walk import json_objects, obj, operation_ids, operations, text

DYNAMIC_KEYS = ("x-ms-dynamic-values", "x-ms-dynamic-schema", "x-ms-dynamic-list", "x-ms-dynamic-properties",
                "x-ms-dynamic-tree")
NEXT_LINK_NAMES = ("nextLink", "@odata.nextLink")


@rule("DynamicOperationExists", "x-ms-dynamic-values, -schema, -list and -properties name an existing operationId.",
      profile=PLATFORM, source=EXTENSIONS_DOC,
      rationale="The designer calls that operation to fill a drop-down or a schema; if it does not exist the input "
                "stays empty and the action cannot be configured.",
      fix="Set operationId to the id of the list operation (often an internal one), or add that operation.")
def dynamic_operation_exists(c: Connector):
    op_ids = operation_ids(c.swagger)
    for trail, node in json_objects(c):
        for key in DYNAMIC_KEYS:
            extension = node.get(key)
            if not isinstance(extension, dict) or "operationId" not in extension:
                continue  # some use a capability (a file picker) instead of an operation
            op_id = extension["operationId"]
            if not isinstance(op_id, str) or op_id not in op_ids:
                yield Problem(SWAGGER, (*pointer_of(trail), key, "operationId"),
                              f"{key} names operation {op_id!r}, which does not exist")


@rule("PageableNextLink", "x-ms-pageable.nextLinkName is nextLink or @odata.nextLink.",
      profile=CERTIFICATION, source=EXTENSIONS_DOC,
      rationale="The platform follows next-page links only from these top-level response properties; any other "
                "name silently returns the first page only.",
      fix="Return the link as nextLink (or @odata.nextLink), e.g. with an updatenextlink policy, and name it here.")
def pageable_next_link(c: Connector):
    for pointer, path, method, op in operations(c.swagger):
        pageable = op.get("x-ms-pageable")
        if pageable is None:
            continue
        name = obj(pageable).get("nextLinkName")
        if name not in NEXT_LINK_NAMES:
            yield Problem(SWAGGER, (*pointer, "x-ms-pageable"),
                          f"operation {op.get('operationId') or method.upper() + ' ' + path}: x-ms-pageable."
                          f"nextLinkName {name!r} must be one of {', '.join(NEXT_LINK_NAMES)}")


@rule("SharedPartMetadata", "Shared top-level parameters have an x-ms-summary or description; shared responses "
                            "have a description.",
      profile=CERTIFICATION, severity=WARNING, source=VALIDATOR_DOC,
      rationale="A shared parameter is an input in every operation that refers to it; without a label the maker "
                "sees its raw key there.",
      fix="Give the shared parameter an x-ms-summary and a description, and the shared response a description.")
def shared_part_metadata(c: Connector):
    for name, param in obj(c.swagger.get("parameters")).items():
        if not isinstance(param, dict) or param.get("in") == "body" or param.get("x-ms-visibility") == "internal":
            continue
        if not text(param.get("x-ms-summary")).strip() and not text(param.get("description")).strip():
            yield Problem(SWAGGER, ("parameters", name),
                          f"shared parameter '{name}' has neither x-ms-summary nor description")
    for name, response in obj(c.swagger.get("responses")).items():
        if isinstance(response, dict) and not text(response.get("description")).strip():
            yield Problem(SWAGGER, ("responses", name), f"shared response '{name}' has no description")
