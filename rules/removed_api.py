"""removed-api: the target Kubernetes version no longer serves the object's apiVersion and kind."""

from kubecheck.rule import Rule, Violation
from kubecheck.schemastore import lifecycle_entry, minor


def check(obj, ctx):
    entry = lifecycle_entry(obj.api_version, obj.kind)
    target = ctx.schemas.version
    if entry is None or minor(target) < minor(entry["removed-in"]):
        return
    deprecated = f", deprecated since {entry['deprecated-in']}" if entry["deprecated-in"] else ""
    yield Violation(("apiVersion",), f"{obj.api_version} {obj.kind} is no longer served: it was removed in Kubernetes "
                                     f"{entry['removed-in']}{deprecated} (the target is {target}); "
                                     f"{replacement_text(entry)}", at="value")


def replacement_text(entry: dict) -> str:
    if not entry["replacement"]:
        return "it has no replacement"
    return f"use {entry['replacement']} (served since {entry['replacement-available-in']})"


RULE = Rule(
    id="removed-api",
    local=True,
    family="api",
    severity="error",
    summary="The apiVersion and kind is no longer served by the target Kubernetes version",
    rationale=(
        "Kubernetes stops serving old API versions: an `extensions/v1beta1` Ingress or a `policy/v1beta1` "
        "PodDisruptionBudget is refused by clusters from the version that removed it, so applying the "
        "manifest fails once the cluster is upgraded. The finding is at the apiVersion and names the "
        "replacement and the version it became available in (data: schemas/api-lifecycle.yaml, every "
        "removal since Kubernetes 1.16). The verdict depends on `--kubernetes-version`."
    ),
    fail_example="""\
apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: backup
              image: busybox:1.36
""",
    pass_example="""\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: backup
              image: busybox:1.36
""",
    check=check,
)
