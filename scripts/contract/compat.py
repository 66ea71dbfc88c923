"""Workarounds for four schemathesis 4.32 bugs met by the contract run.

In-process WSGI calls: the ``ignored_auth`` check re-sends a request without credentials (a probe). For a WSGI app the
probe still carries the socket-level transport settings (``max_redirects``, ``verify``, ``cert``,
``proxies``), which werkzeug's test client rejects with a TypeError; the normal path strips them
only when a requests session is passed. This strips them for every in-process send, and passes
the base URL so that the URL is always built by ``schema.build_request_url`` (runner.install_routes).
The same patch sends to the platform shim without werkzeug's test client (transport.py).

Report files: see ``patch_report_file_check``. 204 No Content: see ``patch_no_content_check``.
A dropped header in a case that breaks several locations: see ``patch_header_exclusion``.
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


def patch_header_exclusion() -> None:
    """Keep a header out of the request when a negative case that breaks several locations drops it.

    A negative case may break the query and drop a required header at once (a ``limit`` of the
    wrong type and no Authorization). schemathesis 4.32 keeps such a header out of the request, so
    that the configured credentials are not added back, only when the case's one location is the
    header (``transport.prepare.get_exclude_headers``); a case of several locations records none, so
    the request goes out WITH the basic auth, the API rightly answers 200, and the run reports a
    "schema-violating request accepted" for a violation that was never sent. Here the header
    mutations of such a case are judged as schemathesis judges a header-only case: by the same
    function, shown only those mutations.
    """
    from dataclasses import replace
    from types import SimpleNamespace

    from schemathesis.core.parameters import ParameterLocation
    from schemathesis.generation.meta import FuzzingPhaseData, StatefulPhaseData
    from schemathesis.transport import prepare, wsgi
    from schemathesis.transport import requests as requests_transport

    original = prepare.get_exclude_headers
    if getattr(original, "_per_mutation_location", False):
        return

    def get_exclude_headers(case) -> list[str]:
        excluded = original(case)
        meta = case.meta
        if excluded or meta is None or not meta.generation.mode.is_negative:
            return excluded
        data = meta.phase.data
        if not isinstance(data, FuzzingPhaseData | StatefulPhaseData) \
                or data.parameter_location == ParameterLocation.HEADER:
            return excluded
        in_headers = tuple(m for m in data.mutations if m.parameter_location == ParameterLocation.HEADER)
        if not in_headers:
            return excluded
        headers_only = replace(data, parameter_location=ParameterLocation.HEADER, mutations=in_headers)
        return original(SimpleNamespace(meta=SimpleNamespace(generation=meta.generation,
                                                             phase=SimpleNamespace(data=headers_only)),
                                        headers=case.headers))

    get_exclude_headers._per_mutation_location = True  # type: ignore[attr-defined]
    get_exclude_headers.__wrapped__ = original  # type: ignore[attr-defined]
    for module in (prepare, wsgi, requests_transport):
        module.get_exclude_headers = get_exclude_headers


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
