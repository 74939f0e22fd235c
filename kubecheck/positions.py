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

import yaml

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



def node_ends(text: str) -> dict[tuple[int, int], tuple[int, int]]:
    """Where each scalar and flow collection of `text` ends (line, column; 0-based, exclusive),
    by where it starts: what an editor underlines for a finding at that position.

    libyaml's scanner gives the ends, so quotes, escapes, brackets inside strings and flow
    collections spread over many lines (JSON) end where YAML ends them. An anchor or tag that
    comes first starts its node, which ends where the node's scalar or collection ends. A file
    that does not scan to its end has ends only for the tokens before the error.
    """
    ends: dict[tuple[int, int], tuple[int, int]] = {}
    open_collections: list[list[tuple[int, int]]] = []  # starts of each unclosed flow collection
    properties: list[tuple[int, int]] = []  # starts of anchors and tags waiting for their node
    try:
        for token in yaml.scan(text, Loader=yaml.CSafeLoader):
            start = (token.start_mark.line, token.start_mark.column)
            end = (token.end_mark.line, token.end_mark.column)
            if isinstance(token, (yaml.AnchorToken, yaml.TagToken)):
                properties.append(start)
            elif isinstance(token, (yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)):
                open_collections.append([start, *properties])
                properties = []
            elif isinstance(token, (yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)) and open_collections:
                for begin in open_collections.pop():
                    ends[begin] = end
            elif isinstance(token, (yaml.ScalarToken, yaml.AliasToken)):
                for begin in (start, *properties):
                    ends[begin] = end
                properties = []
    except yaml.YAMLError:
        pass
    return ends
