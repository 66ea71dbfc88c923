"""The per-hour message counts behind a list's total_count always equal a plain COUNT(*)."""

from __future__ import annotations

import random
import sqlite3

from mock_helpers import ACCOUNTS, WsgiClient

from scripts.mock import create_app
from scripts.mock.messages import INSERT_SQL, WINDOW_COUNT_SQL
from scripts.mock.store import Store

OWNERS = ("MAOWNER0000000000001", "MAOWNER0000000000002")


def _row(owner: str, created: float, number: int) -> tuple:
    return (f"uuid-{number}", owner, "outbound", None, "sms", "14155550100", "14155550123", created, 1, 500,
            None, "x")


def _counts_agree(store: Store, starts: list[float]) -> None:
    for owner in OWNERS:
        for start in starts:
            expected = store.one("SELECT COUNT(*) FROM messages WHERE auth_id = ? AND created_at > ?",
                                 (owner, start))[0]
            assert store.one(WINDOW_COUNT_SQL, {"auth": owner, "start": start})[0] == expected, (owner, start)


def test_window_counts_match_count_star_at_and_around_hour_boundaries():
    rng = random.Random(9)
    store = Store()
    base = 1_700_000_000.0 - 1_700_000_000.0 % 3600  # an exact hour
    times = [base + rng.choice([0.0, 3600.0, 7200.0, -3600.0]) + rng.choice([0.0, 1e-6, -1e-6, 0.5, 1799.5])
             for _ in range(400)] + [base + rng.uniform(-90_000, 90_000) for _ in range(400)]
    store.write(INSERT_SQL, [_row(OWNERS[i % 2], t, i) for i, t in enumerate(times)])
    starts = [*sorted(set(times))[::7], base, base - 1e-6, base + 1e-6, base - 86_400, base + 3600 * 30]
    _counts_agree(store, starts)
    store.execute("DELETE FROM messages WHERE id % 3 = 0")
    _counts_agree(store, starts)
    store.clear()
    _counts_agree(store, starts)
    store.close()


def test_a_database_file_from_before_the_counts_gets_them(tmp_path):
    path = tmp_path / "old.sqlite"
    Store(str(path)).close()
    with sqlite3.connect(path) as conn:  # as an older mock left it: messages, no counts
        conn.executescript("DROP TRIGGER message_counted; DROP TRIGGER message_uncounted; DROP TABLE message_counts;")
        conn.executemany(INSERT_SQL, [_row(OWNERS[0], 1_700_000_000.0 + i, i) for i in range(50)])
    store = Store(str(path))
    _counts_agree(store, [1_700_000_000.0 + i for i in range(-1, 51, 5)])
    store.close()


def test_total_count_follows_sends_and_the_clock():
    app = create_app(ACCOUNTS)
    client = WsgiClient(app)
    for _ in range(3):
        client.send()
    assert client.list_messages().json["meta"]["total_count"] == 3
    app.clock.advance(23 * 3600)
    client.send()
    assert client.list_messages().json["meta"]["total_count"] == 4
    app.clock.advance(3600 + 1)  # the first three leave the 24-hour window
    assert client.list_messages().json["meta"]["total_count"] == 1
    app.close()
