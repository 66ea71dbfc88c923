"""build-stamp.json: `run` and `contract` trust the committed definition without rendering only while
the stamp proves it current, and fall back to a render (exact warnings) whenever it cannot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.cli import main
from scripts.render.artifacts import render_definition
from scripts.render.stamp import STAMP, definition_is_fresh, source_paths
from scripts.sources.load import load_sources
from tests.project import ROOT

# What a render of the sources needs; none of it may be imported while the stamp vouches for the files.
RENDERING = ("yaml", "jsonschema", "jsonschema_rs", "jinja2", "openapi_spec_validator", "werkzeug",
             "scripts.sources.load", "scripts.render.artifacts")
STALE = "apiDefinition.swagger.json is stale (connector/ changed since the last build)"
BROKEN = "do not build"


def run_list(root: Path) -> tuple[int, str, list[str]]:
    """`plivo-connector run --list --root ROOT` in a fresh interpreter: exit code, stderr, and the
    rendering modules it imported."""
    code = "\n".join([
        "import sys", "from scripts.cli import main",
        f"code = main(['run', '--list', '--root', {str(root)!r}])",
        f"print(sorted(m for m in {RENDERING!r} if m in sys.modules))", "sys.exit(code)"])
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    return done.returncode, done.stderr, eval(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def opened():
    """Paths opened while the list is not None (an audit hook: every way a file can be opened)."""
    record: dict[str, list[str] | None] = {"paths": None}

    def hook(event: str, args: tuple) -> None:
        if event == "open" and record["paths"] is not None and isinstance(args[0], str | bytes | Path):
            record["paths"].append(str(Path(args[0] if not isinstance(args[0], bytes) else args[0].decode())))

    sys.addaudithook(hook)  # cannot be removed; inert once the test is over
    record["paths"] = []
    yield record["paths"]
    record["paths"] = None


def test_the_committed_stamp_vouches_for_the_committed_definition():
    assert definition_is_fresh(ROOT), f"{STAMP} is not current: run `plivo-connector build`"


def test_the_stamp_covers_exactly_the_files_the_loader_reads(project, opened):
    render_definition(load_sources(project))
    source_dir = project / "connector"
    read = {Path(p).resolve().relative_to(project.resolve()).as_posix() for p in opened
            if Path(p).resolve().is_relative_to(source_dir.resolve())}
    assert read == set(source_paths(project))


def test_a_fresh_project_lists_without_rendering(project):
    code, err, imported = run_list(project)
    assert code == 0 and err == "" and imported == []


def test_rendered_files_alone_list_without_rendering(project, tmp_path):
    folder = tmp_path / "downloaded"
    folder.mkdir()
    for name in ("apiDefinition.swagger.json", "apiProperties.json"):
        (folder / name).write_bytes((project / name).read_bytes())
    code, err, imported = run_list(folder)
    assert code == 0 and err == "" and imported == []


def _edit_summary(project: Path) -> None:
    source = project / "connector" / "operations" / "SendSMS.yaml"
    source.write_text(source.read_text().replace("summary: Send SMS", "summary: Send an SMS", 1))


def _remove_operation(project: Path) -> None:
    (project / "connector" / "operations" / "StopSpeaking.yaml").unlink()


def _hand_edit_definition(project: Path) -> None:
    path = project / "apiDefinition.swagger.json"
    path.write_text(path.read_text().replace('"Send SMS"', '"Send an SMS"'))


def _stray_yml(project: Path) -> None:
    source = project / "connector" / "operations" / "SendSMS.yaml"
    (source.parent / "Extra.yml").write_text(source.read_text())


def _break_a_source(project: Path) -> None:
    source = project / "connector" / "operations" / "GetMessage.yaml"
    source.write_text(source.read_text() + "\n  : [\n")


@pytest.mark.parametrize(("change", "warning"), [
    pytest.param(change, warning, id=change.__name__.strip("_"))
    for change, warning in ((_edit_summary, STALE), (_remove_operation, STALE), (_hand_edit_definition, STALE),
                            (_stray_yml, BROKEN), (_break_a_source, BROKEN))])
def test_a_change_the_stamp_does_not_vouch_for_warns(project, change, warning):
    change(project)
    assert not definition_is_fresh(project)
    code, err, imported = run_list(project)
    assert code == 0 and warning in err, err
    assert "Fix: run `plivo-connector build`" in err or "Run `plivo-connector build`" in err
    assert "scripts.render.artifacts" in imported, "the warning comes from a render, not from the stamp"


def _comment(project: Path) -> None:
    source = project / "connector" / "operations" / "SendSMS.yaml"
    source.write_text("# a comment changes the file, not the definition\n" + source.read_text())


def _no_stamp(project: Path) -> None:
    (project / STAMP).unlink()


def _damaged_stamp(project: Path) -> None:
    (project / STAMP).write_text('{"sources": ')


def _stamp_of_other_sources(project: Path) -> None:
    stamp = json.loads((project / STAMP).read_text())
    stamp["sources"]["connector/operations/SendSMS.yaml"] = "0" * 64
    (project / STAMP).write_text(json.dumps(stamp))


@pytest.mark.parametrize("change", [_comment, _no_stamp, _damaged_stamp, _stamp_of_other_sources],
                         ids=lambda change: change.__name__.strip("_"))
def test_without_the_stamps_word_a_render_decides_and_finds_the_definition_current(project, change):
    change(project)
    assert not definition_is_fresh(project)
    code, err, imported = run_list(project)
    assert code == 0 and err == "", err
    assert "scripts.render.artifacts" in imported


def test_a_byte_order_mark_changes_nothing_the_loader_sees(project):
    source = project / "connector" / "operations" / "SendSMS.yaml"
    source.write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
    assert definition_is_fresh(project)
    assert main(["build", "--check", "--root", str(project)]) == 0


def test_a_source_linked_out_of_the_repository_is_never_read(project, tmp_path, opened):
    source = project / "connector" / "operations" / "SendSMS.yaml"
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(source.read_bytes())  # the very same text: only where it lives differs
    source.unlink()
    source.symlink_to(outside)
    opened.clear()
    assert not definition_is_fresh(project)
    assert opened, "the check opened nothing: this test would prove nothing"
    assert str(source) not in opened and str(outside) not in opened


def test_build_writes_the_stamp_and_check_reports_it_stale(project, capsys):
    stamp = project / STAMP
    stamp.write_text(stamp.read_text().replace('"connector/connector.yaml": "', '"connector/connector.yaml": "0'))
    assert main(["build", "--check", "--root", str(project)]) == 1
    assert f"{STAMP}: out of date" in capsys.readouterr().err
    _edit_summary(project)
    assert main(["build", "--root", str(project)]) == 0
    assert STAMP in capsys.readouterr().out
    assert definition_is_fresh(project)
    code, err, imported = run_list(project)
    assert code == 0 and err == "" and imported == []


def test_a_stamp_linked_out_of_the_repository_is_never_read(project, tmp_path, opened):
    outside = tmp_path / "outside-stamp.json"
    outside.write_bytes((project / STAMP).read_bytes())  # the very stamp: only where it lives differs
    (project / STAMP).unlink()
    (project / STAMP).symlink_to(outside)
    opened.clear()
    assert not definition_is_fresh(project)
    assert str(outside) not in opened and str(project / STAMP) not in opened


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX feature")
def test_a_stamp_that_is_a_fifo_does_not_block_run(project):
    (project / STAMP).unlink()
    os.mkfifo(project / STAMP)  # opening it for reading would wait for a writer forever
    done = subprocess.run([sys.executable, "-c", "import sys; from scripts.render.stamp import definition_is_fresh;"
                           f"sys.exit(definition_is_fresh(__import__('pathlib').Path({str(project)!r})))"],
                          cwd=ROOT, timeout=30, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
