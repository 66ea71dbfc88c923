"""One test per operation file in connector/operations/, discovered: adding an operation needs no
edit here. Each operation renders, breaks no rule, is listed in the README, and reaches a 2xx in
the contract run against the mock (through the connector's policies)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from scripts.rules import SWAGGER, Connector, run_rules
from tests.project import ROOT

OPERATIONS = sorted(p.stem for p in (ROOT / "connector" / "operations").glob("*.yaml"))


def locate(swagger: dict, operation_id: str) -> tuple[str, str, dict]:
    for path, item in swagger["paths"].items():
        for method, op in item.items():
            if not method.startswith("x-") and op["operationId"] == operation_id:
                return path, method, op
    raise AssertionError(f"{operation_id} is not in apiDefinition.swagger.json")


@pytest.fixture(scope="module")
def contract_report(tmp_path_factory, swagger, api_properties) -> tuple[int, dict[str, bool]]:
    """One contract run for every operation of this module: exit code and {"METHOD /path": passed}."""
    from scripts.contract import run_contract
    from scripts.contract.cli import embedded_mock_target

    report = tmp_path_factory.mktemp("contract") / "junit.xml"
    code = run_contract(swagger, api_properties, embedded_mock_target(swagger, api_properties),
                        max_examples=10, junit=report, phases=("examples", "coverage"))
    cases = {case.get("name"): case.find("failure") is None and case.find("error") is None
             for case in ET.parse(report).getroot().iter("testcase")}
    return code, cases


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_operation_breaks_no_rule(operation_id, swagger, api_properties):
    path, method, _ = locate(swagger, operation_id)
    found, crashed = run_rules(Connector(swagger, api_properties))
    assert crashed == []
    mine = [(rule.id, problem.message) for rule, problem in found
            if problem.document == SWAGGER and tuple(problem.pointer[:3]) == ("paths", path, method)]
    assert mine == []


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_operation_is_in_the_readme(operation_id, swagger):
    _, _, op = locate(swagger, operation_id)
    readme = (ROOT / "README.md").read_text()
    assert f"| {op['summary']} | `{operation_id}` |" in readme
    assert f"\n### {op['summary']}\n" in readme


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_operation_reaches_a_2xx_in_the_contract_run(operation_id, swagger, contract_report):
    path, method, _ = locate(swagger, operation_id)
    code, cases = contract_report
    name = f"{method.upper()} {path}"
    assert name in cases, f"the contract run did not test {name}"
    assert cases[name], f"the contract run found a problem in {name}"
    # the run's every_operation_succeeded check fails the whole run when an operation never got a 2xx
    assert code == 0


def test_the_operations_are_discovered():
    assert {"SendSMS", "OnMessageReceived", "OnMessageFailed"} <= set(OPERATIONS)
    assert all(Path(ROOT / "connector" / "operations" / f"{op}.yaml").is_file() for op in OPERATIONS)
