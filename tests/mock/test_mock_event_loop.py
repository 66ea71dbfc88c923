"""The one-thread HTTP server (scripts/mock/server.py): what its own request parsing and its event
loop must get right besides what test_mock_server.py checks: framing, connection handling, requests
that may block, partial writes, and the cached JSON of message records."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import uuid
from urllib.parse import urlsplit

import pytest
from mock_helpers import ACCOUNT_A, ACCOUNTS, WsgiClient, basic, serve

from scripts.mock import create_app, messages
from scripts.mock.formats import seed_ids, uuid4_text
from scripts.mock.paging import envelope, envelope_json

AUTH = basic(*ACCOUNT_A)
PATH = f"/v1/Account/{ACCOUNT_A[0]}/Message/"
BODY = b'{"src": "14155550100", "dst": "14155550123", "text": "hi"}'


def address(live_url: str) -> tuple[str, int]:
    parts = urlsplit(live_url)
    return parts.hostname, parts.port


def read_until_closed(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def responses(data: bytes) -> list[tuple[int, dict[str, str], bytes]]:
    """Split a stream of HTTP/1.1 responses (each with Content-Length) into (status, headers, body)."""
    found = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.split(": ", 1) for line in lines[1:])
        length = int(headers.get("Content-Length", "0"))
        found.append((int(lines[0].split()[1]), headers, rest[:length]))
        data = rest[length:]
    return found


def test_pipelined_requests_are_answered_in_order(live_url):
    get = f"GET {PATH}?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH}\r\n\r\n".encode()
    post = (f"POST {PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(BODY)}\r\n\r\n").encode() + BODY
    last = f"GET {PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH}\r\nConnection: close\r\n\r\n".encode()
    with socket.create_connection(address(live_url), timeout=5) as sock:
        sock.sendall(get + post + get + last)  # one write: the server finds four requests in its buffer
        answers = responses(read_until_closed(sock))
    assert [status for status, _, _ in answers] == [200, 202, 200, 200]
    assert json.loads(answers[0][2])["meta"]["total_count"] == 0
    assert json.loads(answers[2][2])["meta"]["total_count"] == 1
    assert answers[3][1]["Connection"] == "close"


def test_a_request_sent_byte_by_byte_is_served(live_url):
    request = (f"POST {PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH}\r\nContent-Type: application/json\r\n"
               f"Content-Length: {len(BODY)}\r\nConnection: close\r\n\r\n").encode() + BODY
    with socket.create_connection(address(live_url), timeout=5) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for i in range(len(request)):
            sock.send(request[i:i + 1])
            if i % 50 == 0:
                time.sleep(0.001)
        [(status, _, body)] = responses(read_until_closed(sock))
    assert status == 202 and json.loads(body)["message"] == "message(s) queued"


def test_empty_lines_before_a_request_are_skipped(live_url):
    with socket.create_connection(address(live_url), timeout=5) as sock:
        sock.sendall(b"\r\n\n\r\n" + f"GET {PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH}\r\n"
                                       "Connection: close\r\n\r\n".encode())
        [(status, _, _)] = responses(read_until_closed(sock))
    assert status == 200


def test_a_half_sent_request_does_not_hold_up_other_clients(live_url):
    with socket.create_connection(address(live_url), timeout=5) as stalled:
        stalled.sendall(f"POST {PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc".encode())
        conn = http.client.HTTPConnection(*address(live_url), timeout=5)
        started = time.monotonic()
        conn.request("GET", PATH, headers={"Authorization": AUTH})
        assert conn.getresponse().status == 200
        assert time.monotonic() - started < 2
        conn.close()
        stalled.sendall(b"defghij")  # the rest of the body: now it is answered (401: no credentials)
        assert stalled.recv(65536).startswith(b"HTTP/1.1 401 ")


def test_a_client_that_stops_sending_after_its_request_still_gets_the_answer(live_url):
    with socket.create_connection(address(live_url), timeout=5) as sock:
        sock.sendall(f"GET {PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH}\r\n\r\n".encode())
        sock.shutdown(socket.SHUT_WR)
        [(status, _, _)] = responses(read_until_closed(sock))
    assert status == 200


@pytest.mark.parametrize(("keep_alive", "stays_open"), [("", False), ("Connection: keep-alive\r\n", True)])
def test_http_1_0_closes_unless_asked_to_keep_alive(live_url, keep_alive, stays_open):
    with socket.create_connection(address(live_url), timeout=5) as sock:
        sock.sendall(f"GET {PATH} HTTP/1.0\r\nAuthorization: {AUTH}\r\n{keep_alive}\r\n".encode())
        time.sleep(0.2)
        sock.settimeout(0.5)
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
            closed = True
        except TimeoutError:
            closed = False
    assert data.startswith(b"HTTP/1.1 200 ")
    assert closed is not stays_open


@pytest.mark.parametrize(("request_head", "status"), [
    (b"GARBAGE\r\n\r\n", 400),
    (b"GET /v1/ HTTP/2.0\r\n\r\n", 505),
    (b"GET /v1/ HTTQ/1.1\r\n\r\n", 400),
    (b"GET /v1/ HTTP/1.1\r\nno colon here\r\n\r\n", 400),
    (b"GET /v1/ HTTP/1.1\r\n folded: header\r\n\r\n", 400),
    (b"POST /v1/ HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc", 400),
    (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
    (b"GET /v1/ HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(101)) + b"\r\n", 431),
    (b"POST /v1/ HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 411),
    (b"\r\n" * 200_000 + b"GET /v1/ HTTP/1.1\r\n\r\n", 400),  # empty lines without end are no request
])
def test_malformed_requests_get_a_clear_error_and_a_closed_connection(live_url, request_head, status):
    with socket.create_connection(address(live_url), timeout=5) as sock:
        sock.sendall(request_head)
        data = read_until_closed(sock)
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 %d " % status), data[:200]
    assert b"Connection: close" in head
    assert json.loads(body)["error"]


def test_identical_duplicate_content_length_is_accepted(live_url):
    request = (f"POST {PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH}\r\nContent-Type: application/json\r\n"
               f"Content-Length: {len(BODY)}\r\nContent-Length: {len(BODY)}\r\nConnection: close\r\n\r\n"
               ).encode() + BODY
    with socket.create_connection(address(live_url), timeout=5) as sock:
        sock.sendall(request)
        [(status, _, _)] = responses(read_until_closed(sock))
    assert status == 202


def test_a_response_bigger_than_the_socket_buffers_arrives_whole_at_a_slow_reader(app, live_url):
    client = WsgiClient(app)
    for n in range(1000):  # ~4 KiB logged per send: the request log is about 4 MiB as JSON
        client.send(text=f"{n:04d}" + "x" * 4000)
    with socket.create_connection(address(live_url), timeout=10) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        sock.sendall(b"GET /_mock/requests HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        time.sleep(0.3)  # the server has filled what the socket takes and waits to write the rest
        [(status, headers, body)] = responses(read_until_closed(sock))
    assert status == 200 and len(body) == int(headers["Content-Length"]) > 3 * 1024 * 1024
    assert len(json.loads(body)["requests"]) == 1000


def test_a_control_request_that_waits_does_not_stall_the_api(app, live_url):
    """An inbound delivery may wait up to its timeout on a slow message URL: it runs on a thread of
    its own, and other connections are served meanwhile."""
    client = WsgiClient(app)
    app_id = client.request("POST", client.uri("Application/"),
                            json_body={"app_name": "Slow", "message_url": "http://127.0.0.1:9/slow"}).json["app_id"]
    assert client.control("POST", "/_mock/numbers", {"auth_id": ACCOUNT_A[0], "number": "14155550100",
                                                     "app_id": app_id}).status == 201
    release = threading.Event()

    def slow_delivery(method, url, fields, headers):
        release.wait(10)
        return 200, None

    app.deliver = slow_delivery
    result: dict[str, object] = {}

    def post_inbound() -> None:
        conn = http.client.HTTPConnection(*address(live_url), timeout=15)
        conn.request("POST", "/_mock/inbound", body=json.dumps(
            {"auth_id": ACCOUNT_A[0], "from": "14155550199", "to": "14155550100", "text": "hi"}))
        response = conn.getresponse()
        result["status"], result["body"] = response.status, json.loads(response.read())
        conn.close()

    waiting = threading.Thread(target=post_inbound)
    waiting.start()
    try:
        time.sleep(0.2)
        conn = http.client.HTTPConnection(*address(live_url), timeout=5)
        for _ in range(3):
            started = time.monotonic()
            conn.request("GET", PATH, headers={"Authorization": AUTH})
            response = conn.getresponse()
            response.read()
            assert response.status == 200 and time.monotonic() - started < 2
        conn.close()
        assert waiting.is_alive(), "the delivery is still waiting"
    finally:
        release.set()
        waiting.join(15)
    assert result["status"] == 201 and result["body"]["delivery"]["status"] == 200


def test_a_delivery_to_the_mock_itself_is_answered(app, live_url):
    """The control API's thread lets the server answer a delivery addressed to itself."""
    client = WsgiClient(app)
    url = live_url + "/_mock/clock"
    app_id = client.request("POST", client.uri("Application/"),
                            json_body={"app_name": "Self", "message_url": url, "message_method": "GET"}
                            ).json["app_id"]
    client.control("POST", "/_mock/numbers", {"auth_id": ACCOUNT_A[0], "number": "14155550100", "app_id": app_id})
    conn = http.client.HTTPConnection(*address(live_url), timeout=10)
    started = time.monotonic()
    conn.request("POST", "/_mock/inbound", body=json.dumps(
        {"auth_id": ACCOUNT_A[0], "from": "14155550199", "to": "14155550100", "text": "hi"}))
    response = conn.getresponse()
    delivery = json.loads(response.read())["delivery"]
    conn.close()
    assert response.status == 201 and delivery["status"] == 200 and delivery["error"] is None
    assert time.monotonic() - started < 4  # well under the delivery timeout: nothing waited on itself


