"""pdb-blocks-eviction: a PodDisruptionBudget that can never allow an eviction, so node drains hang."""

import textwrap

import pytest
from support import summary

RULE = "pdb-blocks-eviction"

BUDGET = """
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: checkout
  {namespace}
spec:
  {budget}
  selector:
    matchLabels: {{app: checkout}}
"""

DEPLOYMENT = """
apiVersion: apps/v1
kind: {kind}
metadata:
  name: checkout
  {namespace}
spec:
  {replicas}
  selector:
    matchLabels: {{app: checkout}}
  template:
    metadata:
      labels: {{app: checkout, tier: web}}
    spec:
      containers: [{{name: checkout, image: nginx:1.27}}]
"""

AUTOSCALER = """
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: checkout
  {namespace}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: {kind}, name: {target}}}
  {min_replicas}
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {{name: cpu, target: {{type: Utilization, averageUtilization: 80}}}}
"""


def stream(*documents):
    """One YAML stream of `documents` (each dedented on its own), separated by `---`."""
    return "\n---\n".join(textwrap.dedent(document).strip("\n") for document in documents) + "\n"


def budget(spec="minAvailable: 2", namespace=""):
    """A budget over app=checkout; `spec` is written on line 7, so its value is at 7:17 for minAvailable."""
    return BUDGET.format(budget=spec, namespace=namespace)


def workload(replicas="replicas: 2", namespace="", kind="Deployment"):
    """A workload whose pods carry app=checkout (its `replicas` line is line 7 of its document)."""
    return DEPLOYMENT.format(replicas=replicas, namespace=namespace, kind=kind)


def autoscaler(min_replicas="minReplicas: 2", namespace="", kind="Deployment", target="checkout"):
    return AUTOSCALER.format(min_replicas=min_replicas, namespace=namespace, kind=kind, target=target)


def related(report, index=0):
    return [(r.file, r.line, r.column, r.object["kind"], r.object["name"], r.message)
            for r in report.findings[index].related]


# --- minAvailable against the replicas of the selected workload ---------------------------------------------


def test_min_available_equal_to_the_replicas_is_reported_at_its_value(lint):
    report = lint(stream(budget("minAvailable: 2"), workload("replicas: 2")))
    assert summary(report, RULE) == [(
        RULE, 7, 17,
        "PodDisruptionBudget checkout allows no eviction: minAvailable 2 equals the 2 replicas of Deployment "
        "checkout; a node drain will hang",
    )]
    finding = report.findings[0]
    assert (finding.severity, finding.path) == ("warning", "/spec/minAvailable")
    assert finding.object == {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "namespace": "default",
                              "name": "checkout"}
    # the budget takes 9 lines and a ---: the Deployment starts on line 11, its replicas on line 17
    assert related(report) == [("manifest.yaml", 17, 3, "Deployment", "checkout", "the pods the budget selects")]


def test_min_available_more_than_the_replicas(lint):
    report = lint(stream(budget("minAvailable: 3"), workload("replicas: 2")))
    assert summary(report, RULE) == [(
        RULE, 7, 17,
        "PodDisruptionBudget checkout allows no eviction: minAvailable 3 is more than the 2 replicas of Deployment "
        "checkout; a node drain will hang",
    )]


def test_min_available_below_the_replicas_is_clean(lint):
    report = lint(stream(budget("minAvailable: 2"), workload("replicas: 3")))
    assert summary(report) == []


def test_min_available_zero_and_no_replicas_are_clean(lint):
    # minAvailable 0 never blocks; a workload scaled to zero has no pods to evict
    assert summary(lint(stream(budget("minAvailable: 0"), workload("replicas: 1"))), RULE) == []
    assert summary(lint(stream(budget("minAvailable: 1"), workload("replicas: 0"))), RULE) == []


def test_replicas_default_to_one(lint):
    report = lint(stream(budget("minAvailable: 1"), workload(replicas="")))
    assert summary(report, RULE) == [(
        RULE, 7, 17,
        "PodDisruptionBudget checkout allows no eviction: minAvailable 1 equals the 1 replica of Deployment "
        "checkout; a node drain will hang",
    )]
    # without spec.replicas the related location is the pod template's labels (line 12 of the Deployment)
    assert related(report) == [("manifest.yaml", 22, 7, "Deployment", "checkout", "the pods the budget selects")]
    assert summary(lint(stream(budget("minAvailable: 1"), workload("replicas: 2"))), RULE) == []


