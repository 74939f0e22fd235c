"""How many pods a workload keeps running, for rules that weigh budgets against them.

`spec.replicas` (default 1) of Deployments, ReplicaSets, StatefulSets, ReplicationControllers
and the `workload-kinds`; 1 for a Pod. A HorizontalPodAutoscaler that targets the workload may
scale it down to its `minReplicas` (default 1), so that is the number that matters (the
smallest, if several target it). DaemonSets run a pod on each node that admits it: known with a
node inventory (`kubecheck.scheduling`), else not. Jobs and CronJobs run pods that finish, and
operators run pods nobody counted in the manifests: their number is not known (None).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kubecheck.objects import K8sObject, PodTemplate
from kubecheck.scheduling import Unjudged, evaluate, node_index, pod_needs

_UNCOUNTED = {("apps", "DaemonSet"), ("batch", "Job"), ("batch", "CronJob")}


@dataclass(frozen=True)
class Replicas:
    count: int
    autoscaler: K8sObject | None = None  # the HorizontalPodAutoscaler whose minReplicas this is


def without_scale(template: PodTemplate) -> bool:
    """Whether `template`'s pods belong to a controller with no scale subresource (a DaemonSet, a Job,
    a CronJob's Jobs), which the disruption controller cannot resolve budgets against."""
    return not template.by_operator and (template.owner.group, template.owner.kind) in _UNCOUNTED


def replicas(template: PodTemplate, index, nodes=None) -> Replicas | None:
    """The fewest pods `template`'s owner runs, or None when that is not known. With a node
    inventory (`nodes`), a DaemonSet runs one pod on each node that admits it."""
    owner = template.owner
    if nodes is not None and (owner.group, owner.kind) == ("apps", "DaemonSet") and not template.by_operator:
        return _daemonset_pods(template, nodes)
    if template.by_operator or (owner.group, owner.kind) in _UNCOUNTED:
        return None
    if (owner.group, owner.kind) == ("", "Pod"):
        return Replicas(1)
    floors = [(_count(hpa.get("spec", "minReplicas")), hpa) for hpa in index.autoscalers_of(owner)]
    floors = [(count, hpa) for count, hpa in floors if count is not None]
    if floors:
        count, hpa = min(floors, key=lambda floor: floor[0])
        return Replicas(count, hpa)
    count = _count(owner.get("spec", "replicas"))
    return Replicas(count) if count is not None else None


def _daemonset_pods(template: PodTemplate, inventory) -> Replicas | None:
    nodes = node_index(inventory)
    try:
        fits = evaluate(pod_needs(template.spec, daemonset=True), nodes).fits
    except Unjudged:
        return None
    return Replicas(nodes.weight(fits))


def _count(value: object, default: int = 1) -> int | None:
    """A replica count as the API server reads it: absent is the default; not an integer, unknown."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value != int(value) or value < 0:
        return None
    return int(value)
