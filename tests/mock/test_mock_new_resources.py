"""Media of a message, Lookup (its own host, no account in the path), Verify sessions, and the
account paths the SDKs use."""

from __future__ import annotations

import pytest
from mock_helpers import ACCOUNT_A, ACCOUNT_B, WsgiClient


def test_an_mms_lists_its_media_in_order(client):
    urls = ["https://example.com/a/receipt.png", "https://example.com/b/clip.mp4?x=1"]
    sent = client.send(type="mms", media_urls=urls, text=None, dst="14155550001<14155550002").json
    assert len(sent["message_uuid"]) == 2
    for uuid in sent["message_uuid"]:
        body = client.request("GET", client.uri(f"Message/{uuid}/Media/")).json
        assert [m["content_type"] for m in body["objects"]] == ["image/png", "video/mp4"]
        for item in body["objects"]:
            assert item["message_uuid"] == uuid and item["size"] > 0
            assert item["media_url"] == (f"https://media.plivo.com/Account/{ACCOUNT_A[0]}/Message/{uuid}/Media/"
                                         f"{item['media_id']}")


def test_an_sms_has_no_media_and_another_accounts_message_is_404(client, client_b):
    uuid = client.send().json["message_uuid"][0]
    assert client.request("GET", client.uri(f"Message/{uuid}/Media/")).json["objects"] == []
    assert client_b.request("GET", client_b.uri(f"Message/{uuid}/Media/")).status == 404


def test_lookup_answers_on_its_own_path_with_any_account(client, client_b):
    for c in (client, client_b):
        r = c.request("GET", "/v1/Number/+14154305556", query={"type": "carrier"})
        assert r.status == 200, r
    body = r.json
    assert body["phone_number"] == "+14154305556"
    assert body["country"] == {"name": "United States", "iso2": "US", "iso3": "USA"}
    assert body["format"]["national"] == "(415) 430-5556"
    assert body["carrier"]["type"] == "mobile" and body["carrier"]["ported"] == "no"
    assert client.request("GET", "/v1/Number/14154305556", query={"type": "carrier"}).json["carrier"] == \
        body["carrier"]


@pytest.mark.parametrize("query", [{}, {"type": "caller"}, {"type": "carrier", "x": "1"}])
def test_lookup_checks_its_query(client, query):
    assert client.request("GET", "/v1/Number/14154305556", query=query).status == 400


def test_lookup_of_an_unknown_number_is_404_and_needs_credentials(client):
    assert client.request("GET", "/v1/Number/99912345", query={"type": "carrier"}).status == 404
    assert client.request("GET", "/v1/Number/14154305556", query={"type": "carrier"}, auth=False).status == 401
    assert client.request("GET", "/v1/Number/14154305556", query={"type": "carrier"},
                          auth=(ACCOUNT_A[0], "wrong")).status == 401


def test_a_verification_session_from_start_to_verified(client, app):
    started = client.request("POST", client.uri("Verify/Session/"), json_body={"recipient": "+14155550123"})
    assert started.status == 200 and started.json["message"] == "Session initiated"
    uuid = started.json["session_uuid"]
    session = client.request("GET", client.uri(f"Verify/Session/{uuid}/")).json
    assert (session["status"], session["recipient"], session["channel"]) == ("in-progress", "14155550123", "sms")
    wrong = client.request("POST", client.uri(f"Verify/Session/{uuid}/"), json_body={"otp": "000000"})
    assert (wrong.status, wrong.json["error"]) == (400, "Incorrect OTP.")
    right = client.request("POST", client.uri(f"Verify/Session/{uuid}/"), json_body={"otp": "123456"})
    assert right.status == 200 and right.json["message"] == "session validated successfully."
    session = client.request("GET", client.uri(f"Verify/Session/{uuid}/")).json
    assert session["status"] == "verified" and session["charges"]["validation_charge"] == "0.05000"


def test_a_session_expires_after_ten_minutes_and_is_private(client, client_b, app):
    uuid = client.request("POST", client.uri("Verify/Session/"),
                          json_body={"recipient": "14155550123", "channel": "voice", "code_length": 4}).json[
        "session_uuid"]
    assert client_b.request("GET", client_b.uri(f"Verify/Session/{uuid}/")).status == 404
    assert client_b.request("POST", client_b.uri(f"Verify/Session/{uuid}/"), json_body={"otp": "1234"}).status == 404
    app.clock.advance(600)
    assert client.request("GET", client.uri(f"Verify/Session/{uuid}/")).json["status"] == "expired"
    late = client.request("POST", client.uri(f"Verify/Session/{uuid}/"), json_body={"otp": "1234"})
    assert (late.status, late.json["error"]) == (400, "session expired")


@pytest.mark.parametrize(("body", "name"), [
    ({}, "recipient"), ({"recipient": "12"}, "'12'"), ({"recipient": "14155550123", "channel": "fax"}, "channel"),
    ({"recipient": "14155550123", "code_length": 9}, "code_length"), ({"recipient": "14155550123", "x": 1}, "x"),
])
def test_bad_verification_starts_are_400_naming_the_parameter(client, body, name):
    r = client.request("POST", client.uri("Verify/Session/"), json_body=body)
    assert r.status == 400 and name in r.json["error"]


def test_the_node_sdks_account_path_with_a_double_slash(client):
    for tail in ("", "/"):
        r = client.request("GET", client.uri(tail))
        assert r.status == 200 and r.json["auth_id"] == ACCOUNT_A[0]


def test_verify_needs_the_callers_own_account(app):
    b_on_a = WsgiClient(app, ACCOUNT_B)
    assert b_on_a.request("POST", b_on_a.uri("Verify/Session/", ACCOUNT_A), json_body={"recipient": "14155550123"}
                          ).status == 401


def test_a_live_call_is_found_with_status_live_until_it_ends(client, app):
    uuid = client.call().json["request_uuid"]
    ringing = client.request("GET", client.uri(f"Call/{uuid}/"), query={"status": "live"})
    assert (ringing.status, ringing.json["call_status"], ringing.json["from"]) == (200, "ringing", "+14155550100")
    app.clock.advance(10)
    assert client.request("GET", client.uri(f"Call/{uuid}/"), query={"status": "live"}).json["call_status"] == \
        "in-progress"
    client.request("DELETE", client.uri(f"Call/{uuid}/"))
    assert client.request("GET", client.uri(f"Call/{uuid}/"), query={"status": "live"}).status == 404
    assert client.request("GET", client.uri(f"Call/{uuid}/")).status == 200  # the call record stays