@pytest.mark.parametrize("kind", ["StatefulSet", "ReplicaSet"])
def test_statefulsets_and_replicasets_count_their_replicas(lint, kind):
    report = lint(stream(budget("minAvailable: 3"), workload("replicas: 3", kind=kind)))
    assert summary(report, RULE) == [(
        RULE, 7, 17,
        f"PodDisruptionBudget checkout allows no eviction: minAvailable 3 equals the 3 replicas of {kind} "
        "checkout; a node drain will hang",
    )]
    assert related(report) == [("manifest.yaml", 17, 3, kind, "checkout", "the pods the budget selects")]
    assert summary(lint(stream(budget("minAvailable: 2"), workload("replicas: 3", kind=kind))), RULE) == []


def test_replication_controller_and_bare_pod(lint):
    report = lint(stream(budget("minAvailable: 2"), """
        apiVersion: v1
        kind: ReplicationController
        metadata: {name: legacy}
        spec:
          replicas: 2
          selector: {app: checkout}
          template:
            metadata: {labels: {app: checkout}}
            spec: {containers: [{name: checkout, image: nginx:1.27}]}
    """))
    assert summary(report, RULE) == [(
        RULE, 7, 17,
        "PodDisruptionBudget checkout allows no eviction: minAvailable 2 equals the 2 replicas of "
        "ReplicationController legacy; a node drain will hang",
    )]
    report = lint(stream(budget("minAvailable: 1"), """
        apiVersion: v1
        kind: Pod
        metadata:
          name: debug
          labels: {app: checkout}
        spec:
          containers: [{name: checkout, image: nginx:1.27}]
    """))
    assert summary(report, RULE) == [(
        RULE, 7, 17,
        "PodDisruptionBudget checkout allows no eviction: minAvailable 1 equals the 1 replica of Pod debug; a node "
        "drain will hang",
    )]
    # a Pod has no spec.replicas: the related location is its labels
    assert related(report) == [("manifest.yaml", 15, 3, "Pod", "debug", "the pods the budget selects")]


# --- maxUnavailable and percentages -----------------------------------------------------------------------------


@pytest.mark.parametrize("value, shown", [("0", "0"), ('"0%"', "0%"), ("0%", "0%")])
def test_max_unavailable_zero_is_reported_whatever_the_replicas(lint, value, shown):
    report = lint(stream(budget(f"maxUnavailable: {value}"), workload("replicas: 5")))
    assert summary(report, RULE) == [(
        RULE, 7, 19,
        f"PodDisruptionBudget checkout allows no eviction: maxUnavailable {shown} lets no selected pod go; a node "
        "drain will hang",
    )]
    finding = report.findings[0]
    assert (finding.path, finding.related) == ("/spec/maxUnavailable", ())


def test_max_unavailable_zero_needs_no_workload(lint):
    # no pods in sight (the workload is deployed elsewhere): the budget still blocks whatever it selects
    assert [f[:3] for f in summary(lint(budget("maxUnavailable: 0")), RULE)] == [(RULE, 7, 19)]


@pytest.mark.parametrize("value", ["1", '"10%"', '"50%"'])
def test_max_unavailable_above_zero_is_clean(lint, value):
    # a percentage of maxUnavailable rounds up too: 10% of 2 pods lets 1 go
    assert summary(lint(stream(budget(f"maxUnavailable: {value}"), workload("replicas: 2"))), RULE) == []


@pytest.mark.parametrize("value", ['"100%"', "100%"])
def test_min_available_100_percent_is_reported_whatever_the_replicas(lint, value):
    message = ("PodDisruptionBudget checkout allows no eviction: minAvailable 100% keeps every selected pod; a node "
               "drain will hang")
    report = lint(stream(budget(f"minAvailable: {value}"), workload("replicas: 5")))
    assert summary(report, RULE) == [(RULE, 7, 17, message)]
    assert report.findings[0].related == ()
    assert summary(lint(budget(f"minAvailable: {value}")), RULE) == [(RULE, 7, 17, message)]


