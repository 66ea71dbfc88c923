"""Requests per second of the Plivo mock over loopback, measured with wrk.

Starts ``python -m scripts.mock --no-throttle --port 0`` as a subprocess, then runs wrk (keep-alive,
2 threads, 4 connections) several times for two scenarios -- POST a message and GET the message
list (first page of 20 out of a seeded set) -- and prints the median requests/s of each with the
exact wrk command. The list scenario gets its own fresh mock so the POST runs do not grow its data.

    python benchmarks/mock_throughput.py [--runs 3] [--duration 5] [--seed 200] [--fail-under 1500]

Needs wrk (Debian: apt-get install wrk).
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AUTH_ID = "MABENCHMARK000000000"
TOKEN = "benchmark-token"
TARGET = 1500.0
AUTH_HEADER = "Basic " + base64.b64encode(f"{AUTH_ID}:{TOKEN}".encode()).decode()

SEND_BODY = json.dumps({"src": "14155550100", "dst": "14155550123", "text": "benchmark message"})
POST_LUA = f"""
wrk.method = "POST"
wrk.body = '{SEND_BODY}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "{AUTH_HEADER}"
"""
GET_LUA = f"""
wrk.method = "GET"
wrk.headers["Authorization"] = "{AUTH_HEADER}"
"""


def start_mock() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "scripts.mock", "--no-throttle", "--port", "0",
         "--account", f"{AUTH_ID}:{TOKEN}"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"http://[\d.]+:\d+", line)
    if not match:
        proc.kill()
        raise SystemExit(f"mock did not start: {line!r}")
    return proc, match.group(0)


def stop_mock(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    proc.wait(timeout=10)


def seed(base: str, count: int) -> None:
    for _ in range(count):
        req = urllib.request.Request(
            f"{base}/v1/Account/{AUTH_ID}/Message/", data=SEND_BODY.encode(), method="POST",
            headers={"Content-Type": "application/json", "Authorization": AUTH_HEADER})
        with urllib.request.urlopen(req) as resp:
            assert resp.status == 202


def run_wrk(cmd: list[str]) -> tuple[float, int]:
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    if errors:
        print(f"    wrk: {errors.group(0)}")
    return rps, int(bad.group(1)) if bad else 0


def scenario(name: str, lua: str, path: str, args: argparse.Namespace, seed_count: int) -> float:
    proc, base = start_mock()
    try:
        seed(base, seed_count)
        with tempfile.TemporaryDirectory(prefix="mock-bench-") as tmp:
            script = Path(tmp) / "scenario.lua"
            script.write_text(lua)
            cmd = ["wrk", "-t2", "-c4", f"-d{args.duration}s", "-s", str(script), base + path]
            print(f"{name}: {' '.join(cmd)}")
            results = []
            for i in range(args.runs):
                rps, non2xx = run_wrk(cmd)
                print(f"    run {i + 1}: {rps:,.0f} requests/s, non-2xx responses: {non2xx}")
                if non2xx:
                    raise SystemExit(f"{name}: {non2xx} non-2xx responses")
                results.append(rps)
    finally:
        stop_mock(proc)
    median = statistics.median(results)
    print(f"{name}: median {median:,.0f} requests/s over {args.runs} runs (target {TARGET:,.0f})")
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description="Requests per second of the Plivo mock, measured with wrk.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--seed", type=int, default=200, help="messages stored before the list runs")
    parser.add_argument("--fail-under", type=float, default=None, help="exit 1 if a median is below this")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    path = f"/v1/Account/{AUTH_ID}/Message/"
    medians = {
        "POST send": scenario("POST send", POST_LUA, path, args, 0),
        "GET list": scenario("GET list", GET_LUA, path, args, args.seed),
    }
    print("summary: " + ", ".join(f"{k} {v:,.0f} req/s" for k, v in medians.items()))
    if args.fail_under is not None and min(medians.values()) < args.fail_under:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
