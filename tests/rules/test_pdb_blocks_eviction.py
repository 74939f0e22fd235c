"""pdb-blocks-eviction: a PodDisruptionBudget that can never allow an eviction, so node drains hang."""

import pytest
from rules.budget_fixtures import as_list, budget, flow_metadata, stream, workload
from support import summary

from kubecheck.inventory import example_inventory

RULE = "pdb-blocks-eviction"


def pdb(spec="minAvailable: 2", **options):
    """A budget checkout over app=checkout; `spec` is line 5, so its value is at 5:17 for minAvailable."""
    return budget("checkout", spec=spec, **options)


def checkout(replicas=2, kind="Deployment", namespace=""):
    """A workload checkout whose pods carry app=checkout; its `replicas` (unless None) are line 5, column 3."""
    return workload(kind, "checkout", "app: checkout, tier: web", replicas=replicas, namespace=namespace)


def autoscaler(min_replicas=2, namespace="", kind="Deployment", target="checkout", name="checkout"):
    """A HorizontalPodAutoscaler of `kind` `target`; its minReplicas (unless None) are line 6, column 3."""
    return "\n".join([
        "apiVersion: autoscaling/v2", "kind: HorizontalPodAutoscaler", f"metadata: {flow_metadata(name, namespace)}",
        "spec:", f"  scaleTargetRef: {{apiVersion: apps/v1, kind: {kind}, name: {target}}}",
        *([f"  minReplicas: {min_replicas}"] if min_replicas is not None else []), "  maxReplicas: 10"]) + "\n"


def related(report, index=0):
    return [(r.file, r.line, r.column, r.object["kind"], r.object["name"], r.message)
            for r in report.findings[index].related]


def blocks(what, spec="minAvailable 2", name="checkout"):
    return f"PodDisruptionBudget {name} allows no eviction: {spec} {what}; a node drain will hang"


def positions(report):
    return [f[:3] for f in summary(report, RULE)]


#: What a budget over the Deployment checkout is related to: its spec.replicas (line 12 after a budget and `---`).
PODS = ("manifest.yaml", 12, 3, "Deployment", "checkout", "the pods the budget selects")


# --- minAvailable against the replicas of the selected workload ---------------------------------------------


def test_min_available_equal_to_the_replicas_is_reported_at_its_value(lint):
    report = lint(stream(pdb("minAvailable: 2"), checkout(2)))
    assert summary(report, RULE) == [(RULE, 5, 17, blocks("equals the 2 replicas of Deployment checkout"))]
    finding = report.findings[0]
    assert (finding.severity, finding.path) == ("warning", "/spec/minAvailable")
    assert finding.object == {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "namespace": "default",
                              "name": "checkout"}
    # the budget takes 6 lines and a ---: the Deployment starts on line 8, its replicas on line 12
    assert related(report) == [PODS]


def test_min_available_more_than_the_replicas(lint):
    report = lint(stream(pdb("minAvailable: 3"), checkout(2)))
    assert summary(report, RULE) == [
        (RULE, 5, 17, blocks("is more than the 2 replicas of Deployment checkout", "minAvailable 3"))]


def test_min_available_below_the_replicas_is_clean(lint):
    report = lint(stream(pdb("minAvailable: 2"), checkout(3)))
    assert summary(report) == []


def test_replicas_default_to_one(lint):
    report = lint(stream(pdb("minAvailable: 1"), checkout(None)))
    assert summary(report, RULE) == [(RULE, 5, 17, blocks("equals the 1 replica of Deployment checkout",
                                                          "minAvailable 1"))]
    # without spec.replicas the related location is the pod template's labels (line 7 of the Deployment)
    assert related(report) == [("manifest.yaml", 14, 16, "Deployment", "checkout", "the pods the budget selects")]


@pytest.mark.parametrize("kind", ["StatefulSet", "ReplicaSet"])
def test_statefulsets_and_replicasets_count_their_replicas(lint, kind):
    report = lint(stream(pdb("minAvailable: 3"), checkout(3, kind)))
    assert summary(report, RULE) == [(RULE, 5, 17, blocks(f"equals the 3 replicas of {kind} checkout",
                                                          "minAvailable 3"))]
    assert related(report) == [("manifest.yaml", 12, 3, kind, "checkout", "the pods the budget selects")]
    assert summary(lint(stream(pdb("minAvailable: 2"), checkout(3, kind))), RULE) == []


