"""Shared fixtures: the project root, the rendered artifacts, and throwaway project copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.render.artifacts import render_artifacts
from tests.project import ROOT, copy_project


@pytest.fixture(scope="session")
def rendered():
    return render_artifacts(ROOT)


@pytest.fixture(scope="session")
def swagger(rendered):
    return rendered.swagger


@pytest.fixture(scope="session")
def api_properties(rendered):
    return rendered.properties


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")
