"""Swagger 2.0 validity, with openapi-spec-validator, minus what Power Platform deliberately accepts.

openapi-spec-validator reports two kinds of error: the document breaks the Swagger 2.0 meta-schema
(the import cannot read it: rule Swagger20), or a ``default`` value does not match its own schema
(the import accepts it, and certified connectors have such defaults: rule DefaultValues, a warning).
"""

from __future__ import annotations

import re
from functools import cache
from typing import ClassVar

from ..validation.refs import REFUSE_EVERY_SCHEME, ExternalRefRefused, external_refs
from ..validation.swagger20_fast import fast_findings
from . import CERTIFICATION, PLATFORM, SWAGGER, SWAGGER_SPEC, WARNING, Connector, Problem, rule
from .walk import host_replaced, json_objects

# Power Platform extends Swagger 2.0 in places: a response (or property) schema of type "file" is how
# certified connectors return binary content, which the Swagger 2.0 meta-schema allows only on
# formData parameters. Such errors are the validator's, not the connector's.
FILE_TYPE = re.compile(r"'file' is not one of \[")
DEFAULT = "default"


@cache
def _validator_class():
    from openapi_spec_validator import OpenAPIV2SpecValidator
    from openapi_spec_validator.validation import keywords

    class DefaultValueValidator(keywords.OpenAPIV30ValueValidator):
        """Marks each error about a default value with where that default sits (the error's own path is
        relative to the value, not to the document)."""

        def __call__(self, schema, value):
            for error in super().__call__(schema, value):
                error.validator = (DEFAULT, (*schema.parts, DEFAULT, *error.path), error.validator)
                yield error

    class Validator(OpenAPIV2SpecValidator):
        keyword_validators: ClassVar = {**OpenAPIV2SpecValidator.keyword_validators, DEFAULT: DefaultValueValidator}
        resolver_handlers = REFUSE_EVERY_SCHEME  # reads no file and fetches no URL

    return Validator


def _classified(c: Connector) -> dict[str, list[tuple[tuple, str]]]:
    if "swagger20" not in c.cache:
        if _external(c):
            # ExternalReference reports them; the validator could only repeat, less clearly, its refusal
            c.cache["swagger20"] = {"document": [], DEFAULT: []}
        else:
            c.cache["swagger20"] = _classify(c.swagger)
    return c.cache["swagger20"]


def _external(c: Connector) -> list[tuple[tuple, str]]:
    """The definition's external $refs, found once for the two rules that need them."""
    if "external_refs" not in c.cache:
        c.cache["external_refs"] = list(external_refs(c.swagger, objects=json_objects(c)))
    return c.cache["external_refs"]


def _classify(swagger: dict) -> dict[str, list[tuple[tuple, str]]]:
    # the validator's verdict without importing it, when that is sure
    fast = fast_findings(swagger, forgiven=_accepted_extension)
    if fast is not None:
        return from_fast(fast)
    return _classify_with_validator(swagger)


def from_fast(fast: list) -> dict[str, list[tuple[tuple, str]]]:
    """The fast path's findings (default values only: it declines every other error) in _classify's shape."""
    return {"document": [], DEFAULT: [(tuple(str(p) for p in pointer), f"default value: {_first_line(message)}")
                                      for pointer, message in fast]}


def _classify_with_validator(swagger: dict) -> dict[str, list[tuple[tuple, str]]]:
    """openapi-spec-validator itself: for every document the fast path is not sure about."""
    found: dict[str, list[tuple[tuple, str]]] = {"document": [], DEFAULT: []}
    try:
        errors = list(_validator_class()(swagger).iter_errors())
    except RecursionError:
        found["document"].append(((), "Swagger 2.0: the document nests too deeply (or its $refs loop) to be "
                                      "validated"))
        return found
    except Exception as error:  # the validator fails on input it cannot walk, e.g. a $ref to nothing
        found["document"].append(((), f"Swagger 2.0: not a valid Swagger 2.0 document: {_cause(error)}"))
        return found
    for error in errors:
        message = _first_line(str(getattr(error, "message", error)))
        marker = getattr(error, "validator", None)
        if isinstance(marker, tuple) and marker and marker[0] == DEFAULT:
            found[DEFAULT].append((tuple(str(p) for p in marker[1]), f"default value: {message}"))
        elif not _accepted_extension(error):
            pointer = tuple(str(p) for p in getattr(error, "path", ()) or ())
            found["document"].append((pointer, f"Swagger 2.0: {message}"))
    return found


def _first_line(message: str) -> str:
    return message.splitlines()[0]


def _cause(error: BaseException) -> str:
    """The refusal behind the wrappers the resolver puts around it, else ``error`` itself."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ExternalRefRefused):
            return str(seen)
        seen = seen.__cause__ or seen.__context__
    return f"{type(error).__name__}: {error}"


def swagger_errors(swagger: dict) -> list[tuple[tuple, str]]:
    """openapi-spec-validator's findings on the document itself as (pointer, one-line message); never raises."""
    return _classify(swagger)["document"]  # the resolver refuses every external $ref


def _accepted_extension(error) -> bool:
    """A ``type: file`` schema, possibly reported through the anyOf/oneOf that holds it."""
    messages = [str(getattr(error, "message", ""))]
    messages += [str(getattr(e, "message", "")) for e in (getattr(error, "context", None) or [])]
    if any(FILE_TYPE.search(m) for m in messages):
        return True
    instance = getattr(error, "instance", None)
    return isinstance(instance, dict) and instance.get("type") == "file"


@rule("ExternalReference", "Every $ref is local (#/...): no file, no URL.",
      profile=PLATFORM, source=SWAGGER_SPEC + "; paconn",
      rationale="The import reads one file: a $ref to another file or a URL is never resolved, and resolving it "
                "here would make the validator read files or reach the network on untrusted input.",
      fix="Move the referenced schema into definitions and refer to it as #/definitions/Name.")
def external_reference(c: Connector):
    for pointer, ref in _external(c):
        yield Problem(SWAGGER, pointer, f"$ref {ref} is not a local reference (#/definitions/...): references to "
                                        "files or URLs are never resolved; inline the schema into definitions")


@rule("Swagger20", "apiDefinition.swagger.json is a valid Swagger 2.0 document (openapi-spec-validator).",
      profile=PLATFORM, source=SWAGGER_SPEC,
      rationale="The import parses the definition as Swagger 2.0 and rejects what it cannot read.",
      fix="Fix the document where the message points; `type: file` response schemas are accepted.")
def swagger20(c: Connector):
    placeholder_host = host_replaced(c.properties)
    for pointer, message in _classified(c)["document"]:
        if placeholder_host and pointer == ("host",):
            continue  # a placeholder such as {tenant}.example.com: the dynamichosturl policy replaces it
        yield Problem(SWAGGER, pointer, message)


@rule("DefaultValues", "Every default value matches its schema (type, enum, format, required properties).",
      profile=CERTIFICATION, severity=WARNING, source=SWAGGER_SPEC,
      rationale="The designer pre-fills inputs with their defaults and sends internal ones as they are; a "
                "default of the wrong type (\"true\" for a boolean) reaches the service as the wrong type.",
      fix="Write the default in the declared type and within its enum or format.")
def default_values(c: Connector):
    for pointer, message in _classified(c)[DEFAULT]:
        yield Problem(SWAGGER, pointer, message)
