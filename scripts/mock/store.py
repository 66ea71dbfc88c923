"""SQLite persistence: schema, one shared connection, and a lock around every use of it.

One connection guarded by a lock is the simplest thing that is correct for both ``:memory:`` (a
private in-memory database exists per connection, so all threads must share one) and a file.
Statements are short and the GIL serialises Python anyway, so the lock costs little.

With a file, the database runs in WAL mode with ``synchronous=NORMAL``: every write is committed
before the handler answers, and a committed WAL transaction survives the process being killed
(only an OS crash or power loss could drop the last ones, which a mock need not survive).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Sequence
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,              -- insertion order: breaks ties between equal times
    uuid TEXT NOT NULL UNIQUE,
    auth_id TEXT NOT NULL,               -- owner; every query filters on it
    direction TEXT NOT NULL,             -- outbound | inbound
    fixed_state TEXT,                    -- NULL: state follows the clock (outbound); else e.g. received
    type TEXT NOT NULL,
    from_number TEXT NOT NULL,
    to_number TEXT NOT NULL,
    created_at REAL NOT NULL,            -- mock-clock seconds
    units INTEGER NOT NULL,
    rate_e5 INTEGER NOT NULL,            -- price per unit in 0.00001
    powerpack_id TEXT,
    text TEXT
);
CREATE INDEX IF NOT EXISTS messages_by_owner_time ON messages (auth_id, created_at);
CREATE TABLE IF NOT EXISTS calls (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    auth_id TEXT NOT NULL,
    from_number TEXT NOT NULL,
    to_number TEXT NOT NULL,
    caller_name TEXT NOT NULL,
    created_at REAL NOT NULL,
    time_limit INTEGER NOT NULL,
    ended_at REAL,                       -- set by a hang-up request
    parent_call_uuid TEXT
);
CREATE INDEX IF NOT EXISTS calls_by_owner_time ON calls (auth_id, created_at);
CREATE TABLE IF NOT EXISTS message_media (  -- files of an mms/whatsapp message (media.py)
    id INTEGER PRIMARY KEY,              -- order of the media_urls given
    media_id TEXT NOT NULL UNIQUE,
    message_uuid TEXT NOT NULL,
    auth_id TEXT NOT NULL,
    url TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS media_by_message ON message_media (message_uuid);
CREATE TABLE IF NOT EXISTS verify_sessions (  -- Verify API sessions (verify.py)
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    auth_id TEXT NOT NULL,
    app_uuid TEXT NOT NULL,
    recipient TEXT NOT NULL,
    channel TEXT NOT NULL,
    code TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    verified INTEGER NOT NULL DEFAULT 0,
    wrong_codes INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS mock_state (    -- what must survive a restart besides records: the clock offset
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS recordings (
    id INTEGER PRIMARY KEY,
    recording_id TEXT NOT NULL UNIQUE,
    auth_id TEXT NOT NULL,
    call_uuid TEXT NOT NULL,             -- the recorded call (same account)
    started_at REAL NOT NULL,            -- mock-clock seconds
    time_limit INTEGER NOT NULL,         -- seconds; the recording ends by itself then
    stopped_at REAL,                     -- set by a stop request
    format TEXT NOT NULL                 -- mp3 | wav
);
CREATE INDEX IF NOT EXISTS recordings_by_call ON recordings (auth_id, call_uuid);
CREATE TABLE IF NOT EXISTS applications (
    id INTEGER PRIMARY KEY,              -- creation order: the order Plivo lists them in
    app_id TEXT NOT NULL UNIQUE,
    auth_id TEXT NOT NULL,
    fields TEXT NOT NULL                 -- JSON: app_name, the URLs and methods, flags
);
CREATE TABLE IF NOT EXISTS numbers (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,         -- a number is rented by one account at most
    auth_id TEXT NOT NULL,
    app_id TEXT,                         -- the attached application, NULL for none
    alias TEXT,
    number_type TEXT NOT NULL,
    services TEXT NOT NULL,              -- comma-separated: voice,sms,mms
    added_at REAL NOT NULL
);
"""

# Messages per owner and hour of created_at, kept by triggers in the same transaction as the rows
# (so every process sharing a database file sees counts that match): a list's total_count over
# the default 24-hour window is a sum over at most 25 rows plus an indexed count inside one hour,
# instead of counting every stored message on every list.
COUNTS_SCHEMA = """
CREATE TABLE message_counts (
    auth_id TEXT NOT NULL,
    hour INTEGER NOT NULL,               -- CAST(created_at / 3600 AS INTEGER)
    n INTEGER NOT NULL,
    PRIMARY KEY (auth_id, hour)
) WITHOUT ROWID;
CREATE TRIGGER message_counted AFTER INSERT ON messages BEGIN
    INSERT INTO message_counts (auth_id, hour, n) VALUES (NEW.auth_id, CAST(NEW.created_at / 3600 AS INTEGER), 1)
    ON CONFLICT (auth_id, hour) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER message_uncounted AFTER DELETE ON messages BEGIN
    UPDATE message_counts SET n = n - 1
    WHERE auth_id = OLD.auth_id AND hour = CAST(OLD.created_at / 3600 AS INTEGER);
END;
INSERT INTO message_counts (auth_id, hour, n)  -- a database file made before the counts existed
    SELECT auth_id, CAST(created_at / 3600 AS INTEGER), COUNT(*) FROM messages GROUP BY 1, 2;
"""


class Store:
    def __init__(self, path: str | None = None) -> None:
        self.path = path or ":memory:"
        # check_same_thread=False: the server's threads share this connection under self._lock.
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        with self._lock:
            if path:
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(SCHEMA)
            self._conn.execute("BEGIN IMMEDIATE")  # two processes opening one file: one creates the counts
            try:
                made = self._conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'message_counts'").fetchone()
                if not made:
                    for statement in _statements(COUNTS_SCHEMA):
                        self._conn.execute(statement)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def write(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement per row in a single transaction, committed before returning."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany(sql, rows)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """One auto-committed write; returns the number of rows changed."""
        with self._lock:
            return self._conn.execute(sql, params).rowcount

    def all(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        with self._lock:
            return self._conn.execute(sql, params).fetchone()

    def clear(self) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM messages")
            self._conn.execute("DELETE FROM message_counts")
            self._conn.execute("DELETE FROM calls")
            self._conn.execute("DELETE FROM message_media")
            self._conn.execute("DELETE FROM verify_sessions")
            self._conn.execute("DELETE FROM mock_state")
            self._conn.execute("DELETE FROM recordings")
            self._conn.execute("DELETE FROM applications")
            self._conn.execute("DELETE FROM numbers")

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _statements(script: str) -> list[str]:
    """Split a script into statements (executescript would commit the open transaction)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements
