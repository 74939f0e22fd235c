"""The node inventory (SPEC section 6, README "Scheduling against your nodes"): `--nodes FILE` and
the config key `nodes`, read as Node objects (`Node`, `NodeList`, `List`) or kubecheck's compact
`NodeInventory`; node and shape counts; cordoned pools; allocatable quantities; the errors that
stop a run (exit status 2, `file:line:column: message`); and that Node objects among the checked
manifests are never an inventory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules.budget_fixtures import stream
from support import summary

from kubecheck.cli import main
from kubecheck.inventory import InventoryError, example_inventory, load_inventory
from kubecheck.loader import load_text
from kubecheck.validation import first_error

# load_text raises the recursion limit on its first call; do it now, so that Hypothesis does not
# warn that a test changed it.
load_text("warm-up.yaml", "a: 1")

KUBECHECK = Path(sys.executable).parent / "kubecheck"
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# --- inventories ------------------------------------------------------------------------

NODE = """
apiVersion: v1
kind: Node
metadata:
  name: worker-1
  labels: {disk: ssd}
spec:
  taints: [{key: dedicated, value: db, effect: NoSchedule}]
status:
  allocatable: {cpu: "4", memory: 16Gi, pods: "110"}
"""

# As the API server returns a NodeList: the items have no apiVersion and no kind.
NODE_LIST = """
apiVersion: v1
kind: NodeList
items:
  - metadata: {name: worker-1, labels: {disk: ssd}}
    spec: {taints: [{key: dedicated, value: db, effect: NoSchedule}]}
    status: {allocatable: {cpu: "4", memory: 16Gi, pods: "110"}}
  - metadata: {name: worker-2}
    spec: {unschedulable: true}
"""

# As `kubectl get nodes -o yaml` prints it: a v1 List, keys sorted, fields kubecheck does not read.
KUBECTL_LIST = """
apiVersion: v1
items:
- apiVersion: v1
  kind: Node
  metadata:
    labels:
      kubernetes.io/hostname: kind-worker
    name: kind-worker
    uid: 3b0c8a6e-0f5e-4b43-9a55-8f4c0e0f8f5a
  spec:
    podCIDR: 10.244.1.0/24
    taints:
    - effect: NoSchedule
      key: node.kubernetes.io/unschedulable
      timeAdded: "2024-05-01T10:00:00Z"
    unschedulable: true
  status:
    allocatable:
      cpu: "8"
      memory: 16318412Ki
      pods: "110"
    capacity:
      cpu: "8"
    conditions: []
kind: List
metadata:
  resourceVersion: ""
"""

POOLS = """
apiVersion: kubecheck.io/v1
kind: NodeInventory
metadata: {name: prod}
pools:
  - name: general
    count: 5
    labels: {topology.kubernetes.io/zone: eu-west-1a}
    allocatable: {cpu: 3920m, memory: 14Gi}
  - name: gpu
    count: 2
    taints: [{key: hw-type, value: gpu, effect: NoSchedule}]
    allocatable: {nvidia.com/gpu: 4}
