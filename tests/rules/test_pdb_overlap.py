"""pdb-overlap: a workload's pods are selected by more than one PodDisruptionBudget."""

import textwrap

import pytest
from support import summary

TAIL = ("the eviction API refuses to evict a pod that more than one budget covers, so a node drain cannot move "
        "these pods")


def stream(*documents):
    """One YAML stream of `documents` (each dedented on its own), separated by `---`."""
    return "\n---\n".join(textwrap.dedent(document).strip("\n") for document in documents) + "\n"


def overlaps(report):
    """The report's pdb-overlap findings (budgets over DaemonSets and Jobs also get pdb-blocks-eviction's)."""
    return [finding for finding in report.findings if finding.rule == "pdb-overlap"]


def budget(name, labels, namespace="", api_version="policy/v1"):
    """A budget of 7 lines whose selector is on line 6, column 3."""
    return f"""
        apiVersion: {api_version}
        kind: PodDisruptionBudget
        metadata: {{name: {name}{', namespace: ' + namespace if namespace else ''}}}
        spec:
          maxUnavailable: 1
          selector:
            matchLabels: {{{labels}}}
    """


def deployment(name="web", labels="app: web, tier: frontend", namespace=""):
    """A Deployment of 12 lines whose template labels are on line 10, column 7."""
    return f"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {{name: {name}{', namespace: ' + namespace if namespace else ''}}}
        spec:
          replicas: 3
          selector:
            matchLabels: {{app: {name}}}
          template:
            metadata:
              labels: {{{labels}}}
            spec:
              containers: [{{name: {name}, image: nginx:1.27}}]
    """


def test_two_budgets_over_the_same_pods_are_both_reported(lint):
    report = lint(stream(budget("web", "app: web"), budget("frontend", "tier: frontend"), deployment()))
    assert summary(report, "pdb-overlap") == [
        ("pdb-overlap", 6, 3, "PodDisruptionBudget web selects the pods of Deployment default/web, which "
                              f"PodDisruptionBudget default/frontend also selects: {TAIL}"),
        ("pdb-overlap", 14, 3, "PodDisruptionBudget frontend selects the pods of Deployment default/web, which "
                               f"PodDisruptionBudget default/web also selects: {TAIL}"),
    ]
    first, second = report.findings
    assert (first.severity, first.path, first.object["name"]) == ("warning", "/spec/selector", "web")
    assert [(r.file, r.line, r.column, r.object["kind"], r.object["name"], r.message) for r in first.related] == [
        ("manifest.yaml", 14, 3, "PodDisruptionBudget", "frontend", "another budget selecting the same pods"),
        ("manifest.yaml", 26, 7, "Deployment", "web", "the pods both budgets select"),
    ]
    assert [(r.line, r.column, r.object["name"]) for r in second.related] == [(6, 3, "web"), (26, 7, "web")]


def test_one_budget_per_workload_is_clean(lint):
    report = lint(stream(budget("web", "app: web"), budget("api", "app: api"), deployment(),
                         deployment("api", "app: api, tier: backend")))
    assert summary(report) == []


def test_budgets_that_share_labels_but_no_pods_do_not_overlap(lint):
    # both select tier=frontend pods, but no template carries both app=web and app=api
    report = lint(stream(budget("web", "app: web, tier: frontend"), budget("api", "app: api, tier: frontend"),
                         deployment(), deployment("api", "app: api, tier: frontend")))
    assert summary(report, "pdb-overlap") == []


def test_three_budgets_name_each_other(lint):
    report = lint(stream(budget("web", "app: web"), budget("frontend", "tier: frontend"),
                         budget("all-web", "app: web, tier: frontend"), deployment()))
    assert summary(report, "pdb-overlap")[0] == (
        "pdb-overlap", 6, 3,
        "PodDisruptionBudget web selects the pods of Deployment default/web, which PodDisruptionBudget default/all-web "
        f"and PodDisruptionBudget default/frontend also select: {TAIL}",
    )
    assert [f[1] for f in summary(report, "pdb-overlap")] == [6, 14, 22]
    assert [r.object["name"] for r in overlaps(report)[0].related] == ["frontend", "all-web", "web"]


def test_only_the_shared_workloads_are_named(lint):
    report = lint(stream(budget("frontend", "tier: frontend"), budget("web", "app: web"), deployment(),
                         deployment("shop", "app: shop, tier: frontend")))
    assert summary(report, "pdb-overlap") == [
        ("pdb-overlap", 6, 3, "PodDisruptionBudget frontend selects the pods of Deployment default/web, which "
                              f"PodDisruptionBudget default/web also selects: {TAIL}"),
        ("pdb-overlap", 14, 3, "PodDisruptionBudget web selects the pods of Deployment default/web, which "
                               f"PodDisruptionBudget default/frontend also selects: {TAIL}"),
    ]


def test_at_most_three_workloads_are_named(lint):
    names = ["a", "b", "c", "d"]
    report = lint(stream(budget("everything", "tier: frontend"), budget("per-app", "part-of: shop"),
                         *(deployment(name, f"app: {name}, tier: frontend, part-of: shop") for name in names)))
    [first, second] = [f for f in report.findings if f.rule == "pdb-overlap"]
    assert first.message == (
        "PodDisruptionBudget everything selects the pods of Deployment default/a, Deployment default/b, "
        f"Deployment default/c, ..., which PodDisruptionBudget default/per-app also selects: {TAIL}")
    assert [(r.line, r.object["kind"], r.object["name"]) for r in first.related] == [
        (14, "PodDisruptionBudget", "per-app"), (26, "Deployment", "a"), (39, "Deployment", "b"),
        (52, "Deployment", "c")]
    assert second.message.startswith("PodDisruptionBudget per-app selects the pods of Deployment default/a, ")


# --- namespaces ---------------------------------------------------------------------------------------


def test_namespaces_are_compared_after_defaulting(lint):
    same = stream(budget("web", "app: web", "shop"), budget("frontend", "tier: frontend", "shop"),
                  deployment(namespace="shop"))
    report = lint(same)
    assert [(f[1], f[3]) for f in summary(report, "pdb-overlap")] == [
        (6, "PodDisruptionBudget web selects the pods of Deployment shop/web, which PodDisruptionBudget "
            f"shop/frontend also selects: {TAIL}"),
        (14, "PodDisruptionBudget frontend selects the pods of Deployment shop/web, which PodDisruptionBudget "
             f"shop/web also selects: {TAIL}"),
    ]
    # an explicit `default` meets a defaulted namespace
    report = lint(stream(budget("web", "app: web", "default"), budget("frontend", "tier: frontend"), deployment()))
    assert [f[:3] for f in summary(report, "pdb-overlap")] == [("pdb-overlap", 6, 3), ("pdb-overlap", 14, 3)]


def test_budgets_in_other_namespaces_do_not_overlap(lint):
    report = lint(stream(budget("web", "app: web"), budget("frontend", "tier: frontend", "shop"), deployment()))
    assert summary(report, "pdb-overlap") == []
    report = lint(stream(budget("web", "app: web", "shop"), budget("frontend", "tier: frontend", "shop"),
                         deployment(namespace="store")))
    assert summary(report, "pdb-overlap") == []


def test_namespace_option_is_the_default_namespace(lint):
    text = stream(budget("web", "app: web"), budget("frontend", "tier: frontend", "default"), deployment())
    # without the option all three are in `default`
    assert len(summary(lint(text), "pdb-overlap")) == 2
    # with it, `web` and the Deployment move to `shop`, `frontend` stays in `default`
    assert summary(lint(text, namespace="shop"), "pdb-overlap") == []
    report = lint(stream(budget("web", "app: web"), budget("frontend", "tier: frontend"), deployment()),
                  namespace="shop")
    assert [f[3] for f in summary(report, "pdb-overlap")][0] == (
        "PodDisruptionBudget web selects the pods of Deployment shop/web, which PodDisruptionBudget shop/frontend "
        f"also selects: {TAIL}")


# --- selectors ----------------------------------------------------------------------------------------


def expressions_budget(name, *expressions):
    lines = "".join(f"\n              - {expression}" for expression in expressions)
    return f"""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {{name: {name}}}
        spec:
          maxUnavailable: 1
          selector:
            matchExpressions:{lines}
    """


@pytest.mark.parametrize("expression", [
    "{key: tier, operator: In, values: [frontend, edge]}",
    "{key: tier, operator: NotIn, values: [backend]}",
    "{key: tier, operator: Exists}",
    "{key: canary, operator: DoesNotExist}",
])
def test_match_expressions_that_hold_overlap(lint, expression):
    report = lint(stream(budget("web", "app: web"), expressions_budget("frontend", expression), deployment()))
    assert [f[:3] for f in summary(report, "pdb-overlap")] == [("pdb-overlap", 6, 3), ("pdb-overlap", 14, 3)]


@pytest.mark.parametrize("expression", [
    "{key: tier, operator: In, values: [backend, edge]}",
    "{key: tier, operator: NotIn, values: [frontend]}",
    "{key: canary, operator: Exists}",
    "{key: tier, operator: DoesNotExist}",
])
def test_match_expressions_that_fail_do_not_overlap(lint, expression):
    report = lint(stream(budget("web", "app: web"), expressions_budget("frontend", expression), deployment()))
    assert summary(report, "pdb-overlap") == []


def test_v1_empty_selector_overlaps_every_other_budget_of_the_namespace(lint):
    report = lint(stream("""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: everything}
        spec:
          maxUnavailable: 1
          selector: {}
    """, budget("web", "app: web"), deployment()))
    assert summary(report, "pdb-overlap") == [
        ("pdb-overlap", 6, 3, "PodDisruptionBudget everything selects the pods of Deployment default/web, which "
                              f"PodDisruptionBudget default/web also selects: {TAIL}"),
        ("pdb-overlap", 13, 3, "PodDisruptionBudget web selects the pods of Deployment default/web, which "
                               f"PodDisruptionBudget default/everything also selects: {TAIL}"),
    ]


def test_v1_empty_selector_covers_pods_without_labels(lint):
    report = lint(stream("""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: everything}
        spec:
          maxUnavailable: 1
          selector: {matchLabels: {}, matchExpressions: []}
    """, """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: not-canary}
        spec:
          maxUnavailable: 1
          selector:
            matchExpressions: [{key: canary, operator: DoesNotExist}]
    """, """
        apiVersion: v1
        kind: Pod
        metadata: {name: debug}
        spec: {containers: [{name: c, image: busybox}]}
    """))
    assert [(f[1], f[3]) for f in summary(report, "pdb-overlap")] == [
        (6, "PodDisruptionBudget everything selects the pods of Pod default/debug, which PodDisruptionBudget "
            f"default/not-canary also selects: {TAIL}"),
        (13, "PodDisruptionBudget not-canary selects the pods of Pod default/debug, which PodDisruptionBudget "
             f"default/everything also selects: {TAIL}"),
    ]
    assert [(r.line, r.column, r.object["kind"]) for r in overlaps(report)[0].related] == [
        (13, 3, "PodDisruptionBudget"), (18, 1, "Pod")]


@pytest.mark.parametrize("selector", ["{}", "{matchLabels: {}}"])
def test_v1beta1_empty_selector_selects_nothing_so_overlaps_nothing(lint, selector):
    report = lint(stream(f"""
        apiVersion: policy/v1beta1
        kind: PodDisruptionBudget
        metadata: {{name: nothing}}
        spec:
          maxUnavailable: 1
          selector: {selector}
    """, budget("web", "app: web"), deployment()))
    assert summary(report, "pdb-overlap") == []


def test_v1beta1_selector_with_labels_overlaps_as_v1_does(lint):
    report = lint(stream(budget("web", "app: web", api_version="policy/v1beta1"), budget("frontend", "tier: frontend"),
                         deployment()))
    assert [f[:3] for f in summary(report, "pdb-overlap")] == [("pdb-overlap", 6, 3), ("pdb-overlap", 14, 3)]


@pytest.mark.parametrize("api_version", ["policy/v1", "policy/v1beta1"])
@pytest.mark.parametrize("selector", ["", "\n  selector:", "\n  selector: null"])
def test_null_or_missing_selector_selects_nothing_so_overlaps_nothing(lint, api_version, selector):
    report = lint(stream(f"apiVersion: {api_version}\nkind: PodDisruptionBudget\nmetadata: {{name: none}}\n"
                         f"spec:\n  maxUnavailable: 1{selector}\n", budget("web", "app: web"), deployment()))
    assert summary(report, "pdb-overlap") == []


# --- workload kinds and the labels controllers add ---------------------------------------------------


WORKLOADS = {
    "StatefulSet": """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          replicas: 3
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db, tier: data}}
            spec: {containers: [{name: db, image: postgres}]}
    """,
    "DaemonSet": """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: db}
        spec:
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db, tier: data}}
            spec: {containers: [{name: db, image: postgres}]}
    """,
    "Job": """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: db}
        spec:
          template:
            metadata: {labels: {app: db, tier: data}}
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
                metadata: {labels: {app: db, tier: data}}
                spec: {restartPolicy: Never, containers: [{name: db, image: postgres}]}
    """,
    "ReplicaSet": """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: db}
        spec:
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db, tier: data}}
            spec: {containers: [{name: db, image: postgres}]}
    """,
    "ReplicationController": """
        apiVersion: v1
        kind: ReplicationController
        metadata: {name: db}
        spec:
          template:
            metadata: {labels: {app: db, tier: data}}
            spec: {containers: [{name: db, image: postgres}]}
    """,
    "Pod": """
        apiVersion: v1
        kind: Pod
        metadata: {name: db, labels: {app: db, tier: data}}
        spec: {containers: [{name: db, image: postgres}]}
    """,
}

#: Where each workload's pod labels are, after the two budgets (lines 1 to 16).
LABELS_AT = {"StatefulSet": (25, 16), "DaemonSet": (23, 16), "Job": (22, 16), "CronJob": (25, 20),
             "ReplicaSet": (23, 16), "ReplicationController": (22, 16), "Pod": (19, 22)}


@pytest.mark.parametrize("kind", sorted(WORKLOADS))
def test_every_workload_kinds_pods_count(lint, kind):
    report = lint(stream(budget("db", "app: db"), budget("data", "tier: data"), WORKLOADS[kind]))
    assert summary(report, "pdb-overlap") == [
        ("pdb-overlap", 6, 3, f"PodDisruptionBudget db selects the pods of {kind} default/db, which "
                              f"PodDisruptionBudget default/data also selects: {TAIL}"),
        ("pdb-overlap", 14, 3, f"PodDisruptionBudget data selects the pods of {kind} default/db, which "
                               f"PodDisruptionBudget default/db also selects: {TAIL}"),
    ]
    related = overlaps(report)[0].related[1]
    assert (related.line, related.column, related.object["kind"], related.message) == (
        *LABELS_AT[kind], kind, "the pods both budgets select")


@pytest.mark.parametrize("kind, labels", [
    ("Job", "job-name: db"),
    ("Job", "batch.kubernetes.io/job-name: db"),
])
def test_labels_the_controller_adds_with_known_values_count(lint, kind, labels):
    report = lint(stream(budget("db", "app: db"), budget("by-job", labels), WORKLOADS[kind]))
    assert [f[:3] for f in summary(report, "pdb-overlap")] == [("pdb-overlap", 6, 3), ("pdb-overlap", 14, 3)]


@pytest.mark.parametrize("kind, labels", [
    ("StatefulSet", "controller-revision-hash: db-5d4f7c9b8"),
    ("DaemonSet", "controller-revision-hash: 6b8f9c7d4"),
    ("DaemonSet", "pod-template-generation: '1'"),
    ("Job", "controller-uid: 0b6c3a4e-8f2d-4c1a-9e7b-2d5f6a8c9e01"),
    ("CronJob", "job-name: db-28930500"),
    ("CronJob", "batch.kubernetes.io/job-name: db-28930500"),
])
def test_labels_whose_values_are_unknown_are_not_assumed(lint, kind, labels):
    report = lint(stream(budget("db", "app: db"), budget("by-revision", labels), WORKLOADS[kind]))
    assert summary(report, "pdb-overlap") == []


@pytest.mark.parametrize("kind, key", [
    ("StatefulSet", "controller-revision-hash"),
    ("StatefulSet", "statefulset.kubernetes.io/pod-name"),
    ("DaemonSet", "pod-template-generation"),
    ("CronJob", "job-name"),
])
def test_exists_on_a_label_the_controller_always_adds_is_certain(lint, kind, key):
    report = lint(stream(budget("db", "app: db"), expressions_budget("managed", f"{{key: {key}, operator: Exists}}"),
                         WORKLOADS[kind]))
    assert [f[:3] for f in summary(report, "pdb-overlap")] == [("pdb-overlap", 6, 3), ("pdb-overlap", 14, 3)]


def test_deployment_pod_template_hash_is_not_assumed(lint):
    report = lint(stream(budget("web", "app: web"), budget("pinned", "pod-template-hash: 5d4f7c9b8"), deployment()))
    assert summary(report, "pdb-overlap") == []


def test_job_with_a_manual_selector_has_no_generated_labels(lint):
    report = lint(stream(budget("db", "app: db"), budget("by-job", "job-name: db"), """
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
    assert summary(report, "pdb-overlap") == []


