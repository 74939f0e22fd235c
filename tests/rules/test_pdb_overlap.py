"""pdb-overlap: a workload's pods are selected by more than one PodDisruptionBudget."""

import pytest
from rules.budget_fixtures import MANUAL_SELECTOR_JOB, as_list, budget, deployment, prometheus, stream, workload
from support import summary

TAIL = ("the eviction API refuses to evict a pod that more than one budget covers, so a node drain cannot move "
        "these pods")

#: Where both budgets of `stream(budget(...), budget(...), ...)` are reported: their selectors.
BOTH = [("pdb-overlap", 6, 3), ("pdb-overlap", 13, 3)]


def overlaps(report):
    """The report's pdb-overlap findings (budgets over DaemonSets and Jobs also get pdb-blocks-eviction's)."""
    return [finding for finding in report.findings if finding.rule == "pdb-overlap"]


def positions(report):
    return [f[:3] for f in summary(report, "pdb-overlap")]


def message(budget_name, pods, other, namespace="default"):
    return (f"PodDisruptionBudget {budget_name} selects the pods of {pods}, which PodDisruptionBudget "
            f"{namespace}/{other} also selects: {TAIL}")


#: Budgets web (app=web) and frontend (tier=frontend), both over the Deployment web.
WEB, FRONTEND = budget("web"), budget("frontend", "tier: frontend")


def test_two_budgets_over_the_same_pods_are_both_reported(lint):
    report = lint(stream(WEB, FRONTEND, deployment()))
    assert summary(report, "pdb-overlap") == [
        ("pdb-overlap", 6, 3, message("web", "Deployment default/web", "frontend")),
        ("pdb-overlap", 13, 3, message("frontend", "Deployment default/web", "web")),
    ]
    first, second = report.findings
    assert (first.severity, first.path, first.object["name"]) == ("warning", "/spec/selector", "web")
    assert [(r.file, r.line, r.column, r.object["kind"], r.object["name"], r.message) for r in first.related] == [
        ("manifest.yaml", 13, 3, "PodDisruptionBudget", "frontend", "another budget selecting the same pods"),
        ("manifest.yaml", 22, 16, "Deployment", "web", "the pods both budgets select"),
    ]
    assert [(r.line, r.column, r.object["name"]) for r in second.related] == [(6, 3, "web"), (22, 16, "web")]


def test_one_budget_per_workload_is_clean(lint):
    report = lint(stream(WEB, budget("api"), deployment(), deployment("api", "app: api, tier: backend")))
    assert summary(report) == []


def test_three_budgets_name_each_other(lint):
    report = lint(stream(WEB, FRONTEND, budget("all-web", "app: web, tier: frontend"), deployment()))
    assert summary(report, "pdb-overlap")[0] == (
        "pdb-overlap", 6, 3,
        "PodDisruptionBudget web selects the pods of Deployment default/web, which PodDisruptionBudget default/all-web "
        f"and PodDisruptionBudget default/frontend also select: {TAIL}",
    )
    assert [f[1] for f in summary(report, "pdb-overlap")] == [6, 13, 20]
    assert [r.object["name"] for r in overlaps(report)[0].related] == ["frontend", "all-web", "web"]


def test_only_the_shared_workloads_are_named(lint):
    report = lint(stream(FRONTEND, WEB, deployment(), deployment("shop", "app: shop, tier: frontend")))
    assert summary(report, "pdb-overlap") == [
        ("pdb-overlap", 6, 3, message("frontend", "Deployment default/web", "web")),
        ("pdb-overlap", 13, 3, message("web", "Deployment default/web", "frontend")),
    ]


def test_at_most_three_workloads_are_named(lint):
    names = ["a", "b", "c", "d"]
    report = lint(stream(budget("everything", "tier: frontend"), budget("per-app", "part-of: shop"),
                         *(deployment(name, f"app: {name}, tier: frontend, part-of: shop") for name in names)))
    [first, second] = overlaps(report)
    assert first.message == message("everything", "Deployment default/a, Deployment default/b, Deployment default/c, "
                                                   "...", "per-app")
    assert [(r.line, r.object["kind"], r.object["name"]) for r in first.related] == [
        (13, "PodDisruptionBudget", "per-app"), (22, "Deployment", "a"), (32, "Deployment", "b"),
        (42, "Deployment", "c")]
    assert second.message.startswith("PodDisruptionBudget per-app selects the pods of Deployment default/a, ")


# --- namespaces ---------------------------------------------------------------------------------------


