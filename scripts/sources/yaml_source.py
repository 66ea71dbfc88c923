"""Load a YAML source file into plain data while remembering where every value came from.

PyYAML's ``safe_load`` forgets line numbers and silently keeps the last of two duplicate keys;
both matter for clear errors, so this loader builds the data itself from PyYAML's node tree.

- ``positions`` maps a path (tuple of keys and indexes) to the 1-based line of that entry: for a
  mapping entry the line of its key, for a list item the line of the item.
- Mapping keys are always taken as their literal text: ``on:`` or ``200:`` are the strings "on"
  and "200", never a boolean or an int (a YAML 1.1 trap that would otherwise corrupt keys).
- ``coerced`` records plain (unquoted) scalars that YAML 1.1 turned into something other than a
  string (``NO`` -> False, ``on`` -> True, ``1.0`` -> 1.0), so that a type error on one of them
  can explain the trap instead of just saying "wrong type".

The node tree comes from libyaml's composer (``CSafeLoader``) when PyYAML has it: it keeps the
line of every node and is many times faster than the pure-Python one, which is the fallback.

A source may come from anyone (a pull request, a downloaded connector), so the loader bounds
what it does with one before it does it: a file over ``MAX_SOURCE_BYTES`` is refused without
being read whole; anchors and aliases are checked on the event stream first, so an alias that
expands the data past ``MAX_VALUES`` values (the "billion laughs") or refers to itself is refused
at its line before anything is expanded; nesting deeper than ``MAX_DEPTH`` and scalars YAML
cannot turn into a plain value (an unknown tag such as ``!custom``, ``!!int abc``, an integer
too long to convert) are findings at their line, never tracebacks.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..findings import Finding, SourceError
from ..lazy_patterns import import_with_lazy_patterns
from ..sha import sha256  # without hashlib, which loads OpenSSL (~4 ms of start-up)

yaml = import_with_lazy_patterns("yaml", "yaml")  # PyYAML, without compiling at import what libyaml never uses

Path_ = tuple[str | int, ...]

# The rendered definition must stay under 1 MB (rules/limits.py), so no single source needs more.
MAX_SOURCE_BYTES = 1024 * 1024
# Values (scalars, lists, mappings) a file may hold once its aliases are expanded: far above any
# real source (the whole 1 MB definition has fewer), far below what would take seconds to build.
MAX_VALUES = 200_000
# Lists and mappings inside one another: real sources nest about 12 deep. The limit keeps every
# later recursive walk (schema checks, rendering, validation) far from Python's recursion limit.
MAX_DEPTH = 64
LIMITS_RULE = "SourceLimits"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it
# Builds scalars; its state is never used. A constructor alone: a SafeLoader would also make a
# pure-Python reader, whose check of its (empty) input compiles a costly pattern (see lazy_patterns.py).
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_SCALARS = yaml.SafeLoader.yaml_constructors
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_STR = "tag:yaml.org,2002:str"
# Parser messages (PyYAML's and libyaml's wording) that mostly mean a line is indented wrongly.
_INDENTATION_SIGNS = ("expected <block end>", "mapping values are not allowed", "did not find expected key",
                      "did not find expected '-' indicator")


# A plain class, not a @dataclass: this is all it needs, and @dataclass spends ~0.6 ms of every start-up
# compiling methods (equality, repr) that nothing here uses.
class SourceFile:
    def __init__(self, path: Path, display: str, data: Any, positions: dict[Path_, int] | None = None,
                 coerced: dict[Path_, str] | None = None, digest: bytes = b""):
        self.path = path
        self.display = display  # the path as printed in findings (relative to the project root)
        self.data = data
        self.positions: dict[Path_, int] = {} if positions is None else positions
        self.coerced: dict[Path_, str] = {} if coerced is None else coerced
        self.digest = digest  # SHA-256 of the text: what the data, lines and checks of this file depend on

    def __repr__(self) -> str:
        return f"SourceFile({self.display!r})"

    def line(self, path: Path_) -> int | None:
        """The line of ``path`` or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), 1)


