"""Rules on policy templates: known ids, their parameters, operations and expressions."""

from __future__ import annotations

from ..expressions import static_problems
from ..render.policy_templates import OPERATIONS_KEY, PARAMETER_PREFIX, TEMPLATES
from . import CERTIFICATION, HOUSE, HOUSE_DOC, POLICIES_DOC, PROPERTIES, WARNING, Connector, Problem, rule
from .walk import obj, operation_ids, seq

# Template-level settings beside the parameters: the operations a policy applies to, and whether it
# runs on the request or the response (certified connectors set both).
SETTINGS_PREFIX = "x-ms-apimTemplate-"
# Template ids that certified connectors use although the policy reference does not list them.
UNLISTED_TEMPLATES = {"setconnectionstatustounauthenticated", "moveproperties", "dynamicsubdomain"}


def _policies(c: Connector):
    props = obj(c.properties.get("properties"))
    for index, policy in enumerate(seq(props.get("policyTemplateInstances"))):
        if isinstance(policy, dict):
            template = str(policy.get("templateId"))
            yield ("properties", "policyTemplateInstances", index), policy, template, policy.get("title") or template


def policy_uses(c: Connector, template_id: str) -> bool:
    return any(template.lower() == template_id for _, _, template, _ in _policies(c))


@rule("PolicyTemplates", "Policy templates have a templateId, and the operations they apply to exist.",
      profile=CERTIFICATION, severity=WARNING, source=POLICIES_DOC,
      rationale="A policy limited to an operationId that does not exist never runs; the import rejects a policy "
                "without a template.",
      fix="Name existing operationIds in x-ms-apimTemplate-operationName.")
def policy_templates(c: Connector):
    op_ids = operation_ids(c.swagger)
    for pointer, policy, _, title in _policies(c):
        if not policy.get("templateId"):
            yield Problem(PROPERTIES, pointer, f"policy '{title}' has no templateId")
            continue
        scope = obj(policy.get("parameters")).get(OPERATIONS_KEY, [])
        if not isinstance(scope, list) or not all(isinstance(op_id, str) for op_id in scope):
            yield Problem(PROPERTIES, (*pointer, "parameters", OPERATIONS_KEY),
                          f"policy '{title}': {OPERATIONS_KEY} must be a list of operationIds")
            continue
        for op_id in scope:
            if op_id not in op_ids:
                yield Problem(PROPERTIES, (*pointer, "parameters", OPERATIONS_KEY),
                              f"policy '{title}' applies to operation '{op_id}', which does not exist")


@rule("PolicyTemplateParameters", "Policy templates use documented ids and give their required parameters.",
      profile=CERTIFICATION, severity=WARNING, source=POLICIES_DOC,
      rationale="The platform drops a template it does not know, and a template without its required parameters "
                "does nothing.",
      fix="Use a documented templateId and give each of its parameters as x-ms-apimTemplateParameter.<name>.")
def policy_template_parameters(c: Connector):
    for pointer, policy, template, title in _policies(c):
        known = template.lower()
        if known not in TEMPLATES and known not in UNLISTED_TEMPLATES:
            import difflib  # only for a finding or a diff, not on a clean run's path

            close = difflib.get_close_matches(known, list(TEMPLATES), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(sorted(TEMPLATES))}"
            yield Problem(PROPERTIES, (*pointer, "templateId"), f"policy '{title}': unknown templateId "
                                                                f"'{template}'; {hint}")
            continue
        names = set()
        for key in obj(policy.get("parameters")):
            if key.startswith(SETTINGS_PREFIX):
                continue
            if not key.startswith(PARAMETER_PREFIX):
                yield Problem(PROPERTIES, (*pointer, "parameters", key),
                              f"policy '{title}': parameter '{key}' must start with {PARAMETER_PREFIX}")
                continue
            names.add(key.removeprefix(PARAMETER_PREFIX))
        spec = TEMPLATES.get(known)
        if spec is not None:
            required, _ = spec
            for name in sorted(required - names):
                yield Problem(PROPERTIES, (*pointer, "parameters"),
                              f"policy '{title}' ({template}) is missing its parameter '{name}'")


@rule("PolicyExpressions", "This connector's policies use exact template ids, documented parameters, and only "
                           "the expressions the runtime emulator evaluates.",
      profile=HOUSE, source=HOUSE_DOC + "; " + POLICIES_DOC,
      rationale="The build proves every policy with the emulator (plivo-connector run); an expression it cannot "
                "evaluate is untested.",
      fix="Use @connectionParameters('...'), @headers('...') or @queryParameters('...') in policy values.")
def policy_expressions(c: Connector):
    props = obj(c.properties.get("properties"))
    connection = set(obj(props.get("connectionParameters")))
    for pointer, policy, template, title in _policies(c):
        if template not in TEMPLATES:
            yield Problem(PROPERTIES, (*pointer, "templateId"),
                          f"policy '{title}': templateId '{template}' is not written as documented"
                          + (f" ('{template.lower()}')" if template.lower() in TEMPLATES else ""))
            continue
        parameters = obj(policy.get("parameters"))
        spec = TEMPLATES[template]
        if spec is not None:
            required, optional = spec
            for key in parameters:
                name = key.removeprefix(PARAMETER_PREFIX)
                if key.startswith(PARAMETER_PREFIX) and name not in required | optional:
                    yield Problem(PROPERTIES, (*pointer, "parameters", key),
                                  f"policy '{title}' ({template}) has no parameter '{name}'; it takes "
                                  f"{', '.join(sorted(required | optional))}")
        for key, value in parameters.items():
            if key.startswith(SETTINGS_PREFIX):
                continue
            texts = [value] if isinstance(value, str) else list(value.values()) if isinstance(value, dict) else None
            if texts is None or not all(isinstance(text, str) for text in texts):
                yield Problem(PROPERTIES, (*pointer, "parameters", key),
                              f"policy '{title}': parameter {key} must be text (or a mapping of text)")
                continue
            for text in texts:
                response = str(parameters.get(SETTINGS_PREFIX + "policySection", "Request")).lower() == "response"
                for message in static_problems(text, connection_names=connection,
                                               triggers=template == "pollingtrigger", response_body=response):
                    yield Problem(PROPERTIES, (*pointer, "parameters", key), f"policy '{title}': {message}")
