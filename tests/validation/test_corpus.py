"""Opt-in: validate Microsoft's certified connectors (not in the default run, which deselects the marker).

    git --git-dir=/work/.mirror/microsoft+PowerPlatformConnectors/repo archive HEAD certified-connectors \\
        | tar -x -C /tmp/corpus
    PLIVO_CORPUS=/tmp/corpus/certified-connectors PLIVO_MS_SCHEMAS=<folder of Microsoft's connector schemas> \\
        pytest -m corpus

Of the connectors Microsoft's own schemas accept, at least 95 % must pass the certification profile,
and no rule may crash on any connector of the corpus. The Swagger 2.0 fast path must agree with
openapi-spec-validator on every definition (needs PLIVO_CORPUS only).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

from tests.project import ROOT

pytestmark = pytest.mark.corpus


def _corpus_module(name: str = "corpus"):
    spec = importlib.util.spec_from_file_location(f"{name}_benchmark", ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _setting(name: str) -> Path:
    value = os.environ.get(name)
    if not value or not Path(value).is_dir():
        pytest.fail(f"{name} must name a folder (see this module's docstring); got {value!r}")
    return Path(value)


@pytest.fixture(scope="module")
def outcomes():
    return _corpus_module().evaluate(_setting("PLIVO_CORPUS"), "certification", _setting("PLIVO_MS_SCHEMAS"))


def test_no_rule_crashes_on_the_corpus(outcomes):
    crashes = [(o.name, f.message) for o in outcomes for f in o.findings if f.severity == "internal"]
    assert crashes == []


def test_at_least_95_percent_of_the_schema_valid_certified_connectors_pass(outcomes):
    counted = [o for o in outcomes if o.schema_ok]
    assert len(counted) >= 100, "the corpus looks incomplete"
    failing = {o.name: sorted({f.rule for f in o.findings if f.severity == "error"}) for o in counted if not o.passed}
    assert len(failing) <= 0.05 * len(counted), failing


def test_the_swagger20_fast_path_agrees_with_openapi_spec_validator_on_every_definition():
    module = _corpus_module("swagger20_paths")
    results = module.run(_setting("PLIVO_CORPUS"))
    assert len(results) >= 100, "the corpus looks incomplete"
    assert sum(r.decided for r in results) >= 0.8 * len(results), "the fast path declines too often to be worth it"
    assert {r.name: r.detail for r in results if not r.agrees} == {}
