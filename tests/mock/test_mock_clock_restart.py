"""The mock clock's offset survives a restart with --db (and only with it); reset forgets it."""

from __future__ import annotations

from mock_helpers import ACCOUNTS, WsgiClient

from scripts.mock import create_app


def test_advanced_clock_survives_a_restart_with_a_db_file(tmp_path):
    path = str(tmp_path / "state.sqlite")
    app = create_app(ACCOUNTS, db_path=path)
    client = WsgiClient(app)
    client.control("POST", "/_mock/clock/advance", {"seconds": 86_400})
    uuid = client.send().json["message_uuid"][0]  # made "tomorrow" on the mock clock
    app.close()

    again = create_app(ACCOUNTS, db_path=path)
    client = WsgiClient(again)
    assert client.control("GET", "/_mock/clock").json["offset"] >= 86_400
    # Still listed within the default 24-hour window, and not back to queued or in the future.
    listed = client.list_messages().json["objects"]
    assert [m["message_uuid"] for m in listed] == [uuid]
    client.control("POST", "/_mock/clock/advance", {"seconds": 5})
    assert client.request("GET", client.uri(f"Message/{uuid}/")).json["message_state"] == "delivered"
    client.control("POST", "/_mock/reset")
    again.close()
    assert create_app(ACCOUNTS, db_path=path).clock.offset == 0


def test_memory_mocks_start_at_real_time():
    app = create_app(ACCOUNTS)
    WsgiClient(app).control("POST", "/_mock/clock/advance", {"seconds": 60})
    app.close()
    assert create_app(ACCOUNTS).clock.offset == 0
