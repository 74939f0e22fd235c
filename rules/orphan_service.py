"""orphan-service: a Service whose selector selects no pod template in its namespace."""

from kubecheck.rule import Rule, Violation
from kubecheck.selectors import Selector, SelectorError


def check(service, ctx):
    if service.group != "" or service.get("spec", "type") == "ExternalName":
        return
    data = service.get("spec", "selector")
    if not data:
        return  # no selector: endpoints are managed by hand (or by another controller)
    try:
        selector = Selector.from_map(data)
    except SelectorError:
        return  # wrong types are schema findings
    if ctx.index.selected_templates(service.namespace, selector):
        return
    why = ctx.index.no_pods(service.namespace, selector)
    message = (f"Service {service.name or '(unnamed)'} selects no pods: no pod template in namespace "
               f"{service.namespace!r} carries {selector}{why.explanation}")
    yield Violation(("spec", "selector"), message, why.related, uncertain=why.uncertain)

RULE = Rule(
    id="orphan-service",
    family="graph",
    severity="warning",
    summary="A Service's selector selects no pod template in its namespace",
    rationale=(
        "A Service with a selector sends traffic only to pods carrying all of its labels. When no pod "
        "template in the Service's namespace (Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, "
        "ReplicationControllers, Jobs, CronJobs and the `workload-kinds` of the config) can produce such "
        "pods, the Service has no endpoints and every connection fails. Labels that controllers add at "
        "run time count (a StatefulSet's `statefulset.kubernetes.io/pod-name`, a Deployment's "
        "`pod-template-hash`), so per-pod Services are not flagged. Services without a selector and "
        "`ExternalName` Services are skipped. The finding names the closest templates and the labels "
        "they lack. When pods live in files that are not checked, pass them with `--context`. Pods that an "
        "operator creates from a custom resource count when the config's `operator-pods` declares their "
        "labels; otherwise, if the namespace holds custom resources whose operator may create pods, the "
        "finding says so and is reported one level lower (info)."
    ),
    fail_example="""\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
""",
    pass_example="""\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
""",
    check=check,
    kinds={"Service"},
)