"""

GIB = 2**30
# (describe(), count, labels, taints, unschedulable, allocatable) of the shapes above
WORKER_1 = ("node worker-1", 1, {"disk": "ssd"}, ["dedicated=db:NoSchedule"], False,
            {"cpu": 4, "memory": 16 * GIB, "pods": 110})
WORKER_2 = ("node worker-2", 1, {}, [], True, {})
KIND_WORKER = ("node kind-worker", 1, {"kubernetes.io/hostname": "kind-worker"},
               ["node.kubernetes.io/unschedulable:NoSchedule"], True,
               {"cpu": 8, "memory": 16318412 * 1024, "pods": 110})
GENERAL = ("pool general (5 nodes)", 5, {"topology.kubernetes.io/zone": "eu-west-1a"}, [], False,
           {"cpu": Fraction(392, 100), "memory": 14 * GIB})
GPU = ("pool gpu (2 nodes)", 2, {}, ["hw-type=gpu:NoSchedule"], False, {"nvidia.com/gpu": 4})


def inventory_pool(*pools: str) -> str:
    """A NodeInventory whose pools are the flow mappings `pools`, one per line from line 4 on."""
    return "apiVersion: kubecheck.io/v1\nkind: NodeInventory\npools:\n" + "".join(f"  - {{{p}}}\n" for p in pools)


@pytest.fixture
def write(tmp_path, monkeypatch):
    """write(name, text) -> name: `text` dedented, without the newline after an opening triple quote,
    under the temporary directory, which is also the working directory."""
    monkeypatch.chdir(tmp_path)

    def write_file(name: str, text: str) -> str:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = textwrap.dedent(text)
        path.write_text(text[1:] if text.startswith("\n") else text, encoding="utf-8")
        return name

    return write_file


def shapes(inventory) -> list[tuple]:
    return [(shape.describe(), shape.count, shape.labels, [str(taint) for taint in shape.taints], shape.unschedulable,
             shape.allocatable) for shape in inventory.shapes]


def one_pool(write, pool: str):
    """The one shape of an inventory of the one pool `pool` (a flow mapping's inside)."""
    (shape,) = load_inventory((write("nodes.yaml", inventory_pool(pool)),)).shapes
    return shape


def load_error(*names: str) -> str:
    with pytest.raises(InventoryError) as caught:
        load_inventory(names)
    return str(caught.value)


# --- formats -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected", "nodes"), [
    pytest.param(NODE, [WORKER_1], 1, id="Node"),
    pytest.param(NODE_LIST, [WORKER_1, WORKER_2], 2, id="NodeList"),
    pytest.param(KUBECTL_LIST, [KIND_WORKER], 1, id="kubectl-List"),
    pytest.param(POOLS, [GENERAL, GPU], 7, id="NodeInventory"),
    pytest.param(stream(NODE, POOLS, NODE_LIST.replace("worker-", "spare-")),
                 [WORKER_1, GENERAL, GPU, ("node spare-1",) + WORKER_1[1:], ("node spare-2",) + WORKER_2[1:]], 10,
                 id="mixed-stream"),
])
def test_formats_and_counts(write, text, expected, nodes):
    inventory = load_inventory((write("nodes.yaml", text),))
    assert shapes(inventory) == expected
    assert inventory.nodes == nodes
    assert inventory.files == ("nodes.yaml",)


def test_files_are_combined_in_order(write):
    inventory = load_inventory((write("pools.yaml", POOLS), write("cluster/nodes.yaml", NODE_LIST),
                                write("kind.yaml", KUBECTL_LIST)))
    assert shapes(inventory) == [GENERAL, GPU, WORKER_1, WORKER_2, KIND_WORKER]
    assert (inventory.nodes, len(inventory.shapes)) == (10, 5)
    assert inventory.files == ("pools.yaml", "cluster/nodes.yaml", "kind.yaml")


def test_no_files_is_no_inventory():
    assert load_inventory(()) is None


@pytest.mark.parametrize(("pool", "taints"), [
    pytest.param("unschedulable: true", ["node.kubernetes.io/unschedulable:NoSchedule"], id="added"),
    pytest.param("unschedulable: false", [], id="not-cordoned"),
    pytest.param("unschedulable: true, taints: [{key: a, value: b, effect: NoExecute}]",
                 ["a=b:NoExecute", "node.kubernetes.io/unschedulable:NoSchedule"], id="after-declared-taints"),
    pytest.param("unschedulable: true, taints: [{key: node.kubernetes.io/unschedulable, effect: NoSchedule}]",
                 ["node.kubernetes.io/unschedulable:NoSchedule"], id="declared-not-doubled"),
    # The node lifecycle controller (doNoScheduleTaintingPass) compares only existing NoSchedule
    # taints with the unschedulable:NoSchedule taint it wants, so a NoExecute one does not stop it.
    pytest.param("unschedulable: true, taints: [{key: node.kubernetes.io/unschedulable, effect: NoExecute}]",
                 ["node.kubernetes.io/unschedulable:NoExecute", "node.kubernetes.io/unschedulable:NoSchedule"],
                 id="other-effect-declared"),
])
def test_cordoned_pools_get_the_unschedulable_taint(write, pool, taints):
    shape = one_pool(write, f"name: drained, count: 3, {pool}")
    assert [str(taint) for taint in shape.taints] == taints
    assert shape.unschedulable is pool.startswith("unschedulable: true")


# --- quantities in allocatable -----------------------------------------------------------


