"""pdb-blocks-eviction: a PodDisruptionBudget that can never allow an eviction."""

import math
import re

from kubecheck.rule import Related, Rule, Violation
from kubecheck.scale import replicas, without_scale
from kubecheck.selectors import SelectorError, budget_selector

_PERCENT = re.compile(r"([0-9]+)%\Z")


def check(pdb, ctx):
    if pdb.group != "policy":
        return
    spec = pdb.get("spec")
    if not isinstance(spec, dict) or ("minAvailable" in spec and "maxUnavailable" in spec):
        return  # the API server rejects both at once
    name = pdb.name or "(unnamed)"
    if "maxUnavailable" in spec:
        value = spec["maxUnavailable"]
        if value == 0 or value == "0%":
            yield Violation(("spec", "maxUnavailable"), f"PodDisruptionBudget {name} allows no eviction: "
                                                        f"maxUnavailable {value} lets no selected pod go; a node drain "
                                                        "will hang", at="value")
        else:
            yield from _unscaled(pdb, ctx.index, "maxUnavailable", value)
        return
    value = spec.get("minAvailable")
    percent = _percent(value)
    if percent is not None and percent >= 100:
        yield Violation(("spec", "minAvailable"), f"PodDisruptionBudget {name} allows no eviction: minAvailable "
                                                  f"{value} keeps every selected pod; a node drain will hang", at="value")
        return
    if percent is None and (isinstance(value, bool) or not isinstance(value, int)):
        return
    if percent is not None:
        unscaled = list(_unscaled(pdb, ctx.index, "minAvailable", value))
        if unscaled:
            yield from unscaled
            return
    counted = _counted_pods(pdb, ctx.index, scaled=percent is not None, nodes=ctx.nodes)
    if counted is None:
        return
    total = sum(count for _, count in counted)
    needed = value if percent is None else math.ceil(percent * total / 100)
    if total == 0 or needed < total:
        return
    compared = "equals" if needed == total else "is more than"
    if percent is not None:
        stated = f"minAvailable {value} of {total} rounds up to {needed}, which {compared}"
    else:
        stated = f"minAvailable {value} {compared}"
    yield Violation(("spec", "minAvailable"), f"PodDisruptionBudget {name} allows no eviction: {stated} "
                                              f"{_replicas_text(counted, total)}; a node drain will hang",
                    _related(counted), at="value")


def _percent(value) -> int | None:
    match = _PERCENT.match(value) if isinstance(value, str) else None
    return int(match.group(1)) if match else None


def _unscaled(pdb, index, field: str, value):
    """A violation when the budget selects pods of a controller without a scale subresource (a
    DaemonSet, a Job) and says `maxUnavailable` or a percentage: the disruption controller resolves
    those against the scale of each pod's controller, fails to get one, and then allows no disruption
    (Kubernetes documents that such pods take only an integer minAvailable)."""
    unscaled = [template for template in _selected(pdb, index, certain=True) if without_scale(template)]
    if not unscaled:
        return
    owners = sorted({template.owner.describe() for template in unscaled})
    yield Violation(("spec", field), f"PodDisruptionBudget {pdb.name or '(unnamed)'} allows no eviction: {field} "
                                     f"{value} is resolved against the scale of the selected pods' controllers, and "
                                     f"{' and '.join(owners[:3])} ha{'s' if len(owners) == 1 else 've'} none, so the "
                                     "disruption controller fails and allows no disruption (only an integer "
                                     "minAvailable works for such pods); a node drain will hang",
                    tuple(Related(t.owner, t.labels_path, "pods whose controller has no scale") for t in unscaled[:3]),
                    at="value")


def _selected(pdb, index, certain: bool) -> list:
    """The pod templates the budget selects (for certain, or possibly): copies of one workload in
    several files count once, and files that are alternatives of the budget's not at all."""
    try:
        selector = budget_selector(pdb.api_version, pdb.get("spec", "selector"))
    except SelectorError:
        return []
    if selector is None:
        return []
    found = {}
    for template in index.selected_templates(pdb.namespace, selector, certain=certain):
        owner = template.owner
        if not index.alternatives(pdb, owner):
            found.setdefault(owner.identity if owner.name is not None else id(owner), template)
    return list(found.values())


