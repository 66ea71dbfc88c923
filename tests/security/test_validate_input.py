"""`validate` on odd or hostile folders: a finding or a clear message with exit 2, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from scripts.cli import main
from tests.project import ROOT

SWAGGER = "apiDefinition.swagger.json"


def validate(capsys, *argv) -> tuple[int, str]:
    code = main(["validate", *map(str, argv)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def test_a_definition_file_instead_of_a_folder_is_validated_with_its_neighbours(project, capsys):
    code, text = validate(capsys, project / SWAGGER)
    assert code == 0, text


def test_a_file_that_is_no_definition_is_a_finding(project, capsys):
    code, text = validate(capsys, project / "icon.png")
    assert code == 2
    assert f"{project / 'icon.png'}: error [FileEncoding] not valid UTF-8 JSON" in text


def test_a_folder_that_does_not_exist(tmp_path, capsys):
    code, text = validate(capsys, tmp_path / "nowhere")
    assert code == 2 and "does not exist" in text


def test_an_icon_that_is_a_directory(project, capsys):
    (project / "icon.png").unlink()
    (project / "icon.png").mkdir()
    code, text = validate(capsys, project)
    assert code == 0, "the icon is optional for paconn and pac"
    code, text = validate(capsys, project, "--profile", "house")  # the build's own rule wants one
    assert code == 1 and "error [IconFormat] icon.png is missing" in text


def test_a_definition_that_is_a_directory(project, capsys):
    (project / SWAGGER).unlink()
    (project / SWAGGER).mkdir()
    code, text = validate(capsys, project)
    assert code == 2
    assert f"{SWAGGER}: error [FileShape] is a directory, not a file" in text


@pytest.mark.parametrize("depth", [200, 5_000, 200_000])
def test_deep_nesting_is_a_finding(project, capsys, depth):
    document = json.loads((project / SWAGGER).read_text())
    text = json.dumps(document)[:-1] + ', "x-deep": ' + "[" * depth + "]" * depth + "}"
    (project / SWAGGER).write_text(text)
    code, out = validate(capsys, project)
    assert code == 2
    assert f"{SWAGGER}:1: error [JsonTooDeep] nested more than 100 levels deep" in out


def test_duplicate_keys_are_findings_with_their_line(project, capsys):
    path = project / "apiProperties.json"
    lines = path.read_text().splitlines()
    # A second "properties" key at the top: most readers keep the last one silently.
    lines.insert(1, '  "properties": {},')
    path.write_text("\n".join(lines) + "\n")
    code, out = validate(capsys, project)
    assert code == 2
    assert ("apiProperties.json:3: error [DuplicateKey] key 'properties' appears twice in the same object "
            "(first on line 2)") in out


def test_duplicate_keys_deep_inside_are_located(project, capsys):
    path = project / SWAGGER
    text = path.read_text()
    needle = '"operationId": "SendSMS",'
    assert needle in text
    path.write_text(text.replace(needle, needle + ' "operationId": "SendSms",', 1))
    line = next(n for n, row in enumerate(path.read_text().splitlines(), 1) if '"SendSms"' in row)
    code, out = validate(capsys, project)
    assert code == 2
    assert f"{SWAGGER}:{line}: error [DuplicateKey] key 'operationId' appears twice" in out


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_findings(project, capsys, constant):
    path = project / SWAGGER
    lines = path.read_text().splitlines()
    lines.insert(1, f'  "x-number": {constant},')
    path.write_text("\n".join(lines) + "\n")
    code, out = validate(capsys, project)
    assert code == 2
    assert f"{SWAGGER}:2: error [JsonConstant] {constant} is not JSON" in out


def test_the_committed_folder_is_still_valid(capsys):
    code, out = validate(capsys, ROOT)
    assert code == 0, out


def test_output_piped_into_head_exits_quietly_with_141(project, tmp_path):
    """`plivo-connector run --list | head -1`: the reader goes away; no BrokenPipeError traceback,
    the exit code a shell shows for a program stopped by SIGPIPE (128 + 13)."""
    document = json.loads((project / SWAGGER).read_text())
    path, item = next((p, i) for p, i in document["paths"].items() if "get" in i)
    for number in range(2000):  # enough output to overflow the pipe buffer
        copy = json.loads(json.dumps(item))
        copy["get"]["operationId"] = f"Copy{number}"
        document["paths"][f"/copy{number}{path}"] = copy
    (project / SWAGGER).write_text(json.dumps(document))
    err = tmp_path / "stderr"
    done = subprocess.run(["bash", "-c", f"{sys.executable} -m scripts.cli run --list --root {project} 2>{err} "
                           "| head -1; echo ${PIPESTATUS[0]}"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    first, code = done.stdout.splitlines()
    assert first.startswith("Actions")
    assert code == "141", (code, err.read_text())
    assert "Traceback" not in err.read_text() and "BrokenPipe" not in err.read_text()


@pytest.mark.parametrize("argv", [["run", "--list"], ["contract", "--max-examples", "1"]])
def test_a_deeply_nested_definition_is_a_message_for_the_other_commands(project, capsys, argv):
    path = project / SWAGGER
    path.write_text(json.dumps(json.loads(path.read_text()))[:-1] + ', "x-deep": ' + "[" * 100_000
                    + "]" * 100_000 + "}")
    assert main([*argv, "--root", str(project)]) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert "nested too deeply" in err or "cannot read" in err
