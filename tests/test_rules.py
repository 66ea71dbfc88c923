"""Each Power Platform rule passes on the rendered connector and catches a mistake made on purpose."""

from __future__ import annotations

import copy

import pytest

from scripts.render.icon import render_icon
from scripts.rules import Connector, all_rules
from scripts.validation.connector import swagger_errors

SEND = ("paths", "/Message/", "post")
GET = ("paths", "/Message/{message_uuid}/", "get")
LIST = ("paths", "/Message/", "get")


def at(document: dict, pointer: tuple):
    for part in pointer:
        document = document[part]
    return document


def body_props(c: Connector) -> dict:
    return at(c.swagger, SEND)["parameters"][0]["schema"]["properties"]


# rule id -> (how to break it, text the finding must contain)
BREAKS = {
    "TitleFormat": (lambda c: c.swagger["info"].update(title="Plivo SMS Connector"), "must not contain 'connector'"),
    "DescriptionFormat": (lambda c: c.swagger["info"].update(description="Send SMS."), "it needs 30 to 500"),
    "ContactInfo": (lambda c: c.swagger["info"]["contact"].pop("email"), "info.contact.email is missing"),
    "ConnectorMetadata": (lambda c: c.swagger["x-ms-connector-metadata"][2].update(
        propertyValue="Communication;Messaging"), "unknown category 'Messaging'"),
    "HostAndSchemes": (lambda c: c.swagger.update(host="https://api.plivo.com/v1"), "must be a host name"),
    "PublisherInfo": (lambda c: c.properties["properties"].pop("stackOwner"), "properties.stackOwner is missing"),
    "OperationIdFormat": (lambda c: at(c.swagger, GET).update(operationId="get_message"), "must be PascalCase"),
    "OperationSummary": (lambda c: at(c.swagger, SEND).update(summary="Send SMS/MMS"), "contains '/'"),
    "OperationDescription": (lambda c: at(c.swagger, SEND).update(description="Send SMS."),
                             "description repeats the summary"),
    "BodyParameters": (lambda c: at(c.swagger, LIST).setdefault("parameters", []).append(
        {"name": "filter", "in": "body", "schema": {"type": "object"}}), "is a GET and must not have a body"),
    "SchemaDefinitionSetIncorrectly": (lambda c: at(c.swagger, SEND)["responses"].update(
        {"202": at(c.swagger, SEND)["responses"].pop("200")}), "the output schema is on 202"),
    "MimeTypes": (lambda c: c.swagger.update(produces=["application/xml"]), "lists 'application/xml'"),
    "ParameterMetadata": (lambda c: at(c.swagger, GET)["parameters"][0].pop("x-ms-summary"),
                          "parameter 'message_uuid' has no x-ms-summary"),
    "PropertyMetadata": (lambda c: body_props(c)["src"].update(description="plivo number"),
                         "must be a sentence"),
    "InputVisibility": (lambda c: body_props(c)["src"].pop("x-ms-visibility"),
                        "property 'src' has no x-ms-visibility"),
    "VisibilityValues": (lambda c: body_props(c)["url"].update({"x-ms-visibility": "hidden"}),
                         "x-ms-visibility 'hidden' must be one of"),
    "InternalRequiredHasDefault": (lambda c: at(c.swagger, GET)["parameters"][0].update(
        {"x-ms-visibility": "internal"}), "is internal and required but has no default"),
    "PathParameterEncoding": (lambda c: at(c.swagger, GET)["parameters"][0].pop("x-ms-url-encoding"),
                              "needs \"x-ms-url-encoding\": \"single\""),
    "RequiredList": (lambda c: c.swagger["definitions"]["Message"].update(required=[]),
                     "remove the empty 'required' list"),
    "ArrayItems": (lambda c: c.swagger["definitions"]["MessageList"]["properties"]["objects"].pop("items"),
                   "is an array without 'items'"),
    "FormatValues": (lambda c: c.swagger["definitions"]["Message"]["properties"]["units"].update(format="int16"),
                     "format 'int16' is not supported"),
    "RefUsage": (lambda c: c.swagger["definitions"]["MessageList"]["properties"]["objects"]["items"].update(
        {"$ref": "#/definitions/Messages"}), "names no definition"),
    "BasicAuthSecurity": (lambda c: c.swagger.update(securityDefinitions={"oauth": {"type": "oauth2"}}),
                          "securityDefinitions must be"),
    "ConnectionParameters": (lambda c: c.properties["properties"]["connectionParameters"]["password"].update(
        type="string"), "must be of type securestring"),
    "PolicyTemplates": (lambda c: c.properties["properties"]["policyTemplateInstances"][0].update(
        templateId="dynamichost"), "unknown templateId 'dynamichost'"),
    "FileLimits": (lambda c: c.sizes.update({"apiDefinition.swagger.json": 2_000_000}),
                   "the import takes less than 1 MB"),
    "BrandColor": (lambda c: c.properties["properties"].update(iconBrandColor="#007ee5"),
                   "the default custom-connector blue"),
    "IconFormat": (lambda c: setattr(c, "icon", render_icon("#123456")), "is not the iconBrandColor"),
}


@pytest.fixture
def connector(rendered) -> Connector:
    return Connector(swagger=copy.deepcopy(rendered.swagger), properties=copy.deepcopy(rendered.properties),
                     icon=rendered.files["icon.png"],
                     sizes={name: len(rendered.files[name]) for name in ("apiDefinition.swagger.json",)})


def test_every_rule_has_a_break_case():
    assert set(BREAKS) == set(all_rules())


@pytest.mark.parametrize("rule_id", sorted(all_rules()))
def test_rendered_connector_passes(rule_id, connector):
    assert [p.message for p in all_rules()[rule_id].check(connector)] == []


@pytest.mark.parametrize("rule_id", sorted(BREAKS))
def test_rule_catches_a_mistake_made_on_purpose(rule_id, connector):
    break_it, expected = BREAKS[rule_id]
    break_it(connector)
    messages = [p.message for p in all_rules()[rule_id].check(connector)]
    assert any(expected in m for m in messages), messages


def test_swagger_validation_passes_on_the_rendered_definition(swagger):
    assert swagger_errors(swagger) == []


def test_swagger_validation_catches_an_invalid_parameter(connector):
    at(connector.swagger, GET)["parameters"][0]["type"] = "strin"
    errors = swagger_errors(connector.swagger)
    assert errors and errors[0][0] == (*GET, "parameters", "0")


def test_the_committed_icon_is_opaque_230_on_the_brand_colour(rendered):
    from scripts.render.icon import inspect_png

    info = inspect_png(rendered.files["icon.png"])
    assert (info.width, info.height, info.opaque) == (230, 230, True)
    assert set(info.corner_colors) == {rendered.properties["properties"]["iconBrandColor"]}
