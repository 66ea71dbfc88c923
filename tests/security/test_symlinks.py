"""Sources that are symlinks leaving the repository are refused before a byte of them is read."""

from __future__ import annotations

import pytest

from scripts.cli import main

SECRET = "aws_secret_access_key = wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY"


@pytest.fixture
def outside(tmp_path):
    path = tmp_path / "home" / ".aws" / "credentials"
    path.parent.mkdir(parents=True)
    path.write_text(f"[default]\n{SECRET}\n")
    return path


def test_an_operation_symlinked_outside_the_repository_is_refused(project, outside, capsys):
    link = project / "connector" / "operations" / "GetMessage.yaml"
    link.unlink()
    link.symlink_to(outside)
    assert main(["build", "--root", str(project)]) == 2
    err = capsys.readouterr().err
    assert "connector/operations/GetMessage.yaml: [SourceOutsideRepository]" in err
    assert SECRET not in err and "aws_secret" not in err


def test_a_sources_folder_symlinked_outside_the_repository_is_refused(project, outside, capsys):
    elsewhere = outside.parent / "connector"
    (project / "connector").rename(elsewhere)
    (elsewhere / "connector.yaml").write_text(f"title: {SECRET}\n")
    (project / "connector").symlink_to(elsewhere)
    assert main(["build", "--check", "--root", str(project)]) == 2
    err = capsys.readouterr().err
    assert "[SourceOutsideRepository]" in err
    assert SECRET not in err


def test_a_symlink_that_stays_inside_the_repository_is_read(project, capsys):
    operations = project / "connector" / "operations"
    kept = project / "shared" / "GetMessage.yaml"
    kept.parent.mkdir()
    (operations / "GetMessage.yaml").rename(kept)
    (operations / "GetMessage.yaml").symlink_to(kept)
    assert main(["build", "--check", "--root", str(project)]) == 0, capsys.readouterr().err


def test_validate_refuses_a_rendered_file_symlinked_outside_the_folder(project, outside, capsys):
    (project / "apiProperties.json").unlink()
    (project / "apiProperties.json").symlink_to(outside)
    assert main(["validate", str(project)]) == 2
    err = capsys.readouterr().out
    assert "apiProperties.json: error [FileOutsideFolder]" in err
    assert SECRET not in err


def test_build_check_never_diffs_a_rendered_file_linked_outside(project, outside, capsys):
    (project / "apiDefinition.swagger.json").unlink()
    (project / "apiDefinition.swagger.json").symlink_to(outside)
    assert main(["build", "--check", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert "apiDefinition.swagger.json: a symlink to a file outside the repository" in err
    assert SECRET not in err
    assert main(["build", "--root", str(project)]) == 0
    assert not (project / "apiDefinition.swagger.json").is_symlink(), "the build replaces the link"
    assert SECRET in outside.read_text(), "and never writes through it"


def test_a_readme_linked_outside_is_refused(project, outside, capsys):
    outside.write_text(outside.read_text() + (project / "README.md").read_text())
    (project / "README.md").unlink()
    (project / "README.md").symlink_to(outside)
    assert main(["build", "--root", str(project)]) == 2
    err = capsys.readouterr().err
    assert "README.md: [SourceOutsideRepository]" in err
    assert SECRET not in err
    assert (project / "README.md").is_symlink()
