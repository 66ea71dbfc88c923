"""`validate` never follows a $ref out of the document: no local file is read, no network is reached."""

from __future__ import annotations

import http.server
import json
import threading

import pytest

from scripts.cli import main
from scripts.validation.connector import swagger_errors

SECRET = "s3cr3t-content-that-must-not-leak"


def _plant(project, ref: str) -> None:
    path = project / "apiDefinition.swagger.json"
    swagger = json.loads(path.read_text())
    swagger["definitions"]["Planted"] = {"$ref": ref}
    operation = next(iter(next(iter(swagger["paths"].values())).values()))
    next(iter(operation["responses"].values()))["schema"] = {"$ref": ref}
    path.write_text(json.dumps(swagger, indent=2))


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "outside" / "credentials.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"type": "object", "description": SECRET}))
    return path


@pytest.mark.parametrize("form", ["file_url", "relative", "absolute_path"])
def test_a_ref_to_a_local_file_is_a_finding_and_the_file_is_not_read(project, secret_file, capsys, form):
    ref = {"file_url": secret_file.as_uri(), "relative": "../outside/credentials.json",
           "absolute_path": str(secret_file)}[form]
    (project / "outside").mkdir()
    (project / "outside" / "credentials.json").write_text(secret_file.read_text())
    _plant(project, ref)

    assert main(["validate", str(project)]) == 1
    err = capsys.readouterr().out
    assert "[ExternalReference]" in err
    assert "/definitions/Planted" in err
    assert SECRET not in err


@pytest.fixture
def web():
    """A loopback server that records every request and would serve a schema holding SECRET."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = json.dumps({"type": "object", "description": SECRET}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_a_ref_to_a_url_is_a_finding_and_nothing_is_fetched(project, web, capsys):
    url, hits = web
    _plant(project, f"{url}/schema.json")
    assert main(["validate", str(project)]) == 1
    err = capsys.readouterr().out
    assert "[ExternalReference]" in err
    assert hits == []
    assert SECRET not in err


@pytest.mark.parametrize("form", ["file_url", "http", "https", "network_path", "relative", "ftp"])
def test_the_swagger_validator_itself_refuses_to_resolve(form, swagger, secret_file, web, tmp_path,
                                                         monkeypatch):
    """Defence in depth: even called directly, openapi-spec-validator gets no way to read or fetch."""
    url, hits = web
    monkeypatch.chdir(secret_file.parent)
    ref = {"file_url": secret_file.as_uri(), "http": f"{url}/x.json", "https": url.replace("http", "https"),
           "network_path": url.removeprefix("http:") + "/x.json", "relative": secret_file.name,
           "ftp": "ftp://127.0.0.1:9/x.json"}[form]
    document = json.loads(json.dumps(swagger))
    operation = next(iter(next(iter(document["paths"].values())).values()))
    next(iter(operation["responses"].values()))["schema"] = {"$ref": ref}
    errors = swagger_errors(document)
    assert hits == []
    assert SECRET not in repr(errors)
    assert any("refused" in message for _, message in errors), errors


def test_contract_refuses_a_definition_with_an_external_ref(project, secret_file, web, capsys):
    url, hits = web
    _plant(project, f"{url}/schema.json")
    assert main(["contract", "--root", str(project), "--max-examples", "1"]) == 2
    err = capsys.readouterr().err
    assert "is not a local reference" in err and "/definitions/Planted" in err
    assert hits == []
