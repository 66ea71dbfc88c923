"""Rules on the x-ms extensions that refer to other parts: dynamic values and schemas, paging, shared parts."""

from __future__ import annotations

from collections.abc import Iterator

from . import CERTIFICATION, EXTENSIONS_DOC, PLATFORM, SWAGGER, VALIDATOR_DOC, WARNING, Connector, Problem, rule
from .walk import obj, operation_ids, operations, text

DYNAMIC_KEYS = ("x-ms-dynamic-values", "x-ms-dynamic-schema", "x-ms-dynamic-list", "x-ms-dynamic-properties",
                "x-ms-dynamic-tree")
NEXT_LINK_NAMES = ("nextLink", "@odata.nextLink")


def nodes(document, pointer: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    """Every JSON object in ``document`` with its pointer (iteratively, so depth costs no recursion)."""
    for trail, node in _trails(document):
        yield _pointer(trail, pointer), node


def _trails(document) -> Iterator[tuple[tuple | None, dict]]:
    """Every JSON object with its trail: (parent trail, key) pairs, a tuple only made into a
    pointer (``_pointer``) for the few nodes that need one, not for each of the thousands."""
    stack: list[tuple[tuple | None, object]] = [(None, document)]
    containers = (dict, list)
    while stack:
        trail, node = stack.pop()
        if isinstance(node, dict):
            yield trail, node
            stack.extend(((trail, key), value) for key, value in node.items() if isinstance(value, containers))
        elif isinstance(node, list):
            stack.extend(((trail, index), value) for index, value in enumerate(node)
                         if isinstance(value, containers))


def _pointer(trail: tuple | None, start: tuple = ()) -> tuple:
    keys = []
    while trail is not None:
        trail, key = trail
        keys.append(key)
    return (*start, *reversed(keys))


@rule("DynamicOperationExists", "x-ms-dynamic-values, -schema, -list and -properties name an existing operationId.",
      profile=PLATFORM, source=EXTENSIONS_DOC,
      rationale="The designer calls that operation to fill a drop-down or a schema; if it does not exist the input "
                "stays empty and the action cannot be configured.",
      fix="Set operationId to the id of the list operation (often an internal one), or add that operation.")
def dynamic_operation_exists(c: Connector):
    op_ids = operation_ids(c.swagger)
    for trail, node in _trails(c.swagger):
        for key in DYNAMIC_KEYS:
            extension = node.get(key)
            if not isinstance(extension, dict) or "operationId" not in extension:
                continue  # some use a capability (a file picker) instead of an operation
            op_id = extension["operationId"]
            if not isinstance(op_id, str) or op_id not in op_ids:
                yield Problem(SWAGGER, (*_pointer(trail), key, "operationId"),
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
