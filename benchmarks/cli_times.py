"""Start-up, build --check and validate times, each against its anchor, side by side in one run.

    python benchmarks/cli_times.py [--runs 7] [--redocly PATH] [--encodian FOLDER]

``run --list`` is timed as a maker runs it (build-stamp.json vouches for the definition, nothing
is rendered) and once without the stamp, when a render of the sources decides whether to warn.

Anchors: a bare interpreter (``python -c pass`` from the same virtualenv) for start-up; Redocly
(``npm install @redocly/cli`` in a folder of its own, then give its ``node_modules/.bin/redocly``
with --redocly or put it on PATH) for ``validate``, linting the same definition. The Encodian
connector (1.1 MB, the largest certified one) is taken from Microsoft's connector repository: a
folder with it (--encodian), or the git mirror at /work/.mirror/microsoft+PowerPlatformConnectors,
whose two files are extracted to a temporary folder.

``validate`` and ``build --check`` are timed twice: cold (PLIVO_CONNECTOR_CACHE=off: everything
computed, as in CI) and warm (the cache filled by an earlier run, as on a developer's machine).
Each command runs as its own process from the repository root; the table gives the median wall
time and the median CPU time (user + system) of --runs runs, and the ratio to the anchor (below 1:
faster than the anchor). CPU time barely moves when other processes share the cores, wall time
does: on a busy machine, read the CPU column.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import BIN, ENV, ROOT, machine, timed_cpu

TOOL = str(BIN / "plivo-connector")
PYTHON = str(BIN / "python")
MIRROR = Path("/work/.mirror/microsoft+PowerPlatformConnectors/repo")
ENCODIAN = "certified-connectors/Encodian"
COLD = {**ENV, "PLIVO_CONNECTOR_CACHE": "off"}


def median_times(command: list[str], runs: int, **kwargs) -> tuple[float, float]:
    timed_cpu(command, **kwargs)  # warm-up: file cache, bytecode cache, and (warm runs) the tool's cache
    times = [timed_cpu(command, **kwargs) for _ in range(runs)]
    return statistics.median(w for w, _ in times), statistics.median(c for _, c in times)


def mock_start(runs: int) -> tuple[float, float]:
    """Seconds from launching `plivo-connector mock --port 0` to its "listening" line."""
    def once() -> float:
        started = time.perf_counter()
        proc = subprocess.Popen([TOOL, "mock", "--port", "0", "--no-throttle"], cwd=ROOT, env=ENV,
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        elapsed = time.perf_counter() - started
        proc.terminate()
        proc.wait(timeout=10)
        if "listening" not in line:
            sys.exit(f"mock did not start: {line!r}")
        return elapsed

    once()
    return statistics.median(once() for _ in range(runs)), float("nan")


def unstamped_copy(temp: Path) -> Path:
    """The sources and definition without build-stamp.json: what `run` costs when the stamp cannot
    vouch for the definition (a source edited since the last build, say) and a render decides."""
    folder = temp / "unstamped"
    shutil.copytree(ROOT / "connector", folder / "connector")
    for name in ("apiDefinition.swagger.json", "apiProperties.json"):
        shutil.copy2(ROOT / name, folder / name)
    return folder


def encodian_folder(given: Path | None, temp: Path) -> Path | None:
    if given:
        return given
    if not MIRROR.exists():
        return None
    folder = temp / "Encodian"
    folder.mkdir()
    for name in ("apiDefinition.swagger.json", "apiProperties.json"):
        data = subprocess.run(["git", "--git-dir", str(MIRROR), "show", f"HEAD:{ENCODIAN}/{name}"],
                              capture_output=True, check=True).stdout
        (folder / name).write_bytes(data)
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--redocly", default=shutil.which("redocly"), help="the redocly executable")
    parser.add_argument("--encodian", type=Path, help="folder with Encodian's apiDefinition.swagger.json")
    args = parser.parse_args()
    print(f"machine: {machine()}; median of {args.runs} runs", flush=True)
    rows: list[tuple[str, tuple[float, float], str, tuple[float, float] | None, str]] = []

    def row(name: str, ours: tuple[float, float], anchor_name: str = "", anchor: tuple[float, float] | None = None,
            target: str = "") -> None:
        rows.append((name, ours, anchor_name, anchor, target))
        shown = f"{name}: {ours[0]:.3f} s wall, {ours[1]:.3f} s CPU"
        if anchor:
            shown += f"; {anchor_name}: {anchor[0]:.3f} s wall, {anchor[1]:.3f} s CPU"
        print(shown, flush=True)

    floor = median_times([PYTHON, "-c", "pass"], args.runs)
    row("python -c pass (floor)", floor)
    row("plivo-connector --help", median_times([TOOL, "--help"], args.runs), "floor", floor, "< 0.15 s")
    row("plivo-connector --version", median_times([TOOL, "--version"], args.runs), "floor", floor, "< 0.15 s")
    row("plivo-connector run --list", median_times([TOOL, "run", "--list"], args.runs), "floor", floor, "< 0.15 s")
    with tempfile.TemporaryDirectory(prefix="cli-times-") as temp:
        unstamped = unstamped_copy(Path(temp))
        row("plivo-connector run --list (no stamp: a render decides; cold)",
            median_times([TOOL, "run", "--list", "--root", str(unstamped)], args.runs, env=COLD), "floor", floor)
    row("plivo-connector mock (to listening)", mock_start(args.runs), "floor", floor, "< 0.15 s")
    for mode, env in (("cold", COLD), ("warm", ENV)):
        row(f"plivo-connector build --check ({mode})", median_times([TOOL, "build", "--check"], args.runs, env=env),
            "floor", floor, "< 0.3 s")
    with tempfile.TemporaryDirectory(prefix="cli-times-") as temp:
        folders = {"this connector": ROOT, "Encodian": encodian_folder(args.encodian, Path(temp))}
        for label, folder in folders.items():
            if folder is None:
                print(f"{label}: not available (no --encodian and no mirror at {MIRROR})")
                continue
            definition = str(folder / "apiDefinition.swagger.json")
            anchor = None
            if args.redocly and os.path.exists(args.redocly):
                anchor = median_times([args.redocly, "lint", definition], args.runs, ok=(0, 1))
            for mode, env in (("cold", COLD), ("warm", ENV)):
                ours = median_times([TOOL, "validate", str(folder)], args.runs, env=env, ok=(0, 1))
                row(f"plivo-connector validate, {label} ({mode})", ours, "redocly lint" if anchor else "", anchor,
                    "faster than redocly")
    print("\n| command | wall | CPU | anchor | anchor wall | anchor CPU | ratio wall (CPU) | target |")
    print("|---|---|---|---|---|---|---|---|")
    for name, ours, anchor_name, anchor, target in rows:
        cpu = "" if ours[1] != ours[1] else f"{ours[1]:.3f} s"  # NaN: not measured
        line = f"| {name} | {ours[0]:.3f} s | {cpu} | "
        if anchor:
            cpu_ratio = "" if ours[1] != ours[1] else f" ({ours[1] / anchor[1]:.2f})"
            line += (f"{anchor_name} | {anchor[0]:.3f} s | {anchor[1]:.3f} s | {ours[0] / anchor[0]:.2f}{cpu_ratio} | "
                     f"{target} |")
        else:
            line += f" | | | | {target} |"
        print(re.sub(r" +\|", " |", line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
