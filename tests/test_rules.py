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


def policy(c: Connector) -> dict:
    return c.properties["properties"]["policyTemplateInstances"][0]


def _pad(c: Connector) -> None:
    c.swagger["x-padding"] = "x" * 1_100_000
    c.sizes["apiDefinition.swagger.json"] = 1_200_000


# rule id -> (how to break it, text the finding must contain)
BREAKS = {
    "TitleFormat": (lambda c: c.swagger["info"].update(title="Plivo SMS Connector"), "must not contain 'connector'"),
    "DescriptionFormat": (lambda c: c.swagger["info"].update(description="Send SMS."), "it needs 30 to 500"),
    "ConnectorDescription": (lambda c: c.swagger["info"].pop("description"), "info.description is missing"),
    "ContactInfo": (lambda c: c.swagger["info"]["contact"].pop("email"), "info.contact.email is missing"),
    "ConnectorMetadata": (lambda c: c.swagger["x-ms-connector-metadata"][2].update(
        propertyValue="Communication;Messaging"), "unknown category 'Messaging'"),
    "HostAndSchemes": (lambda c: c.swagger.update(basePath="v1/Account"), "must start with '/'"),
    "ProductionHost": (lambda c: c.swagger.update(schemes=["http"]), "schemes must be ['https']"),
    "PublisherInfo": (lambda c: c.properties["properties"].pop("stackOwner"), "properties.stackOwner is missing"),
    "OperationIdUnique": (lambda c: at(c.swagger, GET).update(operationId="SendSMS"), "is used twice"),
    "OperationIdFormat": (lambda c: at(c.swagger, GET).update(operationId="get-message"),
                          "must be letters, digits and underscores"),
    "OperationSummary": (lambda c: at(c.swagger, SEND).update(summary="Send SMS/MMS"), "contains '/'"),
    "OperationSummaryStyle": (lambda c: at(c.swagger, SEND).update(summary="send SMS"),
                              "must start with a capital letter"),
    "OperationDescription": (lambda c: at(c.swagger, SEND).update(description="Send SMS."),
                             "description repeats the summary"),
    "OperationDescriptionSentence": (lambda c: at(c.swagger, SEND).update(description="Sends an SMS"),
                                     "must be a full sentence"),
    "BodyParameters": (lambda c: at(c.swagger, LIST).setdefault("parameters", []).append(
        {"name": "filter", "in": "body", "schema": {"type": "object"}}), "is a GET and must not have a body"),
    "SchemaDefinitionSetIncorrectly": (lambda c: at(c.swagger, SEND).update(
        responses={"400": {"description": "Bad request."}}), "declares no 2xx (or default) response"),
    "OutputSchemaOn200": (lambda c: at(c.swagger, SEND)["responses"].update(
        {"202": at(c.swagger, SEND)["responses"].pop("200")}), "the output schema is on 202"),
    "NoContentSchema": (lambda c: at(c.swagger, GET)["responses"].update(
        {"204": {"description": "Nothing.", "schema": {"type": "object"}}}), "the 204 (No Content) response"),
    "ResponseSchemaMissing": (lambda c: at(c.swagger, GET)["responses"]["200"].pop("schema"),
                              "answers 200 with a body but declares no schema"),
    "MimeTypes": (lambda c: c.swagger.update(produces=["application/vnd.ms-excel"]),
                  "lists 'application/vnd.ms-excel'"),
    "ParameterMetadata": (lambda c: [at(c.swagger, GET)["parameters"][0].pop(key)
                                     for key in ("x-ms-summary", "description")],
                          "parameter 'message_uuid' has neither x-ms-summary nor description"),
    "ParameterStyle": (lambda c: at(c.swagger, GET)["parameters"][0].pop("x-ms-summary"),
                       "parameter 'message_uuid' has no x-ms-summary"),
    "PropertyMetadata": (lambda c: body_props(c)["src"].update(description="plivo number"),
                         "must be a sentence"),
    "InputVisibility": (lambda c: body_props(c)["src"].pop("x-ms-visibility"),
                        "property 'src' has no x-ms-visibility"),
    "VisibilityValues": (lambda c: body_props(c)["url"].update({"x-ms-visibility": "hidden"}),
                         "x-ms-visibility 'hidden' must be one of"),
    "InternalRequiredHasDefault": (lambda c: at(c.swagger, GET)["parameters"][0].update(
        {"x-ms-visibility": "internal"}), "is internal and required but has no default"),
    "ReservedParameterName": (lambda c: at(c.swagger, LIST)["parameters"][0].update(name="connectionId"),
                              "may not be named connectionId"),
    "PathParameterEncoding": (lambda c: at(c.swagger, GET)["parameters"][0].pop("x-ms-url-encoding"),
                              "needs \"x-ms-url-encoding\": \"single\""),
    "RequiredList": (lambda c: c.swagger["definitions"]["Message"].update(required=[]),
                     "remove the empty 'required' list"),
    "ArrayItems": (lambda c: c.swagger["definitions"]["MessageList"]["properties"]["objects"].pop("items"),
                   "is an array without 'items'"),
    "FormatValues": (lambda c: c.swagger["definitions"]["Message"]["properties"]["units"].update(format="int16"),
                     "format 'int16' is not supported"),
    "EnumValueTypes": (lambda c: c.swagger["definitions"]["Message"]["properties"]["units"].update(enum=["1", 2]),
                       "enum value '1' is not of type integer"),
    "DefaultValues": (lambda c: at(c.swagger, LIST)["parameters"][0].update(default="20"),
                      "default value: '20' is not of type 'integer'"),
    "RefUsage": (lambda c: c.swagger["definitions"]["MessageList"]["properties"]["objects"]["items"].update(
        {"$ref": "#/definitions/Messages"}), "names no definition"),
    "RecursiveRef": (lambda c: c.swagger["definitions"]["Message"]["properties"].update(
        parent={"$ref": "#/definitions/Message"}), "definition Message refers to itself"),
    "Swagger20": (lambda c: at(c.swagger, GET)["parameters"][0].update(type="strin"), "Swagger 2.0:"),
    "ExternalReference": (lambda c: c.swagger["definitions"]["MessageList"]["properties"]["objects"]["items"].update(
        {"$ref": "file:///etc/passwd"}), "$ref file:///etc/passwd is not a local reference"),
    "DynamicOperationExists": (lambda c: body_props(c)["src"].update(
        {"x-ms-dynamic-values": {"operationId": "ListPhoneNumbers", "value-path": "number"}}),
        "x-ms-dynamic-values names operation 'ListPhoneNumbers', which does not exist"),
    "PageableNextLink": (lambda c: at(c.swagger, LIST).update({"x-ms-pageable": {"nextLinkName": "meta.next"}}),
                         "nextLinkName 'meta.next' must be one of nextLink, @odata.nextLink"),
    "SharedPartMetadata": (lambda c: c.swagger.update(parameters={"limit": {"name": "limit", "in": "query",
                                                                            "type": "integer"}}),
                           "shared parameter 'limit' has neither x-ms-summary nor description"),
    "TriggerKind": (lambda c: at(c.swagger, LIST).update({"x-ms-trigger": "poll"}), "must be single or batch"),
    "PollingTriggerSummary": (lambda c: at(c.swagger, LIST).update({"x-ms-trigger": "batch"}),
                              "summary 'List all messages' should start with 'When'"),
    "BasicAuthSecurity": (lambda c: c.swagger.update(securityDefinitions={"oauth": {"type": "oauth2"}}),
                          "securityDefinitions must be"),
    "ConnectionParameters": (lambda c: c.properties["properties"]["connectionParameters"]["password"].update(
        type="string"), "must be of type securestring"),
    "PolicyTemplates": (lambda c: policy(c)["parameters"].update(
        {"x-ms-apimTemplate-operationName": ["SendFax"]}), "applies to operation 'SendFax', which does not exist"),
    "PolicyTemplateParameters": (lambda c: policy(c).update(templateId="dynamichost"),
                                 "unknown templateId 'dynamichost'"),
    "PolicyExpressions": (lambda c: policy(c).update(templateId="dynamicHostUrl"), "is not written as documented"),
    "FileLimits": (_pad, "the import takes less than 1 MB"),
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
