"""Calibrate `plivo-connector validate` on Microsoft's connector repository.

    python benchmarks/corpus.py CORPUS [--ms-schemas DIR] [--profile certification] [--show RULE ...]

CORPUS is a folder of connector folders (e.g. ``certified-connectors/`` of microsoft/PowerPlatformConnectors,
extracted with ``git --git-dir=... archive HEAD certified-connectors | tar -x -C /tmp/corpus``). With
``--ms-schemas`` (the folder holding Microsoft's apiDefinition.swagger.schema.json and
paconn-apiProperties.schema.json) only the connectors those schemas accept count towards the pass rate:
the target is that at least 95 % of them pass (no error and no internal error). Prints per-rule counts,
the pass rate, every crash (internal error) and the timings (median and slowest connector).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from scripts.findings import ERROR, INTERNAL, SourceError
from scripts.rules import CERTIFICATION, PROFILES
from scripts.validation.connector import validate_connector
from scripts.validation.folder import folder_files, load_files


@dataclass
class Outcome:
    name: str
    seconds: float
    findings: list = field(default_factory=list)
    unreadable: str | None = None
    schema_ok: bool | None = None  # None: not checked

    @property
    def passed(self) -> bool:
        return self.unreadable is None and not any(f.severity in (ERROR, INTERNAL) for f in self.findings)


def strip_jsonc(text: str) -> str:
    """Microsoft's schema files are JSON with // comments and trailing commas."""
    out, i, n, in_string = [], 0, len(text), False
    while i < n:
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            in_string = c != '"'
            i += 1
            continue
        if c == '"':
            in_string = True
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        elif text.startswith("/*", i):
            i = text.find("*/", i) + 2
            continue
        out.append(c)
        i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


def schema_filter(folder: Path):
    """A function telling whether Microsoft's schemas accept a connector folder (as check-ms-schemas does)."""
    from jsonschema import Draft4Validator, Draft7Validator

    definition = Draft4Validator(json.loads(strip_jsonc((folder / "apiDefinition.swagger.schema.json").read_text())))
    properties = Draft7Validator(json.loads(strip_jsonc((folder / "paconn-apiProperties.schema.json").read_text())))

    def accepts(files) -> bool:
        try:
            for validator, path in ((definition, files.definition), (properties, files.properties)):
                raw = path.read_bytes()
                if raw.startswith(b"\xef\xbb\xbf"):
                    return False
                if next(validator.iter_errors(json.loads(raw.decode("utf-8"))), None) is not None:
                    return False
        except (ValueError, UnicodeDecodeError, RecursionError):
            return False
        return True

    return accepts


def evaluate(corpus: Path, profile: str = CERTIFICATION, ms_schemas: Path | None = None) -> list[Outcome]:
    accepts = schema_filter(ms_schemas) if ms_schemas else None
    outcomes = []
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        started = time.perf_counter()
        outcome = Outcome(folder.name, 0.0)
        try:
            files = folder_files(folder)
            outcome.schema_ok = accepts(files) if accepts else None
            loaded = load_files(files)
            outcome.findings = validate_connector(loaded.connector, profile=profile)
        except SourceError as error:
            outcome.unreadable = "; ".join(f"[{f.rule}] {f.message}" for f in error.findings)
            if accepts and outcome.schema_ok is None:  # no files to check: Microsoft's schemas cannot accept it
                outcome.schema_ok = False
        outcome.seconds = time.perf_counter() - started
        outcomes.append(outcome)
    return outcomes


def report(outcomes: list[Outcome], show: set[str], out=sys.stdout) -> None:
    counted = [o for o in outcomes if o.schema_ok is not False]
    unreadable = [o for o in outcomes if o.unreadable]
    print(f"connectors: {len(outcomes)}; unreadable: {len(unreadable)}; accepted by Microsoft's schemas: "
          + (f"{sum(o.schema_ok is True for o in outcomes)}" if any(o.schema_ok is not None for o in outcomes)
             else "(not checked)"), file=out)
    passed = [o for o in counted if o.passed]
    rate = 100 * len(passed) / len(counted) if counted else 0.0
    print(f"pass (no error, no internal error): {len(passed)}/{len(counted)} = {rate:.1f} %", file=out)
    if any(o.schema_ok is not None for o in outcomes):
        readable = [o for o in outcomes if not o.unreadable]
        print(f"  (all {len(readable)} readable connectors, schema-valid or not: "
              f"{sum(o.passed for o in readable)} pass)", file=out)
    clean = [o for o in counted if o.passed and not o.findings]
    print(f"without any finding (warnings included): {len(clean)}/{len(counted)}", file=out)
    per_rule: dict[tuple[str, str], list[int]] = collections.defaultdict(lambda: [0, 0])
    for outcome in counted:
        seen = set()
        for finding in outcome.findings:
            key = (finding.rule, finding.severity)
            per_rule[key][0] += 1
            if key not in seen:
                per_rule[key][1] += 1
                seen.add(key)
    print("\nrule (severity): findings / connectors with one", file=out)
    for (rule, severity), (count, connectors) in sorted(per_rule.items(), key=lambda kv: -kv[1][1]):
        print(f"  {rule} ({severity}): {count} / {connectors}", file=out)
    crashes = [(o.name, f) for o in outcomes for f in o.findings if f.severity == INTERNAL]
    print(f"\ninternal errors (rule crashes): {len(crashes)}", file=out)
    for name, finding in crashes:
        print(f"  {name}: {finding.message}", file=out)
    times = sorted(o.seconds for o in outcomes)
    slowest = max(outcomes, key=lambda o: o.seconds)
    print(f"\ntime: total {sum(times):.1f} s; per connector median {1000 * statistics.median(times):.0f} ms, "
          f"slowest {1000 * slowest.seconds:.0f} ms ({slowest.name})", file=out)
    failing = [o for o in counted if not o.passed]
    if failing:
        print("\nfailing connectors:", file=out)
        for o in failing:
            rules = sorted({f.rule for f in o.findings if f.severity in (ERROR, INTERNAL)})
            print(f"  {o.name}: {o.unreadable or ', '.join(rules)}", file=out)
    for outcome in counted:
        for finding in outcome.findings:
            if finding.rule in show:
                print(f"{outcome.name}: {finding.severity} [{finding.rule}] {finding.message}", file=out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="folder of connector folders")
    parser.add_argument("--ms-schemas", type=Path, help="folder with Microsoft's connector JSON schemas")
    parser.add_argument("--profile", choices=PROFILES, default=CERTIFICATION)
    parser.add_argument("--show", action="append", default=[], metavar="RULE", help="print each finding of RULE")
    args = parser.parse_args()
    outcomes = evaluate(args.corpus, args.profile, args.ms_schemas)
    report(outcomes, set(args.show))
    return 0


if __name__ == "__main__":
    sys.exit(main())
