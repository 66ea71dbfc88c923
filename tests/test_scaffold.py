"""new-operation writes an operation that builds; every source names its editor schema correctly."""

from __future__ import annotations

import json
import re

import pytest

from scripts.cli import main
from scripts.render.artifacts import render_artifacts
from scripts.scaffold.command import summary_from
from scripts.sources.source_schema import source_schema
from tests.project import ROOT

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\n")
EDITOR = ROOT / "scripts" / "sources" / "editor"


@pytest.mark.parametrize(("argv", "operation_id", "method"), [
    (["GetCallDetail", "--path", "/Call/{call_uuid}/Detail/"], "GetCallDetail", "get"),
    (["UpdateNote", "--method", "post"], "UpdateNote", "post"),
])
def test_new_operation_builds(project, capsys, argv, operation_id, method):
    assert main(["new-operation", *argv, "--root", str(project)]) == 0
    written = project / "connector" / "operations" / f"{operation_id}.yaml"
    assert MODELINE.match(written.read_text())
    assert main(["build", "--root", str(project)]) == 0, capsys.readouterr().err
    swagger = render_artifacts(project).swagger
    found = [spec for item in swagger["paths"].values() for m, spec in item.items()
             if isinstance(spec, dict) and spec.get("operationId") == operation_id]
    assert len(found) == 1
    assert operation_id in (project / "docs" / "reference.md").read_text()


@pytest.mark.parametrize(("name", "message"), [
    ("getCall", "not an operationId"),
    ("Get-Call", "not an operationId"),
    ("GetMessage", "connector/operations/GetMessage.yaml already exists"),
    ("getmessage", "not an operationId"),
    ("Getmessage", "GetMessage.yaml already exists"),
])
def test_new_operation_refuses_bad_or_taken_names(project, capsys, name, message):
    before = sorted(p.name for p in (project / "connector" / "operations").iterdir())
    assert main(["new-operation", name, "--root", str(project)]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in (project / "connector" / "operations").iterdir()) == before


def test_summary_from_name_keeps_acronyms():
    assert summary_from("GetCallDetail") == "Get call detail"
    assert summary_from("SendSMS") == "Send SMS"
    assert summary_from("ListMMSMedia") == "List MMS media"


SOURCES = [ROOT / "connector" / "connector.yaml", ROOT / "connector" / "definitions.yaml",
           *sorted((ROOT / "connector" / "operations").glob("*.yaml"))]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_yaml_language_server_line_names_the_schema_of_its_kind(path):
    found = MODELINE.match(path.read_text(encoding="utf-8"))
    if found is None:  # optional: .vscode/settings.json maps every source file by its folder anyway
        return
    kind = "operation" if path.parent.name == "operations" else path.stem
    target = (path.parent / found.group(1)).resolve()
    assert target == EDITOR / f"{kind}.schema.json"


@pytest.mark.parametrize("kind", ["connector", "definitions", "operation"])
def test_editor_schemas_point_at_the_source_schema(kind):
    wrapper = json.loads((EDITOR / f"{kind}.schema.json").read_text())
    file, pointer = wrapper["$ref"].split("#")
    assert (EDITOR / file).resolve() == ROOT / "scripts" / "sources" / "source.schema.json"
    assert pointer == f"/$defs/{kind}" and kind in source_schema()["$defs"]


def test_vscode_settings_map_every_source_folder_to_its_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text())
    mapping = {glob: schema for schema, glob in settings["yaml.schemas"].items()}
    assert mapping == {"connector/connector.yaml": "./scripts/sources/editor/connector.schema.json",
                       "connector/definitions.yaml": "./scripts/sources/editor/definitions.schema.json",
                       "connector/operations/*.yaml": "./scripts/sources/editor/operation.schema.json"}
    for schema in mapping.values():
        assert (ROOT / schema).is_file()
