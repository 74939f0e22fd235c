"""kubecheck.loader (text/bytes -> documents with positions) and kubecheck.positions.locate.

All lines and columns here are 0-based, as the loader and `locate` report them.
"""

from __future__ import annotations

import codecs
import json
import textwrap
import tracemalloc

import pytest

from kubecheck.loader import Problem, load_bytes, load_text
from kubecheck.positions import locate


def load(text: str):
    """Load dedented text (without the newline after an opening triple quote)."""
    text = textwrap.dedent(text)
    return load_text("manifest.yaml", text[1:] if text.startswith("\n") else text)


def only_document(source):
    assert source.problems == []
    assert len(source.documents) == 1
    return source.documents[0]


def syntax(message: str, line: int, column: int, document: int = 0) -> Problem:
    return Problem("yaml-syntax", message, line, column, document)


def laughs(levels: int, fanout: int) -> str:
    """The "billion laughs": each level is a list that aliases the previous level `fanout` times."""
    lines = ["a0: &a0 [" + ", ".join(["lol"] * fanout) + "]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * fanout) + "]")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Positions


def test_block_mapping_positions_of_keys_and_values():
    document = only_document(load("""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: cfg
    """))
    assert document.data == {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}}
    assert document.position == (0, 0, {
        "apiVersion": (0, 0, 0, 12, None),
        "kind": (1, 0, 1, 6, None),
        "metadata": (2, 0, 3, 2, {"name": (3, 2, 3, 8, None)}),
    })


def test_block_sequence_item_positions():
    document = only_document(load("""
        items:
          - one
          - two: 2
            three: 3
          -
            - nested
    """))
    assert document.data == {"items": ["one", {"two": 2, "three": 3}, ["nested"]]}
    assert document.position == (0, 0, {
        "items": (0, 0, 1, 2, [
            (1, 4, None),
            (2, 4, {"two": (2, 4, 2, 9, None), "three": (3, 4, 3, 11, None)}),
            (5, 4, [(5, 6, None)]),
        ]),
    })


def test_flow_style_positions():
    document = only_document(load("labels: {app: web, tier: db}\nports: [80, {name: https}]\n"))
    assert document.position == (0, 0, {
        "labels": (0, 0, 0, 8, {"app": (0, 9, 0, 14, None), "tier": (0, 19, 0, 25, None)}),
        "ports": (1, 0, 1, 7, [(1, 8, None), (1, 12, {"name": (1, 13, 1, 19, None)})]),
    })


def test_json_positions():
    document = only_document(load_text("m.json", '{"a": [1, {"b": 2}]}'))
    assert document.data == {"a": [1, {"b": 2}]}
    assert document.position == (0, 0, {
        "a": (0, 1, 0, 6, [(0, 7, None), (0, 10, {"b": (0, 11, 0, 16, None)})]),
    })


def test_multiline_json_positions():
    document = only_document(load_text("m.json", '{\n\t"a": 1,\n\t"b": [1,\n\t\t2]\n}\n'))
    assert document.data == {"a": 1, "b": [1, 2]}
    assert document.position == (0, 0, {
        "a": (1, 1, 1, 6, None),
        "b": (2, 1, 2, 6, [(2, 7, None), (3, 2, None)]),
    })


def test_columns_count_characters_not_bytes():
    document = only_document(load("é: [1, 2]\n\U0001f600: {ö: x}\n"))
    assert document.position == (0, 0, {
        "é": (0, 0, 0, 3, [(0, 4, None), (0, 7, None)]),
        "\U0001f600": (1, 0, 1, 3, {"ö": (1, 4, 1, 7, None)}),
    })


def test_crlf_line_endings_count_as_one_break():
    document = only_document(load_text("m.yaml", "a: 1\r\nb:\r\n  - x\r\n"))
    assert document.position == (0, 0, {"a": (0, 0, 0, 3, None), "b": (1, 0, 2, 2, [(2, 4, None)])})