def test_percentages_round_up_as_the_disruption_controller_does(lint):
    # 67% of 3 is 2.01 pods, rounded up to 3: every pod must stay
    report = lint(stream(budget('minAvailable: "67%"'), workload("replicas: 3")))
    assert summary(report, RULE) == [(
        RULE, 7, 17,
        "PodDisruptionBudget checkout allows no eviction: minAvailable 67% of 3 rounds up to 3, which equals the 3 "
        "replicas of Deployment checkout; a node drain will hang",
    )]
    assert related(report) == [("manifest.yaml", 17, 3, "Deployment", "checkout", "the pods the budget selects")]
    # 50% of 3 is 1.5, rounded up to 2: one pod may go
    assert summary(lint(stream(budget('minAvailable: "50%"'), workload("replicas: 3"))), RULE) == []
    # 51% of 1 rounds up to the only pod
    assert summary(lint(stream(budget('minAvailable: "51%"'), workload(replicas=""))), RULE) == [(
        RULE, 7, 17,
        "PodDisruptionBudget checkout allows no eviction: minAvailable 51% of 1 rounds up to 1, which equals the 1 "
        "replica of Deployment checkout; a node drain will hang",
    )]
    # 0% never blocks, 99% of 100 leaves one pod to evict
    assert summary(lint(stream(budget('minAvailable: "0%"'), workload("replicas: 1"))), RULE) == []
    assert summary(lint(stream(budget('minAvailable: "99%"'), workload("replicas: 100"))), RULE) == []


def test_both_fields_or_values_of_the_wrong_type_are_left_to_other_checks(lint):
    # the API server rejects a budget that sets both; strings that are not percentages and booleans are schema errors
    both = stream(budget("maxUnavailable: 0\n  minAvailable: 1"), workload("replicas: 1"))
    assert summary(lint(both), RULE) == []
    for value in ('"2"', "true", "2.5"):
        assert summary(lint(stream(budget(f"minAvailable: {value}"), workload("replicas: 2"))), RULE) == [], value
    # a replica count that is not a number is not counted either
    assert summary(lint(stream(budget("minAvailable: 2"), workload("replicas: two"))), RULE) == []


def test_budgets_of_other_groups_are_not_checked(lint):
    report = lint(stream(budget("maxUnavailable: 0").replace("policy/v1", "example.com/v1"), workload()))
    assert summary(report, RULE) == []


# --- HorizontalPodAutoscalers -----------------------------------------------------------------------------------


def test_autoscaler_min_replicas_is_the_floor(lint):
    # five replicas now, but the autoscaler may scale the Deployment down to two
    report = lint(stream(budget("minAvailable: 2"), workload("replicas: 5"), autoscaler("minReplicas: 2")))
    assert summary(report, RULE) == [(
        RULE, 7, 17,
        "PodDisruptionBudget checkout allows no eviction: minAvailable 2 equals the 2 replicas its "
        "HorizontalPodAutoscaler may scale Deployment checkout down to; a node drain will hang",
    )]
    assert related(report) == [
        ("manifest.yaml", 17, 3, "Deployment", "checkout", "the pods the budget selects"),
        ("manifest.yaml", 33, 3, "HorizontalPodAutoscaler", "checkout", "the fewest replicas it scales to"),
    ]


def test_autoscaler_keeping_more_replicas_than_the_budget_is_clean(lint):
    # spec.replicas says 2, but the autoscaler never goes below 3
    report = lint(stream(budget("minAvailable: 2"), workload("replicas: 2"), autoscaler("minReplicas: 3")))
    assert summary(report, RULE) == []
    report = lint(stream(budget('minAvailable: "50%"'), workload(replicas=""), autoscaler("minReplicas: 3")))
    assert summary(report, RULE) == []


def test_autoscaler_min_replicas_defaults_to_one(lint):
    report = lint(stream(budget("minAvailable: 1"), workload("replicas: 4"), autoscaler(min_replicas="")))
    assert summary(report, RULE) == [(
        RULE, 7, 17,
        "PodDisruptionBudget checkout allows no eviction: minAvailable 1 equals the 1 replica its "
        "HorizontalPodAutoscaler may scale Deployment checkout down to; a node drain will hang",
    )]
    # no minReplicas to point at: the autoscaler's spec
    assert related(report)[1] == ("manifest.yaml", 31, 1, "HorizontalPodAutoscaler", "checkout",
                                  "the fewest replicas it scales to")


