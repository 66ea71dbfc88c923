"""The full Jinja2 environment of the pages: compiles a template when its stored code cannot serve it.

Used when a template was edited since precompiled.json was made, under another Jinja2, and while
``python -m scripts.render.templating`` records the generated code (see templating.py).
"""

from __future__ import annotations

from typing import Any

import jinja2
import jinja2.bccache

from .stored_templates import StoredTemplates, source_checksum

_DICT_ATTRIBUTES = frozenset(dir(dict))


class Environment(jinja2.Environment):
    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class Precompiled(jinja2.bccache.BytecodeCache):
    """Serves the stored Python of a template as its code when it is still the right code.

    With ``recorded`` (a dict), every template compiled goes into it instead: what
    ``python -m scripts.render.templating`` writes to the file."""

    def __init__(self, folder, recorded: dict | None = None):
        self.folder = folder
        self.recorded = recorded
        self.stored = StoredTemplates(folder)

    def get_source_checksum(self, source: str) -> str:
        return source_checksum(source)  # the same SHA-1 as Jinja2's, without hashlib

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> jinja2.bccache.Bucket:
        from .templating import settings

        bucket = jinja2.bccache.Bucket(environment, name, self.get_source_checksum(source))
        if self.recorded is not None:
            self.recorded[name] = {"checksum": bucket.checksum, "settings": settings(environment),
                                   "code": environment.compile(source, name, filename, raw=True)}
            return bucket
        if self.stored.usable(name, bucket.checksum, settings(environment)):
            bucket.code = self.stored.code(name, filename or name)
        return bucket

    def set_bucket(self, bucket: jinja2.bccache.Bucket) -> None:
        pass  # compiled from source: nothing is written at run time

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:  # pragma: no cover - get_bucket does it
        pass

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:  # pragma: no cover - set_bucket does it
        pass


def full_environment(package: str, folder, recorded: dict | None, filters: dict, **options: Any) -> Environment:
    env = Environment(loader=jinja2.PackageLoader(package, "templates"), undefined=jinja2.StrictUndefined,
                      keep_trailing_newline=True, autoescape=False, bytecode_cache=Precompiled(folder, recorded),
                      **options)
    env.filters.update(filters)
    return env
