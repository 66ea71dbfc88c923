"""Policy templates: each reproduced template, its scoping and order, and every unsupported case."""

from __future__ import annotations

import pytest

from scripts.runtime import Connector, Runtime, UnsupportedError, WsgiTransport
from tests.runtime.helpers import ACCOUNT_URL, AUTH_ID, CONNECTION, TOKEN, committed, policy, with_policies

SMS = {"src": "14155550100", "dst": "14155550123", "text": "hi"}


def runtime_with(app, *extra, keep=True) -> Runtime:
    return Runtime(with_policies(*extra, keep=keep), CONNECTION, WsgiTransport(app))


def test_dynamichosturl_scoped_and_evaluated(app):
    rt = runtime_with(app, policy("dynamichosturl", ["GetMessage"],
                                  urlTemplate="https://eu.example.com/v2/@connectionParameters('username')/"))
    assert rt.build("GetMessage", {"message_uuid": "u"}).url == f"https://eu.example.com/v2/{AUTH_ID}/Message/u/"
    assert rt.build("ListMessages").url == f"{ACCOUNT_URL}/Message/"  # not in the scope: the connector-wide one


def test_routerequesttoendpoint_path_method_and_placeholders(app):
    rt = runtime_with(app, policy("routerequesttoendpoint", ["GetMessage"],
                                  newPath="/Archive/@connectionParameters('username')/{message_uuid}/?view=full",
                                  httpMethod="post"))
    request = rt.build("GetMessage", {"message_uuid": "a b"})
    assert request.method == "POST"
    assert request.url == f"{ACCOUNT_URL}/Archive/{AUTH_ID}/a%20b/?view=full"
    rt = runtime_with(app, policy("routerequesttoendpoint", newPath="/Message/",
                                  httpMethod="@Request.OriginalHTTPMethod"))
    assert rt.build("ListMessages", {"limit": "2"}).method == "GET"
    assert rt.build("SendSMS", SMS).url == f"{ACCOUNT_URL}/Message/"


def test_setheader_actions(app):
    rt = runtime_with(app,
                      policy("setheader", name="X-Account", value="@connectionParameters('username')"),
                      policy("setheader", name="x-account", value="second", existsAction="skip"),
                      policy("setheader", name="X-Tags", value="a"),
                      policy("setheader", name="X-TAGS", value="b", existsAction="append"),
                      policy("setheader", name="Content-Type", value="application/json; charset=utf-8"))
    headers = rt.build("SendSMS", SMS).headers
    assert headers["X-Account"] == AUTH_ID
    assert headers["X-Tags"] == "a, b"
    assert headers["Content-Type"] == "application/json; charset=utf-8"  # override is the default


def test_setqueryparameter_actions_and_order(app):
    rt = runtime_with(app,
                      policy("setqueryparameter", ["ListMessages"], name="limit", value="20"),
                      policy("setqueryparameter", ["ListMessages"], name="offset", value="9", existsAction="skip"),
                      policy("setqueryparameter", ["ListMessages"], name="message_state", value="sent",
                             existsAction="append"),
                      policy("setqueryparameter", ["ListMessages"], name="echo", value="@queryParameters('limit')"),
                      policy("setqueryparameter", ["ListMessages"], name="ct",
                             value="@headers('X-Missing', 'none')"))
    request = rt.build("ListMessages", {"limit": "5", "offset": "1", "message_state": "queued"})
    assert request.query == [("offset", "1"), ("message_state", "queued"), ("limit", "20"),
                             ("message_state", "sent"), ("echo", "20"), ("ct", "none")]


@pytest.mark.parametrize(("extra", "message"), [
    (policy("updatenextlink", ["SendSMS"]),
     r"policy template 'updatenextlink' \(test updatenextlink\) is not reproduced by the emulator; it reproduces: "
     r"dynamichosturl, routerequesttoendpoint, setheader, setqueryparameter, pollingtrigger, setproperty"),
    (policy("dynamichosturl", urlTemplate="https://x", scheme="https"),
     r"unknown parameter 'x-ms-apimTemplateParameter.scheme'; it takes x-ms-apimTemplateParameter.urlTemplate"),
    (policy("setheader", name="X-A"), r"missing parameter\(s\) x-ms-apimTemplateParameter.value"),
    (policy("setheader", name="X-A", value="v", existsAction="delete"),
     r"existsAction 'delete' is not one of override, skip, append"),
    ({**policy("setqueryparameter", name="a", value="v"),
      "parameters": {**policy("setqueryparameter", name="a", value="v")["parameters"],
                     "x-ms-apimTemplate-policySection": "Response"}},
     r"x-ms-apimTemplate-policySection 'Response': reproduced are request policies and response setheader"),
    (policy("setheader", name="X-A", value="@triggerBody().x"), r"value: unsupported expression @triggerBody"),
    (policy("setheader", name="X-A", value="@{connectionParameters('username')}"),
     r"value: cannot evaluate the expression in"),
    (policy("setheader", name="X-A", value="@connectionParameters('region')"),
     r"@connectionParameters\('region'\) has no value: the connection has password, username"),
    (policy("routerequesttoendpoint", newPath="/x", httpMethod="FETCH"),
     r"httpMethod 'FETCH' is not @Request.OriginalHTTPMethod or one of GET, POST"),
    (policy("routerequesttoendpoint", newPath="/x/{call_uuid}/"),
     r"newPath uses \{call_uuid\}, which is not a path or query parameter of SendSMS \(it has: none\)"),
    (policy("dynamichosturl", urlTemplate="api.example.com"), r"urlTemplate must give an absolute http\(s\) URL"),
])
def test_unsupported_policies_are_errors(app, extra, message):
    rt = runtime_with(app, extra)
    with pytest.raises(UnsupportedError, match=message) as caught:
        rt.build("SendSMS", SMS)
    assert caught.value.exit_code == 2
    assert TOKEN not in str(caught.value)


def test_unsupported_template_scoped_elsewhere_does_not_block(app):
    rt = runtime_with(app, policy("stringreplace", ["MakeCall"]))
    assert rt.build("SendSMS", SMS).url == f"{ACCOUNT_URL}/Message/"
    with pytest.raises(UnsupportedError, match="'stringreplace'"):
        rt.build("MakeCall", {"from": "1", "to": "2", "answer_url": "https://x"})


def test_only_basic_auth_is_reproduced(app):
    swagger, properties = committed()
    swagger["securityDefinitions"] = {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}
    swagger["security"] = [{"key": []}]
    rt = Runtime(Connector.from_dicts(swagger, properties), CONNECTION, WsgiTransport(app))
    with pytest.raises(UnsupportedError, match="security definition 'key' of type 'apiKey'"):
        rt.build("ListMessages")
