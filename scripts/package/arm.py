"""An ARM template for a Logic Apps (Consumption) custom connector and its connection.

``Microsoft.Web/customApis`` (api-version 2016-06-01, the only one) carries the definition inline
in ``properties.swagger``. It has no policy templates, so the account URL that the dynamichosturl
policy builds in Power Platform goes into ``backendService.serviceUrl`` from a deployment
parameter, and operations that need any other policy are left out (``logic_apps.plan``).
``Microsoft.Web/connections`` holds the credentials; the token is a ``securestring`` parameter that
appears nowhere else in the template, has no default and is never written to the output.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from .logic_apps import LogicAppsPlan, plan

API_VERSION = "2016-06-01"
TEMPLATE_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
# What the Azure portal exports as the icon of a custom connector without one (Azure Government docs,
# "Logic Apps custom connector" template example); an empty iconUri is not known to be accepted.
DEFAULT_ICON_URI = "/Content/retail/assets/default-connection-icon.d269a5b2275fe149967a9c567c002697.2.svg"
CUSTOM_API_ID = "[resourceId('Microsoft.Web/customApis', parameters('customApiName'))]"


def parameter_name(key: str, spec: dict[str, Any]) -> str:
    """The deployment parameter of a connection parameter: its display name in camelCase ("authToken")."""
    words = re.findall(r"[A-Za-z0-9]+", spec.get("uiDefinition", {}).get("displayName", "")) or [key]
    return words[0].lower() + "".join(word[:1].upper() + word[1:].lower() for word in words[1:])


def arm_literal(node: Any) -> Any:
    """``node`` with every string ARM would evaluate (``[...]``) escaped as the literal ``[[...]``."""
    if isinstance(node, dict):
        return {key: arm_literal(value) for key, value in node.items()}
    if isinstance(node, list):
        return [arm_literal(item) for item in node]
    if isinstance(node, str) and node.startswith("[") and node.endswith("]"):
        return "[" + node
    return node


def _arm_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _service_url(parts: list, names: dict[str, str]) -> str:
    pieces = [f"parameters('{names[p[0]]}')" if isinstance(p, tuple) else _arm_string(p) for p in parts]
    if len(pieces) == 1 and not isinstance(parts[0], tuple):
        return arm_literal(parts[0])
    return f"[concat({', '.join(pieces)})]"


def logic_apps_swagger(swagger: dict[str, Any], omitted: dict[str, list[str]]) -> dict[str, Any]:
    """The definition without the operations Logic Apps cannot run (empty path items dropped too)."""
    result = copy.deepcopy(swagger)
    for path in list(result.get("paths", {})):
        item = result["paths"][path]
        for method in [m for m, spec in item.items() if isinstance(spec, dict) and spec.get("operationId") in omitted]:
            del item[method]
        if not any(isinstance(spec, dict) and "operationId" in spec for spec in item.values()):
            del result["paths"][path]
    return result


def arm_template(swagger: dict[str, Any], properties: dict[str, Any],
                 logic_apps: LogicAppsPlan | None = None) -> dict[str, Any]:
    logic_apps = logic_apps or plan(swagger, properties)
    props = properties["properties"]
    connection = props.get("connectionParameters", {})
    names = {key: parameter_name(key, spec) for key, spec in connection.items()}
    missing = [p[0] for p in logic_apps.service_url if isinstance(p, tuple) and p[0] not in names]
    if missing:
        raise ValueError(f"the account URL uses connection parameter(s) {', '.join(missing)}, "
                         "which apiProperties.json does not declare")
    parameters: dict[str, Any] = {
        "customApiName": {"type": "string", "defaultValue": swagger["info"]["title"].lower(),
                          "metadata": {"description": "Name of the custom connector resource."}},
        "connectionName": {"type": "string", "defaultValue": swagger["info"]["title"].lower() + "-connection",
                           "metadata": {"description": "Name of the API connection resource."}},
        "location": {"type": "string", "defaultValue": "[resourceGroup().location]",
                     "metadata": {"description": "Azure region of both resources."}},
        "iconUri": {"type": "string", "defaultValue": DEFAULT_ICON_URI,
                    "metadata": {"description": "HTTPS URL of icon.png (default: the portal's default icon)."}},
    }
    for key, spec in connection.items():
        ui = spec.get("uiDefinition", {})
        secure = spec.get("type") in ("securestring", "secureobject")
        parameters[names[key]] = {
            "type": "securestring" if secure else "string",
            "metadata": {"description": " ".join(t for t in (ui.get("description", ""), ui.get("tooltip", "")) if t)},
        }
    custom_api = {
        "type": "Microsoft.Web/customApis",
        "apiVersion": API_VERSION,
        "name": "[parameters('customApiName')]",
        "location": "[parameters('location')]",
        "properties": {
            "displayName": arm_literal(swagger["info"]["title"]),
            "description": arm_literal(swagger["info"]["description"]),
            "iconUri": "[parameters('iconUri')]",
            "brandColor": props["iconBrandColor"],
            "apiType": "Rest",
            "backendService": {"serviceUrl": _service_url(logic_apps.service_url, names)},
            "capabilities": props.get("capabilities", []),
            "connectionParameters": arm_literal({key: {"type": spec["type"], "uiDefinition": spec.get("uiDefinition")}
                                                 for key, spec in connection.items()}),
            "swagger": arm_literal(logic_apps_swagger(swagger, logic_apps.omitted)),
        },
    }
    api_connection = {
        "type": "Microsoft.Web/connections",
        "apiVersion": API_VERSION,
        "name": "[parameters('connectionName')]",
        "location": "[parameters('location')]",
        "dependsOn": [CUSTOM_API_ID],
        "properties": {
            "displayName": arm_literal(f"{swagger['info']['title']} connection"),
            "api": {"id": CUSTOM_API_ID},
            "parameterValues": {key: f"[parameters('{name}')]" for key, name in names.items()},
        },
    }
    return {
        "$schema": TEMPLATE_SCHEMA,
        "contentVersion": "1.0.0.0",
        "metadata": {
            "description": arm_literal(f"{swagger['info']['title']} custom connector for Logic Apps, rendered by "
                                       "`plivo-connector package --logic-apps`; do not edit."),
            "replacedPolicies": arm_literal(logic_apps.replaced),
            "omittedOperations": arm_literal({op: f"needs policy template {', '.join(t)}"
                                              for op, t in logic_apps.omitted.items()}),
        },
        "parameters": parameters,
        "resources": [custom_api, api_connection],
        "outputs": {
            "customApiId": {"type": "string", "value": CUSTOM_API_ID},
            "connectionId": {"type": "string",
                             "value": "[resourceId('Microsoft.Web/connections', parameters('connectionName'))]"},
        },
    }
