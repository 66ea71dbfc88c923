"""PyYAML and Jinja2's runtime imported with their patterns compiled on first use (scripts/lazy_patterns.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from tests.project import ROOT

# Run in a fresh interpreter: in the test process another package may have imported yaml first.
PROBE = """
import json, re, sys
from scripts.sources.yaml_source import load_yaml_file
import yaml
from pathlib import Path
before = {"reader": "search" in vars(yaml.reader.Reader.NON_PRINTABLE),
          "timestamp": "match" in vars(yaml.constructor.SafeConstructor.timestamp_regexp)}
for path in sorted(Path("connector").rglob("*.yaml")):
    load_yaml_file(path, path.as_posix())
after = {"reader": "search" in vars(yaml.reader.Reader.NON_PRINTABLE),
         "timestamp": "match" in vars(yaml.constructor.SafeConstructor.timestamp_regexp)}
text = "a: 2001-12-14t21:59:43.10-05:00\\nb: 0x1F\\nc: 1_000.5\\nd: off\\ne: ~\\nf: .inf\\ng: 012\\nh: '\\u00e9'\\n"
pure = yaml.load(text, Loader=yaml.SafeLoader)
try:
    yaml.load("a: \\x07", Loader=yaml.SafeLoader)
    unprintable = None
except yaml.YAMLError as error:
    unprintable = str(error)
print(json.dumps({"libyaml": hasattr(yaml, "CSafeLoader"), "before": before, "after": after,
                  "pure": repr(pure), "unprintable": unprintable}))
"""


def _probe() -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_loading_the_sources_with_libyaml_compiles_neither_the_reader_nor_the_constructor_pattern():
    result = _probe()
    assert result["libyaml"], "PyYAML without libyaml: the sources load with the slow pure-Python parser"
    assert result["before"] == {"reader": False, "timestamp": False}
    assert result["after"] == {"reader": False, "timestamp": False}


def test_the_pure_python_loader_still_reads_and_rejects_the_same():
    """The lazy patterns compile when the pure-Python parts use them, with the same results as
    PyYAML imported plainly (this test process may hold either; compare with a plain import)."""
    result = _probe()
    plain = subprocess.run([sys.executable, "-c", PROBE.replace(
        "from scripts.sources.yaml_source import load_yaml_file\n",
        "import yaml\nfrom scripts.sources.yaml_source import load_yaml_file\n").replace(
        'vars(yaml.reader.Reader.NON_PRINTABLE)', '{}').replace(
        'vars(yaml.constructor.SafeConstructor.timestamp_regexp)', '{}')],
        cwd=ROOT, capture_output=True, text=True, check=True)
    expected = json.loads(plain.stdout)
    assert result["pure"] == expected["pure"]
    assert result["unprintable"] == expected["unprintable"] and "special characters are not allowed" in (
        result["unprintable"] or "")


def test_only_the_yaml_package_gets_lazy_patterns():
    from scripts.lazy_patterns import LazyPattern

    pattern = LazyPattern(r"a(b+)", re.IGNORECASE)
    assert "match" not in vars(pattern)
    assert pattern.match("ABB").group(1) == "BB" and pattern.pattern == "a(b+)"
    assert "match" in vars(pattern)  # compiled once, then a plain attribute
    # The import put re.compile back: everyone else compiles as usual.
    assert (re.compile.__module__, re.compile.__qualname__) == ("re", "compile")


def test_jinja2s_runtime_compiles_a_filters_pattern_when_the_filter_runs():
    probe = "\n".join([
        "from scripts.render.jinja_runtime import import_runtime", "import_runtime()",
        "import jinja2.utils, jinja2.filters",
        "before = 'match' in vars(jinja2.utils._http_re), 'split' in vars(jinja2.filters._word_beginning_split_re)",
        "title = jinja2.filters.do_title('hello wide-world')",
        "after = 'split' in vars(jinja2.filters._word_beginning_split_re)",
        "print(before, title, after)"])
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["(False,", "False)", "Hello", "Wide-World", "True"]


def test_two_threads_importing_with_lazy_patterns_leave_re_compile_as_it_was(tmp_path, monkeypatch):
    """Thread A swaps re.compile, then thread B (saving A's swap as "the original"); A restores the
    real one first and B then puts A's back: re.compile would stay swapped for the whole process.
    The packages below force that order when nothing serialises the swaps (each waits a moment for
    the other)."""
    import threading
    import types

    from scripts.lazy_patterns import LazyPattern, import_with_lazy_patterns

    events = types.ModuleType("lazyrace_events")
    events.a_swapped, events.b_swapped, events.a_done = threading.Event(), threading.Event(), threading.Event()
    monkeypatch.setitem(sys.modules, "lazyrace_events", events)
    for name, body in {"lazyrace_a": "ev.a_swapped.set()\nev.b_swapped.wait(0.5)\nP = re.compile('a')\n",
                       "lazyrace_b": "ev.b_swapped.set()\nev.a_done.wait(0.5)\nP = re.compile('b')\n"}.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("import re\nimport lazyrace_events as ev\n" + body)
    monkeypatch.syspath_prepend(str(tmp_path))
    original = re.compile
    modules = {}

    def a():
        modules["a"] = import_with_lazy_patterns("lazyrace_a", "lazyrace_a")
        events.a_done.set()

    def b():
        events.a_swapped.wait(2)
        modules["b"] = import_with_lazy_patterns("lazyrace_b", "lazyrace_b")

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert re.compile is original
        assert isinstance(modules["a"].P, LazyPattern) and isinstance(modules["b"].P, LazyPattern)
    finally:
        re.compile = original
        for name in ("lazyrace_a", "lazyrace_b"):
            sys.modules.pop(name, None)
