"""The Jinja2 environment every rendered page uses (README section, docs, rule catalogue).

The templates read plain dicts with attribute syntax (``op.summary``). Jinja2's own lookup tries
``getattr`` first and only then the key, paying a raised AttributeError on every lookup: on a big
connector that was two thirds of the reference page's render time. For a dict and a name that is
not an attribute of dict, that getattr can only fail, so going straight to the key is the same
lookup, without the exception; names such as ``items`` or ``get`` still reach the dict's methods.
"""

from __future__ import annotations

from typing import Any

import jinja2

_DICT_ATTRIBUTES = frozenset(dir(dict))


class Environment(jinja2.Environment):
    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def environment(package: str, **options: Any) -> Environment:
    """Markdown templates of ``package``'s ``templates`` folder: undefined names are errors, a
    template's final newline is kept, nothing is HTML-escaped."""
    return Environment(loader=jinja2.PackageLoader(package, "templates"), undefined=jinja2.StrictUndefined,
                       keep_trailing_newline=True, autoescape=False, **options)