def test_namespaces_are_compared_after_defaulting(lint):
    report = lint(stream(budget("web", namespace="shop"), budget("frontend", "tier: frontend", namespace="shop"),
                         deployment(namespace="shop")))
    assert [(f[1], f[3]) for f in summary(report, "pdb-overlap")] == [
        (6, message("web", "Deployment shop/web", "frontend", "shop")),
        (13, message("frontend", "Deployment shop/web", "web", "shop")),
    ]


def test_namespace_option_is_the_default_namespace(lint):
    text = stream(WEB, budget("frontend", "tier: frontend", namespace="default"), deployment())
    # without the option all three are in `default`
    assert positions(lint(text)) == BOTH
    # with it, `web` and the Deployment move to `shop`, `frontend` stays in `default`
    assert summary(lint(text, namespace="shop"), "pdb-overlap") == []
    report = lint(stream(WEB, FRONTEND, deployment()), namespace="shop")
    assert summary(report, "pdb-overlap")[0][3] == message("web", "Deployment shop/web", "frontend", "shop")


# --- overlaps reported at both budgets (after `web` and the Deployment web unless said) -----------------


@pytest.mark.parametrize("documents", [
    # an explicit `default` meets a defaulted namespace
    pytest.param([budget("web", namespace="default"), FRONTEND, deployment()], id="explicit-default"),
    *(pytest.param([WEB, budget("frontend", expressions=[expression]), deployment()],
                   id=f"expression-{expression}") for expression in [
        "{key: tier, operator: In, values: [frontend, edge]}",
        "{key: tier, operator: NotIn, values: [backend]}",
        "{key: tier, operator: Exists}",
        "{key: canary, operator: DoesNotExist}",
    ]),
    pytest.param([budget("web", api_version="policy/v1beta1"), FRONTEND, deployment()], id="v1beta1-with-labels"),
    # labels the Job controller adds with values known from the Job's name
    *(pytest.param([budget("db"), budget("by-job", labels), workload("Job", "db", "app: db, tier: data")],
                   id=f"Job-{labels}") for labels in ["job-name: db", "batch.kubernetes.io/job-name: db"]),
    # Exists on a label the controller always adds is certain
    *(pytest.param([budget("db"), budget("managed", expressions=[f"{{key: {key}, operator: Exists}}"]),
                    workload(kind, "db", "app: db, tier: data")], id=f"{kind}-{key}-exists") for kind, key in [
        ("StatefulSet", "controller-revision-hash"),
        ("StatefulSet", "statefulset.kubernetes.io/pod-name"),
        ("DaemonSet", "pod-template-generation"),
        ("CronJob", "job-name"),
    ]),
])
def test_overlaps_are_reported_at_both_budgets(lint, documents):
    assert positions(lint(stream(*documents))) == BOTH


# --- no overlap -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("documents", [
    # both select tier=frontend pods, but no template carries both app=web and app=api
    pytest.param([budget("web", "app: web, tier: frontend"), budget("api", "app: api, tier: frontend"), deployment(),
                  deployment("api", "app: api, tier: frontend")], id="shared-labels-but-no-shared-pods"),
    pytest.param([WEB, budget("frontend", "tier: frontend", namespace="shop"), deployment()], id="other-namespace"),
    pytest.param([budget("web", namespace="shop"), budget("frontend", "tier: frontend", namespace="shop"),
                  deployment(namespace="store")], id="pods-in-another-namespace"),
    *(pytest.param([WEB, budget("frontend", expressions=[expression]), deployment()],
                   id=f"expression-{expression}") for expression in [
        "{key: tier, operator: In, values: [backend, edge]}",
        "{key: tier, operator: NotIn, values: [frontend]}",
        "{key: canary, operator: Exists}",
        "{key: tier, operator: DoesNotExist}",
    ]),
    # a policy/v1beta1 empty selector selects nothing; a null or missing one selects nothing in either version
    *(pytest.param([budget("nothing", selector=selector, api_version="policy/v1beta1"), WEB, deployment()],
                   id=f"v1beta1-empty-{selector}") for selector in ["{}", "{matchLabels: {}}"]),
    *(pytest.param([budget("none", selector=selector, api_version=api_version), WEB, deployment()],
                   id=f"{api_version}-selector-{selector}")
      for api_version in ["policy/v1", "policy/v1beta1"] for selector in [False, "", "null"]),
    # labels whose values the controller chooses at run time are not assumed
    *(pytest.param([budget("db"), budget("by-revision", labels), workload(kind, "db", "app: db, tier: data")],
                   id=f"{kind}-{labels}") for kind, labels in [
        ("StatefulSet", "controller-revision-hash: db-5d4f7c9b8"),
        ("DaemonSet", "controller-revision-hash: 6b8f9c7d4"),
        ("DaemonSet", "pod-template-generation: '1'"),
        ("Job", "controller-uid: 0b6c3a4e-8f2d-4c1a-9e7b-2d5f6a8c9e01"),
        ("CronJob", "job-name: db-28930500"),
        ("CronJob", "batch.kubernetes.io/job-name: db-28930500"),
    ]),
    pytest.param([WEB, budget("pinned", "pod-template-hash: 5d4f7c9b8"), deployment()], id="pod-template-hash"),
    pytest.param([budget("db"), budget("by-job", "job-name: db"), MANUAL_SELECTOR_JOB], id="Job-manual-selector"),
    # an explicit key written next to a merge key overrides the merged tier=frontend
    pytest.param([WEB, FRONTEND, workload("Deployment", "web", "<<: *labels, tier: backend",
                                          meta_labels="&labels {app: web, tier: frontend}")],
                 id="merge-key-overridden"),
    pytest.param([WEB, budget("frontend", "tier: frontend", api_version="example.com/v1"), deployment()],
                 id="other-group"),
    # invalid selectors select nothing
    *(pytest.param([WEB, budget("broken", selector=selector), deployment()], id=f"invalid-{selector}") for selector in [
        "{matchLabels: [app, web]}",
        "{matchLabels: {tier: 3}}",
        "{matchExpressions: [{key: tier, operator: Equals, values: [frontend]}]}",
        "{matchExpressions: [{key: tier, operator: In, values: []}]}",
    ]),
])
def test_budgets_that_share_no_pods_do_not_overlap(lint, documents):
    assert summary(lint(stream(*documents)), "pdb-overlap") == []