def test_old_mac_and_unicode_line_breaks_count_as_breaks():
    document = only_document(load_text("m.yaml", "a: 1\rb: 2\u2028c: 3\x85d: 4\n"))
    assert document.data == {"a": 1, "b": 2, "c": 3, "d": 4}
    assert [entry[:2] for entry in document.position[2].values()] == [(0, 0), (1, 0), (2, 0), (3, 0)]


# ---------------------------------------------------------------------------------------------
# locate


NESTED = """
    metadata:
      name: web
      labels:
        app: web
    spec:
      ports:
        - port: 80
        - name: https
          port: 443
"""


@pytest.fixture
def nested():
    return only_document(load(NESTED)).position


def test_locate_empty_path_is_the_root(nested):
    assert locate(nested, ()) == (0, 0, True)
    assert locate(nested, (), at="value") == (0, 0, True)


def test_locate_key_and_value_of_a_field(nested):
    assert locate(nested, ("metadata", "name")) == (1, 2, True)
    assert locate(nested, ("metadata", "name"), at="value") == (1, 8, True)


def test_locate_key_and_value_of_a_block_mapping(nested):
    assert locate(nested, ("metadata", "labels")) == (2, 2, True)
    assert locate(nested, ("metadata", "labels"), at="value") == (3, 4, True)


def test_locate_list_items(nested):
    assert locate(nested, ("spec", "ports", 0)) == (6, 6, True)
    assert locate(nested, ("spec", "ports", 1), at="value") == (7, 6, True)
    assert locate(nested, ("spec", "ports", 1, "port")) == (8, 6, True)
    assert locate(nested, ("spec", "ports", 1, "port"), at="value") == (8, 12, True)


def test_locate_value_after_a_list_step_is_the_item(nested):
    assert locate(nested, ("spec", "ports", 0), at="key") == locate(nested, ("spec", "ports", 0), at="value")


def test_locate_missing_key_falls_back_to_the_deepest_existing_key(nested):
    assert locate(nested, ("metadata", "namespace")) == (0, 0, False)
    assert locate(nested, ("metadata", "labels", "tier")) == (2, 2, False)
    assert locate(nested, ("metadata", "labels", "tier"), at="value") == (2, 2, False)
    assert locate(nested, ("status",)) == (0, 0, False)


def test_locate_missing_index_falls_back_to_the_list_key(nested):
    assert locate(nested, ("spec", "ports", 2)) == (5, 2, False)
    assert locate(nested, ("spec", "ports", -1)) == (5, 2, False)
    assert locate(nested, ("spec", "ports", "0")) == (5, 2, False)
    assert locate(nested, ("spec", "ports", 1, "protocol")) == (7, 6, False)


def test_locate_path_through_a_scalar_stops_at_the_scalar(nested):
    assert locate(nested, ("metadata", "name", "first")) == (1, 2, False)
    assert locate(nested, ("metadata", "name", 0)) == (1, 2, False)


def test_locate_int_step_into_a_mapping_is_missing(nested):
    assert locate(nested, ("spec", 0)) == (4, 0, False)


# ---------------------------------------------------------------------------------------------
# Documents


def test_document_indexes_count_empty_documents():
    source = load("---\n---\na: 1")
    assert source.problems == []
    assert [(d.index, d.data) for d in source.documents] == [(0, None), (1, {"a": 1})]
    assert source.documents[1].position == (2, 0, {"a": (2, 0, 2, 3, None)})


def test_trailing_separator_makes_an_empty_document():
    source = load("a: 1\n---\n")
    assert [(d.index, d.data) for d in source.documents] == [(0, {"a": 1}), (1, None)]


def test_comment_between_separators_is_an_empty_document():
    source = load("---\n# nothing here\n---\na: 1\n")
    assert [(d.index, d.data) for d in source.documents] == [(0, None), (1, {"a": 1})]