def test_replication_controller_and_bare_pod(lint):
    report = lint(stream(pdb("minAvailable: 2"), workload("ReplicationController", "legacy", "app: checkout",
                                                          replicas=2)))
    assert summary(report, RULE) == [(RULE, 5, 17, blocks("equals the 2 replicas of ReplicationController legacy"))]
    report = lint(stream(pdb("minAvailable: 1"), workload("Pod", "debug", "app: checkout")))
    assert summary(report, RULE) == [(RULE, 5, 17, blocks("equals the 1 replica of Pod debug", "minAvailable 1"))]
    # a Pod has no spec.replicas: the related location is its labels
    assert related(report) == [("manifest.yaml", 10, 25, "Pod", "debug", "the pods the budget selects")]


# --- maxUnavailable and percentages -----------------------------------------------------------------------------


@pytest.mark.parametrize("value, shown", [("0", "0"), ('"0%"', "0%"), ("0%", "0%")])
def test_max_unavailable_zero_is_reported_whatever_the_replicas(lint, value, shown):
    report = lint(stream(pdb(f"maxUnavailable: {value}"), checkout(5)))
    assert summary(report, RULE) == [(RULE, 5, 19, blocks("lets no selected pod go", f"maxUnavailable {shown}"))]
    finding = report.findings[0]
    assert (finding.path, finding.related) == ("/spec/maxUnavailable", ())


def test_max_unavailable_zero_needs_no_workload(lint):
    # no pods in sight (the workload is deployed elsewhere): the budget still blocks whatever it selects
    assert positions(lint(pdb("maxUnavailable: 0"))) == [(RULE, 5, 19)]


@pytest.mark.parametrize("value", ['"100%"', "100%"])
def test_min_available_100_percent_is_reported_whatever_the_replicas(lint, value):
    message = blocks("keeps every selected pod", "minAvailable 100%")
    report = lint(stream(pdb(f"minAvailable: {value}"), checkout(5)))
    assert summary(report, RULE) == [(RULE, 5, 17, message)]
    assert report.findings[0].related == ()
    assert summary(lint(pdb(f"minAvailable: {value}")), RULE) == [(RULE, 5, 17, message)]


def test_percentages_round_up_as_the_disruption_controller_does(lint):
    # 67% of 3 is 2.01 pods, rounded up to 3: every pod must stay
    report = lint(stream(pdb('minAvailable: "67%"'), checkout(3)))
    assert summary(report, RULE) == [(RULE, 5, 17, blocks(
        "of 3 rounds up to 3, which equals the 3 replicas of Deployment checkout", "minAvailable 67%"))]
    assert related(report) == [PODS]
    # 51% of 1 rounds up to the only pod
    assert summary(lint(stream(pdb('minAvailable: "51%"'), checkout(None))), RULE) == [(RULE, 5, 17, blocks(
        "of 1 rounds up to 1, which equals the 1 replica of Deployment checkout", "minAvailable 51%"))]


@pytest.mark.parametrize("spec, replicas", [
    ("minAvailable: 2", 3),
    ("minAvailable: 0", 1),  # minAvailable 0 never blocks
    ("minAvailable: 1", 0),  # a workload scaled to zero has no pods to evict
    ("minAvailable: 1", 2),
    # a percentage of maxUnavailable rounds up too: 10% of 2 pods lets 1 go
    ("maxUnavailable: 1", 2),
    ('maxUnavailable: "10%"', 2),
    ('maxUnavailable: "50%"', 2),
    ('minAvailable: "50%"', 3),  # 50% of 3 is 1.5, rounded up to 2: one pod may go
    ('minAvailable: "0%"', 1),  # 0% never blocks
    ('minAvailable: "99%"', 100),  # 99% of 100 leaves one pod to evict
    # the API server rejects a budget that sets both; strings that are not percentages and booleans are schema errors
    ("maxUnavailable: 0\n  minAvailable: 1", 1),
    ('minAvailable: "2"', 2),
    ("minAvailable: true", 2),
    ("minAvailable: 2.5", 2),
    # a replica count that is not a number is not counted either
    ("minAvailable: 2", "two"),
])
def test_budgets_that_leave_a_pod_to_evict_or_cannot_be_judged_are_clean(lint, spec, replicas):
    assert summary(lint(stream(pdb(spec), checkout(replicas))), RULE) == []


