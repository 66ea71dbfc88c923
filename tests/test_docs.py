"""The generated pages: every operation from the sources, Microsoft's section shapes, kept fresh."""

from __future__ import annotations

import re

import pytest
import yaml

from scripts.cli import main
from scripts.docs.render import CERTIFICATION_README, REFERENCE
from scripts.render.artifacts import render_artifacts
from tests.project import ROOT

CERTIFICATION_SECTIONS = ("## Publisher", "## Prerequisites", "## Supported Operations", "## Obtaining Credentials",
                          "## Getting Started", "## Known Issues and Limitations", "## Deployment Instructions",
                          "## Throttling Limits")
OPERATIONS = sorted((ROOT / "connector" / "operations").glob("*.yaml"))


def _operation(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _page(rendered, name) -> str:
    return rendered.files[name].decode("utf-8")


@pytest.mark.parametrize("path", OPERATIONS, ids=[p.stem for p in OPERATIONS])
def test_reference_page_documents_the_operation(rendered, path):
    op = _operation(path)
    page = _page(rendered, REFERENCE)
    section = page.split(f"\n### {op['summary']}\n", 1)
    assert len(section) == 2, f"no section for {op['operationId']}"
    body = section[1].split("\n### ", 1)[0]
    assert f"`{op['operationId']}`" in body
    assert "#### Parameters" in body and "#### Returns" in body
    for param in op.get("parameters", []):
        if param.get("visibility") != "internal" and param["in"] != "body":
            assert f"| {param['summary']} | `{param['name']}` |" in body


@pytest.mark.parametrize("path", OPERATIONS, ids=[p.stem for p in OPERATIONS])
def test_certification_readme_lists_the_operation(rendered, path):
    op = _operation(path)
    page = _page(rendered, CERTIFICATION_README)
    supported = page.split("## Supported Operations", 1)[1].split("\n## ", 1)[0]
    assert f"\n### {op['summary']}\n\n{op['description']}" in supported


def test_certification_readme_has_the_template_sections_in_order(rendered):
    page = _page(rendered, CERTIFICATION_README)
    positions = [page.find(f"\n{heading}") for heading in CERTIFICATION_SECTIONS]
    assert -1 not in positions, [h for h, p in zip(CERTIFICATION_SECTIONS, positions, strict=True) if p == -1]
    assert positions == sorted(positions)
    assert page.startswith("<!--") and "\n# Plivo\n" in page


def test_reference_page_has_microsofts_sections(rendered, api_properties):
    page = _page(rendered, REFERENCE)
    for heading in ("## Creating a connection", "## Throttling Limits", "## Actions", "## Triggers"):
        assert f"\n{heading}\n" in page
    for key in api_properties["properties"]["connectionParameters"]:
        assert f"| `{key}` |" in page
    assert "| API calls per connection | 100 | 60 seconds |" in page


def test_returns_table_follows_nested_and_array_properties(rendered):
    page = _page(rendered, REFERENCE)
    listing = page.split("\n### List all messages\n", 1)[1].split("\n### ", 1)[0]
    assert "| Total Count | `meta.total_count` | integer |" in listing
    assert "| Message List | `objects` | array of object |" in listing
    assert "| Message UUID | `objects.message_uuid` | string |" in listing


def test_pages_are_markdown_with_one_final_newline(rendered):
    for name in (REFERENCE, CERTIFICATION_README):
        data = rendered.files[name]
        assert data.endswith(b"\n") and not data.endswith(b"\n\n") and b"\r" not in data
        assert b"\n\n\n" not in data


def test_check_reports_a_stale_page_with_the_fix(project, capsys):
    page = project / REFERENCE
    page.write_text(page.read_text().replace("## Throttling Limits", "## Limits"))
    assert main(["build", "--check", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert f"{REFERENCE}: out of date" in err and "+## Throttling Limits" in err
    assert "Fix: run `plivo-connector build`" in err


NEW_OPERATION = """\
operationId: GetCallDetail
summary: Get call detail
description: This operation returns the details of one call.
method: get
path: /Call/{call_uuid}/Detail/
parameters:
  - name: call_uuid
    in: path
    type: string
    required: true
    summary: Call UUID
    description: UUID of the call to fetch.
    visibility: important
responses:
  "200":
    description: The call.
    schema:
      ref: MakeCallResponse
"""


def test_a_new_operation_file_appears_in_both_pages_without_other_edits(project):
    (project / "connector" / "operations" / "GetCallDetail.yaml").write_text(NEW_OPERATION)
    rendered = render_artifacts(project)
    reference = _page(rendered, REFERENCE)
    assert "[Get call detail](#get-call-detail)" in reference
    assert "\n### Get call detail\n" in reference and "| Call UUID | `call_uuid` | True | string |" in reference
    assert "\n### Get call detail\n\nThis operation returns the details of one call." in _page(
        rendered, CERTIFICATION_README)
    # build writes them where the committed copies live, and --check is then clean
    assert main(["build", "--root", str(project)]) == 0
    assert re.search(r"### Get call detail", (project / REFERENCE).read_text())
    assert main(["build", "--check", "--root", str(project)]) == 0


def test_triggers_get_their_own_section(swagger, api_properties, rendered):
    import copy

    from scripts.docs.render import render_docs

    changed = copy.deepcopy(swagger)
    listing = changed["paths"]["/Message/"]["get"]
    listing["x-ms-trigger"] = "batch"
    listing["deprecated"] = True
    pages = render_docs(changed, api_properties, rendered.sources.throttling)
    reference = pages[REFERENCE].decode()
    actions, triggers = reference.split("\n## Actions\n")[1].split("\n## Triggers\n")
    assert "List all messages" not in actions
    assert "| [List all messages](#list-all-messages) |" in triggers and "polling trigger" in triggers
    assert "**Deprecated**" in triggers
    assert "\n### List all messages\n" in pages[CERTIFICATION_README].decode()