@pytest.mark.parametrize(("written", "amount"), [
    ('"2"', 2), ("2", 2), ("1.5", Fraction(3, 2)), ('"1.5"', Fraction(3, 2)), ("0.1", Fraction(1, 10)),
    ("500m", Fraction(1, 2)), ("3920m", Fraction(98, 25)), ("1Gi", GIB), ("1G", 10**9), ("1e3", 1000),
    ('"1e3"', 1000), ("2.5e-3", Fraction(1, 400)), ("1k", 1000), ("1Ki", 1024), ('"0"', 0), (".5", Fraction(1, 2)),
])
def test_allocatable_quantities_are_exact(write, written, amount):
    shape = one_pool(write, f"name: p, count: 1, allocatable: {{cpu: {written}}}")
    assert shape.allocatable == {"cpu": amount}
    assert type(shape.allocatable["cpu"]) is Fraction


def test_a_quantity_too_large_to_compare_is_not_checked(write):
    # kept as None: stated, so not zero (an extended resource not stated would be), but not compared
    assert one_pool(write, "name: p, count: 1, allocatable: {cpu: 1e200, memory: 1Gi}").allocatable == {
        "cpu": None, "memory": GIB}


DIGITS = st.integers(min_value=0, max_value=10**6).map(str)


@PROPERTY
@given(whole=DIGITS, fraction=st.text("0123456789", max_size=3), quoted=st.booleans())
def test_decimal_quantities_as_numbers_or_strings(write, whole, fraction, quoted):
    text = whole + ("." + fraction if fraction else "")
    written = f'"{text}"' if quoted else text
    shape = one_pool(write, f"name: p, count: 1, allocatable: {{memory: {written}}}")
    assert shape.allocatable == {"memory": Fraction(text)}


@PROPERTY
@given(number=st.integers(min_value=0, max_value=10**4),
       suffix=st.sampled_from([("m", Fraction(1, 1000)), ("k", 1000), ("M", 10**6), ("Ki", 1024), ("Mi", 2**20),
                               ("Gi", GIB), ("Ti", 2**40), ("e2", 100), ("", 1)]))
def test_suffixed_quantities(write, number, suffix):
    shape = one_pool(write, f"name: p, count: 1, allocatable: {{memory: {number}{suffix[0]}}}")
    assert shape.allocatable == {"memory": number * suffix[1]}


@PROPERTY
@given(counts=st.lists(st.integers(min_value=-3, max_value=10**5), min_size=1, max_size=8))
def test_pool_counts(write, counts):
    """Valid counts add up; the first pool with a count below 1 is named at its count's column."""
    name = write("nodes.yaml", inventory_pool(*(f"name: p{i}, count: {count}" for i, count in enumerate(counts))))
    bad = [i for i, count in enumerate(counts) if count < 1]
    if not bad:
        inventory = load_inventory((name,))
        assert inventory.nodes == sum(counts)
        assert [shape.describe() for shape in inventory.shapes] == [
            f"pool p{i} ({count} node{'s' if count != 1 else ''})" for i, count in enumerate(counts)]
        return
    i = bad[0]
    assert load_error(name) == (f"nodes.yaml:{4 + i}:{len(f'  - {{name: p{i}, count: ') + 1}: "
                                f"pools[{i}].count: {counts[i]} is less than the minimum of 1")


# --- errors ------------------------------------------------------------------------------

POOL_HEAD = "apiVersion: kubecheck.io/v1\nkind: NodeInventory\npools:\n  - name: a\n"


