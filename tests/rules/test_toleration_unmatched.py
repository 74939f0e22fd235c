"""toleration-unmatched: with a node inventory (--nodes), a toleration that tolerates no taint of any declared node."""

import pytest
from support import summary

from .pod_template_fixtures import listed, workload

RULE = "toleration-unmatched"


def pod(*tolerations):
    """A Pod whose tolerations are written one a line, in flow style: the first is line 6, its `{` at column 7."""
    return ("apiVersion: v1\nkind: Pod\nmetadata: {name: trainer}\nspec:\n  tolerations:\n"
            + "".join(f"    - {toleration}\n" for toleration in tolerations)
            + "  containers: [{name: trainer, image: trainer:1.0}]\n")


def inventory(*pools):
    """A NodeInventory of `pools`, each a flow mapping's inside, one a line from line 5."""
    return ("apiVersion: kubecheck.io/v1\nkind: NodeInventory\nmetadata: {name: lab}\npools:\n"
            + "".join(f"  - {{{pool}}}\n" for pool in pools))


def pool(name, count, *taints):
    """A pool's fields, its taints written `key[=value]:effect` as messages show them."""
    fields = []
    for taint in taints:
        key_value, effect = taint.rsplit(":", 1)
        key, _, value = key_value.partition("=")
        fields.append(f"{{key: {key}, value: '{value}', effect: {effect}}}" if value else
                      f"{{key: {key}, effect: {effect}}}")
    return f"name: {name}, count: {count}" + (f", taints: [{', '.join(fields)}]" if taints else "")


#: 10 nodes: taints of each effect, and untainted ones.
LAB = inventory(pool("gpu", 2, "hw-type=gpu:NoSchedule"), pool("spot", 3, "spot=true:PreferNoSchedule"),
                pool("batch", 1, "dedicated=batch:NoExecute"), pool("general", 4))
LAB_TAINTS = "they have hw-type=gpu:NoSchedule, spot=true:PreferNoSchedule, dedicated=batch:NoExecute"


def unmatched(toleration, nodes=10, declared=LAB_TAINTS):
    return (f"toleration {toleration} matches no taint of the {nodes} declared nodes ({declared}): a misspelt key or "
            "value tolerates nothing")


@pytest.fixture
def check(lint, tmp_path):
    """check(manifest, *inventories, **settings) -> Report: lint `manifest` with each inventory text written to
    nodes.yaml, nodes2.yaml, ... and given as --nodes."""

    def run(manifest, *inventories, **settings):
        paths = []
        for number, text in enumerate(inventories, 1):
            paths.append(f"nodes{number if number > 1 else ''}.yaml")
            (tmp_path / paths[-1]).write_text(text, encoding="utf-8")
        return lint(manifest, nodes=tuple(paths), **settings)

    return run


# --- an inventory is needed ------------------------------------------------------------------------------------


def test_without_an_inventory_nothing_is_reported(lint):
    assert summary(lint(pod("{key: hw-type, operator: Equal, value: gpus, effect: NoSchedule}"))) == []


def test_with_one_the_toleration_that_matches_nothing_is_reported_as_info(check):
    report = check(pod("{key: hw-type, operator: Exists}", "{key: hw-type, operator: Equal, value: gpus, effect: "
                                                           "NoSchedule}"), LAB)
    assert summary(report, RULE) == [(RULE, 7, 7, unmatched("hw-type=gpus:NoSchedule"))]
    (finding,) = [finding for finding in report.findings if finding.rule == RULE]
    assert (finding.severity, finding.path, finding.object["kind"], finding.object["name"]) == (
        "info", "/spec/tolerations/1", "Pod", "trainer")


# --- matching: key, value, effect, operator, as Toleration.ToleratesTaint ----------------------------------------


@pytest.mark.parametrize("toleration", [
    "{key: hw-type, operator: Equal, value: gpu, effect: NoSchedule}",
    "{key: hw-type, value: gpu}",  # no operator is Equal; no effect is every effect
    "{key: hw-type, operator: Exists}",
    "{key: hw-type, operator: Exists, effect: NoSchedule}",
    "{key: spot, operator: Exists, effect: PreferNoSchedule}",  # a PreferNoSchedule taint counts too
    "{key: spot, value: 'true', effect: PreferNoSchedule}",
    "{key: dedicated, operator: Equal, value: batch, effect: NoExecute, tolerationSeconds: 3600}",
    "{key: dedicated, operator: Exists}",
])
def test_a_toleration_of_a_declared_taint_is_clean(check, toleration):
    assert summary(check(pod(toleration), LAB), RULE) == []


