"""What a cold `build --check` imports: only what it uses (issue 9: under 0.3 s, measured by
benchmarks/cli_times.py). Each module below was once on its path and cost milliseconds there."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.project import ROOT

NOT_IMPORTED = {
    "openapi_spec_validator": "the Swagger 2.0 fast path decides this connector without it",
    "jsonschema": "jsonschema-rs answers 'valid'; jsonschema only explains a broken source",
    "jinja2.environment": "stored template code runs with Jinja2's runtime alone (jinja_runtime.py)",
    "jinja2.compiler": "idem",
    "dataclasses": "records are NamedTuples or plain classes (~1 ms of start-up per dataclass)",
    "hashlib": "OpenSSL (~4 ms): the C SHA-256/SHA-1 do the hashing of a cold run",
    "tempfile": "only writing needs it, and --check writes nothing",
    "difflib": "only a finding's suggestion or a stale file's diff needs it",
    "importlib.resources": "the source schema is read beside its module",
    "traceback": "only a crashed rule needs it",
}


def test_a_cold_build_check_imports_only_what_it_uses():
    code = "\n".join([
        "import json, sys", "from scripts.cli import main",
        "code = main(['build', '--check', '-q'])",
        f"print(json.dumps([code, sorted(m for m in {sorted(NOT_IMPORTED)!r} if m in sys.modules)]))"])
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                          env={**os.environ, "PLIVO_CONNECTOR_CACHE": "off"})
    status, loaded = json.loads(done.stdout.splitlines()[-1])
    assert status == 0
    assert loaded == [], "\n".join(f"{name}: {NOT_IMPORTED[name]}" for name in loaded)


def test_the_executable_turns_the_collector_off_for_short_commands_only():
    """console() (the plivo-connector executable): gc off while build runs and frozen at exit; a
    long-running command (run, mock, contract) keeps it on. main(), which the tests call, leaves it."""
    probe = "\n".join([
        "import gc, sys", "from scripts import cli",
        "seen = []",
        "def handler(args):", "    seen.append(gc.isenabled())", "    return 0",
        "real = cli.importlib.import_module",
        "def fake(name):",
        "    module = real(name)",
        "    class Shim:",
        "        add_arguments = staticmethod(module.add_arguments)",
        "        run = staticmethod(handler)",
        "    return Shim",
        "cli.importlib.import_module = fake",
        "sys.argv = ['plivo-connector', sys.argv[1], '--root', '.']",
        "code = cli.console()",
        "print(seen[0], gc.isenabled(), gc.get_freeze_count() > 0)"])
    results = {}
    for command in ("build", "run"):
        done = subprocess.run([sys.executable, "-c", probe, command], cwd=ROOT, capture_output=True, text=True,
                              check=True)
        results[command] = done.stdout.split()
    assert results["build"] == ["False", "False", "True"]  # off while running, frozen at exit
    assert results["run"] == ["True", "True", "False"]


def test_a_cold_build_check_needs_no_hashlib_where_sha256_lives_in__sha2():
    """CPython 3.12 merged ``_sha256`` into ``_sha2`` (requires-python allows it): simulated here by
    hiding ``_sha256`` and offering its module as ``_sha2``. The C SHA-256 must still be found."""
    code = "\n".join([
        "import json, sys",
        "try:", "    import _sha256 as c_sha256", "except ImportError:", "    import _sha2 as c_sha256",
        "sys.modules['_sha256'] = None", "sys.modules['_sha2'] = c_sha256",
        "from scripts.cli import main",
        "code = main(['build', '--check', '-q'])",
        "print(json.dumps([code, 'hashlib' in sys.modules]))"])
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                          env={**os.environ, "PLIVO_CONNECTOR_CACHE": "off"})
    assert json.loads(done.stdout.splitlines()[-1]) == [0, False]