@pytest.mark.parametrize(("text", "message"), [
    pytest.param("apiVersion: v1\nkind: Node\nmetadata: [name\n",
                 "4:1: did not find expected ',' or ']' (while parsing a flow sequence at line 3, column 11)",
                 id="bad-yaml"),
    pytest.param("apiVersion: v1\nkind: Node\nmetadata:\n\tname: a\n",
                 "4:1: found character that cannot start any token (while scanning for the next token)", id="tab"),
    pytest.param("apiVersion: v1\nkind: Node\nmetadata:\n  name: a\n  name: b\n",
                 '5:3: duplicate key "name" (first set at line 4)', id="duplicate-key"),
    pytest.param("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
                 "1:1: a node inventory holds Node objects or a kubecheck.io/v1 NodeInventory, not v1 ConfigMap",
                 id="configmap"),
    pytest.param(stream(NODE, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}"),
                 "11:1: a node inventory holds Node objects or a kubecheck.io/v1 NodeInventory, not apps/v1 Deployment",
                 id="second-document"),
    pytest.param("apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Node, metadata: {name: a}}\n"
                 "  - {apiVersion: v1, kind: Secret, metadata: {name: s}}\n",
                 "5:5: a node inventory holds Node objects or a kubecheck.io/v1 NodeInventory, not v1 Secret",
                 id="list-item"),
    pytest.param("apiVersion: v1\nkind: NodeInventory\npools: [{name: a, count: 1}]\n",
                 "1:1: a node inventory holds Node objects or a kubecheck.io/v1 NodeInventory, not v1 NodeInventory",
                 id="core-group"),
    pytest.param("just text\n", '1:1: this document is the scalar "just text", not a Kubernetes object', id="scalar"),
    pytest.param("- 1\n- 2\n", "1:1: this document is a list, not a Kubernetes object", id="sequence"),
    pytest.param("apiVersion: v1\nmetadata: {name: a}\n", "1:1: this document has no kind, so it is not a Kubernetes "
                 "object", id="no-kind"),
    pytest.param("apiVersion: v1\nkind: List\nitems:\n  - metadata: {name: a}\n",
                 "4:5: this list item has no apiVersion and no kind, so it is not a Kubernetes object",
                 id="list-item-without-kind"),
    pytest.param(POOL_HEAD + "    count: 0\n", "5:12: pools[0].count: 0 is less than the minimum of 1", id="count-0"),
    pytest.param(POOL_HEAD + '    count: "3"\n', '5:12: pools[0].count: expected integer, got string "3"',
                 id="count-string"),
    pytest.param(POOL_HEAD + "    count: 1.5\n", "5:12: pools[0].count: expected integer, got number 1.5",
                 id="count-fraction"),
    pytest.param(POOL_HEAD + "    count: 1\n    lables: {}\n",
                 '6:5: unknown field "lables" in pools[0]; did you mean "labels"?', id="unknown-pool-key"),
    pytest.param(POOL_HEAD + "    count: 1\n    taints: [{key: k, effect: NoRun}]\n",
                 '6:31: pools[0].taints[0].effect: "NoRun" is not one of "NoSchedule", "PreferNoSchedule", "NoExecute"',
                 id="taint-effect"),
    pytest.param(POOL_HEAD + "    count: 1\n    taints: [{effect: NoSchedule}]\n",
                 '6:14: pools[0].taints[0]: missing required field "key"', id="taint-without-key"),
    pytest.param(POOL_HEAD + "    count: 1\n    allocatable: {cpu: 2 cores}\n",
                 '6:24: pools[0].allocatable.cpu: "2 cores" is not a quantity (such as 500m, 0.5, 128Mi or 1G)',
                 id="quantity"),
    pytest.param(POOL_HEAD + "    count: 1\n    allocatable: {cpu: true}\n",
                 "6:24: pools[0].allocatable.cpu: expected string or number, got boolean true", id="quantity-boolean"),
    pytest.param(POOL_HEAD + "    count: 1\n    labels: {zone: 1}\n",
                 '6:20: pools[0].labels.zone: expected string, got integer 1 (an unquoted 1 is a number in YAML: '
                 'write "1" in quotes)', id="label-number"),
    pytest.param(POOL_HEAD + '    count: 1\n    unschedulable: "yes"\n',
                 '6:20: pools[0].unschedulable: expected boolean, got string "yes"', id="unschedulable-string"),
    pytest.param(inventory_pool("count: 1"), '4:5: pools[0]: missing required field "name"', id="pool-without-name"),
    pytest.param(inventory_pool("name: '', count: 1"), '4:12: pools[0].name: "" has 0 characters, fewer than the 1 '
                 'required', id="empty-pool-name"),
    pytest.param(inventory_pool("name: a"), '4:5: pools[0]: missing required field "count"', id="pool-without-count"),
    pytest.param("apiVersion: kubecheck.io/v1\nkind: NodeInventory\npools:\n  - gpu\n",
                 '4:5: pools[0]: expected object, got string "gpu"', id="pool-not-a-mapping"),
    pytest.param("apiVersion: kubecheck.io/v1\nkind: NodeInventory\npools: []\n",
                 "3:8: pools: it has 0 items, fewer than the 1 required", id="no-pools"),
    pytest.param("apiVersion: kubecheck.io/v1\nkind: NodeInventory\nmetadata: {name: c}\n",
                 '1:1: the object: missing required field "pools" of a kubecheck node inventory', id="pools-missing"),
    pytest.param("apiVersion: kubecheck.io/v1\nkind: NodeInventory\nnodes: []\npools: [{name: a, count: 1}]\n",
                 '3:1: unknown field "nodes" in a kubecheck node inventory', id="unknown-top-level-key"),
    pytest.param("apiVersion: kubecheck.io/v2\nkind: NodeInventory\npools: [{name: a, count: 1}]\n",
                 '1:13: apiVersion: must be "kubecheck.io/v1", not "kubecheck.io/v2"', id="api-version"),
    pytest.param(stream(NODE, inventory_pool("name: p, count: -2")),
                 "14:22: pools[0].count: -2 is less than the minimum of 1", id="pool-in-second-document"),
    pytest.param("apiVersion: v1\nkind: Node\nmetadata: {labels: {a: b}}\n",
                 '3:1: metadata: missing required field "name"', id="node-without-name"),
    pytest.param("apiVersion: v1\nkind: NodeList\nitems:\n  - metadata: {name: a}\n    spec:\n"
                 "      taints: [{key: k, effect: Sometimes}]\n",
                 '6:33: spec.taints[0].effect: "Sometimes" is not one of "NoSchedule", "PreferNoSchedule", "NoExecute"',
                 id="node-taint-effect"),
    pytest.param("apiVersion: v1\nkind: NodeList\nitems:\n  - metadata: {name: a}\n    status:\n      allocatable:\n"
                 "        memory: 1 GiB\n",
                 '7:17: status.allocatable.memory: "1 GiB" is not a quantity (such as 500m, 0.5, 128Mi or 1G)',
                 id="node-quantity"),
    pytest.param("apiVersion: v1\nkind: Node\nmetadata: {name: a}\nspec: {unschedulable: yes please}\n",
                 '4:23: spec.unschedulable: expected boolean, got string "yes please"',
                 id="node-unschedulable"),
])
def test_errors_name_file_line_and_column(write, text, message):
    assert load_error(write("cluster/nodes.yaml", text)) == f"cluster/nodes.yaml:{message}"


