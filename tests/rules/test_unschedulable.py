"""unschedulable: with a node inventory (`nodes=`), a pod template no declared node admits, or whose replicas
cannot all be placed. Messages are the kube-scheduler's FitError ("0/N nodes are available: ...", reasons
sorted as strings), counting nodes, not pools."""

import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules.budget_fixtures import as_list, stream
from support import summary

RULE = "unschedulable"
CONTAINERS = "containers: [{name: app, image: app:1}]"
SELECTOR = "selector: {{matchLabels: {{app: {name}}}}}"
HEADS = {  # kind -> (apiVersion, spec lines 5 and 6)
    "Deployment": ("apps/v1", "replicas: {replicas}", SELECTOR),
    "ReplicaSet": ("apps/v1", "replicas: {replicas}", SELECTOR),
    "StatefulSet": ("apps/v1", "replicas: {replicas}", SELECTOR),
    "DaemonSet": ("apps/v1", "minReadySeconds: 0", SELECTOR),
    "Job": ("batch/v1", "backoffLimit: 0", "completions: 1"),
}
#: Where the first line of the pod spec is (the line after `spec:`), and where that `spec:` key is.
SPEC_AT = {"Pod": ((5, 3), (4, 1)), "CronJob": ((10, 11), (9, 9))}
DEFAULT_SPEC_AT = ((10, 7), (9, 5))


def pods(spec: str = "", kind: str = "Deployment", name: str = "api", replicas: int = 1, namespace: str = "") -> str:
    """A `kind` whose pods carry app=<name>; `spec` (dedented) is the pod spec from its first line on, at line 10,
    column 7 (a Pod: line 5, column 3; a CronJob: line 10, column 11), followed by a default container when it
    names none (and `restartPolicy: Never` for Jobs)."""
    lines = textwrap.dedent(spec).strip("\n").splitlines() if spec.strip() else []
    if not any(line.startswith("containers:") for line in lines):
        lines.append(CONTAINERS)
    if kind in ("Job", "CronJob"):
        lines.append("restartPolicy: Never")
    metadata = f"{{name: {name}{f', namespace: {namespace}' if namespace else ''}"
    if kind == "Pod":
        head = ["apiVersion: v1", "kind: Pod", f"metadata: {metadata}, labels: {{app: {name}}}}}", "spec:"]
        return "\n".join(head + ["  " + line for line in lines]) + "\n"
    if kind == "CronJob":
        head = ["apiVersion: batch/v1", "kind: CronJob", f"metadata: {metadata}}}", "spec:", '  schedule: "0 3 * * *"',
                "  jobTemplate:", "    spec:", "      template:", "        spec:"]
        return "\n".join(head + ["          " + line for line in lines]) + "\n"
    api_version, fifth, sixth = HEADS[kind]
    head = [f"apiVersion: {api_version}", f"kind: {kind}", f"metadata: {metadata}}}", "spec:",
            "  " + fifth.format(replicas=replicas, name=name), "  " + sixth.format(name=name), "  template:",
            f"    metadata: {{labels: {{app: {name}}}}}", "    spec:"]
    tail = ["  serviceName: api"] if kind == "StatefulSet" else []
    return "\n".join(head + ["      " + line for line in lines] + tail) + "\n"


def autoscaler(min_replicas: int, target: str = "api") -> str:
    return (f"apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {{name: {target}}}\nspec:\n"
            f"  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {target}}}\n"
            f"  minReplicas: {min_replicas}\n  maxReplicas: 10\n")


# --- node inventories -----------------------------------------------------------------------------------------


def pool(name: str, count: int = 1, **fields: str) -> str:
    """`{name: <name>, count: <count>, <field>: <value>, ...}`, the values as YAML."""
    return "{" + ", ".join([f"name: {name}", f"count: {count}", *(f"{k}: {v}" for k, v in fields.items())]) + "}"


def inventory(*pools: str) -> str:
    """A NodeInventory lab whose pool i (from 0) is line 5 + i, column 5."""
    return "apiVersion: kubecheck.io/v1\nkind: NodeInventory\nmetadata: {name: lab}\npools:\n" + "".join(
        f"  - {item}\n" for item in pools)


def node(name: str, labels: str = "", taints: str = "", allocatable: str = "", unschedulable: bool = False) -> str:
    """A Node as one flow mapping."""
    spec = [f"taints: {taints}"] if taints else []
    spec += ["unschedulable: true"] if unschedulable else []
    fields = ["apiVersion: v1", "kind: Node", f"metadata: {{name: {name}{f', labels: {labels}' if labels else ''}}}",
              *([f"spec: {{{', '.join(spec)}}}"] if spec else []),
              *([f"status: {{allocatable: {allocatable}}}"] if allocatable else [])]
    return "{" + ", ".join(fields) + "}"


def node_list(*nodes: str, kind: str = "NodeList") -> str:
    """A NodeList (or List) whose node i (from 0) is line 4 + i, column 5."""
    return f"apiVersion: v1\nkind: {kind}\nitems:\n" + "".join(f"  - {item}\n" for item in nodes)


@pytest.fixture
def schedule(lint, tmp_path):
    """schedule(manifest, *inventories, **settings) -> Report: `manifest` checked against the inventory files
    nodes.yaml, nodes2.yaml, ... written from `inventories`."""

    def run(manifest, *inventories, **options):
        names = []
        for position, text in enumerate(inventories, 1):
            names.append("nodes.yaml" if position == 1 else f"nodes{position}.yaml")
            (tmp_path / names[-1]).write_text(text, encoding="utf-8")
        report = lint(manifest, nodes=tuple(names), **options)
        # a fixture the API server would reject proves nothing: every test's manifests are well-formed
        assert [f for f in summary(report) if f[0] in ("yaml-syntax", "duplicate-key", "not-an-object", "schema")] \
            == []
        return report

    return run


def found(report) -> list:
    return [finding for finding in report.findings if finding.rule == RULE]


def related(finding) -> list[tuple]:
    return [(r.file, r.line, r.column, r.message) for r in finding.related]


def fit_error(*reasons: str) -> str:
    """The scheduler's message when each node fails for one of `reasons` ("<count> <reason>", in order)."""
    return scheduler(sum(int(reason.split()[0]) for reason in reasons), *reasons)


def scheduler(total: int, *reasons: str) -> str:
    return f"0/{total} nodes are available: {', '.join(reasons)}."


GPU_TAINT = "node(s) had untolerated taint {hw-type: gpu}"
NO_MATCH = "node(s) didn't match Pod's node affinity/selector"
CORDONED = "node(s) were unschedulable"
WRONG_NAME = "node(s) didn't match the requested node name"

