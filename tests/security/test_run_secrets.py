"""`run`: the token never printed in any encoding, no credentials to another origin, a sane Auth ID."""

from __future__ import annotations

import base64
import http.server
import json
import threading
from urllib.parse import quote, quote_plus

import pytest

from scripts.cli import main
from scripts.runtime.transport import redirect_refusal
from tests.runtime.helpers import AUTH_ID, ROOT, committed, policy, write_root

# Characters that every printed encoding changes: '/', '=', '+', '&', '"', '\\', '%', a space, non-ASCII.
TOKEN = 'Tk/9=+&"x\\y%z é-0123456789abcdef'


def encodings(secret: str) -> dict[str, str]:
    return {"raw": secret, "percent": quote(secret, safe=""), "percent_path": quote(secret),
            "plus": quote_plus(secret), "json": json.dumps(secret)[1:-1],
            "json_ascii": json.dumps(secret, ensure_ascii=True)[1:-1],
            "basic": base64.b64encode(f"{AUTH_ID}:{secret}".encode()).decode()}


def assert_masked(text: str, secret: str = TOKEN) -> None:
    for name, form in encodings(secret).items():
        assert form not in text, f"the token leaks {name}-encoded: {form!r}"


@pytest.fixture(autouse=True)
def no_env_credentials(monkeypatch):
    monkeypatch.delenv("PLIVO_AUTH_ID", raising=False)
    monkeypatch.delenv("PLIVO_AUTH_TOKEN", raising=False)


def leaky(path, *, in_path: bool = True):
    """A definition whose policies put the token in the URL path, a query value and a header."""
    swagger, properties = committed()
    properties["properties"]["policyTemplateInstances"] = [
        policy("dynamichosturl", urlTemplate="https://api.plivo.com/v1/Account/"
               + ("@connectionParameters('password')" if in_path else AUTH_ID)),
        policy("setqueryparameter", name="key", value="@connectionParameters('password')"),
        policy("setheader", name="X-Token", value="@connectionParameters('password')"),
    ]
    return write_root(path, swagger, properties)


@pytest.fixture
def leaky_root(tmp_path):
    return leaky(tmp_path / "leaky")


def test_dry_run_masks_the_token_in_the_path_query_and_headers(leaky_root, capsys):
    assert main(["run", "GetMessage", "-i", "message_uuid=u", "--dry-run", "--auth-id", AUTH_ID,
                 "--auth-token", TOKEN, "--root", str(leaky_root)]) == 0
    out, err = capsys.readouterr()
    assert_masked(out + err)
    assert "X-Token: ***" in out
    assert "/Account/***/Message/u/?key=***" in out


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers 400 with the request line and an echo of the token (raw and JSON-escaped), or a redirect."""

    requests: list
    redirect_to: str | None = None

    def do_GET(self):
        type(self).requests.append((self.path, self.headers.get("Authorization")))
        if self.redirect_to:
            self.send_response(302)
            self.send_header("Location", self.redirect_to + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = json.dumps({"error": "bad request", "path": self.path, "echo": TOKEN}).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve_recorder(redirect_to: str | None = None):
    handler = type("Handler", (Recorder,), {"requests": [], "redirect_to": redirect_to})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, handler.requests, f"http://127.0.0.1:{server.server_address[1]}"


def test_a_server_echoing_the_token_in_any_encoding_gets_it_masked(tmp_path, capsys):
    server, requests, url = serve_recorder()
    try:
        code = main(["run", "GetMessage", "-i", "message_uuid=u", "--url", url, "--auth-id", AUTH_ID,
                     "--auth-token", TOKEN, "--root", str(leaky(tmp_path / "q", in_path=False))])
    finally:
        server.shutdown()
        server.server_close()
    out, err = capsys.readouterr()
    assert code == 1 and "answered 400" in err
    assert requests, "the request was sent"
    assert_masked(out + err)


def test_a_url_that_cannot_be_sent_is_an_error_not_a_traceback(leaky_root, capsys):
    code = main(["run", "GetMessage", "-i", "message_uuid=u", "--url", "http://127.0.0.1:9", "--auth-id", AUTH_ID,
                 "--auth-token", TOKEN, "--root", str(leaky_root)])
    out, err = capsys.readouterr()
    assert code == 1 and err.startswith("error: cannot send the request to http://127.0.0.1:9"), err
    assert_masked(out + err)


@pytest.mark.parametrize("token", ["a", "tok", "short-tok"])
def test_a_token_too_short_to_mask_is_refused(token, capsys):
    assert main(["run", "ListMessages", "--auth-id", AUTH_ID, "--auth-token", token, "--root", str(ROOT)]) == 2
    out, err = capsys.readouterr()
    assert "too short" in err and out == ""
    assert f" {token} " not in err


def test_no_credentials_are_sent_to_another_origin(capsys):
    other, other_requests, other_url = serve_recorder()
    first, first_requests, first_url = serve_recorder(redirect_to=other_url)
    try:
        code = main(["run", "GetMessage", "-i", "message_uuid=u", "--url", first_url, "--auth-id", AUTH_ID,
                     "--auth-token", TOKEN, "--root", str(ROOT)])
    finally:
        for server in (first, other):
            server.shutdown()
            server.server_close()
    _, err = capsys.readouterr()
    assert code == 1
    assert len(first_requests) == 1
    assert other_requests == [], "the redirect to another origin was followed"
    assert f"redirected to {other_url}/" in err and "not followed" in err


@pytest.mark.parametrize(("source", "target", "refused"), [
    ("https://api.plivo.com/v1/x", "http://api.plivo.com/v1/x", True),       # downgrade, same host
    ("https://api.plivo.com/v1/x", "https://evil.example/v1/x", True),       # another host
    ("https://api.plivo.com/v1/x", "https://api.plivo.com:8443/v1/x", True),  # another port
    ("http://127.0.0.1:1/v1/x", "https://127.0.0.1:1/v1/x", True),            # another scheme is another origin
    ("https://api.plivo.com/v1/x", "https://API.plivo.com:443/v1/y", False),  # same origin, other path
    ("http://127.0.0.1:8/a", "/b", False),                                   # relative: same origin
])
def test_which_redirects_are_refused(source, target, refused):
    assert (redirect_refusal(source, target) is not None) == refused


@pytest.mark.parametrize("auth_id", ["MA1/../../x?y=1", f"{AUTH_ID}\r\nX-Injected: 1", f"{AUTH_ID}\n",
                                     "MA123", "ma" + AUTH_ID[2:], "XA" + AUTH_ID[2:], ""])
def test_an_auth_id_not_of_plivos_shape_is_refused_before_any_request(auth_id, capsys):
    server, requests, url = serve_recorder()
    try:
        code = main(["run", "ListMessages", "--url", url, "--auth-id", auth_id, "--auth-token", TOKEN,
                     "--root", str(ROOT)])
    finally:
        server.shutdown()
        server.server_close()
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert requests == []
    assert "Traceback" not in err
    if auth_id:
        assert "Auth ID" in err and "MA or SA followed by 18" in err


def test_contract_refuses_an_auth_id_not_of_plivos_shape(capsys):
    assert main(["contract", "--root", str(ROOT), "--url", "http://127.0.0.1:9", "--auth-id", "MA1/../../x?y=1",
                 "--auth-token", TOKEN]) == 2
    assert "the Auth ID must be MA or SA followed by 18" in capsys.readouterr().err