def test_document_end_marker_then_separator_starts_one_document():
    source = load("a: 1\n...\n---\nb: 2\n")
    assert [(d.index, d.data, d.position[:2]) for d in source.documents] == [(0, {"a": 1}, (0, 0)),
                                                                             (1, {"b": 2}, (3, 0))]


@pytest.mark.parametrize("text", ["", "\n\n\n", "# only\n# comments\n", "   \n# indented comment\n"])
def test_empty_and_comment_only_files_have_no_documents_and_no_problems(text):
    source = load_text("empty.yaml", text)
    assert source.documents == []
    assert source.problems == []


def test_top_level_scalar_and_list_documents():
    source = load("plain text\n---\n- 1\n- two\n")
    assert [(d.data, d.position) for d in source.documents] == [
        ("plain text", (0, 0, None)),
        ([1, "two"], (2, 0, [(2, 2, None), (3, 2, None)])),
    ]


def test_document_end_line():
    assert [d.end_line for d in load("a: 1\nb: 2\n").documents] == [2]
    assert [d.end_line for d in load_text("m.json", '{"a": 1}').documents] == [0]
    assert [d.end_line for d in load("a: 1\n---\nb: 2\n").documents] == [1, 3]
    assert [d.end_line for d in load("- 1\n- 2\n# trailing comment\n\n").documents] == [4]
    for document in load("a: 1\n---\n---\nb:\n  - c\n---\nd\n").documents:
        assert document.end_line >= document.position[0]


# ---------------------------------------------------------------------------------------------
# Syntax errors


def test_syntax_error_is_a_problem_at_libyaml_mark_and_earlier_documents_are_kept():
    source = load("a: 1\n---\nkey: value: other\n")
    assert [(d.index, d.data) for d in source.documents] == [(0, {"a": 1})]
    assert source.problems == [syntax("mapping values are not allowed in this context", 2, 10, 1)]


def test_unclosed_flow_sequence_is_reported_where_the_parser_stopped():
    source = load("a: 1\n---\nb: [\n")
    assert [d.data for d in source.documents] == [{"a": 1}]
    assert source.problems == [
        syntax("did not find expected node content (while parsing a flow node)", 3, 0, 1),
    ]


def test_unterminated_quoted_scalar():
    assert load("a: 'unterminated\n").problems == [
        syntax("found unexpected end of stream (while scanning a quoted scalar at line 1, column 4)", 1, 0),
    ]


def test_undefined_alias():
    assert load("a: 1\nb: *nope\n").problems == [syntax("found undefined alias", 1, 3)]


def test_tab_indentation_is_a_syntax_problem():
    source = load("a:\n\tb: 1\n")
    assert source.documents == []
    assert source.problems == [
        syntax("found character that cannot start any token (while scanning for the next token)", 1, 0),
    ]


def test_tab_before_a_nested_key_is_a_syntax_problem():
    source = load("a:\n  b: 1\n\tc: 2\n")
    assert source.problems == [
        syntax("found a tab character that violates indentation "
               "(while scanning a plain scalar at line 2, column 6)", 2, 0),
    ]


def test_problem_at_the_end_of_a_file_is_on_its_last_line():
    # At the end of a stream without a final line break, libyaml's mark is (number of lines, 0),
    # a line the file does not have: the problem is moved to the end of the last line.
    source = load_text("m.yaml", "a: [")
    assert source.lines == ["a: ["]
    assert [(p.line, p.column) for p in source.problems] == [(0, 4)]


HELM = 'metadata:\n  name: {{ .Release.Name }}\n  labels:\n{{ include "x" . | indent 4 }}\n'


def test_helm_template_syntax_error_mentions_helm():
    source = load_text("deployment.yaml", HELM)
    assert source.documents == []
    assert source.problems == [syntax(
        "could not find expected ':' (while scanning a simple key at line 4, column 1); "
        "the file looks like a Helm or Go template: check its rendered output (helm template)", 4, 0)]


