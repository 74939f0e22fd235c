"""selector-mismatch: the API server's selector-versus-template validation."""

import pytest
from support import summary

DEPLOYMENT = """
apiVersion: apps/v1
kind: {kind}
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: {label}
    spec:
      containers:
        - name: web
          image: nginx:1.27
"""


@pytest.mark.parametrize("kind", ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"])
def test_selector_that_misses_the_template_is_reported_at_the_selector(lint, kind):
    report = lint(DEPLOYMENT.format(kind=kind, label="frontend"))
    assert summary(report, "selector-mismatch") == [(
        "selector-mismatch", 6, 3,
        f"the selector does not select this {kind}'s own pods: it needs app=web, but the pod template is "
        f"labelled app=frontend; the API server rejects this {kind}",
    )]
    related = report.findings[0].related
    assert [(r.line, r.column, r.object["kind"], r.message) for r in related] == [
        (11, 7, kind, "the pod template's labels")]


@pytest.mark.parametrize("kind", ["Deployment", "StatefulSet"])
def test_matching_selector_is_clean(lint, kind):
    assert summary(lint(DEPLOYMENT.format(kind=kind, label="web"))) == []


def test_match_expressions_are_evaluated(lint):
    report = lint("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          selector:
            matchLabels:
              app: web
            matchExpressions:
              - {key: tier, operator: In, values: [frontend, edge]}
              - {key: canary, operator: DoesNotExist}
          template:
            metadata:
              labels: {app: web, tier: backend, canary: "true"}
            spec:
              containers: [{name: web, image: nginx}]
    """)
    assert summary(report, "selector-mismatch") == [(
        "selector-mismatch", 6, 3,
        "the selector does not select this Deployment's own pods: it needs tier in (frontend,edge), !canary, "
        "but the pod template is labelled app=web, tier=backend, canary=true; the API server rejects this Deployment",
    )]


def test_template_without_labels(lint):
    report = lint("""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            spec:
              containers: [{name: agent, image: agent:1}]
    """)
    assert summary(report) == [(
        "selector-mismatch", 5, 3,
        "the selector does not select this DaemonSet's own pods: it needs app=agent, but the pod template has no "
        "labels; the API server rejects this DaemonSet",
    )]


def test_empty_selector_is_rejected_for_deployments(lint):
    report = lint("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
    """)
    assert summary(report) == [(
        "selector-mismatch", 5, 3,
        "the selector has no matchLabels or matchExpressions: an empty selector would select every pod in the "
        "namespace, and the API server rejects it for a Deployment",
    )]


def test_labels_written_directly_under_selector_get_a_hint(lint):
    report = lint("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector:
            app: web
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
    """)
    assert summary(report, "selector-mismatch") == [(
        "selector-mismatch", 5, 3,
        "the selector has no matchLabels or matchExpressions (app=web must go under matchLabels): an empty selector "
        "would select every pod in the namespace, and the API server rejects it for a Deployment",
    )]


def test_invalid_operator_and_missing_values_are_reported_at_the_expression(lint):
    report = lint("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector:
            matchExpressions:
              - key: app
                operator: Equals
                values: [web]
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
    """)
    assert summary(report) == [(
        "selector-mismatch", 8, 19,
        "invalid label selector: operator 'Equals' is not one of In, NotIn, Exists, DoesNotExist; the API server "
        "rejects this Deployment",
    )]
    report = lint("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector:
            matchExpressions:
              - {key: app, operator: In, values: []}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
    """)
    assert summary(report) == [(
        "selector-mismatch", 7, 42,
        "invalid label selector: operator In needs at least one value; the API server rejects this Deployment",
    )]


def test_wrong_types_are_left_to_schema_validation(lint):
    report = lint("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: [x]
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
    """)
    assert summary(report) == [("schema", 5, 13, "spec.selector: expected object, got array")]


def test_replication_controller_uses_a_plain_map_and_an_empty_one_defaults(lint):
    report = lint("""
        apiVersion: v1
        kind: ReplicationController
        metadata: {name: web}
        spec:
          selector: {app: web}
          template:
            metadata: {labels: {app: api}}
            spec: {containers: [{name: web, image: nginx}]}
        ---
        apiVersion: v1
        kind: ReplicationController
        metadata: {name: defaulted}
        spec:
          template:
            metadata: {labels: {app: api}}
            spec: {containers: [{name: web, image: nginx}]}
    """)
    assert summary(report, "selector-mismatch") == [(
        "selector-mismatch", 5, 3,
        "the selector does not select this ReplicationController's own pods: it needs app=web, but the pod "
        "template is labelled app=api; the API server rejects this ReplicationController",
    )]


def test_job_selector_counts_the_labels_the_api_server_adds(lint):
    report = lint("""
        apiVersion: batch/v1
        kind: Job
        metadata: {name: migrate}
        spec:
          selector:
            matchLabels: {job-name: migrate}
          template:
            metadata: {labels: {app: db}}
            spec:
              restartPolicy: Never
              containers: [{name: migrate, image: migrate:1}]
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: manual}
        spec:
          manualSelector: true
          selector:
            matchLabels: {job-name: manual}
          template:
            metadata: {labels: {app: db}}
            spec:
              restartPolicy: Never
              containers: [{name: migrate, image: migrate:1}]
    """)
    assert summary(report, "selector-mismatch") == [(
        "selector-mismatch", 18, 3,
        "the selector does not select this Job's own pods: it needs job-name=manual, but the pod template is "
        "labelled app=db; the API server rejects this Job",
    )]


def test_job_without_manual_selector_may_only_select_the_generated_labels(lint):
    report = lint("""
        apiVersion: batch/v1
        kind: Job
        metadata: {name: j}
        spec:
          selector: {matchLabels: {app: j}}
          template:
            metadata: {labels: {app: j}}
            spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}
    """)
    assert summary(report) == [(
        "selector-mismatch", 5, 3,
        "a Job's selector is generated by the API server: this one needs app=j, which the generated labels "
        "(job-name, controller-uid) do not have; remove it, or set spec.manualSelector: true (the API server "
        "rejects this Job: `selector` not auto-generated)",
    )]


def test_cronjob_job_template_must_not_set_a_selector(lint):
    report = lint("""
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly}
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              manualSelector: true
              selector:
                matchLabels: {app: nightly}
              template:
                metadata: {labels: {app: nightly}}
                spec:
                  restartPolicy: Never
                  containers: [{name: run, image: run:1}]
    """)
    assert summary(report, "selector-mismatch") == [
        ("selector-mismatch", 8, 23, "a CronJob's job template cannot use manualSelector: true; the API server "
                                     "rejects this CronJob"),
        ("selector-mismatch", 9, 7, "a CronJob's job template must not set a selector: the API server generates "
                                    "each Job's selector and rejects this CronJob (`selector` will be auto-generated)"),
    ]


def test_workload_kinds_from_config_are_checked(lint):
    rollout = """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: api}}
            spec: {containers: [{name: web, image: nginx}]}
    """
    assert summary(lint(rollout), "selector-mismatch") == []
    report = lint(rollout, workload_kinds=frozenset({"argoproj.io/Rollout"}))
    assert [f[:3] for f in summary(report, "selector-mismatch")] == [("selector-mismatch", 5, 3)]


def test_list_items_are_checked_at_their_own_positions(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: apps/v1
            kind: Deployment
            metadata: {name: a}
            spec:
              selector: {matchLabels: {app: a}}
              template:
                metadata: {labels: {app: a}}
                spec: {containers: [{name: a, image: nginx}]}
          - apiVersion: apps/v1
            kind: Deployment
            metadata: {name: b}
            spec:
              selector: {matchLabels: {app: b}}
              template:
                metadata: {labels: {app: a}}
                spec: {containers: [{name: b, image: nginx}]}
    """)
    [finding] = [f for f in report.findings if f.rule == "selector-mismatch"]  # (a's selector also selects b's pods)
    assert (finding.rule, finding.line, finding.column, finding.path) == ("selector-mismatch", 16, 7, "/spec/selector")
    assert finding.object == {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "default", "name": "b"}
