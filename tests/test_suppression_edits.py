"""The suppression comments the language server offers as quick fixes (suppression.line_suppression_edit
and suppression.document_suppression_line): applied, they silence the finding and nothing else."""

from __future__ import annotations

import json

import pytest
from support import summary

from kubecheck.loader import load_text
from kubecheck.pluginmanager import load_catalogue
from kubecheck.suppression import document_suppression_line, line_suppression_edit

UNSUPPRESSIBLE = ("internal-error", "unused-suppression")
BUILTIN = {rule.id: rule for rule in load_catalogue().rules.values()
           if rule.plugin == "builtin-rules" and rule.id not in UNSUPPRESSIBLE}


def with_line_edit(text: str, line: int, edit: tuple[int, int, str]) -> str:
    """`text` with columns start to end of `line` (0-based) replaced, as an editor applies the edit."""
    start, end, new_text = edit
    lines = text.split("\n")
    lines[line] = lines[line][:start] + new_text + lines[line][end:]
    return "\n".join(lines)


def with_document_comment(text: str, line: int, rule: str) -> str:
    lines = text.split("\n")
    lines.insert(line, f"# kubecheck: ignore[{rule}]")
    return "\n".join(lines)


def edited_line(text: str, line: int, rule: str) -> str | None:
    """The line (0-based) as the quick fix leaves it, None when none is offered."""
    edit = line_suppression_edit(load_text("manifest.yaml", text), line, rule)
    return None if edit is None else with_line_edit(text, line, edit).split("\n")[line]


# ---------------------------------------------------------------------------------------------
# Every built-in rule's failing example: each quick fix silences its finding, and only the
# findings of that rule on that line (or in that document); nothing is left unused.


def findings_of(report) -> list[tuple]:
    return [(f.rule, f.line, f.column, f.message, f.document) for f in report.findings]


@pytest.mark.parametrize("rule", BUILTIN.values(), ids=list(BUILTIN))
def test_line_suppression_silences_each_finding_of_the_failing_example(lint, rule):
    text = rule.fail_example
    before = findings_of(lint({"example.yaml": text}, **rule.example_settings))
    assert before
    source = load_text("example.yaml", text)
    for rule_id, line, column, message, document in before:
        edit = line_suppression_edit(source, line - 1, rule_id)
        assert edit is not None, (rule_id, line, source.lines[line - 1])
        after = findings_of(lint({"example.yaml": with_line_edit(text, line - 1, edit)}, **rule.example_settings))
        assert after == [f for f in before if not (f[0] == rule_id and f[1] == line)]


@pytest.mark.parametrize("rule", BUILTIN.values(), ids=list(BUILTIN))
def test_document_suppression_silences_each_finding_of_the_failing_example(lint, rule):
    text = rule.fail_example
    before = findings_of(lint({"example.yaml": text}, **rule.example_settings))
    source = load_text("example.yaml", text)
    offered = 0
    for rule_id, line, column, message, document in before:
        first = document_suppression_line(source, document)
        if first is None:
            assert document is None or document >= len(source.documents) \
                or not isinstance(source.documents[document].data, dict)
            continue
        offered += 1
        assert first <= line - 1
        after = findings_of(lint({"example.yaml": with_document_comment(text, first, rule_id)}, **rule.example_settings))
        assert after == [(f[0], f[1] + (f[1] - 1 >= first), *f[2:]) for f in before
                         if not (f[0] == rule_id and f[4] == document)]
    assert offered or rule.id in ("not-an-object", "yaml-syntax")  # see the test below


def test_which_failing_examples_get_no_document_suppression(lint):
    """A document that does not parse, or that is not a mapping, has no first key to write above."""
    refused = set()
    for rule in BUILTIN.values():
        report = lint({"example.yaml": rule.fail_example}, **rule.example_settings)
        source = load_text("example.yaml", rule.fail_example)
        refused |= {(f.rule, f.document) for f in report.findings
                    if document_suppression_line(source, f.document) is None}
    assert refused == {("not-an-object", 1), ("yaml-syntax", 0)}


# ---------------------------------------------------------------------------------------------
# The line quick fix, case by case


def test_a_comment_is_appended_to_the_line():
    text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n"
    source = load_text("manifest.yaml", text)
    assert line_suppression_edit(source, 3, "orphan-service") == (11, 11, "  # kubecheck: ignore[orphan-service]")
    assert edited_line(text, 3, "orphan-service") == "  name: web  # kubecheck: ignore[orphan-service]"


def test_trailing_spaces_are_replaced_by_the_comment():
    assert line_suppression_edit(load_text("m.yaml", "name: web   \n"), 0, "x") == (9, 12, "  # kubecheck: ignore[x]")


def test_an_existing_comment_that_is_no_directive_is_kept_before_the_new_one():
    assert edited_line("name: web  # see kubecheck: docs\n", 0, "b") == \
        "name: web  # see kubecheck: docs  # kubecheck: ignore[b]"