def load_yaml_file(path: Path, display: str) -> SourceFile:
    # Read at most one byte past the limit: the size on disk may lie (a FIFO, /dev/zero, a file
    # still growing), and a huge source must be refused without reading it whole.
    with open(path, "rb") as handle:
        # Ask for the size on disk first: read(MAX + 1) would allocate a whole MiB for every small file.
        parts = [handle.read(min(os.fstat(handle.fileno()).st_size, MAX_SOURCE_BYTES) + 1)]
        total = len(parts[0])
        while parts[-1] and total <= MAX_SOURCE_BYTES:
            parts.append(handle.read(min(1 << 16, MAX_SOURCE_BYTES + 1 - total)))
            total += len(parts[-1])
        raw = b"".join(parts)
    if len(raw) > MAX_SOURCE_BYTES:
        raise SourceError([Finding(display, None, LIMITS_RULE,
                                   f"the file is larger than {MAX_SOURCE_BYTES // 1024} KiB, the limit for one "
                                   "source (the rendered definition must stay under 1 MB); split it or remove "
                                   "what does not belong in a connector")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SourceError([Finding(display, line, "YamlSyntax",
                                   f"not UTF-8 text: byte 0x{raw[error.start]:02x} cannot be decoded; "
                                   "save the file as UTF-8")]) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return load_yaml_text(text, path, display)


def load_yaml_text(text: str, path: Path, display: str) -> SourceFile:
    try:
        if "&" in text:  # no anchor, no alias: the check below can only find something after an '&'
            _check_aliases(text, display)
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = error.problem or str(error)
        if error.context:
            problem = f"{problem} ({error.context})"
        if any(sign in problem for sign in _INDENTATION_SIGNS):
            problem += "; check the indentation of this line and the lines above it"
        if "maximum nesting depth" in problem:
            raise SourceError([_too_deep(display, line)]) from None
        raise SourceError([Finding(display, line, "YamlSyntax", f"YAML syntax error: {problem}")]) from None
    except yaml.YAMLError as error:
        raise SourceError([Finding(display, None, "YamlSyntax", f"YAML error: {error}")]) from None
    if len(nodes) != 1:
        what = "is empty" if not nodes else f"holds {len(nodes)} YAML documents; keep one"
        raise SourceError([Finding(display, 1, "YamlSyntax", f"the file {what}")])
    source = SourceFile(path=path, display=display, data=None, digest=sha256(text.encode("utf-8")).digest())
    builder = _Builder(source)
    source.positions[()] = nodes[0].start_mark.line + 1
    source.data = builder.build(nodes[0], (), 0)
    if builder.findings:
        raise SourceError(builder.findings)
    return source


def _check_aliases(text: str, display: str) -> None:
    """Refuse, before anything is expanded, an alias that refers to itself or makes the data too big.

    Counts on the event stream what the data would hold with every alias expanded: each anchor
    remembers the size of what it names, and an alias adds that size where it stands.
    """
    open_counts: list[int] = [0]  # values inside each list/mapping still open (the first: the stream)
    open_anchors: list[str | None] = []
    sizes: dict[str, int] = {}
    total = 0  # == sum(open_counts), kept as it changes
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in open_anchors:
                raise SourceError([Finding(display, event.start_mark.line + 1, LIMITS_RULE,
                                           f"the alias *{event.anchor} refers to the anchor that contains it; a "
                                           "source cannot hold itself")])
            added = sizes.get(event.anchor, 1)
        elif isinstance(event, yaml.ScalarEvent):
            added = 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            open_counts.append(1)
            open_anchors.append(event.anchor)
            total += 1
            continue
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            size = open_counts.pop()
            anchor = open_anchors.pop()
            if anchor is not None:
                sizes[anchor] = size
            open_counts[-1] += size  # moves into the parent: the total does not change
            continue
        else:
            continue
        open_counts[-1] += added
        total += added
        if total > MAX_VALUES:
            what = f"the alias *{event.anchor}" if isinstance(event, yaml.AliasEvent) else "this value"
            raise SourceError([Finding(display, event.start_mark.line + 1, LIMITS_RULE,
                                       f"{what} takes the file past {MAX_VALUES:,} values once its aliases are "
                                       "expanded (an alias repeats everything its anchor names); write the "
                                       "values out or use fewer aliases")])


def _too_deep(display: str, line: int | None) -> Finding:
    return Finding(display, line, LIMITS_RULE, f"lists and mappings are nested more than {MAX_DEPTH} deep here; "
                                               "no connector source needs that")


class _Builder:
    def __init__(self, source: SourceFile):
        self.source = source
        self.findings: list[Finding] = []

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        if node.tag == _STR and type(node) is yaml.ScalarNode:
            return node.value  # most values: what SafeConstructor's construct_yaml_str returns, without the call
        if not isinstance(node, yaml.ScalarNode):
            if node.tag not in _COLLECTION_TAGS:
                self.findings.append(Finding(self.source.display, node.start_mark.line + 1, "YamlSyntax",
                                             f"the tag {node.tag} is not supported; remove it"))
                return None
            if depth >= MAX_DEPTH:
                if not any(f.rule == LIMITS_RULE for f in self.findings):  # one finding, not one per level
                    self.findings.append(_too_deep(self.source.display, node.start_mark.line + 1))
                return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            items = []
            positions = self.source.positions
            for index, child in enumerate(node.value):
                here = (*path, index)
                positions[here] = child.start_mark.line + 1
                items.append(self.build(child, here, depth + 1))
            return items
        value = self._scalar(node)
        # A plain scalar has style None from PyYAML's composer and '' from libyaml's.
        if not node.style and not isinstance(value, str) and value is not None:
            self.source.coerced[path] = node.value
        return value

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        line = node.start_mark.line + 1
        construct = _SCALARS.get(node.tag)
        if construct is None or node.tag in _COLLECTION_TAGS:
            self.findings.append(Finding(self.source.display, line, "YamlSyntax",
                                         f"the tag {node.tag} is not supported; remove it (write a quoted "
                                         "string if the value is text)"))
            return None
        try:
            return construct(_CONSTRUCTOR, node)
        except Exception as error:  # PyYAML's constructors raise anything on junk (!!timestamp abc)
            shown = node.value if len(node.value) <= 40 else f"{node.value[:40]}... ({len(node.value):,} characters)"
            if isinstance(error, ValueError) and "digits" in str(error):
                reason = "the number has too many digits"
            else:
                reason = str(getattr(error, "problem", None) or error).splitlines()[0]
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.findings.append(Finding(self.source.display, line, "YamlSyntax",
                                         f"cannot read {shown!r} as {tag}: {reason}"))
            return None

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict:
        result: dict[str, Any] = {}
        positions = self.source.positions
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.findings.append(Finding(self.source.display, line, "YamlSyntax",
                                             "a mapping key must be plain text, not a list or mapping"))
                continue
            key = key_node.value
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.findings.append(Finding(self.source.display, line, "YamlSyntax",
                                             "merge keys ('<<') are not supported; write the keys out"))
                continue
            here = (*path, key)
            if key in result:
                first = positions.get(here)
                self.findings.append(Finding(self.source.display, line, "YamlSyntax",
                                             f"duplicate key '{key}' (first given on line {first}); "
                                             "YAML would silently keep only the last one"))
                continue
            positions[here] = line
            result[key] = self.build(value_node, here, depth + 1)
        return result


def describe_coercion(text: str, value: Any) -> str:
    """Explain how YAML 1.1 read an unquoted scalar, and how to keep it as text."""
    kind = "boolean" if isinstance(value, bool) else "number" if isinstance(value, int | float) else (
        type(value).__name__)
    shown = str(value).lower() if isinstance(value, bool) else repr(value)
    return (f"the unquoted value {text} is read by YAML as the {kind} {shown}, not as text; "
            f"write it in quotes (\"{text}\") to keep it as a string")


def dotted_path(path: tuple) -> str:
    """A path as a user reads it: parameters[0].summary."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