@pytest.mark.parametrize("texts", [
    pytest.param([""], id="empty-file"),
    pytest.param(["# no nodes yet\n"], id="comment"),
    pytest.param(["apiVersion: v1\nkind: NodeList\nitems: []\n"], id="empty-NodeList"),
    pytest.param(["apiVersion: v1\nkind: List\nitems: []\n", "---\n"], id="two-empty-files"),
])
def test_an_inventory_without_nodes_is_an_error(write, texts):
    names = [write(f"nodes-{i}.yaml", text) for i, text in enumerate(texts)]
    assert load_error(*names) == f"{', '.join(names)}: the node inventory declares no nodes"


def test_an_empty_file_next_to_nodes_is_fine(write):
    assert load_inventory((write("empty.yaml", ""), write("nodes.yaml", NODE))).nodes == 1


def test_an_error_names_the_file_it_is_in(write):
    names = write("good.yaml", POOLS), write("bad.yaml", inventory_pool("name: a, count: 0"))
    assert load_error(*names) == "bad.yaml:4:22: pools[0].count: 0 is less than the minimum of 1"


@pytest.mark.parametrize(("make", "reason"), [
    pytest.param(lambda path: None, "No such file or directory", id="missing"),
    pytest.param(lambda path: path.mkdir(), "Is a directory", id="directory"),
])
def test_unreadable_files(write, tmp_path, make, reason):
    make(tmp_path / "nodes.yaml")
    assert load_error("nodes.yaml") == f"nodes.yaml: cannot read the node inventory: {reason}"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_without_read_permission(write, tmp_path):
    (tmp_path / write("nodes.yaml", NODE)).chmod(0)
    assert load_error("nodes.yaml") == "nodes.yaml: cannot read the node inventory: Permission denied"


# --- the shipped example -----------------------------------------------------------------


