"""missing-configmap: a pod refers to a ConfigMap, or a key of one, that the manifests do not hold."""

from kubecheck.references import unresolved
from kubecheck.rule import Rule


def check(obj, ctx):
    yield from unresolved(obj, "ConfigMap", ctx)


RULE = Rule(
    id="missing-configmap",
    family="reference",
    severity="warning",
    summary="A pod refers to a ConfigMap, or a key of one, that is not among the manifests",
    rationale=(
        "A pod that mounts a ConfigMap or reads it into its environment (`configMap` and projected volumes, "
        "`configMapKeyRef`, `envFrom`) does not start until the ConfigMap exists and holds the keys it names, "
        "unless the reference is `optional: true`. Judged only in namespaces where the manifests hold "
        "ConfigMaps (otherwise they are evidently made elsewhere); ConfigMaps from kustomize's "
        "`configMapGenerator` and `kube-root-ca.crt` count as present. Reported at the name, or at the key."
    ),
    fail_example="""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  LOG_LEVEL: info
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          envFrom:
            - configMapRef: {name: web-settings}
""",
    pass_example="""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  LOG_LEVEL: info
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          envFrom:
            - configMapRef: {name: web-config}
""",
    check=check,
)
