"""positions.node_ends: where the key or value a finding points at ends, for an editor's underline
(the language server's diagnostic ranges)."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kubecheck.positions import node_ends


def underlined(text: str, line: int, column: int) -> str | None:
    """The text from (line, column) to the end node_ends gives; None where no node starts."""
    end = node_ends(text).get((line, column))
    if end is None:
        return None
    lines = text.split("\n")
    if end[0] == line:
        return lines[line][column:end[1]]
    return "\n".join([lines[line][column:], *lines[line + 1:end[0]], lines[end[0]][:end[1]]])


@pytest.mark.parametrize(("text", "line", "column", "token"), [
    # plain keys and scalars
    ("name: web\n", 0, 0, "name"),
    ("name: web  # c\n", 0, 6, "web"),
    ("  image: nginx:1.27\n", 0, 9, "nginx:1.27"),
    ("url: http://x:80/a\n", 0, 5, "http://x:80/a"),
    ("k: a#b\n", 0, 3, "a#b"),
    ("name: a,b]\n", 0, 6, "a,b]"),  # `,` and `]` are text outside flow collections
    ("k: a\u00a0#b\n", 0, 3, "a\u00a0#b"),  # YAML's white space is space and tab only
    ("- item\n", 0, 2, "item"),
    # quotes and escapes
    ("k: 'it''s' # c\n", 0, 3, "'it''s'"),
    ('k: "a\\"b" # c\n', 0, 3, '"a\\"b"'),
    ("'a: b': c\n", 0, 0, "'a: b'"),
    # flow collections, and brackets inside their strings
    ("args: [a, b]\n", 0, 6, "[a, b]"),
    ("m: {a: 1, b: [x]}\n", 0, 13, "[x]"),
    ('k: [a, "b]", c]\n', 0, 3, '[a, "b]", c]'),
    ('{"]": null}\n', 0, 6, "null"),
    # JSON over many lines: a scalar ends before its `,`
    ('{\n  "replicas": 3,\n  "enabled": true\n}\n', 1, 14, "3"),
    ('{\n  "replicas": 3,\n  "enabled": true\n}\n', 2, 13, "true"),
    ("m: {name: web,\n  namespace: x}\n", 0, 10, "web"),
    # anchors, tags and aliases start their node
    ("k: &a v\n", 0, 3, "&a v"),
    ("k: !!str 1\n", 0, 3, "!!str 1"),
    ("k: &a [1, 2]\n", 0, 3, "&a [1, 2]"),
    ("a: &x 1\nb: *x\n", 1, 3, "*x"),
    # block scalars and multi-line quoted scalars end with their text
    ("k: |\n  one\n  two\nj: 1\n", 0, 3, "|\n  one\n  two\n"),
    ('k: "one\n  two"\n', 0, 3, '"one\n  two"'),
    # non-ASCII: columns are code points
    ("név: érték\n", 0, 5, "érték"),
    ("k: '😀x'\n", 0, 3, "'😀x'"),
])
def test_node_ends(text, line, column, token):
    assert underlined(text, line, column) == token


def test_nothing_starts_at_comments_white_space_or_after_a_syntax_error():
    assert underlined("k: v  # c\n", 0, 6) is None
    assert underlined("k: v\n", 0, 2) is None
    text = "a: 1\nb: 'unclosed\nc: 2\n"
    assert underlined(text, 0, 3) == "1"
    assert underlined(text, 2, 3) is None  # the scanner stopped at the error
    assert node_ends("") == {}


# --- property: the ends are libyaml's own, for documents written by YAML and JSON emitters -----

TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
DATA = st.recursive(st.one_of(TEXT, st.integers(), st.booleans(), st.none()),
                    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
                    max_leaves=12)


def composed_ends(text: str) -> dict[tuple, tuple]:
    """(start) -> (end) of every scalar node and flow collection node, as libyaml's composer reads them."""
    found = {}
    stack = [node for node in yaml.compose_all(text, Loader=yaml.CSafeLoader) if node is not None]
    while stack:
        node = stack.pop()
        start, end = (node.start_mark.line, node.start_mark.column), (node.end_mark.line, node.end_mark.column)
        if isinstance(node, yaml.ScalarNode) or node.flow_style:
            found[start] = end
        if isinstance(node, yaml.MappingNode):
            stack += [item for pair in node.value for item in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return found


@settings(max_examples=200, deadline=None)
@given(DATA, st.sampled_from(["yaml-block", "yaml-flow", "json", "json-indented"]))
def test_every_node_ends_where_libyaml_ends_it(data, style):
    if style.startswith("yaml"):
        text = yaml.safe_dump(data, default_flow_style=style == "yaml-flow", allow_unicode=True)
    else:
        text = json.dumps(data, indent=2 if style == "json-indented" else None, ensure_ascii=False) + "\n"
    ends = node_ends(text)
    for start, end in composed_ends(text).items():
        assert ends.get(start) == end, (text, start)
