"""hpa-missing-target: a HorizontalPodAutoscaler scales a workload that the manifests do not hold."""

from kubecheck.kinds import current_group, is_custom_group, split_api_version
from kubecheck.references import namespace_note, suggestion
from kubecheck.rule import Rule, Violation
from kubecheck.schemastore import served_kinds


def check(hpa, ctx):
    if hpa.group != "autoscaling":
        return
    target = hpa.get("spec", "scaleTargetRef")
    if not isinstance(target, dict) or not all(isinstance(target.get(key), str) for key in ("apiVersion", "kind", "name")):
        return  # schema findings
    kind, name = target["kind"], target["name"]
    written = split_api_version(target["apiVersion"])[0]
    unserved = _unserved(written, kind, ctx.schemas.version)
    if unserved:
        yield Violation(("spec", "scaleTargetRef", "apiVersion"), unserved, at="value")
        return
    group = current_group(written, kind)
    index, namespace = ctx.index, hpa.namespace
    if index.find(namespace, group, kind, name) or not index.holds(namespace, group, kind):
        return
    elsewhere = namespace_note(index, hpa, group, kind, name)
    hint = elsewhere or suggestion(index, namespace, group, kind, name)
    yield Violation(("spec", "scaleTargetRef", "name"), f"{kind} {name!r} is not among the manifests of namespace "
                                                        f"{namespace!r}, which hold other {kind}s: the "
                                                        f"HorizontalPodAutoscaler scales nothing{hint}", at="value",
                    uncertain=bool(elsewhere))


def _unserved(group: str, kind: str, version: str) -> str:
    """Why a built-in target's group does not serve its kind in Kubernetes `version` ("" when it
    does): the autoscaler maps the group and kind (not the version) to a resource, and finds none."""
    if is_custom_group(group):
        return ""
    served = sorted(api_version for api_version, served_kind in served_kinds(version) if served_kind == kind)
    if any(split_api_version(api_version)[0] == group for api_version in served):
        return ""
    instead = [api_version for api_version in served if split_api_version(api_version)[0] == current_group(group, kind)]
    hint = f" (write apiVersion: {instead[-1]})" if instead else ""
    return (f"Kubernetes {version} serves no {kind} in API group {group or 'core'!r}{hint}: the HorizontalPodAutoscaler "
            "cannot find its target and scales nothing")


RULE = Rule(
    id="hpa-missing-target",
    family="reference",
    severity="warning",
    summary="A HorizontalPodAutoscaler targets a workload that is not among the manifests",
    rationale=(
        "A HorizontalPodAutoscaler scales the object its `scaleTargetRef` names (kind, name and API group, "
        "in its own namespace). When no such object exists it reports `FailedGetScale` and scales nothing, "
        "usually after a rename of the workload. Judged only in namespaces where the manifests hold objects "
        "of the target's kind. A target whose API group no longer serves its kind in the target Kubernetes "
        "version (a Deployment in `extensions`) is reported wherever it is: the autoscaler finds no such "
        "resource at all."
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
