"""Rented numbers, the inventory search and applications: bodies, status codes, isolation."""

from __future__ import annotations

import pytest
from mock_helpers import ACCOUNT_A, ACCOUNT_B


def rent(client, number: str, account=ACCOUNT_A, **extra) -> dict:
    r = client.control("POST", "/_mock/numbers", {"auth_id": account[0], "number": number, **extra})
    assert r.status == 201, r
    return r.json


def test_rented_number_is_listed_and_got_with_plivos_keys(client):
    rent(client, "14155550100", alias="Support")
    page = client.request("GET", client.uri("Number/")).json
    assert page["meta"] == {"limit": 20, "next": None, "offset": 0, "previous": None, "total_count": 1}
    [number] = page["objects"]
    assert number["number"] == "14155550100" and number["alias"] == "Support"
    assert number["application"] is None and number["sms_enabled"] is True
    got = client.request("GET", client.uri("Number/14155550100/"))
    assert got.status == 200 and got.json["resource_uri"] == f"/v1/Account/{ACCOUNT_A[0]}/Number/14155550100/"
    assert set(number) <= set(got.json)


def test_numbers_are_private_to_their_account(client, client_b):
    rent(client, "14155550100")
    assert client_b.request("GET", client_b.uri("Number/")).json["meta"]["total_count"] == 0
    assert client_b.request("GET", client_b.uri("Number/14155550100/")).status == 404
    assert client_b.request("POST", client_b.uri("Number/14155550100/"), json_body={"alias": "x"}).status == 404


def test_a_number_is_rented_once(client):
    rent(client, "14155550100")
    r = client.control("POST", "/_mock/numbers", {"auth_id": ACCOUNT_B[0], "number": "14155550100"})
    assert r.status == 400 and "already rented" in r.json["error"]


def test_list_filters_and_pages(client):
    for i in range(25):
        rent(client, f"1415555{i:04d}")
    first = client.request("GET", client.uri("Number/"), query={"limit": 20}).json
    assert len(first["objects"]) == 20 and first["meta"]["next"].endswith("limit=20&offset=20")
    rest = client.request("GET", client.uri("Number/"), query={"offset": 20}).json
    assert [n["number"] for n in rest["objects"]] == [f"1415555{i:04d}" for i in range(20, 25)]
    assert client.request("GET", client.uri("Number/"), query={"number_startswith": "14155550002"}
                          ).json["meta"]["total_count"] == 1
    assert client.request("GET", client.uri("Number/"), query={"services": "voice,sms"}
                          ).json["meta"]["total_count"] == 25
    bad = client.request("GET", client.uri("Number/"), query={"services": "fax"})
    assert bad.status == 400 and "services" in bad.json["error"]


def test_attach_a_number_to_an_application(client):
    app_id = client.request("POST", client.uri("Application/"), json_body={"app_name": "Flow"}).json["app_id"]
    rent(client, "14155550100")
    r = client.request("POST", client.uri("Number/14155550100/"), json_body={"app_id": app_id})
    assert (r.status, r.json["message"]) == (202, "changed")
    got = client.request("GET", client.uri("Number/14155550100/")).json
    assert got["application"] == f"/v1/Account/{ACCOUNT_A[0]}/Application/{app_id}/"
    missing = client.request("POST", client.uri("Number/14155550100/"), json_body={"app_id": "1"})
    assert missing.status == 404


def test_search_inventory_is_stable_and_skips_rented_numbers(client):
    first = client.request("GET", client.uri("PhoneNumber/"), query={"country_iso": "US"}).json
    again = client.request("GET", client.uri("PhoneNumber/"), query={"country_iso": "US"}).json
    assert [n["number"] for n in first["objects"]] == [n["number"] for n in again["objects"]]
    assert first["meta"]["total_count"] == 36 and len(first["objects"]) == 20
    taken = first["objects"][0]["number"]
    rent(client, taken)
    after = client.request("GET", client.uri("PhoneNumber/"), query={"country_iso": "US"}).json
    assert after["meta"]["total_count"] == 35 and taken not in [n["number"] for n in after["objects"]]
    by_pattern = client.request("GET", client.uri("PhoneNumber/"), query={"country_iso": "US", "pattern": "650"})
    assert {n["prefix"] for n in by_pattern.json["objects"]} == {"650"}


