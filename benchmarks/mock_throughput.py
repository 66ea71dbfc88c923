"""Requests per second and memory of the Plivo mock over loopback, measured with wrk, against Prism.

    python benchmarks/mock_throughput.py [--runs 3] [--duration 5] [--prism PATH] [--sends 100000]

Scenarios (each on a fresh mock, ``plivo-connector mock --no-throttle --port 0``):

- POST send: wrk posts one message per request.
- GET list, 1k stored / 100k stored: the first page of the default list of an account holding
  1,000 or 100,000 messages (seeded straight into a ``--db`` file, so seeding takes a second);
  the issue's target is the 100k figure within 2x of the 1k one, and at least 1,000 req/s.
- The same GET list and POST send on Prism (``prism mock apiDefinition.swagger.json``), when
  Prism is installed (``npm install @stoplight/prism-cli`` in a folder of its own; give its
  ``node_modules/.bin/prism`` with --prism or put it on PATH). Prism answers from the definition's
  examples and stores nothing, so it is an upper bound for a mock that really keeps state.
- Memory: the mock's RSS before and after ``--sends`` sends (wrk, POST) with a ``--db`` file, so
  the messages live on disk and any growth is the process keeping something per request.

wrk runs with 2 threads and 4 connections (keep-alive). Prints each run, the median of the runs
and a summary table. Needs wrk (Debian: apt-get install wrk). Figures from a shared or busy
machine are noisy: compare ratios taken in the same run.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from timing import BIN, ROOT, machine

AUTH_ID = "MABENCHMARK000000000"
TOKEN = "benchmark-token"
AUTH_HEADER = "Basic " + base64.b64encode(f"{AUTH_ID}:{TOKEN}".encode()).decode()
LIST_PATH = f"/v1/Account/{AUTH_ID}/Message/"
PRISM_PATH = "/Message/"  # Prism serves a Swagger 2.0 definition's paths without its basePath
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


def seeded_db(folder: Path, count: int) -> Path:
    """A mock database file holding ``count`` outbound messages of the last hour."""
    sys.path.insert(0, str(ROOT))
    from scripts.mock.messages import INSERT_SQL
    from scripts.mock.store import Store

    path = folder / f"seed-{count}.sqlite"
    store = Store(str(path))
    now = time.time()
    store.write(INSERT_SQL, ((f"seed-{i:08d}", AUTH_ID, "outbound", None, "sms", "14155550100", "14155550123",
                              now - 3600 + 3600 * i / count, 1, 500, None, "seeded") for i in range(count)))
    store.close()
    return path


def start_mock(db: Path | None) -> tuple[subprocess.Popen[str], str]:
    command = [str(BIN / "plivo-connector"), "mock", "--no-throttle", "--port", "0",
               "--account", f"{AUTH_ID}:{TOKEN}", *(["--db", str(db)] if db else [])]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"http://[\d.]+:\d+", line)
    if not match:
        proc.kill()
        raise SystemExit(f"mock did not start: {line!r}")
    return proc, match.group(0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_prism(prism: str) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    # -v silent: no log line per request, Prism at its fastest.
    proc = subprocess.Popen([prism, "mock", "-h", "127.0.0.1", "-p", str(port), "--errors", "false", "-v", "silent",
                             str(ROOT / "apiDefinition.swagger.json")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(urllib.request.Request(base + PRISM_PATH, headers={"Authorization": AUTH_HEADER}),
                                   timeout=1).close()
            return proc, base
        except urllib.error.HTTPError:
            return proc, base  # it answers
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("prism did not start")


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    proc.wait(timeout=10)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def wrk(base: str, path: str, lua: str, duration: int) -> float:
    with tempfile.TemporaryDirectory(prefix="mock-bench-") as tmp:
        script = Path(tmp) / "scenario.lua"
        script.write_text(lua)
        cmd = ["wrk", "-t2", "-c4", f"-d{duration}s", "-s", str(script), base + path]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if bad:
        raise SystemExit(f"{base + path}: {bad.group(1)} non-2xx responses")
    return rps


def scenario(name: str, start, path: str, lua: str, args: argparse.Namespace) -> float:
    proc, base = start()
    try:
        wrk(base, path, lua, 1)  # warm-up
        results = [wrk(base, path, lua, args.duration) for _ in range(args.runs)]
    finally:
        stop(proc)
    median = statistics.median(results)
    print(f"{name}: median {median:,.0f} req/s ({', '.join(f'{r:,.0f}' for r in results)})", flush=True)
    return median


def stored(base: str) -> int:
    """Messages the account holds (the default list's total_count: every send of the last 24 hours)."""
    request = urllib.request.Request(base + LIST_PATH + "?limit=1", headers={"Authorization": AUTH_HEADER})
    with urllib.request.urlopen(request) as response:
        return json.load(response)["meta"]["total_count"]


def memory(args: argparse.Namespace, db: Path) -> tuple[int, int, int]:
    """With --db the messages live in the file (SQLite's page cache is bounded), so the process
    itself should not grow: anything that does is kept per request."""
    proc, base = start_mock(db)
    try:
        wrk(base, LIST_PATH, POST_LUA, 2)  # warm-up: imports, caches, first pages of the database
        before, start_count = rss_kib(proc.pid), stored(base)
        samples = []
        while (sent := stored(base) - start_count) < args.sends:
            wrk(base, LIST_PATH, POST_LUA, 5)
            samples.append((stored(base) - start_count, rss_kib(proc.pid)))
        after = rss_kib(proc.pid)
        print("memory samples (sent, RSS MiB): " + ", ".join(f"{n:,}: {kib / 1024:.1f}" for n, kib in samples))
    finally:
        stop(proc)
    print(f"memory: RSS {before / 1024:.1f} MiB after warm-up, {after / 1024:.1f} MiB after {sent:,} more "
          f"sends ({(after - before) * 1024 / max(sent, 1):,.1f} bytes per message sent, --db file)",
          flush=True)
    return before, after, sent


def main() -> int:
    parser = argparse.ArgumentParser(description="Requests per second of the Plivo mock, measured with wrk.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--prism", default=shutil.which("prism"), help="the prism executable (default: on PATH)")
    parser.add_argument("--sends", type=int, default=100_000, help="sends of the memory run (0: skip it)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    print(f"machine: {machine()}; wrk -t2 -c4 -d{args.duration}s, median of {args.runs} runs", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="mock-seed-") as tmp:
        dbs = {count: seeded_db(Path(tmp), count) for count in (1_000, 100_000)}
        post = scenario("mock POST send", lambda: start_mock(None), LIST_PATH, POST_LUA, args)
        small = scenario("mock GET list, 1k stored", lambda: start_mock(dbs[1_000]), LIST_PATH, GET_LUA, args)
        big = scenario("mock GET list, 100k stored", lambda: start_mock(dbs[100_000]), LIST_PATH, GET_LUA, args)
    rows.append(("GET list, 100k stored vs 1k stored", f"{big:,.0f} vs {small:,.0f} req/s",
                 f"{big / small:.2f} (target >= 0.5, and >= 1,000 req/s)"))
    if args.prism and os.path.exists(args.prism):
        prism_get = scenario("prism GET list", lambda: start_prism(args.prism), PRISM_PATH, GET_LUA, args)
        prism_post = scenario("prism POST send", lambda: start_prism(args.prism), PRISM_PATH, POST_LUA, args)
        rows.append(("GET list (1k stored) vs Prism", f"{small:,.0f} vs {prism_get:,.0f} req/s",
                     f"{small / prism_get:.2f} (target > 1)"))
        rows.append(("GET list (100k stored) vs Prism", f"{big:,.0f} vs {prism_get:,.0f} req/s",
                     f"{big / prism_get:.2f} (target > 1)"))
        rows.append(("POST send vs Prism", f"{post:,.0f} vs {prism_post:,.0f} req/s",
                     f"{post / prism_post:.2f} (target > 1)"))
    else:
        rows.append(("vs Prism", f"POST {post:,.0f} req/s", "Prism not installed: no ratio"))
    if args.sends:
        with tempfile.TemporaryDirectory(prefix="mock-memory-") as tmp:
            before, after, sent = memory(args, Path(tmp) / "memory.sqlite")
        rows.append((f"RSS over {sent:,} sends (--db file)", f"{before / 1024:.1f} -> {after / 1024:.1f} MiB",
                     f"{(after - before) * 1024 / sent:,.1f} B per message sent"))
    print("\n| mock | figures | ratio |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
