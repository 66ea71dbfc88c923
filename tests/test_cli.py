"""The command line: --version, defaults in help, -q/-v, NO_COLOR, staleness warnings, contract options."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from scripts.cli import COMMANDS, main
from tests.project import ROOT

HEAVY = ("jinja2", "jsonschema", "openapi_spec_validator", "schemathesis", "werkzeug")
QUICK_CONTRACT = ["contract", "--root", str(ROOT), "--max-examples", "1", "--phases", "examples",
                  "--include-operation-id", "SendSMS"]


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code in (0, None)
    from importlib.metadata import version

    from scripts import __version__

    assert capsys.readouterr().out == f"plivo-connector {__version__}\n"
    assert version("plivo-powerplatform-connector") == __version__  # pyproject reads the same constant


# The commands of this change; the start-up of the others is measured by benchmarks/run_times.py.
@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["build", "--help"], ["package", "--help"],
                                  ["new-operation", "--help"]],
                         ids=lambda argv: " ".join(argv))
def test_help_and_version_import_nothing_heavy(argv):
    code = "\n".join(["import sys", "from scripts.cli import main", "try:", f"    main({argv!r})",
                      "except SystemExit:", "    pass",
                      f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})), file=sys.stderr)"])
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = result.stderr.strip().splitlines()[-1]
    assert eval(loaded) == [], loaded


def test_an_error_after_a_command_shows_the_same_usage_as_one_before_it(capsys):
    """Only the chosen command's parser is made when it comes first; the usage still names all."""
    usages = []
    for argv in (["run", "--list", "--no-such-option"], ["no-such-command"]):
        with pytest.raises(SystemExit) as done:
            main(argv)
        assert done.value.code == 2
        usages.append(capsys.readouterr().err.split("plivo-connector: error:")[0])
    assert usages[0] == usages[1] and "{" + ",".join(COMMANDS) + "}" in usages[0]


def test_help_shows_defaults(capsys):
    with pytest.raises(SystemExit):
        main(["contract", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "(default: 100)" in out and "(default: found upward from the current folder)" in out
    assert "(default: auto)" in out


def test_quiet_and_verbose(capsys):
    assert main(["build", "--check", "--root", str(ROOT), "-q"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["build", "--check", "--root", str(ROOT), "-v"]) == 0
    assert "  apiDefinition.swagger.json\n" in capsys.readouterr().out


@pytest.fixture
def stale_project(project):
    source = project / "connector" / "operations" / "SendSMS.yaml"
    source.write_text(source.read_text().replace("summary: Send SMS", "summary: Send an SMS", 1))
    return project


@pytest.mark.parametrize("command", [["run", "--list"], ["contract", "--include-operation-id", "Nope"]],
                         ids=["run", "contract"])
def test_run_and_contract_warn_about_stale_files_with_the_fix(stale_project, capsys, command):
    main([*command, "--root", str(stale_project)])
    err = capsys.readouterr().err
    assert "apiDefinition.swagger.json is stale" in err and "Fix: run `plivo-connector build`" in err
    main([*command, "--root", str(stale_project), "-q"])
    assert "stale" not in capsys.readouterr().err


def test_no_warning_when_fresh(project, capsys):
    assert main(["run", "--list", "--root", str(project)]) == 0
    assert "stale" not in capsys.readouterr().err


@pytest.mark.parametrize(("args", "message"), [
    (["--include-operation-id", "SendSms"], "unknown operation id SendSms; did you mean SendSMS"),
    (["--exclude-operation-id", "Nope"], "unknown operation id Nope"),
    (["--rate-limit", "100"], "--rate-limit '100': expected N/s, N/m or N/h"),
])
def test_contract_refuses_bad_passthrough_options(capsys, args, message):
    assert main(["contract", "--root", str(ROOT), *args]) == 2
    assert message in capsys.readouterr().err


def test_contract_include_operation_id_selects_operations(tmp_path, capsys):
    report = tmp_path / "junit.xml"
    assert main([*QUICK_CONTRACT, "--rate-limit", "1000/s", "--junit", str(report)]) == 0, capsys.readouterr().out
    names = {case.get("name") for case in ET.parse(report).getroot().iter("testcase")}
    assert names == {"POST /Message/"}


def test_no_color_strips_colours_on_a_terminal(monkeypatch, capsys):
    import click._compat

    monkeypatch.setattr(click._compat, "isatty", lambda stream: True)  # as if printing to a terminal
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert main(QUICK_CONTRACT) == 0
    assert "\x1b[" in capsys.readouterr().out, "no colour at all: this test would prove nothing"
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(QUICK_CONTRACT) == 0
    assert "\x1b[" not in capsys.readouterr().out
