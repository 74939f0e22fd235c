"""pdb-no-match: a PodDisruptionBudget selects no pod template in its namespace."""

import textwrap

import pytest
from support import summary

BUDGET = """
apiVersion: {api_version}
kind: PodDisruptionBudget
metadata:
  name: web
  {namespace}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {{app: {app}}}
"""

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  {namespace}
spec:
  replicas: 3
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web, tier: frontend}}
    spec:
      containers: [{{name: web, image: nginx:1.27}}]
"""


def stream(*documents):
    """One YAML stream of `documents` (each dedented on its own), separated by `---`."""
    return "\n---\n".join(textwrap.dedent(document).strip("\n") for document in documents) + "\n"


def budget(app="web", namespace="", api_version="policy/v1"):
    return BUDGET.format(app=app, namespace=namespace, api_version=api_version)


def deployment(namespace=""):
    return DEPLOYMENT.format(namespace=namespace)


def test_budget_with_a_typo_is_reported_at_its_selector_with_the_closest_template(lint):
    report = lint(stream(budget(app="wbe"), deployment()))
    assert summary(report, "pdb-no-match") == [(
        "pdb-no-match", 8, 3,
        "PodDisruptionBudget web selects no pods: no pod template in namespace 'default' carries app=wbe",
    )]
    finding = report.findings[0]
    assert (finding.severity, finding.path) == ("warning", "/spec/selector")
    assert finding.object == {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "namespace": "default",
                              "name": "web"}
    # app=wbe shares no label with the Deployment's template: nothing is close enough to name
    assert finding.related == ()


def test_closest_template_and_the_labels_it_lacks_are_named(lint):
    report = lint(stream("""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web}
        spec:
          maxUnavailable: 1
          selector:
            matchLabels: {app: web, tier: backend}
    """, deployment()))
    assert summary(report, "pdb-no-match") == [(
        "pdb-no-match", 6, 3,
        "PodDisruptionBudget web selects no pods: no pod template in namespace 'default' carries "
        "app=web,tier=backend (closest: Deployment default/web lacks tier=backend)",
    )]
    related = report.findings[0].related
    assert [(r.file, r.line, r.column, r.object["kind"], r.object["name"], r.message) for r in related] == [
        ("manifest.yaml", 20, 7, "Deployment", "web", "closest pod template's labels")]


def test_budget_selecting_its_deployment_is_clean(lint):
    assert summary(lint(stream(budget(), deployment()))) == []


def test_namespaces_are_compared_after_defaulting(lint):
    # explicitly in the same namespace
    assert summary(lint(stream(budget(namespace="namespace: shop"), deployment(namespace="namespace: shop")))) == []
    # an explicit `default` meets a defaulted namespace
    assert summary(lint(stream(budget(namespace="namespace: default"), deployment())), "pdb-no-match") == []
    assert summary(lint(stream(budget(), deployment(namespace="namespace: default"))), "pdb-no-match") == []
    # different namespaces never match
    report = lint(stream(budget(namespace="namespace: shop"), deployment()))
    assert summary(report, "pdb-no-match") == [(
        "pdb-no-match", 8, 3,
        "PodDisruptionBudget web selects no pods: no pod template in namespace 'shop' carries app=web",
    )]
    assert report.findings[0].object["namespace"] == "shop"
    report = lint(stream(budget(namespace="namespace: shop"), deployment(namespace="namespace: store")))
    assert [f[:3] for f in summary(report, "pdb-no-match")] == [("pdb-no-match", 8, 3)]


def test_namespace_option_is_the_default_namespace(lint):
    # both defaulted: both land in `shop`
    assert summary(lint(stream(budget(), deployment()), namespace="shop"), "pdb-no-match") == []
    # the Deployment is defaulted to `shop`, the budget says `default`
    report = lint(stream(budget(namespace="namespace: default"), deployment()), namespace="shop")
    assert [(f.rule, f.line, f.column, f.message) for f in report.findings if f.rule == "pdb-no-match"] == [(
        "pdb-no-match", 8, 3,
        "PodDisruptionBudget web selects no pods: no pod template in namespace 'default' carries app=web",
    )]
    report = lint(stream(budget(), deployment(namespace="namespace: default")), namespace="shop")
    assert [f[3] for f in summary(report, "pdb-no-match")] == [
        "PodDisruptionBudget web selects no pods: no pod template in namespace 'shop' carries app=web"]


MATCHING_EXPRESSIONS = """
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web}
    matchExpressions:
      - {key: tier, operator: In, values: [frontend, edge]}
      - {key: track, operator: NotIn, values: [canary]}
      - {key: app, operator: Exists}
      - {key: canary, operator: DoesNotExist}
