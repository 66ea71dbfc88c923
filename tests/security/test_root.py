"""The commands find the repository upward from the current folder, like git, or say they are not in one."""

from __future__ import annotations

import pytest

from scripts.cli import main

OUTSIDE = "not inside a connector repository"


@pytest.mark.parametrize("argv", [["build", "--check"], ["validate"], ["run", "--list"]])
def test_commands_work_from_a_folder_deep_inside_the_repository(project, monkeypatch, capsys, argv):
    monkeypatch.chdir(project / "connector" / "operations")
    assert main(argv) == 0, capsys.readouterr().err


def test_build_writes_at_the_root_when_run_from_a_subfolder(project, monkeypatch, capsys):
    (project / "apiProperties.json").unlink()
    monkeypatch.chdir(project / "connector")
    assert main(["build"]) == 0, capsys.readouterr().err
    assert (project / "apiProperties.json").is_file()
    assert not (project / "connector" / "apiProperties.json").exists()


@pytest.mark.parametrize("argv", [["build"], ["build", "--check"], ["validate"], ["run", "--list"],
                                  ["mock", "--port", "0"], ["contract"], ["new-operation", "GetThing"],
                                  ["package"]])
def test_outside_a_repository_the_commands_say_so(tmp_path, monkeypatch, capsys, argv):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert OUTSIDE in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == [], "nothing is written outside a repository"


def test_a_folder_with_rendered_files_only_can_be_validated_in_place(project, monkeypatch, capsys):
    import shutil

    shutil.rmtree(project / "connector")
    monkeypatch.chdir(project)
    assert main(["validate"]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("argv", [["build"], ["build", "--check"], ["run", "--list"], ["mock", "--port", "0"],
                                  ["contract"], ["new-operation", "GetThing"], ["package"]])
def test_root_on_a_missing_folder_says_so(tmp_path, capsys, argv):
    missing = tmp_path / "nowhere"
    assert main([*argv, "--root", str(missing)]) == 2
    err = capsys.readouterr().err
    assert f"--root {missing}: no such folder" in err and "Traceback" not in err


def test_a_folder_with_rendered_files_inside_a_repository_is_validated_itself(project, monkeypatch, capsys):
    inner = project / "downloads" / "other"
    inner.mkdir(parents=True)
    for name in ("apiDefinition.swagger.json", "apiProperties.json"):
        (inner / name).write_text((project / name).read_text().replace('"Plivo"', '"Plivo API"', 1))
    monkeypatch.chdir(inner)
    assert main(["validate", "--fail-on", "warning"]) == 1  # a title with "API" is a certification warning
    assert "warning [TitleFormat]" in capsys.readouterr().out
