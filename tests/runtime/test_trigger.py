"""A polling trigger on a synthetic definition (the committed one has none yet), against the mock.

Two findings about a trigger whose state is ``@{triggerBody().objects[0].message_time}`` (both
asserted below, see docs/runtime.md):
1. the mock writes message_time as ``2024-05-01 12:00:03+00:00`` but its list filters accept only
   ``YYYY-MM-DD HH:MM[:ss[.uuuuuu]]``: the state is rejected (400) on the next poll;
2. message_time is whole seconds while ``message_time__gt`` compares the exact time, so the newest
   message is "after" its own displayed second and fires again on every poll.
The scenario test runs the mock behind a small shim that drops the ``+00:00`` and compares at the
second shown, standing in for a backend (or state expression) without those two problems, so the
polling protocol itself is exercised on real mock data.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode

import pytest

from scripts.runtime import (
    CallError,
    Connector,
    HttpResponse,
    InputError,
    Poller,
    Runtime,
    UnsupportedError,
    WsgiTransport,
)
from tests.runtime.helpers import AUTH_ID, CONNECTION, TRIGGER_ID, inbound, trigger_definition


class SecondsFilter:
    """WSGI shim: message_time__gt=T+00:00 becomes "after the second T" before the mock sees it
    (``fraction`` "" keeps the mock's exact comparison, which re-fires the newest message)."""

    def __init__(self, app, fraction: str = ".999999") -> None:
        self.app = app
        self.fraction = fraction

    def __call__(self, environ, start_response):
        def fix(key: str, value: str) -> str:
            if key == "message_time__gt" and value.endswith("+00:00"):
                return value.removesuffix("+00:00") + self.fraction
            return value

        pairs = [(k, fix(k, v)) for k, v in parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)]
        environ["QUERY_STRING"] = urlencode(pairs)
        return self.app(environ, start_response)


def trigger_runtime(app, **kwargs) -> Runtime:
    return Runtime(Connector.from_dicts(*trigger_definition(**kwargs)), CONNECTION, WsgiTransport(app))


def test_each_new_inbound_message_fires_once(app):
    rt = Runtime(Connector.from_dicts(*trigger_definition()), CONNECTION, WsgiTransport(SecondsFilter(app)))
    old = inbound(app, "before the flow existed")
    poller = Poller(rt, TRIGGER_ID)

    first = poller.poll()  # records the state only
    assert (first.status, first.items) == (202, [])
    old_time = rt.call("GetMessage", {"message_uuid": old}).body["message_time"]
    assert first.state == {"message_time__gt": old_time}
    request = first.requests[0]
    assert request.path == "/Message/"  # declared under /trigger/, called without it
    assert dict(request.query) == {"message_direction": "inbound", "message_time__gt": "2000-01-01 00:00:00"}

    app.clock.advance(60)
    assert poller.poll().status == 202  # nothing new: state unchanged
    rt.call("SendSMS", {"src": "14155550100", "dst": "14155550177", "text": "outbound: not a trigger item"})
    first_new = inbound(app, "one")
    app.clock.advance(1)
    second_new = inbound(app, "two")
    app.clock.advance(60)

    fired = poller.poll()
    assert fired.status == 200
    assert [m["message_uuid"] for m in fired.items] == [second_new, first_new]  # newest first
    assert dict(fired.requests[0].query)["message_time__gt"] == old_time
    app.clock.advance(60)
    assert poller.poll().status == 202
    third_new = inbound(app, "three")
    app.clock.advance(60)
    assert [m["message_uuid"] for m in poller.poll().items] == [third_new]
    fired_ids = [m["message_uuid"] for m in poller.fired]
    assert sorted(fired_ids) == sorted({first_new, second_new, third_new})  # each exactly once
    assert old not in fired_ids


def test_finding_mock_rejects_the_message_time_it_hands_out(app):
    poller = Poller(trigger_runtime(app), TRIGGER_ID)
    inbound(app, "hello")
    poller.poll()
    with pytest.raises(CallError) as caught:
        poller.poll()
    assert caught.value.status == 400
    assert "message_time__gt must be a UTC time formatted" in caught.value.body["error"]


def test_finding_newest_message_fires_again_at_second_precision(app):
    rt = Runtime(Connector.from_dicts(*trigger_definition()), CONNECTION, WsgiTransport(SecondsFilter(app, "")))
    poller = Poller(rt, TRIGGER_ID)
    uuid = inbound(app, "hello")
    poller.poll()
    app.clock.advance(60)
    again = poller.poll()
    assert (again.status, [m["message_uuid"] for m in again.items]) == (200, [uuid])
    assert [m["message_uuid"] for m in poller.poll().items] == [uuid]  # and on every poll after


def test_first_poll_without_items_keeps_the_defaults(app):
    poller = Poller(trigger_runtime(app), TRIGGER_ID, {"to_number": "14155550100"})
    assert poller.poll().state == {}
    uuid = inbound(app, "after an empty first poll")
    second = poller.poll()
    # The state was never recorded, so the default (year 2000) is sent again and the message fires.
    assert (second.status, [m["message_uuid"] for m in second.items]) == (200, [uuid])
    assert dict(second.requests[0].query)["to_number"] == "14155550100"


class Pages:
    """A backend with @odata.nextLink paging, answering by the request's path and query."""

    def __init__(self, pages: dict[str, dict]) -> None:
        self.pages = pages
        self.seen: list[str] = []

    def send(self, request):
        target = request.url.split("/v1/Account/" + AUTH_ID, 1)[1]
        self.seen.append(target)
        return HttpResponse(200, {}, json.dumps(self.pages[target]).encode())


def test_next_links_are_followed_within_a_poll(connector):
    swagger, properties = trigger_definition(config={"message_time__gt": "@triggerBody()['objects'][0]['message_time']",
                                                     "x-ms-triggerConfig-nextLink": "next"})
    base = "/Message/?message_direction=inbound&message_time__gt="
    pages = Pages({
        base + "2000-01-01%2000%3A00%3A00": {"objects": [{"message_time": "t1"}]},
        base + "t1": {"objects": [{"message_time": "t3"}], "next": f"/v1/Account/{AUTH_ID}/Message/page2"},
        "/Message/page2": {"objects": [{"message_time": "t2"}], "next": None},
    })
    poller = Poller(Runtime(Connector.from_dicts(swagger, properties), CONNECTION, pages), TRIGGER_ID)
    poller.poll()
    second = poller.poll()
    assert [m["message_time"] for m in second.items] == ["t3", "t2"]
    assert second.state == {"message_time__gt": "t3"}
    assert pages.seen[-1] == "/Message/page2"


def test_not_a_polling_trigger(runtime):
    with pytest.raises(InputError, match=r"SendSMS is not a polling trigger .*polling triggers: .*OnMessageFailed"):
        Poller(runtime, "SendSMS")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"data_path": "@triggerOutputs().body"}, r"triggerDataPath: unsupported trigger expression '@triggerOutputs"),
    ({"config": {"message_time__gt": "@{last(triggerBody().objects).message_time}"}},
     r"triggerConfig 'message_time__gt': unsupported trigger expression"),
])
def test_unsupported_trigger_expressions(app, kwargs, message):
    poller = Poller(trigger_runtime(app, **kwargs), TRIGGER_ID)
    inbound(app, "x")
    with pytest.raises(UnsupportedError, match=message):
        poller.poll()


def test_data_path_must_select_an_array(app):
    poller = Poller(trigger_runtime(app, data_path="@triggerBody().meta"), TRIGGER_ID)
    with pytest.raises(CallError, match="selects a dict, not an array"):
        poller.poll()