#: 9 nodes: 6 general ones (line 5), 2 tainted GPU ones (line 6), 1 cordoned one (line 7).
CLUSTER = inventory(
    pool("general", 6, labels="{pool: general}", allocatable='{cpu: "2", memory: 1000Mi, pods: "110"}'),
    pool("gpu", 2, labels="{pool: gpu}", taints="[{key: hw-type, value: gpu, effect: NoSchedule}]",
         allocatable='{cpu: "16", nvidia.com/gpu: "4"}'),
    pool("old", 1, labels="{pool: old}", unschedulable="true"),
)
EVERY_REASON = ("1 " + CORDONED, "2 " + GPU_TAINT)  # reasons every pod asking for general nodes gets


def general_pool(reason: str) -> tuple:
    return ("nodes.yaml", 5, 5, f"pool general (6 nodes): {reason}")


GPU_POOL = ("nodes.yaml", 6, 5, f"pool gpu (2 nodes): {GPU_TAINT}")
OLD_POOL = ("nodes.yaml", 7, 5, f"pool old (1 node): {CORDONED}")


# --- no inventory, no finding ---------------------------------------------------------------------------------


def test_without_an_inventory_nothing_is_judged(lint, schedule):
    impossible = pods("nodeSelector: {pool: nowhere}")
    assert summary(lint(impossible), RULE) == []
    assert [f[:3] for f in summary(schedule(impossible, CLUSTER), RULE)] == [(RULE, 10, 7)]


def test_pods_that_just_fit_are_clean(schedule):
    report = schedule(pods("""
        nodeSelector: {pool: general}
        containers:
          - {name: app, image: app:1, resources: {requests: {cpu: "2", memory: 1000Mi}}}
        """, replicas=6), CLUSTER)
    assert found(report) == []


# --- each filter: message, blamed field, related pools ---------------------------------------------------------


@pytest.mark.parametrize("spec, message, at, culprits", [
    pytest.param("nodeSelector: {pool: gpu}", fit_error(*EVERY_REASON, f"6 {NO_MATCH}"), (9, 5), [GPU_POOL],
                 id="untolerated-taint-without-tolerations-blames-the-pod-spec"),
    pytest.param("""
        nodeSelector: {pool: gpu}
        tolerations: [{key: hw-type, operator: Equal, value: tpu, effect: NoSchedule}]
        """, fit_error(*EVERY_REASON, f"6 {NO_MATCH}"), (11, 7), [GPU_POOL],
                 id="untolerated-taint-blames-the-tolerations"),
    pytest.param("""
        nodeSelector: {pool: gpu}
        tolerations: [{key: hw-type, operator: Equal, value: gpu, effect: PreferNoSchedule}]
        """, fit_error(*EVERY_REASON, f"6 {NO_MATCH}"), (11, 7), [GPU_POOL],
                 id="a-toleration-of-another-effect-does-not-tolerate"),
    pytest.param("nodeSelector: {pool: old}", fit_error(*EVERY_REASON, f"6 {NO_MATCH}"), (9, 5), [OLD_POOL],
                 id="cordoned-blames-the-pod-spec"),
    pytest.param("""
        nodeSelector: {pool: old}
        tolerations: [{key: hw-type, operator: Exists}]
        """, fit_error("1 " + CORDONED, f"8 {NO_MATCH}"), (11, 7), [OLD_POOL],
                 id="cordoned-blames-the-tolerations"),
    pytest.param("nodeSelector: {pool: tpu}", fit_error(*EVERY_REASON, f"6 {NO_MATCH}"), (10, 7),
                 [general_pool(NO_MATCH)], id="node-selector-matching-no-node"),
    pytest.param("""
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: In, values: [tpu]}]}]
        """, fit_error(*EVERY_REASON, f"6 {NO_MATCH}"), (12, 11), [general_pool(NO_MATCH)],
                 id="node-affinity-matching-no-node"),
    pytest.param("""
        nodeSelector: {pool: general}
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: NotIn, values: [general]}]}]
        """, fit_error(*EVERY_REASON, f"6 {NO_MATCH}"), (13, 11), [general_pool(NO_MATCH)],
                 id="node-affinity-excluding-what-the-node-selector-picks-blames-the-affinity"),
    pytest.param("""
        nodeSelector: {pool: tpu}
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: Exists}]}]
        """, fit_error(*EVERY_REASON, f"6 {NO_MATCH}"), (10, 7), [general_pool(NO_MATCH)],
                 id="node-selector-excluding-every-node-alone-blames-the-node-selector"),
    pytest.param("""
        containers:
          - name: app
            image: app:1
            resources: {requests: {cpu: "3"}}
        """, fit_error(*EVERY_REASON, "6 Insufficient cpu"), (13, 34), [general_pool("Insufficient cpu")],
                 id="insufficient-cpu-blames-the-request"),
    pytest.param("""
        nodeSelector: {pool: general}
        containers:
          - name: app
            image: app:1
            resources: {limits: {nvidia.com/gpu: 1}}
        """, fit_error(*EVERY_REASON, "6 Insufficient nvidia.com/gpu"), (14, 32),
                 [general_pool("Insufficient nvidia.com/gpu")], id="extended-resources-a-node-does-not-declare-are-0"),
])
def test_each_filter_is_reported_as_the_scheduler_reports_it(schedule, spec, message, at, culprits):
    report = schedule(pods(spec), CLUSTER)
    assert summary(report, RULE) == [(RULE, *at, f"the pods of Deployment api cannot be scheduled: {message}")]
    assert related(found(report)[0]) == culprits
    assert found(report)[0].related[0].object == {"apiVersion": "kubecheck.io/v1", "kind": "NodeInventory",
                                                  "namespace": None, "name": "lab"}


def test_a_node_failing_several_resources_counts_under_each(schedule):
    report = schedule(pods("""
        nodeSelector: {pool: general}
        containers:
          - {name: small, image: app:1, resources: {requests: {cpu: 100m, memory: 2Gi}}}
          - {name: big, image: app:1, resources: {requests: {cpu: 2500m, memory: 1Gi}}}
        """), CLUSTER)
    message = scheduler(9, *EVERY_REASON, "6 Insufficient cpu", "6 Insufficient memory")
    # the resource turning most nodes away is blamed (a tie: the one asked for first), at its largest request
    assert summary(report, RULE) == [(RULE, 13, 60, f"the pods of Deployment api cannot be scheduled: {message}")]


