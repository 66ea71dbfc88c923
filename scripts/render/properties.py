"""Render apiProperties.json from connector.yaml, as data, in the key order of Microsoft's templates."""

from __future__ import annotations

from typing import Any

from ..sources.load import Sources
from ..sources.origins import Origins
from .policy_templates import OPERATIONS_KEY, PARAMETER_PREFIX, SECTION_KEY

DOCUMENT = "apiProperties.json"


def render_properties(sources: Sources, origins: Origins) -> dict[str, Any]:
    connector = sources.connector.data
    source = sources.connector
    connection_parameters = {}
    for tab, (name, spec) in enumerate(connector["connection"]["parameters"].items(), start=2):
        origins.record(DOCUMENT, ("properties", "connectionParameters", name), source,
                       ("connection", "parameters", name))
        connection_parameters[name] = {
            "type": spec["type"],
            "uiDefinition": {
                "displayName": spec["displayName"],
                "description": spec["description"],
                "tooltip": spec["tooltip"],
                "constraints": {
                    # tabIndex 1 is the connection name field the platform adds itself.
                    "tabIndex": tab,
                    "clearText": spec["type"] != "securestring",
                    "required": "true" if spec.get("required", True) else "false",
                },
            },
        }

    policies = []
    for index, policy in enumerate(connector.get("policies", [])):
        origins.record(DOCUMENT, ("properties", "policyTemplateInstances", index), source, ("policies", index))
        parameters = {}
        for key, value in policy["parameters"].items():
            origins.record(DOCUMENT, ("properties", "policyTemplateInstances", index, "parameters",
                                      _parameter_key(key)), source, ("policies", index, "parameters", key))
            parameters[_parameter_key(key)] = value
        rendered = {"templateId": policy["templateId"], "title": policy["title"]}
        if policy["templateId"] == "pollingtrigger":
            rendered["type"] = "PollingTrigger"  # as Microsoft's connectors write it
        rendered["parameters"] = parameters
        policies.append(rendered)

    origins.record(DOCUMENT, ("properties", "iconBrandColor"), source, ("brandColor",))
    origins.record(DOCUMENT, ("properties", "publisher"), source, ("publisher",))
    origins.record(DOCUMENT, ("properties", "stackOwner"), source, ("stackOwner",))
    return {
        "properties": {
            "connectionParameters": connection_parameters,
            "iconBrandColor": connector["brandColor"],
            "capabilities": list(connector.get("capabilities", [])),
            "policyTemplateInstances": policies,
            "publisher": connector["publisher"],
            "stackOwner": connector["stackOwner"],
        }
    }


def _parameter_key(key: str) -> str:
    if key == "policySection":
        return SECTION_KEY
    return OPERATIONS_KEY if key == "operations" else PARAMETER_PREFIX + key
