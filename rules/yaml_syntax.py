"""yaml-syntax: the file is not valid YAML or JSON, as Kubernetes' YAML decoder reads it."""

from kubecheck.loader import problems_check
from kubecheck.rule import Rule

RULE = Rule(
    id="yaml-syntax",
    local=True,
    family="input",
    severity="error",
    summary="The file is not valid YAML/JSON",
    rationale=(
        "kubectl refuses a file it cannot parse, so nothing in it reaches the cluster. The finding sits "
        "where the parser stopped; documents before that point are still checked. Also reported: text "
        "that is not UTF-8 (or UTF-16 with a byte-order mark), nesting deeper than 10,000 levels, aliases "
        "that expand a document beyond go-yaml's limits (alias bombs), an anchor that contains itself, "
        "null or collection mapping keys, and explicitly tagged scalars that do not fit their tag "
        "(`!!int abc`). Files that look like Helm templates (`{{ ... }}`) must be rendered first."
    ),
    fail_example="""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: "fast
""",
    pass_example="""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: "fast"
""",
    check=problems_check("yaml-syntax"),
    scope="file",
)
