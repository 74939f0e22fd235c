"""`--format junit`: JUnit XML, one test suite per checked file and one failing test per finding.

Rule failures (`internal-error`) are JUnit errors rather than failures.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from itertools import groupby

from kubecheck.engine import INTERNAL_ERROR

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Text XML 1.0 can carry: characters it forbids are written as Python escapes (\\x01)."""
    return _NOT_XML.sub(lambda match: match.group(0).encode("unicode_escape").decode("ascii"), text)


def render(report, stream) -> None:
    suites = ElementTree.Element("testsuites", name="kubecheck", tests="0", failures="0", errors="0")
    by_file = {file: list(findings) for file, findings in groupby(report.findings, key=lambda f: f.file)}
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for file in sorted(set(report.sources) | set(by_file)):
        findings = by_file.get(file, [])
        errors = sum(1 for finding in findings if finding.rule == INTERNAL_ERROR)
        counts = {"tests": max(len(findings), 1), "failures": len(findings) - errors, "errors": errors}
        suite = ElementTree.SubElement(suites, "testsuite", name=_xml_text(file),
                                       **{key: str(value) for key, value in counts.items()})
        if not findings:
            ElementTree.SubElement(suite, "testcase", name="kubecheck", classname=_xml_text(file))
        for finding in findings:
            case = ElementTree.SubElement(suite, "testcase", name=f"{finding.rule} at {finding.line}:{finding.column}",
                                          classname=_xml_text(file))
            element = "error" if finding.rule == INTERNAL_ERROR else "failure"
            outcome = ElementTree.SubElement(case, element, type=finding.rule, message=_xml_text(finding.message))
            outcome.text = _xml_text(f"{finding.file}:{finding.line}:{finding.column}: {finding.severity} "
                                     f"{finding.rule} {finding.message}")
        for key, value in counts.items():
            totals[key] += value
    for key, value in totals.items():
        suites.set(key, str(value))
    ElementTree.indent(suites)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ElementTree.tostring(suites, encoding="unicode"))
    stream.write("\n")
