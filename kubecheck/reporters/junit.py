"""`--format junit`: JUnit XML, one test suite per checked file and one failing test per finding."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from itertools import groupby


def render(report, stream) -> None:
    suites = ElementTree.Element("testsuites", name="kubecheck", tests="0", failures="0", errors="0")
    by_file = {file: list(findings) for file, findings in groupby(report.findings, key=lambda f: f.file)}
    total = failures = 0
    for file in sorted(set(report.sources) | set(by_file)):
        findings = by_file.get(file, [])
        suite = ElementTree.SubElement(suites, "testsuite", name=file, tests=str(max(len(findings), 1)),
                                       failures=str(len(findings)), errors="0")
        if not findings:
            ElementTree.SubElement(suite, "testcase", name="kubecheck", classname=file)
        for finding in findings:
            case = ElementTree.SubElement(suite, "testcase", name=f"{finding.rule} at {finding.line}:{finding.column}",
                                          classname=file)
            failure = ElementTree.SubElement(case, "failure", type=finding.rule, message=finding.message)
            failure.text = f"{finding.file}:{finding.line}:{finding.column}: {finding.severity} {finding.rule} " \
                           f"{finding.message}"
        total += max(len(findings), 1)
        failures += len(findings)
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    ElementTree.indent(suites)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ElementTree.tostring(suites, encoding="unicode"))
    stream.write("\n")