def test_the_example_inventory_loads():
    inventory = load_inventory((example_inventory(),))
    cpu, memory = Fraction(392, 100), 14 * GIB
    common = {"kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux"}
    assert shapes(inventory) == [
        ("pool general-a (3 nodes)", 3, {**common, "topology.kubernetes.io/zone": "eu-west-1a"}, [], False,
         {"cpu": cpu, "memory": memory, "ephemeral-storage": 95 * GIB, "pods": 58}),
        ("pool general-b (3 nodes)", 3, {**common, "topology.kubernetes.io/zone": "eu-west-1b"}, [], False,
         {"cpu": cpu, "memory": memory, "ephemeral-storage": 95 * GIB, "pods": 58}),
        ("pool gpu (2 nodes)", 2, {**common, "topology.kubernetes.io/zone": "eu-west-1a", "hw-type": "gpu"},
         ["hw-type=gpu:NoSchedule"], False,
         {"cpu": 15, "memory": 60 * GIB, "ephemeral-storage": 190 * GIB, "pods": 58, "nvidia.com/gpu": 4}),
    ]
    assert inventory.nodes == 8


def test_the_example_inventory_is_valid_against_the_schema():
    path = Path(example_inventory())
    schema = json.loads(path.with_name("node-inventory.schema.json").read_text("utf-8"))
    assert first_error(schema, yaml.safe_load(path.read_text("utf-8")), None, []) is None
    # and the schema does reject what the loader rejects
    assert first_error(schema, {"apiVersion": "kubecheck.io/v1", "kind": "NodeInventory",
                                "pools": [{"name": "a", "count": 0}]}, None, []) == \
        ": pools[0].count: 0 is less than the minimum of 1"


# --- the inventory in a run --------------------------------------------------------------


def deployment(*pod_spec: str, requests: str = "", name: str = "web") -> str:
    """A Deployment whose pod spec starts with the lines `pod_spec` (line 9 on, column 7), then its
    one container, with `resources: {requests: {<requests>}}` if given (a request at column 34)."""
    lines = ["apiVersion: apps/v1", "kind: Deployment", f"metadata: {{name: {name}}}", "spec:",
             f"  selector: {{matchLabels: {{app: {name}}}}}", "  template:",
             f"    metadata: {{labels: {{app: {name}}}}}", "    spec:", *("      " + line for line in pod_spec),
             "      containers:", f"        - name: {name}", "          image: nginx:1.27"]
    lines += [f"          resources: {{requests: {{{requests}}}}}"] if requests else []
    return "\n".join(lines) + "\n"


NVME = deployment("nodeSelector: {disk: nvme}")
NVME_MESSAGE = ("the pods of Deployment web cannot be scheduled: 0/{} nodes are available: "
                "{} node(s) didn't match Pod's node affinity/selector.")


def related(finding) -> list[tuple]:
    return [(r.file, r.line, r.column, r.message) for r in finding.related]


def test_mixed_formats_in_several_files_make_one_inventory(lint, write):
    nodes = (write("cluster/list.yaml", NODE_LIST.replace("spec: {unschedulable: true}", "spec: {}")),
             write("pools.yaml", POOLS), write("kind.yaml", KUBECTL_LIST))
    report = lint({"app.yaml": NVME}, nodes=nodes)
    # worker-1 and the gpu pool are tainted, kind-worker cordoned; the rest lack the label
    assert summary(report) == [("unschedulable", 9, 7, "the pods of Deployment web cannot be scheduled: 0/10 nodes are "
                                "available: 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) were "
                                "unschedulable, 2 node(s) had untolerated taint {hw-type: gpu}, 6 node(s) didn't match "
                                "Pod's node affinity/selector.")]
    # the nodeSelector is to blame: the shapes it turns away, each where it is declared
    assert related(report.findings[0]) == [
        ("cluster/list.yaml", 7, 5, "node(s) didn't match Pod's node affinity/selector"),
        ("pools.yaml", 5, 5, "pool general (5 nodes): node(s) didn't match Pod's node affinity/selector"),
    ]


@pytest.mark.parametrize(("allocatable", "requested", "fits"), [
    ("cpu: 2", 'cpu: "2"', True),
    ("cpu: 2", "cpu: 2001m", False),
    ('cpu: "1.5"', "cpu: 1500m", True),
    ("cpu: 1.5", "cpu: 1501m", False),
    ("memory: 1073741824", "memory: 1Gi", True),
    ("memory: 1Gi", "memory: 1025Mi", False),
    ("memory: 1Gi", "memory: 1G", True),
    ("memory: 1G", "memory: 1Gi", False),
    ("memory: 1e3", 'memory: "1000"', True),
    ("memory: 1e3", "memory: 1001", False),
])
def test_allocatable_quantities_in_a_run(lint, write, allocatable, requested, fits):
    nodes = write("nodes.yaml", inventory_pool(f"name: small, count: 2, allocatable: {{{allocatable}}}"))
    report = lint({"app.yaml": deployment(requests=requested)}, nodes=(nodes,))
    resource = requested.split(":")[0]
    expected = [] if fits else [("unschedulable", 12, 34, "the pods of Deployment web cannot be scheduled: 0/2 nodes "
                                                           f"are available: 2 Insufficient {resource}.")]
    assert summary(report, "unschedulable") == expected


