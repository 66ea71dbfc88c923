"""schemathesis' engine events between a worker process and the parent, pickled.

An event refers to the API operations and the schema it was made with (each case knows its
operation, each operation its schema): those are not sent. The worker writes an operation as its
label and the schema as a marker; the parent reads them back as its *own* objects, loaded from the
same definition, so the output, the reports and the reproduction commands it prints are made with
the parent's schema, exactly as in a one-process run.

A reducer per type (``dispatch_table``) rather than ``persistent_id``: the latter is a Python call
for every object of every event (a few hundred per test case), the former a lookup in C.
"""

from __future__ import annotations

import contextlib
import copyreg
import io
import pickle
from collections.abc import Iterator

# The parent's operations by label and its schema, while it reads a worker's events.
_OPERATIONS: dict[str, object] = {}
_SCHEMA: list[object] = []


def _operation(label: str) -> object:
    try:
        return _OPERATIONS[label]
    except KeyError:
        raise pickle.UnpicklingError(f"a worker sent an event about {label!r}, an operation this run "
                                     "did not load") from None


def _schema() -> object:
    if not _SCHEMA:
        raise pickle.UnpicklingError("a worker sent an event about the schema outside a run")
    return _SCHEMA[0]


def _new(cls: type) -> object:
    return cls.__new__(cls)


def _set_state(obj: object, state: dict) -> None:
    for name, value in state.items():
        object.__setattr__(obj, name, value)


def _reduce_plainly(obj: object) -> tuple:
    """For classes whose __setattr__ does more than set (a Case marks its metadata dirty when a
    container is set, and reads the metadata, which pickle may not have restored yet): restore
    the attributes as they were, without it."""
    state: dict = dict(getattr(obj, "__dict__", {}))
    for cls in type(obj).__mro__:
        slots = getattr(cls, "__slots__", ())
        for name in (slots,) if isinstance(slots, str) else slots:
            if name not in state and name not in ("__dict__", "__weakref__"):
                try:
                    state[name] = object.__getattribute__(obj, name)
                except AttributeError:
                    continue  # an unset slot stays unset
    return _new, (type(obj),), state, None, None, _set_state


def _new_exception(cls: type, args: tuple) -> BaseException:
    error = cls.__new__(cls, *args)
    error.args = args
    return error


def _reduce_failure(error: BaseException) -> tuple:
    """Check failures take keyword-only arguments their args do not hold (pickle's default would
    call the class with the args): make one without __init__ and restore its attributes."""
    _, _, state, *_ = _reduce_plainly(error)
    return _new_exception, (type(error), error.args), state, None, None, _set_state


def _plain_types() -> list[type]:
    from schemathesis.generation.case import Case

    return [Case]


def _failure_types() -> list[type]:
    from schemathesis.core.failures import Failure

    found, todo = [], [Failure]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


class EventWriter:
    """Pickles events of a run on ``schema`` (in a worker)."""

    def __init__(self, schema) -> None:
        from schemathesis.core.result import Ok

        table = copyreg.dispatch_table.copy()
        for cls in _plain_types():
            table[cls] = _reduce_plainly
        for cls in _failure_types():
            table[cls] = _reduce_failure
        table[type(schema)] = lambda _: (_schema, ())
        for result in schema.get_all_operations():
            if isinstance(result, Ok):
                table[type(result.ok())] = lambda op: (_operation, (op.label,))
        self._table = table

    def dumps(self, obj: object) -> bytes:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = self._table
        pickler.dump(obj)
        return buffer.getvalue()


@contextlib.contextmanager
def reading(schema) -> Iterator[None]:
    """While active, operations and the schema in loaded events are ``schema``'s own (in the parent)."""
    from schemathesis.core.result import Ok

    if _SCHEMA:
        raise RuntimeError("events of one run at a time")
    _OPERATIONS.update({r.ok().label: r.ok() for r in schema.get_all_operations() if isinstance(r, Ok)})
    _SCHEMA.append(schema)
    try:
        yield
    finally:
        _OPERATIONS.clear()
        _SCHEMA.clear()


def loads(data: bytes) -> object:
    return pickle.loads(data)
