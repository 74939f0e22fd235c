"""Output formats (SPEC section 3): sarif, json, github, junit and text.

Reports come from linting small manifests with the `lint` fixture; each format's
`render(report, stream)` writes into a StringIO.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ElementTree

import jsonschema
import pytest
from support import SARIF_SCHEMA, render, sarif_of

from kubecheck.rule import Rule

# A Deployment whose selector does not select its template (selector-mismatch at 6:3, related
# to the template labels at 11:7), a Service whose selector matches no template (orphan-service
# at 23:3, related to the closest template, the same labels at 11:7) and a suppression comment
# that suppresses nothing (unused-suppression, info, at the `#` in 21:14).
CROSS = """
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
        app: frontend
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: v1
kind: Service
metadata:
  name: api  # kubecheck: ignore[duplicate-key]
spec:
  selector:
    app: frontend
    tier: api
  ports:
    - port: 80
"""

MISMATCH_MESSAGE = ("the selector does not select this Deployment's own pods: it needs app=web, but the pod "
                    "template is labelled app=frontend; the API server rejects this Deployment")
ORPHAN_MESSAGE = ("Service api selects no pods: no pod template in namespace 'default' carries app=frontend,"
                  "tier=api (closest: Deployment default/web lacks tier=api)")
UNUSED_MESSAGE = "duplicate-key suppressed nothing here; remove it from the comment"

CLEAN = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
"""

ORPHAN = """
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
"""


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch):
    """Colour and format choices depend on the environment; start from a neutral one."""
    for name in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)


def test_the_cross_object_report_has_the_findings_these_tests_expect(lint):
    report = lint(CROSS)
    assert [(f.rule, f.severity, f.line, f.column, f.message) for f in report.findings] == [
        ("selector-mismatch", "error", 6, 3, MISMATCH_MESSAGE),
        ("unused-suppression", "info", 21, 14, UNUSED_MESSAGE),
        ("orphan-service", "warning", 23, 3, ORPHAN_MESSAGE),
    ]
    assert [[(r.file, r.line, r.column, r.message) for r in f.related] for f in report.findings] == [
        [("manifest.yaml", 11, 7, "the pod template's labels")],
        [],
        [("manifest.yaml", 11, 7, "closest pod template's labels")],
    ]


# --- SARIF -------------------------------------------------------------------------------


def test_the_sarif_schema_rejects_what_it_should():
    # Guards against a validator that accepts everything (e.g. unresolved references).
    log = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                                         "results": [{"message": {"text": "m"}, "level": "info"}]}]}
    with pytest.raises(jsonschema.ValidationError, match="'info' is not one of"):
        jsonschema.Draft7Validator(SARIF_SCHEMA).validate(log)


