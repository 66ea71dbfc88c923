"""Incoming messages reach the message_url of the receiving number's application, as Plivo sends them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from mock_helpers import ACCOUNT_A, ACCOUNT_B


class Receiver:
    """A loopback HTTP server that records what Plivo (the mock) sends it."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                outer.received.append({"method": self.command, "path": self.path, "body": body,
                                       "headers": dict(self.headers)})
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = _record

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/flow?sig=abc"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def setup_number(client, url: str, method: str = "POST", account=ACCOUNT_A, number="14155550100") -> str:
    app_id = client.request("POST", client.uri("Application/", account),
                            json_body={"app_name": "Flow", "message_url": url, "message_method": method},
                            auth=account).json["app_id"]
    r = client.control("POST", "/_mock/numbers", {"auth_id": account[0], "number": number, "app_id": app_id})
    assert r.status == 201
    return app_id


def inbound(client, text: str, account=ACCOUNT_A, to="14155550100"):
    return client.control("POST", "/_mock/inbound", {"auth_id": account[0], "from": "14155550199", "to": to,
                                                      "text": text})


def test_post_delivers_form_fields_with_a_v2_signature(client, receiver):
    setup_number(client, receiver.url)
    r = inbound(client, "Hello & welcome")
    assert r.json["delivery"] == {"url": receiver.url, "method": "POST", "status": 200, "error": None}
    [got] = receiver.received
    assert got["method"] == "POST" and got["path"] == "/flow?sig=abc"
    assert got["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    fields = {k: v[0] for k, v in parse_qs(got["body"], keep_blank_values=True).items()}
    assert fields["Text"] == "Hello & welcome" and fields["From"] == "14155550199"
    assert fields["To"] == "14155550100" and fields["Type"] == "sms"
    assert fields["MessageUUID"] == r.json["message_uuid"] and fields["Units"] == "1"
    nonce = got["headers"]["X-Plivo-Signature-V2-Nonce"]
    expected = base64.b64encode(hmac.new(ACCOUNT_A[1].encode(), (receiver.url.split("?")[0] + nonce).encode(),
                                         hashlib.sha256).digest()).decode()
    assert got["headers"]["X-Plivo-Signature-V2"] == expected


def test_get_puts_the_fields_in_the_query(client, receiver):
    setup_number(client, receiver.url, method="GET")
    inbound(client, "hi")
    [got] = receiver.received
    query = parse_qs(urlsplit(got["path"]).query)
    assert got["method"] == "GET" and query["Text"] == ["hi"] and query["sig"] == ["abc"]


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_the_official_sdk_accepts_the_signatures(client, receiver, method):
    from plivo.utils import validate_signature
    from plivo.utils.signature_v3 import validate_v3_signature

    setup_number(client, receiver.url, method=method)
    inbound(client, "signed: a=b&c")
    [got] = receiver.received
    headers = got["headers"]
    if method == "POST":
        params = {k: v[0] for k, v in parse_qs(got["body"], keep_blank_values=True).items()}
    else:
        params = {k: v[0] for k, v in parse_qs(urlsplit(got["path"]).query, keep_blank_values=True).items()
                  if k != "sig"}
    assert validate_v3_signature(method, receiver.url, headers["X-Plivo-Signature-V3-Nonce"], ACCOUNT_A[1],
                                 headers["X-Plivo-Signature-V3"], params)
    assert not validate_v3_signature(method, receiver.url, headers["X-Plivo-Signature-V3-Nonce"], "wrong-token",
                                     headers["X-Plivo-Signature-V3"], params)
    assert validate_signature(receiver.url, headers["X-Plivo-Signature-V2-Nonce"],
                              headers["X-Plivo-Signature-V2"], ACCOUNT_A[1])


def test_nothing_is_delivered_without_an_application_url(client, receiver):
    app_id = setup_number(client, receiver.url)
    client.request("POST", client.uri(f"Application/{app_id}/"), json_body={"message_url": ""})
    assert "delivery" not in inbound(client, "dropped").json
    assert "delivery" not in inbound(client, "unrented", to="14155550111").json
    assert receiver.received == []


def test_outbound_and_other_accounts_messages_are_not_delivered(client, client_b, receiver):
    setup_number(client, receiver.url)
    client.send(src="14155550100", dst="14155550199", text="outbound")
    # Account B claims a message to A's number: it is B's record, never A's delivery.
    assert "delivery" not in inbound(client_b, "not yours", account=ACCOUNT_B).json
    assert receiver.received == []


def test_the_mock_reaches_loopback_only(client):
    setup_number(client, "https://example.com/flow")
    r = inbound(client, "stays here")
    assert r.json["delivery"]["status"] is None and "loopback" in r.json["delivery"]["error"]
    assert client.control("GET", "/_mock/deliveries").json["deliveries"][0]["url"] == "https://example.com/flow"


def test_inbound_mms_needs_no_text_and_checks_its_media(client, receiver):
    setup_number(client, receiver.url)
    body = {"auth_id": ACCOUNT_A[0], "from": "14155550199", "to": "14155550100",
            "media_urls": ["https://media.example.com/a.jpg"]}
    r = client.control("POST", "/_mock/inbound", body)
    assert r.status == 201
    record = client.request("GET", client.uri(f"Message/{r.json['message_uuid']}/")).json
    assert (record["message_type"], record["message_direction"]) == ("mms", "inbound")
    fields = {k: v[0] for k, v in parse_qs(receiver.received[0]["body"], keep_blank_values=True).items()}
    assert (fields["Type"], fields["MediaCount"], fields["Media1"], fields["Text"]) == (
        "mms", "1", "https://media.example.com/a.jpg", "")
    bad = client.control("POST", "/_mock/inbound", {**body, "media_urls": ["ftp://x"]})
    assert bad.status == 400 and "media_urls" in bad.json["error"]
    no_text = client.control("POST", "/_mock/inbound", {k: v for k, v in body.items() if k != "media_urls"})
    assert no_text.status == 400 and "text" in no_text.json["error"]
