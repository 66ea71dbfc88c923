"""A YAML source may come from anyone: hostile or absurd input is a finding at its line, refused
before it costs time or memory, never a traceback or a hang."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.findings import SourceError
from scripts.sources.yaml_source import MAX_DEPTH, MAX_SOURCE_BYTES, MAX_VALUES, load_yaml_file, load_yaml_text


def findings_of(text: str) -> list[str]:
    with pytest.raises(SourceError) as raised:
        load_yaml_text(text, Path("x.yaml"), "x.yaml")
    return [str(f) for f in raised.value.findings]


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 "lol"']
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_alias_expansion_is_refused_at_the_alias_before_anything_is_expanded():
    # 10^9 values once expanded, from about 600 bytes.
    found = findings_of(billion_laughs())
    assert len(found) == 1
    line = int(found[0].split(":")[1])
    assert found[0].startswith(f"x.yaml:{line}: [SourceLimits] the alias *a")
    assert f"past {MAX_VALUES:,} values" in found[0]
    assert 2 <= line <= 10


def test_a_few_aliases_are_still_fine():
    source = load_yaml_text("base: &b {x: 1}\nuse: *b\nagain: *b\n", Path("x.yaml"), "x.yaml")
    assert source.data == {"base": {"x": 1}, "use": {"x": 1}, "again": {"x": 1}}


def test_an_alias_inside_its_own_anchor_is_refused():
    assert findings_of("a: &loop\n  - x\n  - *loop\n") == [
        "x.yaml:3: [SourceLimits] the alias *loop refers to the anchor that contains it; a source cannot hold itself"]


def test_a_source_over_the_size_limit_is_refused_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as out:  # sparse: 50 MB on paper, nothing on disk
        out.truncate(50 * 1024 * 1024)
    reads = []
    real_open = open

    def counting_open(*args, **kwargs):
        handle = real_open(*args, **kwargs)
        real_read = handle.read
        handle_reads = reads

        class Counted:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                handle.close()

            def fileno(self):
                return handle.fileno()

            def read(self, size=-1):
                data = real_read(size)
                handle_reads.append(len(data))
                return data

        return Counted()

    monkeypatch.setattr("builtins.open", counting_open)
    with pytest.raises(SourceError) as raised:
        load_yaml_file(path, "huge.yaml")
    monkeypatch.undo()
    assert [str(f) for f in raised.value.findings] == [
        f"huge.yaml: [SourceLimits] the file is larger than {MAX_SOURCE_BYTES // 1024} KiB, the limit for one source "
        "(the rendered definition must stay under 1 MB); split it or remove what does not belong in a connector"]
    assert sum(reads) <= MAX_SOURCE_BYTES + 1


@pytest.mark.parametrize(("text", "expected"), [
    ("a: 1\nb: !custom x\n", "x.yaml:2: [YamlSyntax] the tag !custom is not supported; remove it"),
    ("a: !!int abc\n", "x.yaml:1: [YamlSyntax] cannot read 'abc' as !!int"),
    ("a: !!float [1]\n", "x.yaml:1: [YamlSyntax] the tag tag:yaml.org,2002:float is not supported"),
    ("a:\n  b: !thing {c: 1}\n", "x.yaml:2: [YamlSyntax] the tag !thing is not supported"),
    ("a: !!timestamp abc\n", "x.yaml:1: [YamlSyntax] cannot read 'abc' as !!timestamp"),
    ("a: !!bool maybe\n", "x.yaml:1: [YamlSyntax] cannot read 'maybe' as !!bool"),
    ("a: !!float abc\n", "x.yaml:1: [YamlSyntax] cannot read 'abc' as !!float"),
])
def test_scalar_tags_are_findings_not_tracebacks(text, expected):
    found = findings_of(text)
    assert len(found) == 1
    assert found[0].startswith(expected)


def test_a_million_digit_integer_is_a_finding():
    found = findings_of("a: x\nb: " + "7" * 1_000_000 + "\n")
    assert found == ["x.yaml:2: [YamlSyntax] cannot read '7777777777777777777777777777777777777777... "
                     "(1,000,000 characters)' as !!int: the number has too many digits"]


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 990, 5000])
def test_deep_nesting_is_a_finding_not_a_recursion_error(depth):
    found = findings_of("a: " + "[" * depth + "]" * depth + "\n")
    assert len(found) == 1
    assert found[0].startswith("x.yaml:1: [SourceLimits] lists and mappings are nested more than")


def test_deep_block_nesting_is_a_finding_at_the_line_where_it_goes_too_deep():
    text = "".join(" " * level + f"k{level}:\n" for level in range(MAX_DEPTH + 5)) + " " * (MAX_DEPTH + 5) + "x\n"
    found = findings_of(text)
    assert len(found) == 1
    assert found[0].startswith(f"x.yaml:{MAX_DEPTH + 1}: [SourceLimits]")