def test_sarif_with_cross_object_findings_is_valid_and_positions_match(lint, catalogue):
    report = lint(CROSS)
    log = sarif_of(catalogue, report)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["tool"]["driver"]["name"] == "kubecheck"
    results = run["results"]
    assert len(results) == len(report.findings)
    for result, finding in zip(results, report.findings):
        region = result["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (finding.line, finding.column)
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "manifest.yaml"
        assert result["message"]["text"] == finding.message
        assert result["ruleId"] == finding.rule
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == finding.rule


def test_sarif_levels_map_error_warning_info_to_error_warning_note(lint, catalogue):
    log = sarif_of(catalogue, lint(CROSS))
    assert [(r["ruleId"], r["level"]) for r in log["runs"][0]["results"]] == [
        ("selector-mismatch", "error"),
        ("unused-suppression", "note"),
        ("orphan-service", "warning"),
    ]


def test_sarif_related_locations_for_cross_object_findings(lint, catalogue):
    results = sarif_of(catalogue, lint(CROSS))["runs"][0]["results"]
    mismatch, unused, orphan = results
    (related,) = mismatch["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "manifest.yaml"
    assert related["physicalLocation"]["region"] == {"startLine": 11, "startColumn": 7}
    assert related["message"]["text"] == "the pod template's labels"
    (related,) = orphan["relatedLocations"]
    assert related["physicalLocation"]["region"] == {"startLine": 11, "startColumn": 7}
    assert related["message"]["text"] == "closest pod template's labels"
    assert "relatedLocations" not in unused


def test_sarif_orphan_service_without_any_pods(lint, catalogue):
    report = lint(ORPHAN)
    (result,) = sarif_of(catalogue, report)["runs"][0]["results"]
    assert result["ruleId"] == "orphan-service"
    assert result["level"] == "warning"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 6, "startColumn": 3}
    assert result["message"]["text"] == ("Service api selects no pods: no pod template in namespace 'default' "
                                         "carries app=api")


def test_sarif_rule_descriptors_carry_help_and_default_configuration(lint, catalogue):
    driver = sarif_of(catalogue, lint(CROSS))["runs"][0]["tool"]["driver"]
    descriptors = {descriptor["id"]: descriptor for descriptor in driver["rules"]}
    assert set(descriptors) == set(catalogue.rules)
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for rule in catalogue.rules.values():
        descriptor = descriptors[rule.id]
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert rule.rationale in descriptor["help"]["text"]
        assert rule.fail_example in descriptor["help"]["text"]
        assert rule.pass_example in descriptor["help"]["text"]
        assert descriptor["defaultConfiguration"]["level"] == levels[rule.severity]
        assert descriptor["defaultConfiguration"]["enabled"] == rule.enabled_by_default
    assert descriptors["orphan-service"]["defaultConfiguration"]["level"] == "warning"
    assert descriptors["unused-suppression"]["defaultConfiguration"]["level"] == "note"


def test_sarif_result_level_follows_a_configured_severity(lint, catalogue):
    log = sarif_of(catalogue, lint(ORPHAN, severity={"orphan-service": "error"}))
    (result,) = log["runs"][0]["results"]
    assert result["level"] == "error"
    descriptor = log["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert descriptor["defaultConfiguration"]["level"] == "warning"  # the default, not the override


def test_sarif_with_zero_findings(lint, catalogue):
    report = lint(CLEAN)
    log = sarif_of(catalogue, report)
    (run,) = log["runs"]
    assert run["results"] == []
    assert len(run["tool"]["driver"]["rules"]) == len(catalogue.rules)
    assert run["invocations"] == [{"executionSuccessful": True, "exitCode": 0}]


def _explode(obj, ctx):
    raise RuntimeError("kaput")
    yield  # a generator, like every check


BOOM = Rule(id="boom", family="test", severity="warning", summary="Always fails", rationale="For tests.",
            fail_example="", pass_example="", check=_explode, kinds={"Service"})


def test_sarif_with_a_rule_that_raises(lint, catalogue, monkeypatch):
    monkeypatch.setitem(catalogue.rules, "boom", BOOM)
    report = lint(ORPHAN)
    assert report.exit_status == 2
    log = sarif_of(catalogue, report)
    (run,) = log["runs"]
    errors = [result for result in run["results"] if result["ruleId"] == "internal-error"]
    (error,) = errors
    assert error["level"] == "error"
    assert error["message"]["text"] == "rule boom failed on Service default/api: RuntimeError: kaput"
    assert error["locations"][0]["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 1}
    assert run["tool"]["driver"]["rules"][error["ruleIndex"]]["id"] == "internal-error"
    assert run["invocations"] == [{"executionSuccessful": False, "exitCode": 2}]
    # the other rules still ran
    assert [result["ruleId"] for result in run["results"]] == ["internal-error", "orphan-service"]


# --- JSON --------------------------------------------------------------------------------


def test_json_document_shape_and_every_finding_field(lint, catalogue):
    document = json.loads(render(catalogue, lint(CROSS), "json"))
    assert set(document) == {"findings", "summary"}
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "default", "name": "web"}
    service = {"apiVersion": "v1", "kind": "Service", "namespace": "default", "name": "api"}
    assert document["findings"][0] == {
        "rule": "selector-mismatch",
        "severity": "error",
        "message": MISMATCH_MESSAGE,
        "file": "manifest.yaml",
        "line": 6,
        "column": 3,
        "document": 0,
        "object": deployment,
        "path": "/spec/selector",
        "related": [{"file": "manifest.yaml", "line": 11, "column": 7, "object": deployment,
                     "message": "the pod template's labels"}],
    }
    orphan = document["findings"][2]
    assert (orphan["rule"], orphan["severity"], orphan["line"], orphan["column"]) == ("orphan-service", "warning",
                                                                                      23, 3)
    assert (orphan["document"], orphan["object"], orphan["path"]) == (1, service, "/spec/selector")
    assert [(r["file"], r["line"], r["object"]) for r in orphan["related"]] == [("manifest.yaml", 11, deployment)]
    fields = {"rule", "severity", "message", "file", "line", "column", "document", "object", "path", "related"}
    for finding in document["findings"]:
        assert fields <= set(finding)
        assert finding["path"] is None or re.fullmatch(r"(/([^~/]|~[01])*)+", finding["path"])
        if finding["object"] is not None:
            assert set(finding["object"]) == {"apiVersion", "kind", "namespace", "name"}
        for related in finding["related"]:
            assert {"file", "line", "object"} <= set(related)


def test_json_summary(lint, catalogue):
    document = json.loads(render(catalogue, lint(CROSS), "json"))
    assert document["summary"] == {"files": 1, "objects": 2, "findings": 3, "errors": 1, "warnings": 1, "info": 1,
                                   "skipped_files": [], "exit_status": 1}


def test_json_object_is_null_for_a_finding_without_object(lint, catalogue):
    document = json.loads(render(catalogue, lint('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "abc\n'),
                                 "json"))
    (finding,) = document["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("yaml-syntax", 5, 1)
    assert finding["object"] is None
    assert finding["document"] == 0
    assert finding["related"] == []


def test_json_with_zero_findings(lint, catalogue):
    document = json.loads(render(catalogue, lint(CLEAN), "json"))
    assert document == {"findings": [], "summary": {"files": 1, "objects": 1, "findings": 0, "errors": 0,
                                                    "warnings": 0, "info": 0, "skipped_files": [],
                                                    "exit_status": 0}}


# --- GitHub ------------------------------------------------------------------------------


def test_github_workflow_commands(lint, catalogue):
    assert render(catalogue, lint(CROSS), "github").splitlines() == [
        f"::error file=manifest.yaml,line=6,col=3,title=selector-mismatch::{MISMATCH_MESSAGE}"
        "%0Arelated: manifest.yaml:11:7 the pod template's labels",
        f"::notice file=manifest.yaml,line=21,col=14,title=unused-suppression::{UNUSED_MESSAGE}",
        f"::warning file=manifest.yaml,line=23,col=3,title=orphan-service::{ORPHAN_MESSAGE}"
        "%0Arelated: manifest.yaml:11:7 closest pod template's labels",
    ]


def test_github_escapes_properties_and_message(lint, catalogue):
    # A file name with a comma and a colon (escaped in the `file` property, not in the message);
    # the related location puts a newline in the message.
    report = lint({"a,b:c.yaml": CROSS.split("---")[0]})
    assert render(catalogue, report, "github") == (
        f"::error file=a%2Cb%3Ac.yaml,line=6,col=3,title=selector-mismatch::{MISMATCH_MESSAGE}"
        "%0Arelated: a,b:c.yaml:11:7 the pod template's labels\n"
    )


def test_github_escapes_percent_and_carriage_return_in_the_message(lint, catalogue):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata:
          name: api
        spec:
          selector:
            app: "50%"
            x: "a\\rb"
        """)
    assert render(catalogue, report, "github") == (
        "::warning file=manifest.yaml,line=6,col=3,title=orphan-service::Service api selects no pods: no pod "
        "template in namespace 'default' carries app=50%25,x=a%0Db\n"
    )


def test_github_escapes_percent_in_the_file_property(lint, catalogue):
    report = lint({"100%.yaml": ORPHAN})
    (line,) = render(catalogue, report, "github").splitlines()
    assert line.startswith("::warning file=100%25.yaml,line=6,col=3,title=orphan-service::")


def test_github_prints_nothing_without_findings(lint, catalogue):
    assert render(catalogue, lint(CLEAN), "github") == ""


# --- JUnit -------------------------------------------------------------------------------


def test_junit_one_suite_per_checked_file_and_a_failure_per_finding(lint, catalogue):
    report = lint({"bad.yaml": CROSS, "clean.yaml": CLEAN})
    root = ElementTree.fromstring(render(catalogue, report, "junit"))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("4", "3")
    suites = root.findall("testsuite")
    assert [(s.get("name"), s.get("tests"), s.get("failures")) for s in suites] == [
        ("bad.yaml", "3", "3"),
        ("clean.yaml", "1", "0"),
    ]
    bad, clean = suites
    failures = [(case.find("failure").get("type"), case.find("failure").get("message")) for case in bad]
    assert failures == [
        ("selector-mismatch", MISMATCH_MESSAGE),
        ("unused-suppression", UNUSED_MESSAGE),
        ("orphan-service", ORPHAN_MESSAGE),
    ]
    assert all(len(case.findall("failure")) == 1 for case in bad)
    assert bad[0].find("failure").text == f"bad.yaml:6:3: error selector-mismatch {MISMATCH_MESSAGE}"
    (passing,) = clean.findall("testcase")
    assert passing.findall("failure") == [] and passing.findall("error") == []


def test_junit_with_zero_findings(lint, catalogue):
    root = ElementTree.fromstring(render(catalogue, lint(CLEAN), "junit"))
    assert (root.get("tests"), root.get("failures")) == ("1", "0")
    (suite,) = root.findall("testsuite")
    assert (suite.get("name"), suite.get("tests"), suite.get("failures")) == ("manifest.yaml", "1", "0")


def test_junit_is_well_formed_when_a_message_holds_a_control_character(lint, catalogue):
    # The label value "a\x01b" (a YAML escape) ends up in the orphan-service message.
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata:
          name: api
        spec:
          selector:
            app: "a\\x01b"
        """)
    assert "\x01" in report.findings[0].message
    root = ElementTree.fromstring(render(catalogue, report, "junit"))
    assert root.find("testsuite/testcase/failure").get("type") == "orphan-service"


# --- text --------------------------------------------------------------------------------


def test_text_lines_source_caret_related_and_summary(lint, catalogue):
    assert render(catalogue, lint(CROSS), "text") == (
        f"manifest.yaml:6:3: error selector-mismatch {MISMATCH_MESSAGE}\n"
        "  6 |   selector:\n"
        "    |   ^\n"
        "  related: manifest.yaml:11:7: Deployment web: the pod template's labels\n"
        "\n"
        f"manifest.yaml:21:14: info unused-suppression {UNUSED_MESSAGE}\n"
        "  21 |   name: api  # kubecheck: ignore[duplicate-key]\n"
        "     |              ^\n"
        "\n"
        f"manifest.yaml:23:3: warning orphan-service {ORPHAN_MESSAGE}\n"
        "  23 |   selector:\n"
        "     |   ^\n"
        "  related: manifest.yaml:11:7: Deployment web: closest pod template's labels\n"
        "\n"
        "Found 3 findings (1 error, 1 warning, 1 info) in 1 file and 2 objects.\n"
    )


def test_text_summary_without_findings(lint, catalogue):
    assert render(catalogue, lint(CLEAN), "text") == "No findings in 1 file and 1 object.\n"


def test_text_caret_line_reproduces_a_tab_before_the_column(lint, catalogue):
    report = lint("apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec: {ports: [{port: 80}],\tselector: "
                  "{app: x}}\n")
    (finding,) = report.findings
    assert (finding.rule, finding.line, finding.column) == ("orphan-service", 4, 29)
    lines = render(catalogue, report, "text").splitlines()
    assert lines[1] == "  4 | spec: {ports: [{port: 80}],\tselector: {app: x}}"
    assert lines[2] == "    | " + " " * 27 + "\t^"


def test_columns_count_code_points_as_sarif_declares(lint, catalogue):
    # "é" is two bytes in UTF-8, "😀" four bytes and two UTF-16 units: each is one code point.
    source = 'spec: {ports: [{name: "é😀", port: 80}], selector: {app: x}}'
    report = lint(f"apiVersion: v1\nkind: Service\nmetadata: {{name: api}}\n{source}\n")
    (finding,) = report.findings
    assert (finding.line, finding.column) == (4, source.index("selector") + 1)
    log = sarif_of(catalogue, report)
    assert log["runs"][0]["columnKind"] == "unicodeCodePoints"
    # Python's str index counts code points (41 here), where UTF-16 units would make it 42
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"] == 41


def test_text_caret_after_non_ascii_text(lint, catalogue):
    source = 'spec: {ports: [{name: "über", port: 80}], selector: {app: x}}'
    report = lint(f"apiVersion: v1\nkind: Service\nmetadata: {{name: api}}\n{source}\n")
    lines = render(catalogue, report, "text").splitlines()
    assert lines[1] == f"  4 | {source}"
    assert lines[2] == "    | " + " " * source.index("selector") + "^"


def test_text_very_long_line_prints_a_bounded_window_with_the_caret_in_place(lint, catalogue):
    padding = "x" * 100_000
    text = (f'{{apiVersion: v1, kind: Service, metadata: {{name: api, annotations: {{a: "{padding}"}}}}, '
            f'spec: {{selector: {{app: x}}}}}}\n')
    report = lint(text)
    (finding,) = report.findings
    assert finding.rule == "orphan-service"
    assert (finding.line, finding.column) == (1, text.index("selector") + 1)
    header, excerpt, caret = render(catalogue, report, "text").splitlines()[:3]
    assert header.startswith(f"manifest.yaml:1:{finding.column}: warning orphan-service ")
    assert len(excerpt) < 200 and len(caret) < 200
    assert excerpt.startswith("  1 | …x")
    assert excerpt.endswith('"}}, spec: {selector: {app: x}}}')
    assert caret.startswith("    | ") and caret.endswith("^")
    position = len(caret) - 1
    assert excerpt[position:position + len("selector")] == "selector"


def test_text_related_line_of_an_object_without_a_name(lint, catalogue):
    # A Deployment named by metadata.generateName: its selector-mismatch relates to itself.
    report = lint(CROSS.split("---")[0].replace("  name: web\nspec:", "  generateName: web-\nspec:"))
    (finding,) = report.findings
    assert finding.rule == "selector-mismatch"
    assert finding.related[0].object["name"] is None
    related_line = render(catalogue, report, "text").splitlines()[3]
    assert related_line.startswith("  related: manifest.yaml:11:7: Deployment ")
    assert "None" not in related_line


class Terminal(io.StringIO):
    def isatty(self):
        return True


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_text_has_no_colour_when_the_stream_is_not_a_terminal(lint, catalogue):
    assert not ANSI.search(render(catalogue, lint(CROSS), "text"))


def test_text_is_coloured_on_a_terminal(lint, catalogue):
    stream = Terminal()
    catalogue.reporters["text"](lint(ORPHAN), stream)
    assert "\x1b[33mwarning\x1b[0m" in stream.getvalue()


def test_text_force_color_colours_any_stream(lint, catalogue, monkeypatch):
    report = lint(ORPHAN)
    plain = render(catalogue, report, "text")
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = render(catalogue, report, "text")
    assert coloured.splitlines()[0] == ("manifest.yaml:6:3: \x1b[33mwarning\x1b[0m \x1b[1morphan-service\x1b[0m "
                                        "Service api selects no pods: no pod template in namespace 'default' "
                                        "carries app=api")
    assert ANSI.sub("", coloured) == plain


@pytest.mark.parametrize("force", [None, "1"])
def test_text_no_color_turns_colour_off(lint, catalogue, monkeypatch, force):
    monkeypatch.setenv("NO_COLOR", "1")
    if force:
        monkeypatch.setenv("FORCE_COLOR", force)
    stream = Terminal()
    catalogue.reporters["text"](lint(CROSS), stream)
    assert not ANSI.search(stream.getvalue())


# --- order -------------------------------------------------------------------------------

SAME_PLACE = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
  name: a
"""


def test_findings_are_sorted_by_file_line_column_rule(lint, catalogue):
    # b.yaml is written first; at 10:3 of a.yaml duplicate-key and duplicate-object share a place.
    report = lint({"b.yaml": ORPHAN, "a.yaml": SAME_PLACE + "---" + ORPHAN.replace("name: api", "name: api2")})
    expected = [
        ("a.yaml", 10, 3, "duplicate-key"),
        ("a.yaml", 10, 3, "duplicate-object"),
        ("a.yaml", 17, 3, "orphan-service"),
        ("b.yaml", 6, 3, "orphan-service"),
    ]
    assert [(f.file, f.line, f.column, f.rule) for f in report.findings] == expected
    document = json.loads(render(catalogue, report, "json"))
    assert [(f["file"], f["line"], f["column"], f["rule"]) for f in document["findings"]] == expected
    sarif = json.loads(render(catalogue, report, "sarif"))
    assert [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"], r["ruleId"])
            for r in sarif["runs"][0]["results"]] == [(file, line, rule) for file, line, _, rule in expected]
    headers = [line.split(" ")[0] + " " + line.split(" ")[2] for line in render(catalogue, report, "text").splitlines()
               if re.match(r"[ab]\.yaml:\d+:\d+: ", line)]
    assert headers == [f"{file}:{line}:{column}: {rule}" for file, line, column, rule in expected]
