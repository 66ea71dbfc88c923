"""plivo-connector package: the paconn/pac folder, settings.json, the zip and the Logic Apps template."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from scripts.cli import main
from scripts.docs.render import CERTIFICATION_README
from scripts.package.arm import arm_literal
from tests.project import ROOT

RENDERED = ("apiDefinition.swagger.json", "apiProperties.json", "icon.png")
ENVIRONMENT = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
# The keys of Microsoft's paconn-settings schema (additionalProperties: false there).
PACONN_SETTINGS_KEYS = {"$schema", "connectorId", "environment", "apiProperties", "apiDefinition", "icon",
                        "powerAppsUrl", "powerAppsApiVersion", "flowUrl", "flowApiVersion"}


def _package(project, *extra) -> int:
    return main(["package", "--root", str(project), "--out", "dist/pkg", *extra])


def test_package_holds_the_committed_files_settings_and_readme(project):
    assert _package(project, "--environment", ENVIRONMENT.upper(), "--connector-id", "shared_plivo-5f0123") == 0
    out = project / "dist" / "pkg"
    for name in RENDERED:
        assert (out / name).read_bytes() == (ROOT / name).read_bytes()
    assert (out / "readme.md").read_bytes() == (ROOT / CERTIFICATION_README).read_bytes()
    settings = json.loads((out / "settings.json").read_text())
    assert set(settings) <= PACONN_SETTINGS_KEYS
    assert settings["environment"] == ENVIRONMENT  # paconn's schema takes lower case only
    assert settings["connectorId"] == "shared_plivo-5f0123"
    assert (settings["apiDefinition"], settings["apiProperties"], settings["icon"]) == RENDERED
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", settings["environment"])


def test_settings_without_flags_name_only_the_files(project):
    assert _package(project) == 0
    settings = json.loads((project / "dist" / "pkg" / "settings.json").read_text())
    assert "environment" not in settings and "connectorId" not in settings


def test_zip_holds_the_same_bytes_and_is_reproducible(project):
    assert _package(project, "--logic-apps") == 0
    out = project / "dist" / "pkg"
    first = (out / "plivo-connector.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        names = set(archive.namelist())
        assert names == {*RENDERED, "settings.json", "readme.md", "logic-apps/azuredeploy.json"}
        for name in names:
            assert archive.read(name) == (out / name).read_bytes()
    assert _package(project, "--logic-apps") == 0
    assert (out / "plivo-connector.zip").read_bytes() == first


@pytest.mark.parametrize("flags, message", [
    (["--environment", "Default-0f1e2d3c"], "--environment"),
    (["--environment", "https://make.powerapps.com/environments/x"], "--environment"),
    (["--connector-id", "has space"], "--connector-id"),
], ids=["environment-name", "environment-url", "connector-id-space"])
def test_bad_flags_are_refused_and_nothing_is_written(project, capsys, flags, message):
    assert _package(project, *flags) == 2
    assert message in capsys.readouterr().err
    assert not (project / "dist").exists()


def test_stale_artifacts_are_refused_with_the_fix(project, capsys):
    path = project / "apiDefinition.swagger.json"
    path.write_text(path.read_text().replace('"Send SMS"', '"Send an SMS"'))
    assert _package(project) == 1
    err = capsys.readouterr().err
    assert "apiDefinition.swagger.json: out of date" in err and "Fix: run `plivo-connector build`" in err
    assert not (project / "dist").exists()


def test_out_may_not_be_the_project_root(project, capsys):
    assert main(["package", "--root", str(project), "--out", str(project)]) == 2
    assert "project root" in capsys.readouterr().err
    assert not (project / "settings.json").exists()


def test_a_later_package_without_logic_apps_removes_the_old_template(project):
    assert _package(project, "--logic-apps") == 0
    assert (project / "dist" / "pkg" / "logic-apps" / "azuredeploy.json").exists()
    assert _package(project) == 0
    assert not (project / "dist" / "pkg" / "logic-apps" / "azuredeploy.json").exists()


@pytest.fixture
def arm(project):
    assert _package(project, "--logic-apps") == 0
    raw = (project / "dist" / "pkg" / "logic-apps" / "azuredeploy.json").read_text()
    return raw, json.loads(raw)


def test_arm_template_has_the_custom_api_and_a_basic_auth_connection(arm, swagger, api_properties):
    _, template = arm
    assert template["$schema"].endswith("/deploymentTemplate.json#")
    assert template["contentVersion"] == "1.0.0.0"
    custom, connection = template["resources"]
    assert (custom["type"], custom["apiVersion"]) == ("Microsoft.Web/customApis", "2016-06-01")
    assert (connection["type"], connection["apiVersion"]) == ("Microsoft.Web/connections", "2016-06-01")
    props = custom["properties"]
    assert props["apiType"] == "Rest"
    # Inline: every operation but those needing a policy Logic Apps lacks (one limited to them).
    scoped = {op for p in api_properties["properties"]["policyTemplateInstances"]
              for op in p["parameters"].get("x-ms-apimTemplate-operationName", [])}
    assert set(template["metadata"]["omittedOperations"]) == scoped
    kept = {spec["operationId"] for item in props["swagger"]["paths"].values() for spec in item.values()
            if isinstance(spec, dict) and "operationId" in spec}
    every = {spec["operationId"] for item in swagger["paths"].values() for spec in item.values()
             if isinstance(spec, dict) and "operationId" in spec}
    assert kept == every - scoped
    assert {k: v for k, v in props["swagger"].items() if k != "paths"} == \
        {k: v for k, v in swagger.items() if k != "paths"}
    assert props["brandColor"] == api_properties["properties"]["iconBrandColor"]
    assert set(props["connectionParameters"]) == {"username", "password"}
    api_id = "[resourceId('Microsoft.Web/customApis', parameters('customApiName'))]"
    assert connection["properties"]["api"]["id"] == api_id
    assert connection["dependsOn"] == [connection["properties"]["api"]["id"]]
    assert set(connection["properties"]["parameterValues"]) == {"username", "password"}


def test_arm_account_id_is_a_parameter_of_the_service_url(arm):
    _, template = arm
    url = template["resources"][0]["properties"]["backendService"]["serviceUrl"]
    assert url == "[concat('https://api.plivo.com/v1/Account/', parameters('authId'))]"
    assert template["parameters"]["authId"]["type"] == "string"
    assert template["resources"][1]["properties"]["parameterValues"]["username"] == "[parameters('authId')]"


def test_arm_token_is_a_securestring_used_only_by_the_connection(arm):
    raw, template = arm
    token = template["parameters"]["authToken"]
    assert token["type"] == "securestring" and "defaultValue" not in token
    assert raw.count("parameters('authToken')") == 1
    assert template["resources"][1]["properties"]["parameterValues"]["password"] == "[parameters('authToken')]"
    assert "authToken" not in json.dumps(template["outputs"]) + json.dumps(template["metadata"])


def test_every_parameter_the_template_uses_is_declared(arm):
    raw, template = arm
    used = set(re.findall(r"parameters\('([A-Za-z0-9]+)'\)", raw))
    assert used == set(template["parameters"])


def test_strings_arm_would_evaluate_are_escaped():
    assert arm_literal({"a": ["[x]", "[not", "x]"], "b": "[[y]"}) == {"a": ["[[x]", "[not", "x]"], "b": "[[[y]"}


SCOPED_POLICY = """\
  - templateId: setheader
    title: Tag outgoing messages
    parameters:
      operations: [SendSMS]
      name: X-Tag
      value: flow
      existsAction: override
