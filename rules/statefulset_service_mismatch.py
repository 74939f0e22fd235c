"""statefulset-service-mismatch: a StatefulSet's serviceName is not a headless Service selecting its pods."""

from kubecheck.references import namespace_note, suggestion
from kubecheck.rule import Related, Rule, Violation
from kubecheck.selectors import Selector, SelectorError


def check(statefulset, ctx):
    if (statefulset.group, statefulset.kind) != ("apps", "StatefulSet"):
        return
    name = statefulset.get("spec", "serviceName")
    template = statefulset.pod_template
    if not isinstance(name, str) or not name or template is None:
        return
    index, namespace = ctx.index, statefulset.namespace
    example = f"{statefulset.name or 'name'}-0.{name}.{namespace}.svc"
    services = index.find(namespace, "", "Service", name)
    if not services:
        if index.holds(namespace, "", "Service"):
            elsewhere = namespace_note(index, statefulset, "", "Service", name)
            # The StatefulSet runs without its Service: only peers that address pods by name are hurt.
            yield Violation(("spec", "serviceName"), f"serviceName {name!r} names no Service in namespace {namespace!r}"
                                                     f" (which holds other Services): the pods get no stable DNS names "
                                                     f"such as {example}, which matters if anything addresses them "
                                                     "so" + (elsewhere or suggestion(index, namespace, "", "Service", name)),
                            at="value", uncertain=True)
        return
    problems = [_problem(service, template, example) for service in services]
    if all(problems):
        yield Violation(("spec", "serviceName"), problems[0], (Related(services[0], ("spec",), "the Service"),),
                        at="value")


def _problem(service, template, example: str) -> str | None:
    """Why `service` does not give all of `template`'s pods their DNS names, or None when it does
    (or cannot be judged: without a selector its endpoints are managed by hand)."""
    consequence = f": the pods get no stable DNS names such as {example}"
    if service.get("spec", "clusterIP") != "None":
        return f"Service {service.name} is not headless (it needs clusterIP: None){consequence}"
    try:
        selector = Selector.from_map(service.get("spec", "selector"))
    except SelectorError:
        return None
    labels, runtime = template.labels, template.runtime_labels
    if selector.is_empty or selector.matches(labels, runtime, certain=True):
        return None
    if selector.matches(labels, runtime):  # a label the controller sets per pod, such as the pod's name
        return (f"Service {service.name} selects only some of the pods this StatefulSet may run ({selector}): "
                "the others get no stable DNS names")
    return f"Service {service.name} does not select this StatefulSet's pods (it needs " \
           f"{', '.join(selector.missing(labels, runtime))}){consequence}"


RULE = Rule(
    id="statefulset-service-mismatch",
    family="reference",
    severity="warning",
    summary="A StatefulSet's serviceName is not a headless Service that selects its pods",
    rationale=(
        "A StatefulSet's pods get stable DNS names (`web-0.web.shop.svc`) from the headless Service its "
        "`serviceName` names: a Service with `clusterIP: None` in the same namespace whose selector selects "
        "the pods. If the Service does not exist, is not headless, or selects other pods, those names do not "
        "resolve and peers that find each other by them (databases, queues) fail to form a cluster. A "
        "missing Service is judged only in namespaces where the manifests hold Services, and reported one "
        "level lower (info): the StatefulSet itself runs without it, and many (controllers sharded by "
        "ordinal, for example) never use the names. A Service without a selector (endpoints managed by "
        "hand) is not judged."
    ),
    fail_example="""\
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  selector: {app: db}
  ports:
    - port: 5432
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
        - name: db
          image: postgres:16
""",
    pass_example="""\
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: None
  selector: {app: db}
  ports:
    - port: 5432
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
        - name: db
          image: postgres:16
""",
    check=check,
    kinds={"StatefulSet"},
)