@pytest.mark.parametrize("toleration, described", [
    ("{key: hw-type, operator: Equal, value: gpus, effect: NoSchedule}", "hw-type=gpus:NoSchedule"),
    ("{key: hw-type, value: GPU}", "hw-type=GPU"),  # values are compared exactly
    ("{key: hw-type, effect: NoSchedule}", "hw-type=:NoSchedule"),  # Equal to an empty value
    ("{key: hw_type, operator: Exists}", "hw_type"),
    ("{key: Hw-type, operator: Exists}", "Hw-type"),
    ("{key: hw-type, operator: Exists, effect: NoExecute}", "hw-type:NoExecute"),  # the taint is NoSchedule
    ("{key: spot, operator: Exists, effect: NoSchedule}", "spot:NoSchedule"),  # the taint is PreferNoSchedule
    ("{key: dedicated, value: batch, effect: PreferNoSchedule}", "dedicated=batch:PreferNoSchedule"),
    ("{key: dedicated, value: Batch}", "dedicated=Batch"),
    ("{key: gpu, operator: Exists}", "gpu"),  # a label of the nodes, not a taint
])
def test_a_toleration_of_no_declared_taint_is_reported(check, toleration, described):
    assert summary(check(pod(toleration), LAB), RULE) == [(RULE, 6, 7, unmatched(described))]


def test_each_toleration_on_its_own(check):
    report = check(pod("{key: hw-type, value: gpu}", "{key: hw-typ, value: gpu}", "{key: spot, operator: Exists}",
                       "{key: dedicated, value: batch, effect: NoSchedule}"), LAB)
    assert summary(report, RULE) == [(RULE, 7, 7, unmatched("hw-typ=gpu")),
                                     (RULE, 9, 7, unmatched("dedicated=batch:NoSchedule"))]


def test_a_toleration_in_block_style(check):
    report = check(pod("key: hw-type\n      operator: Equal\n      value: gpus"), LAB)
    assert summary(report, RULE) == [(RULE, 6, 7, unmatched("hw-type=gpus"))]


@pytest.mark.parametrize("toleration, matches", [
    ("{key: drain}", True), ("{key: drain, operator: Equal, value: '', effect: NoSchedule}", True),
    ("{key: drain, value: 'true'}", False),
])
def test_a_taint_without_a_value_is_matched_by_equal_with_none(check, toleration, matches):
    report = check(pod(toleration), inventory(pool("old", 2, "drain:NoSchedule")))
    assert summary(report, RULE) == ([] if matches else [
        (RULE, 6, 7, unmatched("drain=true", 2, "they have drain:NoSchedule"))])


# --- the tolerations that are never reported -----------------------------------------------------------------


@pytest.mark.parametrize("toleration", [
    "{operator: Exists}",  # no key: every taint, those added at run time too
    "{key: '', operator: Exists, effect: NoSchedule}",
    "{operator: Exists, effect: NoExecute, tolerationSeconds: 60}",
    "{key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}",
    "{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute}",
    "{key: node.kubernetes.io/unschedulable, operator: Exists, effect: NoSchedule}",
    "{key: node.kubernetes.io/disk-pressure, operator: Exists}",
    "{key: node.kubernetes.io/out-of-service, value: nodeshutdown, effect: NoExecute}",
    "{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}",
    "{key: node-role.kubernetes.io/master, operator: Exists, effect: NoSchedule}",
    "{key: node.cloudprovider.kubernetes.io/uninitialized, value: 'true', effect: NoSchedule}",
    "{key: node.cloudprovider.kubernetes.io/shutdown, operator: Exists, effect: NoSchedule}",
])
def test_keyless_tolerations_and_those_of_taints_added_at_run_time(check, toleration):
    assert summary(check(pod(toleration), LAB), RULE) == []


