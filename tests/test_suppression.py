"""Suppression comments and annotations (SPEC section 4), and unused-suppression."""

from support import summary

ORPHAN = """
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:{comment}
    app: web
"""


def test_end_of_line_comment_suppresses_that_line(lint):
    assert summary(lint(ORPHAN.format(comment="  # kubecheck: ignore[orphan-service]"))) == []
    assert summary(lint(ORPHAN.format(comment="  # kubecheck: ignore"))) == []
    assert summary(lint(ORPHAN.format(comment="  # kubecheck: ignore[graph] -- pods come from an operator"))) == []


def test_comment_for_another_rule_does_not_suppress_and_is_unused(lint):
    report = lint(ORPHAN.format(comment="  # kubecheck: ignore[duplicate-object]"))
    assert summary(report) == [
        ("orphan-service", 6, 3, "Service web selects no pods: no pod template in namespace 'default' carries app=web"),
        ("unused-suppression", 6, 14, "duplicate-object suppressed nothing here; remove it from the comment"),
    ]


def test_comment_on_another_line_does_not_suppress(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata:
          name: web  # kubecheck: ignore[orphan-service]
        spec:
          selector:
            app: web
    """)
    assert [f[:3] for f in summary(report)] == [("unused-suppression", 4, 14), ("orphan-service", 6, 3)]


def test_own_line_comment_before_the_first_key_covers_the_document(lint):
    report = lint("""
        # kubecheck: ignore[orphan-service]
        apiVersion: v1
        kind: Service
        metadata: {name: a}
        spec: {selector: {app: a}}
        ---
        # deployed by the platform team
        # kubecheck: ignore[orphan-service]
        apiVersion: v1
        kind: Service
        metadata: {name: b}
        spec: {selector: {app: b}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: c}
        spec: {selector: {app: c}}
    """)
    assert [f[:3] for f in summary(report)] == [("orphan-service", 17, 8)]


def test_document_comment_above_the_separator_covers_the_next_document(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: a}
        spec: {selector: {app: a}}  # kubecheck: ignore[orphan-service]
        # kubecheck: ignore[orphan-service]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: b}
        spec: {selector: {app: b}}
    """)
    assert summary(report) == []


def test_own_line_comment_inside_a_document_suppresses_nothing(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: a}
        # kubecheck: ignore[orphan-service]
        spec: {selector: {app: a}}
    """)
    assert [f[:3] for f in summary(report)] == [("unused-suppression", 4, 1), ("orphan-service", 5, 8)]


def test_annotation_suppresses_the_object_and_unused_annotations_are_reported(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata:
          name: a
          annotations:
            kubecheck.io/ignore: "orphan-service, duplicate-object"
        spec: {selector: {app: a}}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: b
          annotations: {kubecheck.io/ignore: "*"}
        spec: {selector: {app: b}}
    """)
    assert summary(report) == [
        ("unused-suppression", 6, 26, "duplicate-object suppressed nothing here; remove it from the annotation")]


def test_hash_inside_a_string_is_not_a_comment(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          annotations:
            note: "see # kubecheck: ignore[orphan-service]"
            script: |
              echo hi # kubecheck: ignore[orphan-service]
        spec:
          selector: {app: web}
    """)
    assert [f[:3] for f in summary(report)] == [("orphan-service", 10, 3)]


def test_unknown_rules_and_rules_not_run_in_suppressions(lint):
    report = lint(ORPHAN.format(comment="  # kubecheck: ignore[orphan-service, no-such-rule]"))
    assert summary(report) == [("unused-suppression", 6, 14, "unknown rule 'no-such-rule' in the suppression comment")]
    # a suppression naming a rule that is not selected for the run is not judged
    report = lint(ORPHAN.format(comment="  # kubecheck: ignore[duplicate-object]"), select=("orphan-service", "meta"))
    assert [f[0] for f in summary(report)] == ["orphan-service"]


def test_blanket_comment_that_suppresses_nothing(lint):
    report = lint("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}  # kubecheck: ignore\n")
    assert summary(report) == [("unused-suppression", 3, 22, "this suppression comment suppressed nothing")]


def test_per_file_ignores_switch_rules_off_for_matching_files(lint):
    files = {"svc/a.yaml": ORPHAN.format(comment=""), "other/b.yaml": ORPHAN.format(comment="").replace("web", "b")}
    report = lint(files, per_file_ignores={"svc/*.yaml": ("orphan-service",)})
    assert [(f.file, f.rule) for f in report.findings] == [("other/b.yaml", "orphan-service")]
    # a suppression comment for a rule switched off in that file is not reported as unused
    report = lint({"svc/a.yaml": ORPHAN.format(comment="  # kubecheck: ignore[orphan-service]")},
                  per_file_ignores={"svc/": ("graph",)})
    assert summary(report) == []
