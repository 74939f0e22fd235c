"""unschedulable: with a node inventory, a pod template that no declared node admits, or whose
replicas cannot all be placed."""

from collections import Counter
from itertools import islice

from kubecheck.inventory import HOSTNAME, example_inventory
from kubecheck.objects import as_list, dig
from kubecheck.rule import Related, Rule, Violation
from kubecheck.scale import replicas
from kubecheck.scheduling import (AFFINITY, FILTERS, NAMED, NODE_NAME, RESOURCES, TAINTS, UNSCHEDULABLE, Unjudged,
                                  container_requests, evaluate, explain, node_index, pod_needs, reasons,
                                  shapes_in, topology_domains)
from kubecheck.selectors import Selector, SelectorError


def check(obj, ctx):
    template = obj.pod_template
    if ctx.nodes is None or template is None or template.by_operator:
        return
    daemonset = (obj.group, obj.kind) == ("apps", "DaemonSet")
    scale = replicas(template, ctx.index)
    if scale is not None and scale.count == 0:
        return  # no pods to place
    runtime = template.spec.get("runtimeClassName")
    scheduling = None
    if isinstance(runtime, str) and runtime:
        found = ctx.index.find(None, "node.k8s.io", "RuntimeClass", runtime)
        if not found:
            return  # its RuntimeClass adds a nodeSelector and tolerations kubecheck does not know
        scheduling = found[0].get("scheduling")
    nodes = node_index(ctx.nodes)
    try:
        needs = pod_needs(template.spec, daemonset=daemonset, runtime_class=scheduling)
        verdict = evaluate(needs, nodes)
    except Unjudged:
        return
    if verdict.fits == 0:
        yield _nowhere(obj, template, needs, verdict, nodes, daemonset)
    elif not daemonset:
        yield from _too_few_places(obj, template, verdict, nodes, ctx.index)


def _nowhere(obj, template, needs, verdict, nodes, daemonset: bool) -> Violation:
    explanation = explain(needs, verdict, nodes)
    who = f"{obj.kind} {obj.name or '(unnamed)'}"
    opening = f"{who} runs on no node" if daemonset else (
        f"{who} cannot be scheduled" if obj.kind == "Pod" else f"the pods of {who} cannot be scheduled")
    blamed, culprits, short = _blame(needs, verdict, nodes, explanation)
    path, at = _blamed_field(blamed, template, needs, verdict, short)
    related = tuple(_related(shape, reason) for shape, reason in culprits[:3])
    return Violation(path, f"{opening}: {explanation.message}", related, at=at)


def _related(shape, text: str) -> Related:
    """The inventory's Node, or its pool (which the NodeInventory's name alone does not say)."""
    return Related(shape.origin, shape.path, text if shape.name is not None else f"{shape.describe()}: {text}")


def _blame(needs, verdict, nodes, explanation) -> tuple[str, list, Counter]:
    """The filter to point at, the (shape, reason) pairs behind it, and the resources short on the
    most nodes. The nodes the pod asks for (its nodeName, nodeSelector and node affinity admit them)
    tell what to fix: the filter that turns most of them away first, as the scheduler counts them
    (the earliest, on a tie), except that a request too large for every node it asks for is the
    fault even where a taint comes first (no toleration fixes it). When the pod asks for no node,
    its request is the fault."""
    asked = verdict.passed[NAMED] & verdict.passed[AFFINITY] & verdict.passed[NODE_NAME]
    if not asked:
        blamed = NODE_NAME if not verdict.passed[NODE_NAME] else NAMED if not verdict.passed[NAMED] else AFFINITY
        return blamed, explanation.by_filter.get(blamed, []), Counter(explanation.resources)
    turned_away, remaining = {}, asked
    for name in FILTERS:
        turned_away[name], remaining = remaining & ~verdict.passed[name], remaining & verdict.passed[name]
    if not asked & verdict.passed[RESOURCES]:
        turned_away[RESOURCES] = asked
    blamed = max((name for name in FILTERS if turned_away[name]), key=lambda name: nodes.weight(turned_away[name]))
    culprits, short = [], Counter()
    for i, shape in enumerate(nodes.shapes):
        if turned_away[blamed] >> i & 1:
            found = reasons(blamed, shape, needs, nodes, i)
            culprits.append((shape, found[0]))
            short.update({reason: shape.count for reason in found})
    return blamed, culprits, short