def test_budgets_of_other_groups_are_not_checked(lint):
    report = lint(stream(pdb("maxUnavailable: 0", api_version="example.com/v1"), checkout()))
    assert summary(report, RULE) == []


# --- HorizontalPodAutoscalers -----------------------------------------------------------------------------------

#: The related location of an autoscaler after a budget and a Deployment of 9 lines: its minReplicas.
HPA = ("manifest.yaml", 23, 3, "HorizontalPodAutoscaler", "checkout", "the fewest replicas it scales to")


def test_autoscaler_min_replicas_is_the_floor(lint):
    # five replicas now, but the autoscaler may scale the Deployment down to two
    report = lint(stream(pdb("minAvailable: 2"), checkout(5), autoscaler(2)))
    assert summary(report, RULE) == [(RULE, 5, 17, blocks(
        "equals the 2 replicas its HorizontalPodAutoscaler may scale Deployment checkout down to"))]
    assert related(report) == [PODS, HPA]


def test_autoscaler_keeping_more_replicas_than_the_budget_is_clean(lint):
    # spec.replicas says 2, but the autoscaler never goes below 3
    report = lint(stream(pdb("minAvailable: 2"), checkout(2), autoscaler(3)))
    assert summary(report, RULE) == []
    report = lint(stream(pdb('minAvailable: "50%"'), checkout(None), autoscaler(3)))
    assert summary(report, RULE) == []


def test_autoscaler_min_replicas_defaults_to_one(lint):
    report = lint(stream(pdb("minAvailable: 1"), checkout(4), autoscaler(None)))
    assert summary(report, RULE) == [(RULE, 5, 17, blocks(
        "equals the 1 replica its HorizontalPodAutoscaler may scale Deployment checkout down to", "minAvailable 1"))]
    # no minReplicas to point at: the autoscaler's spec
    assert related(report)[1] == ("manifest.yaml", 21, 1, *HPA[3:])


def test_autoscaler_percentage(lint):
    report = lint(stream(pdb('minAvailable: "75%"'), checkout(8), autoscaler(2)))
    assert summary(report, RULE) == [(RULE, 5, 17, blocks(
        "of 2 rounds up to 2, which equals the 2 replicas its HorizontalPodAutoscaler may scale Deployment checkout "
        "down to", "minAvailable 75%"))]


def test_autoscaler_of_a_statefulset(lint):
    report = lint(stream(pdb("minAvailable: 3"), checkout(5, "StatefulSet"), autoscaler(3, kind="StatefulSet")))
    assert [f[3] for f in summary(report, RULE)] == [blocks(
        "equals the 3 replicas its HorizontalPodAutoscaler may scale StatefulSet checkout down to", "minAvailable 3")]


def test_the_lowest_of_several_autoscalers_counts(lint):
    report = lint(stream(pdb("minAvailable: 2"), checkout(5), autoscaler(4), autoscaler(2, name="checkout-b")))
    assert positions(report) == [(RULE, 5, 17)]
    assert related(report)[1][3:5] == ("HorizontalPodAutoscaler", "checkout-b")


@pytest.mark.parametrize("hpa", [
    autoscaler(1, target="other"),  # another Deployment
    autoscaler(1, kind="StatefulSet"),  # another kind with the same name
    autoscaler(1, namespace="staging"),  # another namespace
])
def test_autoscalers_of_other_workloads_or_namespaces_do_not_count(lint, hpa):
    assert summary(lint(stream(pdb("minAvailable: 2"), checkout(3), hpa)), RULE) == []


def test_autoscaler_given_as_context_counts(lint):
    report = lint({"pdb.yaml": pdb("minAvailable: 2"), "deploy.yaml": checkout(5)},
                  context={"hpa.yaml": autoscaler(2)})
    assert positions(report) == [(RULE, 5, 17)]
    assert [(r.file, r.line, r.object["kind"]) for r in report.findings[0].related] == [
        ("deploy.yaml", 5, "Deployment"), ("hpa.yaml", 6, "HorizontalPodAutoscaler")]


# --- workloads whose pods are not counted -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["DaemonSet", "Job", "CronJob"])
def test_integer_min_available_over_uncounted_pods_is_not_judged(lint, kind):
    # a DaemonSet runs a pod per node, Jobs run pods that finish: how many there are is not known
    assert summary(lint(stream(pdb("minAvailable: 1"), workload(kind, "checkout"))), RULE) == []
    assert summary(lint(stream(pdb("minAvailable: 5"), workload(kind, "checkout"))), RULE) == []


