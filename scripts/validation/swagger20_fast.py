"""openapi-spec-validator's Swagger 2.0 verdict, reached without importing it when the answer is sure.

Importing openapi-spec-validator (pydantic-settings, requests, jsonschema-path) and walking a large
definition through jsonschema-path's lazy $ref resolution is most of a cold ``validate``. This module
gives the same answer for the common case, a document that is valid or whose only findings are
default values that do not match their schema (certified connectors are full of ``"false"`` for a
boolean), at a fraction of the cost:

1. the document against openapi-spec-validator's own Swagger 2.0 JSON schema (read from its package
   folder, not copied), with the same validator it uses for that step: jsonschema-rs, already a
   dependency;
2. a replica of its semantic walk (openapi_spec_validator/validation/keywords.py, 0.9): tags,
   paths, parameters, responses and the schemas reachable from them, in the same order and with the
   same de-duplication by object identity, so that a default value reached through two $refs is
   reported once, at the same pointer, as the validator reports it. A root schema that breaks the
   draft 4 meta-schema gets the validator's own error, computed with Python's jsonschema as it does;
   if the caller forgives it (swagger20.py forgives a ``type: file`` schema), the walk goes on as
   the validator's does, else the answer is ``None``;
3. default values checked the way its OAS 3.0 value validator checks them (type and nullable, enum,
   format, minimum/maximum, min/maxLength, pattern, items, properties, required, additionalProperties,
   min/maxItems, uniqueItems, min/maxProperties, allOf, $ref), with the same messages and paths (a
   format jsonschema itself checks, such as date-time, is asked of jsonschema).

Whenever the replica meets anything it does not model exactly (an error of any kind besides a
default value, a $ref it cannot follow, a keyword on a default it does not implement such as
anyOf or multipleOf, errors the validator would order as a set, a document nested deeper than it
walks), it answers ``None`` and the caller runs openapi-spec-validator itself,
so messages and locations of every real problem stay the validator's own. The replica never
resolves anything but a JSON pointer inside the document: no file, no URL (issue 11).
tests/validation/test_swagger20_fast.py runs both over one fixture per kind of mistake; the corpus
test compares them over Microsoft's certified connectors.
"""

from __future__ import annotations

import base64
import binascii
import json
import numbers
import os
import re
import string
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any
from urllib.parse import unquote

DEFAULT = "default"
# What openapi-spec-validator reads as operations in a Swagger 2.0 path item (PathValidator.OPERATIONS).
OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Deeper schemas go to the validator itself: its recursion (and its RecursionError) is not modelled.
MAX_DEPTH = 24
# The validator's environment switch for step 1; any value but these makes it use another engine.
BACKEND_SWITCH = "OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND"
SAME_BACKEND = ("", "auto", "jsonschema-rs")
# Draft 4 meta-schema keywords whose value must be an integer: Python's jsonschema rejects 10.0 there,
# jsonschema-rs may not, so a float in one of them is not decided here.
INTEGER_KEYWORDS = frozenset({"maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties"})
UNIQUE_KEYWORDS = ("enum", "required", "type")  # arrays the meta-schema wants unique, by jsonschema's equality
POINTER_INDEX = re.compile(r"0|[1-9][0-9]*")

# Keywords of openapi-schema-validator's OAS 3.0 value validator, by what they apply to. Any other key
# of a schema (description, x-ms-*, name, in, collectionFormat...) is not a keyword there and is ignored.
NUMBER_ONLY = frozenset({"multipleOf"})
ARRAY_ONLY = frozenset({"maxItems", "minItems", "uniqueItems", "items"})
OBJECT_ONLY = frozenset({"maxProperties", "minProperties", "required", "properties", "additionalProperties"})
ALWAYS_UNSURE = frozenset({"anyOf", "oneOf", "not"})
# Every format jsonschema (4.x) can register on its FormatChecker, whether or not its optional package
# is installed here; tests/validation/test_swagger20_fast.py fails when a new jsonschema adds one.
JSONSCHEMA_FORMATS = frozenset({
    "email", "idn-email", "hostname", "idn-hostname", "ipv4", "ipv6", "uri", "uri-reference", "iri",
    "iri-reference", "date-time", "time", "date", "regex", "json-pointer", "relative-json-pointer",
    "uri-template", "duration", "uuid", "color",
})
NO_OPS = frozenset({"discriminator", "readOnly", "writeOnly", "xml", "externalDocs", "example", "deprecated"})


