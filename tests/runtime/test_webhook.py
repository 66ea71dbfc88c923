"""The message webhook trigger end to end: registration through the connector's policies, Plivo
(the mock) posting form fields to the flow's callback, and clean-up through the Location header."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from scripts.mock import applications, numbers
from scripts.runtime import InputError, Runtime, WsgiTransport
from scripts.runtime.webhook import CallbackServer, WebhookTrigger, trigger_form_data_value
from tests.runtime.helpers import AUTH_ID, inbound

TRIGGER = "OnMessageReceived"
NUMBER = "14155550100"
OTHER = ("MAOTHERACCOUNT000001", "other-token")


@pytest.fixture
def flow_app(app) -> str:
    """An application made for the flow, with the account's number attached to it."""
    app_id = applications.add(app, AUTH_ID, "Flow app")
    numbers.rent(app, AUTH_ID, NUMBER, app_id=app_id)
    return app_id


@pytest.fixture
def registered(runtime, app, flow_app):
    trigger = WebhookTrigger(runtime, TRIGGER, {"app_id": flow_app})
    with CallbackServer(trigger.notification) as flow:
        trigger.register(flow.url)
        yield trigger, flow


def texts(firings) -> list[str]:
    return [trigger_form_data_value(f, "Text") for f in firings]


def test_registration_sets_the_chosen_applications_message_url(app, runtime, flow_app):
    bystander = applications.add(app, AUTH_ID, "Voice IVR", message_url="https://example.com/ivr-sms")
    trigger = WebhookTrigger(runtime, TRIGGER, {"app_id": flow_app})
    with CallbackServer(trigger.notification) as flow:
        result = trigger.register(flow.url)
    assert result.request.method == "POST" and result.request.path == f"/Application/{flow_app}/"
    assert result.request.body == {"message_url": flow.url, "message_method": "POST"}
    assert trigger.location == f"https://api.plivo.com/v1/Account/{AUTH_ID}/Webhook/Message/{flow_app}/"
    assert applications.find(app, AUTH_ID, flow_app)["message_url"] == flow.url
    assert applications.find(app, AUTH_ID, bystander)["message_url"] == "https://example.com/ivr-sms"


def test_one_inbound_message_fires_once_with_its_text(app, registered):
    _, flow = registered
    uuid = inbound(app, "Is my order ready?")
    [firing] = flow.wait(1)
    assert texts([firing]) == ["Is my order ready?"]
    assert trigger_form_data_value(firing, "MessageUUID") == uuid
    assert trigger_form_data_value(firing, "From") == "14155550177"
    assert trigger_form_data_value(firing, "To") == NUMBER
    assert firing.body["$content-type"] == "application/x-www-form-urlencoded"
    assert flow.problems == []  # the body matches the declared x-ms-notification-content
    assert flow.wait(2, timeout=0.3) == [firing]


def test_25_inbound_messages_fire_25_times_in_order(app, registered):
    _, flow = registered
    sent = [inbound(app, f"message {i:02d}") for i in range(25)]
    firings = flow.wait(25)
    assert texts(firings) == [f"message {i:02d}" for i in range(25)]
    assert [trigger_form_data_value(f, "MessageUUID") for f in firings] == sent  # each once, in order
    assert len(flow.wait(26, timeout=0.3)) == 25


def test_outbound_and_other_accounts_messages_never_fire(app, registered):
    _, flow = registered
    app.accounts[OTHER[0]] = OTHER[1]
    runtime = registered[0].runtime
    runtime.call("SendSMS", {"src": NUMBER, "dst": "14155550177", "text": "outbound"})
    response = Client(app).post("/_mock/inbound", json={"auth_id": OTHER[0], "from": "14155550177",
                                                        "to": NUMBER, "text": "someone else's"})
    assert response.status_code == 201
    other_runtime = Runtime(runtime.connector, {"username": OTHER[0], "password": OTHER[1]},
                            WsgiTransport(app))
    other_app = applications.add(app, OTHER[0], "Other flow app", message_url="http://127.0.0.1:9/none")
    numbers.rent(app, OTHER[0], "14155550199", app_id=other_app)
    other_runtime.call("SendSMS", {"src": "14155550199", "dst": NUMBER, "text": "to our number, outbound"})
    assert flow.wait(1, timeout=0.5) == []
    inbound(app, "ours")
    assert texts(flow.wait(1)) == ["ours"]


def test_deleting_the_flow_clears_the_message_url(app, registered, flow_app):
    trigger, flow = registered
    app.clear_request_log()
    trigger.delete()
    [request] = app.request_log
    assert (request["method"], request["path"], request["query"], request["status"]) == (
        "POST", f"/v1/Account/{AUTH_ID}/Application/{flow_app}/", {"message_url": [""]}, 202)
    assert applications.find(app, AUTH_ID, flow_app)["message_url"] == ""
    inbound(app, "after deletion")
    assert flow.wait(1, timeout=0.3) == []


def test_saving_the_flow_again_registers_the_same_url_again(app, registered, flow_app):
    trigger, flow = registered
    trigger.register(flow.url)  # the platform re-registers on save; Plivo's update is idempotent
    assert applications.find(app, AUTH_ID, flow_app)["message_url"] == flow.url
    inbound(app, "once")
    assert texts(flow.wait(2, timeout=0.5)) == ["once"]


def test_the_dropdown_lists_the_accounts_applications(app, runtime, flow_app):
    from scripts.runtime import options

    found = options(runtime, TRIGGER, "app_id")
    assert [(o.value, o.title) for o in found] == [(flow_app, "Flow app")]


def test_not_a_webhook_trigger(runtime):
    with pytest.raises(InputError, match=r"SendSMS is not a webhook trigger .*webhook triggers: OnMessageReceived"):
        WebhookTrigger(runtime, "SendSMS")


def test_registration_needs_an_existing_application(runtime):
    from scripts.runtime import CallError

    trigger = WebhookTrigger(runtime, TRIGGER, {"app_id": "12345"})
    with pytest.raises(CallError) as caught:
        trigger.register("http://127.0.0.1:9/flow")
    assert caught.value.status == 404



def test_an_mms_fires_with_its_media(app, registered):
    _, flow = registered
    response = Client(app).post("/_mock/inbound", json={
        "auth_id": AUTH_ID, "from": "14155550177", "to": NUMBER, "text": "photo",
        "media_urls": ["https://media.example.com/a.jpg", "https://media.example.com/b.png"]})
    assert response.status_code == 201
    [firing] = flow.wait(1)
    assert trigger_form_data_value(firing, "Type") == "mms"
    assert trigger_form_data_value(firing, "MediaCount") == "2"
    assert [trigger_form_data_value(firing, f"Media{i}") for i in (1, 2)] == [
        "https://media.example.com/a.jpg", "https://media.example.com/b.png"]
    assert flow.problems == []