def test_operator_pods_declared_in_the_config_count(lint):
    text = stream(budget("prometheus", "prometheus: main"), budget("monitoring", "app.kubernetes.io/name: prometheus"),
                  """
        apiVersion: monitoring.coreos.com/v1
        kind: Prometheus
        metadata: {name: main}
        spec: {replicas: 2}
    """)
    assert summary(lint(text), "pdb-overlap") == []
    declared = {"monitoring.coreos.com/Prometheus": {"prometheus": "{name}", "app.kubernetes.io/name": "prometheus"}}
    report = lint(text, operator_pods=declared)
    assert summary(report, "pdb-overlap")[0] == (
        "pdb-overlap", 6, 3,
        "PodDisruptionBudget prometheus selects the pods of Prometheus default/main, which PodDisruptionBudget "
        f"default/monitoring also selects: {TAIL}")
    # the operator's pods have no template: the custom resource itself is pointed at
    assert [(r.line, r.column, r.object["kind"]) for r in overlaps(report)[0].related] == [
        (14, 3, "PodDisruptionBudget"), (17, 1, "Prometheus")]


# --- Lists, anchors, files and context -------------------------------------------------------------


def test_budgets_inside_a_list(lint):
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
            metadata: {name: frontend}
            spec:
              maxUnavailable: 1
              selector: {matchLabels: {tier: frontend}}
          - apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web, tier: frontend}}
                spec: {containers: [{name: web, image: nginx}]}
    """)
    assert [f[:3] for f in summary(report, "pdb-overlap")] == [("pdb-overlap", 9, 7), ("pdb-overlap", 15, 7)]
    assert [(r.line, r.column) for r in overlaps(report)[0].related] == [(15, 7), (22, 20)]
    assert overlaps(report)[1].path == "/spec/selector"


def test_labels_supplied_through_anchors_and_merge_keys(lint):
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
                matchLabels: &app {app: web}
          - apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: frontend}
            spec:
              maxUnavailable: 1
              selector:
                matchLabels: &tier {tier: frontend}
          - apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: *app}
              template:
                metadata:
                  labels:
                    <<: [*app, *tier]
                spec: {containers: [{name: web, image: nginx}]}
    """)
    assert [f[:3] for f in summary(report, "pdb-overlap")] == [("pdb-overlap", 9, 7), ("pdb-overlap", 16, 7)]


