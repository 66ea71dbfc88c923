"""A workaround for schemathesis 4.32 when it calls a WSGI app in-process.

Its ``ignored_auth`` check re-sends a request without credentials (a probe). For a WSGI app the
probe still carries the socket-level transport settings (``max_redirects``, ``verify``, ``cert``,
``proxies``), which werkzeug's test client rejects with a TypeError; the normal path strips them
only when a requests session is passed. This strips them for every in-process send. Remove it
when schemathesis does the same (pyproject pins the minor version for that reason).
"""

from __future__ import annotations

SOCKET_ONLY = ("max_redirects", "verify", "cert", "proxies")


def patch_wsgi_transport() -> None:
    from schemathesis.transport import wsgi

    transport = wsgi.WSGITransport
    if getattr(transport.send, "_strips_socket_kwargs", False):
        return
    original = transport.send

    def send(self, case, *, session=None, **kwargs):
        if session is None or not hasattr(session, "mount"):  # no requests.Session: werkzeug only
            for name in SOCKET_ONLY:
                kwargs.pop(name, None)
        return original(self, case, session=session, **kwargs)

    send._strips_socket_kwargs = True  # type: ignore[attr-defined]
    transport.send = send