@pytest.mark.parametrize("kind", ["DaemonSet", "Job"])
def test_zero_max_unavailable_and_full_min_available_over_uncounted_pods_are_reported(lint, kind):
    assert positions(lint(stream(pdb("maxUnavailable: 0"), workload(kind, "checkout")))) == [(RULE, 5, 19)]
    assert positions(lint(stream(pdb('minAvailable: "100%"'), workload(kind, "checkout")))) == [(RULE, 5, 17)]


@pytest.mark.parametrize("spec, column", [("maxUnavailable: 1", 19), ('maxUnavailable: "50%"', 19),
                                          ('minAvailable: "50%"', 17)])
@pytest.mark.parametrize("kind", ["DaemonSet", "Job"])
def test_max_unavailable_or_a_percentage_over_pods_without_a_scale_subresource_blocks(lint, kind, spec, column):
    # The disruption controller needs the scale of the pods' controller for maxUnavailable and for a percentage
    # of minAvailable; DaemonSets and Jobs have no scale subresource, so its sync fails ("daemonsets.apps does not
    # implement the scale subresource") and failSafe sets disruptionsAllowed to 0: no pod can ever be evicted
    # (pkg/controller/disruption/disruption.go, getScaleController and failSafe; the "Arbitrary workloads and
    # arbitrary selectors" section of kubernetes.io/docs/tasks/run-application/configure-pdb/).
    assert positions(lint(stream(pdb(spec), workload(kind, "checkout")))) == [(RULE, 5, column)]


@pytest.mark.parametrize("min_available, reported", [(6, True), (7, True), (5, False)])
def test_with_a_node_inventory_a_daemonset_counts_the_nodes_that_admit_it(lint, min_available, reported):
    # the example inventory: 6 untainted nodes in two pools, and 2 GPU nodes the DaemonSet does not tolerate
    report = lint(stream(pdb(f"minAvailable: {min_available}"), workload("DaemonSet", "checkout")),
                  nodes=(example_inventory(),))
    compared = "equals" if min_available == 6 else "is more than"
    assert summary(report, RULE) == ([(RULE, 5, 17, blocks(
        "the 6 pods DaemonSet checkout runs, one on each declared node that admits it",
        f"minAvailable {min_available} {compared}"))] if reported else [])


def test_one_uncounted_workload_among_several_leaves_the_count_unknown(lint):
    report = lint(stream(pdb("minAvailable: 2"), checkout(1), workload("DaemonSet", "agent", "app: checkout")))
    assert summary(report, RULE) == []


def test_operator_pods_have_no_known_count(lint):
    declared = {"example.com/Cache": {"app": "{name}"}}
    cache = """
        apiVersion: example.com/v1
        kind: Cache
        metadata: {name: checkout}
        spec: {replicas: 1}
    """
    # the Deployment alone is one pod; the Cache's operator runs more pods with app=checkout, how many is not known
    assert positions(lint(stream(pdb("minAvailable: 1"), checkout(1)), operator_pods=declared)) == [(RULE, 5, 17)]
    assert summary(lint(stream(pdb("minAvailable: 1"), checkout(1), cache), operator_pods=declared), RULE) == []
    report = lint(stream(pdb("maxUnavailable: 0"), cache), operator_pods=declared)
    assert [(f.rule, f.severity, f.line, f.column) for f in report.findings if f.rule == RULE] == [
        (RULE, "warning", 5, 19)]


def test_pods_only_possibly_selected_are_not_counted(lint):
    # pod-template-hash is added by the Deployment controller: whether it is 5d4f7c9b8 is not known
    report = lint(stream(budget("pinned", "app: checkout, pod-template-hash: 5d4f7c9b8", spec="minAvailable: 1"),
                         checkout(1)))
    assert summary(report, RULE) == []


# --- several workloads and selectors ----------------------------------------------------------------------------


