"""Rule suppressions: a rule switched off with a written reason, and stale suppressions reported."""

from __future__ import annotations

from scripts.cli import main


def _edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _append(path, text):
    with path.open("a") as out:
        out.write(text)


def _break_send_sms_summary(project):
    _edit(project / "connector" / "operations" / "SendSMS.yaml", "summary: Send SMS\n", "summary: Send SMS/MMS\n")


SUPPRESSION = """suppressions:
  - rule: OperationSummary
    operations: [SendSMS]
    reason: The published connector's flows show this name; renaming it would confuse makers.
"""


def test_a_suppressed_rule_with_a_reason_lets_the_build_pass(project, capsys):
    _break_send_sms_summary(project)
    assert main(["build", "--root", str(project)]) == 2
    _append(project / "connector" / "connector.yaml", SUPPRESSION)
    assert main(["build", "--root", str(project)]) == 0, capsys.readouterr().err


def test_a_suppression_is_limited_to_its_operations(project, capsys):
    _break_send_sms_summary(project)
    _append(project / "connector" / "connector.yaml", SUPPRESSION.replace("[SendSMS]", "[MakeCall]"))
    assert main(["build", "--root", str(project)]) == 2
    err = capsys.readouterr().err
    assert "[OperationSummary] operation SendSMS: summary 'Send SMS/MMS'" in err
    assert "suppression of OperationSummary for MakeCall suppresses nothing; remove it" in err


def test_a_suppression_needs_a_reason(project, capsys):
    _append(project / "connector" / "connector.yaml",
        "suppressions:\n  - rule: OperationSummary\n    reason: legacy\n")
    assert main(["build", "--root", str(project)]) == 2
    assert "'suppressions[0].reason': 'legacy' is too short" in capsys.readouterr().err
