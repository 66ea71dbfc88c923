"""Import a third-party package with its module-level regular expressions compiled on first use.

Python compiles a regular expression in pure Python, and some packages compile many at import that
a given command never uses: ``import yaml`` compiles the reader's check for non-printable
characters (a character class spanning all of Unicode: about 8 ms, more than loading all the
sources with libyaml, which does that check in C), and Jinja2's runtime compiles the patterns of
filters such as ``urlize`` that the pages never call. While such a package is imported, each
``re.compile`` made by one of its own modules gives a pattern that compiles on first use instead;
any other caller (another module imported meanwhile) gets ``re.compile`` itself. Same patterns,
same results: only the moment they are compiled moves. A package imported before (by another
package in the same process) is used as it is.

The patterns must only be used through their attributes (``.match``, ``.search``, ``.pattern``...),
as PyYAML (reader, resolver, constructor) and Jinja2's runtime, utils and filters do; a pattern
passed to a function of ``re`` would not be one. tests/test_lazy_patterns.py checks both packages.
"""

from __future__ import annotations

import _thread
import importlib
import re
import sys
from types import ModuleType

# One swap at a time: two overlapping ones restoring out of order (A saves the real re.compile,
# B saves A's, A restores the real one, B restores A's) would leave re.compile swapped for good.
_SWAPPING = _thread.RLock()


class LazyPattern:
    """``re.compile(pattern, flags)``, done on the first use of any of its attributes. Each
    attribute read is then kept on the instance, so ``.match`` costs a plain attribute read."""

    def __init__(self, pattern, flags=0):
        self._source = (pattern, flags)

    def __getattr__(self, name: str):  # only for names not yet on the instance
        if name.startswith("__"):
            raise AttributeError(name)  # copy, pickle and friends probing for hooks: not a pattern's business
        value = getattr(re.compile(*self._source), name)
        setattr(self, name, value)
        return value

    def __repr__(self) -> str:
        return f"LazyPattern({self._source[0]!r}, {self._source[1]!r})"


def import_with_lazy_patterns(name: str, package: str) -> ModuleType:
    """``importlib.import_module(name)``, the modules of ``package`` imported meanwhile getting
    LazyPatterns from ``re.compile``."""
    if name in sys.modules:
        return sys.modules[name]
    with _SWAPPING:
        compile_now = re.compile

        def compile_later(pattern, flags=0):
            caller = sys._getframe(1).f_globals.get("__name__", "")
            if caller == package or caller.startswith(package + "."):
                return LazyPattern(pattern, flags)
            return compile_now(pattern, flags)

        re.compile = compile_later
        try:
            return importlib.import_module(name)
        finally:
            re.compile = compile_now
