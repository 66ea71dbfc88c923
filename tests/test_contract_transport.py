"""The contract run's direct send to the platform shim (scripts/contract/transport.py) gives the app the
environ, and schemathesis the Response, that schemathesis' own werkzeug path gives."""

from __future__ import annotations

import pytest
import requests

from scripts.contract.compat import patch_wsgi_transport
from scripts.contract.platform import PlatformShim
from scripts.contract.transport import build_environ

BASE_URL = "https://api.plivo.com/v1/Account/MA1"
SWAGGER = {
    "swagger": "2.0", "info": {"title": "t", "version": "1"},
    "host": "api.plivo.com", "basePath": "/v1/Account/MA1", "schemes": ["https"],
    "consumes": ["application/json"], "produces": ["application/json"],
    "paths": {
        "/Message/": {
            "get": {"operationId": "ListMessages", "responses": {"200": {"description": "ok"}}, "parameters": [
                {"name": "limit", "in": "query", "type": "integer"},
                {"name": "q", "in": "query", "type": "string"},
                {"name": "tag", "in": "query", "type": "array", "items": {"type": "string"},
                 "collectionFormat": "multi"},
                {"name": "X-Trace", "in": "header", "type": "string"}]},
            "post": {"operationId": "SendMessage", "responses": {"202": {"description": "queued"}}, "parameters": [
                {"name": "body", "in": "body", "required": True, "schema": {"type": "object"}}]}},
        "/Call/{call_uuid}/": {
            "delete": {"operationId": "HangUpCall", "responses": {"204": {"description": "gone"}}, "parameters": [
                {"name": "call_uuid", "in": "path", "required": True, "type": "string"}]}},
    },
}


