"""Helpers for tests (the tests folder is on sys.path, see pyproject.toml)."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
#: ../shared next to the project: the corpus of real manifests. Users' clones do not have it.
SHARED = PROJECT.parent / "shared"
needs_shared = pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared/corpus is not present")


def summary(report, rule: str | None = None) -> list[tuple]:
    """(rule, line, column, message) of a report's findings, optionally of one rule."""
    return [(f.rule, f.line, f.column, f.message) for f in report.findings if rule is None or f.rule == rule]