def _blamed_field(blamed: str, template, needs, verdict, short: Counter) -> tuple[tuple, str]:
    """The field of the pod spec most responsible, and whether to point at its key or value."""
    spec_path, spec = template.path + ("spec",), template.spec
    if blamed == NODE_NAME:
        return spec_path + ("nodeName",), "value"
    if blamed in (UNSCHEDULABLE, TAINTS):
        return (spec_path + ("tolerations",), "key") if "tolerations" in spec else (spec_path, "key")
    if blamed == NAMED:
        return spec_path + ("affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"), "key"
    if blamed == AFFINITY:
        allowed = verdict.passed[UNSCHEDULABLE] & verdict.passed[NODE_NAME] & verdict.passed[TAINTS]
        selector_alone = needs.node_selector and not verdict.affinity_parts["nodeSelector"] & allowed
        if needs.terms is not None and not selector_alone:
            return spec_path + ("affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"), "key"
        return spec_path + ("nodeSelector",), "key"
    reason = max(short, key=lambda reason: short[reason])
    if reason == "Too many pods":
        return spec_path, "key"
    return _largest_request(spec_path, spec, reason.removeprefix("Insufficient ")), "key"


def _largest_request(spec_path: tuple, spec: dict, resource: str) -> tuple:
    """The path of the container request (or limit) that asks for most of `resource`."""
    best, found = None, spec_path
    for field_name in ("containers", "initContainers"):
        for index, container in enumerate(as_list(spec.get(field_name))):
            if not isinstance(container, dict):
                continue
            amount = container_requests(container).get(resource)
            if amount is not None and (best is None or amount > best):
                resources = container["resources"]
                kind = "requests" if resource in (resources.get("requests") or {}) else "limits"
                best, found = amount, spec_path + (field_name, index, "resources", kind, resource)
    return found


def _too_few_places(obj, template, verdict, nodes, index):
    """Replicas beyond what required pod anti-affinity or DoNotSchedule topology spread can place."""
    scale = replicas(template, index)
    if scale is None or scale.count < 2:
        return
    spec_path, spec = template.path + ("spec",), template.spec
    limits = []  # (replicas that can be placed, path, why)
    terms = _list(spec, "affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution")
    for position, term in enumerate(terms):
        key = term.get("topologyKey")
        if isinstance(key, str) and _selects_own_pods(term, template, obj.namespace):
            domains = topology_domains(key, verdict.fits, nodes)
            if domains is not None:
                noun = "eligible node" if key == HOSTNAME else "eligible domain"
                limits.append((domains, ("affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
                                         position), f"required anti-affinity on {key}, {domains} {noun}"
                                                    f"{'s' if domains != 1 else ''}"))
    for position, constraint in enumerate(_list(spec, "topologySpreadConstraints")):
        limit = _spread_limit(constraint, template, obj.namespace, verdict, nodes)
        if limit is not None:
            limits.append((limit[0], ("topologySpreadConstraints", position), limit[1]))
    if not limits:
        return
    placeable, path, why = min(limits, key=lambda limit: limit[0])
    if placeable >= scale.count:
        return
    wanted = f"{scale.count} replicas" + (" (its HorizontalPodAutoscaler's minimum)" if scale.autoscaler else "")
    related = tuple(_related(shape, "eligible") for shape in islice(shapes_in(verdict.fits, nodes.shapes), 3))
    yield Violation(spec_path + path, f"only {placeable} of {wanted} of {obj.kind} {obj.name or '(unnamed)'} can be "
                                      f"placed: {why}", related)