# --- empty selectors ----------------------------------------------------------------------------------


def test_v1_empty_selector_overlaps_every_other_budget_of_the_namespace(lint):
    report = lint(stream(budget("everything", selector="{}"), WEB, deployment()))
    assert summary(report, "pdb-overlap") == [
        ("pdb-overlap", 6, 3, message("everything", "Deployment default/web", "web")),
        ("pdb-overlap", 13, 3, message("web", "Deployment default/web", "everything")),
    ]


def test_v1_empty_selector_covers_pods_without_labels(lint):
    report = lint(stream(budget("everything", selector="{matchLabels: {}, matchExpressions: []}"),
                         budget("not-canary", expressions=["{key: canary, operator: DoesNotExist}"]),
                         workload("Pod", "debug", "")))
    assert [(f[1], f[3]) for f in summary(report, "pdb-overlap")] == [
        (6, message("everything", "Pod default/debug", "not-canary")),
        (13, message("not-canary", "Pod default/debug", "everything")),
    ]
    assert [(r.line, r.column, r.object["kind"]) for r in overlaps(report)[0].related] == [
        (13, 3, "PodDisruptionBudget"), (17, 1, "Pod")]


# --- workload kinds -----------------------------------------------------------------------------------

#: Where each workload's pod labels are, after the two budgets (lines 1 to 14).
LABELS_AT = {"StatefulSet": (22, 16), "DaemonSet": (21, 16), "Job": (20, 16), "CronJob": (23, 20),
             "ReplicaSet": (21, 16), "ReplicationController": (21, 16), "Pod": (17, 22)}


@pytest.mark.parametrize("kind", sorted(LABELS_AT))
def test_every_workload_kinds_pods_count(lint, kind):
    report = lint(stream(budget("db"), budget("data", "tier: data"), workload(kind, "db", "app: db, tier: data")))
    assert summary(report, "pdb-overlap") == [
        ("pdb-overlap", 6, 3, message("db", f"{kind} default/db", "data")),
        ("pdb-overlap", 13, 3, message("data", f"{kind} default/db", "db")),
    ]
    related = overlaps(report)[0].related[1]
    assert (related.line, related.column, related.object["kind"], related.message) == (
        *LABELS_AT[kind], kind, "the pods both budgets select")


def test_operator_pods_declared_in_the_config_count(lint):
    text = stream(budget("prometheus", "prometheus: main"), budget("monitoring", "app.kubernetes.io/name: prometheus"),
                  prometheus())
    assert summary(lint(text), "pdb-overlap") == []
    declared = {"monitoring.coreos.com/Prometheus": {"prometheus": "{name}", "app.kubernetes.io/name": "prometheus"}}
    report = lint(text, operator_pods=declared)
    assert summary(report, "pdb-overlap")[0] == (
        "pdb-overlap", 6, 3, message("prometheus", "Prometheus default/main", "monitoring"))
    # the operator's pods have no template: the custom resource itself is pointed at
    assert [(r.line, r.column, r.object["kind"]) for r in overlaps(report)[0].related] == [
        (13, 3, "PodDisruptionBudget"), (15, 1, "Prometheus")]


