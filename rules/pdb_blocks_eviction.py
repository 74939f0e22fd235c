"""pdb-blocks-eviction: a PodDisruptionBudget that can never allow an eviction."""

import math
import re

from kubecheck.rule import Related, Rule, Violation
from kubecheck.scale import replicas
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
        return
    value = spec.get("minAvailable")
    percent = _percent(value)
    if percent is not None and percent >= 100:
        yield Violation(("spec", "minAvailable"), f"PodDisruptionBudget {name} allows no eviction: minAvailable "
                                                  f"{value} keeps every selected pod; a node drain will hang", at="value")
        return
    if percent is None and (isinstance(value, bool) or not isinstance(value, int)):
        return
    counted = _counted_pods(pdb, ctx.index)
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


def _counted_pods(pdb, index):
    """[(Replicas, count)] for each workload whose pods the budget selects, or None when that is not
    known for certain (a count unknown, or pods only possibly selected)."""
    try:
        selector = budget_selector(pdb.api_version, pdb.get("spec", "selector"))
    except SelectorError:
        return None
    if selector is None:
        return None
    possible = index.selected_templates(pdb.namespace, selector)
    certain = index.selected_templates(pdb.namespace, selector, certain=True)
    if len(possible) != len(certain) or not certain:
        return None
    counted = []
    for template in certain:
        scale = replicas(template, index)
        if scale is None:
            return None
        counted.append(((template, scale), scale.count))
    return counted


def _replicas_text(counted, total: int) -> str:
    if len(counted) == 1:
        (template, scale), _ = counted[0]
        owner = f"{template.owner.kind} {template.owner.name or '(unnamed)'}"
        if scale.autoscaler is not None:
            return f"the {total} replicas its HorizontalPodAutoscaler may scale {owner} down to"
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
        "percentage is rounded up (67% of 3 is 3). `kubectl drain`, cluster upgrades and autoscalers then "
        "wait forever. When a count is not known (DaemonSets, Jobs, pods an operator creates) only the "
        "first two cases are reported."
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