def test_helm_template_value_that_parses_as_a_flow_mapping_key_mentions_helm():
    # `{{ .Values.replicas }}` parses as a flow mapping whose key is a flow mapping: a decode
    # problem ("a mapping key must be a scalar"), which gets the Helm hint like parser errors do.
    source = load_text("deployment.yaml", "replicas: {{ .Values.replicas }}\n")
    assert [p.rule for p in source.problems] == ["yaml-syntax"]
    assert "Helm" in source.problems[0].message


# ---------------------------------------------------------------------------------------------
# Duplicate keys


def test_duplicate_key_is_reported_at_the_second_key_and_the_later_value_is_kept():
    source = load("""
        x: 1
        y_: 2
        x: 3
    """)
    document = source.documents[0]
    assert document.data == {"x": 3, "y_": 2}
    assert document.position[2]["x"] == (2, 0, 2, 3, None)
    assert source.problems == [Problem("duplicate-key", 'duplicate key "x" (first set at line 1)', 2, 0, 0)]


def test_int_and_string_spellings_of_a_key_are_the_same_key():
    source = load("1: a\n'1': b\n")
    assert source.documents[0].data == {"1": "b"}
    assert source.problems == [Problem("duplicate-key", 'duplicate key "1" (first set at line 1)', 1, 0, 0)]


def test_boolean_spellings_of_a_key_are_the_same_key():
    source = load("yes: a\ntrue: b\n")
    assert source.documents[0].data == {"true": "b"}
    assert source.problems == [Problem("duplicate-key", 'duplicate key "true" (first set at line 1)', 1, 0, 0)]


def test_duplicate_key_in_a_flow_mapping():
    source = load("labels: {app: a, app: b}\n")
    assert source.documents[0].data == {"labels": {"app": "b"}}
    assert source.problems == [Problem("duplicate-key", 'duplicate key "app" (first set at line 1)', 0, 17, 0)]


def test_duplicate_key_in_a_later_document_names_that_document():
    source = load("a: 1\n---\nb: 1\nb: 2\n")
    assert source.problems == [Problem("duplicate-key", 'duplicate key "b" (first set at line 3)', 3, 0, 1)]


def test_a_node_written_as_an_alias_has_its_anchors_position():
    # A documented limitation: libyaml's composer hands over the anchored node itself for an
    # alias, so a duplicate key written as `*k` is reported where `&k key` stands.
    source = load("&k key: 1\n*k : 2\n")
    assert source.problems == [Problem("duplicate-key", 'duplicate key "key" (first set at line 1)', 0, 0, 0)]


def test_third_occurrence_of_a_key_names_the_first_line():
    # Every later duplicate names the first occurrence, not the previous one.
    source = load("x: 1\nx: 2\nx: 3\n")
    assert source.problems == [
        Problem("duplicate-key", 'duplicate key "x" (first set at line 1)', 1, 0, 0),
        Problem("duplicate-key", 'duplicate key "x" (first set at line 1)', 2, 0, 0),
    ]


# ---------------------------------------------------------------------------------------------
# Merge keys, anchors and aliases


def test_merge_adds_the_keys_the_mapping_does_not_set():
    document = only_document(load("""
        base: &base {a: 1, b: 2}
        merged:
          <<: *base
          c: 3
    """))
    assert document.data["merged"] == {"a": 1, "b": 2, "c": 3}


def test_explicit_key_after_the_merge_wins():
    document = only_document(load("""
        base: &base {a: 1, b: 2}
        merged:
          <<: *base
          a: 9
    """))
    assert document.data["merged"] == {"a": 9, "b": 2}
    assert document.position[2]["merged"][4]["a"] == (3, 2, 3, 5, None)


