"""PyYAML, imported without compiling regular expressions that a libyaml load never uses.

``import yaml`` compiles a dozen regular expressions at import time, and Python compiles those in
pure Python: the reader's check for non-printable characters alone (a character class spanning
all of Unicode) takes about 8 ms, more than loading all the sources with libyaml, which does that
check in C. So while ``yaml`` is imported, each ``re.compile`` made by a module of the ``yaml``
package gives a pattern that compiles on first use instead; any other caller (another module
imported meanwhile) gets ``re.compile`` itself. The resolver's patterns (is this plain scalar a
number, a boolean, null?) are still compiled, each when the first scalar that could be one is
met; the reader's and the pure-Python constructor's only if the pure-Python loader runs (no
libyaml). Same patterns, same results: only the moment they are compiled moves.

If ``yaml`` was already imported (by another package in the same process), it is used as it is.
"""

from __future__ import annotations

import re
import sys


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


def _import_yaml():
    if "yaml" in sys.modules:
        return sys.modules["yaml"]
    compile_now = re.compile

    def compile_for_yaml(pattern, flags=0):
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if caller == "yaml" or caller.startswith("yaml."):
            return LazyPattern(pattern, flags)
        return compile_now(pattern, flags)

    re.compile = compile_for_yaml
    try:
        import yaml
    finally:
        re.compile = compile_now
    return yaml


yaml = _import_yaml()