def test_merged_label_overridden_by_an_explicit_key_does_not_overlap(lint):
    report = lint(stream(budget("web", "app: web"), budget("frontend", "tier: frontend"), """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: &labels {app: web, tier: frontend}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels:
                <<: *labels
                tier: backend
            spec: {containers: [{name: web, image: nginx}]}
    """))
    assert summary(report, "pdb-overlap") == []


def test_budgets_in_other_files_overlap(lint):
    report = lint({"web-pdb.yaml": budget("web", "app: web"), "frontend-pdb.yaml": budget("frontend", "tier: frontend"),
                   "deployment.yaml": deployment()})
    assert [(f.file, f.line, f.column, f.rule) for f in report.findings] == [
        ("frontend-pdb.yaml", 6, 3, "pdb-overlap"), ("web-pdb.yaml", 6, 3, "pdb-overlap")]
    assert [(r.file, r.line, r.column) for r in overlaps(report)[1].related] == [
        ("frontend-pdb.yaml", 6, 3), ("deployment.yaml", 10, 7)]


def test_a_budget_in_context_is_named_but_not_reported(lint):
    report = lint({"web-pdb.yaml": budget("web", "app: web")},
                  context={"platform-pdb.yaml": budget("frontend", "tier: frontend"), "deployment.yaml": deployment()})
    assert summary(report) == [("pdb-overlap", 6, 3, "PodDisruptionBudget web selects the pods of Deployment "
                                                      f"default/web, which PodDisruptionBudget default/frontend also "
                                                      f"selects: {TAIL}")]
    assert [(r.file, r.line, r.column, r.object["name"]) for r in overlaps(report)[0].related] == [
        ("platform-pdb.yaml", 6, 3, "frontend"), ("deployment.yaml", 10, 7, "web")]