@pytest.mark.parametrize(("query", "message"), [
    ({}, "country_iso parameter is missing"),
    ({"country_iso": "usa"}, "two-letter"),
    ({"country_iso": "US", "pattern": "41a"}, "pattern"),
])
def test_search_refuses_bad_queries(client, query, message):
    r = client.request("GET", client.uri("PhoneNumber/"), query=query)
    assert r.status == 400 and message in r.json["error"]


def test_application_lifecycle(client, client_b):
    created = client.request("POST", client.uri("Application/"),
                             json_body={"app_name": "Support", "message_url": "https://example.com/sms"})
    assert created.status == 201 and created.json["message"] == "created"
    app_id = created.json["app_id"]
    got = client.request("GET", client.uri(f"Application/{app_id}/")).json
    assert (got["app_name"], got["message_url"], got["message_method"]) == ("Support", "https://example.com/sms",
                                                                         "POST")
    assert got["sip_uri"] == f"sip:{app_id}@app.plivo.com"
    assert client_b.request("GET", client_b.uri(f"Application/{app_id}/")).status == 404
    changed = client.request("POST", client.uri(f"Application/{app_id}/"), json_body={"message_method": "GET"})
    assert (changed.status, changed.json["message"]) == (202, "changed")
    duplicate = client.request("POST", client.uri("Application/"), json_body={"app_name": "Support"})
    assert duplicate.status == 400
    listed = client.request("GET", client.uri("Application/")).json
    assert [a["app_id"] for a in listed["objects"]] == [app_id]
    assert client.request("DELETE", client.uri(f"Application/{app_id}/")).status == 204
    assert client.request("GET", client.uri(f"Application/{app_id}/")).status == 404


def test_update_with_an_empty_body_reads_the_query(client):
    """The connector's trigger clean-up arrives as a POST with message_url in the query string."""
    app_id = client.request("POST", client.uri("Application/"),
                            json_body={"app_name": "Flow", "message_url": "http://127.0.0.1:1/x"}).json["app_id"]
    r = client.request("POST", client.uri(f"Application/{app_id}/"), query="message_url=")
    assert r.status == 202
    assert client.request("GET", client.uri(f"Application/{app_id}/")).json["message_url"] == ""
    bad = client.request("POST", client.uri(f"Application/{app_id}/"), query="colour=red")
    assert bad.status == 400


def test_application_refuses_bad_urls(client):
    r = client.request("POST", client.uri("Application/"), json_body={"app_name": "X", "message_url": "ftp://x"})
    assert r.status == 400 and "message_url" in r.json["error"]


def test_new_resources_share_the_accounts_throttle():
    from mock_helpers import ACCOUNTS, WsgiClient

    from scripts.mock import create_app

    app = create_app(ACCOUNTS, throttle=(2, 60.0))
    client = WsgiClient(app)
    assert client.request("GET", client.uri("Number/")).status == 200
    assert client.request("GET", client.uri("Application/")).status == 200
    limited = client.request("GET", client.uri("PhoneNumber/"), query={"country_iso": "US"})
    assert limited.status == 429 and limited.headers["Retry-After"]
    app.close()


def test_applications_and_numbers_survive_a_restart_with_db(tmp_path):
    from mock_helpers import ACCOUNTS, WsgiClient

    from scripts.mock import create_app

    db = str(tmp_path / "mock.sqlite")
    app = create_app(ACCOUNTS, db_path=db)
    client = WsgiClient(app)
    app_id = client.request("POST", client.uri("Application/"), json_body={"app_name": "Kept"}).json["app_id"]
    rent(client, "14155550100", app_id=app_id)
    app.close()
    again = create_app(ACCOUNTS, db_path=db)
    client = WsgiClient(again)
    assert client.request("GET", client.uri(f"Application/{app_id}/")).json["app_name"] == "Kept"
    assert client.request("GET", client.uri("Number/14155550100/")).json["application"].endswith(f"/{app_id}/")
    again.close()
