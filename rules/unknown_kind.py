"""unknown-kind: no schema for an apiVersion and kind, once per file."""

from kubecheck.rule import Rule, Violation


def check(obj, ctx):
    if ctx.schemas.validator(obj.api_version, obj.kind) is not None:
        return
    same = ctx.index.same_type_in_file(obj)
    if same[0] is not obj:
        return  # reported at the first object of this apiVersion and kind in the file
    missing = ctx.schemas.missing(obj.api_version, obj.kind)
    if missing.removed:
        return  # removed-api's finding
    count = f" ({len(same)} objects in this file are not validated)" if len(same) > 1 else ""
    yield Violation((missing.at,), missing.reason + count, at="value")


RULE = Rule(
    id="unknown-kind",
    local=True,
    family="schema",
    severity="warning",
    summary="No schema for this apiVersion and kind in the target version, and no CRD for it",
    rationale=(
        "An object kubecheck has no schema for is not validated at all. That happens for custom resources "
        "whose CustomResourceDefinition is neither among the checked files nor in --context nor in a "
        "--schema-dir folder, for a typo in the kind (`Deploymnet`), for an apiVersion a CRD does not serve, "
        "and for built-in apiVersions the target Kubernetes version does not serve yet. An apiVersion the "
        "target version no longer serves is `removed-api`'s finding instead. Reported once per apiVersion "
        "and kind in each file, at the first such object: at its kind, or at its apiVersion when that is the "
        "part to change (`app/v1` for `apps/v1`, a version the CRD or the target Kubernetes does not serve)."
    ),
    fail_example="""\
apiVersion: apps/v1
kind: Deploymnet
metadata:
  name: web
""",
    pass_example="""\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer}
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: small
spec:
  size: 2
""",
    check=check,
)