def test_autoscaler_percentage(lint):
    report = lint(stream(budget('minAvailable: "75%"'), workload("replicas: 8"), autoscaler("minReplicas: 2")))
    assert summary(report, RULE) == [(
        RULE, 7, 17,
        "PodDisruptionBudget checkout allows no eviction: minAvailable 75% of 2 rounds up to 2, which equals the 2 "
        "replicas its HorizontalPodAutoscaler may scale Deployment checkout down to; a node drain will hang",
    )]


def test_autoscaler_of_a_statefulset(lint):
    report = lint(stream(budget("minAvailable: 3"), workload("replicas: 5", kind="StatefulSet"),
                         autoscaler("minReplicas: 3", kind="StatefulSet")))
    assert [f[3] for f in summary(report, RULE)] == [
        "PodDisruptionBudget checkout allows no eviction: minAvailable 3 equals the 3 replicas its "
        "HorizontalPodAutoscaler may scale StatefulSet checkout down to; a node drain will hang"]


def test_the_lowest_of_several_autoscalers_counts(lint):
    second = autoscaler("minReplicas: 2").replace("name: checkout\n", "name: checkout-b\n", 1)
    report = lint(stream(budget("minAvailable: 2"), workload("replicas: 5"), autoscaler("minReplicas: 4"), second))
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 7, 17)]
    assert related(report)[1][3:5] == ("HorizontalPodAutoscaler", "checkout-b")


def test_autoscalers_of_other_workloads_or_namespaces_do_not_count(lint):
    clean = [
        autoscaler("minReplicas: 1", target="other"),  # another Deployment
        autoscaler("minReplicas: 1", kind="StatefulSet"),  # another kind with the same name
        autoscaler("minReplicas: 1", namespace="namespace: staging"),  # another namespace
    ]
    for hpa in clean:
        assert summary(lint(stream(budget("minAvailable: 2"), workload("replicas: 3"), hpa)), RULE) == [], hpa


def test_autoscaler_given_as_context_counts(lint):
    report = lint({"pdb.yaml": budget("minAvailable: 2"), "deploy.yaml": workload("replicas: 5")},
                  context={"hpa.yaml": autoscaler("minReplicas: 2")})
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 7, 17)]
    assert [(r.file, r.line, r.object["kind"]) for r in report.findings[0].related] == [
        ("deploy.yaml", 7, "Deployment"), ("hpa.yaml", 8, "HorizontalPodAutoscaler")]


# --- workloads whose pods are not counted -----------------------------------------------------------------------

DAEMONSET = """
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: checkout}
spec:
  selector: {matchLabels: {app: checkout}}
  template:
    metadata: {labels: {app: checkout}}
    spec: {containers: [{name: checkout, image: nginx:1.27}]}
"""

JOB = """
apiVersion: batch/v1
kind: Job
metadata: {name: checkout}
spec:
  template:
    metadata: {labels: {app: checkout}}
    spec:
      restartPolicy: Never
      containers: [{name: checkout, image: nginx:1.27}]
"""

CRONJOB = """
apiVersion: batch/v1
kind: CronJob
metadata: {name: checkout}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: checkout}}
        spec:
          restartPolicy: Never
          containers: [{name: checkout, image: nginx:1.27}]
"""


@pytest.mark.parametrize("pods", [DAEMONSET, JOB, CRONJOB], ids=["DaemonSet", "Job", "CronJob"])
def test_integer_min_available_over_uncounted_pods_is_not_judged(lint, pods):
    # a DaemonSet runs a pod per node, Jobs run pods that finish: how many there are is not known
    assert summary(lint(stream(budget("minAvailable: 1"), pods)), RULE) == []
    assert summary(lint(stream(budget("minAvailable: 5"), pods)), RULE) == []


@pytest.mark.parametrize("pods", [DAEMONSET, JOB], ids=["DaemonSet", "Job"])
def test_zero_max_unavailable_and_full_min_available_over_uncounted_pods_are_reported(lint, pods):
    assert [f[:3] for f in summary(lint(stream(budget("maxUnavailable: 0"), pods)), RULE)] == [(RULE, 7, 19)]
    assert [f[:3] for f in summary(lint(stream(budget('minAvailable: "100%"'), pods)), RULE)] == [(RULE, 7, 17)]


