"""`--format github`: GitHub Actions workflow commands, shown as annotations on the pull request."""

from __future__ import annotations

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report, stream) -> None:
    for finding in report.findings:
        message = finding.message
        if finding.related:
            message += "\n" + "\n".join(f"related: {r.file}:{r.line}:{r.column}" + (f" {r.message}" if r.message else "")
                                        for r in finding.related)
        stream.write(f"::{_LEVEL[finding.severity]} file={_property(finding.file)},line={finding.line},"
                     f"col={finding.column},title={_property(finding.rule)}::{_data(message)}\n")
