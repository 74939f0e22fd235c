"""duplicate-object: two objects have the same group, kind, namespace and name."""

from kubecheck.rule import Related, Rule, Violation


def check(obj, ctx):
    same = ctx.index.same_identity(obj)
    if len(same) < 2:
        return
    others = [other for other in same if other is not obj]
    if obj is same[0]:
        if any(not other.is_context for other in others):
            return  # the later checked copies carry the finding
        where = ", ".join(sorted({other.source.path for other in others}))
        message = f"{obj.describe()} is also defined in {where}; applying both keeps only one of them"
    else:
        first = same[0]
        message = (f"{obj.describe()} is defined twice; the first definition is at "
                   f"{first.source.path}:{first.position[0] + 1}, and applying both keeps only one of them")
    related = tuple(Related(other, ("metadata", "name"), "also defined here") for other in others)
    yield Violation(("metadata", "name"), message, related)


RULE = Rule(
    id="duplicate-object",
    family="graph",
    severity="error",
    summary="Two objects have the same group, kind, namespace and name",
    rationale=(
        "The API server stores one object per group, kind, namespace and name, so applying both "
        "definitions silently keeps whichever comes last. Namespaces are compared after defaulting "
        "(no `metadata.namespace` means the `--namespace` namespace), and kinds that moved between API "
        "groups count as one (an `extensions/v1beta1` and an `apps/v1` Deployment named alike are the "
        "same object). The finding is on the later copy and relates the others; with `--context`, a "
        "checked object that clashes only with context objects is reported itself."
    ),
    fail_example="""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
data:
  mode: slow
""",
    pass_example="""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: staging
data:
  mode: slow
""",
    check=check,
)
