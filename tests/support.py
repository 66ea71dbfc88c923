"""Helpers shared by the test packages: serving the mock on a socket, pointing the Plivo SDK at it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from scripts.mock.server import make_server

SDK_HOST_CONSTANTS = ("PLIVO_API", "API_VOICE", "API_VOICE_FALLBACK_1", "API_VOICE_FALLBACK_2")
SDK_BASE_URI_CONSTANTS = ("PLIVO_API_BASE_URI", "API_VOICE_BASE_URI", "API_VOICE_BASE_URI_FALLBACK_1",
                          "API_VOICE_BASE_URI_FALLBACK_2")


def serve(app: Any) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a thread; yields the base URL (use with ``yield from``
    in a fixture, or ``for url in serve(app)``)."""
    server = make_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def point_sdk_at(monkeypatch: Any, url: str) -> None:
    """The official SDK rebuilds its base URI on every request from module constants: move those."""
    from plivo.rest import client as rest_client

    for name in SDK_HOST_CONSTANTS:
        monkeypatch.setattr(rest_client, name, url)
    for name in SDK_BASE_URI_CONSTANTS:
        monkeypatch.setattr(rest_client, name, url + "/v1/Account")