class RecordingShim(PlatformShim):
    """A platform shim (the transport's fast path is for the shim only) that records each environ and
    answers with a fixed response."""

    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:  # no connector needed
        self.answer = (status, headers, body)
        self.seen: list[dict] = []

    def __call__(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        kept = {k: v for k, v in environ.items() if k not in ("wsgi.input", "wsgi.errors", "werkzeug.request")}
        self.seen.append({**kept, "body": environ["wsgi.input"].read(length) if length else b""})
        status, headers, body = self.answer
        start_response(status, headers)
        return [body[:3], body[3:]]


def schema():
    import schemathesis
    from schemathesis.config import SchemathesisConfig

    config = SchemathesisConfig.from_dict({"base-url": BASE_URL})
    return schemathesis.openapi.from_dict(SWAGGER, config=config)


def session() -> requests.Session:
    made = requests.Session()
    made.auth = ("MA1", "tok")
    made.headers["User-Agent"] = "schemathesis/test"
    return made


CASES = {
    "GET with query and a header": (("/Message/", "GET"), {"query": {"limit": 5, "q": "a b&c=d", "tag": ["x", "y"]},
                                                          "headers": {"X-Trace": "t-1"}},
                                    ("200 OK", [("Content-Type", "application/json")], b'{"objects": []}')),
    "POST JSON, non-ASCII": (("/Message/", "POST"), {"body": {"text": "héllo ☃ \u00e9", "n": [1, None]}},
                             ("202 Accepted", [("Content-Type", "application/json; charset=utf-8")],
                              '{"message": "é"}'.encode())),
    "204 without a body": (("/Call/{call_uuid}/", "DELETE"), {"path_parameters": {"call_uuid": "é/x y%"}},
                           ("204 No Content", [], b"")),
    "repeated response headers": (("/Message/", "GET"), {"query": {"q": "☃"}},
                                  ("200 OK", [("Content-Type", "application/json"), ("Vary", "Accept"),
                                              ("Vary", "Origin"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")],
                                   b"{}")),
    "200 without a Content-Type": (("/Message/", "GET"), {}, ("200 OK", [("X-Only", "1")], b"plain")),
    "an error answer": (("/Message/", "POST"), {"body": {}},
                        ("405 Method Not Allowed", [("Allow", "GET"), ("Content-Type", "application/json")], b"{}")),
}


def compare(path_method, values, answer, *, with_session: bool, extra: dict):
    from schemathesis.transport.wsgi import WSGI_TRANSPORT, WSGITransport

    patch_wsgi_transport()
    original = WSGITransport.send._original
    operation = schema()[path_method[0]][path_method[1]]
    ours_app, theirs_app = RecordingShim(*answer), RecordingShim(*answer)
    case = operation.Case(**values)
    ours = WSGI_TRANSPORT.send(case, session=session() if with_session else None, app=ours_app, **extra)
    # what patch_wsgi_transport hands schemathesis' own send: no socket-only settings, the base URL
    plain = {k: v for k, v in extra.items() if k not in ("max_redirects", "verify", "cert", "proxies")}
    theirs = original(WSGI_TRANSPORT, case, session=session() if with_session else None, app=theirs_app,
                      base_url=BASE_URL, **plain)
    return ours_app.seen, theirs_app.seen, ours, theirs


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("with_session", [True, False], ids=["session with basic auth", "probe without auth"])
def test_direct_send_matches_schemathesis_werkzeug_path(name, with_session):
    path_method, values, answer = CASES[name]
    extra = {"headers": {"X-Extra": "1"}, "timeout": 10}
    if not with_session:  # the ignored_auth probe: no session, socket settings that werkzeug would refuse
        extra |= {"max_redirects": 5, "verify": True, "cert": None, "proxies": None}
    seen_ours, seen_theirs, ours, theirs = compare(path_method, values, answer, with_session=with_session,
                                                   extra=extra)
    # X-Schemathesis-TestCaseId is the case's id: the same case, the same id
    assert len(seen_ours) == len(seen_theirs) == 1
    assert seen_ours == seen_theirs
    assert ("HTTP_AUTHORIZATION" in seen_ours[0]) is with_session
    for field in ("status_code", "headers", "content", "content_size", "message", "http_version", "encoding",
                  "verify", "stream_cut_short", "_override"):
        assert getattr(ours, field) == getattr(theirs, field), field
    assert isinstance(ours.elapsed, float) and ours.elapsed >= 0
    assert type(ours.request) is type(theirs.request)
    for field in ("method", "url", "headers", "body", "_cookies", "_body_position"):
        assert getattr(ours.request, field) == getattr(theirs.request, field), field
    assert ours.request.headers == theirs.request.headers


def test_the_checks_see_what_the_app_answered():
    """Not two equal wrong answers: the fields carry the app's status, repeated headers and body."""
    _, _, ours, _ = compare(*CASES["repeated response headers"], with_session=True, extra={})
    assert ours.status_code == 200
    assert ours.headers["vary"] == ["Accept", "Origin"]
    assert ours.headers["set-cookie"] == ["a=1", "b=2"]
    assert ours.content == b"{}"
    _, _, no_content, _ = compare(*CASES["204 without a body"], with_session=True, extra={})
    # no Content-Type is made up (the 204 exemption in compat.patch_no_content_check relies on it)
    assert (no_content.status_code, no_content.content, no_content.headers) == (204, b"", {})


def test_unusual_requests_are_left_to_werkzeug():
    """What the direct environ does not reproduce goes through schemathesis' own send."""
    assert build_environ({"method": "POST", "path": "/", "headers": {}, "data": {"form": "field"}}) is None
    assert build_environ({"method": "GET", "path": "/", "headers": {"X-A": "line\nbreak"}}) is None
    assert build_environ({"method": "GET", "path": "/", "headers": {}, "files": []}) is None
    assert build_environ({"method": "GET", "path": "/", "headers": {"Content-Type": "multipart/form-data"}}) is None


@pytest.mark.parametrize("data", [
    {"method": "GET", "path": "/v1/a%20b/é", "query_string": {"a": ["1", "2"], "b": "x y", "c": None},
     "headers": {"X-A": "1", "x-a": "2", "Cookie": "dropped"}, "base_url": "http://localhost:8080"},
    {"method": "POST", "path": "/p?x=1", "headers": {"Content-Type": "text/plain"}, "data": "é"},
    {"method": "POST", "path": "/p", "headers": {"Content-Length": "12"}, "base_url": "https://h/root/"},
    {"method": "POST", "path": "/p", "headers": {"Content-Type": "application/x-www-form-urlencoded"}, "data": b""},
    {"method": "PUT", "path": "/p", "headers": {}, "json": ["é", 1]},
    {"method": "GET", "path": "/p", "headers": {}, "query_string": "raw=%20&x"},
], ids=["query, repeated names, cookie", "text body, query in path", "declared length, no body",
        "empty form", "json list", "raw query string"])
def test_environ_is_werkzeugs(data):
    from werkzeug.test import Client

    seen = []

    def app(environ, start_response):
        seen.append({k: v for k, v in environ.items() if k not in ("wsgi.input", "wsgi.errors", "werkzeug.request")})
        start_response("200 OK", [])
        return [b""]

    Client(app).open(**data)
    ours = build_environ(data)
    assert ours is not None
    assert {k: v for k, v in ours.items() if k not in ("wsgi.input", "wsgi.errors")} == seen[0]


def test_a_session_cookie_goes_through_werkzeug():
    """Cookies are left to schemathesis' own send (werkzeug's cookie jar, which keeps them for
    localhost only): both paths give the app and the report the same."""
    from schemathesis.transport.wsgi import WSGI_TRANSPORT, WSGITransport

    patch_wsgi_transport()
    operation = schema()["/Message/"]["GET"]
    apps = RecordingShim("200 OK", [("Content-Type", "application/json")], b"{}"), \
        RecordingShim("200 OK", [("Content-Type", "application/json")], b"{}")
    sessions = session(), session()
    for made in sessions:
        made.cookies.set("sid", "abc", domain="api.plivo.com")
    case = operation.Case(query={"limit": 1})
    ours = WSGI_TRANSPORT.send(case, session=sessions[0], app=apps[0])
    theirs = WSGITransport.send._original(WSGI_TRANSPORT, case, session=sessions[1], app=apps[1], base_url=BASE_URL)
    assert apps[0].seen == apps[1].seen
    assert ours.request.headers["Cookie"] == "sid=abc"
    assert (ours.status_code, ours.headers, ours.content, ours.request.headers) == \
        (theirs.status_code, theirs.headers, theirs.content, theirs.request.headers)
