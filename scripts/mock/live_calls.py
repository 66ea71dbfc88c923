"""Actions on a live call: speak text (``Speak/``), play audio (``Play/``), send digits (``DTMF/``) and
record (``Record/``), each started with POST (202 and a body) and stopped with DELETE (204, no body).
The live view itself (``GET Call/{uuid}/?status=live``) is in calls.py.

Which call is live comes from the call's timeline on the mock clock (calls.py): it rings for
RING_SECONDS, is in progress once answered, and ends when hung up or when its time_limit runs out.
The actions need it in progress. Any other call, or another account's, is Plivo's 404
``not found`` -- as hanging up an ended call is.

The official Python SDK repeats the path's ``call_uuid`` in every body (and sends a body on
DELETE), so ``call_uuid`` is accepted where it matches the path.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from . import calls, recordings
from . import params as p
from .formats import new_uuid
from .httpio import ApiError, Request, Response

if TYPE_CHECKING:
    from .app import MockApp

LEGS = ("aleg", "bleg", "both")
DTMF_LEGS = ("aleg", "bleg")
VOICES = ("WOMAN", "MAN")
# Plivo's language codes (en-US, arb, cmn-CN, ...): lower-case language, optional upper-case region.
LANGUAGE = r"[a-z]{2,3}(-[A-Z]{2})?"
LANGUAGE_RE = re.compile(rf"^{LANGUAGE}\Z")
URL_ITEM = r"https?://[^\t\n\v\f\r /?#,][^\t\n\v\f\r ,]*"
URL_LIST = rf"{URL_ITEM}(,{URL_ITEM})*"
URL_LIST_RE = re.compile(rf"^{URL_LIST}\Z")
DIGITS = r"[0-9*#wW]+"
DIGITS_RE = re.compile(rf"^{DIGITS}\Z")
MAX_TEXT = 3000  # characters of text Plivo speaks in one request
MAX_PLAY_LENGTH = 86_400

CALLBACK_FIELDS = frozenset({"call_uuid", "callback_url", "callback_method"})
SPEAK_FIELDS = CALLBACK_FIELDS | {"text", "voice", "language", "legs", "loop", "mix", "type"}
PLAY_FIELDS = CALLBACK_FIELDS | {"urls", "length", "legs", "loop", "mix"}
DTMF_FIELDS = CALLBACK_FIELDS | {"digits", "leg"}


def _bool(body: p.Body, name: str, default: bool) -> bool:
    """A JSON boolean; the strings "true"/"false" only in a form, where every value is a string."""
    value = body.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if body.get("__form__") and value in ("true", "false"):
        return value == "true"
    raise p.bad(f"{name} must be true or false")


def _choice(body: p.Body, name: str, choices: tuple[str, ...], default: str) -> str:
    value = p.get_str(body, name)
    if value is None:
        return default
    if value not in choices:
        raise p.bad(f"{name} must be one of: {', '.join(choices)}")
    return value


def _callback(body: p.Body, call_uuid: str) -> None:
    calls.same_uuid(p.get_str(body, "call_uuid"), call_uuid)
    p.get_url(body, "callback_url")
    p.get_method(body, "callback_method")


def live_state(row: Any, now: float) -> str | None:
    """"ringing", "in-progress", or None once the call has ended."""
    t = calls.timeline(row, now)
    if t["end_at"] is not None:
        return None
    return "in-progress" if t["answer_at"] is not None else "ringing"


def in_progress(app: MockApp, auth_id: str, call_uuid: str) -> Any:
    """The call's row, or 404 unless it is answered and not yet ended."""
    row = calls.find_call(app, auth_id, call_uuid)
    if live_state(row, app.clock.now()) != "in-progress":
        raise ApiError(404, "not found")
    return row


def speak(app: MockApp, req: Request, auth_id: str, call_uuid: str) -> Response:
    body = req.body()
    p.reject_unknown(body, SPEAK_FIELDS)
    p.get_str(body, "text", required=True, max_len=MAX_TEXT)
    _choice(body, "voice", VOICES, "WOMAN")
    language = p.get_str(body, "language")
    if language is not None and not LANGUAGE_RE.match(language):
        raise p.bad("language must be a language code such as en-US")
    _choice(body, "legs", LEGS, "aleg")
    _choice(body, "type", ("text", "ssml"), "text")
    _bool(body, "loop", False)
    _bool(body, "mix", True)
    _callback(body, call_uuid)
    in_progress(app, auth_id, call_uuid)
    return Response(202, {"api_id": new_uuid(), "message": "speak started"})


def play(app: MockApp, req: Request, auth_id: str, call_uuid: str) -> Response:
    body = req.body()
    p.reject_unknown(body, PLAY_FIELDS)
    urls = p.get_str(body, "urls", required=True)
    if not URL_LIST_RE.match(urls):
        raise p.bad("urls must be http or https URLs separated by commas")
    p.get_int(body, "length", 1, MAX_PLAY_LENGTH)
    _choice(body, "legs", LEGS, "aleg")
    _bool(body, "loop", False)
    _bool(body, "mix", True)
    _callback(body, call_uuid)
    in_progress(app, auth_id, call_uuid)
    return Response(202, {"api_id": new_uuid(), "message": "play started"})


def send_digits(app: MockApp, req: Request, auth_id: str, call_uuid: str) -> Response:
    body = req.body()
    p.reject_unknown(body, DTMF_FIELDS)
    digits = p.get_str(body, "digits", required=True)
    if not DIGITS_RE.match(digits):
        raise p.bad("digits may contain only digits, *, # and w/W (waits)")
    _choice(body, "leg", DTMF_LEGS, "aleg")
    _callback(body, call_uuid)
    in_progress(app, auth_id, call_uuid)
    return Response(202, {"api_id": new_uuid(), "message": "digits sent"})


def _stop(app: MockApp, req: Request, auth_id: str, call_uuid: str) -> Any:
    body = req.body()
    p.reject_unknown(body, CALLBACK_FIELDS)
    _callback(body, call_uuid)
    return in_progress(app, auth_id, call_uuid)


def stop_speaking(app: MockApp, req: Request, auth_id: str, call_uuid: str) -> Response:
    _stop(app, req, auth_id, call_uuid)
    return Response(204)


def stop_playing(app: MockApp, req: Request, auth_id: str, call_uuid: str) -> Response:
    _stop(app, req, auth_id, call_uuid)
    return Response(204)


def start_recording(app: MockApp, req: Request, auth_id: str, call_uuid: str) -> Response:
    body = req.body()
    fields = recordings.validate_start(body)
    _callback(body, call_uuid)
    row = in_progress(app, auth_id, call_uuid)
    recording_id, url = recordings.start(app, auth_id, row, **fields)
    return Response(202, {"api_id": new_uuid(), "message": "call recording started",
                          "recording_id": recording_id, "url": url})


def stop_recording(app: MockApp, req: Request, auth_id: str, call_uuid: str) -> Response:
    body = req.body()
    p.reject_unknown(body, CALLBACK_FIELDS | {"URL"})
    url = p.get_url(body, "URL")
    _callback(body, call_uuid)
    in_progress(app, auth_id, call_uuid)
    recordings.stop(app, auth_id, call_uuid, url)
    return Response(204)
