"""deprecated-api: the object's apiVersion and kind is deprecated but still served by the target version."""

from kubecheck.rule import Rule, Violation
from kubecheck.schemastore import lifecycle_entry, minor

from kubecheck.rules.removed_api import replacement_text


def check(obj, ctx):
    entry = lifecycle_entry(obj.api_version, obj.kind)
    target = ctx.schemas.version
    if entry is None or entry["deprecated-in"] is None:
        return
    if not minor(entry["deprecated-in"]) <= minor(target) < minor(entry["removed-in"]):
        return
    yield Violation(("apiVersion",), f"{obj.api_version} {obj.kind} is deprecated since Kubernetes "
                                     f"{entry['deprecated-in']} and will not be served from {entry['removed-in']}; "
                                     f"{replacement_text(entry)}", at="value")


RULE = Rule(
    id="deprecated-api",
    local=True,
    family="api",
    severity="warning",
    summary="The apiVersion and kind is deprecated but still served by the target Kubernetes version",
    rationale=(
        "A deprecated API version still works today but is announced for removal: the manifest will fail "
        "on the cluster upgrade that removes it. The finding is at the apiVersion and names the release "
        "that removes it and the replacement (data: schemas/api-lifecycle.yaml). The verdict depends on "
        "`--kubernetes-version`: the failing example is deprecated in 1.26 and removed in 1.29, so it "
        "fires for targets 1.26 to 1.28."
    ),
    fail_example="""\
apiVersion: flowcontrol.apiserver.k8s.io/v1beta2
kind: FlowSchema
metadata:
  name: batch-jobs
spec:
  priorityLevelConfiguration: {name: workload-low}
""",
    pass_example="""\
apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
kind: FlowSchema
metadata:
  name: batch-jobs
spec:
  priorityLevelConfiguration: {name: workload-low}
""",
    check=check,
    example_settings={"kubernetes_version": "1.27"},
)