@pytest.mark.parametrize(("line", "expected"), [
    ("name: web  # kubecheck: ignore[a]", "name: web  # kubecheck: ignore[a,b]"),
    ("name: web  # kubecheck: ignore[a, c]", "name: web  # kubecheck: ignore[a, c,b]"),
    ("name: web  #kubecheck:ignore[a]", "name: web  #kubecheck:ignore[a,b]"),
    ("name: web  # kubecheck: ignore[a] -- the operator makes the pods",
     "name: web  # kubecheck: ignore[a,b] -- the operator makes the pods"),
    ("name: web  # kubecheck: ignore[ ]", "name: web  # kubecheck: ignore[ b]"),
    ("name: web  # kubecheck: ignore[a] trailing words", "name: web  # kubecheck: ignore[a] trailing words  "
                                                         "# kubecheck: ignore[b]"),  # not a directive
])
def test_the_rule_is_added_to_an_existing_directive(line, expected):
    assert edited_line(line + "\n", 0, "b") == expected


def test_adding_to_an_existing_directive_silences_both_rules(lint):
    text = """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {selector: {app: web}, ports: [{port: 80}]}
        ---
        {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {selector: {app: web}}}  # kubecheck: ignore[orphan-service]
    """
    report = lint(text)
    assert [f[:3] for f in summary(report)] == [("orphan-service", 4, 8), ("duplicate-object", 6, 44)]
    source = report.sources["manifest.yaml"]
    edit = line_suppression_edit(source, 5, "duplicate-object")
    assert edit == (len(source.lines[5]) - 1, len(source.lines[5]) - 1, ",duplicate-object")
    edited = with_line_edit(source.text, 5, edit)
    assert edited.split("\n")[5].endswith("# kubecheck: ignore[orphan-service,duplicate-object]")
    assert [f[:3] for f in summary(lint(edited))] == [("orphan-service", 4, 8)]


def test_a_directive_with_every_rule_is_left_alone_and_a_new_one_appended():
    # (No finding can be on such a line: it is silenced already.)
    assert edited_line("name: web  # kubecheck: ignore\n", 0, "b") == \
        "name: web  # kubecheck: ignore  # kubecheck: ignore[b]"


def test_a_line_past_the_end_gets_no_edit():
    source = load_text("m.yaml", "a: 1\n")
    assert source.lines == ["a: 1", ""]
    assert line_suppression_edit(source, 1, "x") == (0, 0, "  # kubecheck: ignore[x]")  # the empty last line
    assert line_suppression_edit(source, 2, "x") is None
    assert line_suppression_edit(source, 100, "x") is None
    assert line_suppression_edit(load_text("m.yaml", ""), 1, "x") is None


MULTI_LINE = {
    "double-quoted": 'a: "one\n  two"\nb: 1\n',
    "single-quoted": "a: 'one\n  two'\nb: 1\n",
    "plain": "a: one\n  two\nb: 1\n",
    "plain in a sequence": "- one\n  two\n- three\n",
    "double-quoted key": '"one\n  two": 1\n',
}


@pytest.mark.parametrize("text", MULTI_LINE.values(), ids=list(MULTI_LINE))
def test_a_line_that_ends_inside_a_scalar_gets_no_edit_but_its_last_line_does(text):
    source = load_text("m.yaml", text)
    assert line_suppression_edit(source, 0, "x") is None
    end = len(source.lines[1])
    assert line_suppression_edit(source, 1, "x") == (end, end, "  # kubecheck: ignore[x]")


def test_block_scalar_text_gets_no_edit_but_its_header_does():
    text = "a: |\n  echo one\n\n  echo two\nb: >-\n  folded\n  text\nc: 1\n"
    source = load_text("m.yaml", text)
    edits = [line_suppression_edit(source, line, "x") for line in range(len(source.lines))]
    assert edits == [(4, 4, "  # kubecheck: ignore[x]"), None, None, None, (5, 5, "  # kubecheck: ignore[x]"), None,
                     None, (4, 4, "  # kubecheck: ignore[x]"), (0, 0, "  # kubecheck: ignore[x]")]


def test_block_scalar_at_the_end_of_a_file_without_a_line_break():
    source = load_text("m.yaml", "a: |\n  one\n  two")
    assert [line_suppression_edit(source, line, "x") for line in range(3)] == [(4, 4, "  # kubecheck: ignore[x]"),
                                                                                None, None]


@pytest.mark.parametrize("text", [
    'a: "one # kubecheck: ignore[x]\n  two"\n',
    "a: |\n  echo # kubecheck: ignore[x]\nb: 1\n",
], ids=["double-quoted", "block"])
def test_directive_like_text_inside_a_scalar_gets_no_edit(text):
    source = load_text("m.yaml", text)
    assert line_suppression_edit(source, 0 if text.startswith('a: "') else 1, "b") is None


