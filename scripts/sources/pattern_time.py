"""Match a source's own regular expression against its own default or example, in bounded time.

A ``pattern`` such as ``^(a+)+$`` backtracks exponentially: checked against a 30-character
default it would run for minutes, and a source may come from anyone. Python's ``re`` cannot be
given a timeout, but a SIGALRM interrupts it between steps; so each search runs under an interval
timer, and all the searches of one load share one budget, so many slow patterns cannot add up.

Off the main thread (where no signal can be delivered) or when the caller already runs an interval
timer, the search runs without a limit; the command line always loads sources on the main thread.
"""

from __future__ import annotations

import re
import signal
import threading
import time

PER_SEARCH_SECONDS = 1.0
TOTAL_SECONDS = 3.0


class PatternTimeout(Exception):
    """The search did not finish in its share of the budget."""


class PatternClock:
    """The time budget shared by every pattern search of one load of the sources."""

    def __init__(self, total: float = TOTAL_SECONDS, per_search: float = PER_SEARCH_SECONDS):
        self.left = total
        self.per_search = per_search

    def search(self, pattern: re.Pattern[str], value: str) -> bool:
        """Whether ``pattern`` finds a match in ``value``; PatternTimeout if it takes too long."""
        limit = min(self.left, self.per_search)
        if limit <= 0:
            raise PatternTimeout
        if not _can_time_box():
            return pattern.search(value) is not None
        started = time.monotonic()
        previous = signal.signal(signal.SIGALRM, _raise_timeout)
        try:
            signal.setitimer(signal.ITIMER_REAL, limit)
            try:
                return pattern.search(value) is not None
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)
            self.left -= time.monotonic() - started


def _can_time_box() -> bool:
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0))


def _raise_timeout(signum, frame) -> None:
    raise PatternTimeout
