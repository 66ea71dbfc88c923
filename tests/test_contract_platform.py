"""The platform shim's direct call of the embedded mock (DirectWsgi) gives the app what werkzeug's test client gives."""

from __future__ import annotations

import pytest

from scripts.contract.platform import DirectWsgi
from scripts.runtime.request import HttpRequest
from scripts.runtime.transport import WsgiTransport

STANDARD = ("REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_NAME", "SERVER_PORT",
            "CONTENT_TYPE", "CONTENT_LENGTH", "wsgi.url_scheme")


def recorder(seen: list):
    def app(environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        seen.append({**{k: v for k, v in environ.items() if k in STANDARD or k.startswith("HTTP_")},
                     "body": environ["wsgi.input"].read(length) if length else b""})
        start_response("201 Created", [("Content-Type", "application/json"), ("X-Twice", "a"), ("X-Twice", "b")])
        return [b'{"ok": ', b"true}"]
    return app


REQUESTS = [
    HttpRequest("GET", "https://api.plivo.com/v1/Account/MA1", "/Message/", [("limit", "5"), ("q", "a b&c")],
                {"Authorization": "Basic eHg6eXk=", "Accept": "application/json"}),
    HttpRequest("POST", "https://api.plivo.com/v1/Account/MA1", "/Message/", [],
                {"Content-Type": "application/json", "X-Custom-Header": "v"}, {"text": "héllo ☃", "n": 1}),
    HttpRequest("DELETE", "http://127.0.0.1:8765/v1/Account/MA1", "/Call/%C3%A9%2Fx%20y/", [], {}),
    HttpRequest("GET", "https://lookup.plivo.com/v1", "/Number/+14155550100", [("type", "carrier")], {}),
]


@pytest.mark.parametrize("request_", REQUESTS, ids=lambda r: f"{r.method} {r.path}")
def test_direct_call_matches_werkzeugs_test_client(request_):
    direct, werkzeug = [], []
    ours = DirectWsgi(recorder(direct)).send(request_)
    theirs = WsgiTransport(recorder(werkzeug)).send(request_)
    assert direct == werkzeug
    assert (ours.status, ours.content) == (theirs.status, theirs.content) == (201, b'{"ok": true}')
    assert ours.headers == {k: v for k, v in theirs.headers.items() if k != "Content-Length"}
