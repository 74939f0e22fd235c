"""The kube-scheduler's filtering phase, run statically: on which declared nodes can a pod run?

The filters, in the scheduler's default order; a node counts under the first one it fails (the
resource filter names every resource that does not fit), and the explanation is worded as the
scheduler words its FailedScheduling event ("0/5 nodes are available: 2 node(s) had untolerated
taint {hw-type: gpu}, 3 node(s) didn't match Pod's node affinity/selector."):

0. NodeAffinity's PreFilter: required terms that all name nodes (`matchFields` on
   `metadata.name`) leave only those nodes.
1. NodeUnschedulable: cordoned nodes, unless the pod tolerates node.kubernetes.io/unschedulable.
2. NodeName: `spec.nodeName` names the node.
3. TaintToleration: `NoSchedule` and `NoExecute` taints the pod does not tolerate
   (`PreferNoSchedule` never blocks).
4. NodeAffinity: `nodeSelector` and the required node affinity (terms ORed, expressions ANDed).
5. NodeResourcesFit: the pod's requests against `allocatable`, and one pod slot.

A pod with `spec.nodeName` never meets the scheduler: the kubelet of that node admits it if node
affinity, resources and `NoExecute` taints allow. Pods get the tolerations admission adds to every
pod (not-ready and unreachable, `NoExecute`); DaemonSet pods also those their controller adds.

Filters are evaluated on every node shape at once, as bitsets (a Python int whose bit i stands for
shape i): the inventory is indexed by label, taint and allocatable amount once per run, so a pod
costs a few integer operations per label, taint and resource it names, whatever the number of
nodes; only a pod that fits nowhere is walked shape by shape to explain why.

Pool nodes have no known names: `nodeName`, `matchFields` on `metadata.name` and a selector on
`kubernetes.io/hostname` give them the benefit of the doubt, and each is its own hostname domain;
so do a pool's `kubernetes.io/os` and `kubernetes.io/arch` when it does not list them.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from kubecheck.inventory import HOSTNAME, UNSCHEDULABLE_TAINT, Inventory, NodeShape, Taint
from kubecheck.names import decimal_integer, parse_int64
from kubecheck.objects import dig, mappings
from kubecheck.quantity import milli, parse_quantity, whole

#: Tolerations the DefaultTolerationSeconds admission plugin gives every pod.
ADMISSION_TOLERATIONS = (
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
)
#: Tolerations the DaemonSet controller adds to its pods (pkg/controller/daemon/util).
DAEMONSET_TOLERATIONS = (
    {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"},
)
DAEMONSET_HOST_NETWORK_TOLERATION = {"key": "node.kubernetes.io/network-unavailable", "operator": "Exists",
                                     "effect": "NoSchedule"}

#: Labels the kubelet puts on every node.
KUBELET_LABELS = (HOSTNAME, "kubernetes.io/os", "kubernetes.io/arch")
#: Resources a node without an allocatable amount is not judged on (other resources it lacks are 0).
_BASIC_RESOURCES = ("cpu", "memory", "ephemeral-storage", "pods")

# The filters, in the scheduler's order, as reasons are attributed to them. NAMED is NodeAffinity's
# PreFilter: required terms that each name nodes (matchFields metadata.name In) leave only those.
NAMED, UNSCHEDULABLE, NODE_NAME, TAINTS, AFFINITY, RESOURCES = (
    "named", "unschedulable", "nodeName", "taints", "affinity", "resources")
FILTERS = (NAMED, UNSCHEDULABLE, NODE_NAME, TAINTS, AFFINITY, RESOURCES)
_CONFLICT = "pod affinity terms conflict"


def tolerates(toleration: dict, taint: Taint) -> bool:
    """Whether `toleration` tolerates `taint` (core/v1 Toleration.ToleratesTaint)."""
    effect = toleration.get("effect") or ""
    if effect and effect != taint.effect:
        return False
    key = toleration.get("key") or ""
    if key and key != taint.key:
        return False
    operator = toleration.get("operator") or "Equal"
    if operator == "Exists":
        return True
    if operator == "Equal":
        return (toleration.get("value") or "") == taint.value
    if operator in ("Gt", "Lt"):  # TaintTolerationComparisonOperators (1.35+): the taint's value against ours
        taint_value, value = decimal_integer(taint.value), decimal_integer(toleration.get("value") or "")
        if taint_value is None or value is None:
            return False
        return taint_value > value if operator == "Gt" else taint_value < value
    return False


def _bits(indexes) -> int:
    found = 0
    for index in indexes:
        found |= 1 << index
    return found


def shapes_in(bits: int, shapes):
    """The shapes whose bits are set, in order."""
    while bits:
        low = bits & -bits
        yield shapes[low.bit_length() - 1]
        bits ^= low


class NodeIndex:
    """An inventory indexed for the filters: which shapes have each label value, each taint, and
    at least each allocatable amount."""

    def __init__(self, inventory: Inventory):
        shapes = self.shapes = inventory.shapes
        self.total = inventory.nodes
        self.all = (1 << len(shapes)) - 1
        self.cordoned = _bits(i for i, shape in enumerate(shapes) if shape.unschedulable)
        self.anonymous = _bits(i for i, shape in enumerate(shapes) if shape.name is None)
        self.named: dict[str, int] = defaultdict(int)
        self.labelled: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))  # key -> value -> bits
        self.has_label: dict[str, int] = defaultdict(int)
        self.taints: dict[Taint, int] = defaultdict(int)  # every taint, of any effect
        for i, shape in enumerate(shapes):
            labels = shape.labels
            if shape.name is not None:
                self.named[shape.name] |= 1 << i
                if HOSTNAME not in labels:  # the kubelet always sets it (to the hostname, usually the name)
                    labels = {**labels, HOSTNAME: shape.name}
            for key, value in labels.items():
                self.labelled[key][value] |= 1 << i
                self.has_label[key] |= 1 << i
            for taint in shape.taints:
                self.taints[taint] |= 1 << i
        # Labels the kubelet sets on every node, whose values a pool that does not list them leaves
        # unknown (each node's hostname, its os and arch): they may be any value.
        self.unknown: dict[str, int] = {key: self.anonymous & ~self.has_label.get(key, 0) for key in KUBELET_LABELS}
        self.unknown_hostname = self.unknown[HOSTNAME]
        self.by_count: dict[int, int] = defaultdict(int)  # node count -> bits of the shapes with that many
        for i, shape in enumerate(shapes):
            self.by_count[shape.count] |= 1 << i
        self._amounts: dict[str, tuple[list, list, int]] = {}

    def weight(self, bits: int) -> int:
        """How many nodes the shapes in `bits` stand for."""
        return sum(count * (bits & shapes).bit_count() for count, shapes in self.by_count.items())

    def label_bits(self, key: str, values=None) -> int:
        """Shapes whose label `key` has one of `values` (any value when None); pools' hostnames count."""
        unknown = self.unknown.get(key, 0)
        if values is None:
            return self.has_label.get(key, 0) | unknown
        by_value = self.labelled.get(key, {})
        found = unknown
        for value in values:
            found |= by_value.get(value, 0)
        return found

    def at_least(self, resource: str, amount: int) -> int:
        """Shapes whose allocatable `resource` (in the unit `amount` is in) is at least `amount`."""
        if resource not in self._amounts:
            known = sorted((_units(resource, shape.allocatable[resource]), i) for i, shape in enumerate(self.shapes)
                           if shape.allocatable.get(resource) is not None)
            suffix, running = [0] * (len(known) + 1), 0
            for position in range(len(known) - 1, -1, -1):
                running |= 1 << known[position][1]
                suffix[position] = running
            unstated = _bits(i for i, shape in enumerate(self.shapes) if resource not in shape.allocatable)
            uncomparable = _bits(i for i, shape in enumerate(self.shapes)
                                 if resource in shape.allocatable and shape.allocatable[resource] is None)
            unknown = uncomparable | (unstated if resource in _BASIC_RESOURCES else 0)
            self._amounts[resource] = ([amount for amount, _ in known], suffix, unknown)
        amounts, suffix, unknown = self._amounts[resource]
        return suffix[bisect.bisect_left(amounts, amount)] | unknown


