"""Find and load the YAML sources under connector/, and check what spans more than one key.

Layout: ``connector/connector.yaml`` (connector-level settings), ``connector/definitions.yaml``
(shared schemas) and ``connector/operations/<OperationId>.yaml`` (one operation each).
Every problem in every file is collected before anything is rendered, so one run shows them all.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..cache import NO_CACHE, Cache
from ..findings import Finding, SourceError
from .pattern_time import PatternClock, PatternTimeout
from .source_schema import check_source
from .yaml_source import SourceFile, describe_coercion, dotted_path, load_yaml_file

SOURCE_DIR = "connector"
PATH_PARAMETER = re.compile(r"\{([^{}]+)\}")
JSON_TYPES = {"string": str, "integer": int, "number": int | float, "boolean": bool}


# A plain class, not a @dataclass: this is all it needs, and @dataclass spends ~0.6 ms of every start-up
# compiling methods (equality, repr) that nothing here uses.
class Sources:
    def __init__(self, root: Path, connector: SourceFile, definitions: SourceFile, operations: list[SourceFile]):
        self.root = root
        self.connector = connector
        self.definitions = definitions
        self.operations = operations  # sorted by file name

    @property
    def throttling(self) -> dict:
        return self.connector.data["throttling"]

    def operation(self, operation_id: str) -> SourceFile:
        return next(op for op in self.operations if op.data["operationId"] == operation_id)


def load_sources(root: Path, cache: Cache = NO_CACHE) -> Sources:
    """Load and check every source file; raise SourceError with all findings if any is wrong.

    ``cache`` keeps each file's source-schema findings under the hash of its text."""
    source_dir = root / SOURCE_DIR
    findings: list[Finding] = []
    real_root = root.resolve()
    # Per folder, worked out once (pathlib is slow enough to matter a thousand times over): the
    # folder as findings show it, and whether its real path is inside the repository.
    folders: dict[Path, tuple[str, bool]] = {}

    def inside(path: Path) -> bool:
        """``path.resolve().is_relative_to(real_root)``; only a file that is itself a link (or one in
        a folder outside) is resolved on its own."""
        if not folders[path.parent][1] or path.is_symlink():
            return path.resolve().is_relative_to(real_root)
        return True  # not a link, in a folder inside: its real path is that folder's plus its name

    def load(path: Path, kind: str) -> SourceFile | None:
        if path.parent not in folders:
            folders[path.parent] = (path.parent.relative_to(root).as_posix(),
                                    path.parent.resolve().is_relative_to(real_root))
        display = f"{folders[path.parent][0]}/{path.name}"
        if not inside(path):
            # A symlink (of the file or of a folder above it) to e.g. ~/.aws/credentials: reading it
            # would print its lines in findings. Refused before a byte is read.
            findings.append(Finding(display, None, "SourceOutsideRepository",
                                    f"is a symlink to a file outside the repository ({real_root}); "
                                    "sources must be files inside it"))
            return None
        if not path.is_file():
            findings.append(Finding(display, None, "SourceLayout", f"missing source file ({kind})"))
            return None
        try:
            source = load_yaml_file(path, display)
        except SourceError as error:
            findings.extend(error.findings)
            return None
        found = _check_source(source, kind, cache)
        findings.extend(found)
        return None if found else source

    connector = load(source_dir / "connector.yaml", "connector")
    definitions = load(source_dir / "definitions.yaml", "definitions")
    operation_paths = sorted((source_dir / "operations").glob("*.yaml"))
    if not operation_paths:
        findings.append(Finding(f"{SOURCE_DIR}/operations", None, "SourceLayout",
                                "no operation files (*.yaml) found"))
    for stray in sorted((source_dir / "operations").glob("*.yml")):
        findings.append(Finding(stray.relative_to(root).as_posix(), None, "SourceLayout",
                                "operation files end in .yaml; rename this file or it is ignored"))
    operations = [load(path, "operation") for path in operation_paths]
    if findings:
        raise SourceError(findings)
    sources = Sources(root, connector, definitions, operations)  # type: ignore[arg-type]
    clock = PatternClock()  # one time budget for every pattern the sources check their values against
    findings.extend(_check_operations(sources, clock))
    findings.extend(_check_test_connection(sources))
    findings.extend(_check_schemas(sources, clock))
    if findings:
        raise SourceError(findings)
    return sources


