"""How `plivo-connector build` time grows with the number of operations: 4 up to 1024.

    python benchmarks/build_scaling.py [--runs 3] [--sizes 4,64,256,1024]

Makes synthetic projects from the real sources (the four operations copied under new
operationIds and paths until the count is reached), then times `plivo-connector build` on each,
as a separate process, so the figure is the wall time a user sees. Past 256 operations (the
import's limit) the project suppresses the FileLimits rule, with a reason, so the build still
runs every other check and writes its files. Each size is timed cold (no cache:
PLIVO_CONNECTOR_CACHE=off, as in CI) and warm (the project's cache filled by a first build, as on
a developer's machine after an edit elsewhere). Prints the median of the runs per size and the
time per operation, whose flatness is what "linear" means. Target: 1024 operations under 2 s.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from timing import BIN, ENV, ROOT, machine, timed_cpu

TOOL = BIN / "plivo-connector"
TARGET_SECONDS = 2.0
SUPPRESSION = """
suppressions:
  - rule: FileLimits
    reason: a synthetic project for the build-scaling benchmark, larger than the import accepts
"""


def synthetic_project(target: Path, operations: int) -> Path:
    shutil.copytree(ROOT / "connector", target / "connector")
    shutil.copy2(ROOT / "README.md", target / "README.md")
    if operations > 256:
        connector = target / "connector" / "connector.yaml"
        connector.write_text(connector.read_text("utf-8") + SUPPRESSION, "utf-8")
    # Copies are made of plain actions only: a trigger must stay under /trigger/, and an operation
    # named by a policy in connector.yaml (a routed or per-operation host) would lose its policy.
    policies = (ROOT / "connector" / "connector.yaml").read_text("utf-8")
    existing = len(list((ROOT / "connector" / "operations").glob("*.yaml")))
    sources = [path for path in sorted((ROOT / "connector" / "operations").glob("*.yaml"))
               if not re.search(r"^trigger:", path.read_text("utf-8"), flags=re.M) and path.stem not in policies]
    for index in range(existing, operations):
        source = sources[index % len(sources)]
        text = source.read_text("utf-8")
        new_id = f"{source.stem}{index:04d}"
        text = re.sub(r"^operationId: .*$", f"operationId: {new_id}", text, flags=re.M)
        # a path of its own: /Message/ -> /Copy0007/Message/
        text = re.sub(r"^path: /", f"path: /Copy{index:04d}/", text, flags=re.M)
        (target / "connector" / "operations" / f"{new_id}.yaml").write_text(text, "utf-8")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="4,64,256,1024")
    args = parser.parse_args()
    print(f"machine: {machine()}; median of {args.runs} runs; wall s (CPU s)")
    cold_env = {**ENV, "PLIVO_CONNECTOR_CACHE": "off"}
    rows = []
    with tempfile.TemporaryDirectory(prefix="build-scaling-") as temp:
        for size in (int(s) for s in args.sizes.split(",")):
            project = synthetic_project(Path(temp) / f"ops{size}", size)
            command = [str(TOOL), "build", "--root", str(project)]
            cold = [timed_cpu(command, env=cold_env) for _ in range(args.runs)]
            timed_cpu(command)  # fills the cache
            warm = [timed_cpu(command) for _ in range(args.runs)]
            medians = [statistics.median(w for w, _ in cold), statistics.median(c for _, c in cold),
                       statistics.median(w for w, _ in warm), statistics.median(c for _, c in warm)]
            kib = (project / "apiDefinition.swagger.json").stat().st_size / 1024
            rows.append((size, kib, *medians))
            print(f"{size:5d} operations ({kib:,.0f} KiB definition): cold {medians[0]:.2f} s ({medians[1]:.2f} CPU), "
                  f"warm {medians[2]:.2f} s ({medians[3]:.2f} CPU)", flush=True)
    print("\n| operations | definition | build, cold cache | per operation | build, warm cache |")
    print("|---|---|---|---|---|")
    for size, kib, cold_wall, cold_cpu, warm_wall, warm_cpu in rows:
        print(f"| {size} | {kib:,.0f} KiB | {cold_wall:.2f} s ({cold_cpu:.2f} s CPU) | "
              f"{cold_cpu / size * 1000:.1f} ms CPU | {warm_wall:.2f} s ({warm_cpu:.2f} s CPU) |")
    largest = rows[-1]
    print(f"\ntarget: {largest[0]} operations under {TARGET_SECONDS:.0f} s: cold {largest[2]:.2f} s, "
          f"warm {largest[4]:.2f} s  $ plivo-connector build --root <synthetic project>")
    return 0


if __name__ == "__main__":
    sys.exit(main())
