"""toleration-invalid: a toleration the API server rejects."""

from kubecheck.names import decimal_integer, label_value_problem, qualified_name_problem
from kubecheck.rule import Rule, Violation
from kubecheck.schemastore import minor

_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
#: Kubernetes 1.35 added the numeric operators (feature gate TaintTolerationComparisonOperators).
_COMPARISONS_SINCE = 35


def check(obj, ctx):
    template = obj.pod_template
    if template is None or template.by_operator:
        return
    tolerations = template.spec.get("tolerations")
    if not isinstance(tolerations, list):
        return
    comparisons = minor(ctx.schemas.version) >= _COMPARISONS_SINCE
    for index, toleration in enumerate(tolerations):
        if isinstance(toleration, dict):
            for field, message in _problems(toleration, comparisons):
                where = (field,) if field in toleration else ()
                yield Violation(template.path + ("spec", "tolerations", index) + where, message,
                                at="value" if where else "key")


def _problems(toleration: dict, comparisons: bool):
    """(field, message) for each reason the API server's ValidateTolerations gives."""
    key, operator, value, effect = (toleration.get(name) for name in ("key", "operator", "value", "effect"))
    if not all(part is None or isinstance(part, str) for part in (key, operator, value, effect)):
        return  # wrong types are schema findings
    key, operator, value, effect = key or "", operator or "", value or "", effect or ""
    if key and (problem := qualified_name_problem(key)):
        yield "key", f"toleration key {key!r} is not a valid label key: {problem}"
    if not key and operator != "Exists":
        yield "operator", ("a toleration with an empty key must have operator Exists (it then matches every taint); "
                           f"{'operator ' + repr(operator) if operator else 'no operator (Equal)'} is rejected")
    if toleration.get("tolerationSeconds") is not None and effect != "NoExecute":
        yield "effect", (f"tolerationSeconds needs effect NoExecute (it says how long a NoExecute taint is "
                         f"tolerated), not {effect or 'an empty effect'}")
    known = ("Equal", "Exists", "Gt", "Lt") if comparisons else ("Equal", "Exists")
    if operator in ("", "Equal"):
        if problem := label_value_problem(value):
            yield "value", f"toleration value {value!r} is not a valid label value: it {problem}"
    elif operator == "Exists":
        if value:
            yield "value", f"a toleration with operator Exists matches any value: value {value!r} must be empty"
    elif operator in known:
        if decimal_integer(value) is None:
            yield "value", (f"operator {operator} compares numbers: value {value!r} must be an integer (a 64-bit "
                            "one, in decimal, without leading zeros or a plus sign)")
    else:
        since = "" if comparisons or operator not in ("Gt", "Lt") else \
            " (Gt and Lt need Kubernetes 1.35 or later as the target version)"
        yield "operator", f"operator {operator!r} is not supported: {', '.join(known)}{since}"
    if effect and effect not in _EFFECTS:
        yield "effect", f"effect {effect!r} is not supported: {', '.join(_EFFECTS)}"


RULE = Rule(
    id="toleration-invalid",
    local=True,
    family="scheduling",
    severity="error",
    summary="A toleration the API server rejects",
    rationale=(
        "The API server validates every toleration of a pod (ValidateTolerations) and rejects the pod, or the "
        "workload whose template holds it: the key must be a valid label key; an empty key needs operator "
        "`Exists` (and then tolerates every taint); `Exists` takes no value and `Equal` (the default) a valid "
        "label value; `tolerationSeconds` only goes with effect `NoExecute`; operators are `Equal` and `Exists` "
        "(and `Gt` and `Lt`, comparing integers, from Kubernetes 1.35); effects are `NoSchedule`, "
        "`PreferNoSchedule` and `NoExecute`. The schemas leave these fields free strings, so kubecheck checks "
        "them as the API server does, for the target version."
    ),
    fail_example="""\
apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  tolerations:
    - key: node-role.kubernetes.io/control-plane
      operator: Exists
      value: "true"
      effect: NoSchedule
  containers:
    - name: agent
      image: agent:1.0
""",
    pass_example="""\
apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  tolerations:
    - key: node-role.kubernetes.io/control-plane
      operator: Exists
      effect: NoSchedule
  containers:
    - name: agent
      image: agent:1.0
""",
    check=check,
)