def test_reasons_are_sorted_as_strings_and_count_nodes(schedule):
    nodes = inventory(pool("tainted", 10, taints="[{key: team, value: ml, effect: NoExecute}]"),
                      pool("plain", 2, labels="{disk: hdd}"))
    report = schedule(pods("nodeSelector: {disk: ssd}"), nodes)
    # "10 ..." sorts before "2 ...", as sort.Strings sorts the scheduler's histogram
    assert summary(report, RULE) == [(RULE, 10, 7, "the pods of Deployment api cannot be scheduled: 0/12 nodes are "
                                                   "available: 10 node(s) had untolerated taint {team: ml}, 2 node(s) "
                                                   "didn't match Pod's node affinity/selector.")]
    assert related(found(report)[0]) == [("nodes.yaml", 6, 5, f"pool plain (2 nodes): {NO_MATCH}")]


def test_the_first_untolerated_blocking_taint_of_a_node_is_named(schedule):
    taints = ("[{key: soft, value: a, effect: PreferNoSchedule}, {key: known, value: b, effect: NoSchedule}, "
              "{key: evict, value: c, effect: NoExecute}, {key: later, value: d, effect: NoSchedule}]")
    report = schedule(pods("tolerations: [{key: known, operator: Exists}]"), inventory(pool("busy", 3, taints=taints)))
    assert summary(report, RULE) == [(RULE, 10, 7, "the pods of Deployment api cannot be scheduled: 0/3 nodes are "
                                                   "available: 3 node(s) had untolerated taint {evict: c}.")]


@pytest.mark.parametrize("toleration", [
    "{operator: Exists}",
    "{key: hw-type, operator: Exists}",
    "{key: hw-type, operator: Exists, effect: NoSchedule}",
    "{key: hw-type, value: gpu}",
    "{key: hw-type, operator: Equal, value: gpu, effect: NoSchedule}",
])
def test_tolerations_that_tolerate_the_taint(schedule, toleration):
    report = schedule(pods(f"nodeSelector: {{pool: gpu}}\ntolerations: [{toleration}]"), CLUSTER)
    assert found(report) == []


def test_prefer_no_schedule_taints_never_block(schedule):
    nodes = inventory(pool("soft", 2, taints="[{key: spot, value: 'yes', effect: PreferNoSchedule}]"))
    assert found(schedule(pods(), nodes)) == []


def test_too_many_pods_blames_the_pod_spec(schedule):
    report = schedule(pods(), inventory(pool("full", 4, allocatable='{pods: "0"}')))
    assert summary(report, RULE) == [(RULE, 9, 5, "the pods of Deployment api cannot be scheduled: 0/4 nodes are "
                                                  "available: 4 Too many pods.")]
    assert related(found(report)[0]) == [("nodes.yaml", 5, 5, "pool full (4 nodes): Too many pods")]


def test_at_most_three_culprits_are_related(schedule):
    nodes = node_list(*(node(f"n{i}", labels="{disk: hdd}") for i in range(1, 6)))
    report = schedule(pods("nodeSelector: {disk: ssd}"), nodes)
    assert summary(report, RULE) == [(RULE, 10, 7, "the pods of Deployment api cannot be scheduled: "
                                                   f"{fit_error('5 ' + NO_MATCH)}")]
    assert related(found(report)[0]) == [("nodes.yaml", line, 5, NO_MATCH) for line in (4, 5, 6)]


def test_a_tie_between_filters_goes_to_the_earliest_filter(schedule):
    # 3 nodes turned away by a taint (listed first), 3 by a cordon: the cordon is the earlier filter
    nodes = inventory(pool("pressure", 3, taints="[{key: team, value: ml, effect: NoSchedule}]"),
                      pool("cordoned", 3, unschedulable="true"))
    report = schedule(pods(), nodes)
    assert summary(report, RULE) == [(RULE, 9, 5, "the pods of Deployment api cannot be scheduled: 0/6 nodes are "
                                                  "available: 3 node(s) had untolerated taint {team: ml}, 3 node(s) "
                                                  "were unschedulable.")]
    assert related(found(report)[0]) == [("nodes.yaml", 6, 5, f"pool cordoned (3 nodes): {CORDONED}")]


# --- nodeName: the kubelet admits the pod ---------------------------------------------------------------------

#: n1 cordoned (line 4), n2 with a NoSchedule taint (line 5), n3 with a NoExecute one (line 6).
NAMED = node_list(node("n1", unschedulable=True),
                  node("n2", taints="[{key: dedicated, value: db, effect: NoSchedule}]"),
                  node("n3", taints="[{key: maintenance, value: 'true', effect: NoExecute}]"))


def test_a_node_name_no_node_has_blames_its_value(schedule):
    report = schedule(pods("nodeName: ghost"), NAMED)
    assert summary(report, RULE) == [(RULE, 10, 17, "the pods of Deployment api cannot be scheduled: "
                                                    f"{fit_error('3 ' + WRONG_NAME)}")]
    assert related(found(report)[0]) == [("nodes.yaml", line, 5, WRONG_NAME) for line in (4, 5, 6)]
    assert [r.object["name"] for r in found(report)[0].related] == ["n1", "n2", "n3"]


@pytest.mark.parametrize("name", ["n1", "n2"])
def test_a_named_node_admits_the_pod_whether_cordoned_or_no_schedule_tainted(schedule, name):
    assert found(schedule(pods(f"nodeName: {name}"), NAMED)) == []


def test_a_named_node_with_an_untolerated_no_execute_taint_rejects_the_pod(schedule):
    report = schedule(pods("nodeName: n3"), NAMED)
    message = fit_error("1 node(s) had untolerated taint {maintenance: true}", "2 " + WRONG_NAME)
    assert summary(report, RULE) == [(RULE, 9, 5, f"the pods of Deployment api cannot be scheduled: {message}")]
    assert related(found(report)[0]) == [("nodes.yaml", 6, 5, "node(s) had untolerated taint {maintenance: true}")]
    assert found(schedule(pods("nodeName: n3\ntolerations: [{key: maintenance, operator: Exists}]"), NAMED)) == []


def test_pool_nodes_get_the_benefit_of_the_doubt_on_node_names(schedule):
    assert found(schedule(pods("nodeName: whatever"), CLUSTER)) == []
    hostname = pods("nodeSelector: {kubernetes.io/hostname: ip-10-0-0-1, pool: general}")
    assert found(schedule(hostname, CLUSTER)) == []


# --- inventory formats ------------------------------------------------------------------------------------------


def ssd(name: str) -> str:
    return node(name, labels="{disk: ssd}", allocatable='{cpu: "1"}')


def hdd(name: str) -> str:
    return node(name, labels="{disk: hdd}", allocatable='{cpu: "8"}')


SSD_POOL = pool("ssd", 3, labels="{disk: ssd}", allocatable='{cpu: "1"}')
TOO_SMALL = "Insufficient cpu"


