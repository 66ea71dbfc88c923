"""A faithful local mock of Plivo's REST API (messages, media, calls, account, lookup, verify) for tests and demos.

``create_app`` builds the WSGI application; ``server.make_server`` serves it (one-thread HTTP/1.1);
``cli`` is the command line. See docs/mock.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import MockApp
    from .clock import Clock

__all__ = ["Clock", "MockApp", "create_app"]


def __getattr__(name: str) -> Any:
    # The app and its handlers are imported on first use: `--help` of the mock's commands and the
    # modules that only need the server or the formats do not pay for them.
    if name == "MockApp":
        from .app import MockApp

        return MockApp
    if name == "Clock":
        from .clock import Clock

        return Clock
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def create_app(accounts: dict[str, str], *, throttle: tuple[int, float] | None = None,
               db_path: str | None = None, clock: Clock | None = None,
               operations: set[tuple[str, str]] | None = None, plivo_limits: bool = True,
               timezone: str = "Etc/UTC", ids_seed: int | None = None) -> MockApp:
    """The mock as a WSGI callable. ``accounts`` maps auth id to auth token; ``throttle`` is
    (calls, seconds) per account, None (the default) for no limit: the numbers belong to the
    connector's sources, which the command line reads; ``db_path`` None keeps state in memory;
    ``operations`` ((METHOD, path below the account) pairs) limits the mock to those operations;
    ``plivo_limits`` False lifts Plivo's own per-account limits (list messages: 20 a minute);
    ``timezone`` (an IANA name) is the accounts' time zone, whose offset message times carry;
    ``ids_seed`` makes generated uuids repeatable (process-wide)."""
    from .app import MockApp

    return MockApp(accounts, throttle=throttle, db_path=db_path, clock=clock, operations=operations,
                   plivo_limits=plivo_limits, timezone=timezone, ids_seed=ids_seed)