"""


def test_match_expressions_that_hold_select_the_template(lint):
    assert summary(lint(stream(MATCHING_EXPRESSIONS, deployment()))) == []


@pytest.mark.parametrize("expression, shown", [
    ("{key: tier, operator: In, values: [backend, edge]}", "tier in (backend,edge)"),
    ("{key: tier, operator: NotIn, values: [frontend]}", "tier notin (frontend)"),
    ("{key: track, operator: Exists}", "track"),
    ("{key: tier, operator: DoesNotExist}", "!tier"),
])
def test_each_operator_that_fails_is_named(lint, expression, shown):
    report = lint(stream(f"""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {{name: web}}
        spec:
          maxUnavailable: 1
          selector:
            matchLabels: {{app: web}}
            matchExpressions:
              - {expression}
    """, deployment()))
    assert summary(report, "pdb-no-match") == [(
        "pdb-no-match", 6, 3,
        f"PodDisruptionBudget web selects no pods: no pod template in namespace 'default' carries app=web,{shown} "
        f"(closest: Deployment default/web lacks {shown})",
    )]


def test_match_expressions_alone(lint):
    text = """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {{name: web}}
        spec:
          maxUnavailable: 1
          selector:
            matchExpressions:
              - {{key: tier, operator: In, values: [{tier}]}}
    """
    assert summary(lint(stream(text.format(tier="frontend"), deployment())), "pdb-no-match") == []
    report = lint(stream(text.format(tier="backend"), deployment()))
    assert summary(report, "pdb-no-match") == [(
        "pdb-no-match", 6, 3,
        "PodDisruptionBudget web selects no pods: no pod template in namespace 'default' carries tier in (backend)",
    )]


def test_not_in_and_does_not_exist_select_templates_without_the_label(lint):
    report = lint(stream("""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web}
        spec:
          maxUnavailable: 1
          selector:
            matchExpressions:
              - {key: release, operator: NotIn, values: [canary]}
              - {key: release, operator: DoesNotExist}
    """, deployment()))
    assert summary(report, "pdb-no-match") == []


# --- empty and null selectors: policy/v1 versus policy/v1beta1 -------------------------------------


def test_v1_empty_selector_selects_every_pod_of_the_namespace(lint):
    report = lint("""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: everything}
        spec:
          maxUnavailable: 1
          selector: {}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: unlabelled}
        spec:
          containers: [{name: c, image: busybox}]
    """)
    assert summary(report, "pdb-no-match") == []
    # empty matchLabels and matchExpressions are the same empty selector
    report = lint(stream("""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: everything}
        spec:
          maxUnavailable: 1
          selector:
            matchLabels: {}
            matchExpressions: []
    """, deployment()))
    assert summary(report, "pdb-no-match") == []


def test_v1_empty_selector_in_a_namespace_without_pods(lint):
    report = lint(stream("""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: everything, namespace: shop}
        spec:
          maxUnavailable: 1
          selector: {}
    """, deployment()))
    assert summary(report, "pdb-no-match") == [(
        "pdb-no-match", 6, 3,
        "PodDisruptionBudget everything selects no pods: no pod template in namespace 'shop' exists (the empty "
        "selector selects every pod)",
    )]


@pytest.mark.parametrize("selector", ["{}", "{matchLabels: {}}", "{matchLabels: {}, matchExpressions: []}"])
def test_v1beta1_empty_selector_selects_no_pods(lint, selector):
    report = lint(stream(f"""
        apiVersion: policy/v1beta1
        kind: PodDisruptionBudget
        metadata: {{name: web}}
        spec:
          maxUnavailable: 1
          selector: {selector}
    """, deployment()))
    assert summary(report, "pdb-no-match") == [(
        "pdb-no-match", 6, 3,
        "PodDisruptionBudget web selects no pods: in policy/v1beta1 an empty selector selects none (policy/v1's "
        "selects every pod of the namespace)",
    )]
    [finding] = [f for f in report.findings if f.rule == "pdb-no-match"]
    assert (finding.severity, finding.path) == ("warning", "/spec/selector")


def test_v1beta1_selector_with_labels_selects_as_v1_does(lint):
    report = lint(stream(budget(api_version="policy/v1beta1"), deployment()))
    assert summary(report, "pdb-no-match") == []
    report = lint(stream(budget(app="api", api_version="policy/v1beta1"), deployment()))
    assert [f[:3] for f in summary(report, "pdb-no-match")] == [("pdb-no-match", 8, 3)]


@pytest.mark.parametrize("api_version", ["policy/v1", "policy/v1beta1"])
@pytest.mark.parametrize("selector", ["", "\n  selector:", "\n  selector: null", "\n  selector: ~"])
def test_null_or_missing_selector_selects_no_pods(lint, api_version, selector):
    report = lint(stream(f"apiVersion: {api_version}\nkind: PodDisruptionBudget\nmetadata: {{name: web}}\n"
                         f"spec:\n  maxUnavailable: 1{selector}\n", deployment()))
    assert summary(report, "pdb-no-match") == [(
        "pdb-no-match", 4, 1,
        "PodDisruptionBudget web has no selector, so it selects no pods and protects nothing (an empty selector, "
        "{}, selects every pod of the namespace)",
    )]
    assert report.findings[[f.rule for f in report.findings].index("pdb-no-match")].path == "/spec"


def test_budget_without_spec_is_reported_at_the_object(lint):
    report = lint(stream("""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web}
    """, deployment()))
    assert [f[:3] for f in summary(report, "pdb-no-match")] == [("pdb-no-match", 1, 1)]


# --- the pods of every workload kind, and the labels controllers add -------------------------------


WORKLOADS = {
    "Pod": """
        apiVersion: v1
        kind: Pod
        metadata: {name: db, labels: {app: db}}
        spec: {containers: [{name: db, image: postgres}]}
    """,
    "ReplicaSet": """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: db}
        spec:
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: postgres}]}
    """,
    "ReplicationController": """
        apiVersion: v1
        kind: ReplicationController
        metadata: {name: db}
        spec:
          selector: {app: db}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: postgres}]}
    """,
    "StatefulSet": """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: postgres}]}
    """,
    "DaemonSet": """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: db}
        spec:
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: postgres}]}
    """,
    "Job": """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: db}
        spec:
          template:
            metadata: {labels: {app: db}}
            spec: {restartPolicy: Never, containers: [{name: db, image: postgres}]}
    """,
    "CronJob": """
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: db}
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              template:
                metadata: {labels: {app: db}}
                spec: {restartPolicy: Never, containers: [{name: db, image: postgres}]}
    """,
}

DB_BUDGET = """
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {{name: db}}
    spec:
      maxUnavailable: 1
      selector: {{matchLabels: {{{labels}}}}}
