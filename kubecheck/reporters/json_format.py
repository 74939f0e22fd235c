"""`--format json`: one JSON object, `{"findings": [...], "summary": {...}}` (SPEC section 3)."""

from __future__ import annotations

import json


def render(report, stream) -> None:
    counts = report.counts()
    document = {
        "findings": [finding.to_dict() for finding in report.findings],
        "summary": {
            "files": report.files,
            "objects": report.objects,
            "findings": len(report.findings),
            "errors": counts["error"],
            "warnings": counts["warning"],
            "info": counts["info"],
            "skipped_files": report.skipped,
            "exit_status": report.exit_status,
        },
    }
    json.dump(document, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
