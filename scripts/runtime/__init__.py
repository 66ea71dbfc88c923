"""An emulator of the Power Platform connector runtime, driven only by the rendered files.

``Connector.load(root)`` reads apiDefinition.swagger.json and apiProperties.json; ``Runtime`` builds
an operation's request from its inputs (policies applied), sends it through a transport (the
embedded mock in-process, or an origin over HTTP) and checks the answer against the declared
schema; ``Poller`` runs a polling trigger; ``options`` resolves a drop-down. See docs/runtime.md.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up of `run --list`)
if TYPE_CHECKING:
    from typing import Any

# name -> submodule. Imported on first use (PEP 562), so that `plivo-connector run --list`, which
# needs only the definition, does not pay for jsonschema, http.client and the mock.
_EXPORTS = {
    "Connector": "definition", "Input": "definition", "Operation": "definition",
    "Option": "dynamic", "options": "dynamic",
    "CallError": "errors", "DefinitionError": "errors", "EmulatorError": "errors", "InputError": "errors",
    "ResponseMismatch": "errors", "UnsupportedError": "errors",
    "Poll": "poller", "Poller": "poller",
    "HttpRequest": "request",
    "Result": "runtime", "Runtime": "runtime",
    "HttpResponse": "transport", "HttpTransport": "transport", "WsgiTransport": "transport",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value
