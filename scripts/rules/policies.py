"""Rules on policy templates: known ids, their parameters, operations and expressions."""

from __future__ import annotations

import difflib

from ..expressions import static_problems
from ..render.policy_templates import OPERATIONS_KEY, PARAMETER_PREFIX, TEMPLATES
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
        scope = parameters.get(OPERATIONS_KEY, [])
        if not isinstance(scope, list) or not all(isinstance(op_id, str) for op_id in scope):
            yield Problem(PROPERTIES, (*pointer, "parameters", OPERATIONS_KEY),
                          f"policy '{title}': {OPERATIONS_KEY} must be a list of operationIds")
            scope = []
        for op_id in scope:
            if op_id not in op_ids:
                yield Problem(PROPERTIES, (*pointer, "parameters", OPERATIONS_KEY),
                              f"policy '{title}' applies to operation '{op_id}', which does not exist")
        for key, value in parameters.items():
            if key == OPERATIONS_KEY:
                continue
            texts = [value] if isinstance(value, str) else list(value.values()) if isinstance(value, dict) else None
            if texts is None or not all(isinstance(text, str) for text in texts):
                yield Problem(PROPERTIES, (*pointer, "parameters", key),
                              f"policy '{title}': parameter {key} must be text (or a mapping of text)")
                continue
            for text in texts:
                for message in static_problems(text, connection_names=connection,
                                               triggers=template == "pollingtrigger"):
                    yield Problem(PROPERTIES, (*pointer, "parameters", key), f"policy '{title}': {message}")
