"""`--format json`: one JSON object, `{"findings": [...], "summary": {...}}` (SPEC section 3).

One finding per line: readable, easy to grep, and written by the json module's C encoder (an
indented dump runs in Python, and took longer than the check itself on large repositories).
"""

from __future__ import annotations

import json


def render(report, stream) -> None:
    counts = report.counts()
    summary = {
        "files": report.files,
        "objects": report.objects,
        "findings": len(report.findings),
        "errors": counts["error"],
        "warnings": counts["warning"],
        "info": counts["info"],
        "skipped_files": report.skipped,
        "exit_status": report.exit_status,
    }
    findings = ",\n    ".join(json.dumps(finding.to_dict(), ensure_ascii=False) for finding in report.findings)
    stream.write('{\n  "findings": [' + (f"\n    {findings}\n  " if findings else "") + "],\n"
                 f'  "summary": {json.dumps(summary, ensure_ascii=False)}\n}}\n')