@pytest.mark.parametrize("tolerations", [
    pytest.param([], id="none"),
    pytest.param(["tolerations: [{key: node.kubernetes.io/unschedulable, operator: Exists, effect: NoSchedule}]"],
                 id="tolerated"),
])
def test_a_cordoned_pool_in_a_run(lint, write, tolerations):
    nodes = write("nodes.yaml", inventory_pool("name: drained, count: 3, unschedulable: true"))
    report = lint({"app.yaml": deployment(*tolerations)}, nodes=(nodes,))
    expected = [] if tolerations else [
        ("unschedulable", 8, 5, "the pods of Deployment web cannot be scheduled: 0/3 nodes are available: "
                                "3 node(s) were unschedulable.")]
    assert summary(report, "unschedulable") == expected


# A Node the Deployment's nodeSelector {disk: nvme} would admit: were it an inventory, the pods would fit.
NVME_NODE = "apiVersion: v1\nkind: Node\nmetadata: {name: fast-1, labels: {disk: nvme}}\n"


def with_nodes(node: str, where: str) -> dict:
    """lint's arguments: NVME checked, and the Node object `node` checked with it or given as context."""
    return {"files": {"app.yaml": NVME, "cluster.yaml": node}} if where == "checked" else \
        {"files": {"app.yaml": NVME}, "context": {"cluster.yaml": node}}


@pytest.mark.parametrize("where", ["checked", "context"])
def test_node_objects_among_the_manifests_are_not_an_inventory(lint, where):
    report = lint(**with_nodes(NODE, where))  # worker-1 has disk: ssd, tainted: nothing fits it
    assert summary(report, "unschedulable") == []
    assert summary(report, "toleration-unmatched") == []


@pytest.mark.parametrize("where", ["checked", "context"])
def test_node_objects_among_the_manifests_do_not_join_the_inventory(lint, write, where):
    report = lint(**with_nodes(NVME_NODE, where), nodes=(write("nodes.yaml", POOLS),))
    (finding,) = [f for f in report.findings if f.rule == "unschedulable"]
    assert (finding.file, finding.line, finding.column) == ("app.yaml", 9, 7)
    assert finding.message == ("the pods of Deployment web cannot be scheduled: 0/7 nodes are available: "
                               "2 node(s) had untolerated taint {hw-type: gpu}, "
                               "5 node(s) didn't match Pod's node affinity/selector.")
    assert related(finding) == [("nodes.yaml", 5, 5, "pool general (5 nodes): node(s) didn't match Pod's node "
                                                     "affinity/selector")]


# --- the command line --------------------------------------------------------------------


