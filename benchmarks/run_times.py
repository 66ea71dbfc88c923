"""Wall-clock times of the contract run, the main job and the whole test suite (median of runs).

    python benchmarks/run_times.py [--runs 3] [--skip-suite]

Targets: build --check and the static validation each under 1 s; the contract run over the whole
definition under 60 s on the 2-core machine; the full test suite under 3 minutes. Each command runs as a separate
process, as a user or CI would run it, from the repository root.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

from timing import BIN, timed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-suite", action="store_true", help="time only the contract run and build")
    args = parser.parse_args()
    tool = str(BIN / "plivo-connector") if (BIN / "plivo-connector").exists() else shutil.which("plivo-connector")
    commands = {
        "build --check": [tool, "build", "--check"],
        "validate (static validation of the rendered folder)": [tool, "validate", "."],
        "contract (default: 100 examples, 4 phases)": [tool, "contract"],
    }
    if not args.skip_suite:
        commands["pytest (whole suite)"] = [str(BIN / "pytest"), "-q", "-p", "no:cacheprovider"]
    for name, command in commands.items():
        times = [timed(command) for _ in range(args.runs)]
        shown = " ".join([Path(command[0]).name, *command[1:]])
        print(f"{name}: median {statistics.median(times):.1f} s over {args.runs} runs "
              f"({', '.join(f'{t:.1f}' for t in times)})  $ {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
