"""kubecheck.scheduling, unit by unit: pod_requests, tolerates, evaluate/explain, topology_domains.

The references written here are transcriptions of Kubernetes code:
- requests: k8s.io/component-helpers/resource (PodRequests, AggregateContainerRequests) after the
  API server's defaulting (pkg/apis/core/v1/defaults.go SetDefaults_Pod, defaultPodRequests);
- tolerations: k8s.io/api/core/v1 toleration.go (ToleratesTaint, compareNumericValues with
  content.IsDecimalInteger and strconv.ParseInt(s, 10, 64));
- node affinity: k8s.io/apimachinery labels.Requirement.Matches (Gt/Lt with strconv.ParseInt);
- filters and the message: kube-scheduler's NodeUnschedulable, NodeName, TaintToleration,
  NodeAffinity, NodeResourcesFit (fitsRequest) and FitError.Error.
"""

from __future__ import annotations

import math
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubecheck.inventory import HOSTNAME, UNSCHEDULABLE_TAINT, Inventory, NodeShape, Taint, load_inventory
from kubecheck.quantity import parse_quantity
from kubecheck.scheduling import (AFFINITY, NAMED, NODE_NAME, RESOURCES, TAINTS, UNSCHEDULABLE, NodeIndex, evaluate,
                                  explain, pod_needs, pod_requests, shapes_in, tolerates, topology_domains)

FILTERS = (NAMED, UNSCHEDULABLE, NODE_NAME, TAINTS, AFFINITY, RESOURCES)
OUTSIDE_NAMED = "node(s) didn't satisfy plugin(s) [NodeAffinity]"
CONFLICT = "pod affinity terms conflict"
CORDONED = "node(s) were unschedulable"
OTHER_NAME = "node(s) didn't match the requested node name"
NO_MATCH = "node(s) didn't match Pod's node affinity/selector"
EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


# ---------------------------------------------------------------------------------------------
# Builders


def taint(text: str) -> Taint:
    """`key=value:Effect` or `key:Effect`."""
    key_value, effect = text.rsplit(":", 1)
    key, _, value = key_value.partition("=")
    return Taint(key, value, effect)


def _amounts(allocatable: dict | None) -> dict:
    return {resource: parse_quantity(value) for resource, value in (allocatable or {}).items()}


def node(name: str, labels: dict | None = None, taints: str = "", *, cordoned: bool = False,
         allocatable: dict | None = None) -> NodeShape:
    """A Node object's shape (taints as `k=v:Effect k2:Effect`); cordoned as spec.unschedulable sets it."""
    return NodeShape(1, dict(labels or {}), tuple(map(taint, taints.split())), cordoned, _amounts(allocatable),
                     name, None, None, ())


def pool(name: str, count: int, labels: dict | None = None, taints: str = "", *, cordoned: bool = False,
         allocatable: dict | None = None) -> NodeShape:
    """A NodeInventory pool's shape; a cordoned pool carries the unschedulable taint, as the loader gives it."""
    marks = tuple(map(taint, taints.split())) + ((Taint(UNSCHEDULABLE_TAINT, "", "NoSchedule"),) if cordoned else ())
    return NodeShape(count, dict(labels or {}), marks, cordoned, _amounts(allocatable), None, name, None, ("pools", 0))


def index(*shapes: NodeShape) -> NodeIndex:
    return NodeIndex(Inventory(tuple(shapes), ("nodes.yaml",)))


def label(shape: NodeShape) -> str:
    return shape.name if shape.name is not None else shape.pool


def pod(**spec) -> dict:
    """A pod spec with one container asking `requests` (a dict) unless `containers` is given."""
    requests = spec.pop("requests", None)
    container = {"name": "app", "image": "app:1"}
    if requests:
        container["resources"] = {"requests": requests}
    return {"containers": [container], **spec}


