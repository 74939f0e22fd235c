"""service-port-mismatch: a Service's named targetPort is not a named container port of its pods."""

from kubecheck.objects import mappings
from kubecheck.rule import Related, Rule, Violation
from kubecheck.selectors import Selector, SelectorError


def check(service, ctx):
    if service.group != "" or service.get("spec", "type") == "ExternalName":
        return
    ports = service.get("spec", "ports")
    data = service.get("spec", "selector")
    if not isinstance(ports, list) or not data:
        return
    try:
        selector = Selector.from_map(data)
    except SelectorError:
        return
    copies = {}  # owner identity -> its templates (copies of one object in alternative files count once)
    for template in ctx.index.selected_templates(service.namespace, selector):
        if not template.by_operator and (template.owner.group, template.owner.kind) not in _FINISHING \
                and not template.owner.is_helm_hook and not ctx.index.alternatives(service, template.owner):
            owner = template.owner
            copies.setdefault(owner.identity if owner.name is not None else id(owner), []).append(template)
    if not copies:
        return  # orphan-service's finding, or pods whose containers are not known
    templates = [found[0] for found in copies.values()]
    for index, port in enumerate(ports):
        target = port.get("targetPort") if isinstance(port, dict) else None
        if not isinstance(target, str):
            continue  # a number (or the port itself) reaches the pods whatever they name
        protocol = port.get("protocol") or "TCP"
        lacking = [found[0] for found in copies.values()
                   if not any(_names_port(t.spec, target, protocol) for t in found)]
        if not lacking:
            continue
        described = "; ".join(f"{t.owner.describe()} {_named_ports(t.spec)}" for t in lacking[:3])
        more = f" (and {len(lacking) - 3} more)" if len(lacking) > 3 else ""
        share, pods = (("any pod template", "its pods") if len(lacking) == len(templates)
                       else (f"{len(lacking)} of the {len(templates)} pod templates", "those pods"))
        message = (f"targetPort {target!r} ({protocol}) is not a named container port of {share} this Service "
                   f"selects, so {pods} get no traffic on port {port.get('port')}: {described}{more}")
        related = tuple(Related(t.owner, t.path + ("spec", "containers"), "the pod's containers") for t in lacking[:3])
        yield Violation(("spec", "ports", index, "targetPort"), message, related, at="value")


#: Pods that run to completion: a Service selecting them by accident is not routing to them.
_FINISHING = {("batch", "Job"), ("batch", "CronJob")}


def _containers(spec: dict) -> list[dict]:
    """The containers whose ports a Service can target: the app containers and the sidecars
    (init containers with restartPolicy: Always), as the endpoints controller looks them up."""
    containers = mappings(spec.get("containers"))
    containers += [c for c in mappings(spec.get("initContainers")) if c.get("restartPolicy") == "Always"]
    return containers


def _ports(spec: dict):
    for container in _containers(spec):
        for port in mappings(container.get("ports")):
            if isinstance(port.get("name"), str):
                yield port["name"], port.get("protocol") or "TCP", port.get("containerPort")


def _names_port(spec: dict, name: str, protocol: str) -> bool:
    return any(port_name == name and port_protocol == protocol for port_name, port_protocol, _ in _ports(spec))


def _named_ports(spec: dict) -> str:
    named = [f"{name} ({number}/{protocol})" for name, protocol, number in _ports(spec)]
    return f"names {', '.join(named)}" if named else "names no ports"


RULE = Rule(
    id="service-port-mismatch",
    family="graph",
    severity="warning",
    summary="A Service's named targetPort is not a named container port in the pods it selects",
    rationale=(
        "A Service port whose `targetPort` is a name sends traffic to the container port of that name, "
        "looked up in each pod the Service selects (its containers and its sidecar init containers, with "
        "the same protocol, TCP by default). A pod that names no such port gets no endpoint for it, so the "
        "Service silently drops it. Every pod template the Service selects is checked (except Jobs' and "
        "CronJobs', whose pods finish), and the finding, at "
        "the `targetPort`, names the templates that lack the port and the ports they do name. Numeric target "
        "ports are not checked: they reach the pods whatever their containers declare."
    ),
    fail_example="""\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
    - port: 80
      targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - name: web
              containerPort: 8080
""",
    pass_example="""\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
    - port: 80
      targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - name: http
              containerPort: 8080
""",
    check=check,
    kinds={"Service"},
)
