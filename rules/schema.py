"""schema: an object violates the JSON schema of its apiVersion and kind."""

import re

from kubecheck.positions import locate
from kubecheck.rule import Rule, Violation

_PLAIN_TOKEN = re.compile(r"[^\s,\]\}#]+")


def check(obj, ctx):
    validator = ctx.schemas.validator(obj.api_version, obj.kind)
    if validator is None:
        return  # unknown-kind's finding, or removed-api's
    for error in validator.errors(obj.data, obj.kind):
        if error.missing == "selector" and obj.added_selector_labels:
            continue  # kustomize adds the selector when it builds this resource
        message = error.message
        if error.expected == ("string",) and error.instance is not None:
            message += _quote_hint(obj, error.path, error.instance)
        yield Violation(error.path, message, at=error.at)


def _quote_hint(obj, path, value) -> str:
    """Why a plain YAML scalar is not a string: YAML 1.1 reads `yes`, `on`, `1.10` as others."""
    line, column, found = locate(obj.position, path, at="value")
    token = _PLAIN_TOKEN.match(obj.source.lines[line], column) if found and line < len(obj.source.lines) else None
    text = token.group(0) if token else None
    if text is None or text[:1] in "\"'":
        return ""
    if isinstance(value, bool):
        return (f" (an unquoted {text} is a boolean in YAML 1.1, which Kubernetes reads: write "
                f"\"{text}\" in quotes)")
    return f" (an unquoted {text} is a number in YAML: write \"{text}\" in quotes)"


RULE = Rule(
    id="schema",
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