class Unsure(Exception):
    """The replica does not model this case exactly: the caller asks openapi-spec-validator."""


def fast_findings(swagger: Any, forgiven=None) -> list[tuple[tuple, str]] | None:
    """openapi-spec-validator's errors on ``swagger``, when the only ones are default values that do not
    match their schema, as (pointer of the default, the validator's message) in its order; ``None``
    when only the validator itself can say. ``forgiven(error)`` tells a meta-schema error of a schema
    the caller drops anyway (swagger20.py: a ``type: file`` schema); without it, any such error makes
    the answer ``None``."""
    return decide(swagger, forgiven)[0]


def decide(swagger: Any, forgiven=None) -> tuple[list[tuple[tuple, str]] | None, str]:
    """``fast_findings`` and, when it is ``None``, why (for benchmarks/swagger20_paths.py)."""
    if os.environ.get(BACKEND_SWITCH, "").strip().lower() not in SAME_BACKEND:
        return None, f"{BACKEND_SWITCH} selects another engine"
    if not _replicated_versions_installed():
        return None, "openapi-spec-validator or openapi-schema-validator is not the version the replica copies"
    try:
        if not _document_validator().is_valid(swagger):
            return None, "the document breaks the Swagger 2.0 schema"  # the validator words it
        return _Walk(swagger, forgiven).run(), ""
    except Unsure as unsure:
        return None, str(unsure)
    except RecursionError:
        return None, "RecursionError"
    except Exception as error:  # anything the replica did not foresee: the validator decides, never a guess
        return None, f"{type(error).__name__}: {error}"


# The versions whose behaviour the replica copies (keywords.py, the OAS 3.0 value validator). With any
# other installed, the fast path declines every document: slower, never different.
REPLICATED = {"openapi_spec_validator": "0.9.", "openapi_schema_validator": "0.9."}
VERSION = re.compile(r'^__version__ = "([^"]+)"', re.MULTILINE)


@cache
def _replicated_versions_installed() -> bool:
    for package, prefix in REPLICATED.items():
        spec = find_spec(package)  # finds the package without importing it
        if spec is None or spec.origin is None:
            return False
        found = VERSION.search(Path(spec.origin).read_text(encoding="utf-8"))
        if found is None or not found.group(1).startswith(prefix):
            return False
    return True


@cache
def _document_validator():
    import jsonschema_rs

    schema = json.loads(_v2_schema_path().read_text(encoding="utf-8"))
    # The same class and options openapi-spec-validator's jsonschema-rs backend uses, plus a retriever
    # that refuses: the schema's only remote $ref (the draft 4 meta-schema) is built into jsonschema-rs.
    return jsonschema_rs.validator_cls_for(schema)(schema, retriever=_refuse)


@cache
def _meta_validator():
    import jsonschema_rs

    # openapi-schema-validator's check_schema: the draft 4 meta-schema; only its "regex" format is
    # checked there (with Python's re), which _meta_ok does itself.
    return jsonschema_rs.Draft4Validator({"$ref": "http://json-schema.org/draft-04/schema#"},
                                         validate_formats=False, retriever=_refuse)


def _refuse(uri: str):
    raise ValueError(f"{uri} refused: the fast path resolves nothing outside the document")