"""


@pytest.mark.parametrize("kind", sorted(WORKLOADS))
def test_every_workload_kinds_pod_template_counts(lint, kind):
    assert summary(lint(stream(DB_BUDGET.format(labels="app: db"), WORKLOADS[kind])), "pdb-no-match") == []
    report = lint(stream(DB_BUDGET.format(labels="app: cache"), WORKLOADS[kind]))
    assert summary(report, "pdb-no-match") == [(
        "pdb-no-match", 6, 3,
        "PodDisruptionBudget db selects no pods: no pod template in namespace 'default' carries app=cache",
    )]


@pytest.mark.parametrize("kind, labels", [
    ("StatefulSet", "statefulset.kubernetes.io/pod-name: db-0"),
    ("StatefulSet", "apps.kubernetes.io/pod-index: '2'"),
    ("StatefulSet", "controller-revision-hash: db-5d4f7c9b8"),
    ("DaemonSet", "pod-template-generation: '3'"),
    ("DaemonSet", "controller-revision-hash: 6b8f9c7d4"),
    ("Job", "job-name: db"),
    ("Job", "batch.kubernetes.io/job-name: db"),
    ("Job", "batch.kubernetes.io/controller-uid: 0b6c3a4e-8f2d-4c1a-9e7b-2d5f6a8c9e01"),
    ("CronJob", "job-name: db-28930500"),
    ("CronJob", "controller-uid: 0b6c3a4e-8f2d-4c1a-9e7b-2d5f6a8c9e01"),
])
def test_labels_controllers_add_to_the_pods_count(lint, kind, labels):
    report = lint(stream(DB_BUDGET.format(labels=labels), WORKLOADS[kind]))
    assert summary(report, "pdb-no-match") == []


@pytest.mark.parametrize("kind, labels, shown", [
    ("StatefulSet", "statefulset.kubernetes.io/pod-name: web-0", "statefulset.kubernetes.io/pod-name=web-0"),
    ("StatefulSet", "apps.kubernetes.io/pod-index: '01'", "apps.kubernetes.io/pod-index=01"),
    ("DaemonSet", "pod-template-generation: first", "pod-template-generation=first"),
    ("Job", "job-name: migrate", "job-name=migrate"),
    ("Deployment", "controller-revision-hash: abc", "controller-revision-hash=abc"),
])
def test_labels_the_controller_cannot_add_do_not_count(lint, kind, labels, shown):
    workload = WORKLOADS.get(kind) or """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: db}
        spec:
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: postgres}]}
    """
    report = lint(stream(DB_BUDGET.format(labels=labels), workload))
    assert summary(report, "pdb-no-match") == [(
        "pdb-no-match", 6, 3,
        f"PodDisruptionBudget db selects no pods: no pod template in namespace 'default' carries {shown}",
    )]


def test_not_in_and_does_not_exist_see_the_labels_controllers_add(lint):
    text = """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {{name: db}}
        spec:
          maxUnavailable: 1
          selector:
            matchExpressions: [{expression}]
    """
    # every pod of Job db carries job-name=db and a controller-uid, every StatefulSet pod a controller-revision-hash
    for expression, kind in [("{key: job-name, operator: NotIn, values: [db]}", "Job"),
                             ("{key: controller-uid, operator: DoesNotExist}", "Job"),
                             ("{key: controller-revision-hash, operator: DoesNotExist}", "StatefulSet")]:
        report = lint(stream(text.format(expression=expression), WORKLOADS[kind]))
        assert [f[:3] for f in summary(report, "pdb-no-match")] == [("pdb-no-match", 6, 3)], expression
    report = lint(stream(text.format(expression="{key: job-name, operator: NotIn, values: [other]}"), WORKLOADS["Job"]))
    assert summary(report, "pdb-no-match") == []


def test_job_with_a_manual_selector_gets_no_generated_labels(lint):
    report = lint(stream(DB_BUDGET.format(labels="job-name: db"), """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: db}
        spec:
          manualSelector: true
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {restartPolicy: Never, containers: [{name: db, image: postgres}]}
    """))
    assert [f[:3] for f in summary(report, "pdb-no-match")] == [("pdb-no-match", 6, 3)]


def test_cronjob_pods_selected_by_their_template_labels_and_by_expressions(lint):
    report = lint(stream("""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: db}
        spec:
          maxUnavailable: 1
          selector:
            matchExpressions:
              - {key: app, operator: In, values: [db]}
              - {key: job-name, operator: Exists}
    """, WORKLOADS["CronJob"]))
    assert summary(report, "pdb-no-match") == []


# --- Lists, anchors, files and context ---------------------------------------------------------------


def test_objects_inside_a_list(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: web}
            spec:
              maxUnavailable: 1
              selector: {matchLabels: {app: web}}
          - apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: api}
            spec:
              maxUnavailable: 1
              selector: {matchLabels: {app: api}}
          - apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: nginx}]}
    """)
    assert summary(report, "pdb-no-match") == [(
        "pdb-no-match", 15, 7,
        "PodDisruptionBudget api selects no pods: no pod template in namespace 'default' carries app=api",
    )]
    finding = report.findings[0]
    assert (finding.path, finding.object["name"]) == ("/spec/selector", "api")