def test_explicit_key_before_the_merge_wins():
    # What the brief and the loader's docstring ask (and the YAML merge spec says). Note: go-yaml v2's
    # decoder.mapping applies `<<` in document order, so there a later `<<` overwrites `a`.
    document = only_document(load("""
        base: &base {a: 1, b: 2}
        merged:
          a: 9
          <<: *base
    """))
    assert document.data["merged"] == {"a": 9, "b": 2}
    assert document.position[2]["merged"][4]["a"] == (2, 2, 2, 5, None)


def test_merge_of_a_list_of_maps_earlier_maps_win():
    document = only_document(load("""
        first: &first {x: 1, p: 1}
        second: &second {x: 2, q: 2}
        merged:
          <<: [*first, *second]
    """))
    assert document.data["merged"] == {"x": 1, "p": 1, "q": 2}


def test_merged_keys_are_located_in_the_anchored_mapping():
    document = only_document(load("""
        base: &base {a: 1}
        merged:
          <<: *base
    """))
    assert locate(document.position, ("merged", "a")) == (0, 13, True)
    assert locate(document.position, ("merged", "a"), at="value") == (0, 16, True)


def test_merge_of_an_inline_mapping():
    document = only_document(load("m:\n  <<: {a: 1}\n  b: 2\n"))
    assert document.data == {"m": {"a": 1, "b": 2}}


def test_merge_key_does_not_make_a_duplicate_with_an_explicit_key():
    source = load("m:\n  <<: {x: 1}\n  x: 2\n")
    assert source.problems == []
    assert source.documents[0].data == {"m": {"x": 2}}


def test_quoted_merge_key_is_an_ordinary_key():
    document = only_document(load('"<<": {a: 1}\n'))
    assert document.data == {"<<": {"a": 1}}


def test_merge_key_as_a_value_is_a_string():
    document = only_document(load("a: <<\n"))
    assert document.data == {"a": "<<"}


def test_merge_of_a_scalar_is_a_problem_and_drops_the_document():
    source = load("""
        a: 1
        ---
        m:
          <<: 3
        ---
        c: 1
    """)
    assert [(d.index, d.data) for d in source.documents] == [(0, {"a": 1}), (1, None), (2, {"c": 1})]
    assert source.documents[1].position == (2, 0, None)
    assert source.problems == [syntax("a merge key (<<) needs a map or a sequence of maps as its value", 3, 6, 1)]


def test_merge_of_a_list_holding_a_scalar_is_a_problem():
    source = load("a: &a {x: 1}\nm:\n  <<: [*a, 3]\n")
    assert [d.data for d in source.documents] == [None]
    assert source.problems == [syntax("a merge key (<<) needs a map or a sequence of maps as its value", 2, 11)]


def test_alias_gives_data_equal_to_the_anchor():
    document = only_document(load("""
        template: &labels
          app: web
          tier: [a, b]
        copy: *labels
        list: &list [1, 2]
        again: *list
    """))
    assert document.data["copy"] == {"app": "web", "tier": ["a", "b"]}
    assert document.data["again"] == [1, 2]
    assert document.position[2]["copy"][4] == document.position[2]["template"][4]


def test_alias_of_a_scalar():
    document = only_document(load("a: &x yes\nb: *x\n"))
    assert document.data == {"a": True, "b": True}


def test_anchor_containing_an_alias_to_itself_is_a_problem():
    source = load("a: &x [1, *x]\n")
    assert [(d.index, d.data) for d in source.documents] == [(0, None)]
    assert source.problems == [syntax("an anchor's value contains an alias to itself", 0, 3)]


def test_mapping_merging_itself_is_a_problem():
    source = load("a: &x {b: 1, <<: *x}\n")
    assert [d.data for d in source.documents] == [None]
    assert source.problems == [syntax("an anchor's value contains an alias to itself", 0, 3)]