@pytest.mark.parametrize("inventories, culprits", [
    pytest.param([inventory(SSD_POOL, pool("hdd", 2, labels="{disk: hdd}", allocatable='{cpu: "8"}'))],
                 [("nodes.yaml", 5, 5, f"pool ssd (3 nodes): {TOO_SMALL}")], id="node-inventory"),
    pytest.param([node_list(ssd("a"), ssd("b"), ssd("c"), hdd("d"), hdd("e"))],
                 [("nodes.yaml", line, 5, TOO_SMALL) for line in (4, 5, 6)], id="node-list"),
    pytest.param([node_list(hdd("d"), ssd("a"), hdd("e"), ssd("b"), ssd("c"), kind="List")],
                 [("nodes.yaml", line, 5, TOO_SMALL) for line in (5, 7, 8)], id="list"),
    pytest.param([stream(ssd("a"), ssd("b"), ssd("c"), hdd("d"), hdd("e"))],
                 [("nodes.yaml", line, 1, TOO_SMALL) for line in (1, 3, 5)], id="node-documents"),
    pytest.param([inventory(SSD_POOL), node_list(hdd("d"), hdd("e"))],
                 [("nodes.yaml", 5, 5, f"pool ssd (3 nodes): {TOO_SMALL}")], id="two-files-mixed"),
])
def test_both_inventory_formats_count_nodes_and_relate_them(schedule, inventories, culprits):
    report = schedule(pods("""
        nodeSelector: {disk: ssd}
        containers:
          - name: app
            image: app:1
            resources: {requests: {cpu: "2"}}
        """), *inventories)
    message = scheduler(5, f"2 {NO_MATCH}", f"3 {TOO_SMALL}")
    assert summary(report, RULE) == [(RULE, 14, 34, f"the pods of Deployment api cannot be scheduled: {message}")]
    assert related(found(report)[0]) == culprits


# --- kinds ------------------------------------------------------------------------------------------------------

NOWHERE = "nodeSelector: {pool: tpu}"


@pytest.mark.parametrize("kind, opening", [
    ("Deployment", "the pods of Deployment api cannot be scheduled"),
    ("ReplicaSet", "the pods of ReplicaSet api cannot be scheduled"),
    ("StatefulSet", "the pods of StatefulSet api cannot be scheduled"),
    ("Job", "the pods of Job api cannot be scheduled"),
    ("CronJob", "the pods of CronJob api cannot be scheduled"),
    ("Pod", "Pod api cannot be scheduled"),
    ("DaemonSet", "DaemonSet api runs on no node"),
])
def test_every_kind_with_a_pod_template(schedule, kind, opening):
    (line, column), _ = SPEC_AT.get(kind, DEFAULT_SPEC_AT)
    report = schedule(pods(NOWHERE, kind), CLUSTER)
    # a DaemonSet's pods tolerate the cordon: the cordoned node no longer counts as unschedulable
    message = fit_error(*EVERY_REASON, f"6 {NO_MATCH}") if kind != "DaemonSet" else fit_error(f"2 {GPU_TAINT}",
                                                                                               f"7 {NO_MATCH}")
    assert summary(report, RULE) == [(RULE, line, column, f"{opening}: {message}")]


def test_items_of_a_list(schedule):
    report = schedule(as_list(pods(NOWHERE, "Pod"), pods(kind="Pod", name="fine")), CLUSTER)
    # the List moves a document 3 lines down and 4 columns right
    message = fit_error(*EVERY_REASON, f"6 {NO_MATCH}")
    assert summary(report, RULE) == [(RULE, 8, 7, f"Pod api cannot be scheduled: {message}")]
    assert found(report)[0].path == "/spec/nodeSelector"


def test_anchors_and_merge_keys_are_resolved(schedule):
    report = schedule(pods("""
        containers:
          - &base
            name: app
            image: app:1
            resources: {requests: {cpu: 1500m}}
          - <<: *base
            name: copy
        nodeSelector: {pool: general}
        """), CLUSTER)
    # the copy asks for 1500m too: 3 CPUs in all, on 2-CPU nodes; the first of the equal requests is blamed
    message = fit_error(*EVERY_REASON, "6 Insufficient cpu")
    assert summary(report, RULE) == [(RULE, 14, 34, f"the pods of Deployment api cannot be scheduled: {message}")]
    assert found(schedule(pods("""
        containers:
          - &base
            name: app
            image: app:1
            resources: {requests: {cpu: 1000m}}
          - <<: *base
            name: copy
        nodeSelector: {pool: general}
        """), CLUSTER)) == []


# --- DaemonSets ---------------------------------------------------------------------------------------------------

#: 3 cordoned nodes (line 5) and 2 under memory pressure (line 6).
TROUBLED = inventory(pool("cordoned", 3, unschedulable="true"),
                     pool("pressure", 2, taints="[{key: node.kubernetes.io/memory-pressure, effect: NoSchedule}]"))


def test_daemonsets_run_on_cordoned_and_pressured_nodes(schedule):
    assert found(schedule(pods(kind="DaemonSet"), TROUBLED)) == []
    report = schedule(pods(kind="Deployment"), TROUBLED)
    message = fit_error("2 node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }", f"3 {CORDONED}")
    assert summary(report, RULE) == [(RULE, 9, 5, f"the pods of Deployment api cannot be scheduled: {message}")]


@pytest.mark.parametrize("condition", ["disk-pressure", "memory-pressure", "pid-pressure", "unschedulable"])
def test_daemonsets_tolerate_the_taints_their_controller_tolerates(schedule, condition):
    nodes = inventory(pool("sick", 2, taints=f"[{{key: node.kubernetes.io/{condition}, effect: NoSchedule}}]"))
    assert found(schedule(pods(kind="DaemonSet"), nodes)) == []
    assert [f[:3] for f in summary(schedule(pods(), nodes), RULE)] == [(RULE, 9, 5)]


def test_other_pods_run_on_cordoned_nodes_when_they_tolerate_the_cordon(schedule):
    text = "tolerations: [{key: node.kubernetes.io/unschedulable, operator: Exists, effect: NoSchedule}]"
    nodes = inventory(pool("cordoned", 3, unschedulable="true"))
    assert found(schedule(pods(text), nodes)) == []
    assert found(schedule(pods(text), node_list(node("n1", unschedulable=True)))) == []
    assert [f[:3] for f in summary(schedule(pods(), node_list(node("n1", unschedulable=True))), RULE)] == [
        (RULE, 9, 5)]


def test_daemonsets_on_cordoned_node_objects(schedule):
    nodes = node_list(node("n1", unschedulable=True), node("n2", unschedulable=True))
    assert found(schedule(pods(kind="DaemonSet"), nodes)) == []


