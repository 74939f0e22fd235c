"""Synthetic input for the scheduling benchmark: an inventory of N node shapes and M pod templates.

Shapes are pools in three zones, with a few label values, some tainted GPU pools and a spread of
allocatable amounts; templates mix plain requests, nodeSelectors, GPU tolerations, node affinity,
hostname anti-affinity and zone spread, as a large platform repository would. Most templates
fit somewhere (the scheduler's fast path); one in fifty asks for a pool that does not exist.
"""

from __future__ import annotations

from pathlib import Path


def inventory(shapes: int) -> str:
    pools = []
    for i in range(shapes):
        gpu = i % 10 == 0
        labels = (f"{{pool: p{i}, topology.kubernetes.io/zone: z{i % 3}, tier: t{i % 10}"
                  f"{', hw-type: gpu' if gpu else ''}}}")
        taints = "\n    taints: [{key: hw-type, value: gpu, effect: NoSchedule}]" if gpu else ""
        extra = ', nvidia.com/gpu: "4"' if gpu else ""
        pools.append(f"  - name: p{i}\n    count: {1 + i % 5}\n    labels: {labels}{taints}\n"
                     f"    allocatable: {{cpu: \"{4 + i % 13}\", memory: {8 + i % 57}Gi, pods: \"110\"{extra}}}\n")
    return "apiVersion: kubecheck.io/v1\nkind: NodeInventory\npools:\n" + "".join(pools)


def templates(count: int, shapes: int) -> str:
    documents = []
    for i in range(count):
        kind = i % 10
        spec = ""
        if kind in (1, 2):
            spec = f"      nodeSelector: {{tier: t{i % 10}}}\n"
        elif kind == 3:
            spec = ("      nodeSelector: {hw-type: gpu}\n"
                    "      tolerations: [{key: hw-type, operator: Equal, value: gpu, effect: NoSchedule}]\n")
        elif kind == 4:
            spec = ("      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n"
                    "            nodeSelectorTerms:\n              - matchExpressions:\n"
                    f"                  - {{key: topology.kubernetes.io/zone, operator: In, values: [z{i % 3}]}}\n"
                    f"                  - {{key: tier, operator: NotIn, values: [t{i % 7}]}}\n")
        elif kind == 5:
            spec = ("      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n"
                    f"            - {{labelSelector: {{matchLabels: {{app: app{i}}}}}, topologyKey: kubernetes.io/hostname}}\n")
        elif kind == 6:
            spec = ("      topologySpreadConstraints:\n        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, "
                    f"whenUnsatisfiable: DoNotSchedule, labelSelector: {{matchLabels: {{app: app{i}}}}}}}\n")
        if i % 50 == 49:
            spec = f"      nodeSelector: {{pool: p{shapes + i}}}\n"  # no such pool
        gpu = ", nvidia.com/gpu: 1" if kind == 3 else ""
        documents.append(
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app{i}, namespace: ns{i % 20}}}\n"
            f"spec:\n  replicas: {1 + i % 3}\n  selector: {{matchLabels: {{app: app{i}}}}}\n  template:\n"
            f"    metadata: {{labels: {{app: app{i}}}}}\n    spec:\n{spec}"
            f"      containers:\n        - name: app\n          image: app:{i}\n"
            f"          resources: {{requests: {{cpu: {100 + i % 900}m, memory: {64 + i % 2000}Mi}}, "
            f"limits: {{memory: {128 + i % 2000}Mi{gpu}}}}}\n")
    return "---\n".join(documents)


def write(folder: Path, count: int, shapes: int) -> tuple[Path, Path]:
    """(manifests, inventory) files for `count` templates and `shapes` node shapes."""
    manifests, nodes = folder / f"templates-{count}.yaml", folder / f"nodes-{shapes}.yaml"
    if not manifests.exists():
        manifests.write_text(templates(count, 1000), encoding="utf-8")
    if not nodes.exists():
        nodes.write_text(inventory(shapes), encoding="utf-8")
    return manifests, nodes
