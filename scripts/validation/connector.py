"""Static validation of rendered files: Swagger 2.0 validity plus the Power Platform rules.

Findings point at a YAML source line when the renderer recorded where the offending part came from
(``origins``), and at the rendered file and JSON pointer otherwise (``plivo-connector validate`` on
a folder that has no sources; the command turns the pointer into a line and column).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..cache import NO_CACHE, Cache
from ..findings import INTERNAL, Finding
from ..rules import HOUSE, PROPERTIES, SWAGGER, Connector, Problem, Rule, all_rules, rules_for, run_rules
from ..rules.swagger20 import swagger_errors  # noqa: F401  (re-exported: tests and tools use it from here)

if TYPE_CHECKING:  # annotations only: `validate` on a folder of rendered files never loads a YAML source
    from ..sources.origins import Origins
    from ..sources.yaml_source import SourceFile

SWAGGER_RULE = "Swagger20"



def validate_connector(connector: Connector, origins: Origins | None = None,
                       connector_source: SourceFile | None = None, *, profile: str = HOUSE,
                       disabled: Iterable[str] = (), files: dict[str, bytes] | None = None,
                       cache: Cache = NO_CACHE) -> list[Finding]:
    """Findings of the rules in ``profile`` (minus ``disabled``); with ``connector_source``, its
    suppressions are applied. A rule that crashes gives one finding of severity ``internal``.

    ``files`` (name -> the exact bytes the documents were read from or rendered to) makes the
    result cacheable: the rules are a pure function of those bytes, so ``cache`` keeps their
    problems (never a run in which a rule crashed)."""
    findings = []
    for name, document in ((SWAGGER, connector.swagger), (PROPERTIES, connector.properties)):
        if not isinstance(document, dict):
            findings.append(Finding(name, None, "FileShape", f"{name} must hold a JSON object, not "
                                                             f"{type(document).__name__}"))
    if findings:
        return findings
    rules = rules_for(profile, disabled)
    key = None
    if files is not None and cache.folder is not None:
        key = cache.key("validation", profile, ",".join(sorted(rule.id for rule in rules)),
                        *(part for name in sorted(files) for part in (name, files[name])),
                        connector.icon or b"", json.dumps(connector.sizes, sort_keys=True))
    cached = _cached_problems(cache, key) if key else None
    if cached is not None:
        found, crashed = cached, []
    else:
        found, crashed = run_rules(connector, rules)
        if key and not crashed:
            _store_problems(cache, key, found)
    if connector_source is not None:
        from .suppressions import apply_suppressions

        found, unused = apply_suppressions(connector_source, connector.swagger, found)
        findings += unused
    for rule, problem in found:
        findings.append(_locate(problem.document, problem.pointer, rule.id, problem.message, origins,
                                rule.severity))
    for crash in crashed:
        findings.append(Finding(None, None, crash.rule.id, f"internal error: rule {crash.rule.id} crashed "
                                f"({crash.error} at {crash.where}); its findings are unknown. This is a bug in "
                                "plivo-connector; please report it with the connector.", INTERNAL))
    return findings


def _locate(document: str, pointer: tuple, rule: str, message: str, origins: Origins | None,
            severity: str) -> Finding:
    pointer = tuple(str(p) for p in pointer)
    if origins is not None:
        file, line = origins.locate(document, pointer)
        if file != document:
            return Finding(file, line, rule, message, severity)
    where = "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in pointer)
    return Finding(document, None, rule, f"{message} (at {where})" if pointer else message, severity,
                   pointer=pointer)


def _cached_problems(cache: Cache, key: str) -> list[tuple[Rule, Problem]] | None:
    data = cache.get(key)
    if data is None:
        return None
    rules = all_rules()
    try:
        return [(rules[rule_id], Problem(document, tuple(pointer), message))
                for rule_id, document, pointer, message in json.loads(data)]
    except (ValueError, TypeError, KeyError):
        return None  # a damaged entry, or one naming a rule this code does not have: a miss


def _store_problems(cache: Cache, key: str, found: list[tuple[Rule, Problem]]) -> None:
    entry = [[rule.id, problem.document, list(problem.pointer), problem.message] for rule, problem in found]
    cache.put(key, json.dumps(entry, ensure_ascii=False).encode("utf-8"))
