"""Python's cyclic garbage collector during a contract run: full collections only now and then.

A run keeps a large heap that only grows (schemathesis' and Hypothesis' state, every scenario's
recorded cases and responses, in the parent every worker's events) and allocates millions of
short-lived objects. With CPython's default thresholds (700, 10, 10) a full (oldest generation)
collection runs every hundred young ones, each walking the whole heap: in a profile of the default
run in one process the collector took 6.6 s of 56 s of CPU, 4.1 s of it in 24 full collections.
With the oldest generation's threshold at 1000 the run made one full collection, the collector
took 2.0 s, and the peak memory grew from 164 MB to 250 MB (cycles live longer before they are
freed); switching the collector off altogether grew it to 640 MB. The young generations keep
their thresholds: their collections are cheap and free most cycles early.

The collector does not decide anything a run generates or sends; the same seed gives the same
requests (benchmarks/contract_requests.py compares them).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

FULL_COLLECTION_THRESHOLD = 1000  # young-generation-1 collections between full ones (CPython: 10)


@contextlib.contextmanager
def fewer_full_collections() -> Iterator[None]:
    """While active, full collections run a hundredth as often (a worker forked meanwhile inherits
    it); the thresholds are restored after."""
    before = gc.get_threshold()
    tune_worker()
    try:
        yield
    finally:
        gc.set_threshold(*before)


def tune_worker() -> None:
    """Raise the oldest generation's threshold for good: in a worker process that did not inherit
    the parent's setting (spawn), for its life; inside fewer_full_collections, until it ends."""
    threshold = gc.get_threshold()
    gc.set_threshold(threshold[0], threshold[1], max(threshold[2], FULL_COLLECTION_THRESHOLD))
