"""dump_json writes exactly what json.dumps(indent=2, ensure_ascii=False) writes, plus a final newline."""

from __future__ import annotations

import enum
import json
import math

import pytest

from scripts.render.jsonfmt import dump_json

from .project import ROOT


def reference(document) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@pytest.mark.parametrize("name", ["apiDefinition.swagger.json", "apiProperties.json"])
def test_the_rendered_files(name: str) -> None:
    document = json.loads((ROOT / name).read_text("utf-8"))
    assert dump_json(document) == reference(document) == (ROOT / name).read_bytes()


class Colour(enum.StrEnum):
    GREEN = "green"


@pytest.mark.parametrize("document", [
    {}, [], "", 0, None, True, {"a": {}, "b": [], "c": [[], {}], "d": [{}]},
    {"text": "é ü 中文 \u2028 \x00 \x1f \" \\ / \t\n", "emoji": "🙂", "\u00e9key": 1},
    {"numbers": [0, -1, 10**30, 1.5, -0.0, 1e300, 2.5e-10, 3.0], "flags": [True, False, None, 1, 0]},
    [[[["deep"]]], {"x": [{"y": [1, {"z": []}]}]}],
    # left to json.dumps, which writes them its own way or raises
    {1: "int key", None: "null key", 2.5: "float key", False: "bool key"},
    {"nan": math.nan, "inf": math.inf, "-inf": -math.inf},
    {"tuple": (1, 2), "enum": Colour.GREEN, "bool subclass of int": [True]},
])
def test_same_bytes_as_json_dumps(document) -> None:
    assert dump_json(document) == reference(document)


def test_what_json_cannot_write_fails_as_in_json() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        dump_json({"set": {1, 2}})
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        dump_json(loop)
