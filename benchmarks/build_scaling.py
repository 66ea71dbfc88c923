"""How render + validate time grows with the number of operations: 4, 64 and 256 (the maximum).

    python benchmarks/build_scaling.py [--runs 3] [--sizes 4,64,256]

Makes synthetic projects from the real sources (the four operations copied under new
operationIds and paths until the count is reached), then times `plivo-connector build` on each,
as a separate process, so the figure is the wall time a user sees. Prints the median of the runs
for each size. Target: 256 operations under 5 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from timing import BIN, ROOT, timed

TOOL = BIN / "plivo-connector"
TARGET_SECONDS = 5.0


def synthetic_project(target: Path, operations: int) -> Path:
    shutil.copytree(ROOT / "connector", target / "connector")
    shutil.copy2(ROOT / "README.md", target / "README.md")
    sources = sorted((ROOT / "connector" / "operations").glob("*.yaml"))
    for index in range(len(sources), operations):
        source = sources[index % len(sources)]
        text = source.read_text("utf-8")
        new_id = f"{source.stem}{index:03d}"
        text = re.sub(r"^operationId: .*$", f"operationId: {new_id}", text, flags=re.M)
        # a path of its own: /Message/ -> /Copy007/Message/
        text = re.sub(r"^path: /", f"path: /Copy{index:03d}/", text, flags=re.M)
        (target / "connector" / "operations" / f"{new_id}.yaml").write_text(text, "utf-8")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="4,64,256")
    args = parser.parse_args()
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix="build-scaling-") as temp:
        for size in (int(s) for s in args.sizes.split(",")):
            project = synthetic_project(Path(temp) / f"ops{size}", size)
            times = [timed([str(TOOL), "build", "--root", str(project)]) for _ in range(args.runs)]
            median = statistics.median(times)
            worst = max(worst, median)
            swagger_kib = (project / "apiDefinition.swagger.json").stat().st_size / 1024
            print(f"{size:4d} operations: median {median:.2f} s over {args.runs} runs "
                  f"({', '.join(f'{t:.2f}' for t in times)}), definition {swagger_kib:.0f} KiB"
                  f"  $ plivo-connector build --root <synthetic project>")
    print(f"target: under {TARGET_SECONDS:.0f} s at 256 operations -> {'met' if worst < TARGET_SECONDS else 'MISSED'}")
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
