"""The polling trigger "When an outgoing message fails" on the committed definition, against the mock.

Most tests write failed and undelivered messages straight into the mock's store (state fixed, as
the mock keeps inbound messages), to control their times exactly; the last one goes end to end
through SendSMS and the mock's reserved failing test numbers (1500555NNNN).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from scripts.mock import messages
from scripts.mock.formats import FILTER_TIME_RE, new_uuid
from scripts.runtime import Poller
from tests.runtime.helpers import AUTH_ID

TRIGGER = "OnMessageFailed"
OTHER = "MAOTHERACCOUNT000001"


def outbound(app, state: str | None, *, auth_id: str = AUTH_ID, src: str = "14155550100") -> str:
    """An outbound message sent now that ended in ``state`` (None: the clock decides, as for SendSMS)."""
    uuid = new_uuid()
    app.store.write(messages.INSERT_SQL, [(uuid, auth_id, "outbound", state, "sms", src, "14155550123",
                                           app.clock.now(), 1, 500, None, "text")])
    return uuid


def ids(items) -> list[str]:
    return [m["message_uuid"] for m in items]


def test_first_poll_fires_nothing_then_each_failure_once(app, runtime):
    outbound(app, "failed")  # before the flow existed
    poller = Poller(runtime, TRIGGER)
    first = poller.poll()
    assert (first.status, first.items) == (202, [])
    cursor = first.state["message_time__gt"]
    assert FILTER_TIME_RE.match(cursor) and cursor.endswith(".999999")  # a value Plivo's filters accept
    query = dict(first.requests[0].query)
    assert first.requests[0].path == "/Message/"
    assert {k: query[k] for k in ("message_state", "message_direction", "limit")} == {
        "message_state": "failed", "message_direction": "outbound", "limit": "20"}

    app.clock.advance(60)
    assert poller.poll().status == 202  # nothing new
    one = outbound(app, "failed")
    outbound(app, "undelivered")  # the other outcome: another flow's business
    outbound(app, None)  # delivered
    app.clock.advance(1)
    two = outbound(app, "failed")
    app.clock.advance(60)
    fired = poller.poll()
    assert (fired.status, ids(fired.items)) == (200, [two, one])  # newest first
    assert len(fired.requests) == 1
    for _ in range(3):
        app.clock.advance(60)
        assert poller.poll().status == 202  # never again


def test_more_failures_than_a_page_holds_all_fire_once(app, runtime):
    poller = Poller(runtime, TRIGGER, {"message_state": "undelivered"})
    outbound(app, "undelivered")
    poller.poll()
    app.clock.advance(60)
    burst = []
    for _ in range(25):
        burst.append(outbound(app, "undelivered"))
        app.clock.advance(0.3)
    app.clock.advance(60)
    fired = poller.poll()
    assert sorted(ids(fired.items)) == sorted(burst) and len(fired.items) == 25
    assert len(fired.requests) == 2  # one page of 20, then the next link (5)
    assert dict(parse_qsl(urlsplit(fired.requests[1].url).query))["offset"] == "20"
    app.clock.advance(60)
    assert poller.poll().status == 202


def test_other_accounts_and_sender_filter(app, runtime):
    app.accounts[OTHER] = "other-token"
    poller = Poller(runtime, TRIGGER, {"from_number": "14155550100"})
    poller.poll()
    app.clock.advance(60)
    outbound(app, "failed", auth_id=OTHER)
    outbound(app, "failed", src="14155550111")
    mine = outbound(app, "failed")
    app.clock.advance(60)
    assert ids(poller.poll().items) == [mine]


@pytest.mark.parametrize("offset", ["+05:30", "-08:00"])
def test_cursor_is_utc_whatever_the_accounts_offset(connector, offset):
    from scripts.expressions import evaluate_trigger

    body = {"objects": [{"message_time": f"2026-01-02 00:15:07{offset}"}]}
    [policy] = [p for p in connector.policies if p["templateId"] == "pollingtrigger"
                and TRIGGER in p["parameters"]["x-ms-apimTemplate-operationName"]]
    expression = policy["parameters"]["x-ms-apimTemplateParameter.triggerConfig"]["message_time__gt"]
    expected = {"+05:30": "2026-01-01 18:45:07.999999", "-08:00": "2026-01-02 08:15:07.999999"}[offset]
    assert evaluate_trigger(expression, body) == expected


def test_a_message_sent_to_a_reserved_failing_number_fires_with_its_error_code(app, runtime):
    """End to end with the mock's reserved test numbers (1500555NNNN ends with error code NNNN)."""
    poller = Poller(runtime, TRIGGER)
    poller.poll()
    app.clock.advance(60)
    runtime.call("SendSMS", {"src": "14155550100", "dst": "15005550030", "text": "will fail"})
    runtime.call("SendSMS", {"src": "14155550100", "dst": "14155550123", "text": "will be delivered"})
    app.clock.advance(60)
    fired = poller.poll()
    assert [(m["to_number"], m["message_state"], m["error_code"]) for m in fired.items] == [
        ("15005550030", "failed", "30")]
