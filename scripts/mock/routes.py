"""Which handler serves which Plivo path and method. The trailing slash is optional everywhere:
every URI Plivo hands out ends with "/", but what the live API does without it is not documented.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from . import accounts, applications, calls, live_calls, lookup, media, messages, numbers, recordings, verify

_ACCOUNT = r"^/v1/Account/(?P<auth_id>[^/]+)"
# Paths of other Plivo hosts are written as absolute URLs, as a definition reaches them through a
# dynamichosturl policy; the mock serves them on its own origin (their paths differ from /v1/Account/).
LOOKUP_URL = "https://lookup.plivo.com/v1/Number"
_ID = r"(?P<{}>[^/]+)"

Handlers = dict[str, Callable[..., Any]]

# (path below the account as a connector definition writes it, pattern, handlers by method)
ROUTES: list[tuple[str, re.Pattern[str], Handlers]] = [
    # "//": the Node SDK asks for the account at /v1/Account/{id}// (it joins "" to a path ending in /).
    ("/", re.compile(_ACCOUNT + r"/{0,2}\Z"), {"GET": accounts.details}),
    ("/Message/", re.compile(_ACCOUNT + r"/Message/?\Z"), {"GET": messages.list_, "POST": messages.send}),
    ("/Message/{message_uuid}/", re.compile(_ACCOUNT + r"/Message/" + _ID.format("message_uuid") + r"/?\Z"),
     {"GET": messages.get}),
    ("/Call/", re.compile(_ACCOUNT + r"/Call/?\Z"), {"GET": calls.list_, "POST": calls.make}),
    ("/Call/{call_uuid}/", re.compile(_ACCOUNT + r"/Call/" + _ID.format("call_uuid") + r"/?\Z"),
     {"GET": calls.get, "DELETE": calls.hangup}),
    ("/Message/{message_uuid}/Media/",
     re.compile(_ACCOUNT + r"/Message/" + _ID.format("message_uuid") + r"/Media/?\Z"), {"GET": media.list_}),
    ("/Verify/Session/", re.compile(_ACCOUNT + r"/Verify/Session/?\Z"), {"POST": verify.start}),
    ("/Verify/Session/{session_uuid}/",
     re.compile(_ACCOUNT + r"/Verify/Session/" + _ID.format("session_uuid") + r"/?\Z"),
     {"GET": verify.get, "POST": verify.check}),
    (LOOKUP_URL + "/{number}", re.compile(r"^/v1/Number/" + _ID.format("number") + r"/?\Z"), {"GET": lookup.get}),
    *((f"/Call/{{call_uuid}}/{name}/",
       re.compile(_ACCOUNT + r"/Call/" + _ID.format("call_uuid") + f"/{name}/?\\Z"), handlers)
      for name, handlers in (
          ("Speak", {"POST": live_calls.speak, "DELETE": live_calls.stop_speaking}),
          ("Play", {"POST": live_calls.play, "DELETE": live_calls.stop_playing}),
          ("DTMF", {"POST": live_calls.send_digits}),
          ("Record", {"POST": live_calls.start_recording, "DELETE": live_calls.stop_recording}),
      )),
    ("/Recording/", re.compile(_ACCOUNT + r"/Recording/?\Z"), {"GET": recordings.list_}),
    ("/Recording/{recording_id}/",
     re.compile(_ACCOUNT + r"/Recording/" + _ID.format("recording_id") + r"/?\Z"), {"GET": recordings.get}),
    ("/Application/", re.compile(_ACCOUNT + r"/Application/?\Z"),
     {"GET": applications.list_, "POST": applications.create}),
    ("/Application/{app_id}/", re.compile(_ACCOUNT + r"/Application/" + _ID.format("app_id") + r"/?\Z"),
     {"GET": applications.get, "POST": applications.update, "DELETE": applications.delete}),
    ("/Number/", re.compile(_ACCOUNT + r"/Number/?\Z"), {"GET": numbers.list_}),
    ("/Number/{number}/", re.compile(_ACCOUNT + r"/Number/" + _ID.format("number") + r"/?\Z"),
     {"GET": numbers.get, "POST": numbers.update}),
    ("/PhoneNumber/", re.compile(_ACCOUNT + r"/PhoneNumber/?\Z"), {"GET": numbers.search}),
]


def route_key(path: str) -> str:
    """A path template reduced to its shape: "/Message/{message_uuid}/" -> "message/{}"."""
    return re.sub(r"\{[^{}]*\}", "{}", path.strip("/").lower())


def restrict(operations: set[tuple[str, str]]) -> list[tuple[str, re.Pattern[str], Handlers]]:
    """The routes cut down to ``operations`` ((METHOD, path template) pairs, e.g. from a definition)."""
    wanted = {(method.upper(), route_key(path)) for method, path in operations}
    known = {(method, route_key(template)) for template, _, handlers in ROUTES for method in handlers}
    unknown = sorted(wanted - known)
    if unknown:
        raise ValueError("the mock does not implement " + ", ".join(f"{m} {p}" for m, p in unknown))
    table = []
    for template, pattern, handlers in ROUTES:
        kept = {m: h for m, h in handlers.items() if (m, route_key(template)) in wanted}
        if kept:
            table.append((template, pattern, kept))
    return table


def match(path: str, table: list[tuple[str, re.Pattern[str], Handlers]] | None = None,
          ) -> tuple[Handlers, dict[str, str]] | None:
    """The methods table and the path parameters for ``path``, or None for an unknown path."""
    for _, pattern, methods in ROUTES if table is None else table:
        m = pattern.match(path)
        if m:
            return methods, m.groupdict()
    return None
