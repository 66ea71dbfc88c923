"""A connector as other publishers write them, made here (not copied): everything in it is accepted by
the platform and by certification, including what the validator once flagged by mistake."""

from __future__ import annotations

import json
from pathlib import Path


def other_connector() -> tuple[dict, dict]:
    swagger = {
        "swagger": "2.0",
        "info": {"title": "Acme Tasks", "version": "1.0",
                 "description": "Acme Tasks keeps the to-do lists of small teams in one place.",
                 "contact": {"name": "Acme Support", "url": "https://acme.example.com/support",
                             "email": "support@acme.example.com"}},
        # a placeholder: the dynamichosturl policy puts the tenant's host in its place
        "host": "{tenant}.acme.example.com",
        "basePath": "/",
        "schemes": ["https"],
        "consumes": ["application/json"],
        "produces": ["application/json", "text/json"],
        "paths": {
            "/tasks": {
                "get": {
                    "operationId": "ListTasks", "summary": "List tasks (deprecated)", "deprecated": True,
                    "description": "Lists the tasks of a list.",
                    "parameters": [{"name": "list", "in": "query", "type": "string", "required": True,
                                    "x-ms-summary": "List", "description": "The list to read.",
                                    "x-ms-dynamic-values": {"operationId": "ListLists", "value-path": "id",
                                                            "value-title": "name"}}],
                    "responses": {"200": {"description": "The tasks.",
                                          "schema": {"type": "array", "items": {"$ref": "#/definitions/Task"}}}},
                },
            },
            "/lists": {
                "get": {
                    "operationId": "ListLists", "summary": "List lists", "x-ms-visibility": "internal",
                    "description": "Lists the task lists for drop-downs.",
                    "responses": {"200": {"description": "The lists.", "schema": {
                        "type": "array", "items": {"type": "object", "properties": {
                            "id": {"type": "string", "description": "The list id."},
                            "name": {"type": "string", "description": "The list name."}}}}}},
                },
            },
            "/files/{id}": {
                "get": {
                    "operationId": "GetFileContent", "summary": "Get file content",
                    "description": "Downloads the content of an attached file.",
                    "produces": ["application/octet-stream"],
                    "parameters": [{"name": "id", "in": "path", "type": "string", "required": True,
                                    "x-ms-summary": "File", "description": "The file id."}],
                    "responses": {"200": {"description": "The content.", "schema": {"type": "file"}}},
                },
            },
            "/hooks": {
                "x-ms-notification-content": {"description": "A task.", "schema": {"$ref": "#/definitions/Task"}},
                "post": {
                    "operationId": "OnTaskCreated", "summary": "When a task is created", "x-ms-trigger": "single",
                    "description": "Triggers when a task is created.",
                    "parameters": [{"name": "body", "in": "body", "required": True, "schema": {
                        "type": "object", "required": ["url"], "properties": {
                            "url": {"type": "string", "x-ms-notification-url": True, "x-ms-visibility": "internal",
                                    "description": "The callback URL."}}}}],
                    "responses": {"201": {"description": "Subscribed."}},
                },
            },
        },
        "definitions": {"Task": {"type": "object", "properties": {
            "id": {"type": "string", "description": "The task id.", "x-ms-summary": "Task ID"},
            "state": {"type": "integer", "enum": [0, 1], "description": "0 open, 1 done.", "x-ms-summary": "State"}}}},
        "securityDefinitions": {"API Key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}},
        "security": [{"API Key": []}],
        "x-ms-connector-metadata": [
            {"propertyName": "Website", "propertyValue": "https://acme.example.com"},
            {"propertyName": "Privacy Policy", "propertyValue": "https://acme.example.com/privacy"},
            {"propertyName": "Categories", "propertyValue": "Productivity"},
        ],
    }
    properties = {"properties": {
        "connectionParameters": {
            "api_key": {"type": "securestring", "uiDefinition": {"displayName": "API Key",
                                                                 "description": "Your Acme API key.",
                                                                 "tooltip": "From Settings.",
                                                                 "constraints": {"required": "true"}}},
            "tenant": {"type": "string", "uiDefinition": {"displayName": "Tenant", "description": "Your tenant.",
                                                          "constraints": {"required": "true"}}},
        },
        "iconBrandColor": "#d83b01",
        "capabilities": [],
        "publisher": "Acme Ltd",
        "stackOwner": "Acme Ltd",
        "policyTemplateInstances": [
            {"templateId": "dynamichosturl", "title": "Tenant host",
             "parameters": {"x-ms-apimTemplateParameter.urlTemplate":
                            "https://@connectionParameters('tenant').acme.example.com"}},
            {"templateId": "setheader", "title": "Ask for JSON",
             "parameters": {"x-ms-apimTemplateParameter.name": "Accept",
                            "x-ms-apimTemplateParameter.value": "application/json",
                            "x-ms-apimTemplateParameter.existsAction": "override",
                            "x-ms-apimTemplate-policySection": "Request"}},
        ],
    }}
    return swagger, properties


def write_connector(folder: Path, swagger: dict | None = None, properties: dict | None = None,
                    definition_name: str = "apiDefinition.swagger.json") -> Path:
    default_swagger, default_properties = other_connector()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / definition_name).write_text(json.dumps(swagger or default_swagger, indent=2) + "\n")
    (folder / "apiProperties.json").write_text(json.dumps(properties or default_properties, indent=2) + "\n")
    return folder
