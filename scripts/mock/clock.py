"""The mock's clock: wall-clock time plus an offset that tests move forward.

Message states, the 24-hour list window and the throttle window are all computed from this clock, so a
test can make five seconds (or a day) pass instantly with ``advance`` instead of sleeping.
"""

from __future__ import annotations

import threading
import time


class Clock:
    """Real time plus an offset. Thread-safe; the offset only ever grows, so time never runs backwards.

    ``frozen_at`` (seconds since the epoch) makes a clock that stands still there and moves only by
    ``advance``: the contract run must not depend on the wall clock."""

    def __init__(self, offset: float = 0.0, *, frozen_at: float | None = None) -> None:
        self._offset = float(offset)
        self._frozen_at = frozen_at
        self._lock = threading.Lock()

    def now(self) -> float:
        """Seconds since the epoch, UTC, as the mock sees them."""
        return (time.time() if self._frozen_at is None else self._frozen_at) + self._offset

    def advance(self, seconds: float) -> float:
        """Move the clock forward by ``seconds`` (>= 0) and return the new time."""
        if seconds < 0:
            # A clock that goes backwards would let sent messages return to "queued".
            raise ValueError("seconds must be >= 0")
        with self._lock:
            self._offset += float(seconds)
        return self.now()

    @property
    def offset(self) -> float:
        return self._offset

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0
