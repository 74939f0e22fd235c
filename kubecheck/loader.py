"""File bytes -> documents of plain data, each with the position of every node.

Measured on this project's machines (see benchmarks/README.md): libyaml's C composer, driven
through PyYAML, plus one Python walk that builds plain dicts, lists and scalars while it
records positions, reads YAML faster than `yaml.load_all(..., Loader=CSafeLoader)` does;
ruamel.yaml's round-trip loader is 13-18 times slower and is kept for rewriting files.

The walk reads YAML the way Kubernetes does (sigs.k8s.io/yaml over go-yaml v2):
scalars are typed by `kubecheck.scalars`; map keys become JSON strings; anchors and aliases
resolve to the same data (shared, never copied, so alias bombs stay small in memory) and
documents that expand through aliases beyond go-yaml's limits are refused as go-yaml refuses
them (a node written as an alias has its anchor's position: libyaml's composer keeps no other);
merge keys (`<<`) add the keys of the merged maps that the mapping does not set itself,
earlier maps winning over later ones (the YAML merge-key rule; go-yaml v2 applies `<<` in
document order, so there a key written before `<<` would lose to a merged one). What Kubernetes would refuse becomes a `Problem` for the
input rules: syntax errors (the file's earlier documents are still used), duplicate keys (the
later value is kept), decode errors (the document is dropped).
"""

from __future__ import annotations

import codecs
import re
import sys
from dataclasses import dataclass, field, replace

import yaml
from yaml.cyaml import CParser
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from kubecheck.scalars import MERGE, NUMERIC_START, SPECIAL, TagError, json_key, resolve_number, resolve_tagged

#: Deepest nesting accepted; go-yaml v2 refuses documents nested deeper than 10,000 levels.
MAX_DEPTH = 10_000

_PLAIN = "?"  # tag the composer gives untagged plain scalars: typed later by the walk
_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_BUSY = object()  # a container whose walk has started and not finished (a cycle if met again)

# go-yaml v2 (decode.go) refuses a document when aliases expand it too much (_excessive_aliasing).
_ALIAS_RATIO_LOW, _ALIAS_RATIO_HIGH = 400_000, 4_000_000

LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


@dataclass(frozen=True)
class Problem:
    """Something the loader found that Kubernetes would refuse; reported by an input rule."""

    rule: str
    message: str
    line: int  # 0-based, as libyaml counts
    column: int
    document: int | None


@dataclass
class Document:
    """One YAML document: its data and the position tree of its root (`kubecheck.positions`)."""

    index: int
    data: object
    position: tuple  # (line, column, children) of the root node
    end_line: int


@dataclass
class SourceFile:
    """A loaded file: its text, its documents (empty ones included) and its problems."""

    path: str
    text: str
    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    _lines: list[str] | None = field(default=None, repr=False)

    @property
    def lines(self) -> list[str]:
        """The file's lines, split where libyaml counts a line break."""
        if self._lines is None:
            self._lines = LINE_BREAK.split(self.text)
        return self._lines


def problems_check(rule_id: str):
    """A file-scope check reporting the problems the loader (or object finder) recorded for a rule."""

    def check(source: SourceFile, ctx) -> list[Problem]:
        return [problem for problem in source.problems if problem.rule == rule_id]

    check.__doc__ = f"Report the `{rule_id}` problems found while loading the file."
    return check


class _TooDeep(Exception):
    def __init__(self, mark):
        self.mark = mark


class _DecodeError(Exception):
    """The document parses but Kubernetes' decoder refuses it; carries the node's mark."""

    def __init__(self, message, mark):
        super().__init__(message)
        self.mark = mark


class _Composer(CParser):
    """libyaml's parser and composer (C) with the tag resolution left to the walk.

    PyYAML calls `resolve` once per node and `descend_resolver`/`ascend_resolver` around
    every node; the first is kept trivial and the second counts depth, because the C composer
    recurses once per nesting level and would overflow the C stack on hostile input.
    """

    def __init__(self, text):
        super().__init__(text)
        self.depth = 0

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else _STR_TAG
        return _MAP_TAG if kind is MappingNode else _SEQ_TAG

    def descend_resolver(self, parent, index):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep(parent.start_mark)

    def ascend_resolver(self):
        self.depth -= 1


