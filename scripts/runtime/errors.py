"""The emulator's exceptions. Each carries the exit code the CLI returns for it.

2 means the request could not be built the way the platform would (unknown operation, bad input,
a policy template or expression this emulator does not reproduce); 1 means it was built and sent
but the call failed or its answer does not match the declared schema.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up of `run --list`)
if TYPE_CHECKING:
    from typing import Any


class EmulatorError(Exception):
    exit_code = 2


class DefinitionError(EmulatorError):
    """The rendered files are missing or unusable, or name an unknown operation."""


class InputError(EmulatorError):
    """An input is unknown, missing, or does not convert to its declared type."""


class UnsupportedError(EmulatorError):
    """A policy template, template parameter, expression or swagger feature the emulator does not
    reproduce. Raised instead of skipping it: a skipped policy would make a wrong request look right."""


class CallError(EmulatorError):
    """The backend answered with a non-2xx status, or could not be reached."""

    exit_code = 1

    def __init__(self, message: str, *, status: int | None = None, body: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body


class ResponseMismatch(EmulatorError):
    """A 2xx response whose body does not match the operation's declared schema."""

    exit_code = 1

    def __init__(self, message: str, *, problems: list[str], body: Any = None) -> None:
        super().__init__(message)
        self.problems = problems
        self.body = body