NETWORK_DOWN = inventory(pool("net", 2, taints="[{key: node.kubernetes.io/network-unavailable, effect: NoSchedule}]"))


def test_only_host_network_daemonsets_tolerate_an_unavailable_network(schedule):
    report = schedule(pods("hostNetwork: false", kind="DaemonSet"), NETWORK_DOWN)
    assert summary(report, RULE) == [(RULE, 9, 5, "DaemonSet api runs on no node: 0/2 nodes are available: 2 node(s) "
                                                  "had untolerated taint {node.kubernetes.io/network-unavailable: }.")]
    assert related(found(report)[0]) == [("nodes.yaml", 5, 5, "pool net (2 nodes): node(s) had untolerated taint "
                                                              "{node.kubernetes.io/network-unavailable: }")]
    assert found(schedule(pods("hostNetwork: true", kind="DaemonSet"), NETWORK_DOWN)) == []
    assert [f[:3] for f in summary(schedule(pods("hostNetwork: true"), NETWORK_DOWN), RULE)] == [(RULE, 9, 5)]


def test_daemonsets_do_not_tolerate_other_taints(schedule):
    nodes = inventory(pool("gpu", 2, taints="[{key: hw-type, value: gpu, effect: NoSchedule}]"),
                      pool("draining", 1, taints="[{key: node.kubernetes.io/out-of-service, effect: NoExecute}]"))
    report = schedule(pods("tolerations: [{key: other, operator: Exists}]", kind="DaemonSet"), nodes)
    message = fit_error("1 node(s) had untolerated taint {node.kubernetes.io/out-of-service: }", f"2 {GPU_TAINT}")
    assert summary(report, RULE) == [(RULE, 10, 7, f"DaemonSet api runs on no node: {message}")]
    assert related(found(report)[0]) == [("nodes.yaml", 5, 5, f"pool gpu (2 nodes): {GPU_TAINT}"),
                                         ("nodes.yaml", 6, 5, "pool draining (1 node): node(s) had untolerated "
                                                              "taint {node.kubernetes.io/out-of-service: }")]


# --- resources: exact arithmetic, init containers and sidecars --------------------------------------------------

SMALL = inventory(pool("small", 4, allocatable='{cpu: "2", memory: 1000Mi, pods: "110"}'))


def containers(*requests: str, init: tuple[str, ...] = (), field: str = "requests") -> str:
    """Containers c0, c1... asking for `requests` (YAML of a resource list), then init containers i0, i1... (a
    request ending in " sidecar" makes it a sidecar). Container k's line is 11 + k; init container k's is
    12 + len(requests) + k."""
    lines = ["containers:", *(f"  - {{name: c{k}, image: app:1, resources: {{{field}: {{{amount}}}}}}}"
                              for k, amount in enumerate(requests))]
    if init:
        lines.append("initContainers:")
        for k, amount in enumerate(init):
            sidecar = amount.endswith(" sidecar")
            restart = ", restartPolicy: Always" if sidecar else ""
            lines.append(f"  - {{name: i{k}, image: app:1{restart}, resources: {{requests: "
                         f"{{{amount.removesuffix(' sidecar')}}}}}}}")
    return "\n".join(lines)


def small_nodes_lack(resource: str) -> str:
    return f"the pods of Deployment api cannot be scheduled: 0/4 nodes are available: 4 Insufficient {resource}."


@pytest.mark.parametrize("text, fits", [
    (containers("cpu: 500m", 'cpu: "1.5"'), True),  # 2 exactly
    (containers("cpu: 500m", 'cpu: "1.501"'), False),
    (containers("cpu: 1999m", "cpu: 1m"), True),
    (containers("cpu: 0.5", "cpu: 1.5001"), False),  # 1.5001 is 1501m: CPU counts in thousandths, rounded up
    (containers("memory: 1000Mi"), True),
    (containers("memory: 1048576000"), True),
    (containers("memory: 1Gi"), False),
    (containers("memory: 500Mi", "memory: 500Mi"), True),
    (containers("memory: 500Mi", "memory: 524288001"), False),
    (containers("cpu: 3", field="limits"), False),  # requests default to limits
], ids=lambda value: value if isinstance(value, bool) else value.replace("\n", " ")[-60:])
def test_requests_are_summed_exactly(schedule, text, fits):
    assert (found(schedule(pods(text), SMALL)) == []) is fits


def test_requests_below_limits_are_what_counts(schedule):
    text = "containers: [{name: c0, image: app:1, resources: {requests: {cpu: 1}, limits: {cpu: 3}}}]"
    assert found(schedule(pods(text), SMALL)) == []


@pytest.mark.parametrize("text, at, resource", [
    pytest.param(containers("cpu: 500m", 'cpu: "1.501"'), (12, 59), "cpu", id="the-larger-of-two-containers"),
    pytest.param(containers("memory: 1Gi", "memory: 100Mi"), (11, 59), "memory", id="the-first-container"),
    pytest.param(containers("cpu: 3", field="limits"), (11, 57), "cpu", id="a-limit-standing-for-the-request"),
    pytest.param(containers("cpu: 1", init=("cpu: 2500m",)), (13, 59), "cpu", id="an-init-container"),
    pytest.param(containers("cpu: 1500m", init=("cpu: 1 sidecar",)), (11, 59), "cpu",
                 id="a-container-beside-a-smaller-sidecar"),
    pytest.param(containers("cpu: 1", init=("cpu: 500m sidecar", "cpu: 1600m")), (14, 59), "cpu",
                 id="an-init-container-running-beside-a-sidecar"),
])
def test_the_largest_request_of_the_insufficient_resource_is_blamed(schedule, text, at, resource):
    assert summary(schedule(pods(text), SMALL), RULE) == [(RULE, *at, small_nodes_lack(resource))]


@pytest.mark.parametrize("init, fits", [
    pytest.param(("cpu: 2",), True, id="init-containers-run-before-the-containers"),
    pytest.param(("cpu: 2", "cpu: 2"), True, id="init-containers-run-one-at-a-time"),
    pytest.param(("cpu: 2001m",), False, id="an-init-container-larger-than-the-node"),
    pytest.param(("cpu: 1 sidecar",), True, id="a-sidecar-adds-to-the-containers"),
    pytest.param(("cpu: 1001m sidecar",), False, id="a-sidecar-beyond-the-node"),
    pytest.param(("cpu: 1600m", "cpu: 500m sidecar"), True, id="an-init-container-before-a-sidecar"),
    pytest.param(("cpu: 500m sidecar", "cpu: 1600m"), False, id="an-init-container-after-a-sidecar"),
])
def test_init_containers_and_sidecars_count_as_kubernetes_counts_them(schedule, init, fits):
    assert (found(schedule(pods(containers("cpu: 1", init=init)), SMALL)) == []) is fits