def _position_after(text_before: str) -> tuple[int, int]:
    """Line and column just after `text_before`, counted as libyaml counts them."""
    lines = LINE_BREAK.split(text_before)
    return len(lines) - 1, len(lines[-1])


def decode(raw: bytes) -> tuple[str, Problem | None]:
    """Text of a manifest file as Kubernetes reads it: UTF-8, or UTF-16 with a byte-order mark.

    Undecodable bytes give a `yaml-syntax` problem at the first of them, and the text with
    replacement characters (so that reporters can still show the line).
    """
    if raw.startswith(codecs.BOM_UTF8):
        body, encoding = raw[3:], "utf-8"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        body, encoding = raw, "utf-16"
    else:
        body, encoding = raw, "utf-8"
    try:
        return body.decode(encoding), None
    except UnicodeDecodeError as error:
        line, column = _position_after(body[:error.start].decode(encoding, "replace"))
        bad = body[error.start:error.end].hex()
        message = f"the file is not {encoding.upper()} text: byte 0x{bad} cannot be decoded"
        return body.decode(encoding, "replace"), Problem("yaml-syntax", message, line, column, 0)


def load_bytes(path: str, raw: bytes) -> SourceFile:
    """Load a file's bytes; undecodable bytes become a `yaml-syntax` problem at their place."""
    text, problem = decode(raw)
    if problem is not None:
        return SourceFile(path, text, problems=[problem])
    return load_text(path, text)


def load_text(path: str, text: str) -> SourceFile:
    """Load every document of a YAML (or JSON) text with the positions of all its nodes."""
    source = SourceFile(path, text)
    needed = 3 * MAX_DEPTH + 200
    if sys.getrecursionlimit() < needed:
        sys.setrecursionlimit(needed)
    parsed, shifts = _json_surrogates_as_yaml(text)
    try:
        composer = _Composer(parsed)
    except UnicodeEncodeError as error:  # a lone surrogate in a str that did not come from bytes
        line, column = _position_after(text[:error.start])
        source.problems.append(Problem("yaml-syntax", "the text contains a lone surrogate code point, which is not "
                                                      "Unicode text", line, column, 0))
        return source
    try:
        while composer.check_node():
            index = len(source.documents)
            root = composer.get_node()
            document = _walk_document(root, index, source.problems)
            if document is not None:
                source.documents.append(document)
            else:  # refused: keep the numbering of later documents
                source.documents.append(Document(index, None, (root.start_mark.line, root.start_mark.column, None),
                                                 root.end_mark.line))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line, mark.column) if mark else (0, 0)
        source.problems.append(Problem("yaml-syntax", _syntax_message(error), line, column, len(source.documents)))
    except yaml.reader.ReaderError as error:
        line, column = _position_after(parsed.encode("utf-8")[:error.position].decode("utf-8", "replace"))
        source.problems.append(Problem("yaml-syntax", _reader_message(error), line, column, len(source.documents)))
    except _TooDeep as error:
        source.problems.append(Problem("yaml-syntax", f"the document is nested deeper than {MAX_DEPTH} levels",
                                       error.mark.line, error.mark.column, len(source.documents)))
    finally:
        composer.dispose()
    if shifts:
        _restore_columns(source, shifts)
    if source.problems:
        source.problems[:] = [_readable(problem, source) for problem in source.problems]
    return source


def _readable(problem: Problem, source: SourceFile) -> Problem:
    """A problem placed on a line that exists, with a hint for templates that are not YAML yet."""
    if problem.rule != "yaml-syntax":
        return problem
    lines = source.lines
    line, column = problem.line, problem.column
    if line >= len(lines):  # libyaml's end of input can be the start of a line the file does not have
        line, column = len(lines) - 1, len(lines[-1])
    message = problem.message
    if "{{" in source.text:
        message += "; the file looks like a Helm or Go template: check its rendered output (helm template)"
    return replace(problem, message=message, line=line, column=column)


