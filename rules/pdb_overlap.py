"""pdb-overlap: a workload's pods are selected by more than one PodDisruptionBudget."""

from kubecheck.rule import Related, Rule, Violation
from kubecheck.selectors import SelectorError, budget_selector


def check(pdb, ctx):
    if pdb.group != "policy":
        return
    try:
        selector = budget_selector(pdb.api_version, pdb.get("spec", "selector"))
    except SelectorError:
        return
    if selector is None:
        return
    shared = {}  # owner's description -> (template, the other budgets); copies of a workload count once
    index = ctx.index
    for template in index.selected_templates(pdb.namespace, selector, certain=True):
        if index.alternatives(pdb, template.owner):
            continue
        others = [other for other in index.budgets_selecting(template)
                  if not pdb.same_as(other) and not index.alternatives(pdb, other)]
        if others:
            shared.setdefault(template.owner.describe(), (template, others))
    shared = list(shared.values())
    if not shared:
        return
    budgets = sorted({other.describe() for _, others in shared for other in others})
    pods = ", ".join(template.owner.describe() for template, _ in shared[:3]) + (", ..." if len(shared) > 3 else "")
    message = (f"PodDisruptionBudget {pdb.name or '(unnamed)'} selects the pods of {pods}, which "
               f"{' and '.join(budgets)} also select{'s' if len(budgets) == 1 else ''}: the eviction API refuses "
               "to evict a pod that more than one budget covers, so a node drain cannot move these pods")
    related = [Related(other, ("spec", "selector"), "another budget selecting the same pods")
               for other in {id(o): o for _, others in shared for o in others}.values()]
    related += [Related(template.owner, template.labels_path, "the pods both budgets select") for template, _ in shared[:3]]
    yield Violation(("spec", "selector"), message, tuple(related))


RULE = Rule(
    id="pdb-overlap",
    family="graph",
    severity="warning",
    summary="A workload's pods are selected by more than one PodDisruptionBudget",
    rationale=(
        "The eviction API refuses to evict a pod that more than one PodDisruptionBudget selects (it answers "
        "with an error instead of judging the budgets), so `kubectl drain` and cluster autoscalers cannot "
        "move such pods. Each budget that shares pods with another is reported at its selector, naming the "
        "other budgets and the workloads whose pods they share. Only pods both selectors certainly select "
        "count (labels controllers add at run time with unknown values are not assumed)."
    ),
    fail_example="""\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: frontend
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {tier: frontend}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web, tier: frontend}
    spec:
      containers:
        - name: web
          image: nginx:1.27
""",
    pass_example="""\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web, tier: frontend}
    spec:
      containers:
        - name: web
          image: nginx:1.27
""",
    check=check,
    kinds={"PodDisruptionBudget"},
)