def test_shutdown_closes_open_keep_alive_connections():
    app = create_app(ACCOUNTS, throttle=None)
    served = serve(app)
    url = next(served)
    conn = http.client.HTTPConnection(*address(url), timeout=5)
    conn.request("GET", PATH, headers={"Authorization": AUTH})
    conn.getresponse().read()
    with pytest.raises(StopIteration):
        next(served)  # shuts the server down
    assert conn.sock.recv(1) == b""  # the idle keep-alive connection was closed, not left hanging
    conn.close()
    app.close()


def test_uuid4_text_is_what_the_uuid_module_writes():
    import random

    bits = random.Random(7)
    for value in [0, 2**128 - 1, *(bits.getrandbits(128) for _ in range(2000))]:
        assert uuid4_text(value) == str(uuid.UUID(int=value, version=4))


@pytest.mark.parametrize("filters", [[], [("message_state", "delivered"), ("to_number", "+1 415")]])
def test_envelope_json_is_the_envelope_encoded(filters, monkeypatch):
    monkeypatch.setattr("scripts.mock.paging.new_uuid", lambda: "fixed-id")
    records = [{"message_uuid": "a", "units": 1}, {"message_uuid": "b", "error_code": None}]
    for offset, total in ((0, 2), (20, 95)):
        encoded = envelope_json("/base/", [json.dumps(r) for r in records], limit=20, offset=offset, total=total,
                                filters=filters)
        assert encoded == json.dumps(envelope("/base/", records, limit=20, offset=offset, total=total,
                                              filters=filters)).encode()


