"""Request parsing and response building for the WSGI app: the only module that touches ``environ``.

Every client mistake becomes an ``ApiError`` carrying the status and Plivo's ``{"api_id", "error"}``
body, so handlers never write raw responses for failures.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from .formats import new_uuid

MAX_BODY = 1024 * 1024  # 1 MiB: bigger bodies get 413 before a byte is read.
LOG_BODY_LIMIT = 4096  # a body is logged whole up to this many bytes, else as its size and head

REASONS = {
    200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 400: "Bad Request",
    401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    411: "Length Required", 413: "Payload Too Large", 429: "Too Many Requests",
    500: "Internal Server Error",
}


class ApiError(Exception):
    """A failure answered with a JSON error body. ``api_id=False`` leaves api_id out (real 401s do)."""

    def __init__(self, status: int, error: str, *, headers: list[tuple[str, str]] | None = None,
                 api_id: bool = True) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.headers = headers or []
        self.api_id = api_id

    def payload(self) -> dict[str, Any]:
        return {"api_id": new_uuid(), "error": self.error} if self.api_id else {"error": self.error}


class Response:
    """A JSON answer: ``body`` to be encoded, or ``raw``, a body already encoded as JSON (a list
    built from cached record texts, messages.py)."""

    __slots__ = ("body", "headers", "raw", "status")

    def __init__(self, status: int, body: dict[str, Any] | None = None,
                 headers: list[tuple[str, str]] | None = None, *, raw: bytes | None = None) -> None:
        self.status = status
        self.body = body
        self.headers = headers or []
        self.raw = raw

    def encode(self) -> tuple[str, list[tuple[str, str]], bytes]:
        data = self.raw if self.raw is not None else b"" if self.body is None else json.dumps(self.body).encode()
        headers = list(self.headers)
        if self.body is not None or self.raw is not None:
            headers.append(("Content-Type", "application/json"))
        headers.append(("Content-Length", str(len(data))))
        return f"{self.status} {REASONS.get(self.status, 'Unknown')}", headers, data


def error_response(err: ApiError) -> Response:
    return Response(err.status, err.payload(), err.headers)


def _reject_constant(name: str) -> Any:
    # json.loads accepts NaN/Infinity; they are not JSON and no Plivo field takes them.
    raise ValueError(f"{name} is not valid JSON")


class Request:
    """What a handler needs from one request; the body is read lazily and at most once."""

    def __init__(self, environ: dict[str, Any]) -> None:
        self.environ = environ
        self.method: str = environ.get("REQUEST_METHOD", "GET").upper()
        self.path: str = environ.get("PATH_INFO", "") or "/"
        self.query: dict[str, list[str]] = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        self.remote_addr: str = environ.get("REMOTE_ADDR", "")
        self.content_type: str = (environ.get("CONTENT_TYPE") or "").split(";", 1)[0].strip().lower()
        raw_length = (environ.get("CONTENT_LENGTH") or "").strip()
        if raw_length and not (raw_length.isascii() and raw_length.isdigit()):  # '²'.isdigit() is True
            raise ApiError(400, "invalid Content-Length header")
        self.content_length = int(raw_length) if raw_length else 0
        self.parsed_body: dict[str, Any] | None = None  # for the request log
        self._data: dict[str, Any] | None = None

    def check_size(self) -> None:
        if self.content_length > MAX_BODY:
            raise ApiError(413, f"request body too large: {self.content_length} bytes, limit {MAX_BODY}")

    def _read(self) -> bytes:
        if self.content_length == 0:
            return b""
        return self.environ["wsgi.input"].read(self.content_length)

    def body(self) -> dict[str, Any]:
        """The body as a dict: JSON object, or a form (repeated keys become lists). Empty body -> {}."""
        if self._data is None:
            raw = self._read()
            self._data = self._parse(raw)
            if len(raw) <= LOG_BODY_LIMIT:
                self.parsed_body = {k: v for k, v in self._data.items() if k != "__form__"}
            else:  # a parsed 1 MiB body can take tens of MiB; the log keeps what a reader needs
                self.parsed_body = {"__truncated__": {
                    "bytes": len(raw), "head": raw[:LOG_BODY_LIMIT].decode("utf-8", "replace")}}
        return self._data

    def json_body(self) -> dict[str, Any]:
        """The body as a JSON object whatever its Content-Type says. For the control API only:
        ``curl -d '{"seconds": 60}'`` labels its JSON application/x-www-form-urlencoded."""
        if self._data is None:
            raw = self._read()
            try:
                self._data = _parse_json(raw) if raw.strip() else {}
            except ApiError as error:
                raise ApiError(400, f"{error.error}; the control API takes a JSON object, e.g. "
                                    """curl -d '{"seconds": 60}'""") from None
            self.parsed_body = self._data
        return self._data

    def _parse(self, raw: bytes) -> dict[str, Any]:
        if not raw.strip():
            return {}
        if not self.content_type:
            raise ApiError(400, "Content-Type header is missing: send the body as application/json")
        if self.content_type == "application/json" or self.content_type.endswith("+json"):
            return _parse_json(raw)
        if self.content_type == "application/x-www-form-urlencoded":
            # Plivo also takes form posts; values arrive as strings, which "__form__" tells the validators.
            try:
                pairs = parse_qs(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
            except (ValueError, UnicodeDecodeError):
                raise ApiError(400, "malformed application/x-www-form-urlencoded body") from None
            return {k: v[0] if len(v) == 1 else v for k, v in pairs.items()} | {"__form__": True}
        raise ApiError(400, f"unsupported Content-Type {self.content_type!r}: use application/json")


def _parse_json(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise ApiError(400, f"malformed JSON body: {str(exc)[:200]}") from None
    if not isinstance(data, dict):
        raise ApiError(400, "the JSON body must be an object")
    if b"\\u" not in raw:  # only an escape can make a surrogate: UTF-8 input never decodes to one
        return data
    try:
        # JSON may escape lone surrogates ("\\ud800"): not text, and SQLite cannot store them.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ApiError(400, "malformed JSON body: a string holds a lone surrogate") from None
    return data
