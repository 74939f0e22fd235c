"""duplicate-key: a mapping sets the same key twice."""

from kubecheck.loader import problems_check
from kubecheck.rule import Rule

RULE = Rule(
    id="duplicate-key",
    local=True,
    family="input",
    severity="error",
    summary="A mapping has the same key twice",
    rationale=(
        "YAML forbids duplicate keys. kubectl refuses them ('key already set in map'), and tools that "
        "accept them keep one value silently, usually the last, so the first one is dead text that "
        "readers still believe. Keys are compared as Kubernetes compares them, after conversion to JSON "
        "strings (`1` and `\"1\"` are the same key). Keys brought in by a merge key (`<<`) do not count."
    ),
    fail_example="""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
  replicas: "3"
  mode: slow
""",
    pass_example="""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
  replicas: "3"
""",
    check=problems_check("duplicate-key"),
    scope="file",
)
