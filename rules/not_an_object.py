"""not-an-object: a document (or List item) is not a Kubernetes object."""

from kubecheck.loader import problems_check
from kubecheck.rule import Rule

RULE = Rule(
    id="not-an-object",
    local=True,
    family="input",
    severity="error",
    summary="A document is not a mapping with apiVersion and kind",
    rationale=(
        "Every document of a manifest file must be an object with `apiVersion` and `kind` (empty "
        "documents are fine). A list, a scalar or a mapping without these keys is refused by kubectl; it "
        "is often a stray `---` or an indentation slip. Items of a `List` (or of a typed list such as "
        "`DeploymentList`, whose items may leave apiVersion and kind out) are checked the same way. "
        "Files in which no document has a `kind` are not taken for manifests at all (Helm charts and "
        "values, CI workflows, compose files) and are skipped, as are kustomization files and the "
        "patches and configurations they name."
    ),
    fail_example="""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
---
- name: leftover
""",
    pass_example="""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
---
""",
    check=problems_check("not-an-object"),
    scope="file",
)
