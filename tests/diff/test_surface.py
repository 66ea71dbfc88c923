"""Reading a definition's surface: recursive and heavily reused schemas, refs wrapped in allOf."""

from __future__ import annotations

import copy
import time

from scripts.diff.compare import compare
from scripts.diff.surface import read_surface


def _definition(definitions: dict, schema: dict) -> dict:
    return {"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {"/tree": {"get": {
        "operationId": "GetTree", "responses": {"200": {"description": "ok", "schema": schema}}}}},
        "definitions": definitions}


NODE = {"type": "object", "properties": {
    "name": {"type": "string"},
    "children": {"type": "array", "items": {"$ref": "#/definitions/Node"}},
    "parent": {"$ref": "#/definitions/Node"},
    "first": {"$ref": "#/definitions/Node"},
}}


def test_a_recursive_definition_is_listed_once():
    surface = read_surface(_definition({"Node": NODE}, {"$ref": "#/definitions/Node"}))
    outputs = surface.operations["GetTree"].outputs
    assert sorted(outputs) == ["children", "first", "name", "parent"]
    assert outputs["children"].truncated and not outputs["name"].truncated


def test_exponential_reuse_stays_bounded():
    """Each level holds the next one four times: flattened naively that is 4**30 properties."""
    definitions = {f"L{i}": {"type": "object", "properties": {
        k: {"$ref": f"#/definitions/L{i + 1}"} for k in "abcd"}} for i in range(30)}
    definitions["L30"] = {"type": "object", "properties": {"leaf": {"type": "string"}}}
    start = time.perf_counter()
    surface = read_surface(_definition(definitions, {"$ref": "#/definitions/L0"}))
    assert time.perf_counter() - start < 5
    assert 0 < len(surface.operations["GetTree"].outputs) <= 5000 + 4 * 12  # the limit, plus one level's siblings
    assert compare(surface, surface) == []


def test_a_ref_wrapped_in_allof_is_the_same_schema():
    """`{"allOf": [{"$ref": X}]}` and `{"$ref": X}` describe the same property: no change either way."""
    holder = {"type": "object", "properties": {"node": {"$ref": "#/definitions/Node"}}}
    wrapped = copy.deepcopy(holder)
    wrapped["properties"]["node"] = {"description": "The node.", "allOf": [{"$ref": "#/definitions/Node"}]}
    before = read_surface(_definition({"Node": NODE, "Holder": wrapped}, {"$ref": "#/definitions/Holder"}))
    after = read_surface(_definition({"Node": NODE, "Holder": holder}, {"$ref": "#/definitions/Holder"}))
    assert [c for c in compare(before, after) if c.blocks] == []
    assert [c for c in compare(after, before) if c.blocks] == []


def test_odd_input_is_read_as_absent_not_a_crash():
    odd = {"swagger": "2.0", "paths": {"/a": {"get": {"operationId": 5, "parameters": [None, {"name": 3},
           {"$ref": "#/parameters/missing"}], "responses": {"200": {"schema": {"$ref": "http://elsewhere"}}}}},
           "/b": [], "/c": {"post": None}}, "securityDefinitions": [], "definitions": None}
    surface = read_surface(odd, {"properties": {"connectionParameters": {"x": None, "y": {"type": "string"}}}})
    assert list(surface.operations) == ["GET /a"]
    assert list(surface.connection) == ["y"]
