"""HTTP Basic authentication and the isolation of accounts from each other."""

from __future__ import annotations

import pytest
from mock_helpers import ACCOUNT_A, ACCOUNT_B, WsgiClient

from scripts.mock import create_app


def test_missing_credentials_give_the_real_401_body(client):
    r = client.request("GET", client.uri("Message/"), auth=False)
    assert r.status == 401
    assert r.body == b'{"error": "authentication credentials were not provided"}'
    assert r.headers["WWW-Authenticate"] == 'Basic realm="Plivo API"'


@pytest.mark.parametrize("header", ["Bearer abc", "Basic", "Digest username=x", ""])
def test_non_basic_authorization_counts_as_missing(client, header):
    r = client.request("GET", client.uri("Message/"), auth=False, headers={"Authorization": header})
    assert r.status == 401
    assert r.json == {"error": "authentication credentials were not provided"}


@pytest.mark.parametrize("auth", [(ACCOUNT_A[0], "wrong"), ("MAZZZZZZZZZZZZZZZZZZ", "token-a"), (ACCOUNT_A[0], "")])
def test_wrong_credentials_are_401(client, auth):
    r = client.request("GET", client.uri("Message/"), auth=auth)
    assert r.status == 401
    assert r.json == {"error": "incorrect authentication credentials"}
    assert "WWW-Authenticate" in r.headers


@pytest.mark.parametrize("header", ["Basic !!!notbase64", "Basic bm9jb2xvbg==", "Basic //79"])
def test_malformed_basic_credentials_are_401(client, header):
    # "bm9jb2xvbg==" is "nocolon"; "//79" is not UTF-8.
    r = client.request("GET", client.uri("Message/"), auth=False, headers={"Authorization": header})
    assert r.status == 401
    assert r.json == {"error": "incorrect authentication credentials"}


def test_credentials_of_a_on_b_path_are_401(client):
    r = client.request("GET", client.uri("Message/", account=ACCOUNT_B), auth=ACCOUNT_A)
    assert r.status == 401
    r = client.request("POST", client.uri("Message/", account=ACCOUNT_B), auth=ACCOUNT_A,
                       json_body={"src": "14155550100", "dst": "14155550123", "text": "x"})
    assert r.status == 401


def test_b_cannot_read_list_or_count_a_messages(client, client_b):
    uuid = client.send().json["message_uuid"][0]
    client.request("POST", "/_mock/inbound", auth=False, json_body={
        "auth_id": ACCOUNT_A[0], "from": "14155550001", "to": "14155550100", "text": "in"})
    assert client_b.request("GET", client_b.uri(f"Message/{uuid}/")).status == 404
    listing = client_b.list_messages().json
    assert listing["meta"]["total_count"] == 0
    assert listing["objects"] == []
    assert client.list_messages().json["meta"]["total_count"] == 2


def test_b_cannot_read_list_or_hang_up_a_calls(client, client_b):
    uuid = client.call().json["request_uuid"]
    assert client_b.request("GET", client_b.uri(f"Call/{uuid}/")).status == 404
    assert client_b.request("DELETE", client_b.uri(f"Call/{uuid}/")).status == 404
    assert client_b.request("GET", client_b.uri("Call/")).json["meta"]["total_count"] == 0
    assert client_b.request("GET", client_b.uri("Call/"), query={"status": "live"}).json["calls"] == []
    assert client.request("GET", client.uri(f"Call/{uuid}/")).json["end_time"] is None


def test_401_does_not_consume_the_connection_quota():
    app = create_app({ACCOUNT_A[0]: ACCOUNT_A[1]}, throttle=(3, 60.0))
    client = WsgiClient(app)
    for _ in range(10):
        assert client.request("GET", client.uri("Message/"), auth=(ACCOUNT_A[0], "bad")).status == 401
    assert [client.list_messages().status for _ in range(4)] == [200, 200, 200, 429]
    app.close()


def test_unknown_path_is_404_before_authentication(client):
    # Like Django REST framework: URL resolution first, then the view authenticates.
    assert client.request("GET", "/v1/Nothing/", auth=False).status == 404


def test_request_log_never_holds_credentials(client, app):
    client.send()
    client.request("GET", client.uri("Message/"), auth=(ACCOUNT_A[0], "wrong-secret"))
    text = repr(app.request_log) + client.control("GET", "/_mock/requests").body.decode()
    assert ACCOUNT_A[1] not in text
    assert "wrong-secret" not in text
    assert "Authorization" not in text and "HTTP_AUTHORIZATION" not in text
    assert [e["status"] for e in app.request_log] == [202, 401]