def test_the_same_budget_in_context_is_not_another_budget(lint):
    report = lint({"web-pdb.yaml": budget("web", "app: web"), "deployment.yaml": deployment()},
                  context={"deployed/web-pdb.yaml": budget("web", "app: web, tier: frontend")})
    assert summary(report, "pdb-overlap") == []


# --- what the rule leaves alone -----------------------------------------------------------------------


def test_budgets_of_other_groups_are_not_budgets(lint):
    report = lint(stream(budget("web", "app: web"), budget("frontend", "tier: frontend", api_version="example.com/v1"),
                         deployment()))
    assert summary(report, "pdb-overlap") == []


@pytest.mark.parametrize("selector", [
    "{matchLabels: [app, web]}",
    "{matchLabels: {tier: 3}}",
    "{matchExpressions: [{key: tier, operator: Equals, values: [frontend]}]}",
    "{matchExpressions: [{key: tier, operator: In, values: []}]}",
])
def test_invalid_selectors_select_nothing(lint, selector):
    report = lint(stream(budget("web", "app: web"), f"""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {{name: broken}}
        spec:
          maxUnavailable: 1
          selector: {selector}
    """, deployment()))
    assert summary(report, "pdb-overlap") == []


def test_a_budget_is_not_its_own_duplicate(lint):
    # the same budget written twice is duplicate-object's finding, not an overlap
    report = lint(stream(budget("web", "app: web"), budget("web", "tier: frontend"), deployment()))
    assert summary(report, "pdb-overlap") == []
    assert [f.rule for f in report.findings] == ["duplicate-object"]