# JSON may spell a character beyond the Basic Multilingual Plane as an escaped surrogate pair
# ("\ud83d\ude00"), which Kubernetes' JSON decoder reads but YAML forbids; JSON files (the
# ones that start with "{", as kubectl tells them apart) are parsed with such pairs rewritten
# as YAML's "\U0001f600", and the columns after them shifted back.
_SURROGATE_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE)
_LONE_SURROGATE = re.compile(r"(?<!\\)((?:\\\\)*)\\u(d[89a-f][0-9a-f]{2})", re.IGNORECASE)


def _json_surrogates_as_yaml(text: str) -> tuple[str, dict[int, list[int]]]:
    """(text for libyaml, {line: rewritten columns after which the line is 2 characters shorter})."""
    if "\\u" not in text or text.lstrip()[:1] != "{" or not _LONE_SURROGATE.search(text):
        return text, {}
    shifts: dict[int, list[int]] = {}
    lines = []
    for number, line in enumerate(text.split("\n")):
        removed = 0

        def pair(match, number=number):
            nonlocal removed
            code = 0x10000 + ((int(match.group(2), 16) - 0xD800) << 10) + (int(match.group(3), 16) - 0xDC00)
            replacement = f"{match.group(1)}\\U{code:08x}"
            shifts.setdefault(number, []).append(match.start() - removed)  # where it starts once rewritten
            removed += len(match.group(0)) - len(replacement)
            return replacement

        line = _SURROGATE_PAIR.sub(pair, line)
        # what is left is unpaired: Go's decoder reads it as U+FFFD (same length, no shift)
        line = _LONE_SURROGATE.sub(lambda match: f"{match.group(1)}\\ufffd", line)
        lines.append(line)
    return "\n".join(lines), shifts


def _restore_columns(source: SourceFile, shifts: dict[int, list[int]]) -> None:
    """Move columns on rewritten lines back to where they stand in the original text."""
    def original(line: int, column: int) -> int:
        return column + 2 * sum(1 for at in shifts.get(line, ()) if at < column)

    def walk(children):
        if children.__class__ is dict:
            for key, (kl, kc, vl, vc, below) in list(children.items()):
                children[key] = (kl, original(kl, kc), vl, original(vl, vc), below)
                walk(below)
        elif children.__class__ is list:
            for index, (line, column, below) in enumerate(children):
                children[index] = (line, original(line, column), below)
                walk(below)

    for document in source.documents:
        line, column, children = document.position
        document.position = (line, original(line, column), children)
        walk(children)
    source.problems[:] = [replace(p, column=original(p.line, p.column)) for p in source.problems]


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or "invalid YAML"
    same_place = error.problem_mark and error.context_mark and (
        (error.context_mark.line, error.context_mark.column) == (error.problem_mark.line, error.problem_mark.column))
    if error.context and error.context_mark and not same_place:
        where = f"{error.context} at line {error.context_mark.line + 1}, column {error.context_mark.column + 1}"
        return f"{problem} ({where})"
    return f"{problem} ({error.context})" if error.context else problem


def _reader_message(error: yaml.reader.ReaderError) -> str:
    character = error.character
    if isinstance(character, int):
        character = chr(character)
    return f"{error.reason}: character {character!r} is not allowed in YAML"


