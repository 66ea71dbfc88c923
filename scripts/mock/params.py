"""Checks for request parameters (body fields and query strings), each failing with a 400 that names
the parameter, the way Plivo answers ("<name> parameter is missing", "... is not a valid ...").

Body values come from JSON (typed) or from a form (all strings; the marker ``__form__`` says so),
so the typed getters accept the string spelling only for forms -- except booleans, which Plivo's
own Python SDK sends as the JSON string "true" for ``log``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .formats import URL_RE
from .httpio import ApiError

Body = dict[str, Any]
Query = dict[str, list[str]]


def bad(message: str) -> ApiError:
    return ApiError(400, message)


def reject_unknown(body: Body, allowed: frozenset[str]) -> None:
    """Unknown fields are refused, and so are explicit nulls: Plivo appears to run on Django REST
    framework (its 401 text is DRF's), whose fields refuse null unless told otherwise."""
    unknown = sorted(k for k in body if k not in allowed and k != "__form__")
    if unknown:
        raise bad(f"unknown parameter(s): {', '.join(unknown)}")
    nulls = sorted(k for k, v in body.items() if v is None)
    if nulls:
        raise bad(f"{nulls[0]} may not be null")


def missing(name: str) -> ApiError:
    return bad(f"{name} parameter is missing")


def get_str(body: Body, name: str, *, required: bool = False, max_len: int | None = None,
            default: str | None = None) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            raise missing(name)
        return default
    if not isinstance(value, str):
        raise bad(f"{name} must be a string")
    if required and value == "":
        raise missing(name)
    if max_len is not None and len(value) > max_len:
        raise bad(f"{name} must be at most {max_len} characters")
    return value


def get_url(body: Body, name: str, *, required: bool = False) -> str | None:
    value = get_str(body, name, required=required)
    if value is not None and not URL_RE.match(value):
        raise bad(f"{name} must be an http or https URL")
    return value


def get_method(body: Body, name: str, default: str = "POST") -> str:
    value = get_str(body, name)
    if value is None:
        return default
    if value not in ("GET", "POST"):  # exact, as the definition's enum
        raise bad(f"{name} must be GET or POST")
    return value


def get_bool(body: Body, name: str, default: bool) -> bool:
    value = body.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise bad(f"{name} must be true or false")


def get_int(body: Body, name: str, lo: int, hi: int, default: int | None = None) -> int | None:
    value = body.get(name)
    if value is None:
        return default
    if body.get("__form__") and isinstance(value, str) and value.isdigit() and len(value) < 19:
        value = int(value)
    # bool is an int subclass in Python; true is not a number of seconds.
    if not isinstance(value, int) or isinstance(value, bool):
        raise bad(f"{name} must be an integer")
    if not lo <= value <= hi:
        raise bad(f"{name} must be between {lo} and {hi}")
    return value


def get_list(body: Body, name: str, check: Callable[[str], bool], what: str, max_items: int) -> list[str] | None:
    value = body.get(name)
    if value is None:
        return None
    if body.get("__form__") and isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise bad(f"{name} must be a list of strings")
    if len(value) > max_items:
        raise bad(f"{name} accepts at most {max_items} items")
    for item in value:
        if not check(item):
            raise bad(f"{name} contains an invalid {what}: {item[:100]!r}")
    return value


# -- query strings ---------------------------------------------------------------------------------

def reject_unknown_query(query: Query, allowed: frozenset[str]) -> None:
    unknown = sorted(k for k in query if k not in allowed)
    if unknown:
        raise bad(f"unknown query parameter(s): {', '.join(unknown)}")


def query_value(query: Query, name: str) -> str | None:
    values = query.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise bad(f"query parameter {name} given more than once")
    return values[0]


def query_int(query: Query, name: str, lo: int, hi: int, default: int) -> int:
    value = query_value(query, name)
    if value is None:
        return default
    # At most 18 digits: int() of a huge string is slow and no offset needs more.
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise bad(f"{name} must be an integer between {lo} and {hi}")
    number = int(value)
    if not lo <= number <= hi:
        raise bad(f"{name} must be an integer between {lo} and {hi}")
    return number


def query_choice(query: Query, name: str, choices: tuple[str, ...]) -> str | None:
    value = query_value(query, name)
    if value is not None and value not in choices:
        raise bad(f"{name} must be one of: {', '.join(choices)}")
    return value


def query_count(query: Query, name: str) -> int | None:
    """A non-negative whole-number filter (durations, cause codes), or None when absent."""
    value = query_value(query, name)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        raise bad(f"{name} must be a non-negative integer")
    return int(value)
