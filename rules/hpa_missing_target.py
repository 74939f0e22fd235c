"""hpa-missing-target: a HorizontalPodAutoscaler scales a workload that the manifests do not hold."""

from kubecheck.kinds import current_group, split_api_version
from kubecheck.references import namespace_note, suggestion
from kubecheck.rule import Rule, Violation


def check(hpa, ctx):
    if hpa.group != "autoscaling":
        return
    target = hpa.get("spec", "scaleTargetRef")
    if not isinstance(target, dict) or not all(isinstance(target.get(key), str) for key in ("apiVersion", "kind", "name")):
        return  # schema findings
    kind, name = target["kind"], target["name"]
    group = current_group(split_api_version(target["apiVersion"])[0], kind)
    index, namespace = ctx.index, hpa.namespace
    if index.find(namespace, group, kind, name) or not index.holds(namespace, group, kind):
        return
    elsewhere = namespace_note(index, hpa, group, kind, name)
    hint = elsewhere or suggestion(index, namespace, group, kind, name)
    yield Violation(("spec", "scaleTargetRef", "name"), f"{kind} {name!r} is not among the manifests of namespace "
                                                        f"{namespace!r}, which hold other {kind}s: the "
                                                        f"HorizontalPodAutoscaler scales nothing{hint}", at="value",
                    uncertain=bool(elsewhere))


RULE = Rule(
    id="hpa-missing-target",
    family="reference",
    severity="warning",
    summary="A HorizontalPodAutoscaler targets a workload that is not among the manifests",
    rationale=(
        "A HorizontalPodAutoscaler scales the object its `scaleTargetRef` names (kind, name and API group, "
        "in its own namespace). When no such object exists it reports `FailedGetScale` and scales nothing, "
        "usually after a rename of the workload. Judged only in namespaces where the manifests hold objects "
        "of the target's kind."
    ),
    fail_example="""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
spec:
  selector:
    matchLabels: {app: checkout}
  template:
    metadata:
      labels: {app: checkout}
    spec:
      containers:
        - name: checkout
          image: nginx:1.27
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: checkout
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: checkout-v2}
  minReplicas: 2
  maxReplicas: 10
""",
    pass_example="""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
spec:
  selector:
    matchLabels: {app: checkout}
  template:
    metadata:
      labels: {app: checkout}
    spec:
      containers:
        - name: checkout
          image: nginx:1.27
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: checkout
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: checkout}
  minReplicas: 2
  maxReplicas: 10
""",
    check=check,
    kinds={"HorizontalPodAutoscaler"},
)
