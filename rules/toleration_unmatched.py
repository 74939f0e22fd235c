"""toleration-unmatched: with a node inventory, a toleration that matches no taint of any declared node."""

from kubecheck.inventory import example_inventory
from kubecheck.rule import Rule, Violation
from kubecheck.scheduling import node_index, tolerates

#: Taints Kubernetes, cloud providers, autoscalers and CNI agents put on nodes at run time
#: (conditions, roles, start-up, scale-down), and kubeadm's CriticalAddonsOnly convention:
#: tolerating them is right whatever the inventory declares.
_RUN_TIME_TAINTS = ("node.kubernetes.io/", "node-role.kubernetes.io/", "node.cloudprovider.kubernetes.io/",
                    "CriticalAddonsOnly", "ToBeDeletedByClusterAutoscaler", "DeletionCandidateOfClusterAutoscaler",
                    "karpenter.sh/", "node.cilium.io/")


def check(obj, ctx):
    template = obj.pod_template
    if ctx.nodes is None or template is None or template.by_operator:
        return
    tolerations = template.spec.get("tolerations")
    if not isinstance(tolerations, list):
        return
    taints = node_index(ctx.nodes).taints  # every declared taint, in inventory order
    for index, toleration in enumerate(tolerations):
        if not isinstance(toleration, dict) or not isinstance(toleration.get("key"), str) \
                or not all(isinstance(toleration.get(f), (str, type(None))) for f in ("operator", "value", "effect")):
            continue  # no key: it tolerates every taint, those added at run time too (wrong types: schema)
        key = toleration["key"]
        if not key or key.startswith(_RUN_TIME_TAINTS) or any(tolerates(toleration, taint) for taint in taints):
            continue
        declared = (f"they have {', '.join(str(taint) for taint in list(taints)[:5])}"
                    f"{', ...' if len(taints) > 5 else ''}") if taints else "they have no taints"
        yield Violation(template.path + ("spec", "tolerations", index), f"toleration {_describe(toleration)} matches "
                        f"no taint of the {ctx.nodes.nodes} declared node{'s' if ctx.nodes.nodes != 1 else ''} ({declared}): a "
                        "misspelt key or value "
                        "tolerates nothing", at="value")


def _describe(toleration: dict) -> str:
    operator = toleration.get("operator") or "Equal"
    value = f"={toleration.get('value') or ''}" if operator == "Equal" else "" if operator == "Exists" \
        else f" {operator} {toleration.get('value') or ''}"
    effect = f":{toleration['effect']}" if toleration.get("effect") else ""
    return f"{toleration['key']}{value}{effect}"


RULE = Rule(
    id="toleration-unmatched",
    family="scheduling",
    severity="info",
    summary="With a node inventory, a toleration matches no taint of any declared node",
    rationale=(
        "A toleration only matters if some node carries a taint it tolerates. One that matches no taint of "
        "the declared nodes is usually a typo in the key, value or effect (so the pods it was written for "
        "still cannot run on the tainted nodes), or left over from nodes that are gone. Tolerations of the "
        "taints Kubernetes and its add-ons put on nodes at run time (`node.kubernetes.io/*` conditions, "
        "`node-role.kubernetes.io/*`, `node.cloudprovider.kubernetes.io/*`, the cluster autoscaler's and "
        "Karpenter's, Cilium's start-up taint, kubeadm's `CriticalAddonsOnly`) and tolerations without a "
        "key are not reported."
    ),
    fail_example="""\
apiVersion: v1
kind: Pod
metadata:
  name: trainer
spec:
  tolerations:
    - {key: hw-type, operator: Equal, value: gpus, effect: NoSchedule}
  containers:
    - name: trainer
      image: trainer:1.0
""",
    pass_example="""\
apiVersion: v1
kind: Pod
metadata:
  name: trainer
spec:
  tolerations:
    - {key: hw-type, operator: Equal, value: gpu, effect: NoSchedule}
  containers:
    - name: trainer
      image: trainer:1.0
""",
    check=check,
    example_settings={"nodes": (example_inventory(),)},
)