def test_pod_overhead_adds_to_the_requests(schedule):
    text = containers("cpu: 1500m") + "\noverhead: {cpu: 600m}"
    assert summary(schedule(pods(text), SMALL), RULE) == [(RULE, 11, 59, small_nodes_lack("cpu"))]
    assert found(schedule(pods(containers("cpu: 1500m") + "\noverhead: {cpu: 500m}"), SMALL)) == []


CPU_SPELLINGS = [lambda m: f"{m}m", lambda m: f"{m / 1000:g}"]  # 1500m or 1.5
MEMORY_UNITS = {"": 1, "Ki": 1024, "Mi": 1024 ** 2, "k": 1000, "M": 1000 ** 2}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 2500), st.sampled_from([0, 1])), min_size=1, max_size=3),
       st.integers(1, 4000),
       st.lists(st.tuples(st.integers(0, 3000), st.sampled_from(sorted(MEMORY_UNITS))), min_size=1, max_size=3),
       st.tuples(st.integers(1, 3000), st.sampled_from(sorted(MEMORY_UNITS))))
def test_a_pod_fits_exactly_when_its_summed_requests_fit(schedule, cpus, allocatable_cpu, memories, allocatable_memory):
    requests = [f'cpu: "{CPU_SPELLINGS[spelling](milli)}", memory: {amount}{unit}'
                for (milli, spelling), (amount, unit) in zip(cpus, memories * 3)]
    nodes = inventory(pool("one", allocatable=f'{{cpu: {allocatable_cpu}m, memory: '
                                              f'{allocatable_memory[0]}{allocatable_memory[1]}}}'))
    cpu = sum(milli for milli, _ in cpus)
    memory = sum(amount * MEMORY_UNITS[unit] for (amount, unit), _ in zip(memories * 3, cpus))
    fits = cpu <= allocatable_cpu and memory <= allocatable_memory[0] * MEMORY_UNITS[allocatable_memory[1]]
    assert (found(schedule(pods(containers(*requests)), nodes)) == []) is fits


# --- replicas that cannot all be placed ---------------------------------------------------------------------------

ZONE = "topology.kubernetes.io/zone"
HOSTNAME = "kubernetes.io/hostname"
DB_TAINT = "[{key: dedicated, value: db, effect: NoSchedule}]"
#: Zone a: 2 nodes (line 5); zone b: 1 node (line 6); zone c: 2 nodes tainted for databases (line 7).
ZONES = inventory(pool("a", 2, labels=f"{{{ZONE}: a}}"), pool("b", 1, labels=f"{{{ZONE}: b}}"),
                  pool("c", 2, labels=f"{{{ZONE}: c}}", taints=DB_TAINT))
PREFERRED = ("affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 100, "
             "podAffinityTerm: {labelSelector: {matchLabels: {app: api}}, topologyKey: kubernetes.io/hostname}}]}}")
ELIGIBLE = [("nodes.yaml", 5, 5, "pool a (2 nodes): eligible"), ("nodes.yaml", 6, 5, "pool b (1 node): eligible")]


def anti_affinity(key: str = HOSTNAME, *fields: str, selector: str = "{matchLabels: {app: api}}") -> str:
    """Pod spec lines of a required pod anti-affinity term (line 13, column 15 of a pod spec starting on line 10)
    on `selector` and `key`, with `fields` ("name: value") added to the term."""
    term = [f"labelSelector: {selector}", f"topologyKey: {key}", *fields]
    return "\n".join(["affinity:", "  podAntiAffinity:", "    requiredDuringSchedulingIgnoredDuringExecution:",
                      "      - " + term[0], *("        " + line for line in term[1:])])


def spread(*fields: str, key: str = ZONE, skew: int = 1, when: str = "DoNotSchedule",
           selector: str = "{matchLabels: {app: api}}") -> str:
    """Pod spec lines of a topology spread constraint (line 11, column 11 of a pod spec starting on line 10),
    with `fields` ("name: value") added."""
    constraint = [f"maxSkew: {skew}", f"topologyKey: {key}", f"whenUnsatisfiable: {when}",
                  f"labelSelector: {selector}", *fields]
    return "\n".join(["topologySpreadConstraints:", "  - " + constraint[0],
                      *("    " + line for line in constraint[1:])])


def only(placeable: int, wanted: int, why: str, kind: str = "Deployment", autoscaled: bool = False) -> str:
    scaler = " (its HorizontalPodAutoscaler's minimum)" if autoscaled else ""
    return f"only {placeable} of {wanted} replicas{scaler} of {kind} api can be placed: {why}"


@pytest.mark.parametrize("key, replicas, message", [
    (HOSTNAME, 4, f"required anti-affinity on {HOSTNAME}, 3 eligible nodes"),
    (ZONE, 3, f"required anti-affinity on {ZONE}, 2 eligible domains"),
])
def test_anti_affinity_on_the_pods_own_labels_limits_replicas(schedule, key, replicas, message):
    report = schedule(pods(anti_affinity(key), replicas=replicas), ZONES)
    # a pool's nodes are each their own hostname; the tainted zone c is not eligible
    assert summary(report, RULE) == [(RULE, 13, 15, only(replicas - 1, replicas, message))]
    assert related(found(report)[0]) == ELIGIBLE
    assert found(report)[0].path == ("/spec/template/spec/affinity/podAntiAffinity/"
                                     "requiredDuringSchedulingIgnoredDuringExecution/0")
    assert found(schedule(pods(anti_affinity(key), replicas=replicas - 1), ZONES)) == []


@pytest.mark.parametrize("kind", ["StatefulSet", "ReplicaSet"])
def test_anti_affinity_of_other_scalable_kinds(schedule, kind):
    report = schedule(pods(anti_affinity(ZONE), kind, replicas=5), ZONES)
    assert summary(report, RULE) == [(RULE, 13, 15, only(2, 5, f"required anti-affinity on {ZONE}, 2 eligible "
                                                               "domains", kind))]


@pytest.mark.parametrize("kind", ["DaemonSet", "Job", "CronJob", "Pod"])
def test_kinds_without_replicas_to_place_are_not_counted(schedule, kind):
    assert found(schedule(pods(anti_affinity(ZONE), kind), ZONES)) == []


def test_one_eligible_node_is_singular(schedule):
    nodes = inventory(pool("solo", 1), pool("tainted", 3, taints=DB_TAINT))
    report = schedule(pods(anti_affinity(), replicas=2), nodes)
    assert summary(report, RULE) == [(RULE, 13, 15, only(1, 2, f"required anti-affinity on {HOSTNAME}, 1 eligible "
                                                               "node"))]
    assert related(found(report)[0]) == [("nodes.yaml", 5, 5, "pool solo (1 node): eligible")]


