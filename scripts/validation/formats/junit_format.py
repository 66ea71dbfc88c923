"""JUnit XML: a test suite per connector, a test case per rule that ran; a finding fails its case.

Errors and internal errors are failures (internal ones as <error>, the tool's own fault); warnings are
written to the case's system-out, so report viewers show them without failing the build.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .text_format import where


def render(report) -> str:
    suites = ET.Element("testsuites", name="plivo-connector validate")
    for target in report.targets:
        by_rule: dict[str, list] = {rule_id: [] for rule_id in report.rules}
        for finding in target.findings:
            by_rule.setdefault(finding.rule, []).append(finding)
        suite = ET.SubElement(suites, "testsuite", name=target.name, tests=str(len(by_rule)))
        failures = errors = 0
        for rule_id, findings in by_rule.items():
            case = ET.SubElement(suite, "testcase", classname=target.name, name=rule_id)
            failing = [f for f in findings if f.severity == "error"]
            crashed = [f for f in findings if f.severity == "internal"]
            if crashed:
                errors += 1
                ET.SubElement(case, "error", message=crashed[0].message, type="InternalError").text = \
                    "\n".join(f.message for f in crashed)
            elif failing:
                failures += 1
                ET.SubElement(case, "failure", message=f"{len(failing)} finding(s): {failing[0].message}",
                              type=rule_id).text = "\n".join(f"{where(f)}: {f.message}" for f in failing)
            warnings = [f for f in findings if f.severity == "warning"]
            if warnings:
                ET.SubElement(case, "system-out").text = "\n".join(f"{where(f)}: warning: {f.message}"
                                                                   for f in warnings)
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