def affinity(*terms) -> dict:
    return {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": list(terms)}}}


def expr(key: str, operator: str, *values: str) -> dict:
    found = {"key": key, "operator": operator}
    return {**found, "values": list(values)} if values else found


def by_name(operator: str, *names: str) -> dict:
    """A matchFields requirement on metadata.name."""
    return {"key": "metadata.name", "operator": operator, "values": list(names)}


def term(*expressions: dict, fields: tuple = ()) -> dict:
    found = {"matchExpressions": list(expressions)} if expressions else {}
    return {**found, "matchFields": list(fields)} if fields else found


def judge(spec: dict, shapes, *, daemonset: bool = False):
    """(needs, nodes, verdict) of `spec` on an inventory of `shapes`."""
    nodes = index(*shapes)
    needs = pod_needs(spec, daemonset=daemonset)
    return needs, nodes, evaluate(needs, nodes)


def fitting(spec: dict, shapes, *, daemonset: bool = False) -> list[str]:
    _, nodes, verdict = judge(spec, shapes, daemonset=daemonset)
    return [label(shape) for shape in shapes_in(verdict.fits, nodes.shapes)]


def why(spec: dict, shapes):
    """The explanation of a pod that fits nowhere."""
    needs, nodes, verdict = judge(spec, shapes)
    assert verdict.fits == 0
    return explain(needs, verdict, nodes)


def message(spec: dict, shapes) -> str:
    return why(spec, shapes).message


# ---------------------------------------------------------------------------------------------
# pod_requests


def container(requests: dict | None = None, limits: dict | None = None, **fields) -> dict:
    resources = {name: value for name, value in (("requests", requests), ("limits", limits)) if value is not None}
    return {"name": "c", "image": "c:1", **({"resources": resources} if resources else {}), **fields}


def sidecar(requests: dict) -> dict:
    return container(requests, restartPolicy="Always")


def q(**amounts) -> dict:
    """{resource: Fraction} from quantity texts; ephemeral_storage for ephemeral-storage."""
    return {name.replace("_", "-"): parse_quantity(value) for name, value in amounts.items()}


@pytest.mark.parametrize("spec, expected", [
    pytest.param({"containers": [container({"cpu": "500m", "memory": "1Gi"}),
                                 container({"cpu": "1.5", "memory": "1000Mi"})]},
                 q(cpu="2", memory="2024Mi"), id="containers-summed"),
    pytest.param({"containers": [container({"cpu": "100m"}, {"cpu": "1", "memory": "2Gi", "example.com/x": "3"})]},
                 {**q(cpu="100m", memory="2Gi"), "example.com/x": 3}, id="requests-default-to-limits-per-resource"),
    pytest.param({"containers": [container(limits={"cpu": 2})]}, q(cpu="2"), id="limits-alone"),
    pytest.param({"containers": [container({"cpu": "1", "memory": "1Gi"})],
                  "initContainers": [container({"cpu": "2", "memory": "100Mi"}), container({"cpu": "500m"})]},
                 q(cpu="2", memory="1Gi"), id="init-containers-max-per-resource"),
    pytest.param({"containers": [container({"cpu": "1"})],
                  "initContainers": [container({"cpu": "3"}), sidecar({"cpu": "1"})]},
                 q(cpu="3"), id="an-init-container-before-a-sidecar-runs-without-it"),
    pytest.param({"containers": [container({"cpu": "1"})],
                  "initContainers": [sidecar({"cpu": "1"}), container({"cpu": "3"})]},
                 q(cpu="4"), id="an-init-container-after-a-sidecar-runs-beside-it"),
    pytest.param({"containers": [container({"cpu": "1"})],
                  "initContainers": [sidecar({"cpu": "1"}), container({"cpu": "5"}), sidecar({"cpu": "2"}),
                                     container({"cpu": "1"})]},
                 q(cpu="6"), id="sidecars-accumulate"),
    pytest.param({"containers": [container({"cpu": "1", "memory": "1Gi"})],
                  "initContainers": [sidecar({"cpu": "2", "memory": "64Mi"}), container({"cpu": "1"})]},
                 q(cpu="3", memory="1088Mi"), id="sidecars-add-to-the-containers"),
    pytest.param({"containers": [container({"cpu": "1"})],
                  "initContainers": [container({"cpu": "1"}, restartPolicy="Never")]},
                 q(cpu="1"), id="only-restartPolicy-Always-makes-a-sidecar"),
    pytest.param({"containers": [container({"cpu": "3", "memory": "1Gi"})], "resources": {"requests": {"cpu": "2"}}},
                 q(cpu="2", memory="1Gi"), id="pod-level-requests-replace-the-containers"),
    pytest.param({"containers": [container()], "resources": {"limits": {"cpu": "4", "memory": "2Gi"}}},
                 q(cpu="4", memory="2Gi"), id="pod-level-requests-default-to-pod-level-limits"),
    pytest.param({"containers": [container({"cpu": "1"})], "overhead": {"cpu": "250m", "memory": "120Mi"}},
                 q(cpu="1.25", memory="120Mi"), id="overhead-added"),
    pytest.param({"containers": [container({"cpu": "1"})], "resources": {"requests": {"cpu": "2"}},
                  "overhead": {"cpu": "250m"}}, q(cpu="2.25"), id="overhead-added-to-pod-level-requests"),
    pytest.param({"containers": [container({"cpu": "0", "memory": "1Gi"})]}, q(memory="1Gi"),
                 id="zero-amounts-dropped"),
    pytest.param({"containers": [container({"cpu": "lots", "memory": "1Gi", "example.com/x": True,
                                            "example.com/y": None})]},
                 q(memory="1Gi"), id="values-that-are-not-quantities-ignored"),
    pytest.param({"containers": [container({"cpu": ["1"], "memory": "1Gi"})]}, q(memory="1Gi"),
                 id="a-list-where-a-quantity-belongs-ignored"),
    pytest.param({"containers": [container({"cpu": {"value": 1}, "memory": "1Gi"})]}, q(memory="1Gi"),
                 id="a-map-where-a-quantity-belongs-ignored"),
    pytest.param({"containers": ["app", None, {"name": "c", "resources": "big"}, container({"cpu": 1})],
                  "initContainers": {"not": "a list"}}, q(cpu="1"), id="malformed-containers-ignored"),
    pytest.param({}, {}, id="no-containers"),
])
def test_pod_requests(spec, expected):
    assert pod_requests(spec) == expected


def test_pod_level_limits_default_requests_from_the_containers_when_they_ask():
    """defaultPodRequests (pkg/apis/core/v1/defaults.go): with pod-level limits and no pod-level request
    for a resource, the request defaults to the containers' aggregated requests when some container asks
    for that resource, and to the pod-level limit only when none does."""
    spec = {"containers": [container({"cpu": "1"})], "resources": {"limits": {"cpu": "4", "memory": "2Gi"}}}
    assert pod_requests(spec) == q(cpu="1", memory="2Gi")


def reference_pod_requests(spec: dict) -> dict:
    """AggregateContainerRequests after SetDefaults_Pod, plus the overhead (PodRequests, no pod-level)."""
    def requests_of(item):
        resources = item.get("resources") or {}
        found = {name: parse_quantity(value) for name, value in (resources.get("requests") or {}).items()}
        for name, value in (resources.get("limits") or {}).items():
            found.setdefault(name, parse_quantity(value))
        return found

    def add(target, amounts):
        for name, amount in amounts.items():
            target[name] = target.get(name, 0) + amount

    def raise_to(target, amounts):  # maxResourceList
        for name, amount in amounts.items():
            if name not in target or amount > target[name]:
                target[name] = amount

    result, restartable, init = {}, {}, {}
    for item in spec.get("containers") or []:
        add(result, requests_of(item))
    for item in spec.get("initContainers") or []:
        requests = requests_of(item)
        if item.get("restartPolicy") == "Always":
            add(result, requests)
            add(restartable, requests)
            running = dict(restartable)
        else:
            running = dict(requests)
            add(running, restartable)
        raise_to(init, running)
    raise_to(result, init)
    add(result, {name: parse_quantity(value) for name, value in (spec.get("overhead") or {}).items()})
    return {name: amount for name, amount in result.items() if amount > 0}


amount_maps = st.dictionaries(st.sampled_from(["cpu", "memory", "example.com/x"]),
                              st.integers(0, 3000).map(lambda n: f"{n}m"), max_size=3)
containers = st.builds(lambda requests, limits: container(requests or None, limits or None), amount_maps, amount_maps)
init_containers = st.builds(lambda item, policy: {**item, **({"restartPolicy": policy} if policy else {})},
                            containers, st.sampled_from([None, "Always", "Never", "OnFailure"]))


@given(st.lists(containers, max_size=3), st.lists(init_containers, max_size=4), amount_maps)
def test_pod_requests_follow_kubernetes(regular, init, overhead):
    spec = {"containers": regular, "initContainers": init, **({"overhead": overhead} if overhead else {})}
    assert pod_requests(spec) == reference_pod_requests(spec)


# ---------------------------------------------------------------------------------------------
# tolerates


def is_decimal_integer(text: str) -> bool:
    """content.IsDecimalInteger: "0", or an optional "-" and digits not starting with 0."""
    body = text[1:] if text.startswith("-") else text
    if not body or not all("0" <= c <= "9" for c in body):
        return False
    return body[0] != "0" or text == "0"


def parse_int64(text: str) -> int | None:
    """strconv.ParseInt(text, 10, 64), None on error."""
    body = text[1:] if text[:1] in ("+", "-") else text
    if not body or not all("0" <= c <= "9" for c in body):
        return None
    value = int(text)
    return value if -(2**63) <= value < 2**63 else None


def reference_tolerates(toleration: dict, mark: Taint) -> bool:
    """Toleration.ToleratesTaint (k8s.io/api/core/v1/toleration.go), comparison operators enabled."""
    effect, key = toleration.get("effect") or "", toleration.get("key") or ""
    if (effect and effect != mark.effect) or (key and key != mark.key):
        return False
    operator, value = toleration.get("operator") or "", toleration.get("value") or ""
    if operator in ("", "Equal"):
        return value == mark.value
    if operator == "Exists":
        return True
    if operator in ("Gt", "Lt"):
        if not (is_decimal_integer(value) and is_decimal_integer(mark.value)):
            return False
        ours, theirs = parse_int64(value), parse_int64(mark.value)
        if ours is None or theirs is None:
            return False
        return theirs > ours if operator == "Gt" else theirs < ours
    return False


@pytest.mark.parametrize("toleration, mark, expected", [
    ({"key": "k", "value": "v"}, "k=v:NoSchedule", True),  # Equal is the default
    ({"key": "k", "operator": "", "value": "v"}, "k=v:NoSchedule", True),
    ({"key": "k", "operator": "Equal", "value": "v"}, "k=v:NoExecute", True),
    ({"key": "k", "operator": "Equal", "value": "w"}, "k=v:NoSchedule", False),
    ({"key": "k", "operator": "Equal"}, "k=v:NoSchedule", False),
    ({"key": "k", "operator": "Equal"}, "k:NoSchedule", True),  # no value equals the empty value
    ({"key": "other", "operator": "Equal", "value": "v"}, "k=v:NoSchedule", False),
    ({"operator": "Equal", "value": "v"}, "k=v:NoSchedule", True),  # an empty key matches every key
    ({"key": "k", "operator": "Exists"}, "k=anything:NoSchedule", True),
    ({"key": "k", "operator": "Exists"}, "k:PreferNoSchedule", True),
    ({"key": "other", "operator": "Exists"}, "k=v:NoSchedule", False),
    ({"operator": "Exists"}, "k=v:NoExecute", True),  # tolerates everything
    ({"operator": "Exists", "effect": "NoSchedule"}, "k=v:NoExecute", False),
    ({"key": "k", "operator": "Exists", "effect": "NoExecute"}, "k=v:NoExecute", True),
    ({"key": "k", "operator": "Exists", "effect": "NoExecute"}, "k=v:NoSchedule", False),
    ({"key": "k", "operator": "Exists", "effect": ""}, "k=v:NoSchedule", True),  # an empty effect matches all
    ({"key": "k", "operator": "Gt", "value": "5"}, "k=10:NoSchedule", True),  # the taint's value is greater
    ({"key": "k", "operator": "Gt", "value": "5"}, "k=5:NoSchedule", False),
    ({"key": "k", "operator": "Gt", "value": "5"}, "k=3:NoSchedule", False),
    ({"key": "k", "operator": "Lt", "value": "5"}, "k=3:NoSchedule", True),
    ({"key": "k", "operator": "Lt", "value": "5"}, "k=5:NoSchedule", False),
    ({"key": "k", "operator": "Lt", "value": "5"}, "k=10:NoSchedule", False),
    ({"key": "k", "operator": "Lt", "value": "-1"}, "k=0:NoSchedule", False),
    ({"key": "k", "operator": "Gt", "value": "-1"}, "k=0:NoSchedule", True),
    ({"key": "k", "operator": "Gt", "value": "5"}, "k=high:NoSchedule", False),
    ({"key": "k", "operator": "Gt", "value": "5"}, "k:NoSchedule", False),
    ({"key": "k", "operator": "Lt", "value": "abc"}, "k=3:NoSchedule", False),
    ({"key": "k", "operator": "Gt", "value": "5", "effect": "NoExecute"}, "k=10:NoSchedule", False),
    ({"key": "k", "operator": "Gt", "value": "5"}, "k=9223372036854775807:NoSchedule", True),
    ({"key": "k", "operator": "Like", "value": "v"}, "k=v:NoSchedule", False),
])
def test_tolerates(toleration, mark, expected):
    assert reference_tolerates(toleration, taint(mark)) is expected  # the transcription agrees
    assert tolerates(toleration, taint(mark)) is expected


@pytest.mark.parametrize("operator, bound, value", [
    ("Gt", "5", "05"),  # leading zero: not canonical (content.IsDecimalInteger)
    ("Gt", "5", "007"),
    ("Lt", "50", "010"),
    ("Gt", "5", "1_0"),  # strconv.ParseInt(s, 10, 64) does not read underscores; Python's int() does
    ("Lt", "100", "1_0"),
    ("Gt", "5", "9223372036854775808"),  # beyond int64: ParseInt fails
    ("Gt", "5", "99999999999999999999"),
])
def test_numeric_taint_values_must_be_canonical_int64(operator, bound, value):
    """compareNumericValues (k8s.io/api/core/v1/toleration.go) checks both values with
    content.IsDecimalInteger and strconv.ParseInt(s, 10, 64); a taint value outside that (yet a valid
    label value, which is all a taint value must be) tolerates nothing with Gt or Lt."""
    toleration, mark = {"key": "k", "operator": operator, "value": bound}, Taint("k", value, "NoSchedule")
    assert reference_tolerates(toleration, mark) is False
    assert tolerates(toleration, mark) is False


label_values = st.from_regex(r"\A([A-Za-z0-9]([-A-Za-z0-9_.]{0,6}[A-Za-z0-9])?)?\Z") | st.sampled_from(
    ["0", "1", "5", "10", "05", "007", "1_0", "9223372036854775807", "9223372036854775808", "99999999999999999999"])
#: Values for Gt and Lt tolerations the API server accepts: canonical integers in int64.
comparison_values = st.integers(-(2**63), 2**63 - 1).map(str) | st.sampled_from(["0", "1", "5", "10"])
marks = st.builds(Taint, st.sampled_from(["k", "other"]), label_values, st.sampled_from(EFFECTS))


@st.composite
def tolerations(draw, keys=("k", "other")):
    operator = draw(st.sampled_from([None, "", "Equal", "Exists", "Gt", "Lt"]))
    value = draw(comparison_values if operator in ("Gt", "Lt") else st.none() | label_values)
    fields = {"key": draw(st.sampled_from([None, "", *keys])), "operator": operator, "value": value,
              "effect": draw(st.sampled_from([None, "", *EFFECTS]))}
    return {name: field for name, field in fields.items() if field is not None}


@settings(max_examples=500)
@given(tolerations(), marks)
def test_tolerates_follows_kubernetes(toleration, mark):
    assert tolerates(toleration, mark) is reference_tolerates(toleration, mark)


# ---------------------------------------------------------------------------------------------
# evaluate: node selector and node affinity

RANKED = (node("a", {"tier": "web", "rank": "3"}), node("b", {"tier": "db", "rank": "10"}), node("c", {"rank": "x"}),
          node("d"))


@pytest.mark.parametrize("requirement, expected", [
    (expr("tier", "In", "web"), ["a"]),
    (expr("tier", "In", "web", "db"), ["a", "b"]),
    (expr("tier", "In", "cache"), []),
    (expr("tier", "NotIn", "web"), ["b", "c", "d"]),  # nodes without the label too
    (expr("rank", "NotIn", "3", "10"), ["c", "d"]),
    (expr("tier", "Exists"), ["a", "b"]),
    (expr("tier", "DoesNotExist"), ["c", "d"]),
    (expr("rank", "Gt", "3"), ["b"]),
    (expr("rank", "Gt", "2"), ["a", "b"]),
    (expr("rank", "Gt", "-1"), ["a", "b"]),  # "x" is no integer, and d has no rank
    (expr("rank", "Lt", "10"), ["a"]),
    (expr("rank", "Lt", "100"), ["a", "b"]),
    (expr("tier", "Gt", "0"), []),
    (expr(HOSTNAME, "In", "b", "zzz"), ["b"]),  # a Node's hostname label is its name when the file omits it
])
def test_node_affinity_operators(requirement, expected):
    assert fitting(pod(affinity=affinity(term(requirement))), RANKED) == expected


@pytest.mark.parametrize("value, operator, bound, expected", [
    ("007", "Gt", "5", True),  # strconv.ParseInt reads leading zeros
    ("9223372036854775807", "Gt", "5", True),
    ("1_0", "Gt", "5", False),  # ... but not underscores
    ("1_0", "Lt", "20", False),
    ("9223372036854775808", "Gt", "5", False),  # ... nor values beyond int64
    ("99999999999999999999", "Gt", "5", False),
])
def test_gt_and_lt_read_label_values_as_parse_int(value, operator, bound, expected):
    """labels.Requirement.Matches (k8s.io/apimachinery/pkg/labels/selector.go): for Gt and Lt the
    node's label value goes through strconv.ParseInt(value, 10, 64); a value it rejects matches nothing."""
    shapes = (node("n", {"rank": value}),)
    assert fitting(pod(affinity=affinity(term(expr("rank", operator, bound)))), shapes) == (["n"] if expected else [])


@pytest.mark.parametrize("spec, expected", [
    pytest.param(pod(nodeSelector={"tier": "web"}), ["a"], id="node-selector"),
    pytest.param(pod(nodeSelector={"tier": "web", "rank": "3"}), ["a"], id="node-selector-entries-ANDed"),
    pytest.param(pod(nodeSelector={"tier": "web", "rank": "10"}), [], id="node-selector-entries-all-needed"),
    pytest.param(pod(nodeSelector={"tier": ""}), [], id="node-selector-empty-value"),
    pytest.param(pod(affinity=affinity(term(expr("tier", "In", "web")), term(expr("rank", "In", "10")))),
                 ["a", "b"], id="terms-ORed"),
    pytest.param(pod(affinity=affinity(term(expr("tier", "In", "web", "db"), expr("rank", "Gt", "5")))), ["b"],
                 id="expressions-ANDed"),
    pytest.param(pod(affinity=affinity({})), [], id="an-empty-term-matches-nothing"),
    pytest.param(pod(affinity=affinity({"matchExpressions": [], "matchFields": []})), [],
                 id="a-term-of-empty-lists-matches-nothing"),
    pytest.param(pod(affinity=affinity({}, term(expr("tier", "In", "web")))), ["a"], id="an-empty-term-among-others"),
    pytest.param(pod(affinity=affinity()), [], id="no-terms"),
    pytest.param(pod(nodeSelector={"tier": "web"}, affinity=affinity(term(expr("rank", "Gt", "5")))), [],
                 id="node-selector-and-affinity-ANDed"),
    pytest.param(pod(affinity=affinity(term(fields=(by_name("In", "b", "d"),)))), ["b", "d"], id="match-fields-In"),
    pytest.param(pod(affinity=affinity(term(fields=(by_name("NotIn", "b"),)))), ["a", "c", "d"],
                 id="match-fields-NotIn"),
    pytest.param(pod(affinity=affinity(term(expr("rank", "Exists"), fields=(by_name("In", "b", "d"),)))), ["b"],
                 id="match-fields-ANDed-with-expressions"),
])
def test_node_selector_and_terms(spec, expected):
    assert fitting(spec, RANKED) == expected


NAMED_AND_POOL = (node("a", {"tier": "web"}), node("b", {HOSTNAME: "b-host"}), pool("p", 3, {"tier": "web"}))


@pytest.mark.parametrize("spec, expected", [
    pytest.param(pod(nodeSelector={HOSTNAME: "a"}), ["a", "p"], id="node-selector-on-hostname"),
    pytest.param(pod(nodeSelector={HOSTNAME: "b"}), ["p"], id="a-declared-hostname-label-wins-over-the-name"),
    pytest.param(pod(affinity=affinity(term(expr(HOSTNAME, "In", "zzz")))), ["p"], id="hostname-In"),
    pytest.param(pod(affinity=affinity(term(expr(HOSTNAME, "NotIn", "a")))), ["b", "p"], id="hostname-NotIn"),
    pytest.param(pod(affinity=affinity(term(expr(HOSTNAME, "Exists")))), ["a", "b", "p"], id="hostname-Exists"),
    pytest.param(pod(affinity=affinity(term(expr(HOSTNAME, "DoesNotExist")))), [], id="hostname-DoesNotExist"),
    pytest.param(pod(affinity=affinity(term(expr(HOSTNAME, "Gt", "5")))), ["p"], id="hostname-Gt"),
    pytest.param(pod(affinity=affinity(term(fields=(by_name("In", "a"),)))), ["a", "p"], id="match-fields-In"),
    pytest.param(pod(affinity=affinity(term(fields=(by_name("NotIn", "a"),)))), ["b", "p"], id="match-fields-NotIn"),
    pytest.param(pod(nodeName="zzz"), ["p"], id="node-name"),
    pytest.param(pod(nodeName="a"), ["a", "p"], id="node-name-of-a-node"),
])
def test_pool_nodes_have_unknown_names(spec, expected):
    assert fitting(spec, NAMED_AND_POOL) == expected


def test_match_fields_on_names_narrow_the_nodes_before_the_filters():
    """NodeAffinity's PreFilter (pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go) turns
    matchFields metadata.name In into a PreFilterResult; the scheduler runs no filter on the other nodes
    and counts them as "node(s) didn't satisfy plugin(s) [NodeAffinity]" (schedule_one.go,
    findNodesThatFitPod, SetAbsentNodesStatus; FitError.Error adds the absent nodes)."""
    shapes = (node("a", allocatable={"cpu": "1"}), node("b", cordoned=True), node("c", taints="k=v:NoSchedule"))
    spec = pod(requests={"cpu": "2"}, affinity=affinity(term(fields=(by_name("In", "a"),))))
    assert message(spec, shapes) == ("0/3 nodes are available: 1 Insufficient cpu, "
                                     "2 node(s) didn't satisfy plugin(s) [NodeAffinity].")


def test_match_fields_naming_no_node_in_every_term_is_a_conflict():
    """NodeAffinity's PreFilter: terms whose metadata.name sets intersect to nothing reject the pod
    before any filter, with errReasonConflict; FitError.Error then gives the PreFilter message alone."""
    names = (by_name("In", "a"), by_name("In", "b"))
    spec = pod(affinity=affinity(term(fields=names)))
    assert message(spec, (node("a"), node("b"))) == "0/2 nodes are available: pod affinity terms conflict."


# ---------------------------------------------------------------------------------------------
# evaluate: taints, cordons, nodeName

TAINTED = (node("no-schedule", taints="gpu=yes:NoSchedule"), node("prefer", taints="gpu=yes:PreferNoSchedule"),
           node("no-execute", taints="gpu=yes:NoExecute"), node("clean"))


@pytest.mark.parametrize("tolerations, expected", [
    ([], ["prefer", "clean"]),  # PreferNoSchedule never blocks
    ([{"key": "gpu", "operator": "Exists", "effect": "NoSchedule"}], ["no-schedule", "prefer", "clean"]),
    ([{"key": "gpu", "value": "yes", "effect": "NoExecute"}], ["prefer", "no-execute", "clean"]),
    ([{"key": "gpu", "value": "yes"}], ["no-schedule", "prefer", "no-execute", "clean"]),
    ([{"key": "gpu", "value": "no"}], ["prefer", "clean"]),
    ([{"operator": "Exists"}], ["no-schedule", "prefer", "no-execute", "clean"]),
])
def test_taint_effects(tolerations, expected):
    assert fitting(pod(tolerations=tolerations), TAINTED) == expected


def test_every_pod_tolerates_not_ready_and_unreachable_for_no_execute():
    """The DefaultTolerationSeconds admission plugin adds those two NoExecute tolerations to every pod."""
    shapes = (node("unreachable", taints="node.kubernetes.io/unreachable:NoExecute"),
              node("not-ready", taints="node.kubernetes.io/not-ready:NoExecute"),
              node("not-ready-no-schedule", taints="node.kubernetes.io/not-ready:NoSchedule"))
    assert fitting(pod(), shapes) == ["unreachable", "not-ready"]


@pytest.mark.parametrize("key, host_network", [
    ("node.kubernetes.io/disk-pressure", False), ("node.kubernetes.io/memory-pressure", False),
    ("node.kubernetes.io/pid-pressure", False), ("node.kubernetes.io/unschedulable", False),
    ("node.kubernetes.io/network-unavailable", True),
])
def test_daemonset_pods_tolerate_what_their_controller_adds(key, host_network):
    """pkg/controller/daemon/util AddOrUpdateDaemonPodTolerations; network-unavailable for hostNetwork pods."""
    shapes = (node("n", taints=f"{key}:NoSchedule"),)
    spec = pod(hostNetwork=True) if host_network else pod()
    assert fitting(spec, shapes) == []
    assert fitting(spec, shapes, daemonset=True) == ["n"]
    if host_network:
        assert fitting(pod(), shapes, daemonset=True) == []


@pytest.mark.parametrize("toleration, tolerated", [
    ({"key": UNSCHEDULABLE_TAINT, "operator": "Exists"}, True),
    ({"key": UNSCHEDULABLE_TAINT, "operator": "Exists", "effect": "NoSchedule"}, True),
    ({"key": UNSCHEDULABLE_TAINT}, True),  # Equal to the empty value
    ({"operator": "Exists"}, True),
    ({"operator": "Exists", "effect": "NoSchedule"}, True),
    ({"key": UNSCHEDULABLE_TAINT, "operator": "Exists", "effect": "NoExecute"}, False),
    ({"key": UNSCHEDULABLE_TAINT, "value": "true"}, False),
    ({"key": "other", "operator": "Exists"}, False),
])
def test_cordoned_nodes_and_the_unschedulable_toleration(toleration, tolerated):
    """NodeUnschedulable: a cordoned node admits pods that tolerate {node.kubernetes.io/unschedulable, NoSchedule}.
    A Node object's spec.unschedulable alone; a pool also carries the taint."""
    shapes = (node("cordoned", cordoned=True), pool("old", 2, cordoned=True))
    assert fitting(pod(tolerations=[toleration]), shapes) == (["cordoned", "old"] if tolerated else [])
    assert fitting(pod(), shapes, daemonset=True) == ["cordoned", "old"]
    if not tolerated:
        assert message(pod(tolerations=[toleration]), shapes) == f"0/3 nodes are available: 3 {CORDONED}."


@pytest.mark.parametrize("shape, expected", [
    pytest.param(node("a", cordoned=True, taints="k=v:NoSchedule"), ["a"], id="cordon-and-no-schedule-ignored"),
    pytest.param(node("a", taints="k=v:NoExecute"), [], id="no-execute-still-applies"),
    pytest.param(node("a", {"tier": "db"}), [], id="node-selector-still-applies"),
    pytest.param(node("a", allocatable={"cpu": "500m"}), [], id="resources-still-apply"),
    pytest.param(node("b"), [], id="another-node"),
    pytest.param(pool("p", 2), ["p"], id="a-pool-node-may-be-the-one"),
])
def test_node_name_skips_the_scheduler(shape, expected):
    spec = pod(nodeName="a", nodeSelector={"tier": "web"} if shape.labels else {}, requests={"cpu": "1"})
    assert fitting(spec, (shape,)) == expected


def test_node_name_messages():
    shapes = (node("a", taints="k=v:NoExecute"), node("b"), node("c"))
    assert message(pod(nodeName="a"), shapes) == (
        f"0/3 nodes are available: 1 node(s) had untolerated taint {{k: v}}, 2 {OTHER_NAME}.")
    assert message(pod(nodeName="zzz"), shapes) == f"0/3 nodes are available: 3 {OTHER_NAME}."


def test_the_first_untolerated_blocking_taint_is_named():
    """TaintToleration reports the first taint of the node, in order, that blocks and is not tolerated."""
    shapes = (node("n", taints="soft=1:PreferNoSchedule ok=1:NoSchedule dedicated:NoSchedule late=2:NoExecute"),)
    spec = pod(tolerations=[{"key": "ok", "operator": "Exists"}])
    assert message(spec, shapes) == "0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: }."


# ---------------------------------------------------------------------------------------------
# evaluate: resources


@pytest.mark.parametrize("allocatable, requests, fits", [
    ({"cpu": "1500m"}, {"cpu": "1.5"}, True),
    ({"cpu": "1500m"}, {"cpu": "1.5001"}, False),  # 1500.1m is 1501m
    ({"cpu": "1500m"}, {"cpu": "500m"}, True),
    ({"cpu": "0.0005"}, {"cpu": "1m"}, True),  # allocatable rounds up too (MilliValue)
    ({"cpu": "1"}, {"cpu": "1001m"}, False),
    ({"memory": "1Gi"}, {"memory": "1000Mi"}, True),
    ({"memory": "1Gi"}, {"memory": "1.0001Gi"}, False),
    ({"memory": "1Gi"}, {"memory": "1073741824.5"}, False),  # half a byte more is a byte more (Value)
    ({"memory": "1073741824.5"}, {"memory": "1073741825"}, True),
    ({"memory": "1G"}, {"memory": "1000Mi"}, False),
    ({"memory": "1000Mi"}, {"memory": "1G"}, True),
    ({"cpu": "2", "memory": "1Gi"}, {"cpu": "2", "memory": "1Gi"}, True),
    ({}, {"cpu": "1000", "memory": "1Ei", "ephemeral-storage": "1Pi"}, True),  # basic resources not given: unknown
    ({"cpu": "1"}, {"nvidia.com/gpu": "1"}, False),  # extended resources not given: zero
    ({"cpu": "1"}, {"hugepages-2Mi": "2Mi"}, False),
    ({"nvidia.com/gpu": "4"}, {"nvidia.com/gpu": "4"}, True),
    ({"nvidia.com/gpu": "4"}, {"nvidia.com/gpu": "5"}, False),
    ({"pods": "0"}, {}, False),  # room for no pod
    ({"pods": "1"}, {"cpu": "1"}, True),
    ({"pods": "0.5"}, {}, True),  # rounds up to one pod
    ({"ephemeral-storage": "10Gi"}, {"ephemeral-storage": "10Gi"}, True),
])
def test_resource_fit(allocatable, requests, fits):
    assert fitting(pod(requests=requests), (node("n", allocatable=allocatable),)) == (["n"] if fits else [])


def test_every_resource_that_does_not_fit_is_a_reason():
    shape = node("n", allocatable={"pods": "0", "cpu": "1", "memory": "1Gi", "example.com/x": "1"})
    explanation = why(pod(requests={"cpu": "2", "memory": "2Gi", "example.com/x": "1"}), (shape,))
    assert explanation.message == "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 Too many pods."
    assert explanation.resources == {"Too many pods": 1, "Insufficient cpu": 1, "Insufficient memory": 1}
    assert explanation.by_filter == {RESOURCES: [(shape, "Too many pods")]}  # fitsRequest checks pods first


def test_pools_count_their_nodes():
    shapes = (node("small", allocatable={"cpu": "1"}), pool("tiny", 3, allocatable={"cpu": "500m"}),
              pool("full", 4, allocatable={"pods": "0"}))
    explanation = why(pod(requests={"cpu": "2"}), shapes)
    assert explanation.message == "0/8 nodes are available: 4 Insufficient cpu, 4 Too many pods."
    assert explanation.resources == {"Insufficient cpu": 4, "Too many pods": 4}
    assert [(label(shape), reason) for shape, reason in explanation.by_filter[RESOURCES]] == [
        ("small", "Insufficient cpu"), ("tiny", "Insufficient cpu"), ("full", "Too many pods")]


# ---------------------------------------------------------------------------------------------
# explain: attribution and the message


def test_reasons_are_counted_by_node_and_sorted_as_strings():
    shapes = (pool("gpu", 10, {"tier": "web"}, taints="hw=gpu:NoSchedule"), node("db", {"tier": "db"}),
              pool("old", 2, {"tier": "web"}, cordoned=True))
    assert message(pod(nodeSelector={"tier": "web"}), shapes) == (
        "0/13 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, "
        "10 node(s) had untolerated taint {hw: gpu}, 2 node(s) were unschedulable.")


def test_each_node_counts_under_the_first_filter_it_fails():
    every = node("every", {"tier": "db"}, "k=v:NoSchedule", cordoned=True, allocatable={"cpu": "1"})
    three = node("three", {"tier": "db"}, "k=v:NoSchedule", allocatable={"cpu": "1"})
    two = node("two", {"tier": "db"}, allocatable={"cpu": "1"})
    one = node("one", {"tier": "web"}, allocatable={"cpu": "1"})
    needs, nodes, verdict = judge(pod(nodeSelector={"tier": "web"}, requests={"cpu": "2"}), (every, three, two, one))
    explanation = explain(needs, verdict, nodes)
    assert explanation.by_filter == {UNSCHEDULABLE: [(every, CORDONED)],
                                     TAINTS: [(three, "node(s) had untolerated taint {k: v}")],
                                     AFFINITY: [(two, NO_MATCH)], RESOURCES: [(one, "Insufficient cpu")]}
    assert explanation.message == ("0/4 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node "
                                   "affinity/selector, 1 node(s) had untolerated taint {k: v}, 1 node(s) were "
                                   "unschedulable.")
    assert explanation.resources == {"Insufficient cpu": 1}
    # each filter on its own, every node
    bits = {name: [label(shape) for shape in shapes_in(verdict.passed[name], nodes.shapes)] for name in FILTERS}
    assert bits == {NAMED: ["every", "three", "two", "one"], UNSCHEDULABLE: ["three", "two", "one"],
                    NODE_NAME: ["every", "three", "two", "one"],
                    TAINTS: ["two", "one"], AFFINITY: ["one"], RESOURCES: []}


def test_affinity_parts_tell_the_node_selector_from_the_affinity():
    needs, nodes, verdict = judge(pod(nodeSelector={"tier": "web"}, affinity=affinity(term(expr("rank", "Gt", "5")))),
                                  RANKED)
    parts = {part: [label(shape) for shape in shapes_in(bits, nodes.shapes)]
             for part, bits in verdict.affinity_parts.items()}
    assert parts == {"nodeSelector": ["a"], "affinity": ["b"]}


def test_an_inventory_file_gives_the_same_verdict(tmp_path):
    path = tmp_path / "nodes.yaml"
    path.write_text("""\
apiVersion: kubecheck.io/v1
kind: NodeInventory
pools:
  - {name: gpu, count: 2, taints: [{key: hw, value: gpu, effect: NoSchedule}], allocatable: {cpu: "8"}}
  - {name: old, count: 3, unschedulable: true}
---
apiVersion: v1
kind: Node
metadata: {name: small, labels: {tier: web}}
status: {allocatable: {cpu: 500m, pods: "110"}}
""", encoding="utf-8")
    nodes = NodeIndex(load_inventory((str(path),)))
    needs = pod_needs(pod(requests={"cpu": "1"}))
    assert explain(needs, evaluate(needs, nodes), nodes).message == (
        "0/6 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {hw: gpu}, "
        "3 node(s) were unschedulable.")


# ---------------------------------------------------------------------------------------------
# topology_domains

ZONED = (node("n1", {"zone": "a", HOSTNAME: "n1"}), node("n2", {"zone": "a"}), node("n3", {"zone": "b"}),
         pool("p", 3, {"zone": "b"}), pool("q", 2, {"zone": "c", HOSTNAME: "shared"}), node("bare"))


@pytest.mark.parametrize("key, members, expected", [
    ("zone", ["n1", "n2", "n3", "p", "q"], 3),
    ("zone", ["n1", "n2"], 1),
    ("zone", ["n3", "p"], 1),
    ("zone", [], 0),
    ("zone", ["n1", "bare"], None),  # a node without the label: no domain limits pods there
    ("rack", ["n1"], None),
    (HOSTNAME, ["n1", "n2", "n3", "bare"], 4),  # a Node without the label is its own hostname
    (HOSTNAME, ["p"], 3),  # each pool node its own hostname
    (HOSTNAME, ["n1", "p", "q"], 5),  # a pool with a declared hostname label shares it
])
def test_topology_domains(key, members, expected):
    nodes = index(*ZONED)
    bits = sum(1 << i for i, shape in enumerate(nodes.shapes) if label(shape) in members)
    assert topology_domains(key, bits, nodes) == expected


# ---------------------------------------------------------------------------------------------
# evaluate on random inventories against a naive, node-by-node reference

ADMISSION = ({"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
             {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"})
LABEL_KEYS = ("zone", "rank", HOSTNAME)
LABEL_VALUES = ("a", "b", "n0", "n1", "1", "5", "12", "007")  # read alike by int() and strconv.ParseInt
TAINT_KEYS = ("gpu", "rank", "node.kubernetes.io/unreachable")
TAINT_VALUES = ("", "a", "5", "12")  # canonical integers only: see test_numeric_taint_values_must_be_canonical_int64
RESOURCE_NAMES = ("cpu", "memory", "ephemeral-storage", "example.com/gpu")


def reference_labels(shape: NodeShape) -> dict:
    return {HOSTNAME: shape.name, **shape.labels} if shape.name is not None else shape.labels


def reference_requirement(shape: NodeShape, key: str, operator: str, values: tuple) -> bool:
    if key == HOSTNAME and shape.name is None and HOSTNAME not in shape.labels:
        return operator != "DoesNotExist"  # a pool node's hostname may be anything
    labels = reference_labels(shape)
    if operator in ("In", "NotIn"):
        return (key in labels and labels[key] in values) == (operator == "In")
    if operator in ("Exists", "DoesNotExist"):
        return (key in labels) == (operator == "Exists")
    ours, bound = parse_int64(labels.get(key, "")), parse_int64(values[0])
    return ours is not None and bound is not None and (ours > bound if operator == "Gt" else ours < bound)


def reference_affinity(shape: NodeShape, spec: dict) -> bool:
    selector = spec.get("nodeSelector") or {}
    if not all(reference_requirement(shape, key, "In", (value,)) for key, value in selector.items()):
        return False
    if "affinity" not in spec:
        return True
    required = spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    for found in required["nodeSelectorTerms"]:
        expressions, fields = found.get("matchExpressions") or [], found.get("matchFields") or []
        if (expressions or fields) \
                and all(reference_requirement(shape, e["key"], e["operator"], tuple(e.get("values", ())))
                        for e in expressions) \
                and all(shape.name is None or (shape.name in f["values"]) == (f["operator"] == "In") for f in fields):
            return True
    return False


def reference_resources(shape: NodeShape, requests: dict) -> list[str]:
    reasons = ["Too many pods"] if "pods" in shape.allocatable and math.ceil(shape.allocatable["pods"]) < 1 else []
    for resource, amount in requests.items():
        units = (lambda value: math.ceil(value * 1000)) if resource == "cpu" else math.ceil
        if resource in shape.allocatable:
            enough = units(amount) <= units(shape.allocatable[resource])
        else:
            enough = resource in ("cpu", "memory", "ephemeral-storage")
        if not enough:
            reasons.append(f"Insufficient {resource}")
    return reasons


def reference_prefilter(spec: dict) -> set | None:
    """NodeAffinity's PreFilter: when every required term names nodes (metadata.name In, intersected
    within a term), the union of those names; else None (node_affinity.go)."""
    required = spec.get("affinity", {}).get("nodeAffinity", {}).get("requiredDuringSchedulingIgnoredDuringExecution")
    if not required:
        return None
    names = set()
    for term in required["nodeSelectorTerms"]:
        chosen = [set(f["values"]) for f in term.get("matchFields", ()) if f["operator"] == "In"]
        if not chosen:
            return None
        names |= set.intersection(*chosen)
    return names


def reference_named(shape: NodeShape, spec: dict) -> list[str]:
    names = reference_prefilter(spec)
    if names is None or (names and (shape.name is None or shape.name in names)):
        return []
    return [CONFLICT if not names else OUTSIDE_NAMED]


def reference_reasons(shape: NodeShape, spec: dict, requests: dict) -> dict:
    """filter -> the reasons `shape` fails it for ([] when it passes), each filter on its own."""
    kubelet = spec.get("nodeName") is not None
    tolerations = [*spec.get("tolerations", []), *ADMISSION]
    blocking = ("NoExecute",) if kubelet else ("NoSchedule", "NoExecute")
    cordon = Taint(UNSCHEDULABLE_TAINT, "", "NoSchedule")
    untolerated = [t for t in shape.taints
                   if t.effect in blocking and not any(reference_tolerates(tol, t) for tol in tolerations)]
    return {
        NAMED: reference_named(shape, spec),
        UNSCHEDULABLE: [CORDONED] if not kubelet and shape.unschedulable and not any(
            reference_tolerates(tol, cordon) for tol in tolerations) else [],
        NODE_NAME: [OTHER_NAME] if kubelet and shape.name not in (None, spec["nodeName"]) else [],
        TAINTS: [f"node(s) had untolerated taint {{{t.key}: {t.value}}}" for t in untolerated[:1]],
        AFFINITY: [] if reference_affinity(shape, spec) else [NO_MATCH],
        RESOURCES: reference_resources(shape, requests),
    }


def quantity_text(amount: Fraction) -> str:
    return f"{amount.numerator * 10**4 // amount.denominator}e-4"


amounts = st.integers(0, 40000).map(lambda n: Fraction(n, 10**4))


@st.composite
def inventories(draw):
    shapes = []
    for i in range(draw(st.integers(1, 5))):
        labels = draw(st.dictionaries(st.sampled_from(LABEL_KEYS), st.sampled_from(LABEL_VALUES), max_size=3))
        marks = " ".join(draw(st.lists(st.builds("{}={}:{}".format, st.sampled_from(TAINT_KEYS),
                                                 st.sampled_from(TAINT_VALUES), st.sampled_from(EFFECTS)), max_size=2)))
        allocatable = draw(st.dictionaries(st.sampled_from((*RESOURCE_NAMES, "pods")), amounts.map(quantity_text),
                                           max_size=4))
        cordoned = draw(st.booleans())
        if draw(st.booleans()):
            shapes.append(node(f"n{i}", labels, marks.replace("=:", ":"), cordoned=cordoned, allocatable=allocatable))
        else:
            shapes.append(pool(f"p{i}", draw(st.integers(1, 4)), labels, marks.replace("=:", ":"), cordoned=cordoned,
                               allocatable=allocatable))
    return tuple(shapes)


@st.composite
def requirements(draw):
    operator = draw(st.sampled_from(["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"]))
    key = draw(st.sampled_from(LABEL_KEYS))
    if operator in ("In", "NotIn"):
        return expr(key, operator, *draw(st.lists(st.sampled_from(LABEL_VALUES), min_size=1, max_size=2)))
    if operator in ("Gt", "Lt"):
        return expr(key, operator, draw(st.sampled_from(["0", "3", "7", "100"])))
    return expr(key, operator)


@st.composite
def node_terms(draw):
    names = st.lists(st.sampled_from(["n0", "n1", "n2", "zzz"]), min_size=1, max_size=2)
    fields = draw(st.lists(st.builds(lambda operator, chosen: by_name(operator, *chosen),
                                     st.sampled_from(["In", "NotIn"]), names), max_size=1))
    return term(*draw(st.lists(requirements(), min_size=0 if fields else 1, max_size=2)), fields=tuple(fields))


@st.composite
def pod_specs(draw):
    spec = {"containers": [container({name: quantity_text(amount) for name, amount in requests.items()})
                           for requests in draw(st.lists(st.dictionaries(st.sampled_from(RESOURCE_NAMES), amounts,
                                                                         max_size=2), min_size=1, max_size=2))]}
    selector = draw(st.dictionaries(st.sampled_from(LABEL_KEYS), st.sampled_from(LABEL_VALUES), max_size=1))
    if selector:
        spec["nodeSelector"] = selector
    if draw(st.integers(0, 2)):
        spec["affinity"] = affinity(*draw(st.lists(node_terms() | st.just({}), min_size=1, max_size=2)))
    spec["tolerations"] = draw(st.lists(tolerations(keys=(*TAINT_KEYS, UNSCHEDULABLE_TAINT)), max_size=3))
    name = draw(st.sampled_from([None, None, None, "n0", "n1", "zzz"]))
    return {**spec, "nodeName": name} if name else spec


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inventories(), pod_specs())
def test_evaluate_agrees_with_a_node_by_node_reference(shapes, spec):
    needs, nodes, verdict = judge(spec, shapes)
    requests = {}
    for item in spec["containers"]:
        for resource, text in item.get("resources", {}).get("requests", {}).items():
            requests[resource] = requests.get(resource, 0) + parse_quantity(text)
    requests = {resource: amount for resource, amount in requests.items() if amount > 0}
    assert needs.requests == requests
    reasons = [reference_reasons(shape, spec, requests) for shape in shapes]
    for name in FILTERS:
        assert [label(s) for s in shapes_in(verdict.passed[name], nodes.shapes)] == \
               [label(s) for s, found in zip(shapes, reasons) if not found[name]], name
    assert [label(s) for s in shapes_in(verdict.fits, nodes.shapes)] == \
           [label(s) for s, found in zip(shapes, reasons) if not any(found.values())]
    if verdict.fits:
        return
    counts, attributed = Counter(), {}
    for shape, found in zip(shapes, reasons):
        failed = next(name for name in FILTERS if found[name])
        for reason in found[failed]:
            counts[reason] += shape.count
        attributed.setdefault(failed, []).append((label(shape), found[failed][0]))
    explanation = explain(needs, verdict, nodes)
    histogram = ", ".join(sorted(f"{count} {reason}" for reason, count in counts.items()))
    if reference_prefilter(spec) == set():
        histogram = CONFLICT  # the PreFilter's status is the whole message
    assert explanation.message == f"0/{sum(s.count for s in shapes)} nodes are available: {histogram}."
    assert {name: [(label(shape), reason) for shape, reason in found]
            for name, found in explanation.by_filter.items()} == attributed
