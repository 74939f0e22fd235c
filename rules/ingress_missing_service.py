"""ingress-missing-service: an Ingress backend names a Service, or a Service port, that the manifests do not hold."""

from kubecheck.objects import as_list, mappings
from kubecheck.references import made_at_run_time, namespace_note, suggestion
from kubecheck.rule import Related, Rule, Violation


def check(ingress, ctx):
    if ingress.group != "networking.k8s.io":
        return
    index, namespace = ctx.index, ingress.namespace
    for name_path, name, port_path, port in _backends(ingress):
        services = index.find(namespace, "", "Service", name)
        if not services:
            if index.holds(namespace, "", "Service") and not made_at_run_time(index, namespace, "Service", name):
                elsewhere = namespace_note(index, ingress, "", "Service", name)
                yield Violation(name_path, f"Service {name!r} is not among the manifests of namespace {namespace!r}, "
                                           "which hold other Services: requests routed to it fail (503)"
                                           + (elsewhere or suggestion(index, namespace, "", "Service", name)),
                                at="value", uncertain=bool(elsewhere))
            continue
        wanted = "name" if isinstance(port, str) else "port"
        if port is None or any(_serves(service, wanted, port) for service in services):
            continue
        service = services[0]
        ports = mappings(service.get("spec", "ports"))
        offered = ", ".join(f"{p.get('port')}" + (f" ({p['name']})" if isinstance(p.get("name"), str) else "")
                            for p in ports) or "none"
        yield Violation(port_path, f"Service {name} has no port {'named ' if wanted == 'name' else ''}{port!r} (its "
                                   f"ports: {offered}): requests routed to it fail", (Related(service, ("spec", "ports"),
                                                                                              "the Service's ports"),),
                        at="value")


def _serves(service, wanted: str, port) -> bool:
    """Whether `service` has a port whose `wanted` field ("name" or "port") is `port`
    (an ExternalName Service forwards whatever port is asked for)."""
    if service.get("spec", "type") == "ExternalName":
        return True
    return any(p.get(wanted) == port for p in mappings(service.get("spec", "ports")))


def _backends(ingress):
    """(path of the Service name, name, path of the port, port number or name) of every Service backend,
    in networking.k8s.io/v1 form (`service: {name, port: {number | name}}`) or the older
    `serviceName`/`servicePort` form."""
    spec = ingress.get("spec")
    if not isinstance(spec, dict):
        return
    found = [(("spec", "defaultBackend"), spec.get("defaultBackend")), (("spec", "backend"), spec.get("backend"))]
    for rule_index, rule in enumerate(as_list(spec.get("rules"))):
        paths = rule.get("http", {}).get("paths") if isinstance(rule, dict) and isinstance(rule.get("http"), dict) else None
        for path_index, path in enumerate(as_list(paths)):
            if isinstance(path, dict):
                found.append((("spec", "rules", rule_index, "http", "paths", path_index, "backend"), path.get("backend")))
    for at, backend in found:
        if not isinstance(backend, dict):
            continue
        service = backend.get("service")
        if isinstance(service, dict) and isinstance(service.get("name"), str):
            port = service.get("port") if isinstance(service.get("port"), dict) else {}
            field = "number" if "number" in port else "name"
            value = port.get(field)
            yield (at + ("service", "name"), service["name"], at + ("service", "port", field),
                   value if isinstance(value, (int, str)) and not isinstance(value, bool) else None)
        elif isinstance(backend.get("serviceName"), str):
            value = backend.get("servicePort")
            yield (at + ("serviceName",), backend["serviceName"], at + ("servicePort",),
                   value if isinstance(value, (int, str)) and not isinstance(value, bool) else None)


RULE = Rule(
    id="ingress-missing-service",
    family="reference",
    severity="warning",
    summary="An Ingress backend names a Service, or a Service port, that is not among the manifests",
    rationale=(
        "An Ingress sends each path to a Service port, by number or by name (`service.port.number` or "
        "`service.port.name`, or `serviceName`/`servicePort` in older apiVersions). When the Service does "
        "not exist, or has no such port, the Ingress controller answers 503 for those paths. Judged only in "
        "namespaces where the manifests hold Services; ExternalName Services' ports are not checked, and "
        "`resource` backends are left alone."
    ),
    fail_example="""\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - name: http
      port: 80
      targetPort: 8080
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port: {number: 8080}
""",
    pass_example="""\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - name: http
      port: 80
      targetPort: 8080
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port: {name: http}
""",
    check=check,
    kinds={"Ingress"},
)
