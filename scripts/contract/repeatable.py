"""A run's requests depend on its seed and the definition, not on the text of this tool's source.

Hypothesis mixes "local constants" into generated data: the string and number literals of every
module it takes for the user's own code (anything outside site-packages and the standard library),
read from ``sys.modules`` as they appear. For the contract run that is ``scripts/`` itself: a new
string in any module (a log message, a dictionary key) or a module imported a little earlier or
later changed which requests the same seed produced, and with them the number of cases and which
corner cases were met (a perf-only change turned up a stateful failure the committed run never
reached, and a profiler's imports changed the case count). The run already keeps no example
database and no crash cache for the same reason (runner.build_config). These literals say nothing
about the API under test, so during a run Hypothesis sees none; other Hypothesis use in the same
process (the test suite) is left as it was.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def seed_only() -> Iterator[None]:
    """While active, Hypothesis draws no constants from local modules."""
    try:
        from hypothesis.internal.conjecture import providers
        from hypothesis.internal.constants_ast import Constants
    except ImportError:  # a Hypothesis without local constants: nothing to switch off
        yield
        return
    original = getattr(providers, "_get_local_constants", None)
    if original is None:
        yield
        return
    none = Constants()
    # Hypothesis caches the constants each kind of draw may take, local ones included: start and end empty.
    clear = getattr(getattr(providers, "CONSTANTS_CACHE", None), "cache", {}).clear
    providers._get_local_constants = lambda: none
    clear()
    try:
        yield
    finally:
        providers._get_local_constants = original
        clear()