def test_several_selected_workloads_are_added_up(lint):
    report = lint(stream(budget("shop", "part-of: shop", spec="minAvailable: 4"),
                         workload("Deployment", "web", "app: web, part-of: shop", replicas=2),
                         workload("StatefulSet", "db", "app: db, part-of: shop"),
                         autoscaler(3, target="web", name="web")))
    assert summary(report, RULE) == [(RULE, 5, 17, blocks(
        "equals the 4 replicas of Deployment web (3, its HorizontalPodAutoscaler's minimum) and StatefulSet db (1)",
        "minAvailable 4", "shop"))]
    assert related(report) == [
        ("manifest.yaml", 12, 3, "Deployment", "web", "the pods the budget selects"),
        ("manifest.yaml", 33, 3, "HorizontalPodAutoscaler", "web", "the fewest replicas it scales to"),
        ("manifest.yaml", 25, 16, "StatefulSet", "db", "the pods the budget selects"),
    ]


@pytest.mark.parametrize("min_available, expected", [
    ('"80%"', [(RULE, 5, 17, blocks("of 4 rounds up to 4, which equals the 4 replicas of Deployment a (1), "
                                    "Deployment b (2) and Deployment c (1)", "minAvailable 80%", "shop"))]),
    ("3", []),
    ('"75%"', []),
])
def test_three_workloads_and_a_budget_that_leaves_room(lint, min_available, expected):
    report = lint(stream(budget("shop", "part-of: shop", spec=f"minAvailable: {min_available}"),
                         *(workload("Deployment", name, f"app: {name}, part-of: shop", replicas=replicas)
                           for name, replicas in (("a", 1), ("b", 2), ("c", 1)))))
    assert summary(report, RULE) == expected


def test_match_expressions_choose_the_workloads_counted(lint):
    workloads = [workload("Deployment", name, labels, replicas=1) for name, labels in [
        ("web", "app: web, tier: front"),
        ("api", "app: api, tier: back, track: stable"),
        ("web-canary", "app: web, tier: front, track: canary"),  # NotIn excludes it
        ("api-old", "app: api, tier: back, legacy: 'true'"),  # DoesNotExist excludes it
        ("worker", "app: api"),  # no tier: Exists excludes it
        ("db", "app: db, tier: data"),  # In excludes it
    ]]

    def shop(min_available):
        return budget("shop", spec=f"minAvailable: {min_available}", selector="""
            matchExpressions:
              - {key: app, operator: In, values: [web, api]}
              - {key: track, operator: NotIn, values: [canary]}
              - {key: tier, operator: Exists}
              - {key: legacy, operator: DoesNotExist}
        """)

    report = lint(stream(shop(2), *workloads))
    assert summary(report, RULE) == [(RULE, 5, 17, blocks(
        "equals the 2 replicas of Deployment web (1) and Deployment api (1)", name="shop"))]
    assert [r[3:5] for r in related(report)] == [("Deployment", "web"), ("Deployment", "api")]
    assert summary(lint(stream(shop(1), *workloads)), RULE) == []


def test_policy_v1_empty_selector_counts_every_workload_of_the_namespace(lint):
    def everything(api_version):
        return budget("everything", spec="minAvailable: 3", selector="{}", api_version=api_version)

    cart = workload("Deployment", "cart", "app: cart, tier: web", replicas=1)
    report = lint(stream(everything("policy/v1"), checkout(2), cart))
    assert summary(report, RULE) == [(RULE, 5, 17, blocks(
        "equals the 3 replicas of Deployment checkout (2) and Deployment cart (1)", "minAvailable 3", "everything"))]
    # an empty selector in policy/v1beta1 selects no pods
    assert summary(lint(stream(everything("policy/v1beta1"), checkout(2), cart)), RULE) == []
    # and without any workload in the namespace the count is not known
    assert summary(lint(everything("policy/v1")), RULE) == []


def test_policy_v1beta1_budgets_with_a_selector_are_checked(lint):
    assert positions(lint(stream(pdb("minAvailable: 2", api_version="policy/v1beta1"), checkout(2)))) == [
        (RULE, 5, 17)]


def test_budget_without_a_selector_selects_nothing(lint):
    assert summary(lint(stream(pdb("minAvailable: 2", selector=False), checkout(2))), RULE) == []


# --- namespaces ---------------------------------------------------------------------------------------------------


