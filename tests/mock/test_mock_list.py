"""GET Message/: ordering, filters, time windows, paging and the validation of the query."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from mock_helpers import ACCOUNT_A


def fmt(ts: float, spec: str = "%Y-%m-%d %H:%M:%S") -> str:
    return datetime.fromtimestamp(ts, UTC).strftime(spec)


def uuids(result) -> list[str]:
    return [o["message_uuid"] for o in result.json["objects"]]


def test_newest_first(client, app):
    sent = []
    for i in range(3):
        sent.append(client.send(text=f"m{i}").json["message_uuid"][0])
        app.clock.advance(1)
    assert uuids(client.list_messages()) == sent[::-1]


@pytest.mark.parametrize(("query", "expected"), [
    ({"message_type": "mms"}, ["mms"]),
    ({"message_type": "sms"}, ["sms1", "sms2"]),
    ({"from_number": "14155550999"}, ["sms2"]),
    ({"from_number": "+14155550999"}, ["sms2"]),
    ({"to_number": "+14155550777"}, ["mms"]),
    ({"to_number": "14155550123"}, ["sms1", "sms2"]),
    ({"message_direction": "outbound"}, ["mms", "sms1", "sms2"]),
    ({"message_direction": "inbound"}, []),
    ({"message_state": "queued"}, ["mms", "sms1", "sms2"]),
    ({"error_code": "000"}, []),
    ({"powerpack_id": "pp-1"}, ["mms"]),
    ({"subaccount": "SACCCCCCCCCCCCCCCCCC"}, []),
])
def test_filters(client, app, query, expected):
    names = {}
    names[client.send(text="a").json["message_uuid"][0]] = "sms1"
    names[client.send(src="+14155550999", text="b").json["message_uuid"][0]] = "sms2"
    names[client.send(src=None, powerpack_uuid="pp-1", type="mms", dst="14155550777",
                      media_urls=["https://e.com/x.png"]).json["message_uuid"][0]] = "mms"
    got = sorted(names[u] for u in uuids(client.list_messages(**query)))
    assert got == expected
    assert client.list_messages(**query).json["meta"]["total_count"] == len(expected)


def test_subaccount_filter_matches_the_subaccounts_own_messages(app):
    from mock_helpers import SUB_C, WsgiClient
    sub = WsgiClient(app, SUB_C)
    uuid = sub.send().json["message_uuid"][0]
    assert uuids(sub.list_messages(subaccount=SUB_C[0])) == [uuid]


def test_without_time_filter_only_last_24_hours(client, app):
    old = client.send(text="old").json["message_uuid"][0]
    app.clock.advance(24 * 3600 - 10)
    recent = client.send(text="recent").json["message_uuid"][0]
    assert uuids(client.list_messages()) == [recent, old]
    app.clock.advance(10)
    assert uuids(client.list_messages()) == [recent]
    # A time filter replaces the 24-hour window, and the record is still there to get.
    assert uuids(client.list_messages(message_time__gte="2000-01-01 00:00")) == [recent, old]
    assert client.request("GET", client.uri(f"Message/{old}/")).status == 200


def test_time_filters(client, app):
    t0 = app.clock.now()
    a = client.send(text="a").json["message_uuid"][0]
    app.clock.advance(120)
    b = client.send(text="b").json["message_uuid"][0]
    app.clock.advance(120)
    c = client.send(text="c").json["message_uuid"][0]
    mid = t0 + 120  # b's time, to the microsecond of the clock read
    assert uuids(client.list_messages(message_time__gt=fmt(t0 + 60))) == [c, b]
    assert uuids(client.list_messages(message_time__lt=fmt(t0 + 60))) == [a]
    assert uuids(client.list_messages(message_time__gte=fmt(mid - 1), message_time__lte=fmt(mid + 1))) == [b]
    b_time = client.request("GET", client.uri(f"Message/{b}/")).json["message_time"]
    assert uuids(client.list_messages(message_time=b_time.removesuffix("+00:00"))) == [b]
    assert uuids(client.list_messages(message_time__lte=fmt(t0 + 300, "%Y-%m-%d %H:%M:%S.%f"))) == [c, b, a]
    minute = fmt(t0 + 600, "%Y-%m-%d %H:%M")  # the HH:MM form
    assert uuids(client.list_messages(message_time__lt=minute)) == [c, b, a]


@pytest.mark.parametrize("name", ["message_time", "message_time__gt", "message_time__gte",
                                  "message_time__lt", "message_time__lte"])
@pytest.mark.parametrize("value", ["2024-01-01", "2024-01-01T10:00:00", "2024-13-01 10:00", "yesterday",
                                   "0999-01-01 10:00", "2024-01-32 10:00", "2024-01-01 10:00:00.1234567",
                                   "2024-01-01 10:00:00+02:00", "2024-01-01 25:00", ""])
def test_invalid_time_filter_is_400_naming_it(client, name, value):
    r = client.list_messages(**{name: value})
    assert r.status == 400
    assert r.json["error"].startswith(f"{name} must be a UTC time")


def test_a_day_past_the_end_of_its_month_rolls_over(client):
    # 2024-02-30 is read as 2024-03-01: the definition's pattern cannot know month lengths, and
    # every value it allows must be accepted.
    assert client.list_messages(message_time__gte="2024-02-30 00:00").status == 200
    from scripts.mock.formats import parse_filter_time

    assert parse_filter_time("2024-02-30 00:00") == parse_filter_time("2024-03-01 00:00")
    assert parse_filter_time("2024-12-31 23:59:59.5") == parse_filter_time("2025-01-01 00:00") - 0.5


@pytest.mark.parametrize(("name", "value"), [
    ("limit", "0"), ("limit", "21"), ("limit", "-1"), ("limit", "ten"), ("limit", "1.5"), ("limit", ""),
    ("offset", "-1"), ("offset", "x"), ("offset", "9" * 40), ("offset", "1e3"), ("offset", "\u0661"),
])
def test_bad_limit_or_offset_is_400_naming_it(client, name, value):
    r = client.list_messages(**{name: value})
    assert r.status == 400
    assert r.json["error"].startswith(f"{name} must be an integer")


@pytest.mark.parametrize(("name", "value"), [
    ("message_direction", "sideways"), ("message_state", "lost"), ("message_type", "fax"),
    ("subaccount", "MAAAAAAAAAAAAAAAAAAA"),
])
def test_bad_enum_filters_are_400_naming_them(client, name, value):
    r = client.list_messages(**{name: value})
    assert r.status == 400
    assert r.json["error"].startswith(name)


def test_unknown_query_parameters_are_400_naming_them(client):
    r = client.list_messages(colour="red", limit=5, page=2)
    assert r.status == 400
    assert r.json["error"] == "unknown query parameter(s): colour, page"


def test_repeated_query_parameter_is_400(client):
    r = client.request("GET", client.uri("Message/"), query="limit=5&limit=6")
    assert r.status == 400
    assert "limit" in r.json["error"]


def test_paging_meta_links_and_total_count(client):
    for i in range(25):
        client.send(text=f"m{i}")
    first = client.list_messages(limit=10, message_type="sms").json
    base = f"/v1/Account/{ACCOUNT_A[0]}/Message/"
    assert first["meta"]["total_count"] == 25
    assert first["meta"]["previous"] is None
    assert first["meta"]["next"] == base + "?limit=10&offset=10&message_type=sms"
    second = client.request("GET", first["meta"]["next"].split("?")[0],
                            query=first["meta"]["next"].split("?")[1]).json
    assert second["meta"]["offset"] == 10
    assert second["meta"]["previous"] == base + "?limit=10&offset=0&message_type=sms"
    last = client.list_messages(limit=10, offset=20, message_type="sms").json
    assert len(last["objects"]) == 5
    assert last["meta"]["next"] is None
    seen = [o["message_uuid"] for page in (first, second, last) for o in page["objects"]]
    assert len(set(seen)) == 25


def test_paging_links_encode_time_filters(client):
    for _ in range(3):
        client.send()
    meta = client.list_messages(limit=1, offset=1, message_time__gte="2000-01-01 00:00:00").json["meta"]
    query = parse_qs(urlsplit(meta["next"]).query)
    assert query == {"limit": ["1"], "offset": ["2"], "message_time__gte": ["2000-01-01 00:00:00"]}
    assert "%20" in meta["next"]
    assert parse_qs(urlsplit(meta["previous"]).query)["offset"] == ["0"]


def test_default_limit_is_20_and_offset_past_the_end_is_empty(client):
    for _ in range(21):
        client.send()
    page = client.list_messages().json
    assert len(page["objects"]) == 20
    assert page["meta"]["next"].endswith("?limit=20&offset=20")
    beyond = client.list_messages(offset=500).json
    assert beyond["objects"] == [] and beyond["meta"]["total_count"] == 21 and beyond["meta"]["next"] is None
    assert beyond["meta"]["previous"].endswith("?limit=20&offset=480")


def test_offset_accepts_the_int32_range(client):
    assert client.list_messages(offset=2**31 - 1).status == 200
    assert client.list_messages(offset=2**31).status == 400
