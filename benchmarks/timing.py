"""Timing helpers shared by the benchmark scripts: run a command as its own process, describe the machine."""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the virtualenv the benchmark runs in
# As a user runs the tool: Python may cache bytecode (some shells here set PYTHONDONTWRITEBYTECODE,
# which makes every run compile scripts/ from source).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], *, env: dict[str, str] | None = None, cwd: Path = ROOT,
          ok: tuple[int, ...] = (0,)) -> float:
    """Seconds ``command`` took (wall clock); exits with its stderr if its status is not in ``ok``."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          env=env or ENV)
    elapsed = time.perf_counter() - started
    if done.returncode not in ok:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return elapsed


def timed_cpu(command: list[str], **kwargs) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child: user + system). CPU time hardly moves when other
    processes share the cores, so it is the steadier figure on a busy machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(command, **kwargs)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def machine() -> str:
    """One line: CPU model, cores, load average now, Python."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{model}, {os.cpu_count()} cores, load average {load:.1f} at start, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