@pytest.mark.parametrize("spec, column", [("maxUnavailable: 1", 19), ('maxUnavailable: "50%"', 19),
                                          ('minAvailable: "50%"', 17)])
@pytest.mark.parametrize("pods", [DAEMONSET, JOB], ids=["DaemonSet", "Job"])
def test_max_unavailable_or_a_percentage_over_pods_without_a_scale_subresource_blocks(lint, pods, spec, column):
    # The disruption controller needs the scale of the pods' controller for maxUnavailable and for a percentage
    # of minAvailable; DaemonSets and Jobs have no scale subresource, so its sync fails ("daemonsets.apps does not
    # implement the scale subresource") and failSafe sets disruptionsAllowed to 0: no pod can ever be evicted
    # (pkg/controller/disruption/disruption.go, getScaleController and failSafe; the "Arbitrary workloads and
    # arbitrary selectors" section of kubernetes.io/docs/tasks/run-application/configure-pdb/).
    report = lint(stream(budget(spec), pods))
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 7, column)]


def test_one_uncounted_workload_among_several_leaves_the_count_unknown(lint):
    report = lint(stream(budget("minAvailable: 2"), workload("replicas: 1"), DAEMONSET.replace("name: checkout",
                                                                                            "name: agent")))
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
    alone = stream(budget("minAvailable: 1"), workload("replicas: 1"))
    assert [f[:3] for f in summary(lint(alone, operator_pods=declared), RULE)] == [(RULE, 7, 17)]
    assert summary(lint(alone + "---\n" + textwrap.dedent(cache), operator_pods=declared), RULE) == []
    report = lint(stream(budget("maxUnavailable: 0"), cache), operator_pods=declared)
    assert [(f.rule, f.severity, f.line, f.column) for f in report.findings if f.rule == RULE] == [
        (RULE, "warning", 7, 19)]


def test_pods_only_possibly_selected_are_not_counted(lint):
    # pod-template-hash is added by the Deployment controller: whether it is 5d4f7c9b8 is not known
    report = lint(stream("""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: pinned}
        spec:
          minAvailable: 1
          selector:
            matchLabels: {app: checkout, pod-template-hash: 5d4f7c9b8}
    """, workload("replicas: 1")))
    assert summary(report, RULE) == []


# --- several workloads and selectors ----------------------------------------------------------------------------


def test_several_selected_workloads_are_added_up(lint):
    report = lint(stream("""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: shop}
        spec:
          minAvailable: 4
          selector:
            matchLabels: {part-of: shop}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web, part-of: shop}}
            spec: {containers: [{name: web, image: nginx:1.27}]}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db, part-of: shop}}
            spec: {containers: [{name: db, image: postgres:16}]}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 3
          maxReplicas: 6
    """))
    assert summary(report, RULE) == [(
        RULE, 5, 17,
        "PodDisruptionBudget shop allows no eviction: minAvailable 4 equals the 4 replicas of Deployment web "
        "(3, its HorizontalPodAutoscaler's minimum) and StatefulSet db (1); a node drain will hang",
    )]
    assert related(report) == [
        ("manifest.yaml", 13, 3, "Deployment", "web", "the pods the budget selects"),
        ("manifest.yaml", 34, 3, "HorizontalPodAutoscaler", "web", "the fewest replicas it scales to"),
        ("manifest.yaml", 26, 16, "StatefulSet", "db", "the pods the budget selects"),
    ]