def test_severity_can_be_configured(lint):
    report = lint(stream(budget("web", "app: web"), budget("frontend", "tier: frontend"), deployment()),
                  severity={"pdb-overlap": "error"})
    assert [(f.rule, f.severity) for f in report.findings] == [("pdb-overlap", "error"), ("pdb-overlap", "error")]


def test_unnamed_budgets_are_each_their_own(lint):
    # generateName: the API server names each budget, so two of them are two budgets
    unnamed = """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {generateName: web-}
        spec:
          maxUnavailable: 1
          selector:
            matchLabels: {app: web}
    """
    report = lint(stream(unnamed, unnamed, deployment()))
    assert summary(report, "pdb-overlap") == [
        ("pdb-overlap", 6, 3, "PodDisruptionBudget (unnamed) selects the pods of Deployment default/web, which "
                              f"PodDisruptionBudget default/(unnamed) also selects: {TAIL}"),
        ("pdb-overlap", 14, 3, "PodDisruptionBudget (unnamed) selects the pods of Deployment default/web, which "
                               f"PodDisruptionBudget default/(unnamed) also selects: {TAIL}"),
    ]
    assert [(r.line, r.column) for r in overlaps(report)[0].related] == [(14, 3), (26, 7)]


def test_copies_of_a_workload_count_once(lint):
    # the same Deployment in a base and an alternative file: one workload, named once
    report = lint({"pdbs.yaml": stream(budget("web", "app: web"), budget("frontend", "tier: frontend")),
                   "base/deployment.yaml": deployment(), "alternative/deployment.yaml": deployment()})
    [first, second] = [f for f in report.findings if f.rule == "pdb-overlap"]
    assert (first.file, first.line, first.column, first.message) == (
        "pdbs.yaml", 6, 3, "PodDisruptionBudget web selects the pods of Deployment default/web, which "
                           f"PodDisruptionBudget default/frontend also selects: {TAIL}")
    assert [(r.file, r.line, r.column) for r in first.related] == [
        ("pdbs.yaml", 14, 3), ("base/deployment.yaml", 10, 7)]
    assert (second.line, second.message.split(",")[0]) == (
        14, "PodDisruptionBudget frontend selects the pods of Deployment default/web")
