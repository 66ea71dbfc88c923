"""Fixtures: the committed connector, a fresh mock, a runtime on it in-process, and a live socket."""

from __future__ import annotations

from collections.abc import Iterator

import plivo
import pytest

from scripts.mock import MockApp, create_app
from scripts.runtime import Connector, HttpTransport, Runtime, WsgiTransport
from tests.runtime.helpers import AUTH_ID, CONNECTION, ROOT, TOKEN, serve
from tests.support import point_sdk_at


@pytest.fixture(scope="session")
def connector() -> Connector:
    return Connector.load(ROOT)


@pytest.fixture
def app() -> Iterator[MockApp]:
    mock = create_app({AUTH_ID: TOKEN}, throttle=None)
    yield mock
    mock.close()


@pytest.fixture
def runtime(connector: Connector, app: MockApp) -> Runtime:
    return Runtime(connector, CONNECTION, WsgiTransport(app))


@pytest.fixture
def live_url(app: MockApp) -> Iterator[str]:
    yield from serve(app)


@pytest.fixture
def sdk(live_url, monkeypatch):
    point_sdk_at(monkeypatch, live_url)
    with plivo.RestClient(AUTH_ID, TOKEN) as client:
        yield client


@pytest.fixture
def emulator(connector, live_url) -> Runtime:
    return Runtime(connector, CONNECTION, HttpTransport(live_url))