@lru_cache(maxsize=4)
def node_index(inventory: Inventory) -> NodeIndex:
    return NodeIndex(inventory)


def _units(resource: str, quantity: Fraction) -> int:
    """How the scheduler compares amounts: CPU in thousandths, everything else in whole units, rounded up."""
    return milli(quantity) if resource == "cpu" else whole(quantity)


class Unjudged(Exception):
    """The pod spec has values the API server would reject: schema findings, not scheduling ones."""


@dataclass
class PodNeeds:
    """What a pod spec asks of a node."""

    node_name: str | None
    node_selector: dict
    terms: list | None  # required node affinity: [(expressions, fields)], or None
    tolerations: list
    requests: dict  # resource -> Fraction

    @property
    def named(self) -> frozenset | None:
        """The node names NodeAffinity's PreFilter narrows to: when every required term names nodes
        (matchFields metadata.name In, intersected within a term), their union; else None."""
        if not self.terms:
            return None
        names: set[str] = set()
        for _, fields in self.terms:
            term = None
            for key, operator, values in fields:
                if key == "metadata.name" and operator == "In":
                    term = set(values) if term is None else term & set(values)
            if term is None:
                return None
            names |= term
        return frozenset(names)

    @property
    def blocking_effects(self) -> tuple[str, ...]:
        """The taint effects that keep the pod off a node: the kubelet admits past NoSchedule."""
        return ("NoExecute",) if self.kubelet_only else ("NoSchedule", "NoExecute")

    @property
    def kubelet_only(self) -> bool:
        """A pod with nodeName skips the scheduler: the node's kubelet admits it or not."""
        return self.node_name is not None


