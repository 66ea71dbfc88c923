"""Rules on policy templates: known ids, their parameters, operations and expressions."""

from __future__ import annotations

import difflib

from ..policy_templates import EXPRESSION, KNOWN_FUNCTIONS, OPERATIONS_KEY, PARAMETER_PREFIX, TEMPLATES
from . import PROPERTIES, Connector, Problem, rule
from .walk import operations


@rule("PolicyTemplates", "Policy templates use documented ids and parameters, name existing operations, and "
                         "refer only to existing connection parameters.")
def policy_templates(c: Connector):
    props = c.properties.get("properties", {})
    op_ids = {op.get("operationId") for _, _, _, op in operations(c.swagger)}
    connection = set(props.get("connectionParameters", {}))
    for index, policy in enumerate(props.get("policyTemplateInstances", [])):
        pointer = ("properties", "policyTemplateInstances", index)
        template = policy.get("templateId")
        title = policy.get("title") or template
        if template not in TEMPLATES:
            close = [t for t in TEMPLATES if t == str(template).lower()] or difflib.get_close_matches(
                str(template), list(TEMPLATES), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(sorted(TEMPLATES))}"
            yield Problem(PROPERTIES, (*pointer, "templateId"), f"policy '{title}': unknown templateId "
                                                                f"'{template}'; {hint}")
            continue
        if not policy.get("title"):
            yield Problem(PROPERTIES, pointer, f"policy '{template}' has no title")
        parameters = policy.get("parameters", {})
        names = set()
        for key in parameters:
            if key == OPERATIONS_KEY:
                continue
            if not key.startswith(PARAMETER_PREFIX):
                yield Problem(PROPERTIES, (*pointer, "parameters", key),
                              f"policy '{title}': parameter '{key}' must start with {PARAMETER_PREFIX}")
                continue
            names.add(key.removeprefix(PARAMETER_PREFIX))
        spec = TEMPLATES[template]
        if spec is not None:
            required, optional = spec
            for name in sorted(required - names):
                yield Problem(PROPERTIES, (*pointer, "parameters"),
                              f"policy '{title}' ({template}) is missing its parameter '{name}'")
            for name in sorted(names - required - optional):
                yield Problem(PROPERTIES, (*pointer, "parameters", PARAMETER_PREFIX + name),
                              f"policy '{title}' ({template}) has no parameter '{name}'; it takes "
                              f"{', '.join(sorted(required | optional))}")
        for op_id in parameters.get(OPERATIONS_KEY, []):
            if op_id not in op_ids:
                yield Problem(PROPERTIES, (*pointer, "parameters", OPERATIONS_KEY),
                              f"policy '{title}' applies to operation '{op_id}', which does not exist")
        for key, value in parameters.items():
            for text in _strings(value):
                for match in EXPRESSION.finditer(text):
                    function, args = match.group("function"), match.group("args").strip()
                    if function not in KNOWN_FUNCTIONS:
                        yield Problem(PROPERTIES, (*pointer, "parameters", key),
                                      f"policy '{title}': unknown expression function @{function}()")
                    elif function == "connectionParameters":
                        name = args.split(",")[0].strip().strip("'\"")
                        if name not in connection:
                            yield Problem(PROPERTIES, (*pointer, "parameters", key),
                                          f"policy '{title}' uses @connectionParameters('{name}'), but the "
                                          f"connection has only {', '.join(sorted(connection))}")


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []
