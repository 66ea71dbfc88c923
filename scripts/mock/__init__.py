"""A faithful local mock of Plivo's REST API (messages, calls, account) for tests and demos.

``create_app`` builds the WSGI application; ``server.serve`` runs it on a threaded HTTP/1.1 server;
``cli`` is the command line. See docs/mock.md.
"""

from __future__ import annotations

from .app import MockApp
from .clock import Clock

__all__ = ["Clock", "MockApp", "create_app"]


def create_app(accounts: dict[str, str], *, throttle: tuple[int, float] | None = None,
               db_path: str | None = None, clock: Clock | None = None,
               operations: set[tuple[str, str]] | None = None) -> MockApp:
    """The mock as a WSGI callable. ``accounts`` maps auth id to auth token; ``throttle`` is
    (calls, seconds) per account, None (the default) for no limit: the numbers belong to the
    connector's sources, which the command line reads; ``db_path`` None keeps state in memory;
    ``operations`` ((METHOD, path below the account) pairs) limits the mock to those operations."""
    return MockApp(accounts, throttle=throttle, db_path=db_path, clock=clock, operations=operations)
