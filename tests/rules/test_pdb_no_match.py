"""pdb-no-match: a PodDisruptionBudget selects no pod template in its namespace."""

import pytest
from rules.budget_fixtures import MANUAL_SELECTOR_JOB, as_list, budget, deployment, prometheus, stream, workload
from support import summary

RULE = "pdb-no-match"

#: The kinds whose pods a budget can select (`workload(kind, "db")`: pods labelled app=db).
KINDS = ["Pod", "ReplicaSet", "ReplicationController", "StatefulSet", "DaemonSet", "Job", "CronJob"]


def no_pods(selector, namespace="default", name="web"):
    return f"PodDisruptionBudget {name} selects no pods: no pod template in namespace '{namespace}' carries {selector}"


def test_budget_with_a_typo_is_reported_at_its_selector_with_the_closest_template(lint):
    report = lint(stream(budget("web", "app: wbe"), deployment()))
    # wbe is nearly web: the template it was meant for is named
    assert summary(report, RULE) == [(RULE, 6, 3, no_pods("app=wbe") + " (closest: Deployment default/web lacks app=wbe)")]
    finding = report.findings[0]
    assert (finding.severity, finding.path) == ("warning", "/spec/selector")
    assert finding.object == {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "namespace": "default",
                              "name": "web"}
    assert [(r.object["name"], r.message) for r in finding.related] == [("web", "closest pod template's labels")]
    # a value that is no near spelling of any names nothing
    assert summary(lint(stream(budget("web", "app: checkout"), deployment())), RULE) == [
        (RULE, 6, 3, no_pods("app=checkout"))]


def test_closest_template_and_the_labels_it_lacks_are_named(lint):
    report = lint(stream(budget("web", "app: web, tier: backend"), deployment()))
    assert summary(report, RULE) == [
        (RULE, 6, 3, no_pods("app=web,tier=backend") + " (closest: Deployment default/web lacks tier=backend)")]
    related = report.findings[0].related
    assert [(r.file, r.line, r.column, r.object["kind"], r.object["name"], r.message) for r in related] == [
        ("manifest.yaml", 15, 16, "Deployment", "web", "closest pod template's labels")]


def test_budget_selecting_its_deployment_is_clean(lint):
    assert summary(lint(stream(budget(), deployment()))) == []
    # explicitly in the same namespace
    assert summary(lint(stream(budget(namespace="shop"), deployment(namespace="shop")))) == []


def test_budgets_in_other_namespaces_select_nothing(lint):
    report = lint(stream(budget(namespace="shop"), deployment()))
    assert summary(report, RULE) == [(RULE, 6, 3, no_pods("app=web", "shop"))]
    assert report.findings[0].object["namespace"] == "shop"


def test_namespace_option_is_the_default_namespace(lint):
    # both defaulted: both land in `shop`
    assert summary(lint(stream(budget(), deployment()), namespace="shop"), RULE) == []
    # the Deployment is defaulted to `shop`, the budget says `default`
    report = lint(stream(budget(namespace="default"), deployment()), namespace="shop")
    assert summary(report, RULE) == [(RULE, 6, 3, no_pods("app=web"))]
    report = lint(stream(budget(), deployment(namespace="default")), namespace="shop")
    assert [f[3] for f in summary(report, RULE)] == [no_pods("app=web", "shop")]


# --- selectors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("expression, shown", [
    ("{key: tier, operator: In, values: [backend, edge]}", "tier in (backend,edge)"),
    ("{key: tier, operator: NotIn, values: [frontend]}", "tier notin (frontend)"),
    ("{key: track, operator: Exists}", "track"),
    ("{key: tier, operator: DoesNotExist}", "!tier"),
])
def test_each_operator_that_fails_is_named(lint, expression, shown):
    report = lint(stream(budget("web", "app: web", expressions=[expression]), deployment()))
    assert summary(report, RULE) == [
        (RULE, 6, 3, no_pods(f"app=web,{shown}") + f" (closest: Deployment default/web lacks {shown})")]


