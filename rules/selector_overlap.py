"""selector-overlap: a controller's selector selects the pods of another controller or a bare Pod."""

from kubecheck.rule import Related, Rule, Violation


def check(obj, ctx):
    selector = obj.pod_selector
    if selector is None or _owned(obj):
        return
    others = {}  # identity -> a template of that owner (alternative copies of one object count once)
    for template in ctx.index.selected_templates(obj.namespace, selector, certain=True):
        owner = template.owner
        if obj.same_as(owner) or _owned(owner) or owner.is_helm_hook or ctx.index.alternatives(obj, owner) \
                or _refers_to(obj, owner) or _refers_to(owner, obj):
            continue
        if obj.kind == "Deployment" and owner.kind not in ("Deployment", "ReplicaSet"):
            continue  # it claims ReplicaSets; they also select pod-template-hash, so adopt no other pods
        others.setdefault(owner.identity if owner.name is not None else id(owner), template)
    if not others:
        return
    shown = list(others.values())[:3]
    names = ", ".join(t.owner.describe() for t in shown) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
    message = (f"the selector {selector} of {obj.kind} {obj.name or '(unnamed)'} also selects the pods of {names}; "
               "controllers whose selectors overlap may conflict: they adopt each other's unowned pods, and "
               "autoscalers and kubectl act on the pods of both")
    related = tuple(Related(t.owner, t.labels_path, "pods this selector also selects") for t in shown)
    yield Violation(obj.workload.selector, message, related)


def _refers_to(obj, other) -> bool:
    """Whether `obj` takes its pod template from `other` (an Argo Rollout's workloadRef, which
    scales the referenced Deployment down to hand its pods over)."""
    ref = obj.get("spec", "workloadRef")
    return isinstance(ref, dict) and ref.get("name") == other.name and ref.get("kind") == other.kind


def _owned(obj) -> bool:
    """Whether a controller owns this object (a dump of a cluster's ReplicaSets and Pods)."""
    references = obj.metadata.get("ownerReferences")
    return isinstance(references, list) and any(isinstance(r, dict) and r.get("controller") is True
                                                for r in references)


RULE = Rule(
    id="selector-overlap",
    family="graph",
    severity="warning",
    summary="A controller's selector selects the pods of another controller or of a bare Pod",
    rationale=(
        "Kubernetes asks that controllers' selectors do not overlap, and does not stop them. A ReplicaSet, "
        "StatefulSet, DaemonSet, ReplicationController or Job adopts any pod its selector selects that no "
        "controller owns (a bare Pod, or pods left behind by a deleted controller) and may then delete it; "
        "a HorizontalPodAutoscaler averages the metrics of every pod the scale selector selects; rollouts "
        "and `kubectl` count the wrong pods. Reported at the selector of each controller (Deployment, "
        "ReplicaSet, StatefulSet, DaemonSet, ReplicationController, Job with `manualSelector`, and the "
        "`workload-kinds`) that selects, for certain, pods of another pod template in its namespace. Jobs "
        "and CronJobs whose selector the API server generates select only their own pods; a Deployment "
        "is only compared with Deployments and ReplicaSets (it claims the ReplicaSets its selector "
        "selects, and they also select their pod-template-hash, so they adopt no other pods); Helm hooks (test "
        "Pods, migration Jobs) run beside the release and are not counted; nor are objects in files that "
        "are alternatives of the controller's (they define a same object, so they are not applied together)."
    ),
    fail_example="""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop, component: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: shop, component: api}
  template:
    metadata:
      labels: {app: shop, component: api}
    spec:
      containers:
        - name: api
          image: nginx:1.27
""",
    pass_example="""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: shop, component: web}
  template:
    metadata:
      labels: {app: shop, component: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: shop, component: api}
  template:
    metadata:
      labels: {app: shop, component: api}
    spec:
      containers:
        - name: api
          image: nginx:1.27
""",
    check=check,
)
