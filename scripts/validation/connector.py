"""Static validation of rendered files: Swagger 2.0 validity plus the Power Platform rules.

Findings point at a YAML source line when the renderer recorded where the offending part came from
(``origins``), and at the rendered file and JSON pointer otherwise (``plivo-connector validate`` on
a folder that has no sources).
"""

from __future__ import annotations

import json
from functools import cache

from ..cache import NO_CACHE, Cache
from ..findings import Finding
from ..rules import PROPERTIES, SWAGGER, Connector, Problem, Rule, run_rules
from ..sources.origins import Origins
from ..sources.yaml_source import SourceFile
from .refs import REFUSE_EVERY_SCHEME, ExternalRefRefused, external_refs
from .suppressions import apply_suppressions

SWAGGER_RULE = "Swagger20"
EXTERNAL_REF_RULE = "ExternalReference"


@cache
def _local_only_validator() -> type:
    """openapi-spec-validator with a resolver that reads no file and fetches no URL.

    Made on first use: the validator's import chain (pydantic-settings, requests, jsonschema-path)
    is most of the start-up of any command that loads it, and a cached validation does not need it."""
    from openapi_spec_validator import OpenAPIV2SpecValidator

    class LocalOnlyValidator(OpenAPIV2SpecValidator):
        resolver_handlers = REFUSE_EVERY_SCHEME

    return LocalOnlyValidator


def validate_connector(connector: Connector, origins: Origins | None = None,
                       connector_source: SourceFile | None = None, *,
                       files: dict[str, bytes] | None = None, cache: Cache = NO_CACHE) -> list[Finding]:
    """Swagger 2.0 and rule findings; with ``connector_source``, its suppressions are applied.

    ``files`` (name -> the exact bytes the documents were read from or rendered to) makes the
    result cacheable: the checks are a pure function of those bytes, so ``cache`` keeps them.
    """
    findings = []
    for name, document in ((SWAGGER, connector.swagger), (PROPERTIES, connector.properties)):
        if not isinstance(document, dict):
            findings.append(Finding(name, None, "FileShape", f"{name} must hold a JSON object, not "
                                                             f"{type(document).__name__}"))
    if findings:
        return findings
    external = list(external_refs(connector.swagger))
    for pointer, ref in external:
        findings.append(_locate(SWAGGER, pointer, EXTERNAL_REF_RULE,
                                f"$ref {ref} is not a local reference (#/definitions/...): references to files "
                                "or URLs are never resolved; inline the schema into definitions", origins))
    key = None
    if files is not None and cache.folder is not None:
        key = cache.key("validation", *(part for name in sorted(files) for part in (name, files[name])),
                        connector.icon or b"", json.dumps(connector.sizes, sort_keys=True))
    problems = _cached_problems(cache, key) if key else None
    if problems is None:
        # With external refs the validator could only repeat, less clearly, that it refused them.
        problems = ([] if external else swagger_errors(connector.swagger), run_rules(connector))
        if key:
            _store_problems(cache, key, *problems)
    swagger_found, found = problems
    for pointer, message in swagger_found:
        findings.append(_locate(SWAGGER, pointer, SWAGGER_RULE, message, origins))
    if connector_source is not None:
        found, unused = apply_suppressions(connector_source, connector.swagger, found)
        findings += unused
    for rule, problem in found:
        findings.append(_locate(problem.document, problem.pointer, rule.id, problem.message, origins))
    return findings


def swagger_errors(swagger: dict) -> list[tuple[tuple, str]]:
    """openapi-spec-validator's findings as (pointer, one-line message); never raises, never resolves
    a reference outside the document."""
    try:
        errors = list(_local_only_validator()(swagger).iter_errors())
    except Exception as error:  # the validator can fail on input it cannot walk; that is a finding too
        return [((), f"not a valid Swagger 2.0 document: {_cause(error)}")]
    found = []
    for error in errors:
        pointer = tuple(str(p) for p in getattr(error, "path", ()) or ())
        message = str(getattr(error, "message", error)).splitlines()[0]
        found.append((pointer, f"Swagger 2.0: {message}"))
    return found


def _cause(error: BaseException) -> BaseException:
    """The refusal behind the wrappers the resolver puts around it, else ``error`` itself."""
    seen = error
    while seen is not None:
        if isinstance(seen, ExternalRefRefused):
            return seen
        seen = seen.__cause__ or seen.__context__
    return error


def _locate(document: str, pointer: tuple, rule: str, message: str, origins: Origins | None) -> Finding:
    if origins is not None:
        file, line = origins.locate(document, pointer)
        if file != document:
            return Finding(file, line, rule, message)
    where = "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in pointer)
    return Finding(document, None, rule, f"{message} (at {where})" if pointer else message)


def _cached_problems(cache: Cache, key: str) -> tuple[list, list[tuple[Rule, Problem]]] | None:
    data = cache.get(key)
    if data is None:
        return None
    try:
        entry = json.loads(data)
        swagger_found = [(tuple(pointer), message) for pointer, message in entry["swagger"]]
        found = [(Rule(rule_id, summary, _cached_check), Problem(document, tuple(pointer), message))
                 for rule_id, summary, document, pointer, message in entry["rules"]]
    except (ValueError, TypeError, KeyError):
        return None  # a damaged entry is a miss
    return swagger_found, found


def _store_problems(cache: Cache, key: str, swagger_found: list, found: list[tuple[Rule, Problem]]) -> None:
    entry = {"swagger": [[list(pointer), message] for pointer, message in swagger_found],
             "rules": [[rule.id, rule.summary, problem.document, list(problem.pointer), problem.message]
                       for rule, problem in found]}
    cache.put(key, json.dumps(entry, ensure_ascii=False).encode("utf-8"))


def _cached_check(connector: Connector) -> list[Problem]:
    raise RuntimeError("a rule rebuilt from the cache only carries its id and summary")