def test_alias_bomb_is_refused_without_expanding_it():
    tracemalloc.start()
    try:
        source = load_text("bomb.yaml", laughs(levels=9, fanout=9))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [d.data for d in source.documents] == [None]
    # reported at the anchor whose expansion crossed go-yaml's limit
    assert source.problems == [syntax("the document contains excessive aliasing (an alias bomb?)", 2, 4)]
    assert peak < 20_000_000  # 9**10 strings would not fit in memory; shared data does


def test_ten_by_ten_alias_bomb_is_refused():
    source = load_text("bomb.yaml", laughs(levels=10, fanout=10))
    assert [p.rule for p in source.problems] == ["yaml-syntax"]
    assert "excessive aliasing" in source.problems[0].message


def test_moderate_aliasing_is_accepted():
    source = load_text("anchors.yaml", laughs(levels=2, fanout=10))
    assert source.problems == []
    assert len(source.documents[0].data["a2"]) == 10


def test_small_alias_bomb_is_refused_as_go_yaml_refuses_it():
    # go-yaml v2 (decode.go, unmarshal) refuses as soon as aliasCount > 100, decodeCount > 1000
    # and aliasCount/decodeCount > allowedAliasRatio(decodeCount) (0.99 up to 400,000 decodes):
    # this four-level bomb (about 111,000 nodes once expanded) passes 0.99 after ~4,000 decodes.
    source = load_text("bomb.yaml", laughs(levels=4, fanout=10))
    assert [p.rule for p in source.problems] == ["yaml-syntax"]
    assert "excessive aliasing" in source.problems[0].message


# ---------------------------------------------------------------------------------------------
# Nesting and size


def test_flow_nesting_deeper_than_10000_levels_is_a_problem():
    source = load_text("deep.json", "[" * 20000 + "]" * 20000)
    assert source.documents == []
    assert source.problems == [syntax("the document is nested deeper than 10000 levels", 0, 9999)]


def test_block_nesting_deeper_than_10000_levels_is_a_problem():
    source = load_text("deep.yaml", "- " * 20000 + "x\n")
    assert source.documents == []
    assert source.problems == [syntax("the document is nested deeper than 10000 levels", 0, 19998)]


def test_nesting_5000_levels_deep_loads():
    document = only_document(load_text("deep.json", "[" * 5000 + "]" * 5000))
    depth, data = 0, document.data
    while data:
        depth, data = depth + 1, data[0]
    assert depth == 4999 and data == []


def test_multi_megabyte_single_line_json_loads():
    items = ["x" * 100] * 30000
    text = json.dumps({"items": items})
    assert len(text) > 3_000_000 and "\n" not in text
    document = only_document(load_text("big.json", text))
    assert document.data == {"items": items}
    assert document.position[2]["items"][4][-1] == (0, 11 + 104 * 29999, None)  # '{"items": [' then '"x...", ' 


# ---------------------------------------------------------------------------------------------
# Encodings (load_bytes)


def test_utf8_bom_is_stripped_and_positions_are_unaffected():
    source = load_bytes("m.yaml", codecs.BOM_UTF8 + b"# c\na: [1, 2]\n")
    assert source.text == "# c\na: [1, 2]\n"
    document = only_document(source)
    assert document.position == (1, 0, {"a": (1, 0, 1, 3, [(1, 4, None), (1, 7, None)])})