def test_three_workloads_and_a_budget_that_leaves_room(lint):
    documents = [f"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {{name: {name}}}
        spec:
          replicas: {replicas}
          selector: {{matchLabels: {{app: {name}}}}}
          template:
            metadata: {{labels: {{app: {name}, part-of: shop}}}}
            spec: {{containers: [{{name: {name}, image: nginx:1.27}}]}}
    """ for name, replicas in (("a", 1), ("b", 2), ("c", 1))]
    pdb = """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: shop}
        spec:
          minAvailable: %s
          selector: {matchLabels: {part-of: shop}}
    """
    report = lint(stream(pdb % '"80%"', *documents))
    assert summary(report, RULE) == [(
        RULE, 5, 17,
        "PodDisruptionBudget shop allows no eviction: minAvailable 80% of 4 rounds up to 4, which equals the 4 "
        "replicas of Deployment a (1), Deployment b (2) and Deployment c (1); a node drain will hang",
    )]
    assert summary(lint(stream(pdb % "3", *documents)), RULE) == []
    assert summary(lint(stream(pdb % '"75%"', *documents)), RULE) == []


def test_match_expressions_choose_the_workloads_counted(lint):
    def deployment(name, labels):
        return f"""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {{name: {name}}}
            spec:
              replicas: 1
              selector: {{matchLabels: {{app: {name}}}}}
              template:
                metadata: {{labels: {labels}}}
                spec: {{containers: [{{name: c, image: nginx:1.27}}]}}
        """

    pdb = """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: shop}
        spec:
          minAvailable: %d
          selector:
            matchExpressions:
              - {key: app, operator: In, values: [web, api]}
              - {key: track, operator: NotIn, values: [canary]}
              - {key: tier, operator: Exists}
              - {key: legacy, operator: DoesNotExist}
    """
    workloads = [
        deployment("web", "{app: web, tier: front}"),
        deployment("api", "{app: api, tier: back, track: stable}"),
        deployment("web-canary", "{app: web, tier: front, track: canary}"),  # NotIn excludes it
        deployment("api-old", "{app: api, tier: back, legacy: 'true'}"),  # DoesNotExist excludes it
        deployment("worker", "{app: api}"),  # no tier: Exists excludes it
        deployment("db", "{app: db, tier: data}"),  # In excludes it
    ]
    report = lint(stream(pdb % 2, *workloads))
    assert summary(report, RULE) == [(
        RULE, 5, 17,
        "PodDisruptionBudget shop allows no eviction: minAvailable 2 equals the 2 replicas of Deployment web (1) "
        "and Deployment api (1); a node drain will hang",
    )]
    assert [r[3:5] for r in related(report)] == [("Deployment", "web"), ("Deployment", "api")]
    assert summary(lint(stream(pdb % 1, *workloads)), RULE) == []


def test_policy_v1_empty_selector_counts_every_workload_of_the_namespace(lint):
    pdb = """
        apiVersion: {api_version}
        kind: PodDisruptionBudget
        metadata: {{name: everything}}
        spec:
          minAvailable: 3
          selector: {{}}
    """
    other = workload("replicas: 1").replace("checkout", "cart")
    report = lint(stream(pdb.format(api_version="policy/v1"), workload("replicas: 2"), other))
    assert summary(report, RULE) == [(
        RULE, 5, 17,
        "PodDisruptionBudget everything allows no eviction: minAvailable 3 equals the 3 replicas of Deployment "
        "checkout (2) and Deployment cart (1); a node drain will hang",
    )]
    # an empty selector in policy/v1beta1 selects no pods
    report = lint(stream(pdb.format(api_version="policy/v1beta1"), workload("replicas: 2"), other))
    assert summary(report, RULE) == []
    # and without any workload in the namespace the count is not known
    assert summary(lint(pdb.format(api_version="policy/v1")), RULE) == []


def test_policy_v1beta1_budgets_with_a_selector_are_checked(lint):
    report = lint(stream(budget("minAvailable: 2").replace("policy/v1", "policy/v1beta1"), workload("replicas: 2")))
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 7, 17)]


def test_budget_without_a_selector_selects_nothing(lint):
    report = lint(stream("""
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: checkout}
        spec:
          minAvailable: 2
    """, workload("replicas: 2")))
    assert summary(report, RULE) == []


# --- namespaces ---------------------------------------------------------------------------------------------------


def test_namespaces_are_compared_after_defaulting(lint):
    shop = "namespace: shop"
    same = stream(budget(namespace=shop), workload(namespace=shop))
    assert [f[:3] for f in summary(lint(same), RULE)] == [(RULE, 7, 17)]
    explicit_default = stream(budget(namespace="namespace: default"), workload())
    assert [f[:3] for f in summary(lint(explicit_default), RULE)] == [(RULE, 7, 17)]
    both_defaulted = stream(budget(), workload())
    assert [f[:3] for f in summary(lint(both_defaulted, namespace="shop"), RULE)] == [(RULE, 7, 17)]
    assert lint(both_defaulted, namespace="shop").findings[0].object["namespace"] == "shop"
    # the Deployment is in another namespace: the budget selects no pod seen here
    assert summary(lint(stream(budget(namespace=shop), workload())), RULE) == []
    assert summary(lint(stream(budget(), workload(namespace=shop))), RULE) == []
    # the namespace setting moves the defaulted Deployment away from the budget in `default`
    assert summary(lint(explicit_default, namespace="shop"), RULE) == []


# --- Lists, anchors, files and context ----------------------------------------------------------------------------


def test_objects_inside_a_list(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: checkout}
            spec:
              minAvailable: 2
              selector: {matchLabels: {app: checkout}}
          - apiVersion: apps/v1
            kind: Deployment
            metadata: {name: checkout}
            spec:
              replicas: 2
              selector: {matchLabels: {app: checkout}}
              template:
                metadata: {labels: {app: checkout}}
                spec: {containers: [{name: checkout, image: nginx:1.27}]}
    """)
    assert summary(report, RULE) == [(
        RULE, 8, 21,
        "PodDisruptionBudget checkout allows no eviction: minAvailable 2 equals the 2 replicas of Deployment "
        "checkout; a node drain will hang",
    )]
    assert related(report) == [("manifest.yaml", 14, 7, "Deployment", "checkout", "the pods the budget selects")]