@pytest.mark.parametrize("key", ["node-role.example.com/infra", "kubernetes.io/role", "example.com/node.kubernetes.io",
                                 "node.kubernetes.io.example.com/maintenance"])
def test_only_those_prefixes_are_excepted(check, key):
    assert summary(check(pod(f"{{key: {key}, operator: Exists}}"), LAB), RULE) == [(RULE, 6, 7, unmatched(key))]


# --- the message: the declared taints ------------------------------------------------------------------------


def test_nodes_without_taints(check):
    report = check(pod("{key: hw-type, value: gpu}"), inventory(pool("general", 4)))
    assert summary(report, RULE) == [(RULE, 6, 7, unmatched("hw-type=gpu", 4, "they have no taints"))]


@pytest.mark.parametrize("pools, declared", [
    # distinct taints in inventory order, five at most
    ([pool("a", 1, "t1=x:NoSchedule", "t2:NoSchedule"), pool("b", 2, "t2:NoSchedule", "t3=y:NoExecute"),
      pool("c", 3, "t4:PreferNoSchedule", "t5:NoSchedule"), pool("d", 4, "t1=x:NoSchedule", "t6:NoSchedule")],
     "t1=x:NoSchedule, t2:NoSchedule, t3=y:NoExecute, t4:PreferNoSchedule, t5:NoSchedule, ..."),
    ([pool("a", 1, "t1:NoSchedule", "t2:NoSchedule"), pool("b", 2, "t3:NoSchedule", "t1:NoSchedule"),
      pool("c", 7, "t4:NoSchedule", "t5:NoSchedule")],
     "t1:NoSchedule, t2:NoSchedule, t3:NoSchedule, t4:NoSchedule, t5:NoSchedule"),
    # a key with several effects, or several values, is several taints
    ([pool("a", 4, "t1=x:NoSchedule", "t1=x:NoExecute"), pool("b", 6, "t1=y:NoSchedule")],
     "t1=x:NoSchedule, t1=x:NoExecute, t1=y:NoSchedule"),
])
def test_the_message_names_the_declared_taints(check, pools, declared):
    report = check(pod("{key: t7, operator: Exists}"), inventory(*pools))
    assert summary(report, RULE) == [(RULE, 6, 7, unmatched("t7", 10, "they have " + declared))]


def test_a_cordoned_pool_has_the_unschedulable_taint(check):
    report = check(pod("{key: maintenance, operator: Exists}"),
                   inventory(pool("old", 2) + ", unschedulable: true", pool("new", 3)))
    assert summary(report, RULE) == [
        (RULE, 6, 7, unmatched("maintenance", 5, "they have node.kubernetes.io/unschedulable:NoSchedule"))]


# --- Node objects as kubectl prints them, several files ----------------------------------------------------------

NODES = """\
apiVersion: v1
kind: NodeList
items:
  - apiVersion: v1
    kind: Node
    metadata:
      name: gpu-1
      labels: {kubernetes.io/hostname: gpu-1, hw-type: gpu}
    spec:
      taints:
        - {key: hw-type, value: gpu, effect: NoSchedule, timeAdded: "2024-05-01T10:00:00Z"}
    status:
      allocatable: {cpu: "15", memory: 60Gi, pods: "110", nvidia.com/gpu: "4"}
  - apiVersion: v1
    kind: Node
    metadata: {name: cp-1, labels: {kubernetes.io/hostname: cp-1}}
    spec:
      taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]
    status: {allocatable: {cpu: "4", memory: 16Gi, pods: "110"}}
  - apiVersion: v1
    kind: Node
    metadata: {name: worker-1, labels: {kubernetes.io/hostname: worker-1}}
    status: {allocatable: {cpu: "4", memory: 16Gi, pods: "110"}}
"""
NODES_TAINTS = "they have hw-type=gpu:NoSchedule, node-role.kubernetes.io/control-plane:NoSchedule"


def test_node_objects(check):
    report = check(pod("{key: hw-type, value: gpu, effect: NoSchedule}", "{key: hw-type, value: a100}"), NODES)
    assert summary(report, RULE) == [(RULE, 7, 7, unmatched("hw-type=a100", 3, NODES_TAINTS))]


