"""The content-hash cache: a warm cache gives exactly what a cold one does, and only for the same inputs."""

from __future__ import annotations

import json

import pytest

from scripts.cache import FOLDER, NO_CACHE, Cache
from scripts.cli import main
from scripts.findings import SourceError
from scripts.render.artifacts import render_artifacts
from tests.project import copy_project


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def test_a_warm_build_renders_the_same_bytes_as_an_uncached_one(project, monkeypatch):
    cold = render_artifacts(project, NO_CACHE).files
    render_artifacts(project)  # fills the cache
    assert (project / FOLDER / ".gitignore").read_text().endswith("*\n")

    def no_rendering(*args):
        raise AssertionError("the cached icon should have been used")

    monkeypatch.setattr("scripts.render.icon.render_icon", no_rendering)
    assert render_artifacts(project).files == cold


def test_an_edited_source_is_checked_again(project):
    render_artifacts(project)
    operation = project / "connector" / "operations" / "GetMessage.yaml"
    operation.write_text(operation.read_text().replace("summary: Get message", "sumary: Get message"))
    with pytest.raises(SourceError) as raised:
        render_artifacts(project)
    assert any("did you mean 'summary'" in str(f) for f in raised.value.findings)


def test_damaged_entries_are_misses(project):
    expected = render_artifacts(project, NO_CACHE).files
    render_artifacts(project)
    for entry in (project / FOLDER).iterdir():
        if entry.name != ".gitignore":
            entry.write_bytes(b"\x00not what was stored")
    assert render_artifacts(project).files == expected


def test_validate_reports_the_same_findings_cold_and_warm(project, monkeypatch, capsys):
    definition = project / "apiDefinition.swagger.json"
    swagger = json.loads(definition.read_text())
    swagger["info"]["title"] = ""
    del swagger["paths"][next(iter(swagger["paths"]))]
    definition.write_text(json.dumps(swagger, indent=2))
    monkeypatch.chdir(project)
    runs = []
    for _ in range(2):
        assert main(["validate", str(project), "--fail-on", "warning"]) == 1
        runs.append(capsys.readouterr().out)
    assert runs[0] == runs[1]
    assert "warning [TitleFormat] info.title is missing" in runs[0]
    assert any(p.name.startswith("validation-") for p in (project / FOLDER).iterdir())


def test_the_cache_can_be_switched_off(project, monkeypatch):
    monkeypatch.setenv("PLIVO_CONNECTOR_CACHE", "off")
    assert Cache.under(project).folder is None
    assert main(["build", "--check", "--root", str(project)]) == 0
    assert not (project / FOLDER).exists()


def test_the_mock_reads_its_throttling_from_the_cache_only_while_no_source_changed(project):
    from scripts.sources.load import load_sources
    from scripts.sources.throttling import load_throttling

    cache = Cache.under(project)
    expected = load_sources(project).throttling
    assert load_throttling(project, cache) == expected  # cold
    assert load_throttling(project, cache) == expected  # warm
    connector = project / "connector" / "connector.yaml"
    connector.write_text(connector.read_text().replace("calls: 100", "calls: 7"))
    assert load_throttling(project, cache)["calls"] == 7
    connector.write_text(connector.read_text().replace("calls: 7", "calls: many"))
    with pytest.raises(SourceError):
        load_throttling(project, cache)


def test_what_a_killed_run_left_half_written_is_removed(project):
    render_artifacts(project)
    leftover = project / FOLDER / ".abc123.tmp"
    leftover.write_bytes(b"half")
    Cache.under(project)
    assert not leftover.exists()


def test_no_cache_spends_nothing_on_keys(monkeypatch):
    """CI runs without a cache: a key is never looked at then, so no fingerprint of scripts/ is taken."""
    def fingerprint():
        raise AssertionError("the code fingerprint was computed with caching off")

    monkeypatch.setattr("scripts.cache.code_fingerprint", fingerprint)
    cache = Cache(None)
    key = cache.key("icon", "#1f8f5a")
    cache.put(key, b"data")
    assert cache.get(key) is None