def test_anchors_and_merge_keys_supply_labels_and_counts(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: apps/v1
            kind: Deployment
            metadata: {name: checkout}
            spec:
              replicas: &count 2
              selector:
                matchLabels: &labels {app: checkout}
              template:
                metadata:
                  labels:
                    <<: *labels
                    tier: web
                spec: {containers: [{name: checkout, image: nginx:1.27}]}
          - apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: checkout}
            spec:
              minAvailable: *count
              selector:
                matchLabels: *labels
    """)
    # a value written as an alias has its anchor's position (kubecheck.loader)
    assert summary(report, RULE) == [(
        RULE, 8, 17,
        "PodDisruptionBudget checkout allows no eviction: minAvailable 2 equals the 2 replicas of Deployment "
        "checkout; a node drain will hang",
    )]
    assert report.findings[0].object["kind"] == "PodDisruptionBudget"
    assert related(report) == [("manifest.yaml", 8, 7, "Deployment", "checkout", "the pods the budget selects")]


def test_merge_key_labels_that_differ_select_nothing(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: apps/v1
            kind: Deployment
            metadata: {name: checkout}
            spec:
              replicas: 2
              selector: {matchLabels: {app: checkout}}
              template:
                metadata:
                  labels:
                    <<: &labels {app: checkout}
                    app: cart
                spec: {containers: [{name: checkout, image: nginx:1.27}]}
          - apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: checkout}
            spec:
              minAvailable: 2
              selector: {matchLabels: *labels}
    """)
    # keys written next to a merge key override the merged ones: the pods are labelled app=cart
    assert summary(report, RULE) == []


def test_objects_in_separate_files(lint):
    report = lint({"pdb.yaml": budget("minAvailable: 2"), "deploy.yaml": workload("replicas: 2")})
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 7, 17)]
    assert report.findings[0].file == "pdb.yaml"
    assert related(report) == [("deploy.yaml", 7, 3, "Deployment", "checkout", "the pods the budget selects")]


def test_workloads_given_as_context_count_but_context_budgets_are_not_reported(lint):
    report = lint({"pdb.yaml": budget("minAvailable: 2")}, context={"deploy.yaml": workload("replicas: 2")})
    assert [(f.file, f.line, f.column) for f in report.findings if f.rule == RULE] == [("pdb.yaml", 7, 17)]
    assert related(report)[0][:2] == ("deploy.yaml", 7)
    report = lint({"deploy.yaml": workload("replicas: 2")}, context={"pdb.yaml": budget("minAvailable: 2")})
    assert summary(report, RULE) == []
    report = lint({"deploy.yaml": workload("replicas: 2")}, context={"pdb.yaml": budget("maxUnavailable: 0")})
    assert summary(report, RULE) == []


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
