"""A finding: what a rule reported, where, in the words of SPEC section 3."""

from __future__ import annotations

from dataclasses import dataclass


def json_pointer(path: tuple) -> str:
    """RFC 6901 pointer of a path: ('metadata', 'labels', 'app/name') -> /metadata/labels/app~1name."""
    return "".join("/" + str(step).replace("~", "~0").replace("/", "~1") for step in path)


def reference_name(reference: dict | None) -> str:
    """"Deployment/shop/web" for a finding's object reference ("" for none), where a format
    names an object in one string (SARIF's logical locations, the language server)."""
    if not reference:
        return ""
    return "/".join(part for part in (reference.get("kind"), reference.get("namespace"), reference.get("name")) if part)


@dataclass(frozen=True)
class RelatedLocation:
    file: str
    line: int  # 1-based
    column: int  # 1-based
    object: dict | None
    message: str = ""

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column, "object": self.object,
                "message": self.message}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    file: str
    line: int  # 1-based
    column: int  # 1-based
    document: int | None
    object: dict | None  # apiVersion, kind, namespace, name
    path: str | None  # JSON pointer inside the object
    related: tuple[RelatedLocation, ...] = ()

    def sort_key(self) -> tuple:
        """SPEC order: by file, line, column, rule (then message, for full determinism)."""
        return self.file, self.line, self.column, self.rule, self.message

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "document": self.document,
            "object": self.object,
            "path": self.path,
            "related": [related.to_dict() for related in self.related],
        }
