"""missing-secret: a pod refers to a Secret, or a key of one, that the manifests do not hold."""

from kubecheck.references import unresolved
from kubecheck.rule import Rule


def check(obj, ctx):
    yield from unresolved(obj, "Secret", ctx)


RULE = Rule(
    id="missing-secret",
    family="reference",
    severity="info",
    summary="A pod refers to a Secret, or a key of one, that is not among the manifests",
    rationale=(
        "A pod that mounts a Secret or reads it into its environment (`secret` and projected volumes, "
        "`secretKeyRef`, `envFrom`, `imagePullSecrets`) does not start (or cannot pull its image) until the "
        "Secret exists and holds the keys it names, unless the reference is `optional: true`. Secrets are "
        "often created outside the repository (by hand, by a vault, by CI), so this is information, and it "
        "is judged only in namespaces where the manifests hold Secrets. Secrets from kustomize's "
        "`secretGenerator`, cert-manager Certificates (`spec.secretName`), SealedSecrets and ExternalSecrets "
        "count as present."
    ),
    fail_example="""\
apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: hunter2
---
apiVersion: v1
kind: Pod
metadata:
  name: migrate
spec:
  containers:
    - name: migrate
      image: flyway/flyway:10
      env:
        - name: FLYWAY_PASSWORD
          valueFrom:
            secretKeyRef: {name: db, key: pasword}
""",
    pass_example="""\
apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: hunter2
---
apiVersion: v1
kind: Pod
metadata:
  name: migrate
spec:
  containers:
    - name: migrate
      image: flyway/flyway:10
      env:
        - name: FLYWAY_PASSWORD
          valueFrom:
            secretKeyRef: {name: db, key: password}
""",
    check=check,
)
