"""Per-connection sliding-window rate limit (the connector's "N calls per W seconds per connection").

A connection is one Plivo account (one auth id). Each accepted request stores its time; a request is
accepted when fewer than ``limit`` accepted requests fall inside the last ``window`` seconds of the
mock clock. Refused requests are not stored, so a client hammering a 429 does not extend its own
ban. The window is kept in memory only: a restart forgets it, like a fresh gateway would.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable


class SlidingWindowThrottle:
    def __init__(self, limit: int, window: float, now: Callable[[], float]) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("throttle needs limit >= 1 and window > 0")
        self.limit = limit
        self.window = float(window)
        self._now = now
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str) -> int | None:
        """Take one slot for ``key``. Returns None when allowed, else the Retry-After seconds (>= 1)."""
        now = self._now()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            # Hits at exactly now - window have left the window: "any 60 s window" is half-open.
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) < self.limit:
                hits.append(now)
                return None
            # The oldest hit frees its slot when it leaves the window; round up so a client that
            # waits exactly Retry-After seconds is let in.
            return max(1, math.ceil(hits[0] + self.window - now))

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()
