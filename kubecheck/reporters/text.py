"""`--format text`: for people. Grouped by file, each finding with its source line and a caret."""

from __future__ import annotations

import os
from collections import Counter

_WINDOW = 160  # characters of a long source line shown around the column
_COLORS = {"error": "31", "warning": "33", "info": "36", "rule": "1", "dim": "2", "caret": "35"}


def use_color(stream) -> bool:
    """Colour only on a terminal; NO_COLOR turns it off and FORCE_COLOR on (no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def source_excerpt(line_text: str, column: int) -> tuple[str, str]:
    """The source line (a window of it, if long) and the caret line under `column` (1-based)."""
    start = 0
    if len(line_text) > _WINDOW:
        start = max(0, min(column - 1 - _WINDOW // 2, len(line_text) - _WINDOW))
        shown = line_text[start:start + _WINDOW]
        prefix, suffix = ("…" if start else ""), ("…" if start + _WINDOW < len(line_text) else "")
        line_text, start = prefix + shown + suffix, start - len(prefix)
    pad = "".join("\t" if char == "\t" else " " for char in line_text[: max(column - 1 - start, 0)])
    return line_text, pad + "^"


def render(report, stream) -> None:
    color = use_color(stream)

    def paint(text: str, style: str) -> str:
        return f"\033[{_COLORS[style]}m{text}\033[0m" if color else text

    for number, finding in enumerate(report.findings):
        if number:
            stream.write("\n")
        stream.write(f"{finding.file}:{finding.line}:{finding.column}: {paint(finding.severity, finding.severity)} "
                     f"{paint(finding.rule, 'rule')} {finding.message}\n")
        source = report.sources.get(finding.file)
        if source is not None and 0 < finding.line <= len(source.lines):
            shown, caret = source_excerpt(source.lines[finding.line - 1], finding.column)
            gutter = " " * len(str(finding.line))
            stream.write(f"  {paint(str(finding.line), 'dim')} | {shown}\n  {gutter} | {paint(caret, 'caret')}\n")
        for related in finding.related:
            what = f"{related.object['kind']} {related.object['name'] or '(unnamed)'}" if related.object else ""
            note = f": {related.message}" if related.message else ""
            stream.write(f"  {paint('related:', 'dim')} {related.file}:{related.line}:{related.column}: {what}{note}\n")
    if report.findings:
        stream.write("\n")
    stream.write(_summary(report) + "\n")


def statistics(report) -> str:
    """How many findings each rule made, most first (`--statistics`), as ruff prints them."""
    counts = Counter((finding.rule, finding.severity) for finding in report.findings)
    width = max((len(str(count)) for count in counts.values()), default=1)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "".join(f"{count:>{width}}  {rule}  ({severity})\n" for (rule, severity), count in rows)


def _summary(report) -> str:
    counts = report.counts()
    checked = f"{report.files} file{'s' * (report.files != 1)} and {report.objects} object{'s' * (report.objects != 1)}"
    skipped = ""
    if report.skipped:
        names = ", ".join(report.skipped[:3]) + (", ..." if len(report.skipped) > 3 else "")
        skipped = f"; {len(report.skipped)} without Kubernetes objects skipped ({names})"
    if not report.findings:
        return f"No findings in {checked}{skipped}."
    parts = ", ".join(f"{n} {name}{'s' * (n != 1 and name != 'info')}" for name, n in counts.items() if n)
    total = len(report.findings)
    return f"Found {total} finding{'s' * (total != 1)} ({parts}) in {checked}{skipped}."