def _walk_document(root, index: int, problems: list[Problem]) -> Document | None:
    """Build the plain data and position tree of one composed document."""
    memo: dict[int, object] = {}
    counts = [0, 0]  # nodes walked, nodes reached again through aliases
    sizes: dict[int, int] = {}
    special = SPECIAL.get

    def tagged(node):
        try:
            return resolve_tagged(node.tag, node.value)
        except TagError as error:
            raise _DecodeError(str(error), node.start_mark) from None

    def value_of(node):
        """(data, position children) of a node; untagged scalars take the short way."""
        tag = node.tag
        if tag is _PLAIN:
            text = node.value
            value = special(text, text)
            if value is text:
                return (resolve_number(text) if text[:1] in NUMERIC_START else text), None
            return (text if value is MERGE else value), None
        if tag is _STR_TAG:
            return node.value, None
        if node.__class__ is ScalarNode:
            return tagged(node), None
        return build(node)

    def build(node):
        key = id(node)
        seen = memo.get(key)
        if seen is not None:
            if seen is _BUSY:
                raise _DecodeError("an anchor's value contains an alias to itself", node.start_mark)
            counts[1] += _expanded_size(node, sizes)
            walked, aliased = counts
            if _excessive_aliasing(walked + aliased, aliased):
                raise _DecodeError("the document contains excessive aliasing (an alias bomb?)", node.start_mark)
            return seen
        memo[key] = _BUSY
        built = mapping(node) if node.__class__ is MappingNode else sequence(node)
        memo[key] = built
        return built

    def sequence(node):
        data = []
        positions = []
        items = node.value
        counts[0] += len(items)
        for item in items:
            mark = item.start_mark
            value, children = value_of(item)
            data.append(value)
            positions.append((mark.line, mark.column, children))
        return data, positions

    def mapping(node):
        data = {}
        positions = {}
        merges = first_lines = None
        pairs = node.value
        counts[0] += 2 * len(pairs)
        for key_node, value_node in pairs:
            key_mark = key_node.start_mark
            key = key_node.value
            tag = key_node.tag
            if tag is _PLAIN:
                typed = special(key, key)
                if typed is key:
                    if key[:1] in NUMERIC_START:
                        key = json_key(resolve_number(key))
                elif typed is MERGE:
                    merges = (merges or []) + [value_node]
                    continue
                else:
                    key = json_key(typed)
            elif tag is not _STR_TAG:
                if key_node.__class__ is not ScalarNode:
                    raise _DecodeError("a mapping key must be a scalar, not a collection", key_mark)
                if tag == _MERGE_TAG:
                    merges = (merges or []) + [value_node]
                    continue
                key = json_key(tagged(key_node))
            if key is None:
                raise _DecodeError(f"the mapping key {key_node.value!r} cannot become a JSON key (Kubernetes refuses "
                                   "null keys and integers beyond 64 bits)", key_mark)
            value_mark = value_node.start_mark
            value, children = value_of(value_node)
            if key in data:
                first_lines = first_lines or {}
                first = first_lines.setdefault(key, positions[key][0])
                problems.append(Problem("duplicate-key", f'duplicate key "{key}" (first set at line {first + 1})',
                                        key_mark.line, key_mark.column, index))
            data[key] = value
            positions[key] = (key_mark.line, key_mark.column, value_mark.line, value_mark.column, children)
        if merges:
            merge(data, positions, merges)
        return data, positions

    def merge(data, positions, merges):
        for merged in merges:
            sources = merged.value if merged.__class__ is SequenceNode else [merged]
            for source in sources:
                if source.__class__ is not MappingNode:
                    raise _DecodeError("a merge key (<<) needs a map or a sequence of maps as its value",
                                       source.start_mark)
                source_data, source_positions = build(source)
                for key, value in source_data.items():
                    if key not in data:
                        data[key] = value
                        positions[key] = source_positions[key]

    try:
        data, children = value_of(root)
    except _DecodeError as error:
        problems.append(Problem("yaml-syntax", str(error), error.mark.line, error.mark.column, index))
        return None
    mark = root.start_mark
    return Document(index, data, (mark.line, mark.column, children), root.end_mark.line)


def _excessive_aliasing(decoded: int, aliased: int) -> bool:
    """go-yaml v2's test, made each time an alias is expanded: more than 1,000 nodes decoded and
    too many of them (99% up to 400,000 nodes, falling to 10% at 4,000,000) from aliases."""
    if aliased <= 100 or decoded <= 1000:
        return False
    if decoded <= _ALIAS_RATIO_LOW:
        allowed = 0.99
    elif decoded >= _ALIAS_RATIO_HIGH:
        allowed = 0.10
    else:
        allowed = 0.99 - 0.89 * (decoded - _ALIAS_RATIO_LOW) / (_ALIAS_RATIO_HIGH - _ALIAS_RATIO_LOW)
    return aliased / decoded > allowed


def _expanded_size(node, sizes: dict[int, int]) -> int:
    """Number of nodes a container stands for once every alias inside it is expanded."""
    key = id(node)
    size = sizes.get(key)
    if size is None:
        size = 1
        if node.__class__ is MappingNode:
            for key_node, value_node in node.value:  # plain loops: no C recursion on deep input
                size += _expanded_size(key_node, sizes) + _expanded_size(value_node, sizes)
        elif node.__class__ is SequenceNode:
            for item in node.value:
                size += _expanded_size(item, sizes)
        sizes[key] = size
    return size