def test_labels_supplied_through_anchors_and_merge_keys(lint):
    # anchors belong to one YAML document: a List holds the budget and the Deployment together
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: web}
            spec:
              maxUnavailable: 1
              selector:
                matchLabels: &labels
                  app: web
                  tier: frontend
          - apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector:
                matchLabels: *labels
              template:
                metadata:
                  labels:
                    <<: *labels
                    version: v2
                spec: {containers: [{name: web, image: nginx}]}
    """)
    assert summary(report) == []


def test_budget_selector_from_an_anchor_in_its_own_document(lint):
    report = lint(stream("""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          name: web
          labels: &labels {app: web, tier: frontend}
        spec:
          maxUnavailable: 1
          selector:
            matchLabels: *labels
    """, deployment()))
    assert summary(report) == []


def test_explicit_keys_win_over_merged_ones(lint):
    report = lint(stream(budget(), """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: &labels {app: web, tier: frontend}
        spec:
          selector:
            matchLabels: {tier: backend}
          template:
            metadata:
              labels:
                <<: *labels
                app: api
                tier: backend
            spec: {containers: [{name: web, image: nginx}]}
    """))
    assert summary(report, "pdb-no-match") == [(
        "pdb-no-match", 8, 3,
        "PodDisruptionBudget web selects no pods: no pod template in namespace 'default' carries app=web",
    )]
    # and the merged keys that are not overridden do count
    report = lint(stream(budget(), """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: &labels {app: web, tier: frontend}
        spec:
          selector:
            matchLabels: {tier: backend}
          template:
            metadata:
              labels:
                <<: *labels
                tier: backend
            spec: {containers: [{name: web, image: nginx}]}
    """))
    assert summary(report, "pdb-no-match") == []


def test_pods_in_another_file_or_in_context_count(lint):
    assert summary(lint({"pdb.yaml": budget(), "deployment.yaml": deployment()})) == []
    assert summary(lint({"pdb.yaml": budget()}, context={"deployment.yaml": deployment()})) == []
    report = lint({"pdb.yaml": budget()}, context={"deployment.yaml": deployment(namespace="namespace: shop")})
    assert [(f.file, f.line, f.column, f.rule) for f in report.findings] == [("pdb.yaml", 8, 3, "pdb-no-match")]


def test_budgets_in_context_files_are_not_reported(lint):
    report = lint({"deployment.yaml": deployment()}, context={"pdb.yaml": budget(app="api")})
    assert summary(report) == []


# --- what the rule leaves alone, and what it cannot see ------------------------------------------------


def test_budgets_of_other_groups_are_not_checked(lint):
    report = lint("""
        apiVersion: example.com/v1
        kind: PodDisruptionBudget
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: nothing}}
    """)
    assert summary(report, "pdb-no-match") == []


@pytest.mark.parametrize("selector", [
    "[app]",
    "{matchLabels: [app, web]}",
    "{matchLabels: {replicas: 3}}",
    "{matchExpressions: {key: app}}",
    "{matchExpressions: [{key: app, operator: Equals, values: [web]}]}",
    "{matchExpressions: [{key: app, operator: In, values: []}]}",
])
def test_invalid_selectors_are_left_to_other_findings(lint, selector):
    report = lint(f"""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {{name: web}}
        spec:
          maxUnavailable: 1
          selector: {selector}
    """)
    assert summary(report, "pdb-no-match") == []


def test_unnamed_budget(lint):
    report = lint("""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        spec:
          maxUnavailable: 1
    """)
    assert [f[3] for f in summary(report, "pdb-no-match")] == [
        "PodDisruptionBudget (unnamed) has no selector, so it selects no pods and protects nothing (an empty "
        "selector, {}, selects every pod of the namespace)"]


PROMETHEUS_BUDGET = """
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: prometheus}
    spec:
      maxUnavailable: 1
      selector: {matchLabels: {prometheus: main}}
    ---
    apiVersion: monitoring.coreos.com/v1
    kind: Prometheus
    metadata: {name: main}
    spec: {replicas: 2}