def test_node_objects_are_hostname_domains_by_their_label(schedule):
    # n1 and n2 share a hostname label, n3 has none (its name stands for it), n4 is cordoned
    nodes = node_list(node("n1", labels=f"{{{HOSTNAME}: shared}}"), node("n2", labels=f"{{{HOSTNAME}: shared}}"),
                      node("n3"), node("n4", labels=f"{{{HOSTNAME}: n4}}", unschedulable=True))
    report = schedule(pods(anti_affinity(), replicas=3), nodes)
    assert summary(report, RULE) == [(RULE, 13, 15, only(2, 3, f"required anti-affinity on {HOSTNAME}, 2 eligible "
                                                               "nodes"))]
    assert related(found(report)[0]) == [("nodes.yaml", line, 5, "eligible") for line in (4, 5, 6)]
    assert found(schedule(pods(anti_affinity(), replicas=2), nodes)) == []


def test_an_eligible_node_without_the_topology_label_places_any_number(schedule):
    nodes = node_list(node("n1", labels=f"{{{ZONE}: a}}"), node("n2"))
    assert found(schedule(pods(anti_affinity(ZONE), replicas=5), nodes)) == []


def test_the_smallest_limit_is_reported(schedule):
    text = f"""
        affinity:
          podAntiAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              - {{labelSelector: {{matchLabels: {{app: api}}}}, topologyKey: kubernetes.io/hostname}}
              - labelSelector: {{matchExpressions: [{{key: app, operator: In, values: [api, web]}}]}}
                topologyKey: {ZONE}
        """
    report = schedule(pods(text, replicas=4), ZONES)
    assert summary(report, RULE) == [(RULE, 14, 15, only(2, 4, f"required anti-affinity on {ZONE}, 2 eligible "
                                                               "domains"))]


@pytest.mark.parametrize("text", [
    pytest.param(anti_affinity(selector="{matchLabels: {app: db}}"), id="other-pods-labels"),
    pytest.param(anti_affinity(selector="{matchLabels: {app: api, tier: web}}"), id="labels-the-pods-lack"),
    pytest.param(anti_affinity(selector="null"), id="a-null-selector-selects-nothing"),
    pytest.param(anti_affinity(HOSTNAME, "namespaces: [other]"), id="another-namespace"),
    pytest.param(anti_affinity(HOSTNAME, "namespaceSelector: {matchLabels: {team: a}}"),
                 id="namespaces-chosen-by-labels"),
    pytest.param(PREFERRED, id="preferred"),
])
def test_anti_affinity_that_does_not_keep_the_pods_apart_is_ignored(schedule, text):
    assert found(schedule(pods(text, replicas=5), ZONES)) == []


@pytest.mark.parametrize("fields", [
    pytest.param(("namespaces: [default]",), id="its-own-namespace-listed"),
    pytest.param(("namespaces: [other, shop]",), id="its-own-namespace-among-others"),
    pytest.param(("namespaceSelector: {}",), id="every-namespace"),
    # the term applies to the union of the namespaces listed and those the selector selects: all of them
    pytest.param(("namespaces: [other]", "namespaceSelector: {}"), id="other-namespaces-and-every-namespace"),
])
def test_anti_affinity_over_the_pods_own_namespace_counts(schedule, fields):
    text = anti_affinity(ZONE, *fields)
    report = schedule(pods(text, replicas=3, namespace="shop" if "shop" in fields[0] else ""), ZONES)
    assert summary(report, RULE) == [(RULE, 13, 15, only(2, 3, f"required anti-affinity on {ZONE}, 2 eligible "
                                                               "domains"))]


# --- topology spread ----------------------------------------------------------------------------------------------

TWO_OF_THREE = f"topology spread on {ZONE} (maxSkew 1) counts 3 domains, of which 2 can hold its pods"


def test_a_domain_whose_nodes_are_tainted_still_counts_for_the_spread(schedule):
    # nodeTaintsPolicy defaults to Ignore: zone c counts, holds no pod, and keeps the global minimum at 0
    report = schedule(pods(spread(), replicas=3), ZONES)
    assert summary(report, RULE) == [(RULE, 11, 11, only(2, 3, TWO_OF_THREE))]
    assert found(report)[0].path == "/spec/template/spec/topologySpreadConstraints/0"
    assert related(found(report)[0]) == ELIGIBLE


@pytest.mark.parametrize("text, replicas", [
    pytest.param(spread(), 2, id="as-many-replicas-as-usable-domains"),
    pytest.param(spread(skew=2), 4, id="max-skew-pods-per-usable-domain"),
    pytest.param(spread("nodeTaintsPolicy: Honor"), 5, id="taints-honoured"),
    pytest.param(spread(when="ScheduleAnyway"), 5, id="schedule-anyway"),
    pytest.param(spread(selector="{matchLabels: {app: db}}"), 5, id="other-pods"),
    pytest.param(spread(key=HOSTNAME), 3, id="one-per-eligible-node"),
])
def test_spread_constraints_that_allow_every_replica(schedule, text, replicas):
    assert found(schedule(pods(text, replicas=replicas), ZONES)) == []


@pytest.mark.parametrize("text, replicas, message", [
    pytest.param(spread(skew=2), 5, only(4, 5, f"topology spread on {ZONE} (maxSkew 2) counts 3 domains, of which 2 "
                                                "can hold its pods"), id="max-skew-pods-per-usable-zone"),
    pytest.param(spread(key=HOSTNAME), 4, only(3, 4, f"topology spread on {HOSTNAME} (maxSkew 1) counts 5 domains, "
                                                     "of which 3 can hold its pods"), id="each-pool-node-a-domain"),
])
def test_spread_places_max_skew_pods_per_usable_domain(schedule, text, replicas, message):
    assert summary(schedule(pods(text, replicas=replicas), ZONES), RULE) == [(RULE, 11, 11, message)]


def test_spread_honours_node_affinity_unless_told_not_to(schedule):
    affinity = ("\naffinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: "
                f"[{{matchExpressions: [{{key: {ZONE}, operator: In, values: [a, b]}}]}}]}}}}}}")
    assert found(schedule(pods(spread() + affinity, replicas=4), ZONES)) == []
    report = schedule(pods(spread("nodeAffinityPolicy: Ignore") + affinity, replicas=4), ZONES)
    assert summary(report, RULE) == [(RULE, 11, 11, only(2, 4, TWO_OF_THREE))]