def pod_needs(spec: dict, *, daemonset: bool = False, runtime_class: dict | None = None) -> PodNeeds:
    """What `spec` asks of a node, with what its RuntimeClass's `scheduling` adds (admission merges
    its nodeSelector and appends its tolerations); Unjudged when a value is one the API server rejects."""
    node_name = spec.get("nodeName")
    selector = spec.get("nodeSelector") or {}
    if not isinstance(selector, dict) or (node_name is not None and not isinstance(node_name, str)):
        raise Unjudged
    tolerations = spec.get("tolerations") or []
    if not isinstance(tolerations, list) or not all(isinstance(t, dict) for t in tolerations):
        raise Unjudged
    tolerations = [*tolerations, *ADMISSION_TOLERATIONS]
    if isinstance(runtime_class, dict):
        extra = runtime_class.get("nodeSelector")
        selector = {**selector, **extra} if isinstance(extra, dict) else selector
        tolerations += [t for t in runtime_class.get("tolerations") or [] if isinstance(t, dict)]
    if not all(isinstance(value, str) for value in selector.values()):
        raise Unjudged
    if daemonset:
        tolerations += DAEMONSET_TOLERATIONS
        if spec.get("hostNetwork") is True:
            tolerations.append(DAEMONSET_HOST_NETWORK_TOLERATION)
    return PodNeeds(node_name or None, dict(selector), _required_terms(spec),
                    tolerations, pod_requests(spec))