def test_several_inventory_files_make_one_inventory(check):
    report = check(pod("{key: dedicated, value: batch}", "{key: hw-type, operator: Exists}",
                       "{key: hw-typo, operator: Exists}"), NODES, LAB)
    assert summary(report, RULE) == [(RULE, 8, 7, unmatched("hw-typo", 13, NODES_TAINTS + (
        ", spot=true:PreferNoSchedule, dedicated=batch:NoExecute")))]


def test_nodes_among_the_checked_manifests_are_not_an_inventory(check):
    manifest = ("apiVersion: v1\nkind: Node\nmetadata: {name: big-1}\n"
                "spec: {taints: [{key: big, effect: NoSchedule}]}\n---\n" + pod("{key: big, operator: Exists}"))
    assert summary(check(manifest), RULE) == []
    assert summary(check(manifest, LAB), RULE) == [(RULE, 11, 7, unmatched("big"))]


# --- every pod template, List items ------------------------------------------------------------------------------

POD_SPEC = """\
tolerations:
  - {key: hw-type, value: gpus, effect: NoSchedule}
containers: [{name: x, image: x:1}]
"""


@pytest.mark.parametrize("kind, line, column, path", [
    ("Pod", 7, 7, "/spec"),
    ("Deployment", 11, 11, "/spec/template/spec"),
    ("DaemonSet", 11, 11, "/spec/template/spec"),
    ("StatefulSet", 12, 11, "/spec/template/spec"),
    ("Job", 10, 11, "/spec/template/spec"),
    ("CronJob", 13, 15, "/spec/jobTemplate/spec/template/spec"),
])
def test_every_pod_template(check, kind, line, column, path):
    report = check(workload(kind, POD_SPEC, "trainer"), LAB)
    assert summary(report, RULE) == [(RULE, line, column, unmatched("hw-type=gpus:NoSchedule"))]
    (finding,) = [finding for finding in report.findings if finding.rule == RULE]
    assert (finding.severity, finding.path) == ("info", f"{path}/tolerations/0")
    assert (finding.object["kind"], finding.object["name"]) == (kind, "trainer")


@pytest.mark.parametrize("kind, line, column", [("Pod", 10, 11), ("Deployment", 14, 15), ("CronJob", 16, 19)])
def test_list_items(check, kind, line, column):
    report = check(listed(workload(kind, POD_SPEC, "trainer")), LAB)
    assert summary(report, RULE) == [(RULE, line, column, unmatched("hw-type=gpus:NoSchedule"))]


# --- Gt and Lt (Kubernetes 1.35 on): the taint's value compared with the toleration's as integers --------------

SLA = inventory(pool("spot", 3, "example.com/sla=950:NoSchedule"),
                pool("legacy", 1, "example.com/tier=0950:NoSchedule"))


@pytest.mark.parametrize("operator, value, matches", [
    ("Gt", "900", True), ("Gt", "-5", True), ("Lt", "1000", True),
    ("Gt", "950", False), ("Lt", "950", False), ("Lt", "900", False), ("Gt", "1000", False),
])
def test_numeric_operators_compare_the_taint_value(check, operator, value, matches):
    report = check(pod(f"{{key: example.com/sla, operator: {operator}, value: '{value}'}}"), SLA,
                   kubernetes_version="1.35")
    assert [finding[:3] for finding in summary(report, RULE)] == ([] if matches else [(RULE, 6, 7)])


def test_the_message_of_a_numeric_toleration_names_its_value(check):
    """`example.com/sla Lt` alone does not say which threshold matched nothing (Equal tolerations show theirs)."""
    report = check(pod("{key: example.com/sla, operator: Lt, value: '900'}"), SLA, kubernetes_version="1.35")
    (finding,) = [finding for finding in report.findings if finding.rule == RULE]
    assert "900" in finding.message.split(" matches no taint")[0]


def test_a_taint_value_not_in_canonical_form_matches_no_numeric_toleration(check):
    """The scheduler compares only values in canonical decimal form (Toleration.ToleratesTaint, compareNumericValues:
    content.IsDecimalInteger on the taint's value too): the taint example.com/tier=0950 tolerates nothing numeric."""
    report = check(pod("{key: example.com/tier, operator: Gt, value: '900'}"), SLA, kubernetes_version="1.35")
    assert [finding[:3] for finding in summary(report, RULE)] == [(RULE, 6, 7)]
