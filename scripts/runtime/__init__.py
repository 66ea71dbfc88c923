"""An emulator of the Power Platform connector runtime, driven only by the rendered files.

``Connector.load(root)`` reads apiDefinition.swagger.json and apiProperties.json; ``Runtime`` builds
an operation's request from its inputs (policies applied), sends it through a transport (the
embedded mock in-process, or an origin over HTTP) and checks the answer against the declared
schema; ``Poller`` runs a polling trigger; ``options`` resolves a drop-down. See docs/runtime.md.
"""

from __future__ import annotations

from .definition import Connector, Input, Operation
from .dynamic import Option, options
from .errors import CallError, DefinitionError, EmulatorError, InputError, ResponseMismatch, UnsupportedError
from .poller import Poll, Poller
from .request import HttpRequest
from .runtime import Result, Runtime
from .transport import HttpResponse, HttpTransport, WsgiTransport

__all__ = [
    "CallError", "Connector", "DefinitionError", "EmulatorError", "HttpRequest", "HttpResponse", "HttpTransport",
    "Input", "InputError", "Operation", "Option", "Poll", "Poller", "ResponseMismatch", "Result", "Runtime",
    "UnsupportedError", "WsgiTransport", "options",
]