def kubecheck(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    return result


def unschedulable_findings(result) -> list[tuple]:
    """(file, line, column, message, [related files]) of the unschedulable findings of a JSON report."""
    return [(f["file"], f["line"], f["column"], f["message"], [r["file"] for r in f["related"]])
            for f in json.loads(result.stdout)["findings"] if f["rule"] == "unschedulable"]


SMALL = inventory_pool("name: small, count: 2")
SMALL_FINDING = ("app.yaml", 9, 7, NVME_MESSAGE.format(2, 2), ["small.yaml"])


def test_check_with_nodes(write):
    write("app.yaml", NVME)
    write("small.yaml", SMALL)
    write("pools.yaml", POOLS)
    result = kubecheck("check", "--format", "json", "--nodes", "small.yaml", "app.yaml")
    assert result.exit_code == 1
    assert unschedulable_findings(result) == [SMALL_FINDING]
    assert result.stderr == ""
    both = kubecheck("check", "--format", "json", "--nodes", "small.yaml", "--nodes", "pools.yaml", "app.yaml")
    assert [finding[3] for finding in unschedulable_findings(both)] == [
        "the pods of Deployment web cannot be scheduled: 0/9 nodes are available: 2 node(s) had untolerated taint "
        "{hw-type: gpu}, 7 node(s) didn't match Pod's node affinity/selector."]
    without = kubecheck("check", "--format", "json", "app.yaml")
    assert (without.exit_code, unschedulable_findings(without)) == (0, [])


@pytest.mark.parametrize(("files", "args", "message"), [
    ({"nodes.yaml": inventory_pool("name: a, count: 0")}, ["--nodes", "nodes.yaml"],
     "nodes.yaml:4:22: pools[0].count: 0 is less than the minimum of 1"),
    ({"nodes.yaml": SMALL, "bad.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"},
     ["--nodes", "nodes.yaml", "--nodes", "bad.yaml"],
     "bad.yaml:1:1: a node inventory holds Node objects or a kubecheck.io/v1 NodeInventory, not v1 Pod"),
    ({}, ["--nodes", "nope.yaml"], "nope.yaml: cannot read the node inventory: No such file or directory"),
    ({"nodes.yaml": ""}, ["--nodes", "nodes.yaml"], "nodes.yaml: the node inventory declares no nodes"),
    ({".kubecheck.yaml": "nodes: cluster/nodes.yaml\n", "cluster/nodes.yaml": inventory_pool("name: a, count: '3'")},
     [], 'cluster/nodes.yaml:4:22: pools[0].count: expected integer, got string "3"'),
])
def test_a_bad_inventory_exits_2_with_one_line(write, files, args, message):
    write("app.yaml", NVME)
    for name, text in files.items():
        write(name, text)
    result = kubecheck("check", *args, "app.yaml")
    assert result.exit_code == 2
    assert result.stderr == f"kubecheck: error: {message}\n"
    assert result.stdout == ""


def test_a_bad_inventory_exits_2_from_the_executable(write, tmp_path):
    write("app.yaml", NVME)
    write("nodes.yaml", inventory_pool("name: a, count: 1, taints: [{key: k, effect: Never}]"))
    result = subprocess.run([str(KUBECHECK), "check", "--nodes", "nodes.yaml", "app.yaml"], capture_output=True,
                            text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 2
    assert result.stderr == ('kubecheck: error: nodes.yaml:4:51: pools[0].taints[0].effect: "Never" is not one of '
                             '"NoSchedule", "PreferNoSchedule", "NoExecute"\n')
    assert result.stdout == ""


@pytest.mark.parametrize("value", ["small.yaml", "[small.yaml]"])
def test_config_nodes_are_relative_to_the_config_file(write, value):
    write("app.yaml", NVME)
    write("conf/.kubecheck.yaml", f"nodes: {value}\n")
    write("conf/small.yaml", SMALL)
    write("small.yaml", "not: an inventory\n")  # what a path relative to the working directory would find
    result = kubecheck("check", "--format", "json", "--config", "conf/.kubecheck.yaml", "app.yaml")
    assert result.exit_code == 1, result.stderr
    assert unschedulable_findings(result) == [SMALL_FINDING[:4] + (["conf/small.yaml"],)]


def test_config_nodes_from_a_parent_folder(write, tmp_path, monkeypatch):
    write(".kubecheck.yaml", "nodes: [cluster/small.yaml]\n")
    write("cluster/small.yaml", SMALL)
    write("k8s/app.yaml", NVME)
    monkeypatch.chdir(tmp_path / "k8s")
    result = kubecheck("check", "--format", "json", "app.yaml")
    assert result.exit_code == 1, result.stderr
    assert unschedulable_findings(result) == [SMALL_FINDING[:4] + ([str(tmp_path / "cluster" / "small.yaml")],)]


def test_the_nodes_option_replaces_the_config_key(write):
    write("app.yaml", NVME)
    write(".kubecheck.yaml", "nodes: [pools.yaml, broken.yaml]\n")
    write("pools.yaml", POOLS)
    write("broken.yaml", inventory_pool("name: a, count: 0"))
    write("small.yaml", SMALL)
    assert kubecheck("check", "app.yaml").stderr == \
        "kubecheck: error: broken.yaml:4:22: pools[0].count: 0 is less than the minimum of 1\n"
    result = kubecheck("check", "--format", "json", "--nodes", "small.yaml", "app.yaml")
    assert result.exit_code == 1, result.stderr
    assert unschedulable_findings(result) == [SMALL_FINDING]
