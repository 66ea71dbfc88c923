"""Wall-clock times of the contract run, the main job and the whole test suite (median of runs).

    python benchmarks/run_times.py [--runs 3] [--skip-suite] [--tool PATH] [--workers 1,auto]

Targets: the default contract run (`plivo-connector contract`) under 15 s on the 2-core machine,
with as many test cases as before (the case count and cases per second are printed); the full test
suite under 3 minutes. The 15 s target was set when the connector had the four operations of the
published connector; the same run limited to those four (`--include-operation-id` each) is timed
too, as the like-for-like figure. ``--tool`` times another build of the command (e.g. main's
virtualenv) on this checkout's rendered files, for before/after figures run back to back.
build --check and validate have their own benchmark with anchors (cli_times.py). Each command
runs as a separate process, as a user or CI would run it, from the repository root.
``--workers`` times the contract rows once per worker count (`contract --workers W`; default 1 and
auto, which is one worker process per usable CPU; give ``--workers 1`` with a ``--tool`` older than
worker processes): the CPU column is every process's, so on a shared machine compare it with the
wall time.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time

from timing import BIN, ENV, ROOT, machine, timed_cpu

PUBLISHED = tuple(op["operationId"] for op in  # the four pinned by tests/test_published.py
                  json.loads((ROOT / "tests/fixtures/published/operations.json").read_text()))


def contract_run(tool: str, *extra: str) -> tuple[float, float, str]:
    """(wall s, CPU s, the "N generated, ..." line) of one contract run with default settings."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([tool, "contract", *extra], cwd=ROOT, env=ENV, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"contract failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    cases = re.search(r"(\d+) generated[^\n]*", done.stdout)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, cases.group(0) if cases else "(no case count printed)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-suite", action="store_true", help="time only the contract run")
    parser.add_argument("--tool", help="the plivo-connector to time (default: this virtualenv's)")
    parser.add_argument("--workers", default="1,auto",
                        help="comma-separated worker counts to time the contract rows with (default 1,auto)")
    args = parser.parse_args()
    counts = [w.strip() for w in args.workers.split(",") if w.strip()]
    tool = args.tool or (str(BIN / "plivo-connector") if (BIN / "plivo-connector").exists()
                         else shutil.which("plivo-connector"))
    print(f"machine: {machine()}; median of {args.runs} runs; {tool}")
    published = [arg for op in PUBLISHED for arg in ("--include-operation-id", op)]
    rows = [(f"{label}, --workers {workers}", [*extra, "--workers", workers], f"{shown} --workers {workers}")
            for label, extra, shown in (("contract (default: 100 examples, 4 phases)", [], "plivo-connector contract"),
                                        ("contract, the 4 published operations", published,
                                         "plivo-connector contract " + " ".join(published)))
            for workers in counts]
    for label, extra, shown in rows:
        runs = [contract_run(tool, *extra) for _ in range(args.runs)]
        wall = statistics.median(r[0] for r in runs)
        count = re.match(r"\d+", runs[-1][2])
        rate = f"; {int(count.group(0)) / wall:.0f} cases/s" if count else ""
        print(f"{label}: median {wall:.1f} s wall, {statistics.median(r[1] for r in runs):.1f} s CPU "
              f"({', '.join(f'{r[0]:.1f}' for r in runs)}); test cases: {runs[-1][2]}{rate}  $ {shown}")
    if not args.skip_suite:
        command = [str(BIN / "pytest"), "-q", "-p", "no:cacheprovider"]
        times = [timed_cpu(command) for _ in range(args.runs)]
        print(f"pytest (whole suite): median {statistics.median(t[0] for t in times):.1f} s wall, "
              f"{statistics.median(t[1] for t in times):.1f} s CPU  $ pytest -q -p no:cacheprovider")
    return 0


if __name__ == "__main__":
    sys.exit(main())
