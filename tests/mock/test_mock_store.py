"""SQLite state: in memory by default, a file with --db that keeps state across restarts."""

from __future__ import annotations

import sqlite3

from mock_helpers import ACCOUNTS, WsgiClient

from scripts.mock import create_app


def test_db_file_keeps_messages_and_calls_across_restarts(tmp_path):
    path = str(tmp_path / "state.sqlite")
    app = create_app(ACCOUNTS, db_path=path)
    client = WsgiClient(app)
    message = client.send().json["message_uuid"][0]
    call = client.call().json["request_uuid"]
    app.close()

    again = create_app(ACCOUNTS, db_path=path)
    client = WsgiClient(again)
    assert client.request("GET", client.uri(f"Message/{message}/")).json["message_uuid"] == message
    assert client.request("GET", client.uri(f"Call/{call}/")).json["call_uuid"] == call
    again.close()


def test_db_file_uses_wal(tmp_path):
    path = str(tmp_path / "state.sqlite")
    create_app(ACCOUNTS, db_path=path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_memory_state_is_private_to_each_app():
    first, second = create_app(ACCOUNTS), create_app(ACCOUNTS)
    WsgiClient(first).send()
    assert WsgiClient(second).list_messages().json["meta"]["total_count"] == 0
    assert WsgiClient(first).list_messages().json["meta"]["total_count"] == 1
    first.close()
    second.close()
