"""`diff --published`: the definition keeps the published Plivo (Preview) connector's surface.

Flows built on the published connector refer to its operationIds, input keys and outputs; a
rename there breaks them, so this test (and CI's `diff --published` step) fails on one, while new
operations and new optional inputs stay welcome.
"""

from __future__ import annotations

import copy
import json

import pytest

from scripts.diff.published import published_surface
from tests.diff.helpers import classes, run_diff
from tests.project import ROOT


def test_the_current_definition_keeps_the_published_surface(capsys):
    code, report = run_diff(capsys, "--published", "--root", str(ROOT))
    assert [c["message"] for c in report["changes"] if c["blocks"]] == []
    assert code == 0


def test_the_record_covers_the_published_operations_and_connection():
    surface = published_surface()
    assert sorted(surface.operations) == ["GetMessage", "ListMessages", "MakeCall", "SendSMS"]
    assert sorted(surface.operations["SendSMS"].inputs) == ["SMS", "SMS/dst", "SMS/src", "SMS/text", "auth_id"]
    assert {k: f.summary for k, f in surface.connection.items()} == {"username": "Auth Id", "password": "Auth Token"}
    assert surface.auth == ("basic",)


def _edit(project, name: str, old: str, new: str) -> None:
    path = project / "connector" / "operations" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("operation", "old", "new", "expected"), [
    ("SendSMS.yaml", "      src:\n", "      source:\n", "input-renamed"),
    ("MakeCall.yaml", "      answer_url:\n", "      answer:\n", "input-renamed"),
    ("GetMessage.yaml", "summary: Get message\n", "summary: Get a message\n", "display-name-changed"),
])
def test_a_renamed_key_or_display_name_fails(project, capsys, operation, old, new, expected):
    _edit(project, operation, old, new)
    code, report = run_diff(capsys, "--published", "--root", str(project))
    assert (code, classes(report)["breaking"]) == (1, [expected])


def test_a_renamed_operation_fails(project, capsys):
    source = project / "connector" / "operations" / "MakeCall.yaml"
    text = source.read_text(encoding="utf-8").replace("operationId: MakeCall\n", "operationId: PlaceCall\n", 1)
    source.unlink()
    (source.parent / "PlaceCall.yaml").write_text(text, encoding="utf-8")
    code, report = run_diff(capsys, "--published", "--root", str(project))
    assert (code, classes(report)["breaking"]) == (1, ["operation-renamed"])


def test_new_operations_and_optional_inputs_keep_passing(rendered, tmp_path, capsys):
    swagger = copy.deepcopy(rendered.swagger)
    body = swagger["paths"]["/Message/"]["post"]["parameters"][0]["schema"]
    body["properties"]["log"] = {"type": "boolean", "description": "Log the text.", "x-ms-summary": "Log"}
    swagger["paths"]["/Number/"] = {"get": {"operationId": "ListNumbers", "summary": "List numbers",
                                            "parameters": [], "responses": {"200": {"description": "Numbers."}}}}
    head = tmp_path / "apiDefinition.swagger.json"
    head.write_text(json.dumps(swagger))
    (tmp_path / "apiProperties.json").write_text(json.dumps(rendered.properties))
    code, report = run_diff(capsys, "--published", "--head-file", str(tmp_path))
    assert code == 0
    assert {"operation-added", "optional-input-added"} <= set(classes(report)["safe"])


def test_a_new_required_input_fails(rendered, tmp_path, capsys):
    swagger = copy.deepcopy(rendered.swagger)
    body = swagger["paths"]["/Call/"]["post"]["parameters"][0]["schema"]
    body["properties"]["caller_name"] = {"type": "string", "description": "Name.", "x-ms-summary": "Caller Name"}
    body["required"].append("caller_name")
    (tmp_path / "apiDefinition.swagger.json").write_text(json.dumps(swagger))
    (tmp_path / "apiProperties.json").write_text(json.dumps(rendered.properties))
    code, report = run_diff(capsys, "--published", "--head-file", str(tmp_path))
    assert (code, classes(report)["breaking"]) == (1, ["required-input-added"])


def test_build_stops_a_rename_of_the_published_surface(project, capsys):
    """Renaming a published input key used to build with exit 0; now build refuses and writes nothing."""
    before = (project / "apiDefinition.swagger.json").read_bytes()
    _edit(project, "SendSMS.yaml", "      src:\n", "      source:\n")
    from scripts.cli import main

    assert main(["build", "--root", str(project)]) == 2
    err = capsys.readouterr().err
    assert ("connector/operations/SendSMS.yaml: [PublishedSurface] input 'SMS/src' renamed to 'SMS/source' "
            "[input-renamed]") in err
    assert "nothing was written" in err
    assert (project / "apiDefinition.swagger.json").read_bytes() == before
    assert main(["build", "--check", "--root", str(project)]) == 2


def _revised_send_sms(swagger: dict) -> dict:
    """SendSMS kept, plus a revision 2 of it (family SendSMS) whose body lost 'src'."""
    swagger = copy.deepcopy(swagger)
    item = swagger["paths"]["/Message/"]
    revised = copy.deepcopy(item["post"])
    revised["operationId"] = "SendSMSV2"
    revised["x-ms-api-annotation"] = {"family": "SendSMS", "revision": 2}
    del revised["parameters"][0]["schema"]["properties"]["src"]
    swagger["paths"]["/V2/Message/"] = {"post": revised}
    return swagger


def _renamed_input(swagger: dict) -> dict:
    swagger = copy.deepcopy(swagger)
    body = swagger["paths"]["/Message/"]["post"]["parameters"][0]["schema"]
    body["properties"]["source"] = body["properties"].pop("src")
    return swagger


def _renamed_operation(swagger: dict) -> dict:
    swagger = copy.deepcopy(swagger)
    swagger["paths"]["/Call/"]["post"]["operationId"] = "PlaceCall"
    return swagger


@pytest.mark.parametrize("edit", [lambda s: s, _revised_send_sms, _renamed_input, _renamed_operation])
def test_the_build_guard_reads_only_what_the_comparison_uses(rendered, edit, monkeypatch):
    """The guard reads inputs and outputs of published operations and their revisions only; the
    changes it gets are the ones a full read gives (diff --published reads everything)."""
    from scripts.diff import guard
    from scripts.diff.published import compare_published
    from scripts.diff.surface import read_surface

    swagger = edit(rendered.swagger)
    full = compare_published(read_surface(swagger, rendered.properties))
    seen = []
    monkeypatch.setattr(guard, "compare_published", lambda head: seen.append(compare_published(head)) or seen[-1])
    guard.published_findings(ROOT, swagger, rendered.properties)
    assert seen == [full]