def test_cached_records_never_mix_two_mocks_with_the_same_ids():
    """Two mocks seeded alike hand out the same uuids for different messages: the cache of final
    records is keyed by the whole row, so each lists its own."""
    first = create_app(ACCOUNTS, throttle=None, ids_seed=5)
    uuid_a = WsgiClient(first).send(dst="14155550123").json["message_uuid"]
    second = create_app(ACCOUNTS, throttle=None, ids_seed=5)  # seeds the process's ids again
    try:
        uuid_b = WsgiClient(second).send(dst="14155550124").json["message_uuid"]
        assert uuid_a == uuid_b
        for mock, number in ((first, "14155550123"), (second, "14155550124")):
            mock.clock.advance(10)
            [record] = WsgiClient(mock).list_messages().json["objects"]
            assert record["to_number"] == number and record["message_state"] == "delivered"
    finally:
        first.close()
        second.close()
        seed_ids(None)


def test_a_cached_record_is_only_used_once_final(app):
    client = WsgiClient(app)
    client.send()
    states = [client.list_messages().json["objects"][0]["message_state"]]
    for step in (2, 4):  # queued -> sent -> delivered
        app.clock.advance(step)
        states.append(client.list_messages().json["objects"][0]["message_state"])
    assert states == ["queued", "sent", "delivered"]
    row = app.store.one(f"SELECT {messages.COLUMNS} FROM messages")
    now = app.clock.now()
    assert messages.message_json(row, now, app.timezone) == json.dumps(
        messages.message_record(row, now, app.timezone))


def test_an_app_that_raises_gets_a_500_and_the_server_keeps_serving(capfd):
    from scripts.mock.server import make_server

    def app(environ, start_response):
        if environ["PATH_INFO"] == "/boom":
            raise RuntimeError("a bug")
        start_response("200 OK", [("Content-Length", "2")])
        return [b"ok"]

    server = make_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=5)
        conn.request("GET", "/boom")
        response = conn.getresponse()
        assert response.status == 500 and json.loads(response.read()) == {"error": "internal server error"}
        conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=5)
        conn.request("GET", "/fine")
        assert conn.getresponse().read() == b"ok"
        conn.close()
    finally:
        server.shutdown()
        server.server_close()
    assert "RuntimeError: a bug" in capfd.readouterr().err


def test_the_record_cache_may_leave_the_text_out_of_its_key(app):
    """The cache key leaves out the text column (last in COLUMNS): the record must not show it."""
    assert messages.COLUMNS.rsplit(", ", 1)[1] == "text"
    client = WsgiClient(app)
    for text in ("first text", "second text"):
        client.send(text=text)
    app.clock.advance(10)
    for row in app.store.all(f"SELECT {messages.COLUMNS} FROM messages"):
        text = messages.message_json(row, app.clock.now(), app.timezone)
        assert row["text"] not in text
        assert text == json.dumps(messages.message_record(row, app.clock.now(), app.timezone))