"""


def test_operations_needing_another_policy_are_left_out_and_documented(project, capsys):
    source = project / "connector" / "connector.yaml"
    text = source.read_text()
    source.write_text(text.replace("\nthrottling:", SCOPED_POLICY + "\nthrottling:", 1))
    assert main(["build", "--root", str(project)]) == 0, capsys.readouterr().err
    assert _package(project, "--logic-apps") == 0
    template = json.loads((project / "dist" / "pkg" / "logic-apps" / "azuredeploy.json").read_text())
    operations = {spec["operationId"] for item in template["resources"][0]["properties"]["swagger"]["paths"].values()
                  for spec in item.values() if isinstance(spec, dict) and "operationId" in spec}
    assert "SendSMS" not in operations and "ListMessages" in operations
    assert "SendSMS" in template["metadata"]["omittedOperations"]
    assert "SendSMS" in capsys.readouterr().err
    readme = (project / CERTIFICATION_README).read_text()
    assert "`SendSMS` (setheader)" in readme


# A small resource schema in the shape of Azure's resource-provider schemas (resourceDefinitions,
# definitions, and the common expression definition referred to by URL), written for this test.
MINI_SCHEMA = {
    "id": "https://example.test/schemas/Microsoft.Web.json#",
    "$schema": "http://json-schema.org/draft-04/schema#",
    "resourceDefinitions": {"customApis": {
        "type": "object", "required": ["name", "type", "apiVersion", "properties"],
        "properties": {
            "type": {"enum": ["Microsoft.Web/customApis"]}, "apiVersion": {"enum": ["2016-06-01"]},
            "name": {"type": "string"},
            "properties": {"oneOf": [
                {"$ref": "#/definitions/Props"},
                {"$ref": "https://schema.management.azure.com/schemas/common/definitions.json#/definitions/expression"}]},
        }}},
    "definitions": {"Props": {"type": "object", "properties": {
        "apiType": {"oneOf": [{"enum": ["Rest", "Soap"]}, {
            "$ref": "https://schema.management.azure.com/schemas/common/definitions.json#/definitions/expression"}]}}}},
}


def test_arm_check_validates_resources_and_accepts_expressions():
    from scripts.package.arm_check import check

    good = {"resources": [{"type": "Microsoft.Web/customApis", "apiVersion": "2016-06-01", "name": "[parameters('n')]",
                           "properties": {"apiType": "[parameters('t')]"}}]}
    assert check(MINI_SCHEMA, good) == []
    bad = {"resources": [{"type": "Microsoft.Web/customApis", "apiVersion": "2015-01-01", "name": "x",
                          "properties": {"apiType": "REST"}},
                         {"type": "Microsoft.Web/sites", "apiVersion": "2016-06-01", "name": "y", "properties": {}}]}
    errors = check(MINI_SCHEMA, bad)
    assert any("/apiVersion" in e for e in errors)
    assert any("/properties" in e for e in errors)
    assert any("Microsoft.Web/sites" in e and "no such resource type" in e for e in errors)
