"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Every finding is a result at its exact line and column (columns count Unicode code points, as
the run declares); cross-object findings carry `relatedLocations`; every rule of the catalogue
has a descriptor with its summary, rationale and examples as help text.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from urllib.parse import quote

from kubecheck import __version__
from kubecheck.engine import INTERNAL_ERROR
from kubecheck.findings import reference_name

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    if PurePosixPath(path).is_absolute():
        return "file://" + quote(path)
    return quote(path)


def _location(file: str, line: int, column: int) -> dict:
    return {"physicalLocation": {"artifactLocation": {"uri": _uri(file)},
                                 "region": {"startLine": line, "startColumn": column}}}


def _descriptor(rule) -> dict:
    help_text = (f"{rule.summary}\n\n{rule.rationale}\n\nFailing example:\n{rule.fail_example}\n"
                 f"Passing example:\n{rule.pass_example}")
    help_markdown = (f"**{rule.summary}**\n\n{rule.rationale}\n\nFailing example:\n\n```yaml\n{rule.fail_example}```"
                     f"\n\nPassing example:\n\n```yaml\n{rule.pass_example}```\n")
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": _LEVEL[rule.severity], "enabled": rule.enabled_by_default},
        "properties": {"tags": [rule.family], "family": rule.family},
    }


def render(report, stream) -> None:
    descriptors = [_descriptor(rule) for rule in report.catalogue.rules.values()]
    if any(finding.rule == INTERNAL_ERROR for finding in report.findings):
        descriptors.append({"id": INTERNAL_ERROR, "name": INTERNAL_ERROR,
                            "shortDescription": {"text": "A rule failed while checking an object"},
                            "defaultConfiguration": {"level": "error"}})
    rule_index = {descriptor["id"]: number for number, descriptor in enumerate(descriptors)}
    results = []
    for finding in report.findings:
        location = _location(finding.file, finding.line, finding.column)
        name = reference_name(finding.object)
        if name:
            location["logicalLocations"] = [{"fullyQualifiedName": name, "kind": "object"}]
        result = {
            "ruleId": finding.rule,
            "ruleIndex": rule_index[finding.rule],
            "level": _LEVEL[finding.severity],
            "message": {"text": finding.message},
            "locations": [location],
        }
        if finding.path is not None:
            result["properties"] = {"path": finding.path, "document": finding.document}
        if finding.related:
            result["relatedLocations"] = [
                {"id": number, **_location(related.file, related.line, related.column),
                 "message": {"text": related.message or reference_name(related.object) or related.file}}
                for number, related in enumerate(finding.related, start=1)
            ]
        results.append(result)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "kubecheck", "version": __version__, "semanticVersion": __version__,
                                "rules": descriptors}},
            "invocations": [{"executionSuccessful": report.internal_errors == 0, "exitCode": report.exit_status}],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    json.dump(log, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
