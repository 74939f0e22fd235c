"""Helpers for tests (the tests folder is on sys.path, see pyproject.toml)."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
#: ../shared next to the project: the corpus of real manifests. Users' clones do not have it.
SHARED = PROJECT.parent / "shared"

# A Deployment `web` (pod template labels app=web at 11:7) and the Service that selects its pods
# (`selector:` at 6:3), each a file of its own in the integration tests (pre-commit, the editor).
WEB_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
"""

WEB_SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
"""

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
needs_shared = pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared/corpus is not present")


def summary(report, rule: str | None = None) -> list[tuple]:
    """(rule, line, column, message) of a report's findings, optionally of one rule."""
    return [(f.rule, f.line, f.column, f.message) for f in report.findings if rule is None or f.rule == rule]


def crd(kind: str, schema: str = "{type: object}", *, group: str = "example.com", scope: str = "Namespaced",
        unserved: tuple[str, ...] = ()) -> str:
    """An apiextensions.k8s.io/v1 CustomResourceDefinition of `kind` in `group`, serving v1 with
    `schema` (the openAPIV3Schema, in YAML), and declaring the `unserved` versions too."""
    plural = kind.lower() + "s"
    body = textwrap.indent(textwrap.dedent(schema).strip(), " " * 10)
    versions = "".join(f"    - name: {name}\n      served: {str(name == 'v1').lower()}\n"
                       f"      storage: {str(name == 'v1').lower()}\n      schema:\n        openAPIV3Schema:\n{body}\n"
                       for name in ("v1", *unserved))
    return (f"apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {{name: {plural}.{group}}}\n"
            f"spec:\n  group: {group}\n  scope: {scope}\n  names: {{kind: {kind}, plural: {plural}}}\n  versions:\n"
            f"{versions}")


def render(catalogue, report, fmt: str) -> str:
    """A report in output format `fmt`, as the command line would print it."""
    stream = io.StringIO()
    catalogue.reporters[fmt](report, stream)
    return stream.getvalue()


def sarif_of(catalogue, report) -> dict:
    """The report as SARIF, validated against the official SARIF 2.1.0 schema."""
    import jsonschema

    log = json.loads(render(catalogue, report, "sarif"))
    # The file declares draft-04; it uses no keyword whose meaning changed by draft-07.
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(log)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    return log
