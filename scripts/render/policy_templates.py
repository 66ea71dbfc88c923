"""The documented Power Platform policy templates and their parameters.

Source: Microsoft's custom-connector policy template reference. Parameter names are given here
without the ``x-ms-apimTemplateParameter.`` prefix; the list of operations a policy applies to is
``x-ms-apimTemplate-operationName`` in every template. Only these ids are accepted: a template the
platform does not know would be dropped or rejected at import, so it is an error, not a warning.
"""

from __future__ import annotations

PARAMETER_PREFIX = "x-ms-apimTemplateParameter."
OPERATIONS_KEY = "x-ms-apimTemplate-operationName"
# Request (default) or Response: whether the policy changes the request or the backend's answer.
SECTION_KEY = "x-ms-apimTemplate-policySection"

# template id -> (required parameters, optional parameters); None where this project has not
# written down a template's parameters yet (the id is known, its parameters are not checked).
TEMPLATES: dict[str, tuple[frozenset[str], frozenset[str]] | None] = {
    "dynamichosturl": (frozenset({"urlTemplate"}), frozenset()),
    "routerequesttoendpoint": (frozenset({"newPath"}), frozenset({"httpMethod"})),
    "setheader": (frozenset({"name", "value"}), frozenset({"existsAction"})),
    "setqueryparameter": (frozenset({"name", "value"}), frozenset({"existsAction"})),
    "pollingtrigger": (frozenset({"triggerConfig", "triggerDataPath"}), frozenset()),
    "setproperty": (frozenset({"newPropertyParentPathTemplate", "newPropertySubPathTemplate",
                                "propertyValuePathTemplate"}), frozenset()),
    "updatenextlink": None,
    "stringreplace": None,
    "convertarraytoobject": None,
    "convertobjecttoarray": None,
    "setvaluefromurl": None,
    "encodepropertyvalue": None,
    "stringtoarray": None,
}
