"""A synthetic repository of realistic shape, for the benchmark's scaling series (bench.py section 7).

`write(folder, objects)` writes about `objects` objects: applications of five objects each
(a Deployment, the Service that selects its pods, a PodDisruptionBudget, a
HorizontalPodAutoscaler and the ConfigMap its pods read), one file per application, in
folders of 50 applications, one namespace per folder. Shapes vary with the application's
number (replicas, ports, probes, resources, labels), and one application in fifty has a
mistake kubecheck reports (a Service selecting no pods, a missing ConfigMap key, a budget that
blocks every eviction), so the rules do real work rather than only pass.

    python benchmarks/scale_workload.py FOLDER OBJECTS
"""

from __future__ import annotations

import sys
from pathlib import Path

APPS_PER_NAMESPACE = 50

APP = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {namespace}
  labels: {{app.kubernetes.io/name: {name}, app.kubernetes.io/part-of: shop, tier: {tier}}}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app.kubernetes.io/name: {name}}}
  template:
    metadata:
      labels: {{app.kubernetes.io/name: {name}, tier: {tier}}}
    spec:
      containers:
        - name: app
          image: registry.example.com/{name}:1.{number}
          ports:
            - {{name: http, containerPort: {port}}}
          env:
            - name: LOG_LEVEL
              valueFrom:
                configMapKeyRef: {{name: {name}-config, key: {key}}}
          resources:
            requests: {{cpu: {cpu}m, memory: {memory}Mi}}
            limits: {{memory: {limit}Mi}}
          readinessProbe:
            httpGet: {{path: /healthz, port: http}}
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {namespace}
spec:
  selector: {{app.kubernetes.io/name: {selected}}}
  ports:
    - {{name: http, port: 80, targetPort: http}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {name}
  namespace: {namespace}
spec:
  {budget}
  selector:
    matchLabels: {{app.kubernetes.io/name: {name}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
  namespace: {namespace}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {name}}}
  minReplicas: {replicas}
  maxReplicas: {max_replicas}
  metrics:
    - type: Resource
      resource: {{name: cpu, target: {{type: Utilization, averageUtilization: 70}}}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config
  namespace: {namespace}
data:
  log-level: info
  feature-flags: "a,b,c"
"""


def app(number: int) -> str:
    namespace = f"team-{number // APPS_PER_NAMESPACE}"
    name = f"app-{number}"
    broken = number % 50 == 49
    replicas = 2 + number % 3
    return APP.format(
        name=name, namespace=namespace, number=number, tier=("web", "api", "worker")[number % 3],
        replicas=replicas, max_replicas=replicas * 3, port=8000 + number % 100, cpu=100 + number % 400,
        memory=128 * (1 + number % 4), limit=256 * (1 + number % 4),
        selected=f"app-{number}-typo" if broken and number % 150 == 49 else name,
        key="log-levle" if broken and number % 150 == 99 else "log-level",
        budget="maxUnavailable: 0" if broken and number % 150 == 149 else "minAvailable: 1")


def write(folder: Path, objects: int) -> int:
    """Write about `objects` objects under `folder`; the number of files written."""
    apps = max(1, objects // 5)
    for number in range(apps):
        directory = folder / f"team-{number // APPS_PER_NAMESPACE}"
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"app-{number}.yaml").write_text(app(number), encoding="utf-8")
    return apps


if __name__ == "__main__":
    print(write(Path(sys.argv[1]), int(sys.argv[2])), "files")
