"""The Swagger 2.0 fast path against openapi-spec-validator itself, connector by connector.

    python benchmarks/swagger20_paths.py CORPUS [--show N]

CORPUS is a folder of connector folders (``certified-connectors/`` of microsoft/PowerPlatformConnectors:
``git --git-dir=... archive HEAD certified-connectors | tar -x -C /tmp/corpus``). For each readable
definition it runs the rule module's two paths: the fast one (scripts/validation/swagger20_fast.py,
which answers or declines) and openapi-spec-validator. A connector agrees when the fast path
declines (the validator's answer is then used, so the findings are its own by construction) or
answers exactly what the validator finds: the same default-value findings at the same pointers, in
the same order, and no error. Prints how many agree, how many the fast path decided, the time of
each path, and every disagreement. Exit status 1 on any disagreement.
tests/validation/test_corpus.py runs it under ``-m corpus``.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from scripts.findings import SourceError
from scripts.rules.swagger20 import _accepted_extension, _classify_with_validator, from_fast
from scripts.validation.folder import folder_files, load_files
from scripts.validation.refs import external_refs
from scripts.validation.swagger20_fast import decide


@dataclass
class Compared:
    name: str
    decided: bool  # the fast path answered (did not decline)
    agrees: bool
    declined: str  # why the fast path handed the definition to the validator
    validator_errors: int  # errors (not default values) openapi-spec-validator finds
    fast_seconds: float
    validator_seconds: float
    detail: str = ""


def compare(swagger: dict, name: str) -> Compared:
    started = time.perf_counter()
    fast, why = decide(swagger, forgiven=_accepted_extension)  # as the Swagger20 rule asks it
    result = from_fast(fast) if fast is not None else None  # the fast path ran once, above
    fast_seconds = time.perf_counter() - started
    started = time.perf_counter()
    truth = _classify_with_validator(swagger)
    validator_seconds = time.perf_counter() - started
    if result is None:
        return Compared(name, False, True, why, len(truth["document"]), fast_seconds, validator_seconds)
    agrees = result == truth
    detail = "" if agrees else f"fast path: {result}\n    validator: {truth}"
    return Compared(name, True, agrees, "", len(truth["document"]), fast_seconds, validator_seconds, detail)


def definitions(corpus: Path):
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        try:
            swagger = load_files(folder_files(folder)).connector.swagger
        except SourceError:
            continue
        if isinstance(swagger, dict) and next(external_refs(swagger), None) is None:
            yield folder.name, swagger  # a definition with an external $ref never reaches either path


def run(corpus: Path) -> list[Compared]:
    return [compare(swagger, name) for name, swagger in definitions(corpus)]


def report(results: list[Compared], show: int = 20, out=sys.stdout) -> None:
    decided = [r for r in results if r.decided]
    disagree = [r for r in results if not r.agrees]
    print(f"definitions compared: {len(results)}; agree: {len(results) - len(disagree)}; "
          f"decided by the fast path: {len(decided)}; handed to openapi-spec-validator: "
          f"{len(results) - len(decided)}", file=out)
    print(f"time, all definitions: fast path {sum(r.fast_seconds for r in results):.2f} s, "
          f"openapi-spec-validator {sum(r.validator_seconds for r in results):.2f} s", file=out)
    needless = [r.name for r in results if not r.decided and not r.validator_errors]
    print(f"handed over although openapi-spec-validator finds no error: {len(needless)}"
          + (f" ({', '.join(needless[:10])})" if needless else ""), file=out)
    reasons = collections.Counter(_kind(r.declined) for r in results if not r.decided)
    if reasons:
        print("handed to openapi-spec-validator, by reason:", file=out)
        for reason, count in reasons.most_common():
            print(f"  {count:4d}  {reason}", file=out)
    for result in disagree[:show]:
        print(f"DISAGREE {result.name}:\n    {result.detail}", file=out)


def _kind(reason: str) -> str:
    """The reason without the names in it (a $ref, a keyword's value), so that like counts with like."""
    return re.sub(r"'[^']*'|\"[^\"]*\"", "...", reason)[:100]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--show", type=int, default=20, help="disagreements to print (default 20)")
    args = parser.parse_args()
    results = run(args.corpus)
    report(results, args.show)
    return 1 if any(not r.agrees for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