def test_match_expressions_alone(lint):
    report = lint(stream(budget("web", expressions=["{key: tier, operator: In, values: [backend]}"]), deployment()))
    assert summary(report, RULE) == [(RULE, 6, 3, no_pods("tier in (backend)"))]


def test_v1_empty_selector_in_a_namespace_without_pods(lint):
    report = lint(stream(budget("everything", selector="{}", namespace="shop"), deployment()))
    assert summary(report, RULE) == [(
        RULE, 6, 3,
        "PodDisruptionBudget everything selects no pods: no pod template in namespace 'shop' exists (the empty "
        "selector selects every pod)",
    )]


@pytest.mark.parametrize("selector", ["{}", "{matchLabels: {}}", "{matchLabels: {}, matchExpressions: []}"])
def test_v1beta1_empty_selector_selects_no_pods(lint, selector):
    report = lint(stream(budget("web", selector=selector, api_version="policy/v1beta1"), deployment()))
    assert summary(report, RULE) == [(
        RULE, 6, 3,
        "PodDisruptionBudget web selects no pods: in policy/v1beta1 an empty selector selects none (policy/v1's "
        "selects every pod of the namespace)",
    )]
    [finding] = [f for f in report.findings if f.rule == RULE]
    assert (finding.severity, finding.path) == ("warning", "/spec/selector")


@pytest.mark.parametrize("api_version", ["policy/v1", "policy/v1beta1"])
@pytest.mark.parametrize("selector", [False, "", "null", "~"])
def test_null_or_missing_selector_selects_no_pods(lint, api_version, selector):
    report = lint(stream(budget("web", selector=selector, api_version=api_version), deployment()))
    assert summary(report, RULE) == [(
        RULE, 4, 1,
        "PodDisruptionBudget web has no selector, so it selects no pods and protects nothing (an empty selector, "
        "{}, selects every pod of the namespace)",
    )]
    assert report.findings[[f.rule for f in report.findings].index(RULE)].path == "/spec"


def test_budget_without_spec_is_reported_at_the_object(lint):
    report = lint(stream("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}", deployment()))
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 1, 1)]


def test_unnamed_budget(lint):
    report = lint("apiVersion: policy/v1\nkind: PodDisruptionBudget\nspec: {maxUnavailable: 1}\n")
    assert [f[3] for f in summary(report, RULE)] == [
        "PodDisruptionBudget (unnamed) has no selector, so it selects no pods and protects nothing (an empty "
        "selector, {}, selects every pod of the namespace)"]


# --- the pods of every workload kind, and the labels controllers add -------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_every_workload_kinds_pod_template_counts(lint, kind):
    assert summary(lint(stream(budget("db"), workload(kind, "db"))), RULE) == []
    report = lint(stream(budget("db", "app: cache"), workload(kind, "db")))
    assert summary(report, RULE) == [(RULE, 6, 3, no_pods("app=cache", name="db"))]


@pytest.mark.parametrize("kind, labels, shown", [
    ("StatefulSet", "statefulset.kubernetes.io/pod-name: web-0", "statefulset.kubernetes.io/pod-name=web-0"),
    ("StatefulSet", "apps.kubernetes.io/pod-index: '01'", "apps.kubernetes.io/pod-index=01"),
    ("DaemonSet", "pod-template-generation: first", "pod-template-generation=first"),
    ("Job", "job-name: migrate", "job-name=migrate"),
    ("Deployment", "controller-revision-hash: abc", "controller-revision-hash=abc"),
])
def test_labels_the_controller_cannot_add_do_not_count(lint, kind, labels, shown):
    report = lint(stream(budget("db", labels), workload(kind, "db")))
    assert summary(report, RULE) == [(RULE, 6, 3, no_pods(shown, name="db"))]


