"""schemathesis' per-operation settings, worked out once per operation and phase instead of per case.

schemathesis 4.32 resolves an operation's generation, phase and check settings on every generated
case (and again for every parameter's serializer): it walks the run's per-operation config entries
(build_config adds one per special operation), matches each one's filter against the operation and
merges the hierarchy. With 34 operations that was about a tenth of the run's time in a profile. The
answer depends only on the config, which does not change once the run starts, and on the operation
(its filters match by operationId, method and path), so it is kept per (config, operation, phase)
for the configs registered here. Unregistered configs (any other use of schemathesis in the
process) are looked up as before.
"""

from __future__ import annotations

from typing import Any

MEMOIZED = ("generation_for", "phases_for", "checks_config_for")
# id(config) -> (the config, {(method name, operation label, phase): the answer}). Holding the config
# keeps its id from being reused by another object while it is registered.
_REGISTERED: dict[int, tuple[object, dict[tuple[str, str | None, str | None], Any]]] = {}


def _memoized(name: str, original):
    def lookup(self, *, operation=None, phase=None, **rest):
        entry = _REGISTERED.get(id(self))
        if entry is None or rest:
            return original(self, operation=operation, **({"phase": phase} if phase is not None else {}), **rest)
        key = (name, None if operation is None else operation.label, phase)
        answers = entry[1]
        if key not in answers:
            answers[key] = original(self, operation=operation, **({"phase": phase} if phase is not None else {}))
        return answers[key]

    lookup._memoized = True  # type: ignore[attr-defined]
    lookup.__name__ = name
    lookup.__doc__ = original.__doc__
    return lookup


def _install() -> None:
    from schemathesis.config._projects import ProjectConfig

    for name in MEMOIZED:
        original = getattr(ProjectConfig, name)
        if not getattr(original, "_memoized", False):
            setattr(ProjectConfig, name, _memoized(name, original))


def register(config: object) -> None:
    """Keep ``config``'s per-operation answers from now on (call it once the config is final)."""
    _install()
    _REGISTERED[id(config)] = (config, {})


def unregister(config: object) -> None:
    _REGISTERED.pop(id(config), None)
