"""Run an operation end to end: prepare inputs, build the request with its policies, send it,
check the answer. The one place tests and the CLI go through, so both see the same behaviour."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from . import inputs, policies, request
from .definition import Connector
from .errors import CallError
from .request import HttpRequest

if TYPE_CHECKING:
    from .transport import HttpResponse


class Transport(Protocol):
    def send(self, request: HttpRequest) -> HttpResponse: ...


@dataclass
class Result:
    operation_id: str
    request: HttpRequest
    status: int
    headers: dict[str, str]
    body: Any


class Runtime:
    def __init__(self, connector: Connector, connection: Mapping[str, str], transport: Transport) -> None:
        self.connector = connector
        self.connection = dict(connection)
        self.transport = transport

    def build(self, operation_id: str, values: Mapping[str, Any] | None = None, *,
              extra_query: Mapping[str, str] | None = None) -> HttpRequest:
        """The request the platform would send for these input values (nothing is sent)."""
        operation = self.connector.operation(operation_id)
        prepared = inputs.prepare(operation, values or {})
        return request.build(self.connector, operation, prepared, self.connection, extra_query=extra_query)

    def call(self, operation_id: str, values: Mapping[str, Any] | None = None, *,
             extra_query: Mapping[str, str] | None = None) -> Result:
        """Build, send and check. Raises CallError for a non-2xx answer, ResponseMismatch when a
        2xx body does not match the declared schema."""
        built = self.build(operation_id, values, extra_query=extra_query)
        return self.send(operation_id, built)

    def send(self, operation_id: str, built: HttpRequest) -> Result:
        operation = self.connector.operation(operation_id)
        response = self.transport.send(built)
        body = response.json()
        if not 200 <= response.status < 300:
            raise CallError(f"{operation_id}: {built.method} {built.path} answered {response.status}",
                            status=response.status, body=body)
        headers, body = policies.apply_response(response, connector=self.connector, operation=operation,
                                                request=built, connection=self.connection)
        from . import validate  # jsonschema: only once an answer is to be checked

        validate.check(operation, response.status, body)
        return Result(operation_id, built, response.status, headers, body)
