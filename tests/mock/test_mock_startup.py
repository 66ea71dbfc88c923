"""The mock starts without importing what serving does not need (a start-up in a blink is part of
quality), and still reports broken sources the way every command does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from scripts.cli import main

ROOT = Path(__file__).resolve().parents[2]
# Imported only when used: OpenSSL (deliveries' signatures, application ids), urllib.request with
# http.client and the email package (deliveries), http.server (the first server), uuid (platform),
# scripts.findings with dataclasses and inspect (an error in the sources).
NOT_AT_START = ("_hashlib", "hashlib", "hmac", "secrets", "urllib.request", "http.client", "http.server",
                "email", "uuid", "traceback", "scripts.findings", "dataclasses", "inspect")


def imported_after(code: str) -> set[str]:
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_serving_imports_none_of_the_heavy_modules():
    modules = imported_after(
        "from scripts.mock.command import run\n"
        "from scripts.mock import create_app\n"
        "from scripts.mock.server import make_server\n"
        "server = make_server(create_app({'MAAAAAAAAAAAAAAAAAAA': 't'}, throttle=(100, 60.0)))\n"
        "server.server_close()")
    assert "scripts.mock.app" in modules  # the probe did build the app
    assert modules.isdisjoint(NOT_AT_START), sorted(modules & set(NOT_AT_START))


def test_help_of_the_mock_imports_no_handler():
    modules = imported_after("import scripts.mock.command, scripts.mock.cli")
    assert not {"scripts.mock.app", "scripts.mock.messages", "scripts.mock.calls"} & modules


def test_the_exit_code_for_broken_sources_is_the_projects():
    from scripts import findings
    from scripts.mock import command

    assert command.EXIT_BROKEN == findings.EXIT_BROKEN


def test_broken_sources_still_stop_the_mock_with_their_findings(project, capsys):
    path = project / "connector" / "connector.yaml"
    path.write_text(path.read_text().replace("  calls: 100\n", "  calls: many\n"))
    assert main(["mock", "--root", str(project), "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "throttling policy" in err and "connector.yaml" in err
