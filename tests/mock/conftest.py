"""Fixtures for the Plivo mock tests: an in-process WSGI client and a live server on a real socket."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from mock_helpers import ACCOUNT_B, ACCOUNTS, WsgiClient, serve

from scripts.mock import MockApp, create_app


@pytest.fixture
def app() -> Iterator[MockApp]:
    mock = create_app(ACCOUNTS, throttle=None)
    yield mock
    mock.close()


@pytest.fixture
def client(app: MockApp) -> WsgiClient:
    return WsgiClient(app)


@pytest.fixture
def client_b(app: MockApp) -> WsgiClient:
    return WsgiClient(app, ACCOUNT_B)


@pytest.fixture
def live_url(app: MockApp) -> Iterator[str]:
    """The ``app`` fixture served on a real loopback socket (threaded, keep-alive)."""
    yield from serve(app)
