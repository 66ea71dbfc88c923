"""The HTTP/1.1 server on a real socket: keep-alive, body framing, limits."""

from __future__ import annotations

import http.client
import socket
from urllib.parse import urlsplit

from mock_helpers import ACCOUNT_A, basic

AUTH = {"Authorization": basic(*ACCOUNT_A)}
PATH = f"/v1/Account/{ACCOUNT_A[0]}/Message/"
BODY = b'{"src": "14155550100", "dst": "14155550123", "text": "hi"}'


def connect(live_url: str) -> http.client.HTTPConnection:
    parts = urlsplit(live_url)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)


def test_keep_alive_serves_many_requests_on_one_connection(live_url):
    conn = connect(live_url)
    conn.request("POST", PATH, body=BODY, headers=AUTH | {"Content-Type": "application/json"})
    first = conn.getresponse()
    assert first.status == 202 and first.version == 11
    first.read()
    sock = conn.sock
    for _ in range(5):
        conn.request("GET", PATH, headers=AUTH)
        r = conn.getresponse()
        assert r.status == 200 and r.getheader("Connection") is None
        r.read()
    assert conn.sock is sock  # no reconnect happened
    conn.close()


def test_unread_body_is_skipped_and_connection_stays_usable(live_url):
    conn = connect(live_url)
    # 401 is answered before the body is read; the server must skip it, not parse it as a request.
    conn.request("POST", PATH, body=BODY, headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    assert r.status == 401
    assert r.read() == b'{"error": "authentication credentials were not provided"}'
    conn.request("GET", PATH, headers=AUTH)
    assert conn.getresponse().status == 200
    conn.close()


def test_oversized_body_gets_413_and_the_connection_is_closed(live_url):
    parts = urlsplit(live_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall((f"POST {PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      f"Authorization: {AUTH['Authorization']}\r\nContent-Length: {5 * 1024 * 1024}\r\n\r\n"
                      ).encode())
        # No body is sent: the answer must come from the headers alone.
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 ")
    assert b"Connection: close" in head
    assert b"too large" in body


def test_chunked_request_body_is_411(live_url):
    parts = urlsplit(live_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall((f"POST {PATH} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "3\r\nabc\r\n0\r\n\r\n").encode())
        data = sock.recv(65536)
    assert data.startswith(b"HTTP/1.1 411 ")


def test_head_gets_405_headers_without_a_body(live_url):
    conn = connect(live_url)
    conn.request("HEAD", PATH, headers=AUTH)
    r = conn.getresponse()
    assert r.status == 405 and r.getheader("Allow") == "GET, POST"
    assert r.read() == b""
    conn.request("GET", PATH, headers=AUTH)
    assert conn.getresponse().status == 200
    conn.close()


def test_percent_encoded_path_is_decoded(live_url):
    conn = connect(live_url)
    conn.request("GET", PATH.replace("Message", "%4Dessage") + "?limit=1", headers=AUTH)
    assert conn.getresponse().status == 200
    conn.close()


def test_unknown_http_method_reaches_the_app(live_url):
    conn = connect(live_url)
    conn.request("BREW", PATH, headers=AUTH)
    r = conn.getresponse()
    assert r.status == 405
    r.read()
    conn.close()


def test_expect_100_continue_is_not_sent_for_an_oversized_body(live_url):
    parts = urlsplit(live_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall((f"POST {PATH} HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                      f"Content-Type: application/json\r\nContent-Length: {2 * 1024 * 1024}\r\n\r\n").encode())
        data = sock.recv(65536)
    assert data.startswith(b"HTTP/1.1 413 ")


def test_expect_100_continue_works_for_a_normal_body(live_url):
    parts = urlsplit(live_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall((f"POST {PATH} HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                      f"Authorization: {AUTH['Authorization']}\r\n"
                      f"Content-Type: application/json\r\nContent-Length: {len(BODY)}\r\n\r\n").encode())
        assert sock.recv(65536).startswith(b"HTTP/1.1 100 Continue")
        sock.sendall(BODY)
        assert sock.recv(65536).startswith(b"HTTP/1.1 202 ")