"""


def test_custom_resources_that_may_create_the_pods_lower_the_severity(lint):
    report = lint(PROMETHEUS_BUDGET)
    assert [(f.rule, f.severity, f.line, f.column, f.message) for f in report.findings if f.rule == "pdb-no-match"] == [(
        "pdb-no-match", "info", 6, 3,
        "PodDisruptionBudget prometheus selects no pods: no pod template in namespace 'default' carries "
        "prometheus=main; the namespace also holds custom resources (Prometheus main) whose operator may create "
        "such pods (declare them in `operator-pods` to check exactly)",
    )]
    # custom resources in another namespace say nothing about this one
    report = lint(PROMETHEUS_BUDGET.replace("metadata: {name: main}", "metadata: {name: main, namespace: monitoring}"))
    assert [(f.severity, f.message) for f in report.findings if f.rule == "pdb-no-match"] == [(
        "warning", "PodDisruptionBudget prometheus selects no pods: no pod template in namespace 'default' carries "
                   "prometheus=main")]


def test_operator_pods_declared_in_the_config_are_selected(lint):
    declared = {"monitoring.coreos.com/Prometheus": {"prometheus": "{name}"}}
    assert summary(lint(PROMETHEUS_BUDGET, operator_pods=declared), "pdb-no-match") == []
    report = lint(PROMETHEUS_BUDGET.replace("prometheus: main}", "prometheus: other}"), operator_pods=declared)
    assert [(f.severity, f.line, f.column, f.message) for f in report.findings if f.rule == "pdb-no-match"] == [(
        "warning", 6, 3,
        "PodDisruptionBudget prometheus selects no pods: no pod template in namespace 'default' carries "
        "prometheus=other",
    )]


def test_severity_can_be_configured(lint):
    report = lint(stream(budget(app="api"), deployment()), severity={"pdb-no-match": "error"})
    assert [(f.rule, f.severity) for f in report.findings] == [("pdb-no-match", "error")]
