"""Rules on authentication: basic auth security definition and the username/password parameters."""

from __future__ import annotations

from . import HOUSE, HOUSE_DOC, PROPERTIES, SWAGGER, Connector, Problem, rule
from .walk import obj


@rule("BasicAuthSecurity", "securityDefinitions is basic_auth of type basic, and security uses it.",
      profile=HOUSE, source=HOUSE_DOC,
      rationale="Plivo authenticates with Auth ID and Auth Token over HTTP basic auth; the published connector "
                "names it basic_auth and flows depend on that.",
      fix="Set connection.type: basic in connector/connector.yaml.")
def basic_auth_security(c: Connector):
    definitions = c.swagger.get("securityDefinitions")
    if definitions != {"basic_auth": {"type": "basic"}}:
        yield Problem(SWAGGER, ("securityDefinitions",),
                      f"securityDefinitions must be {{\"basic_auth\": {{\"type\": \"basic\"}}}}, not {definitions}")
    if c.swagger.get("security") != [{"basic_auth": []}]:
        yield Problem(SWAGGER, ("security",), "security must be [{\"basic_auth\": []}]")


@rule("ConnectionParameters", "Basic auth takes exactly 'username' and 'password' (securestring), each with a "
                              "complete uiDefinition.",
      profile=HOUSE, source=HOUSE_DOC,
      rationale="Basic auth connections carry exactly username and password, and a secret must never be shown.",
      fix="Declare username (string) and password (securestring) under connection.parameters, each with "
          "displayName, description and tooltip.")
def connection_parameters(c: Connector):
    params = obj(obj(c.properties.get("properties")).get("connectionParameters"))
    base = ("properties", "connectionParameters")
    if set(params) != {"username", "password"}:
        yield Problem(PROPERTIES, base, f"basic auth needs connection parameters 'username' and 'password' "
                                        f"exactly, not {sorted(params)}")
    if "password" in params and obj(params["password"]).get("type") != "securestring":
        yield Problem(PROPERTIES, (*base, "password"), "the password must be of type securestring so it is "
                                                       "never shown or logged")
    if "username" in params and obj(params["username"]).get("type") != "string":
        yield Problem(PROPERTIES, (*base, "username"), "the username must be of type string")
    for name, spec in params.items():
        spec = obj(spec)
        ui = obj(spec.get("uiDefinition"))
        for key in ("displayName", "description", "tooltip"):
            if not ui.get(key):
                yield Problem(PROPERTIES, (*base, name), f"connection parameter '{name}' has no uiDefinition.{key}")
        constraints = obj(ui.get("constraints"))
        if not isinstance(constraints.get("tabIndex"), int) or isinstance(constraints.get("tabIndex"), bool):
            yield Problem(PROPERTIES, (*base, name), f"connection parameter '{name}': constraints.tabIndex must "
                                                     "be an integer")
        if not isinstance(constraints.get("clearText"), bool):
            yield Problem(PROPERTIES, (*base, name), f"connection parameter '{name}': constraints.clearText must "
                                                     "be a boolean")
        if constraints.get("required") not in ("true", "false"):
            yield Problem(PROPERTIES, (*base, name), f"connection parameter '{name}': constraints.required must "
                                                     "be the string \"true\" or \"false\"")
        if spec.get("type") == "securestring" and constraints.get("clearText") is True:
            yield Problem(PROPERTIES, (*base, name), f"connection parameter '{name}' is a secret; set clearText "
                                                     "false")
