"""Versioning an operation the documented way, end to end: from the YAML sources to `diff`'s verdict."""

from __future__ import annotations

from scripts.cli import main
from tests.diff.helpers import classes, run_diff
from tests.project import ROOT


def _version_send_sms(project) -> None:
    """SendSMSV2 (family SendSMS, revision 2) renames the `src` key; SendSMS stays, deprecated."""
    operations = project / "connector" / "operations"
    old = (operations / "SendSMS.yaml").read_text(encoding="utf-8")
    annotation = "apiAnnotation: {family: SendSMS, revision: 2}\n"
    new = (old.replace("operationId: SendSMS\n", "operationId: SendSMSV2\n" + annotation)
              .replace("summary: Send SMS\n", "summary: Send SMS from a sender\n")
              .replace("path: /Message/\n", "path: /Message/v2/\n")
              .replace("      src:\n", "      sender:\n"))
    (operations / "SendSMSV2.yaml").write_text(new, encoding="utf-8")
    (operations / "SendSMS.yaml").write_text(
        old.replace("operationId: SendSMS\n",
                    "operationId: SendSMS\ndeprecated: true\napiAnnotation: {family: SendSMS, revision: 1}\n"),
        encoding="utf-8")


def test_a_new_revision_with_the_old_one_kept_passes(project, capsys):
    _version_send_sms(project)
    assert main(["build", "--root", str(project)]) == 0, capsys.readouterr().err
    swagger = (project / "apiDefinition.swagger.json").read_text(encoding="utf-8")
    assert '"x-ms-api-annotation": {\n          "family": "SendSMS",\n          "revision": 2\n        }' in swagger
    code, report = run_diff(capsys, "--base-file", str(ROOT), "--root", str(project))
    found = classes(report)
    assert (code, found["breaking"]) == (0, [])
    assert {"input-renamed", "path-changed"} <= set(found["versioned"])
    assert {"operation-revised", "operation-deprecated"} <= set(found["safe"])
    assert run_diff(capsys, "--published", "--root", str(project))[0] == 0


def test_dropping_the_old_revision_is_still_breaking(project, capsys):
    _version_send_sms(project)
    (project / "connector" / "operations" / "SendSMS.yaml").unlink()
    code, report = run_diff(capsys, "--base-file", str(ROOT), "--root", str(project))
    assert (code, classes(report)["breaking"]) == (1, ["operation-removed"])
    assert any("SendSMSV2 is a new revision of it" in c["message"] for c in report["changes"])
