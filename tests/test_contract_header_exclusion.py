"""A negative case that breaks several locations and drops a header: the header stays out (compat.py).

schemathesis 4.32 keeps a dropped header out of the request only when the case's one location is
the header; a case that also breaks the query records no location of its own, the configured basic
auth went back in, the API answered 200 and the run reported a schema-violating request accepted
(seen in the stateful phase on the message trigger: ``limit`` as a string and no Authorization).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from schemathesis.core.mutations import Mutation, MutationChannel, OperatorKind
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode
from schemathesis.generation.meta import FuzzingPhaseData, StatefulPhaseData
from schemathesis.transport import prepare, wsgi
from schemathesis.transport import requests as requests_transport

from scripts.contract.compat import patch_header_exclusion


def _mutation(location: ParameterLocation, operator: OperatorKind, parameter: str | None,
              keywords: tuple[str, ...] = (), original=None) -> Mutation:
    return Mutation(path=(), parameter_location=location, schema_pointer="", channel=MutationChannel.SCHEMA,
                    operator=operator, keywords=keywords, parameter=parameter, original_value=original,
                    new_value=None)


LIMIT_AS_STRING = _mutation(ParameterLocation.QUERY, OperatorKind.CHANGE_TYPE, "limit", ("type",))
NO_AUTHORIZATION = _mutation(ParameterLocation.HEADER, OperatorKind.REMOVE_REQUIRED_PROPERTY, "Authorization")
AUTHORIZATION_NOT_REQUIRED = _mutation(ParameterLocation.HEADER, OperatorKind.NEGATE_CONSTRAINTS, None,
                                       ("required",), ["Authorization"])


def _case(phase_data, mode=GenerationMode.NEGATIVE, headers=None):
    return SimpleNamespace(meta=SimpleNamespace(generation=SimpleNamespace(mode=mode),
                                                phase=SimpleNamespace(data=phase_data)),
                           headers=headers or {})


def _data(kind, location, *mutations):
    return kind(description=None, parameter=None, parameter_location=location, location=None, mutations=mutations)


@pytest.fixture(scope="module")
def exclude():
    patch_header_exclusion()  # perhaps already done by a contract run earlier in this session
    original = prepare.get_exclude_headers.__wrapped__
    return original, prepare.get_exclude_headers


@pytest.mark.parametrize("kind", [FuzzingPhaseData, StatefulPhaseData])
@pytest.mark.parametrize("dropped", [NO_AUTHORIZATION, AUTHORIZATION_NOT_REQUIRED])
def test_a_header_dropped_beside_a_query_violation_stays_out(exclude, kind, dropped):
    original, patched = exclude
    case = _case(_data(kind, ParameterLocation.QUERY, LIMIT_AS_STRING, dropped))
    assert original(case) == []  # schemathesis' own answer: the credentials go back in
    assert patched(case) == ["Authorization"]


@pytest.mark.parametrize("location", [ParameterLocation.HEADER, ParameterLocation.QUERY])
def test_cases_schemathesis_already_judges_get_its_answer(exclude, location):
    original, patched = exclude
    header_only = _case(_data(FuzzingPhaseData, ParameterLocation.HEADER, NO_AUTHORIZATION))
    query_only = _case(_data(FuzzingPhaseData, location, LIMIT_AS_STRING))
    assert patched(header_only) == original(header_only) == ["Authorization"]
    assert patched(query_only) == original(query_only) == []


def test_a_positive_case_or_a_header_still_sent_keeps_every_header(exclude):
    _, patched = exclude
    both = _data(StatefulPhaseData, ParameterLocation.QUERY, LIMIT_AS_STRING, AUTHORIZATION_NOT_REQUIRED)
    assert patched(_case(both, mode=GenerationMode.POSITIVE)) == []
    assert patched(_case(both, headers={"Authorization": "Basic eA=="})) == []  # sent, with a broken value


def test_every_transport_uses_the_patched_function(exclude):
    _, patched = exclude
    assert wsgi.get_exclude_headers is patched
    assert requests_transport.get_exclude_headers is patched
    patch_header_exclusion()  # twice: still one wrapper
    assert prepare.get_exclude_headers is patched