@pytest.mark.parametrize("documents", [
    # every pod of Job db carries job-name=db and a controller-uid, every StatefulSet pod a controller-revision-hash
    *(pytest.param([budget("db", expressions=[expression]), workload(kind, "db")],
                   id=f"{kind}-{expression}") for expression, kind in [
        ("{key: job-name, operator: NotIn, values: [db]}", "Job"),
        ("{key: controller-uid, operator: DoesNotExist}", "Job"),
        ("{key: controller-revision-hash, operator: DoesNotExist}", "StatefulSet"),
    ]),
    pytest.param([budget("db", "job-name: db"), MANUAL_SELECTOR_JOB], id="Job-manual-selector-no-generated-labels"),
    pytest.param([budget(namespace="shop"), deployment(namespace="store")], id="different-namespaces"),
    pytest.param([budget("web", "app: api", api_version="policy/v1beta1"), deployment()], id="v1beta1-with-labels"),
])
def test_budgets_that_select_no_pods_are_reported_at_the_selector(lint, documents):
    assert [f[:3] for f in summary(lint(stream(*documents)), RULE)] == [(RULE, 6, 3)]


# --- budgets that select pods ------------------------------------------------------------------------------


@pytest.mark.parametrize("documents", [
    pytest.param([budget("web", selector="""
        matchLabels: {app: web}
        matchExpressions:
          - {key: tier, operator: In, values: [frontend, edge]}
          - {key: track, operator: NotIn, values: [canary]}
          - {key: app, operator: Exists}
          - {key: canary, operator: DoesNotExist}
    """), deployment()], id="match-expressions-that-hold"),
    # anchors belong to one YAML document: a List holds the budget and the Deployment together
    pytest.param([as_list(budget("web", selector="{matchLabels: &labels {app: web, tier: frontend}}"),
                          workload("Deployment", "web", "<<: *labels, version: v2", replicas=2))],
                 id="anchors-and-merge-keys"),
    pytest.param(["""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web, labels: &labels {app: web, tier: frontend}}
        spec:
          maxUnavailable: 1
          selector: {matchLabels: *labels}
    """, deployment()], id="selector-from-an-anchor-in-its-own-document"),
])
def test_selectors_that_hold_are_clean(lint, documents):
    assert summary(lint(stream(*documents))) == []


@pytest.mark.parametrize("documents", [
    # an explicit `default` meets a defaulted namespace
    pytest.param([budget(namespace="default"), deployment()], id="explicit-default-budget"),
    pytest.param([budget(), deployment(namespace="default")], id="explicit-default-deployment"),
    pytest.param([budget("web", expressions=["{key: tier, operator: In, values: [frontend]}"]),
                  deployment()], id="match-expressions-alone"),
    # NotIn and DoesNotExist select templates without the label
    pytest.param([budget("web", expressions=["{key: release, operator: NotIn, values: [canary]}",
                                            "{key: release, operator: DoesNotExist}"]), deployment()],
                 id="not-in-and-does-not-exist"),
    # a policy/v1 empty selector selects every pod of the namespace, with or without labels
    pytest.param([budget("everything", selector="{}"), workload("Pod", "unlabelled", "")], id="v1-empty-selector"),
    pytest.param([budget("everything", selector="{matchLabels: {}, matchExpressions: []}"), deployment()],
                 id="v1-empty-match-labels-and-expressions"),
    pytest.param([budget(api_version="policy/v1beta1"), deployment()], id="v1beta1-with-labels"),
    # labels controllers add to the pods count
    *(pytest.param([budget("db", labels), workload(kind, "db")], id=f"{kind}-{labels}") for kind, labels in [
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
    ]),
    pytest.param([budget("db", expressions=["{key: job-name, operator: NotIn, values: [other]}"]),
                  workload("Job", "db")], id="Job-job-name-not-in-other"),
    # CronJob pods are selected by their template labels and by expressions
    pytest.param([budget("db", expressions=["{key: app, operator: In, values: [db]}",
                                           "{key: job-name, operator: Exists}"]), workload("CronJob", "db")],
                 id="CronJob-expressions"),
    # merged keys that an explicit key does not override count
    pytest.param([budget(), workload("Deployment", "web", "<<: *labels, tier: backend",
                                     meta_labels="&labels {app: web, tier: frontend}")], id="merged-keys"),
    pytest.param([budget("web", "app: nothing", api_version="example.com/v1")], id="other-group-not-checked"),
    # invalid selectors are left to other findings
    *(pytest.param([budget("web", selector=selector)], id=f"invalid-{selector}") for selector in [
        "[app]",
        "{matchLabels: [app, web]}",
        "{matchLabels: {replicas: 3}}",
        "{matchExpressions: {key: app}}",
        "{matchExpressions: [{key: app, operator: Equals, values: [web]}]}",
        "{matchExpressions: [{key: app, operator: In, values: []}]}",
    ]),
])
def test_budgets_that_select_pods_or_are_left_alone_are_clean(lint, documents):
    assert summary(lint(stream(*documents)), RULE) == []


