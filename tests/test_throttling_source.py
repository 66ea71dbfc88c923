"""The throttling policy is declared once, in connector.yaml, and the mock's command line follows it."""

from __future__ import annotations

from scripts.cli import main


def test_the_mock_takes_its_limit_from_the_sources(project, monkeypatch):
    path = project / "connector" / "connector.yaml"
    path.write_text(path.read_text().replace("  calls: 100\n", "  calls: 7\n").replace(
        "  renewalPeriodSeconds: 60\n", "  renewalPeriodSeconds: 30\n"))
    seen = {}

    def fake_run(args, throttle, operations=None):
        seen["throttle"] = throttle
        return 0

    monkeypatch.setattr("scripts.mock.cli.run", fake_run)
    assert main(["mock", "--root", str(project)]) == 0
    assert seen["throttle"] == (7, 30.0)


def test_the_429_response_and_the_readme_follow_the_sources(project, capsys):
    path = project / "connector" / "connector.yaml"
    path.write_text(path.read_text().replace("  calls: 100\n", "  calls: 7\n"))
    assert main(["build", "--root", str(project)]) == 0
    assert "a connection may make 7 calls per 60 seconds" in (project / "apiDefinition.swagger.json").read_text()
    assert "| API calls per connection | 7 | 60 seconds |" in (project / "README.md").read_text()
