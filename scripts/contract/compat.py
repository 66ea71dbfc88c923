"""Workarounds for three schemathesis 4.32 bugs met by the contract run.

In-process WSGI calls: the ``ignored_auth`` check re-sends a request without credentials (a probe). For a WSGI app the
probe still carries the socket-level transport settings (``max_redirects``, ``verify``, ``cert``,
``proxies``), which werkzeug's test client rejects with a TypeError; the normal path strips them
only when a requests session is passed. This strips them for every in-process send, and passes
the base URL so that the URL is always built by ``schema.build_request_url`` (runner.install_routes).
The same patch sends to the platform shim without werkzeug's test client (transport.py).

Report files: see ``patch_report_file_check``. 204 No Content: see ``patch_no_content_check``.
Remove them when schemathesis fixes them (pyproject pins the minor version for that reason).
"""

from __future__ import annotations

SOCKET_ONLY = ("max_redirects", "verify", "cert", "proxies")


def patch_wsgi_transport() -> None:
    from schemathesis.transport import wsgi

    transport = wsgi.WSGITransport
    if getattr(transport.send, "_strips_socket_kwargs", False):
        return
    original = transport.send

    from .transport import direct_send

    def send(self, case, *, session=None, **kwargs):
        if session is None or not hasattr(session, "mount"):  # no requests.Session: werkzeug only
            for name in SOCKET_ONLY:
                kwargs.pop(name, None)
        if kwargs.get("base_url") is None:
            # Without a base_url the WSGI transport builds the path itself and skips the schema's
            # build_request_url, where the run applies policies limited to some operations.
            kwargs["base_url"] = case.operation.schema.get_base_url()
        # The platform shim is called without werkzeug's test client in between (transport.py).
        return direct_send(original, self, case, session=session, **kwargs)

    send._strips_socket_kwargs = True  # type: ignore[attr-defined]
    send._original = original  # type: ignore[attr-defined]  # schemathesis' own, for tests/test_contract_transport.py
    transport.send = send


def patch_report_file_check() -> None:
    """schemathesis 4.32 checks that a report file can be written by opening it and never closing
    it (a ResourceWarning, an error under strict warnings). Do the same check, and close the file."""
    from schemathesis.cli import executor

    if getattr(executor.open_file, "_closes", False):
        return

    def open_file(file, option):
        import click

        try:
            file.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
            with file.open("w", encoding="utf-8"):
                pass
        except (OSError, ValueError) as error:
            raise click.BadParameter(f"Could not open file '{file}': {error}", param_hint=option) from error

    open_file._closes = True  # type: ignore[attr-defined]
    executor.open_file = open_file


def patch_no_content_check() -> None:
    """For Swagger 2.0, schemathesis 4.32 demands a Content-Type from ``produces`` on every response,
    even a 204 that carries no content (RFC 9110 15.3.5). Plivo's 204s (hang-up, stop speaking)
    have no body and no Content-Type, and neither have the mock's; only those are exempted."""
    from schemathesis.checks import CHECKS

    original = CHECKS.get_one("content_type_conformance")
    if getattr(original, "_exempts_no_content", False):
        return

    def content_type_conformance(ctx, response, case):
        if response.status_code == 204 and not response.content:
            return None
        return original(ctx, response, case)

    content_type_conformance._exempts_no_content = True  # type: ignore[attr-defined]
    CHECKS.register(content_type_conformance)


def query_survives_the_wire(context, query) -> bool:
    """A schema-scope ``filter_query`` hook: drop generated queries that a query string cannot carry.

    Negative cases may add a key whose value is an empty list (e.g. ``{"": []}``); it serialises to
    nothing, so the server receives a valid request and schemathesis then reports the answer as a
    "schema-violating request accepted". No server could reject what it never receives.
    """
    return not any(isinstance(value, list) and not value for value in (query or {}).values())