# --- Lists, anchors, files and context -------------------------------------------------------------


def test_budgets_inside_a_list(lint):
    report = lint(as_list(WEB, FRONTEND, workload("Deployment", "web", "app: web, tier: frontend")))
    assert positions(report) == [("pdb-overlap", 9, 7), ("pdb-overlap", 15, 7)]
    assert [(r.line, r.column) for r in overlaps(report)[0].related] == [(15, 7), (22, 20)]
    assert overlaps(report)[1].path == "/spec/selector"


def test_labels_supplied_through_anchors_and_merge_keys(lint):
    report = lint(as_list(budget("web", selector="{matchLabels: &app {app: web}}"),
                          budget("frontend", selector="{matchLabels: &tier {tier: frontend}}"),
                          workload("Deployment", "web", "<<: [*app, *tier]")))
    assert positions(report) == [("pdb-overlap", 9, 7), ("pdb-overlap", 15, 7)]


def test_budgets_in_other_files_overlap(lint):
    report = lint({"web-pdb.yaml": WEB, "frontend-pdb.yaml": FRONTEND, "deployment.yaml": deployment()})
    assert [(f.file, f.line, f.column, f.rule) for f in report.findings] == [
        ("frontend-pdb.yaml", 6, 3, "pdb-overlap"), ("web-pdb.yaml", 6, 3, "pdb-overlap")]
    assert [(r.file, r.line, r.column) for r in overlaps(report)[1].related] == [
        ("frontend-pdb.yaml", 6, 3), ("deployment.yaml", 8, 16)]


def test_a_budget_in_context_is_named_but_not_reported(lint):
    report = lint({"web-pdb.yaml": WEB}, context={"platform-pdb.yaml": FRONTEND, "deployment.yaml": deployment()})
    assert summary(report) == [("pdb-overlap", 6, 3, message("web", "Deployment default/web", "frontend"))]
    assert [(r.file, r.line, r.column, r.object["name"]) for r in overlaps(report)[0].related] == [
        ("platform-pdb.yaml", 6, 3, "frontend"), ("deployment.yaml", 8, 16, "web")]


def test_the_same_budget_in_context_is_not_another_budget(lint):
    report = lint({"web-pdb.yaml": WEB, "deployment.yaml": deployment()},
                  context={"deployed/web-pdb.yaml": budget("web", "app: web, tier: frontend")})
    assert summary(report, "pdb-overlap") == []


# --- what the rule leaves alone -----------------------------------------------------------------------


def test_a_budget_is_not_its_own_duplicate(lint):
    # the same budget written twice is duplicate-object's finding, not an overlap
    report = lint(stream(WEB, budget("web", "tier: frontend"), deployment()))
    assert summary(report, "pdb-overlap") == []
    assert [f.rule for f in report.findings] == ["duplicate-object"]


def test_severity_can_be_configured(lint):
    report = lint(stream(WEB, FRONTEND, deployment()), severity={"pdb-overlap": "error"})
    assert [(f.rule, f.severity) for f in report.findings] == [("pdb-overlap", "error"), ("pdb-overlap", "error")]


def test_unnamed_budgets_are_each_their_own(lint):
    # generateName: the API server names each budget, so two of them are two budgets
    unnamed = budget("web").replace("{name: web}", "{generateName: web-}")
    report = lint(stream(unnamed, unnamed, deployment()))
    assert summary(report, "pdb-overlap") == [
        ("pdb-overlap", 6, 3, message("(unnamed)", "Deployment default/web", "(unnamed)")),
        ("pdb-overlap", 13, 3, message("(unnamed)", "Deployment default/web", "(unnamed)")),
    ]
    assert [(r.line, r.column) for r in overlaps(report)[0].related] == [(13, 3), (22, 16)]


def test_copies_of_a_workload_count_once(lint):
    # the same Deployment in a base and an alternative file: one workload, named once
    report = lint({"pdbs.yaml": stream(WEB, FRONTEND), "base/deployment.yaml": deployment(),
                   "alternative/deployment.yaml": deployment()})
    [first, second] = overlaps(report)
    assert (first.file, first.line, first.column, first.message) == (
        "pdbs.yaml", 6, 3, message("web", "Deployment default/web", "frontend"))
    assert [(r.file, r.line, r.column) for r in first.related] == [
        ("pdbs.yaml", 13, 3), ("base/deployment.yaml", 8, 16)]
    assert (second.line, second.message.split(",")[0]) == (
        13, "PodDisruptionBudget frontend selects the pods of Deployment default/web")
