"""Values of the wrong type or size where the cross-object rules look: other rules' findings
(schema), never an internal error of these."""

import pytest
from support import summary

WORKLOAD = """
apiVersion: apps/v1
kind: {kind}
metadata: {{name: db}}
spec:
  replicas: {replicas}
  serviceName: db
  selector: {{matchLabels: {{app: db}}}}
  template:
    metadata: {{labels: {{app: db}}}}
    spec:
      containers: {containers}
      initContainers: {init}
      volumes: {volumes}
  volumeClaimTemplates: {claims}
---
apiVersion: v1
kind: Service
metadata: {{name: db}}
spec: {{clusterIP: None, selector: {{app: db}}, ports: {ports}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: db}}
spec: {{minAvailable: 1, selector: {{matchLabels: {{app: db}}}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {{name: db}}
spec: {{rules: {rules}}}
"""

NORMAL = {"kind": "StatefulSet", "replicas": 2, "containers": "[{name: db, image: pg, ports: [{name: pg, containerPort: 5432}]}]",
          "init": "[]", "volumes": "[{name: data, configMap: {name: cfg}}]",
          "claims": "[{metadata: {name: data}}]", "ports": "[{port: 5432, targetPort: pg}]",
          "rules": "[{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: db, port: {number: 5432}}}}]}}]"}


@pytest.mark.parametrize("field, value", [
    ("volumes", "[{name: [data], configMap: {name: cfg}}]"), ("volumes", "[{name: {a: 1}}]"), ("volumes", "5"),
    ("claims", "[{metadata: {name: [data]}}]"), ("claims", "7"),
    ("containers", "[{name: db, image: pg, ports: 5}]"), ("containers", "5"), ("init", "7"),
    ("ports", "5"), ("ports", "[5, {port: x}]"),
    ("rules", "5"), ("rules", "[{http: {paths: 5}}]"), ("rules", "[{http: 5}]"),
    ("replicas", ".inf"), ("replicas", ".nan"), ("replicas", "-3"), ("replicas", "1.5"),
])
def test_odd_values_give_no_internal_error(lint, field, value):
    report = lint(WORKLOAD.format(**{**NORMAL, field: value}))
    assert report.internal_errors == 0
    assert [f for f in report.findings if f.rule == "internal-error"] == []


def test_the_set_the_odd_values_go_into_is_clean(lint):
    # the namespace holds no ConfigMaps, so the reference to cfg is not judged
    assert summary(lint(WORKLOAD.format(**NORMAL))) == []