def _required_terms(spec: dict) -> list | None:
    required = dig(spec, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution")
    if required is None:
        return None
    terms = required.get("nodeSelectorTerms") if isinstance(required, dict) else None
    if not isinstance(terms, list):
        raise Unjudged
    parsed = []
    for term in terms:
        term = term if isinstance(term, dict) else {}
        expressions, fields = term.get("matchExpressions") or [], term.get("matchFields") or []
        if not isinstance(expressions, list) or not isinstance(fields, list):
            raise Unjudged
        parsed.append(([_requirement(e) for e in expressions], [_requirement(f) for f in fields]))
    return parsed


def _requirement(data) -> tuple[str, str, tuple]:
    if not isinstance(data, dict) or not isinstance(data.get("key"), str):
        raise Unjudged
    values = data.get("values") or []
    if not isinstance(values, list):
        raise Unjudged
    return data["key"], data.get("operator"), tuple(str(v) for v in values)


def pod_requests(spec: dict) -> dict[str, Fraction]:
    """The pod's effective requests, as the scheduler computes them (resourcehelper.PodRequests):
    the sum over containers, raised to what each init container needs while it runs (sidecars,
    `restartPolicy: Always`, keep running and add up), then pod-level requests where set, plus the
    pod's overhead. A container's request defaults to its limit, as the API server defaults it."""
    total: dict[str, Fraction] = defaultdict(Fraction)
    for container in mappings(spec.get("containers")):
        _add(total, container_requests(container))
    sidecars: dict[str, Fraction] = defaultdict(Fraction)
    init_peak: dict[str, Fraction] = defaultdict(Fraction)
    for container in mappings(spec.get("initContainers")):
        requests = container_requests(container)
        if container.get("restartPolicy") == "Always":
            _add(total, requests)
            _add(sidecars, requests)
            running = dict(sidecars)
        else:
            running = dict(sidecars)
            _add(running, requests)
        for resource, amount in running.items():
            init_peak[resource] = max(init_peak[resource], amount)
    for resource, amount in init_peak.items():
        total[resource] = max(total[resource], amount)
    total.update(_pod_level_requests(spec, total))
    _add(total, _amounts(spec.get("overhead"), None))
    return {resource: amount for resource, amount in total.items() if amount > 0}


def _pod_level_requests(spec: dict, containers: dict) -> dict[str, Fraction]:
    """Pod-level requests (PodLevelResources), defaulted as the API server defaults them
    (defaultPodRequests): a resource with a pod-level limit and no pod-level request asks for what
    the containers ask for, or for the limit when no container asks for it."""
    requests = _amounts(dig(spec, "resources", "requests"), None)
    limits = _amounts(dig(spec, "resources", "limits"), None)
    if limits:
        for resource, amount in containers.items():
            if amount > 0:
                requests.setdefault(resource, amount)
        for resource, amount in limits.items():
            requests.setdefault(resource, amount)
    return requests


def container_requests(container: dict) -> dict[str, Fraction]:
    resources = container.get("resources") if isinstance(container.get("resources"), dict) else {}
    return _amounts(resources.get("requests"), resources.get("limits"))


def _amounts(requests, limits) -> dict[str, Fraction]:
    """Requests, each defaulting to its limit; values that are not quantities are left to the schema."""
    found = {}
    for source in (limits, requests):  # requests win
        for resource, value in (source.items() if isinstance(source, dict) else ()):
            try:
                found[resource] = parse_quantity(value)
            except ValueError:
                continue
    return found


def _add(total: dict, amounts: dict) -> None:
    for resource, amount in amounts.items():
        total[resource] = total.get(resource, Fraction(0)) + amount


@dataclass
class Verdict:
    """Where a pod can run, and the bits each filter let through."""

    fits: int
    passed: dict  # filter -> bits of the shapes it lets through
    affinity_parts: dict  # "nodeSelector" / "affinity" -> bits, to say which part excludes nodes


def evaluate(needs: PodNeeds, nodes: NodeIndex) -> Verdict:
    """Run the filters on every shape at once."""
    passed = {NAMED: nodes.all, UNSCHEDULABLE: nodes.all, NODE_NAME: nodes.all}
    named = needs.named
    if named is not None:
        passed[NAMED] = 0
        for name in named:
            passed[NAMED] |= nodes.named.get(name, 0)
        passed[NAMED] |= nodes.anonymous if named else 0
    if needs.kubelet_only:
        passed[NODE_NAME] = nodes.named.get(needs.node_name, 0) | nodes.anonymous
    elif not any(tolerates(t, Taint(UNSCHEDULABLE_TAINT, "", "NoSchedule")) for t in needs.tolerations):
        passed[UNSCHEDULABLE] = nodes.all & ~nodes.cordoned
    blocking = needs.blocking_effects
    untolerated = 0
    for taint, bits in nodes.taints.items():
        if taint.effect in blocking and not any(tolerates(t, taint) for t in needs.tolerations):
            untolerated |= bits
    passed[TAINTS] = nodes.all & ~untolerated
    selector = nodes.all
    for key, value in needs.node_selector.items():
        selector &= nodes.label_bits(key, (value,))
    affinity = nodes.all if needs.terms is None else _terms_bits(needs.terms, nodes)
    passed[AFFINITY] = selector & affinity
    fit = nodes.at_least("pods", 1)
    for resource, amount in needs.requests.items():
        fit &= nodes.at_least(resource, _units(resource, amount))
    passed[RESOURCES] = fit
    fits = nodes.all
    for bits in passed.values():
        fits &= bits
    return Verdict(fits, passed, {"nodeSelector": selector, "affinity": affinity})


def _terms_bits(terms: list, nodes: NodeIndex) -> int:
    found = 0
    for expressions, fields in terms:
        if not expressions and not fields:
            continue  # an empty term matches no node
        bits = nodes.all
        for key, operator, values in expressions:
            bits &= _expression_bits(nodes, key, operator, values)
        for key, operator, values in fields:
            if key != "metadata.name" or operator not in ("In", "NotIn"):
                raise Unjudged
            named = 0
            for value in values:
                named |= nodes.named.get(value, 0)
            bits &= (named | nodes.anonymous) if operator == "In" else nodes.all & ~named
        found |= bits
    return found


def _expression_bits(nodes: NodeIndex, key: str, operator, values: tuple) -> int:
    if operator == "In":
        return nodes.label_bits(key, values)
    if operator == "NotIn":  # also nodes without the label
        return (nodes.all & ~nodes.label_bits(key, values)) | nodes.unknown.get(key, 0)
    if operator == "Exists":
        return nodes.label_bits(key)
    if operator == "DoesNotExist":
        return nodes.all & ~nodes.label_bits(key)
    if operator in ("Gt", "Lt"):
        bound = parse_int64(values[0]) if len(values) == 1 else None
        if bound is None:
            raise Unjudged
        found = nodes.unknown.get(key, 0)
        for value, bits in nodes.labelled.get(key, {}).items():
            number = parse_int64(value)  # a label value that is no integer matches neither
            if number is not None and ((number > bound) if operator == "Gt" else (number < bound)):
                found |= bits
        return found
    raise Unjudged


@dataclass
class Explanation:
    """Why a pod fits on no node: the scheduler's message, and the nodes behind each reason."""

    message: str
    by_filter: dict  # filter -> [(shape, reason)], in shape order
    resources: dict  # resource -> node count, for the resource filter


def explain(needs: PodNeeds, verdict: Verdict, nodes: NodeIndex) -> Explanation:
    """Attribute every node to the first filter it fails, as the scheduler does."""
    counts: dict[str, int] = defaultdict(int)
    by_filter: dict[str, list] = defaultdict(list)
    resources: dict[str, int] = defaultdict(int)
    for i, shape in enumerate(nodes.shapes):
        failed = next((name for name in FILTERS if not verdict.passed[name] >> i & 1), None)
        if failed is None:
            continue
        found = reasons(failed, shape, needs, nodes, i)
        for reason in found:
            counts[reason] += shape.count
        if failed == RESOURCES:
            for reason in found:
                resources[reason] += shape.count
        by_filter[failed].append((shape, found[0]))
    histogram = sorted(f"{count} {reason}" for reason, count in counts.items())
    if needs.named == frozenset():  # the PreFilter's verdict is the whole message
        histogram = [_CONFLICT]
    message = f"0/{nodes.total} nodes are available: {', '.join(histogram)}."
    return Explanation(message, dict(by_filter), dict(resources))


def reasons(failed: str, shape: NodeShape, needs: PodNeeds, nodes: NodeIndex, i: int) -> list[str]:
    """Why shape `i` fails filter `failed`, in the scheduler's words (several for resources)."""
    if failed == NAMED:
        return [_CONFLICT if not needs.named else "node(s) didn't satisfy plugin(s) [NodeAffinity]"]
    if failed == UNSCHEDULABLE:
        return ["node(s) were unschedulable"]
    if failed == NODE_NAME:
        return ["node(s) didn't match the requested node name"]
    if failed == TAINTS:
        blocking = needs.blocking_effects
        taint = next(t for t in shape.taints
                     if t.effect in blocking and not any(tolerates(tol, t) for tol in needs.tolerations))
        return [f"node(s) had untolerated taint {{{taint.key}: {taint.value}}}"]
    if failed == AFFINITY:
        return ["node(s) didn't match Pod's node affinity/selector"]
    reasons = []
    if not nodes.at_least("pods", 1) >> i & 1:
        reasons.append("Too many pods")
    for resource, amount in needs.requests.items():
        if not nodes.at_least(resource, _units(resource, amount)) >> i & 1:
            reasons.append(f"Insufficient {resource}")
    return reasons


def topology_domains(key: str, bits: int, nodes: NodeIndex) -> int | None:
    """How many distinct values of label `key` the shapes in `bits` have (each pool node its own
    hostname); None when one of them lacks the label (no domain limits pods there). Counted per
    label value, not per shape, so the cost does not grow with the inventory."""
    if bits & ~nodes.label_bits(key):
        return None
    domains = sum(1 for value_bits in nodes.labelled.get(key, {}).values() if value_bits & bits)
    if key == HOSTNAME:
        domains += nodes.weight(bits & nodes.unknown_hostname)
    return domains