def test_a_line_of_a_flow_mapping_spread_over_lines_takes_a_comment(lint):
    text = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web},\n  ports: [{port: 80}]}\n"
    assert [f[:3] for f in summary(lint(text))] == [("orphan-service", 4, 8)]
    edit = line_suppression_edit(load_text("manifest.yaml", text), 3, "orphan-service")
    assert edit == (28, 28, "  # kubecheck: ignore[orphan-service]")
    assert summary(lint(with_line_edit(text, 3, edit))) == []


def test_json_sources_get_yaml_comments_which_kubecheck_reads_but_json_does_not(lint):
    """The functions do not know JSON: the language server offers no suppression in .json files."""
    text = json.dumps({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                       "spec": {"selector": {"app": "web"}}}, indent=2) + "\n"
    assert summary(lint({"x.json": text})) == [
        ("orphan-service", 8, 5, "Service web selects no pods: no pod template in namespace 'default' carries app=web")]
    source = load_text("x.json", text)
    edit = line_suppression_edit(source, 7, "orphan-service")
    assert edit == (17, 17, "  # kubecheck: ignore[orphan-service]")
    assert document_suppression_line(source, 0) == 0  # the line of the opening brace
    for edited in (with_line_edit(text, 7, edit), with_document_comment(text, 0, "orphan-service")):
        assert summary(lint({"x.json": edited})) == []
        with pytest.raises(json.JSONDecodeError):
            json.loads(edited)


# ---------------------------------------------------------------------------------------------
# The document quick fix, case by case

MULTI_DOCUMENT = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
---
# a comment about the Service

apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}}
---
- not
- a mapping
--- {apiVersion: v1, kind: Service, metadata: {name: api}, spec: {selector: {app: api}}}
"""


def test_document_suppression_goes_above_each_mapping_documents_first_key():
    source = load_text("m.yaml", MULTI_DOCUMENT)
    # the last document starts on its `---` line: no place for a comment of its own (see below)
    assert [document_suppression_line(source, index) for index in range(len(source.documents))] == [0, 6, None, None]
    assert document_suppression_line(source, None) is None
    assert document_suppression_line(source, len(source.documents)) is None


def test_document_suppressions_silence_their_document_only(lint):
    report = lint({"m.yaml": MULTI_DOCUMENT})
    assert [f[:3] for f in summary(report)] == [("orphan-service", 10, 8), ("not-an-object", 12, 1),
                                                ("orphan-service", 14, 67)]
    text = with_document_comment(MULTI_DOCUMENT, 13, "orphan-service")
    assert [f[:3] for f in summary(lint({"m.yaml": text}))] == [("orphan-service", 10, 8), ("not-an-object", 12, 1)]
    text = with_document_comment(text, 6, "orphan-service")
    assert [f[:3] for f in summary(lint({"m.yaml": text}))] == [("not-an-object", 13, 1)]


def test_document_suppression_under_an_existing_one(lint):
    text = "# kubecheck: ignore[missing-configmap]\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n" \
           "spec: {selector: {app: web}}\n"
    report = lint(text)
    assert [f[:3] for f in summary(report)] == [("unused-suppression", 1, 1), ("orphan-service", 5, 8)]
    line = document_suppression_line(load_text("manifest.yaml", text), report.findings[1].document)
    assert line == 1
    text = with_document_comment(text, line, "orphan-service")
    assert text.startswith("# kubecheck: ignore[missing-configmap]\n# kubecheck: ignore[orphan-service]\napiVersion")
    assert [f[:3] for f in summary(lint(text))] == [("unused-suppression", 1, 1)]  # the first one is still read


def test_document_suppression_of_an_indented_document(lint):
    text = "  apiVersion: v1\n  kind: Service\n  metadata: {name: web}\n  spec: {selector: {app: web}}\n"
    assert document_suppression_line(load_text("manifest.yaml", text), 0) == 0
    assert summary(lint(with_document_comment(text, 0, "orphan-service"))) == []


def test_document_suppression_after_a_yaml_directive(lint):
    text = "%YAML 1.1\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}}\n"
    assert document_suppression_line(load_text("manifest.yaml", text), 0) == 2
    assert summary(lint(with_document_comment(text, 2, "orphan-service"))) == []


def test_no_document_suppression_for_a_document_that_starts_on_its_separator_line(lint):
    # Above `--- {...}` a comment may belong to the document before the separator (here an empty
    # one, which would take it as its own line suppression): no quick fix is offered.
    text = "---\n--- {apiVersion: v1, kind: Service, metadata: {name: api}, spec: {selector: {app: api}}}\n"
    source = load_text("manifest.yaml", text)
    assert [document.data is None for document in source.documents] == [True, False]
    assert document_suppression_line(source, 1) is None
    edited = with_document_comment(text, 1, "orphan-service")
    assert [f[:3] for f in summary(lint(edited))] == [("unused-suppression", 2, 1), ("orphan-service", 3, 67)]
