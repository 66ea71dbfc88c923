"""Policy template expressions: what the platform evaluates, and a clear error for the rest."""

from __future__ import annotations

import pytest

from scripts.expressions import ExpressionError, account_base_url, evaluate

CONNECTION = {"username": "MAXXXXXXXXXXXXXXXXXX", "password": "token"}


@pytest.mark.parametrize(("template", "expected"), [
    ("https://api.plivo.com/v1/Account/@connectionParameters('username')",
     "https://api.plivo.com/v1/Account/MAXXXXXXXXXXXXXXXXXX"),
    ("https://@headers('region').example.com/@queryParameters('v')", "https://eu.example.com/2"),
    ("https://@header('missing', 'default').example.com", "https://default.example.com"),
    ('@connectionParameters("username")', "MAXXXXXXXXXXXXXXXXXX"),
    ("plain text", "plain text"),
])
def test_evaluate(template, expected):
    assert evaluate(template, connection=CONNECTION, query={"v": "2"}, headers={"region": "eu"}) == expected


@pytest.mark.parametrize(("template", "message"), [
    ("@triggerOutputs()['x']", "unsupported expression @triggerOutputs(...)"),
    ("@connectionParameters('auth_id')", "@connectionParameters('auth_id') has no value"),
    ("@connectionParameters(username)", "must be quoted strings"),
    ("@connectionParameters('a', 'b', 'c')", "takes a name and an optional default"),
])
def test_evaluate_refuses_what_it_cannot_evaluate(template, message):
    with pytest.raises(ExpressionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        evaluate(template, connection=CONNECTION)


def test_account_base_url_applies_the_connectors_policy(swagger, api_properties):
    assert account_base_url(api_properties, CONNECTION, swagger=swagger) == \
        "https://api.plivo.com/v1/Account/MAXXXXXXXXXXXXXXXXXX"


def test_account_base_url_without_policy_is_host_and_base_path(swagger):
    assert account_base_url({"properties": {}}, CONNECTION, swagger=swagger) == "https://api.plivo.com/v1/Account"
