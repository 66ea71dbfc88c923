"""The per-connection sliding-window throttle (the connector's N calls per W seconds), and Plivo's
own per-account limit on list messages (20 a minute).

The connection throttle's tests use list messages as a cheap call, with Plivo's limits lifted.
"""

from __future__ import annotations

import pytest
from mock_helpers import ACCOUNT_A, ACCOUNT_B, ACCOUNTS, WsgiClient

from scripts.mock import Clock, create_app
from scripts.mock.throttle import SlidingWindowThrottle


@pytest.fixture
def throttled():
    app = create_app(ACCOUNTS, throttle=(100, 60.0), plivo_limits=False)
    yield app
    app.close()


def test_call_101_in_the_window_is_429_with_retry_after(throttled):
    client = WsgiClient(throttled)
    statuses = [client.list_messages().status for _ in range(100)]
    assert statuses == [200] * 100
    r = client.list_messages()
    assert r.status == 429
    assert r.json["error"] == "too many requests"
    assert len(r.json["api_id"]) == 36
    assert r.headers["Retry-After"] == "60"


def test_every_authenticated_request_counts_whatever_its_outcome(throttled):
    client = WsgiClient(throttled)
    for i in range(100):
        method, tail = [("POST", "Message/"), ("GET", "Message/nope/"), ("DELETE", "Message/")][i % 3]
        assert client.request(method, client.uri(tail), json_body={}).status in (400, 404, 405)
    assert client.send().status == 429


def test_window_slides_with_the_mock_clock(throttled):
    client = WsgiClient(throttled)
    for _ in range(50):
        assert client.list_messages().status == 200
    throttled.clock.advance(30)
    for _ in range(50):
        assert client.list_messages().status == 200
    r = client.list_messages()
    assert (r.status, r.headers["Retry-After"]) == (429, "30")  # the first 50 leave in 30 s
    throttled.clock.advance(29.5)
    assert client.list_messages().status == 429
    throttled.clock.advance(0.5)  # exactly 60 s after the first 50: their slots are free
    assert [client.list_messages().status for _ in range(51)] == [200] * 50 + [429]
    throttled.clock.advance(30)
    assert [client.list_messages().status for _ in range(51)] == [200] * 50 + [429]


def test_refused_requests_do_not_extend_the_ban(throttled):
    client = WsgiClient(throttled)
    for _ in range(100):
        client.list_messages()
    for _ in range(20):
        throttled.clock.advance(2.9)
        assert client.list_messages().status == 429
    throttled.clock.advance(2)  # 60 s after the 100 calls
    assert client.list_messages().status == 200


def test_other_accounts_are_not_affected(throttled):
    a, b = WsgiClient(throttled, ACCOUNT_A), WsgiClient(throttled, ACCOUNT_B)
    for _ in range(100):
        a.send()
    assert a.send().status == 429
    assert [b.send().status for _ in range(100)] == [202] * 100
    assert b.send().status == 429
    # A's refused sends did not create messages.
    assert a.list_messages(message_time__gte="2000-01-01 00:00").status == 429
    throttled.clock.advance(60)
    assert a.list_messages().json["meta"]["total_count"] == 100


def test_throttle_none_disables_the_limit():
    app = create_app(ACCOUNTS, throttle=None, plivo_limits=False)
    client = WsgiClient(app)
    assert {client.list_messages().status for _ in range(300)} == {200}
    app.close()


def test_custom_numbers_are_used():
    app = create_app(ACCOUNTS, throttle=(2, 5.0), plivo_limits=False)
    client = WsgiClient(app)
    assert [client.list_messages().status for _ in range(3)] == [200, 200, 429]
    app.clock.advance(5)
    assert client.list_messages().status == 200
    app.close()


def test_throttle_unit_retry_after_rounds_up():
    clock = Clock()
    throttle = SlidingWindowThrottle(2, 10.0, clock.now)
    assert throttle.acquire("k") is None
    clock.advance(0.25)
    assert throttle.acquire("k") is None
    assert throttle.acquire("k") == 10  # 9.75 s to wait, rounded up
    clock.advance(9.75)
    assert throttle.acquire("k") is None
    assert throttle.acquire("other") is None


def test_throttle_rejects_nonsense_settings():
    with pytest.raises(ValueError, match="limit"):
        SlidingWindowThrottle(0, 60.0, Clock().now)
    with pytest.raises(ValueError, match="window"):
        SlidingWindowThrottle(1, 0, Clock().now)


def test_list_messages_is_limited_to_20_a_minute_per_account():
    app = create_app(ACCOUNTS, throttle=(100, 60.0))
    a, b = WsgiClient(app, ACCOUNT_A), WsgiClient(app, ACCOUNT_B)
    assert [a.list_messages().status for _ in range(21)] == [200] * 20 + [429]
    refused = a.list_messages()
    assert refused.json["error"] == "too many requests" and refused.headers["Retry-After"] == "60"
    assert a.send().status == 202                     # other endpoints are not limited by it
    assert a.request("GET", a.uri("Message/nope/")).status == 404
    assert b.list_messages().status == 200            # nor other accounts
    app.clock.advance(60)
    assert a.list_messages().status == 200
    app.close()


def test_the_list_limit_counts_against_the_connection_throttle_too():
    app = create_app(ACCOUNTS, throttle=(100, 60.0))
    a = WsgiClient(app, ACCOUNT_A)
    for _ in range(22):
        a.list_messages()
    assert [a.send().status for _ in range(79)] == [202] * 78 + [429]
    app.close()