def _v2_schema_path() -> Path:
    spec = find_spec("openapi_spec_validator")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise Unsure("openapi-spec-validator is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "schemas" / "v2.0" / "schema.json"


class _Walk:
    def __init__(self, document: dict, forgiven=None) -> None:
        self.document = document
        self.forgiven = forgiven
        self.meta_checked: set[int] = set()
        self.visited: set[int] = set()
        self.operation_ids: set = set()
        self.errors: list[tuple[tuple, str]] = []

    # --- jsonschema-path's view of the document: every node read through its $refs -----------------

    def resolve(self, node: Any) -> Any:
        for _ in range(64):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return node
            node = self.lookup(node["$ref"])
        raise Unsure("a $ref chain that does not end")

    def lookup(self, ref: str) -> Any:
        # referencing's Resolver.lookup with base URI "" and Resource.pointer, for "#" and "#/..." only.
        if not ref.startswith("#"):
            raise Unsure(f"$ref {ref!r} leaves the document")
        fragment = ref[1:]
        if not fragment:
            return self.document
        if not fragment.startswith("/"):
            raise Unsure(f"$ref {ref!r} names an anchor")
        contents: Any = self.document
        for segment in unquote(fragment[1:]).split("/"):
            if isinstance(contents, list):
                if not POINTER_INDEX.fullmatch(segment):
                    raise Unsure(f"$ref {ref!r}: {segment!r} as a list index")
                index = int(segment)
                if index >= len(contents):
                    raise Unsure(f"$ref {ref!r} points at nothing")
                contents = contents[index]
            elif isinstance(contents, dict):
                key = segment.replace("~1", "/").replace("~0", "~")
                if key not in contents:
                    raise Unsure(f"$ref {ref!r} points at nothing")
                contents = contents[key]
            else:
                raise Unsure(f"$ref {ref!r} goes through a scalar")
            if isinstance(contents, dict) and "$id" in contents:
                raise Unsure("a $ref through a schema with its own $id (a new base URI)")
        return contents

    def child(self, node: dict, key: Any) -> Any:
        return self.resolve(node[key])

    def container(self, node: Any, kind: type) -> Any:
        value = self.resolve(node)
        if not isinstance(value, kind):
            raise Unsure(f"expected a {kind.__name__}")
        return value

    # --- keywords.py: RootValidator and below ------------------------------------------------------

    def run(self) -> list[tuple[tuple, str]]:
        spec = self.container(self.document, dict)
        if "components" in spec:
            raise Unsure("components in a Swagger 2.0 document")
        if "tags" in spec:
            seen = set()
            for tag in self.container(spec["tags"], list):
                name = self.child(self.container(tag, dict), "name")
                if not isinstance(name, str) or name in seen:
                    raise Unsure("a tag without a name, or a duplicate tag")
                seen.add(name)
        if "paths" in spec:
            for url, item in self.container(spec["paths"], dict).items():
                self.path(url, self.container(item, dict))
        return self.errors

    def path(self, url: str, item: dict) -> None:
        parts = ("paths", url)
        parameters = None
        if "parameters" in item:
            parameters = self.container(item["parameters"], list)
            self.parameters(parameters, (*parts, "parameters"))
        for name, operation in item.items():
            if name in OPERATIONS:
                self.operation(url, name, self.container(operation, dict), parameters, (*parts, name))

    def operation(self, url: str, name: str, operation: dict, path_parameters: list | None, parts: tuple) -> None:
        if "operationId" in operation:
            operation_id = self.child(operation, "operationId")
            if operation_id is not None:
                if not isinstance(operation_id, str) or operation_id in self.operation_ids:
                    raise Unsure("a duplicate operationId")
                self.operation_ids.add(operation_id)
        if "responses" in operation:
            for code, response in self.container(operation["responses"], dict).items():
                response = self.resolve(response)
                if isinstance(response, dict) and "schema" in response:
                    self.schema(response["schema"], (*parts, "responses", code, "schema"))
        names = []
        if "parameters" in operation:
            parameters = self.container(operation["parameters"], list)
            self.parameters(parameters, (*parts, "parameters"))
            names += self.path_parameter_names(parameters)
        if path_parameters is not None:
            names += self.path_parameter_names(path_parameters)
        in_url = {field for _, field, _, _ in string.Formatter().parse(url) if field}
        if set(names) != in_url:
            raise Unsure("a path parameter not declared, or declared but not in the path")

    def path_parameter_names(self, parameters: list) -> list[str]:
        names = []
        for parameter in parameters:
            parameter = self.container(parameter, dict)
            where, name = self.child(parameter, "in"), self.child(parameter, "name")
            if not isinstance(where, str) or not isinstance(name, str):
                raise Unsure("a parameter without a string name or in")
            if where == "path":
                names.append(name)
        return names

    def parameters(self, parameters: list, parts: tuple) -> None:
        seen = set()
        for index, parameter in enumerate(parameters):
            parameter = self.container(parameter, dict)
            if "schema" in parameter:
                self.schema(parameter["schema"], (*parts, index, "schema"))
            if DEFAULT in parameter:
                self.default(parameter, self.child(parameter, DEFAULT), (*parts, index))
            name, where = parameter.get("name"), parameter.get("in")
            if not isinstance(name, str) or not isinstance(where, str) or (name, where) in seen:
                raise Unsure("a duplicate parameter, or one without a string name or in")
            seen.add((name, where))

    # --- SchemaValidator ---------------------------------------------------------------------------

    def schema(self, node: Any, parts: tuple, require_properties: bool = True, meta_checked: bool = False,
               depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            raise Unsure("nested deeper than the replica walks")
        value = self.resolve(node)
        if not isinstance(value, (dict, bool)):
            raise Unsure("a schema that is not an object")
        if not meta_checked and id(value) not in self.meta_checked:
            self.meta_checked.add(id(value))
            if not _meta_ok(value):
                error = _meta_error(value) if self.forgiven is not None else None
                if error is None or not self.forgiven(error):
                    raise Unsure("a schema that breaks the draft 4 meta-schema")
                return  # the validator reports this one error, which the caller drops, and walks no further
        if id(value) in self.visited:
            return
        self.visited.add(id(value))
        if isinstance(value, bool):
            return
        nested: set = set()
        inner = depth + 1
        if "allOf" in value:
            for index, sub in enumerate(self.container(value["allOf"], list)):
                self.schema(sub, (*parts, "allOf", index), False, True, inner)
                nested |= self.collect_properties(sub, inner)
        for keyword in ("anyOf", "oneOf"):
            if keyword in value:
                for index, sub in enumerate(self.container(value[keyword], list)):
                    self.schema(sub, (*parts, keyword, index), False, True, inner)
        for keyword in ("not", "items"):
            if keyword in value:
                self.schema(value[keyword], (*parts, keyword), False, True, inner)
        properties: dict = {}
        if "properties" in value:
            properties = self.container(value["properties"], dict)
            for name, sub in properties.items():
                self.schema(sub, (*parts, "properties", name), False, True, inner)
        required = (self.resolve(value["required"]) if "required" in value else None) or []
        if "allOf" in value:
            if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
                raise Unsure("required that is not a list of names")
            if set(required) - set(properties) - nested and require_properties:
                raise Unsure("required names a property no part of the allOf defines")
        if DEFAULT in value:
            default = self.child(value, DEFAULT)
            nullable = self.child(value, "nullable") if "nullable" in value else False
            if default is not None or nullable is not True:
                self.default(value, default, parts)

    def collect_properties(self, node: Any, depth: int) -> set:
        if depth > MAX_DEPTH:
            raise Unsure("nested deeper than the replica walks")
        value = self.resolve(node)
        if not isinstance(value, dict):
            raise Unsure("a schema that is not an object")
        found = set(self.container(value["properties"], dict)) if "properties" in value else set()
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in value:
                for sub in self.container(value[keyword], list):
                    found |= self.collect_properties(sub, depth + 1)
        for keyword in ("items", "not"):
            if keyword in value:
                found |= self.collect_properties(value[keyword], depth + 1)
        return found

    def default(self, schema: dict, value: Any, parts: tuple) -> None:
        for path, message in default_errors(schema, value, self.lookup):
            self.errors.append(((*parts, DEFAULT, *path), message))


# --- openapi-schema-validator's OAS 3.0 value validator ------------------------------------

def default_errors(schema: dict, instance: Any, lookup=None) -> list[tuple[tuple, str]]:
    """(path inside the value, message) for each error OAS30Validator(schema).iter_errors(instance)
    yields, in its order (each schema's keyword order); ``lookup`` resolves a nested $ref. Unsure for
    what is not modelled."""
    return _value_errors(schema, instance, (), lookup, 0)


def _value_errors(schema: Any, instance: Any, path: tuple, lookup, depth: int) -> list[tuple[tuple, str]]:
    if depth > MAX_DEPTH:
        raise Unsure("a default nested deeper than the replica walks")
    if schema is True:
        return []
    if not isinstance(schema, dict) or (depth and "id" in schema):
        raise Unsure("a subschema that is not an object, or one with its own id (a new base URI)")
    errors: list[tuple[tuple, str]] = []

    def add(messages: list[str]) -> None:
        errors.extend((path, message) for message in messages)

    def descend(subschema: Any, value: Any, step: tuple = ()) -> None:
        errors.extend(_value_errors(subschema, value, (*path, *step), lookup, depth + 1))

    for keyword, expected in schema.items():
        if keyword in NO_OPS:
            continue
        if keyword in ALWAYS_UNSURE:
            raise Unsure(f"{keyword} on a default's schema")
        if keyword == "type":
            add(_type_errors(schema, expected, instance))
        elif keyword == "enum":
            add(_enum_errors(expected, instance))
        elif keyword == "format":
            add(_format_errors(expected, instance))
        elif keyword in ("maximum", "minimum"):
            add(_limit_errors(keyword, schema, expected, instance))
        elif keyword in ("maxLength", "minLength"):
            add(_length_errors(keyword, expected, instance))
        elif keyword == "pattern":
            add(_pattern_errors(expected, instance))
        elif keyword == "$ref":
            if not isinstance(expected, str) or lookup is None:
                raise Unsure("a $ref the replica cannot follow")
            descend(lookup(expected), instance)
        elif keyword == "allOf":
            if "discriminator" in schema or not isinstance(expected, list):
                raise Unsure("allOf with a discriminator, or not a list")
            for subschema in expected:
                descend(subschema, instance)
        elif keyword in NUMBER_ONLY:
            if _is_number(instance):
                raise Unsure(f"{keyword} on a number default")
        elif isinstance(instance, list) and keyword in ARRAY_ONLY:
            if keyword == "items":
                for index, item in enumerate(instance):
                    descend(expected, item, (index,))
            else:
                add(_array_errors(keyword, expected, instance))
        elif isinstance(instance, dict) and keyword in OBJECT_ONLY:
            if keyword == "properties":
                if not isinstance(expected, dict):
                    raise Unsure("properties that is not an object")
                for name, subschema in expected.items():
                    if name in instance:
                        descend(subschema, instance[name], (name,))
            elif keyword == "required":
                add(_required_errors(schema, expected, instance))
            elif keyword == "additionalProperties":
                errors.extend(_additional_errors(schema, expected, instance, path, lookup, depth))
            else:
                add(_size_errors(keyword, expected, instance))
    return errors


def _array_errors(keyword: str, expected: Any, instance: list) -> list[str]:
    if keyword == "uniqueItems":
        if not expected:
            return []
        if any(isinstance(item, list) for item in instance):
            raise Unsure("uniqueItems on an array of arrays")
        return [] if _unique(instance) else [f"{instance!r} has non-unique elements"]
    if not _is_number(expected):
        raise Unsure(f"{keyword} that is not a number")
    if keyword == "minItems" and len(instance) < expected:
        return [f"{instance!r} {'should be non-empty' if expected == 1 else 'is too short'}"]
    if keyword == "maxItems" and len(instance) > expected:
        return [f"{instance!r} {'is expected to be empty' if expected == 0 else 'is too long'}"]
    return []


def _size_errors(keyword: str, expected: Any, instance: dict) -> list[str]:
    if not _is_number(expected):
        raise Unsure(f"{keyword} that is not a number")
    if keyword == "minProperties" and len(instance) < expected:
        return [f"{instance!r} {'should be non-empty' if expected == 1 else 'does not have enough properties'}"]
    if keyword == "maxProperties" and len(instance) > expected:
        return [f"{instance!r} {'is expected to be empty' if expected == 0 else 'has too many properties'}"]
    return []


def _required_errors(schema: dict, required: Any, instance: dict) -> list[str]:
    """openapi-schema-validator's required: a missing property marked readOnly or writeOnly is let go."""
    if not isinstance(required, list):
        raise Unsure("required that is not a list")
    properties = schema.get("properties", {})
    if not isinstance(properties, dict):
        raise Unsure("properties that is not an object")
    errors = []
    for name in required:
        if name in instance:
            continue
        declared = properties.get(name)
        if declared:
            if not isinstance(declared, dict):
                raise Unsure("a property schema that is not an object")
            if declared.get("readOnly", False) or declared.get("writeOnly", False):
                continue
        errors.append(f"{name!r} is a required property")
    return errors


def _additional_errors(schema: dict, allowed: Any, instance: dict, path: tuple, lookup,
                       depth: int) -> list[tuple[tuple, str]]:
    properties = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    if not isinstance(properties, dict) or not isinstance(patterns, dict):
        raise Unsure("properties or patternProperties that is not an object")
    joined = "|".join(patterns)
    extras = [name for name in instance if name not in properties and not (joined and re.search(joined, name))]
    if not extras:
        return []
    if isinstance(allowed, dict):
        found = [_value_errors(allowed, instance[name], (*path, name), lookup, depth + 1) for name in extras]
        if sum(bool(errors) for errors in found) > 1:
            raise Unsure("errors in several additional properties: the validator orders them as a set")
        return [error for errors in found for error in errors]
    if allowed is False:
        if len(extras) > 1:
            raise Unsure("several unexpected properties: the validator lists them as a set")
        return [(path, f"Additional properties are not allowed ({extras[0]!r} was unexpected)")]
    return []


def _is_number(instance: Any) -> bool:
    return not isinstance(instance, bool) and isinstance(instance, numbers.Number)


TYPE_CHECKS = {
    "string": lambda i: isinstance(i, str),
    "number": _is_number,
    "integer": lambda i: not isinstance(i, bool) and isinstance(i, int),
    "boolean": lambda i: isinstance(i, bool),
    "array": lambda i: isinstance(i, list),
    "object": lambda i: isinstance(i, dict),
}


def _type_errors(schema: dict, data_type: Any, instance: Any) -> list[str]:
    if not isinstance(data_type, str) or data_type not in TYPE_CHECKS:
        raise Unsure(f"type {data_type!r}")  # the validator raises UnknownType on it
    errors = []
    if instance is None:
        if schema.get("nullable") is True:
            return []
        errors.append("None for not nullable")
    if not TYPE_CHECKS[data_type](instance):
        errors.append(f"{instance!r} is not of type {data_type!r}")
    return errors


def _enum_errors(enums: Any, instance: Any) -> list[str]:
    if not isinstance(enums, list):
        raise Unsure("an enum that is not a list")
    if all(not _equal(each, instance) for each in enums):
        return [f"{instance!r} is not one of {enums!r}"]
    return []


def _equal(one: Any, two: Any) -> bool:
    """jsonschema._utils.equal on JSON values: True is not 1, False is not 0, containers item by item."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(_equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, dict) and isinstance(two, dict):
        return len(one) == len(two) and all(key in two and _equal(value, two[key]) for key, value in one.items())
    if isinstance(one, (list, dict)) or isinstance(two, (list, dict)):
        return False  # jsonschema compares them with ==, which is False between a container and a scalar
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    return one == two


def _format_errors(format_name: Any, instance: Any) -> list[str]:
    if instance is None:
        return []
    if not isinstance(format_name, str):
        raise Unsure("a format that is not a string")
    check = FORMAT_CHECKS.get(format_name)
    if check is not None:
        return [] if check(instance) else [f"{instance!r} is not a {format_name!r}"]
    if format_name in JSONSCHEMA_FORMATS:
        # The validator's format checker also holds every format jsonschema registers globally (those
        # whose optional packages are installed): ask jsonschema itself, imported only for such a default.
        from jsonschema.exceptions import FormatError

        try:
            _jsonschema_format_checker().check(instance, format_name)
        except FormatError as error:
            return [str(error)]
    return []


@cache
def _jsonschema_format_checker():
    from jsonschema import FormatChecker

    return FormatChecker()


def _int_range(bits: int):
    def check(instance: Any) -> bool:
        if isinstance(instance, bool) or not isinstance(instance, int):
            return True
        return ~(1 << bits) < instance < 1 << bits
    return check


def _is_byte(instance: Any) -> bool:
    if not isinstance(instance, str):
        return True
    if not instance.isascii():
        raise Unsure("a non-ASCII byte default")  # the validator's encode raises rather than reports
    try:
        base64.b64decode(instance.encode("ascii"), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _is_regex(instance: Any) -> bool:
    if not isinstance(instance, str):
        return True
    if _has_ecma_regex():
        raise Unsure("regress installed: the validator checks regexes with it")
    try:
        re.compile(instance)
    except re.error:
        return False
    return True


@cache
def _has_ecma_regex() -> bool:
    return find_spec("regress") is not None


FORMAT_CHECKS = {
    "int32": _int_range(31),
    "int64": _int_range(63),
    # float, double, binary and password accept every JSON value
    "float": lambda instance: True,
    "double": lambda instance: True,
    "binary": lambda instance: True,
    "password": lambda instance: True,
    "byte": _is_byte,
    "regex": _is_regex,
}


def _limit_errors(keyword: str, schema: dict, limit: Any, instance: Any) -> list[str]:
    if not _is_number(instance):
        return []
    if not _is_number(limit):
        raise Unsure(f"{keyword} that is not a number")
    if keyword == "maximum":
        if schema.get("exclusiveMaximum", False):
            failed, words = instance >= limit, "greater than or equal to"
        else:
            failed, words = instance > limit, "greater than"
        return [f"{instance!r} is {words} the maximum of {limit!r}"] if failed else []
    if schema.get("exclusiveMinimum", False):
        failed, words = instance <= limit, "less than or equal to"
    else:
        failed, words = instance < limit, "less than"
    return [f"{instance!r} is {words} the minimum of {limit!r}"] if failed else []


def _length_errors(keyword: str, limit: Any, instance: Any) -> list[str]:
    if not isinstance(instance, str):
        return []
    if not _is_number(limit):
        raise Unsure(f"{keyword} that is not a number")
    if keyword == "minLength" and len(instance) < limit:
        return [f"{instance!r} {'should be non-empty' if limit == 1 else 'is too short'}"]
    if keyword == "maxLength" and len(instance) > limit:
        return [f"{instance!r} {'is expected to be empty' if limit == 0 else 'is too long'}"]
    return []


def _pattern_errors(pattern: Any, instance: Any) -> list[str]:
    if not isinstance(instance, str):
        return []
    if _has_ecma_regex() or not isinstance(pattern, str):
        raise Unsure("a pattern the validator would read with regress, or not a string")
    # jsonschema's own pattern keyword; an invalid pattern raises re.error, which makes this answer None
    return [] if re.search(pattern, instance) else [f"{instance!r} does not match {pattern!r}"]


# --- openapi-schema-validator's check_schema (draft 4 meta-schema, "regex" format) ------------------------

def _meta_ok(schema: Any) -> bool:
    """True when the draft 4 meta-schema check passes for sure, as Python's jsonschema would run it."""
    if not _meta_validator().is_valid(schema):
        return False
    stack = [schema]
    while stack:  # where the two engines could differ, answer "not sure" (False): the validator decides
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in INTEGER_KEYWORDS and isinstance(value, float):
                    return False
                if key == "pattern" and isinstance(value, str) and not _meta_regex_ok(value):
                    return False
                if key in UNIQUE_KEYWORDS and isinstance(value, list) and not _unique(value):
                    return False
                if isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return True


def _meta_error(schema: Any):
    """The error openapi-schema-validator's check_schema raises on ``schema``, computed the same way
    (Python's jsonschema, the draft 4 meta-schema, the OAS 3.0 format checker); None if it passes.
    Imports jsonschema, so only for a schema that jsonschema-rs already found wrong."""
    from jsonschema.exceptions import SchemaError

    for error in _python_meta_validator().iter_errors(schema):
        return SchemaError.create_from(error)
    return None


@cache
def _python_meta_validator():
    from jsonschema import Draft4Validator, FormatChecker
    from jsonschema_specifications import REGISTRY

    checker = FormatChecker()  # the OAS 3.0 checker: every global format, with its own regex check
    checker.checks("regex")(lambda instance: _meta_regex_ok(instance) if isinstance(instance, str) else True)
    meta = REGISTRY.contents("http://json-schema.org/draft-04/schema#")
    return Draft4Validator(meta, format_checker=checker, registry=REGISTRY)


def _meta_regex_ok(pattern: str) -> bool:
    try:
        return _is_regex(pattern)
    except Unsure:
        return False


def _unique(items: list) -> bool:
    """jsonschema's uniqueItems (its equality: True is not 1, 1 is 1.0) on JSON values. It sorts and
    compares neighbours when it can sort, which for arrays of arrays is not a plain pairwise check:
    those count as not sure (False)."""
    if any(isinstance(item, list) for item in items):
        return False
    if any(isinstance(item, dict) for item in items):  # cannot be sorted: jsonschema compares every pair
        return all(not _equal(a, b) for index, a in enumerate(items) for b in items[index + 1:])
    keys = [("bool", item) if isinstance(item, bool) else (("number", item) if _is_number(item) else
                                                           (type(item).__name__, item)) for item in items]
    return len(set(keys)) == len(keys)
