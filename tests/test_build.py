"""build and build --check: byte-stable output, staleness reports, all-or-nothing writes."""

from __future__ import annotations

import json
import os

import pytest

from scripts.cli import main
from scripts.render import writer
from scripts.render.artifacts import render_artifacts
from tests.project import ROOT, copy_project

JSON_FILES = ("apiDefinition.swagger.json", "apiProperties.json")


def test_committed_artifacts_are_up_to_date(capsys):
    assert main(["build", "--check", "--root", str(ROOT)]) == 0, capsys.readouterr().err


def test_rendering_is_byte_stable(rendered, tmp_path):
    again = render_artifacts(ROOT)
    elsewhere = render_artifacts(copy_project(tmp_path / "other" / "place"))
    assert again.files == rendered.files
    assert elsewhere.files == rendered.files


@pytest.mark.parametrize("name", JSON_FILES)
def test_json_format(rendered, name):
    data = rendered.files[name]
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in data
    assert data.endswith(b"}\n") and not data.endswith(b"\n\n")
    assert data == (json.dumps(json.loads(data), indent=2, ensure_ascii=False) + "\n").encode()


def test_swagger_key_order_follows_microsofts_templates(swagger):
    assert list(swagger) == ["swagger", "info", "host", "basePath", "schemes", "consumes", "produces", "paths",
                             "definitions", "parameters", "responses", "securityDefinitions", "security", "tags",
                             "x-ms-connector-metadata", "x-ms-capabilities"]


def test_build_writes_missing_artifacts(project, capsys):
    (project / "apiProperties.json").unlink()
    (project / "icon.png").unlink()
    assert main(["build", "--root", str(project)]) == 0
    assert "2 changed" in capsys.readouterr().out
    assert (project / "icon.png").read_bytes() == (ROOT / "icon.png").read_bytes()
    assert main(["build", "--check", "--root", str(project)]) == 0


def test_check_reports_a_stale_file_with_a_diff_and_the_fix(project, capsys):
    path = project / "apiDefinition.swagger.json"
    path.write_text(path.read_text().replace('"Send SMS"', '"Send an SMS"'))
    assert main(["build", "--check", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert "apiDefinition.swagger.json: out of date" in err
    assert '-        "summary": "Send an SMS",' in err
    assert '+        "summary": "Send SMS",' in err
    assert "Fix: run `plivo-connector build` and commit the result." in err
    assert "Send an SMS" in path.read_text(), "--check must not write"


def test_check_reports_a_missing_file(project, capsys):
    (project / "icon.png").unlink()
    assert main(["build", "--check", "--root", str(project)]) == 1
    assert "icon.png: missing" in capsys.readouterr().err
    assert not (project / "icon.png").exists()


def test_check_reports_a_stale_readme_section(project, capsys):
    readme = project / "README.md"
    readme.write_text(readme.read_text().replace("| 100 | 60 seconds |", "| 500 | 60 seconds |"))
    assert main(["build", "--check", "--root", str(project)]) == 1
    assert "+| API calls per connection | 100 | 60 seconds |" in capsys.readouterr().err


def test_check_reports_a_file_no_longer_produced(project, capsys):
    (project / "settings.json").write_text("{}\n")
    assert main(["build", "--check", "--root", str(project)]) == 1
    assert "settings.json: no longer produced by the build; delete it" in capsys.readouterr().err
    assert main(["build", "--root", str(project)]) == 0
    assert not (project / "settings.json").exists()


def test_broken_sources_write_nothing(project, capsys):
    (project / "apiProperties.json").unlink()
    before = {p: p.read_bytes() for p in project.iterdir() if p.is_file()}
    op = project / "connector" / "operations" / "GetMessage.yaml"
    op.write_text(op.read_text().replace("summary: Get message", "summary: Get message/"))
    assert main(["build", "--root", str(project)]) == 2
    assert "nothing was written" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in project.iterdir() if p.is_file()} == before


def test_a_failed_write_leaves_every_target_untouched(project, monkeypatch):
    files = dict(render_artifacts(project).files)
    files["apiDefinition.swagger.json"] = b"{}\n"
    files["apiProperties.json"] = b"{}\n"
    before = {name: (project / name).read_bytes() for name in files}
    real_fsync, calls = os.fsync, []

    def failing_fsync(fd):  # the second file fails after the first was fully written
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(writer.os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="No space left"):
        writer.write_artifacts(project, files, [])
    assert {name: (project / name).read_bytes() for name in files} == before
    assert not [p for p in project.iterdir() if p.name.endswith(".tmp")], "temporary files must be removed"


def test_readme_without_markers_is_a_finding(project, capsys):
    (project / "README.md").write_text("# Plivo\n")
    assert main(["build", "--root", str(project)]) == 2
    assert "[ReadmeMarkers]" in capsys.readouterr().err
    assert (project / "README.md").read_text() == "# Plivo\n"


def test_validate_a_connector_folder(capsys):
    assert main(["validate", str(ROOT)]) == 0
    assert "passed" in capsys.readouterr().out


def test_validate_reports_a_bom_and_rule_findings_in_a_folder(project, capsys):
    path = project / "apiDefinition.swagger.json"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert main(["validate", str(project)]) == 2
    assert "byte-order mark" in capsys.readouterr().out
    document = json.loads(path.read_bytes()[3:])
    document["info"]["title"] = "Plivo API Connector"
    path.write_text(json.dumps(document, indent=2))
    assert main(["validate", str(project)]) == 0, "a warning does not fail the run"
    capsys.readouterr()
    assert main(["validate", str(project), "--fail-on", "warning"]) == 1
    out = capsys.readouterr().out
    assert (f"{path}:4:5: warning [TitleFormat] title 'Plivo API Connector' must not contain 'api'") in out


def test_build_check_reports_a_stale_rule_catalogue(project, capsys):
    catalogue = project / "docs" / "rules.md"
    catalogue.write_text(catalogue.read_text().replace("| `TriggerKind` | error |", "| `TriggerKind` | warning |"))
    assert main(["build", "--check", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert "docs/rules.md: out of date" in err and "+| `TriggerKind` | error |" in err
    assert "Fix: run `plivo-connector build`" in err
