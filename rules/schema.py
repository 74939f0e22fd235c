"""schema: an object violates the JSON schema of its apiVersion and kind."""

from kubecheck.positions import locate
from kubecheck.rule import Rule, Violation
from kubecheck.validation import quote_hint


def check(obj, ctx):
    validator = ctx.schemas.validator(obj.api_version, obj.kind)
    if validator is None:
        return  # unknown-kind's finding, or removed-api's
    for error in validator.errors(obj.data, obj.kind):
        if error.about_schema and ctx.index.same_type_in_file(obj)[0] is not obj:
            continue  # a schema that cannot be used is reported once per kind and file
        if error.missing == "selector" and error.path == ("spec",) and obj.added_selector_labels \
                and obj.workload is not None:
            continue  # kustomize adds the workload's selector when it builds this resource
        message = error.message
        if error.expected == ("string",) and not obj.source.path.endswith(".json"):
            line, column, found = locate(obj.position, error.path, at="value")
            if found and line < len(obj.source.lines):
                message += quote_hint(error.instance, obj.source.lines[line], column)
        yield Violation(error.path, message, at=error.at)


RULE = Rule(
    id="schema",
    local=True,
    family="schema",
    severity="error",
    summary="The object violates its JSON schema for the target Kubernetes version",
    rationale=(
        "Every object is checked, without network access, against the schema of its apiVersion and kind "
        "for the target version (`--kubernetes-version`, default the newest bundled): the bundled upstream "
        "Kubernetes schemas, the CustomResourceDefinitions among the checked files or --context, or "
        "`--schema-dir` folders. Each violation is one finding at the offending key (an unknown field, "
        "reported under strict validation, the default; a missing required field, reported at its parent) or "
        "value (a wrong type, a value outside an enum, an integer that does not fit, Secret data that is not "
        "base64, a malformed resource quantity). Unquoted YAML 1.1 booleans and numbers where a string is "
        "wanted (a label value `yes` or `1.10`) say how to quote them."
    ),
    fail_example="""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: three
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      contianers:
        - name: web
          image: nginx:1.27
""",
    pass_example="""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
""",
    check=check,
)