def _check_test_connection(sources: Sources) -> list[Finding]:
    """testConnection names a GET the platform can call with no input at all."""
    op_id = sources.connector.data.get("testConnection")
    if op_id is None:
        return []
    where = (sources.connector.display, sources.connector.line(("testConnection",)), "TestConnection")
    op = next((o for o in sources.operations if o.data["operationId"] == op_id), None)
    if op is None:
        import difflib  # only for a finding or a diff, not on a clean run's path

        close = difflib.get_close_matches(op_id, [o.data["operationId"] for o in sources.operations], 3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        return [Finding(*where, f"testConnection '{op_id}' names no operation{hint}")]
    required = [p["name"] for p in op.data.get("parameters", []) if p.get("required") or p["in"] == "path"]
    if op.data["method"] != "get" or required or "body" in op.data:
        return [Finding(*where, f"testConnection '{op_id}' must be a GET without required inputs "
                                "(the platform calls it with none)")]
    return []


def _check_source(source: SourceFile, kind: str, cache: Cache) -> list[Finding]:
    key = cache.key("source", kind, source.display, source.digest)
    cached = cache.get(key)
    if cached is not None:
        try:
            return [Finding(*entry) for entry in json.loads(cached)]
        except (ValueError, TypeError):
            pass  # a damaged entry is a miss
    found = check_source(source, kind)
    cache.put(key, json.dumps([[f.file, f.line, f.rule, f.message] for f in found]).encode("utf-8"))
    return found


def _check_operations(sources: Sources, clock: PatternClock) -> list[Finding]:
    findings = []
    seen_ids: dict[str, SourceFile] = {}
    seen_routes: dict[tuple[str, str], SourceFile] = {}
    for op in sources.operations:
        data = op.data
        op_id = data["operationId"]
        first = seen_ids.get(op_id.lower())
        if first is not None:
            findings.append(Finding(op.display, op.line(("operationId",)), "DuplicateOperationId",
                                    f"operationId '{op_id}' is already used by {first.display}; "
                                    "give this operation its own operationId and name the file after it"))
        elif op.path.stem != op_id:
            findings.append(Finding(op.display, op.line(("operationId",)), "SourceLayout",
                                    f"the file of operation '{op_id}' must be named {op_id}.yaml"))
        seen_ids.setdefault(op_id.lower(), op)

        # The API does not tell /Call/x from /Call/x/, so neither does this check -- unless the two
        # requests differ by a constant query parameter the platform always sends (Plivo's
        # ?status=live view of a call): then each needs its own spelling of the path.
        route = (data["method"], _normalise_path(data["path"]), _constant_query(data))
        exact = (data["method"], data["path"], ())
        clash = seen_routes.get(route) or seen_routes.get(exact)
        if clash is not None:
            findings.append(Finding(op.display, op.line(("path",)), "DuplicateRoute",
                                    f"{data['method'].upper()} {data['path']} is also declared by "
                                    f"{clash.display}; each method and path can have one operation"))
        seen_routes.setdefault(route, op)
        seen_routes.setdefault(exact, op)

        in_template = PATH_PARAMETER.findall(data["path"])
        path_params = [(i, p) for i, p in enumerate(data.get("parameters", [])) if p["in"] == "path"]
        undeclared = [name for name in in_template if name not in {p["name"] for _, p in path_params}]
        unused = [(i, p) for i, p in path_params if p["name"] not in in_template]
        if len(undeclared) == 1 and len(unused) == 1:  # one rename, one finding
            findings.append(Finding(op.display, op.line(("path",)), "PathParameters",
                                    f"path {data['path']} uses {{{undeclared[0]}}} but its path parameter is "
                                    f"named '{unused[0][1]['name']}'; use the same name in both places"))
        else:
            for name in undeclared:
                findings.append(Finding(op.display, op.line(("path",)), "PathParameters",
                                        f"path {data['path']} uses {{{name}}} but no path parameter "
                                        f"'{name}' is declared"))
            for index, param in unused:
                findings.append(Finding(op.display, op.line(("parameters", index)), "PathParameters",
                                        f"path parameter '{param['name']}' does not appear in {data['path']}"))
        findings.extend(_check_trigger(op))
        seen_params: dict[tuple[str, str], int] = {}
        for index, param in enumerate(data.get("parameters", [])):
            where = ("parameters", index)
            first_index = seen_params.setdefault((param["in"], param["name"]), index)
            if first_index != index:
                findings.append(Finding(op.display, op.line(where), "DuplicateParameter",
                                        f"{param['in']} parameter '{param['name']}' is declared twice (first "
                                        f"on line {op.line(('parameters', first_index))})"))
            findings.extend(_check_values(op, where, param, param["type"], clock))
    return findings


def _check_trigger(op: SourceFile) -> list[Finding]:
    """What each kind of trigger needs, and trigger-only keys on actions."""
    data = op.data
    kind = data.get("trigger")
    findings = []

    def add(key: str, message: str) -> None:
        findings.append(Finding(op.display, op.line((key,)), "TriggerShape", message))

    for key in ("notification", "triggerHint"):
        if key in data and kind is None:
            add(key, f"'{key}' belongs to a trigger; add 'trigger: webhook' or 'trigger: polling', or remove it")
    if kind == "webhook":
        if "notification" not in data:
            add("trigger", "a webhook trigger needs 'notification': the schema of what the service posts to the flow")
        urls = [name for name, prop in (data.get("body", {}).get("schema", {}).get("properties") or {}).items()
                if prop.get("notificationUrl")]
        if len(urls) != 1:
            add("trigger", f"a webhook trigger needs exactly one body property with 'notificationUrl: true' (the "
                           f"flow's callback URL), found {len(urls)}")
    elif "notification" in data and kind == "polling":
        add("notification", "'notification' belongs to a webhook trigger; a polling trigger returns its items")
    if kind == "polling" and (data["method"] != "get" or not data["path"].startswith("/trigger/")):
        add("path", "a polling trigger is a GET declared under /trigger/ (the platform removes the prefix), as "
                    "in Microsoft's connectors")
    return findings


def _check_schemas(sources: Sources, clock: PatternClock) -> list[Finding]:
    """References resolve, 'ref' stands (almost) alone, defaults and enums have the right type."""
    names = set(sources.definitions.data)
    findings = []

    def walk(source: SourceFile, schema: dict, where: tuple) -> None:
        for key in ("ref", "extends"):
            target = schema.get(key)
            if target is not None and target not in names:
                # Close names only: a list of every schema would grow with each one added.
                import difflib  # only for a finding or a diff, not on a clean run's path

                close = difflib.get_close_matches(target, sorted(names), 3)
                hint = f" (did you mean {', '.join(close)}?)" if close else ""
                findings.append(Finding(source.display, source.line((*where, key)), "UndefinedReference",
                                        f"'{key}: {target}' names no schema in definitions.yaml{hint}"))
        if "ref" in schema:
            extra = sorted(set(schema) - {"ref", "required"})
            if extra:
                findings.append(Finding(source.display, source.line(where), "RefAlone",
                                        f"a schema with 'ref' takes no other keys (found {', '.join(extra)}): "
                                        "Swagger ignores everything beside a $ref; put them in the definition"))
        if "extends" in schema and schema["extends"] in names:
            base = sources.definitions.data[schema["extends"]]
            if base.get("type") != "object" or schema.get("type") != "object":
                findings.append(Finding(source.display, source.line((*where, "extends")), "SchemaShape",
                                        "'extends' joins two object schemas; both need 'type: object'"))
        if schema.get("type") == "array" and "items" not in schema:
            findings.append(Finding(source.display, source.line(where), "SchemaShape",
                                    "an array schema needs 'items'"))
        if "type" in schema and schema["type"] != "object":
            for key in ("properties", "additionalProperties", "extends"):
                if key in schema:
                    findings.append(Finding(source.display, source.line((*where, key)), "SchemaShape",
                                            f"'{key}' belongs on an object schema, not on type {schema['type']}"))
        if "items" in schema and schema.get("type") != "array":
            findings.append(Finding(source.display, source.line((*where, "items")), "SchemaShape",
                                    "'items' belongs on an array schema (type: array)"))
        if "type" in schema and schema["type"] in JSON_TYPES:
            findings.extend(_check_values(source, where, schema, schema["type"], clock))
        for name, child in schema.get("properties", {}).items():
            walk(source, child, (*where, "properties", name))
        if "items" in schema:
            walk(source, schema["items"], (*where, "items"))

    for name, schema in sources.definitions.data.items():
        walk(sources.definitions, schema, (name,))
    for op in sources.operations:
        if "body" in op.data:
            walk(op, op.data["body"]["schema"], ("body", "schema"))
        for code, response in op.data["responses"].items():
            if "schema" in response:
                walk(op, response["schema"], ("responses", code, "schema"))
    for code, response in sources.connector.data.get("responses", {}).items():
        if code == "429":
            findings.append(Finding(sources.connector.display, sources.connector.line(("responses", code)),
                                    "ThrottlingResponse", "the 429 response is written from 'throttling' so that "
                                    "it always states the limit; remove it from 'responses'"))
        if "schema" in response:
            walk(sources.connector, response["schema"], ("responses", code, "schema"))
    findings.extend(_check_cycles(sources))
    return findings


def _check_cycles(sources: Sources) -> list[Finding]:
    """A definition that reaches itself through 'ref' or 'extends': the designer cannot show a
    recursive schema, and 'extends' could never be flattened."""
    definitions = sources.definitions
    edges = {name: _references(schema) for name, schema in definitions.data.items()}
    findings = []
    reported: set[frozenset[str]] = set()
    for name in definitions.data:
        path = _cycle_from(name, edges)
        if path and frozenset(path) not in reported:  # one finding per cycle, at its first definition
            reported.add(frozenset(path))
            findings.append(Finding(definitions.display, definitions.line((name,)), "SchemaCycle",
                                    f"definition {name} refers back to itself ({' -> '.join(path)}); "
                                    "Power Platform cannot show recursive schemas"))
    return findings


def _references(schema: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(schema, dict):
        for key in ("ref", "extends"):
            if isinstance(schema.get(key), str):
                found.add(schema[key])
        for child in (*schema.get("properties", {}).values(), schema.get("items")):
            found |= _references(child)
    return found


def _cycle_from(start: str, edges: dict[str, set[str]]) -> list[str] | None:
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for target in sorted(edges.get(node, ())):
            if target == start:
                return [*path, start]
            if target not in seen:
                seen.add(target)
                stack.append((target, [*path, target]))
    return None


def _check_values(source: SourceFile, where: tuple, spec: dict, type_name: str,
                  clock: PatternClock) -> list[Finding]:
    """'default', 'example' and every 'enum' value must have the declared type (YAML 1.1 traps live here),
    and a string example must match the pattern and the enum, or the examples phase would send junk."""
    expected = JSON_TYPES[type_name]
    findings = []
    values: list[tuple[tuple, Any]] = []
    for key in ("default", "example"):
        if key in spec:
            values.append(((*where, key), spec[key]))
    values += [((*where, "enum", i), v) for i, v in enumerate(spec.get("enum", []))]
    for path, value in values:
        wrong = not isinstance(value, expected) or (type_name != "boolean" and isinstance(value, bool))
        if not wrong:
            continue
        if path in source.coerced:
            detail = describe_coercion(source.coerced[path], value)
        else:
            detail = f"{value!r} is not of the declared type '{type_name}'"
        findings.append(Finding(source.display, source.line(path), "ValueType",
                                f"{dotted_path(path)}: {detail}"))
    pattern = None
    if "pattern" in spec:
        try:
            pattern = re.compile(spec["pattern"])
        except re.error as error:
            findings.append(Finding(source.display, source.line((*where, "pattern")), "ValueType",
                                    f"{dotted_path((*where, 'pattern'))}: not a valid regular expression: {error}"))
    for key in ("default", "example"):
        value = spec.get(key)
        if not isinstance(value, str):
            continue
        if pattern is not None:
            try:
                matched = clock.search(pattern, value)
            except PatternTimeout:
                findings.append(Finding(source.display, source.line((*where, "pattern")), "PatternTooSlow",
                                        f"{dotted_path((*where, 'pattern'))}: checking {dotted_path((*where, key))} "
                                        f"({len(value)} characters) against this pattern did not finish within "
                                        f"{clock.per_search:g} s: it backtracks catastrophically (a repeated group "
                                        "that can match the same text in many ways, such as (a+)+); rewrite it so "
                                        "each character can be matched only one way"))
                pattern = None  # one finding per pattern
            if pattern is not None and not matched:
                findings.append(Finding(source.display, source.line((*where, key)), "ValueType",
                                        f"{dotted_path((*where, key))}: {value!r} does not match the pattern "
                                        f"{spec['pattern']}"))
        if "enum" in spec and value not in spec["enum"]:
            findings.append(Finding(source.display, source.line((*where, key)), "ValueType",
                                    f"{dotted_path((*where, key))}: {value!r} is not one of the enum values"))
    return findings


def _constant_query(data: dict) -> tuple[tuple[str, str], ...]:
    """Query parameters the platform always sends with the same value: internal, required, a default."""
    return tuple(sorted((p["name"], str(p["default"])) for p in data.get("parameters", [])
                        if p["in"] == "query" and p.get("visibility") == "internal" and p.get("required")
                        and "default" in p))


def _normalise_path(path: str) -> str:
    return PATH_PARAMETER.sub("{}", path.rstrip("/").lower())
