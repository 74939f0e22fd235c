"""networkpolicy-no-match: a NetworkPolicy's pod selector selects no pod template in its namespace."""

from kubecheck.rule import Rule, Violation
from kubecheck.selectors import Selector, SelectorError


def check(policy, ctx):
    if policy.group != "networking.k8s.io":
        return
    data = policy.get("spec", "podSelector")
    try:
        selector = Selector.from_label_selector(data) if data is not None else None
    except SelectorError:
        return  # schema or selector findings
    if selector is None or selector.is_empty:
        return  # an empty selector applies to every pod of the namespace
    index = ctx.index
    if not index.templates.get(policy.namespace) and not index.unseen_pod_owners(policy.namespace)[1]:
        return  # the namespace's workloads are all managed elsewhere: nothing to judge the policy by
    if index.selected_templates(policy.namespace, selector):
        return
    why = index.no_pods(policy.namespace, selector)
    yield Violation(("spec", "podSelector"), f"NetworkPolicy {policy.name or '(unnamed)'} applies to no pods: no pod "
                                             f"template in namespace {policy.namespace!r} carries {selector}"
                                             f"{why.explanation}", why.related, uncertain=why.uncertain)


RULE = Rule(
    id="networkpolicy-no-match",
    family="reference",
    severity="warning",
    summary="A NetworkPolicy's pod selector selects no pod template in its namespace",
    rationale=(
        "A NetworkPolicy isolates and allows traffic for the pods its `spec.podSelector` selects in its "
        "namespace. One that selects no pod template does nothing, so the pods it was written for stay "
        "open (or stay blocked by another policy), usually because of a typo in the labels or a namespace "
        "mismatch. An empty selector selects every pod and is not reported. The finding names the closest "
        "templates and the labels they lack; pods an operator creates count as for `orphan-service`. A "
        "namespace whose manifests hold no pod templates (and no custom resources that may make pods) is "
        "not judged: its workloads are evidently managed elsewhere."
    ),
    fail_example="""\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db
spec:
  podSelector:
    matchLabels: {app: postgress}
  ingress:
    - from:
        - podSelector:
            matchLabels: {app: api}
---
apiVersion: v1
kind: Pod
metadata:
  name: db
  labels: {app: postgres}
spec:
  containers:
    - name: db
      image: postgres:16
""",
    pass_example="""\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db
spec:
  podSelector:
    matchLabels: {app: postgres}
  ingress:
    - from:
        - podSelector:
            matchLabels: {app: api}
---
apiVersion: v1
kind: Pod
metadata:
  name: db
  labels: {app: postgres}
spec:
  containers:
    - name: db
      image: postgres:16
""",
    check=check,
    kinds={"NetworkPolicy"},
)