def _counted_pods(pdb, index, scaled: bool, nodes=None):
    """[(Replicas, count)] for each workload whose pods the budget selects, or None when that is not
    known for certain (a count unknown, or pods only possibly selected). With `scaled` (a percentage),
    bare Pods are left out, as the disruption controller leaves pods without a controller out."""
    certain = _selected(pdb, index, certain=True)
    if not certain or len(_selected(pdb, index, certain=False)) != len(certain):
        return None
    counted = []
    for template in certain:
        if scaled and (template.owner.group, template.owner.kind) == ("", "Pod"):
            continue
        scale = replicas(template, index, nodes)
        if scale is None:
            return None
        counted.append(((template, scale), scale.count))
    return counted


def _replicas_text(counted, total: int) -> str:
    if len(counted) == 1:
        (template, scale), _ = counted[0]
        owner = f"{template.owner.kind} {template.owner.name or '(unnamed)'}"
        if scale.autoscaler is not None:
            return (f"the {total} replica{'s' if total != 1 else ''} its HorizontalPodAutoscaler may scale {owner} "
                    "down to")
        if template.owner.kind == "DaemonSet":
            return f"the {total} pod{'s' if total != 1 else ''} {owner} runs, one on each declared node that admits it"
        return f"the {total} replica{'s' if total != 1 else ''} of {owner}"
    parts = []
    for (template, scale), count in counted:
        floor = ", its HorizontalPodAutoscaler's minimum" if scale.autoscaler is not None else ""
        parts.append(f"{template.owner.kind} {template.owner.name or '(unnamed)'} ({count}{floor})")
    return f"the {total} replicas of {', '.join(parts[:-1])} and {parts[-1]}"


def _related(counted) -> tuple:
    related = []
    for (template, scale), _ in counted:
        owner = template.owner
        where = ("spec", "replicas") if owner.get("spec", "replicas") is not None else template.labels_path
        related.append(Related(owner, where, "the pods the budget selects"))
        if scale.autoscaler is not None:
            related.append(Related(scale.autoscaler, ("spec", "minReplicas"), "the fewest replicas it scales to"))
    return tuple(related)


RULE = Rule(
    id="pdb-blocks-eviction",
    family="graph",
    severity="warning",
    summary="A PodDisruptionBudget can never allow an eviction, so node drains hang",
    rationale=(
        "A PodDisruptionBudget lets the eviction API remove a pod only while enough others stay available. "
        "Some budgets never allow it: `maxUnavailable: 0` (or `0%`), `minAvailable: 100%`, and a "
        "`minAvailable` that is at least the number of pods the budget selects. That number is resolved as "
        "the disruption controller resolves it: the `spec.replicas` (default 1) of every workload whose pods "
        "the budget selects, or the `minReplicas` a HorizontalPodAutoscaler may scale a workload down to; a "
        "percentage is rounded up (67% of 3 is 3), and pods without a controller (bare Pods) are left out "
        "of a percentage's base. The controller resolves `maxUnavailable` and percentages against the scale "
        "of each selected pod's controller: DaemonSets and Jobs have none, so such a budget over their pods "
        "fails and allows no disruption at all (they take only an integer `minAvailable`). `kubectl drain`, "
        "cluster upgrades and autoscalers then wait forever. A DaemonSet runs one pod on each node that "
        "admits it: known with a node inventory (`--nodes`). When a count is not known (DaemonSets without "
        "an inventory, Jobs, pods an operator creates) an integer `minAvailable` is not judged."
    ),
    fail_example="""\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: checkout
spec:
  minAvailable: 2
  selector:
    matchLabels: {app: checkout}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
spec:
  replicas: 2
  selector:
    matchLabels: {app: checkout}
  template:
    metadata:
      labels: {app: checkout}
    spec:
      containers:
        - name: checkout
          image: nginx:1.27
""",
    pass_example="""\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: checkout
spec:
  minAvailable: 2
  selector:
    matchLabels: {app: checkout}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
spec:
  replicas: 3
  selector:
    matchLabels: {app: checkout}
  template:
    metadata:
      labels: {app: checkout}
    spec:
      containers:
        - name: checkout
          image: nginx:1.27
""",
    check=check,
    kinds={"PodDisruptionBudget"},
)