def test_namespaces_are_compared_after_defaulting(lint):
    same = stream(pdb(namespace="shop"), checkout(namespace="shop"))
    assert positions(lint(same)) == [(RULE, 5, 17)]
    explicit_default = stream(pdb(namespace="default"), checkout())
    assert positions(lint(explicit_default)) == [(RULE, 5, 17)]
    both_defaulted = stream(pdb(), checkout())
    assert positions(lint(both_defaulted, namespace="shop")) == [(RULE, 5, 17)]
    assert lint(both_defaulted, namespace="shop").findings[0].object["namespace"] == "shop"
    # the Deployment is in another namespace: the budget selects no pod seen here
    assert summary(lint(stream(pdb(namespace="shop"), checkout())), RULE) == []
    assert summary(lint(stream(pdb(), checkout(namespace="shop"))), RULE) == []
    # the namespace setting moves the defaulted Deployment away from the budget in `default`
    assert summary(lint(explicit_default, namespace="shop"), RULE) == []


# --- Lists, anchors, files and context ----------------------------------------------------------------------------


def test_objects_inside_a_list(lint):
    report = lint(as_list(pdb(), workload("Deployment", "checkout", replicas=2)))
    assert summary(report, RULE) == [(RULE, 8, 21, blocks("equals the 2 replicas of Deployment checkout"))]
    assert related(report) == [("manifest.yaml", 14, 7, "Deployment", "checkout", "the pods the budget selects")]


def test_anchors_and_merge_keys_supply_labels_and_counts(lint):
    report = lint(as_list(
        workload("Deployment", "checkout", "<<: *labels, tier: web", replicas="&count 2",
                 meta_labels="&labels {app: checkout}"),
        budget("checkout", spec="minAvailable: *count", selector="{matchLabels: *labels}"),
    ))
    # a value written as an alias has its anchor's position (kubecheck.loader)
    assert summary(report, RULE) == [(RULE, 8, 17, blocks("equals the 2 replicas of Deployment checkout"))]
    assert report.findings[0].object["kind"] == "PodDisruptionBudget"
    assert related(report) == [("manifest.yaml", 8, 7, "Deployment", "checkout", "the pods the budget selects")]


def test_merge_key_labels_that_differ_select_nothing(lint):
    # keys written next to a merge key override the merged ones: the pods are labelled app=cart
    report = lint(as_list(workload("Deployment", "checkout", "<<: &labels {app: checkout}, app: cart", replicas=2),
                          budget("checkout", spec="minAvailable: 2", selector="{matchLabels: *labels}")))
    assert summary(report, RULE) == []


def test_objects_in_separate_files(lint):
    report = lint({"pdb.yaml": pdb("minAvailable: 2"), "deploy.yaml": checkout(2)})
    assert positions(report) == [(RULE, 5, 17)]
    assert report.findings[0].file == "pdb.yaml"
    assert related(report) == [("deploy.yaml", 5, 3, "Deployment", "checkout", "the pods the budget selects")]


def test_workloads_given_as_context_count_but_context_budgets_are_not_reported(lint):
    report = lint({"pdb.yaml": pdb("minAvailable: 2")}, context={"deploy.yaml": checkout(2)})
    assert [(f.file, f.line, f.column) for f in report.findings if f.rule == RULE] == [("pdb.yaml", 5, 17)]
    assert related(report)[0][:2] == ("deploy.yaml", 5)
    for spec in ("minAvailable: 2", "maxUnavailable: 0"):
        assert summary(lint({"deploy.yaml": checkout(2)}, context={"pdb.yaml": pdb(spec)}), RULE) == []


# --- a realistic, clean set -------------------------------------------------------------------------------------


def test_realistic_application_is_clean(lint):
    report = lint("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: checkout
          namespace: shop
          labels: {app.kubernetes.io/name: checkout}
        spec:
          replicas: 3
          selector:
            matchLabels: {app.kubernetes.io/name: checkout}
          template:
            metadata:
              labels: {app.kubernetes.io/name: checkout}
            spec:
              containers:
                - name: checkout
                  image: nginx:1.27
                  ports: [{containerPort: 8080, name: http}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: checkout, namespace: shop}
        spec:
          selector: {app.kubernetes.io/name: checkout}
          ports: [{port: 80, targetPort: http}]
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: checkout, namespace: shop}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: checkout}
          minReplicas: 3
          maxReplicas: 12
          metrics:
            - type: Resource
              resource: {name: cpu, target: {type: Utilization, averageUtilization: 75}}
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: checkout, namespace: shop}
        spec:
          minAvailable: 2
          selector:
            matchLabels: {app.kubernetes.io/name: checkout}
    """)
    assert summary(report) == []
