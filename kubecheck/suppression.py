"""Suppressions written in manifests (SPEC section 4).

- ``# kubecheck: ignore[rule-a,rule-b]`` at the end of a line: those rules' findings on that
  line; ``# kubecheck: ignore``: every finding on that line.
- The same comment on a line of its own before a document's first key: the whole document.
- The annotation ``kubecheck.io/ignore: "rule-a,rule-b"`` (or ``"*"``): that object.

Rule families (``graph``) may stand for their rules. A comment may end with `` -- reason``.
Only real YAML comments count: a ``#`` inside a quoted or block scalar is text (checked with
libyaml's scanner, on the few files that contain ``kubecheck:`` at all). Each suppression
records which rules it silenced; the `unused-suppression` rule reports the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from kubecheck.engine import INTERNAL_ERROR, RawFinding
from kubecheck.loader import SourceFile
from kubecheck.objects import K8sObject
from kubecheck.positions import locate

ANNOTATION = "kubecheck.io/ignore"
_DIRECTIVE = re.compile(r"(?:^|(?<=\s))#\s*kubecheck:\s*ignore(?:\[(?P<rules>[^\]]*)\])?\s*(?:--\s.*)?$")
_UNSUPPRESSIBLE = frozenset({INTERNAL_ERROR, "unused-suppression"})


@dataclass(eq=False)
class Suppression:
    where: str  # "line", "document" or "annotation"
    rules: frozenset | None  # rule ids or families; None for all
    line: int  # 0-based position of the comment, or of the annotation's value
    column: int
    document: int | None
    obj: K8sObject | None = None
    used: set = field(default_factory=set)  # ids of the rules it silenced

    def covers(self, rule_id: str, family: str) -> bool:
        return self.rules is None or rule_id in self.rules or family in self.rules


def suppressions_of(source: SourceFile, objects: list[K8sObject]) -> list[Suppression]:
    """Every suppression comment and annotation in a checked file."""
    found = _comments(source) if "kubecheck:" in source.text else []
    for obj in objects:
        value = obj.annotations.get(ANNOTATION)
        if value is not None:
            line, column, _ = locate(obj.position, ("metadata", "annotations", ANNOTATION), at="value")
            found.append(Suppression("annotation", parse_rule_list(value), line, column, obj.document.index, obj))
    return found


def parse_rule_list(text: str | None) -> frozenset | None:
    """`"a, b"` -> {"a", "b"}; `"*"`, an empty list or no list at all -> None (everything)."""
    if text is None:
        return None
    names = frozenset(name.strip() for name in text.split(",") if name.strip())
    return None if not names or "*" in names else names


def _comments(source: SourceFile) -> list[Suppression]:
    candidates = []
    for number, text in enumerate(source.lines):
        if "kubecheck:" in text:
            match = _DIRECTIVE.search(text)
            if match:
                candidates.append((number, match.start(), match.group("rules"), not text[:match.start()].strip()))
    if not candidates:
        return []
    in_scalars = _scalar_spans(source.text)
    found = []
    for line, column, rules, own_line in candidates:
        if any(_inside(span, line, column) for span in in_scalars):
            continue
        rule_set = parse_rule_list(rules) if rules is not None else None
        document = _document_starting_after(source, line) if own_line else None
        if document is not None:
            found.append(Suppression("document", rule_set, line, column, document))
        else:
            found.append(Suppression("line", rule_set, line, column, None))
    return found


def _document_starting_after(source: SourceFile, line: int) -> int | None:
    """The document whose first key follows `line`, with no content of another document between
    them (a comment just above the `---` separator belongs to the document that follows it)."""
    previous = None
    for document in source.documents:
        if line < document.position[0]:
            if document.data is None or (previous is not None and line <= _last_content_line(previous.position)):
                return None
            return document.index
        previous = document
    return None


def _last_content_line(position: tuple) -> int:
    """The last line on which a key, value or item of a document starts."""
    last, _, children = position
    stack = [children]
    while stack:
        children = stack.pop()
        if children.__class__ is dict:
            for key_line, _, value_line, _, below in children.values():
                last = max(last, key_line, value_line)
                stack.append(below)
        elif children.__class__ is list:
            for item_line, _, below in children:
                last = max(last, item_line)
                stack.append(below)
    return last


def _scalar_spans(text: str) -> list[tuple]:
    """Spans of scalars that contain `kubecheck:`, where a `#` is text and not a comment."""
    spans = []
    try:
        for token in yaml.scan(text, Loader=yaml.CSafeLoader):
            if isinstance(token, yaml.ScalarToken) and "kubecheck:" in token.value:
                spans.append((token.start_mark.line, token.start_mark.column,
                              token.end_mark.line, token.end_mark.column))
    except yaml.YAMLError:
        pass  # tokens after a syntax error are not YAML anyway
    return spans


def _inside(span: tuple, line: int, column: int) -> bool:
    start_line, start_column, end_line, end_column = span
    return (start_line, start_column) <= (line, column) < (end_line, end_column)


def apply(raw: list[RawFinding], suppressions: list[Suppression], families: dict[str, str]) -> list[RawFinding]:
    """Drop the findings that a suppression covers, recording on each suppression what it used."""
    if not suppressions:
        return raw
    by_line: dict[int, list[Suppression]] = {}
    by_document: dict[int, list[Suppression]] = {}
    by_object: dict[int, list[Suppression]] = {}
    for suppression in suppressions:
        if suppression.where == "line":
            by_line.setdefault(suppression.line, []).append(suppression)
        elif suppression.where == "document":
            by_document.setdefault(suppression.document, []).append(suppression)
        else:
            by_object.setdefault(id(suppression.obj), []).append(suppression)
    kept = []
    for item in raw:
        finding = item.finding
        if finding.rule in _UNSUPPRESSIBLE:
            kept.append(item)
            continue
        family = families.get(finding.rule, "")
        applicable = (by_line.get(finding.line - 1, []) + by_document.get(finding.document, [])
                      + (by_object.get(id(item.obj), []) if item.obj is not None else []))
        covering = [s for s in applicable if s.covers(finding.rule, family)]
        for suppression in covering:
            suppression.used.add(finding.rule)
        if not covering:
            kept.append(item)
    return kept


def line_suppression_edit(source: SourceFile, line: int, rule: str) -> tuple[int, int, str] | None:
    """How to suppress `rule` on `line` (0-based), for an editor's code action: replace columns
    `start` to `end` of that line with `text`. An existing `ignore[...]` comment gets the rule
    added; otherwise a comment is appended. None when the line ends inside a quoted or plain
    scalar that goes on to the next line, where a `#` would be text, not a comment.
    """
    if line >= len(source.lines):
        return None
    if _scalar_goes_on(source.text, line):
        return None
    text = source.lines[line]
    match = _DIRECTIVE.search(text) if "kubecheck:" in text else None
    if match and match.group("rules") is not None:
        listed = match.group("rules").strip()
        return match.end("rules"), match.end("rules"), ("," if listed else "") + rule
    return len(text.rstrip()), len(text), f"  # kubecheck: ignore[{rule}]"


def document_suppression_line(source: SourceFile, document: int | None) -> int | None:
    """The line (0-based) before which a comment `# kubecheck: ignore[...]` suppresses for the
    whole document: its first key's; None for a document that is not a mapping."""
    if document is None or document >= len(source.documents):
        return None
    found = source.documents[document]
    if not isinstance(found.data, dict):
        return None
    first = found.position[0]
    # `--- {...}`: a comment above that line could belong to the document before the `---`
    return None if source.lines[first].startswith("---") else first


def _scalar_goes_on(text: str, line: int) -> bool:
    """Whether `line` ends inside a scalar: a plain or quoted one that goes on to the next line,
    or the text of a block scalar (`|`, `>`; its header line may take a comment)."""
    try:
        for token in yaml.scan(text, Loader=yaml.CSafeLoader):
            start, end = token.start_mark.line, token.end_mark.line
            if start > line:
                return False
            if not isinstance(token, yaml.ScalarToken):
                continue
            if token.style in ("|", ">"):
                if start < line and (line < end or (line == end and token.end_mark.column > 0)):
                    return True
            elif end > line:
                return True
    except yaml.YAMLError:
        pass
    return False
