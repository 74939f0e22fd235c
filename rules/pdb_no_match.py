"""pdb-no-match: a PodDisruptionBudget selects no pod template in its namespace."""

from kubecheck.rule import Rule, Violation
from kubecheck.selectors import SelectorError, budget_selector


def check(pdb, ctx):
    if pdb.group != "policy":
        return
    data = pdb.get("spec", "selector")
    try:
        selector = budget_selector(pdb.api_version, data)
    except SelectorError:
        return  # wrong types are schema findings
    name = pdb.name or "(unnamed)"
    if selector is None:
        if data is None:
            yield Violation(("spec",), f"PodDisruptionBudget {name} has no selector, so it selects no pods and "
                                       "protects nothing (an empty selector, {}, selects every pod of the namespace)")
        else:
            yield Violation(("spec", "selector"), f"PodDisruptionBudget {name} selects no pods: in "
                                                  f"{pdb.api_version} an empty selector selects none (policy/v1's "
                                                  "selects every pod of the namespace)")
        return
    if ctx.index.selected_templates(pdb.namespace, selector):
        return
    why = ctx.index.no_pods(pdb.namespace, selector)
    carries = f"carries {selector}" if not selector.is_empty else "exists (the empty selector selects every pod)"
    yield Violation(("spec", "selector"), f"PodDisruptionBudget {name} selects no pods: no pod template in namespace "
                                          f"{pdb.namespace!r} {carries}{why.explanation}",
                    why.related, uncertain=why.uncertain)


RULE = Rule(
    id="pdb-no-match",
    family="graph",
    severity="warning",
    summary="A PodDisruptionBudget selects no pod template in its namespace",
    rationale=(
        "A PodDisruptionBudget protects the pods its selector selects in its namespace, as the disruption "
        "controller reads it: `matchLabels` and `matchExpressions`; in policy/v1 an empty selector (`{}`) "
        "selects every pod of the namespace and a missing one none; in policy/v1beta1 an empty selector "
        "selects none. A budget that selects no pod template protects nothing, usually because of a typo in "
        "its labels or a namespace mismatch. The finding names the closest templates and the labels they "
        "lack. Pods that an operator creates from a custom resource count when the config's "
        "`operator-pods` declares their labels; otherwise, if the namespace holds custom resources whose "
        "operator may create pods, the finding says so and is reported one level lower (info)."
    ),
    fail_example="""\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
  selector:
    matchLabels: {app: wbe}
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
      labels: {app: web}
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
  minAvailable: 1
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
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
""",
    check=check,
    kinds={"PodDisruptionBudget"},
)
