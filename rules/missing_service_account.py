"""missing-service-account: a pod runs as a ServiceAccount that the manifests do not hold."""

from kubecheck.references import unresolved
from kubecheck.rule import Rule


def check(obj, ctx):
    yield from unresolved(obj, "ServiceAccount", ctx)


RULE = Rule(
    id="missing-service-account",
    family="reference",
    severity="info",
    summary="A pod runs as a ServiceAccount that is not among the manifests",
    rationale=(
        "The API server refuses to create a pod whose `serviceAccountName` names a ServiceAccount that does "
        "not exist, so a Deployment or Job with such a template creates no pods. ServiceAccounts are often "
        "created outside the repository (by a platform team, by Helm), so this is information, and it is "
        "judged only in namespaces where the manifests hold ServiceAccounts; `default` always exists."
    ),
    fail_example="""\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  serviceAccountName: frontend
  containers:
    - name: web
      image: nginx:1.27
""",
    pass_example="""\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  serviceAccountName: web
  containers:
    - name: web
      image: nginx:1.27
""",
    check=check,
)
