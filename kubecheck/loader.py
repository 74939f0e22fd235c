"""File bytes -> documents of plain data, each with the position of every node.

Measured on this project's machines (see benchmarks/README.md): libyaml's C composer, driven
through PyYAML, plus one Python walk that builds plain dicts, lists and scalars while it
records positions, reads YAML faster than `yaml.load_all(..., Loader=CSafeLoader)` does;
ruamel.yaml's round-trip loader is 13-18 times slower and is kept for rewriting files.

The walk reads YAML the way Kubernetes does (sigs.k8s.io/yaml over go-yaml v2):
scalars are typed by `kubecheck.scalars`; map keys become JSON strings; anchors and aliases
resolve to the same data (shared, never copied, so alias bombs stay small in memory) and
documents that expand through aliases beyond go-yaml's limits are refused as go-yaml refuses
them; merge keys (`<<`) add the keys of the merged maps that the mapping does not set itself,
earlier maps winning over later ones. What Kubernetes would refuse becomes a `Problem` for the
input rules: syntax errors (the file's earlier documents are still used), duplicate keys (the
later value is kept), decode errors (the document is dropped).
"""

from __future__ import annotations

import codecs
import re
import sys
from dataclasses import dataclass, field

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

# go-yaml v2 (decode.go) refuses a document when aliases expand it too much.
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


def decode(raw: bytes) -> tuple[str | None, str | None, int]:
    """Text of a manifest file as Kubernetes reads it (UTF-8, or UTF-16 with a byte-order mark).

    Returns (text, None, 0) or (None, reason, offset of the first undecodable byte).
    """
    if raw.startswith(codecs.BOM_UTF8):
        raw, encoding = raw[3:], "utf-8"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        return raw.decode(encoding), None, 0
    except UnicodeDecodeError as error:
        bad = raw[error.start:error.start + 1].hex()
        return None, f"the file is not {encoding.upper()} text: byte 0x{bad} cannot be decoded", error.start


def load_bytes(path: str, raw: bytes) -> SourceFile:
    """Load a file's bytes; undecodable bytes become a `yaml-syntax` problem at their place."""
    text, reason, offset = decode(raw)
    if text is None:
        before = raw[:offset].decode("utf-8", "replace")
        lines = LINE_BREAK.split(before)
        source = SourceFile(path, raw.decode("utf-8", "replace"))
        source.problems.append(Problem("yaml-syntax", reason, len(lines) - 1, len(lines[-1]), 0))
        return source
    return load_text(path, text)


def load_text(path: str, text: str) -> SourceFile:
    """Load every document of a YAML (or JSON) text with the positions of all its nodes."""
    source = SourceFile(path, text)
    needed = 3 * MAX_DEPTH + 200
    if sys.getrecursionlimit() < needed:
        sys.setrecursionlimit(needed)
    composer = _Composer(text)
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
        message = _syntax_message(error)
        if "{{" in text:
            message += "; the file looks like a Helm or Go template: check its rendered output (helm template)"
        source.problems.append(Problem("yaml-syntax", message, line, column, len(source.documents)))
    except yaml.reader.ReaderError as error:
        line, column = _offset_position(text, error.position)
        source.problems.append(Problem("yaml-syntax", _reader_message(error), line, column, len(source.documents)))
    except _TooDeep as error:
        source.problems.append(Problem("yaml-syntax", f"the document is nested deeper than {MAX_DEPTH} levels",
                                       error.mark.line, error.mark.column, len(source.documents)))
    finally:
        composer.dispose()
    return source


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


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    """Line and column of a libyaml reader offset, counted in UTF-8 bytes of `text`."""
    before = text.encode("utf-8")[:offset].decode("utf-8", "replace")
    lines = LINE_BREAK.split(before)
    return len(lines) - 1, len(lines[-1])


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
        merges = None
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
                raise _DecodeError("a null mapping key cannot be converted to JSON", key_mark)
            value_mark = value_node.start_mark
            value, children = value_of(value_node)
            if key in data:
                first = positions[key]
                problems.append(Problem("duplicate-key", f'duplicate key "{key}" (first set at line {first[0] + 1})',
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
        walked, aliased = counts
        decoded = walked + aliased
        if aliased > 100 and decoded > _ALIAS_RATIO_LOW and aliased / decoded > _allowed_alias_ratio(decoded):
            raise _DecodeError("the document contains excessive aliasing (an alias bomb?)", root.start_mark)
    except _DecodeError as error:
        problems.append(Problem("yaml-syntax", str(error), error.mark.line, error.mark.column, index))
        return None
    mark = root.start_mark
    return Document(index, data, (mark.line, mark.column, children), root.end_mark.line)


def _allowed_alias_ratio(decoded: int) -> float:
    if decoded <= _ALIAS_RATIO_LOW:
        return 0.99
    if decoded >= _ALIAS_RATIO_HIGH:
        return 0.10
    return 0.99 - 0.89 * (decoded - _ALIAS_RATIO_LOW) / (_ALIAS_RATIO_HIGH - _ALIAS_RATIO_LOW)


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