@pytest.mark.parametrize("bom, codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_utf16_with_bom_is_decoded(bom, codec):
    source = load_bytes("m.yaml", bom + "name: café\nitems: [1]\n".encode(codec))
    document = only_document(source)
    assert document.data == {"name": "café", "items": [1]}
    assert document.position == (0, 0, {"name": (0, 0, 0, 6, None), "items": (1, 0, 1, 7, [(1, 8, None)])})


def test_invalid_utf8_is_a_problem_naming_the_byte_at_its_position():
    source = load_bytes("latin1.yaml", b"a: 1\nb: caf\xe9\n")
    assert source.documents == []
    assert source.problems == [syntax("the file is not UTF-8 text: byte 0xe9 cannot be decoded", 1, 6)]


def test_invalid_utf8_column_counts_characters_before_it():
    source = load_bytes("m.yaml", b"a: 1\nb: \xc3\xa9\xff\n")
    assert source.problems == [syntax("the file is not UTF-8 text: byte 0xff cannot be decoded", 1, 4)]


def test_invalid_utf8_after_a_bom_is_located_in_the_text_without_the_bom():
    # The position is counted in the text after the byte-order mark.
    source = load_bytes("m.yaml", codecs.BOM_UTF8 + b"a: 1\nb: \xff\n")
    assert source.problems == [syntax("the file is not UTF-8 text: byte 0xff cannot be decoded", 1, 3)]


def test_undecodable_utf16_is_located_in_utf16_characters():
    # The position is counted in UTF-16 characters: the lone surrogate follows "b: x" on line 1.
    raw = codecs.BOM_UTF16_LE + "a: 1\nb: x".encode("utf-16-le") + b"\x00\xd8" + "y\n".encode("utf-16-le")
    source = load_bytes("m.yaml", raw)
    assert [(p.rule, p.line, p.column) for p in source.problems] == [("yaml-syntax", 1, 4)]


def test_nul_byte_is_a_syntax_problem():
    source = load_bytes("m.yaml", b"a: 1\nb: \x00\n")
    assert source.problems == [
        syntax("control characters are not allowed: character '\\x00' is not allowed in YAML", 1, 3),
    ]


def test_control_character_after_wide_characters_is_located_by_character():
    source = load_text("m.yaml", "\U0001f600\U0001f600: \x01\n")
    assert source.problems == [
        syntax("control characters are not allowed: character '\\x01' is not allowed in YAML", 0, 4),
    ]


@pytest.mark.parametrize("raw", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    bytes(range(256)),
    b"\x00" * 64,
    "a: 1\n".encode("utf-16-le"),  # UTF-16 without a byte-order mark: read as UTF-8, so NUL bytes
])
def test_binary_garbage_is_a_syntax_problem_not_an_exception(raw):
    source = load_bytes("garbage.yaml", raw)
    assert [p.rule for p in source.problems] == ["yaml-syntax"]


def test_text_with_a_lone_surrogate_is_a_problem_not_an_exception():
    # PyYAML's CParser encodes its input to UTF-8, which a lone surrogate cannot be (only a str
    # from an editor buffer can hold one; load_bytes cannot produce it).
    source = load_text("m.yaml", "a: \ud800\n")
    assert [p.rule for p in source.problems] == ["yaml-syntax"]


def test_json_with_an_escaped_surrogate_pair_loads():
    # JSON escapes characters outside the BMP as a surrogate pair ("\ud83d\ude00", as json.dumps
    # does by default). kubectl reads a stream starting with "{" with encoding/json
    # (apimachinery's YAMLOrJSONDecoder), which decodes the pair, though libyaml refuses it.
    source = load_text("m.json", json.dumps({"emoji": "\U0001f600"}))
    assert source.problems == []
    assert [d.data for d in source.documents] == [{"emoji": "\U0001f600"}]


# ---------------------------------------------------------------------------------------------
# Tags, keys and scalar types


def test_python_object_tags_are_never_executed():
    document = only_document(load("""
        apply: !!python/object/apply:os.system ["echo hi"]
        new: !!python/object/new:os.system {args: [echo]}
        name: !!python/name:os.system
        object: !!python/object:os.system echo
    """))
    assert document.data == {"apply": ["echo hi"], "new": {"args": ["echo"]}, "name": "", "object": "echo"}


def test_tagged_root_collection_is_plain_data():
    document = only_document(load('!!python/object/apply:os.system ["echo hi"]\n'))
    assert document.data == ["echo hi"]


