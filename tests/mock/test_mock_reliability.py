"""Concurrency and durability over real sockets: parallel sends, the throttle under parallel load,
and a SIGKILL in the middle of a send load with a database file."""

from __future__ import annotations

import http.client
import json
import os
import signal
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

from mock_helpers import ACCOUNT_A, ACCOUNT_B, ACCOUNTS, MockProcess, basic, serve

from scripts.mock import create_app

SEND = json.dumps({"src": "14155550100", "dst": "14155550123", "text": "load"}).encode()


def _conn(url: str) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)


def _send(conn: http.client.HTTPConnection, account: tuple[str, str]) -> tuple[int, dict]:
    conn.request("POST", f"/v1/Account/{account[0]}/Message/", body=SEND,
                 headers={"Authorization": basic(*account), "Content-Type": "application/json"})
    r = conn.getresponse()
    return r.status, json.loads(r.read())


def _run_threads(count: int, target) -> None:
    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)


def test_8_threads_x_250_sends_store_exactly_2000_messages(live_url):
    statuses: Counter[int] = Counter()
    uuids: list[str] = []
    lock = threading.Lock()

    def worker(_: int) -> None:
        conn = _conn(live_url)  # one keep-alive connection per thread
        mine, codes = [], Counter()
        for _ in range(250):
            status, body = _send(conn, ACCOUNT_A)
            codes[status] += 1
            mine.extend(body.get("message_uuid", []))
        conn.close()
        with lock:
            statuses.update(codes)
            uuids.extend(mine)

    _run_threads(8, worker)
    assert statuses == Counter({202: 2000})
    assert len(uuids) == 2000 and len(set(uuids)) == 2000
    conn = _conn(live_url)
    conn.request("GET", f"/v1/Account/{ACCOUNT_A[0]}/Message/", headers={"Authorization": basic(*ACCOUNT_A)})
    assert json.loads(conn.getresponse().read())["meta"]["total_count"] == 2000
    conn.close()


def test_throttle_is_exact_under_parallel_load():
    app = create_app(ACCOUNTS, throttle=(100, 60.0))
    statuses: dict[str, Counter[int]] = {ACCOUNT_A[0]: Counter(), ACCOUNT_B[0]: Counter()}
    lock = threading.Lock()
    for url in serve(app):
        def worker(i: int, url: str = url) -> None:
            account = ACCOUNT_A if i % 2 else ACCOUNT_B
            conn = _conn(url)
            codes = Counter(_send(conn, account)[0] for _ in range(40))  # 4 threads x 40 per account
            conn.close()
            with lock:
                statuses[account[0]].update(codes)

        _run_threads(8, worker)
        for account in (ACCOUNT_A, ACCOUNT_B):
            assert statuses[account[0]] == Counter({202: 100, 429: 60})
        app.clock.advance(60)
        conn = _conn(url)
        assert _send(conn, ACCOUNT_A)[0] == 202
        conn.close()
    app.close()


def test_every_acknowledged_message_survives_sigkill(tmp_path):
    db = str(tmp_path / "mock.sqlite")
    account = f"{ACCOUNT_A[0]}:{ACCOUNT_A[1]}"
    first = MockProcess("--db", db, "--port", "0", "--no-throttle", "--account", account)
    acked: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()
    try:
        url = first.wait_listening()

        def worker(_: int) -> None:
            conn = _conn(url)
            try:
                while not stop.is_set():
                    try:
                        status, body = _send(conn, ACCOUNT_A)
                    except (OSError, http.client.HTTPException, ValueError):
                        return  # the server died mid-request: that message was never acknowledged
                    if status == 202:
                        with lock:
                            acked.extend(body["message_uuid"])
            finally:
                conn.close()

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 10
        while len(acked) < 300 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(first.proc.pid, signal.SIGKILL)  # while the workers are still sending
        first.proc.wait(timeout=10)
        stop.set()
        for t in threads:
            t.join(timeout=10)
    finally:
        stop.set()
        first.stop()
    assert first.proc.returncode == -signal.SIGKILL
    assert len(acked) >= 300

    second = MockProcess("--db", db, "--port", "0", "--no-throttle", "--account", account)
    try:
        url = second.wait_listening()
        conn = _conn(url)
        missing = []
        for uuid in acked:
            conn.request("GET", f"/v1/Account/{ACCOUNT_A[0]}/Message/{uuid}/",
                         headers={"Authorization": basic(*ACCOUNT_A)})
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                missing.append(uuid)
        conn.request("GET", f"/v1/Account/{ACCOUNT_A[0]}/Message/", headers={"Authorization": basic(*ACCOUNT_A)})
        total = json.loads(conn.getresponse().read())["meta"]["total_count"]
        conn.close()
    finally:
        second.stop()
    assert missing == []
    # Messages committed but not yet acknowledged when the process died may also be there.
    assert total >= len(acked)
