"""unused-suppression: a suppression comment or annotation that suppressed nothing."""

from kubecheck.loader import Problem
from kubecheck.rule import Rule

_WHERE = {"line": "comment", "document": "document comment", "annotation": "annotation"}


def check(suppressions, ctx):
    families = {}
    for rule in ctx.rules.values():
        families.setdefault(rule.family, set()).add(rule.id)
    for suppression in suppressions:
        where = _WHERE[suppression.where]
        if suppression.rules is None:
            if not suppression.used:
                yield _problem(suppression, f"this suppression {where} suppressed nothing")
            continue
        for name in sorted(suppression.rules):
            if name in ctx.rules:
                if name in ctx.enabled and name not in suppression.used:
                    yield _problem(suppression, f"{name} suppressed nothing here; remove it from the {where}")
            elif name in families:
                members = families[name]
                if members & ctx.enabled and not members & suppression.used:
                    yield _problem(suppression, f"no {name} rule had a finding here; remove {name} from the {where}")
            else:
                yield _problem(suppression, f"unknown rule {name!r} in the suppression {where}")


def _problem(suppression, message):
    return Problem("unused-suppression", message, suppression.line, suppression.column, suppression.document)


RULE = Rule(
    id="unused-suppression",
    family="meta",
    severity="info",
    summary="A suppression comment or annotation that suppressed nothing",
    rationale=(
        "Suppressions outlive the findings they were written for. One that silences nothing hides the "
        "next real finding of that rule on the same line, document or object, and misleads readers. "
        "This rule reports each `# kubecheck: ignore[...]` comment and `kubecheck.io/ignore` annotation "
        "(or each rule named in it) that matched no finding, and rule names that do not exist. Rules "
        "not enabled in the run are not judged. Own-line comments only suppress anything before a "
        "document's first key; elsewhere, put the comment at the end of the line it is about."
    ),
    fail_example="""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings  # kubecheck: ignore[orphan-service]
data:
  mode: fast
""",
    pass_example="""\
apiVersion: v1
kind: Service
metadata:
  name: metrics
spec:
  selector:  # kubecheck: ignore[orphan-service] -- pods come from an operator
    app: metrics
  ports:
    - port: 9090
""",
    check=check,
    scope="suppressions",
)