@pytest.mark.parametrize("zone_c", [
    pytest.param(pool("c", 2, labels=f"{{{ZONE}: c}}", unschedulable="true"), id="cordoned"),
    pytest.param(pool("c", 2, labels=f"{{{ZONE}: c}}", allocatable='{cpu: 100m}'), id="too-small"),
])
def test_a_domain_the_pods_cannot_run_in_counts_for_the_spread(schedule, zone_c):
    nodes = inventory(pool("a", 2, labels=f"{{{ZONE}: a}}"), pool("b", 1, labels=f"{{{ZONE}: b}}"), zone_c)
    text = spread() + "\ncontainers: [{name: app, image: app:1, resources: {requests: {cpu: 500m}}}]"
    assert summary(schedule(pods(text, replicas=3), nodes), RULE) == [(RULE, 11, 11, only(2, 3, TWO_OF_THREE))]


def test_min_domains_beyond_the_domains_there_are(schedule):
    nodes = inventory(pool("a", 2, labels=f"{{{ZONE}: a}}"), pool("b", 1, labels=f"{{{ZONE}: b}}"))
    report = schedule(pods(spread("minDomains: 3"), replicas=3), nodes)
    assert summary(report, RULE) == [(RULE, 11, 11, only(2, 3, f"topology spread on {ZONE} (maxSkew 1) needs 3 "
                                                               "domains, and 2 exist"))]
    assert found(schedule(pods(spread("minDomains: 2"), replicas=3), nodes)) == []
    assert found(schedule(pods(spread("minDomains: 3"), replicas=2), nodes)) == []
    assert found(schedule(pods(spread("minDomains: 3", skew=2), replicas=4), nodes)) == []


# --- a HorizontalPodAutoscaler's minimum ------------------------------------------------------------------------


def test_an_autoscalers_minimum_is_the_replica_count(schedule):
    report = schedule(stream(pods(anti_affinity(ZONE), replicas=1), autoscaler(3)), ZONES)
    assert summary(report, RULE) == [(RULE, 13, 15, only(2, 3, f"required anti-affinity on {ZONE}, 2 eligible "
                                                               "domains", autoscaled=True))]
    assert found(schedule(stream(pods(anti_affinity(ZONE), replicas=5), autoscaler(2)), ZONES)) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from("abcd"), st.booleans(), st.integers(1, 3)), min_size=1, max_size=5),
       st.integers(2, 6))
def test_zone_anti_affinity_places_one_replica_per_zone_with_an_eligible_node(schedule, pools, replicas):
    nodes = inventory(*(pool(f"p{i}", count, labels=f"{{{ZONE}: {zone}}}", **({"taints": DB_TAINT} if tainted else {}))
                        for i, (zone, tainted, count) in enumerate(pools)))
    zones = len({zone for zone, tainted, _ in pools if not tainted})
    messages = [message for *_, message in summary(schedule(pods(anti_affinity(ZONE), replicas=replicas), nodes), RULE)]
    if zones == 0:
        assert [message.split(":")[0] for message in messages] == ["the pods of Deployment api cannot be scheduled"]
    elif zones < replicas:
        noun = "domain" if zones == 1 else "domains"
        assert messages == [only(zones, replicas, f"required anti-affinity on {ZONE}, {zones} eligible {noun}")]
    else:
        assert messages == []


REVIEWED_NODES = """
apiVersion: kubecheck.io/v1
kind: NodeInventory
pools:
  - {name: small, count: 2, labels: {zone: a}, allocatable: {cpu: "4", gpu.example.com/card: 1e200}}
  - {name: tainted, count: 1, labels: {zone: b}, taints: [{key: team, value: ml, effect: NoSchedule}],
     allocatable: {cpu: "4"}}
"""


@pytest.mark.parametrize("spec, reported", [
    # mismatchLabelKeys spares the pod's own replicas: no per-node limit
    ("affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: "
     "{matchLabels: {app: web}}, mismatchLabelKeys: [app], topologyKey: kubernetes.io/hostname}]}}", False),
    ("affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: "
     "{matchLabels: {app: web}}, topologyKey: kubernetes.io/hostname}]}}", True),
    # a pool that does not list kubernetes.io/os or arch may have any
    ("nodeSelector: {kubernetes.io/os: linux, kubernetes.io/arch: arm64}", False),
    # an extended resource stated too large to compare is not zero
    ("containers: [{name: web, image: nginx, resources: {limits: {gpu.example.com/card: 1}}}]", False),
    # odd types are the schema's to report
    ("affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: "
     "{matchLabels: {app: web}}, namespaces: 1, topologyKey: kubernetes.io/hostname}]}}", False),
    ("initContainers: 7", False),
])
def test_reviewed_cases(lint, spec, reported):
    containers = "" if spec.startswith("containers") else "\n      containers: [{name: web, image: nginx}]"
    manifest = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 4\n"
                "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
                f"    spec:\n      {spec}{containers}\n")
    report = lint({"web.yaml": manifest, "nodes.yaml": REVIEWED_NODES.lstrip("\n")}, nodes=("nodes.yaml",))
    assert report.internal_errors == 0
    assert bool(summary(report, RULE)) is reported


def test_a_request_no_node_meets_is_blamed_before_a_taint(lint):
    manifest = ("apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n  containers:\n"
                "    - {name: big, image: big, resources: {requests: {cpu: \"10\"}}}\n")
    report = lint({"big.yaml": manifest, "nodes.yaml": REVIEWED_NODES.lstrip("\n")}, nodes=("nodes.yaml",))
    assert [(f.line, f.column, f.message) for f in report.findings if f.rule == RULE] == [(
        6, 54, "Pod big cannot be scheduled: 0/3 nodes are available: 1 node(s) had untolerated taint {team: ml}, "
               "2 Insufficient cpu.")]


def test_runtime_classes_add_their_node_selector_and_tolerations(lint):
    runtime = ("apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: ml}\nhandler: runc\n"
               "scheduling: {nodeSelector: {zone: b}, tolerations: [{key: team, operator: Exists}]}\n")
    pod = ("apiVersion: v1\nkind: Pod\nmetadata: {name: trainer}\nspec:\n  runtimeClassName: ml\n"
           "  containers: [{name: t, image: t}]\n")
    nodes = {"nodes.yaml": REVIEWED_NODES.lstrip("\n")}
    assert summary(lint({"pod.yaml": pod, "rc.yaml": runtime, **nodes}, nodes=("nodes.yaml",)), RULE) == []
    # without its RuntimeClass in the set, what it adds is not known: not judged
    assert summary(lint({"pod.yaml": pod.replace("name: t, ", "name: t, nodeSelector: {zone: c}, "), **nodes},
                        nodes=("nodes.yaml",)), RULE) == []
