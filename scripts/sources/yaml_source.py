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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..findings import Finding, SourceError

Path_ = tuple[str | int, ...]


@dataclass
class SourceFile:
    path: Path
    display: str  # the path as printed in findings (relative to the project root)
    data: Any
    positions: dict[Path_, int] = field(default_factory=dict)
    coerced: dict[Path_, str] = field(default_factory=dict)

    def line(self, path: Path_) -> int | None:
        """The line of ``path`` or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), 1)


def load_yaml_file(path: Path, display: str) -> SourceFile:
    raw = path.read_bytes()
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
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = error.problem or str(error)
        if error.context:
            problem = f"{problem} ({error.context})"
        if "expected <block end>" in problem or "mapping values are not allowed" in problem:
            problem += "; check the indentation of this line and the lines above it"
        raise SourceError([Finding(display, line, "YamlSyntax", f"YAML syntax error: {problem}")]) from None
    except yaml.YAMLError as error:
        raise SourceError([Finding(display, None, "YamlSyntax", f"YAML error: {error}")]) from None
    if len(nodes) != 1:
        what = "is empty" if not nodes else f"holds {len(nodes)} YAML documents; keep one"
        raise SourceError([Finding(display, 1, "YamlSyntax", f"the file {what}")])
    source = SourceFile(path=path, display=display, data=None)
    builder = _Builder(source)
    source.positions[()] = nodes[0].start_mark.line + 1
    source.data = builder.build(nodes[0], ())
    if builder.findings:
        raise SourceError(builder.findings)
    return source


class _Builder:
    def __init__(self, source: SourceFile):
        self.source = source
        self.findings: list[Finding] = []
        self._constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, child in enumerate(node.value):
                self.source.positions[(*path, index)] = child.start_mark.line + 1
                items.append(self.build(child, (*path, index)))
            return items
        value = self._constructor.construct_object(node, deep=True)
        if node.style is None and not isinstance(value, str) and value is not None:
            self.source.coerced[path] = node.value
        return value

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict:
        result: dict[str, Any] = {}
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
            if key in result:
                first = self.source.positions.get((*path, key))
                self.findings.append(Finding(self.source.display, line, "YamlSyntax",
                                             f"duplicate key '{key}' (first given on line {first}); "
                                             "YAML would silently keep only the last one"))
                continue
            self.source.positions[(*path, key)] = line
            result[key] = self.build(value_node, (*path, key))
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