def _spread_limit(constraint, template, namespace, verdict, nodes) -> tuple[int, str] | None:
    """How many pods a DoNotSchedule topology spread constraint on the pods' own labels lets run.

    Domains are counted over the nodes the constraint considers (node affinity honoured and taints
    ignored by default); a domain with no node the pod can run on keeps the global minimum at 0, so
    every other domain then holds at most maxSkew pods; so does a count of domains below minDomains.
    """
    key, skew, least = constraint.get("topologyKey"), constraint.get("maxSkew"), constraint.get("minDomains")
    if constraint.get("whenUnsatisfiable") != "DoNotSchedule" or not isinstance(key, str) \
            or isinstance(skew, bool) or not isinstance(skew, int) or skew < 1 \
            or not _selects_own_pods(constraint, template, namespace, spread=True):
        return None
    considered = nodes.label_bits(key)
    if constraint.get("nodeAffinityPolicy") in (None, "Honor"):
        considered &= verdict.passed[AFFINITY]
    if constraint.get("nodeTaintsPolicy") == "Honor":
        considered &= verdict.passed[TAINTS]
    counted = topology_domains(key, considered, nodes)
    usable = topology_domains(key, verdict.fits & nodes.label_bits(key), nodes)
    if usable < counted:
        return skew * usable, (f"topology spread on {key} (maxSkew {skew}) counts {counted} domains, of which "
                               f"{usable} can hold its pods")
    if isinstance(least, int) and not isinstance(least, bool) and counted < least:
        return skew * usable, f"topology spread on {key} (maxSkew {skew}) needs {least} domains, and {counted} exist"
    return None


def _selects_own_pods(term: dict, template, namespace, spread: bool = False) -> bool:
    """Whether a pod affinity term or spread constraint counts the workload's own pods."""
    if not spread:  # the union of the listed namespaces and those namespaceSelector selects ({}: all)
        if not isinstance(term.get("namespaces") or [], list):
            return False  # the schema's finding
        namespaces, chooser = term.get("namespaces") or [], term.get("namespaceSelector")
        own = namespace in namespaces or chooser == {} or (not namespaces and chooser is None)
        if not own:
            return False  # other namespaces, or a namespace selector over labels kubecheck cannot see
        if term.get("mismatchLabelKeys"):
            return False  # each key adds `key notin (this pod's value)`: the term spares its own replicas
    try:
        selector = Selector.from_label_selector(term.get("labelSelector"))
    except SelectorError:
        return False  # null: selects no pods
    return selector.matches(template.labels, template.runtime_labels, certain=True)


def _list(data, *path) -> list[dict]:
    """The items of the list at `path`, each in its place ({} for one that is no mapping)."""
    return [item if isinstance(item, dict) else {} for item in as_list(dig(data, *path))]


RULE = Rule(
    id="unschedulable",
    family="scheduling",
    severity="error",
    summary="With a node inventory, no declared node admits the pod template, or not all its replicas can be placed",
    rationale=(
        "Given a node inventory (`--nodes`, config `nodes`: Node objects from `kubectl get nodes -o yaml`, or a "
        "compact NodeInventory of pools), kubecheck runs the kube-scheduler's filters for every pod template: "
        "cordoned nodes, `nodeName`, untolerated `NoSchedule`/`NoExecute` taints, `nodeSelector` and required "
        "node affinity, and the pod's requests (containers summed, init containers and sidecars counted as "
        "Kubernetes counts them, requests defaulting to limits) against each node's `allocatable`. A pod no "
        "node admits stays Pending forever; the message is the scheduler's own (`0/5 nodes are available: "
        "2 node(s) had untolerated taint {hw-type: gpu}, 3 node(s) didn't match Pod's node affinity/selector.`), "
        "at the field that turned away the most nodes, with those nodes related. DaemonSets get the tolerations "
        "their controller adds and are reported when they run on no node. Workloads with more replicas than "
        "required pod anti-affinity on their own labels, or a `DoNotSchedule` topology spread constraint, can "
        "place on the eligible nodes are reported too: the rest stay Pending."
    ),
    fail_example="""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: trainer
spec:
  selector:
    matchLabels: {app: trainer}
  template:
    metadata:
      labels: {app: trainer}
    spec:
      nodeSelector: {hw-type: gpu}
      containers:
        - name: trainer
          image: trainer:1.0
          resources:
            limits: {nvidia.com/gpu: 1}
""",
    pass_example="""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: trainer
spec:
  selector:
    matchLabels: {app: trainer}
  template:
    metadata:
      labels: {app: trainer}
    spec:
      nodeSelector: {hw-type: gpu}
      tolerations:
        - {key: hw-type, operator: Equal, value: gpu, effect: NoSchedule}
      containers:
        - name: trainer
          image: trainer:1.0
          resources:
            limits: {nvidia.com/gpu: 1}
""",
    check=check,
    example_settings={"nodes": (example_inventory(),)},
)
