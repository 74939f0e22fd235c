"""Where each node of a loaded document stands in its file.

The loader builds, next to the plain data of every document, a tree of positions of the same
shape (see `kubecheck.loader`):

- a mapping's positions are a dict: key -> (key_line, key_column, value_line, value_column,
  positions of the value);
- a sequence's positions are a list: one (line, column, positions of the item) per item;
- a scalar has no positions of its own (None): its line and column sit in its parent.

A node's position is `(line, column, children)`. Lines and columns are 0-based here, as
libyaml reports them; findings add 1. Rules never see any of this: they report a path inside
their object, and the engine calls `locate`.
"""

from __future__ import annotations

import re

NodePosition = tuple  # (line, column, children)


def locate(node: NodePosition, path: tuple, at: str = "key") -> tuple[int, int, bool]:
    """Line and column (0-based) of the node at `path` below `node`.

    `at="key"` points at the key of the last mapping step (what a person reads as "the
    field"), `at="value"` at its value. A path that leaves the document stops at the deepest
    node that exists, so a missing field is reported at its parent; the third item says
    whether the whole path was found.
    """
    line, column, children = node
    value_line, value_column = line, column
    for step in path:
        if children.__class__ is dict:
            entry = children.get(step)
            if entry is None:
                return line, column, False
            line, column, value_line, value_column, children = entry
        elif children.__class__ is list and step.__class__ is int and 0 <= step < len(children):
            line, column, children = children[step]
            value_line, value_column = line, column
        else:
            return line, column, False
    if at == "value":
        return value_line, value_column, True
    return line, column, True


def subtree(node: NodePosition, path: tuple) -> NodePosition | None:
    """The position of the node at `path` (value side) below `node`, None if it is absent."""
    line, column, children = node
    for step in path:
        if children.__class__ is dict:
            entry = children.get(step)
            if entry is None:
                return None
            _, _, line, column, children = entry
        elif children.__class__ is list and step.__class__ is int and 0 <= step < len(children):
            line, column, children = children[step]
        else:
            return None
    return line, column, children


def token_end(line: str, column: int) -> int:
    """Where the YAML token that starts at `column` of `line` ends on that line (exclusive), so
    an editor can underline the whole key or value a finding is about.

    A quoted scalar ends at its closing quote, a flow collection at its closing bracket, a
    comment at the end of the line, a plain key or scalar before `: `, ` #` (and, inside a flow
    collection, before `,`, `]` or `}`). A token that goes on to the next line ends with this one.
    """
    rest_end = len(line.rstrip())
    if column >= rest_end:
        return column
    first = line[column]
    if first in "\"'":
        index = column + 1
        while index < len(line):
            char = line[index]
            if first == '"' and char == "\\":
                index += 2
                continue
            if char == first:
                if first == "'" and line[index + 1:index + 2] == "'":
                    index += 2
                    continue
                return index + 1
            index += 1
        return rest_end
    if first in "[{":
        depth = 0
        for index in range(column, rest_end):
            depth += (line[index] in "[{") - (line[index] in "]}")
            if depth == 0:
                return index + 1
        return rest_end
    if first == "#":
        return rest_end
    in_flow = sum(line[:column].count(c) for c in "[{") > sum(line[:column].count(c) for c in "]}")
    end = _PLAIN_END_IN_FLOW.search(line, column + 1) if in_flow else _PLAIN_END.search(line, column + 1)
    return max(len(line[:end.start()].rstrip()) if end else rest_end, column + 1)


_PLAIN_END = re.compile(r":(?=\s|$)|\s#")
_PLAIN_END_IN_FLOW = re.compile(r":(?=[\s,\]}]|$)|\s#|[,\]}]")