def test_explicit_keys_win_over_merged_ones(lint):
    report = lint(stream(budget(), workload("Deployment", "web", "<<: *labels, app: api, tier: backend",
                                            meta_labels="&labels {app: web, tier: frontend}")))
    assert summary(report, RULE) == [(RULE, 6, 3, no_pods("app=web"))]


# --- Lists, files and context ----------------------------------------------------------------------------


def test_objects_inside_a_list(lint):
    report = lint(as_list(budget("web"), budget("api"), workload("Deployment", "web")))
    assert summary(report, RULE) == [(RULE, 15, 7, no_pods("app=api", name="api"))]
    finding = report.findings[0]
    assert (finding.path, finding.object["name"]) == ("/spec/selector", "api")


def test_pods_in_another_file_or_in_context_count(lint):
    assert summary(lint({"pdb.yaml": budget(), "deployment.yaml": deployment()})) == []
    assert summary(lint({"pdb.yaml": budget()}, context={"deployment.yaml": deployment()})) == []
    report = lint({"pdb.yaml": budget()}, context={"deployment.yaml": deployment(namespace="shop")})
    assert [(f.file, f.line, f.column, f.rule) for f in report.findings] == [("pdb.yaml", 6, 3, RULE)]


def test_budgets_in_context_files_are_not_reported(lint):
    report = lint({"deployment.yaml": deployment()}, context={"pdb.yaml": budget("web", "app: api")})
    assert summary(report) == []


# --- operators and severity ----------------------------------------------------------------------------


def test_custom_resources_that_may_create_the_pods_lower_the_severity(lint):
    report = lint(stream(budget("prometheus", "prometheus: main"), prometheus()))
    assert [(f.rule, f.severity, f.line, f.column, f.message) for f in report.findings if f.rule == RULE] == [(
        RULE, "info", 6, 3,
        no_pods("prometheus=main", name="prometheus") + "; the namespace also holds custom resources (Prometheus "
        "main) whose operator may create such pods (declare them in `operator-pods` to check exactly)",
    )]
    # custom resources in another namespace say nothing about this one
    report = lint(stream(budget("prometheus", "prometheus: main"), prometheus(namespace="monitoring")))
    assert [(f.severity, f.message) for f in report.findings if f.rule == RULE] == [
        ("warning", no_pods("prometheus=main", name="prometheus"))]


def test_operator_pods_declared_in_the_config_are_selected(lint):
    declared = {"monitoring.coreos.com/Prometheus": {"prometheus": "{name}"}}
    assert summary(lint(stream(budget("prometheus", "prometheus: main"), prometheus()), operator_pods=declared),
                   RULE) == []
    report = lint(stream(budget("prometheus", "prometheus: other"), prometheus()), operator_pods=declared)
    assert [(f.severity, f.line, f.column, f.message) for f in report.findings if f.rule == RULE] == [
        ("warning", 6, 3, no_pods("prometheus=other", name="prometheus"))]


def test_severity_can_be_configured(lint):
    report = lint(stream(budget("web", "app: api"), deployment()), severity={"pdb-no-match": "error"})
    assert [(f.rule, f.severity) for f in report.findings] == [(RULE, "error")]