def test_scalar_that_does_not_fit_its_tag_is_a_problem_and_drops_the_document():
    source = load("a: 1\n---\nb: !!int abc\n")
    assert [(d.index, d.data) for d in source.documents] == [(0, {"a": 1}), (1, None)]
    assert source.problems == [syntax("cannot decode !!str `abc` as a !!int", 2, 3, 1)]


def test_tagged_scalars():
    document = only_document(load("""
        a: !!float 12
        b: !!str 12
        c: !!int "12"
        d: !!binary aGVsbG8=
        e: !!timestamp 2001-12-14
        f: !custom yes
    """))
    assert document.data == {"a": 12.0, "b": "12", "c": 12, "d": "hello", "e": "2001-12-14", "f": "yes"}
    assert isinstance(document.data["a"], float)


def test_null_key_is_a_syntax_problem():
    source = load("~: 1\n")
    assert [d.data for d in source.documents] == [None]
    assert source.problems == [syntax("the mapping key '~' cannot become a JSON key (Kubernetes refuses null keys "
                                      "and integers beyond 64 bits)", 0, 0)]


def test_empty_key_is_a_null_key():
    source = load("a:\n  ? \n  : 1\n")
    assert [p.message for p in source.problems] == ["the mapping key '' cannot become a JSON key (Kubernetes refuses "
                                                    "null keys and integers beyond 64 bits)"]


def test_collection_key_is_a_syntax_problem():
    source = load("? [a]\n: 1\n")
    assert [d.data for d in source.documents] == [None]
    assert source.problems == [syntax("a mapping key must be a scalar, not a collection", 0, 2)]


def test_flow_mapping_key_is_a_syntax_problem():
    source = load("{a: 1}: x\n")
    assert source.problems == [syntax("a mapping key must be a scalar, not a collection", 0, 0)]


def test_keys_become_json_strings():
    document = only_document(load("1.0: a\n1e6: b\n.inf: c\non: d\n0x1F: e\n~x: f\n"))
    assert list(document.data) == ["1", "1e+06", ".inf", "true", "31", "~x"]


def test_integer_key_beyond_int64_is_refused():
    # go-yaml decodes this key as uint64, and sigs.k8s.io/yaml refuses it ("unsupported map
    # key of type: uint64").
    source = load("9223372036854775808: x\n")
    assert [d.data for d in source.documents] == [None]
    assert [p.rule for p in source.problems] == ["yaml-syntax"]


def test_scalars_are_typed_as_go_yaml_types_them():
    document = only_document(load("""
        labels: {a: yes, b: "yes", c: on, d: 010, e: 1e3, f: 2001-12-14, h: ~, i: =}
        time: 3:25:45
    """))
    assert document.data == {"labels": {"a": True, "b": "yes", "c": True, "d": 8, "e": 1000.0,
                                        "f": "2001-12-14", "h": None, "i": "="}, "time": "3:25:45"}
    assert isinstance(document.data["labels"]["e"], float)


def test_block_scalars_stay_strings():
    document = only_document(load("a: |\n  yes\nb: >\n  123\n"))
    assert document.data == {"a": "yes\n", "b": "123\n"}


# ---------------------------------------------------------------------------------------------
# SourceFile.lines


def test_lines_split_on_crlf_lf_and_cr():
    source = load_text("m.yaml", "a: 1\r\nb: 2\nc: 3\rd: 4")
    assert source.lines == ["a: 1", "b: 2", "c: 3", "d: 4"]


def test_lines_keep_a_last_empty_line_after_a_final_break():
    assert load_text("m.yaml", "a: 1\n").lines == ["a: 1", ""]
    assert load_text("m.yaml", "").lines == [""]


def test_lines_agree_with_positions():
    source = load_text("m.yaml", "x: 0\r\ny: 1\rz: [a, bb]\n")
    entry = source.documents[0].position[2]["z"]
    line, column = entry[4][1][:2]
    assert source.lines[line][column:column + 2] == "bb"

