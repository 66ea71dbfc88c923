"""x-ms-capabilities.testConnection: rendered from connector.yaml, and checked to name a GET the
platform can call without inputs."""

from __future__ import annotations

import pytest

from scripts.cli import main


def test_the_connection_test_is_get_account(swagger):
    assert swagger["x-ms-capabilities"] == {"testConnection": {"operationId": "GetAccount", "parameters": {}}}
    operation = next(op for item in swagger["paths"].values() for op in item.values()
                     if op["operationId"] == "GetAccount")
    assert not [p for p in operation.get("parameters", []) if p.get("required")]


@pytest.mark.parametrize(("value", "message"), [
    ("GetAcount", "testConnection 'GetAcount' names no operation (did you mean GetAccount?)"),
    ("GetMessage", "testConnection 'GetMessage' must be a GET without required inputs"),
    ("SendSMS", "testConnection 'SendSMS' must be a GET without required inputs"),
])
def test_a_wrong_connection_test_is_reported(project, capsys, value, message):
    source = project / "connector" / "connector.yaml"
    text = source.read_text()
    assert "testConnection: GetAccount" in text
    source.write_text(text.replace("testConnection: GetAccount", f"testConnection: {value}"))
    assert main(["build", "--root", str(project)]) == 2
    err = capsys.readouterr().err
    assert "connector/connector.yaml:" in err and f"[TestConnection] {message}" in err
