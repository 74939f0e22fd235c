"""ingress-missing-service: Ingress backends that name a Service, or a Service port, the manifests do not hold."""

import pytest
from rules.ingress_hpa_fixtures import MATCHING_NAMESPACES, doubtful, document, listed, not_among, stream
from support import summary

RULE = "ingress-missing-service"

SERVICE = """
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
    - name: http
      port: 80
      targetPort: 8080
    - port: 443
      targetPort: 8443
"""

# line 15 is the backend's `name` (its value at column 23), line 16 its `port`
INGRESS = """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {name}
                port: {port}
"""


def ours(report):
    return [f for f in report.findings if f.rule == RULE]


def ingress(name="web", port="{number: 80}"):
    return INGRESS.replace("{name}", name).replace("{port}", port)


def service(name="web", ports="[{port: 80}]", namespace=""):
    """A Service of 5 lines, its ports on line 5."""
    return document("Service", name, f"ports: {ports}", api_version="v1", namespace=namespace)


def ingress_spec(spec, *, name="shop", namespace="", api_version="networking.k8s.io/v1"):
    """An Ingress whose `spec` starts on its line 5, indented by 2."""
    return document("Ingress", name, spec, api_version=api_version, namespace=namespace)


def missing(name, namespace="default", suggestion=""):
    return not_among("Service", name, namespace, "requests routed to it fail (503)", suggestion)


def no_port(port, ports, service="web"):
    """The message of a backend port (a number, or a name) that Service `service`, of `ports`, lacks."""
    which = port if isinstance(port, int) else f"named '{port}'"
    return f"Service {service} has no port {which} (its ports: {ports}): requests routed to it fail"


@pytest.mark.parametrize("name, options, message", [
    ("storefront", {}, missing("storefront")),
    ("wbe", {}, missing("wbe", suggestion="web")),
    # --namespace is the namespace of objects that have none
    ("storefront", {"namespace": "shop"}, missing("storefront", "shop")),
])
def test_missing_service_is_reported_at_the_backend_name(lint, name, options, message):
    report = lint({"service.yaml": SERVICE, "ingress.yaml": ingress(name=name)}, **options)
    assert summary(report, RULE) == [(RULE, 15, 23, message)]
    [finding] = ours(report)
    assert (finding.file, finding.severity, finding.path, finding.related) == (
        "ingress.yaml", "warning", "/spec/rules/0/http/paths/0/backend/service/name", ())


@pytest.mark.parametrize("port", ["{number: 80}", "{number: 443}", "{name: http}"])
def test_existing_service_and_port_are_clean(lint, port):
    report = lint({"service.yaml": SERVICE, "ingress.yaml": ingress(port=port)})
    assert summary(report, RULE) == []


@pytest.mark.parametrize("port, column, message, path", [
    # a target port is not a Service port
    ("{number: 8080}", 32, no_port(8080, "80 (http), 443"), "port/number"),
    ("{name: https}", 30, no_port("https", "80 (http), 443"), "port/name"),
])
def test_the_backend_port_must_be_a_service_port(lint, port, column, message, path):
    report = lint({"service.yaml": SERVICE, "ingress.yaml": ingress(port=port)})
    assert summary(report, RULE) == [(RULE, 16, column, message)]
    [finding] = ours(report)
    assert (finding.severity, finding.path) == ("warning", "/spec/rules/0/http/paths/0/backend/service/" + path)
    assert [(r.file, r.line, r.column, r.object["kind"], r.object["name"], r.message) for r in finding.related] == [
        ("service.yaml", 7, 3, "Service", "web", "the Service's ports")]


def test_a_port_number_that_equals_a_port_name_is_not_a_match(lint):
    # ports are matched by number or by name, never a number against a name
    report = lint(stream(service(ports='[{name: "80", port: 8000}]'), ingress_spec("""
        defaultBackend:
          service: {name: web, port: {number: 80}}
    """)))
    assert summary(report, RULE) == [(RULE, 12, 41, no_port(80, "8000 (80)"))]


def test_service_without_ports(lint):
    without_ports = document("Service", "web", "clusterIP: None\nselector: {app: web}", api_version="v1")
    report = lint(stream(without_ports, ingress_spec("""
        defaultBackend:
          service:
            name: web
            port: {number: 80}
    """)))
    assert summary(report, RULE) == [(RULE, 15, 22, no_port(80, "none"))]
    [related] = ours(report)[0].related
    # the Service has no spec.ports: the related location falls back to what exists of the path
    assert (related.line, related.object["kind"], related.message) == (4, "Service", "the Service's ports")


def test_backend_without_a_port_is_only_checked_by_name(lint):
    report = lint(stream(service(), ingress_spec("""
        defaultBackend:
          service: {name: web}
        rules:
          - http:
              paths:
                - path: /
                  pathType: Prefix
                  backend:
                    service: {name: api, port: {}}
    """)))
    assert summary(report, RULE) == [(RULE, 19, 31, missing("api"))]


def test_default_backend_is_checked(lint):
    report = lint(stream(
        service(ports="[{name: http, port: 80}]"),
        ingress_spec("""
            defaultBackend:
              service:
                name: fallback
                port: {number: 80}
        """),
        ingress_spec("""
            defaultBackend:
              service:
                name: web
                port: {name: web}
        """, name="other"),
    ))
    assert summary(report, RULE) == [
        (RULE, 13, 13, missing("fallback")),
        (RULE, 23, 20, no_port("web", "80 (http)")),
    ]
    assert [f.path for f in ours(report)] == [
        "/spec/defaultBackend/service/name", "/spec/defaultBackend/service/port/name"]


def test_every_rule_and_path_is_checked_in_order(lint):
    services = (service(ports="[{name: http, port: 80}]"), service("api", "[{name: grpc, port: 9090}]"))
    report = lint(stream(*services, ingress_spec("""
        rules:
          - host: shop.example.com
            http:
              paths:
                - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
                - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
          - host: admin.example.com
            http:
              paths:
                - {path: /, pathType: Prefix, backend: {service: {name: admin, port: {number: 80}}}}
                - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {name: grpc}}}}
    """)))
    assert summary(report, RULE) == [
        (RULE, 22, 90, no_port(80, "9090 (grpc)", service="api")),
        (RULE, 26, 67, missing("admin")),
    ]
    assert [f.path for f in ours(report)] == [
        "/spec/rules/0/http/paths/1/backend/service/port/number",
        "/spec/rules/1/http/paths/0/backend/service/name",
    ]


def test_resource_backends_are_left_alone(lint):
    report = lint(stream(service(), ingress_spec("""
        defaultBackend:
          resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: static-assets}
        rules:
          - http:
              paths:
                - path: /icons
                  pathType: ImplementationSpecific
                  backend:
                    resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: icon-assets}
    """, name="assets")))
    assert summary(report, RULE) == []


def test_rules_without_http_are_skipped(lint):
    report = lint(stream(service(), ingress_spec("""
        rules:
          - host: shop.example.com
          - host: admin.example.com
            http:
              paths:
                - path: /
                  pathType: Prefix
                  backend:
                    service: {name: admin, port: {number: 80}}
    """)))
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 19, 31)]
    assert ours(report)[0].path == "/spec/rules/1/http/paths/0/backend/service/name"


def test_only_core_services_count(lint):
    # a Knative Service named `web` is not the Service an Ingress backend names
    knative = document("Service", "web", "template: {spec: {containers: [{image: nginx}]}}",
                       api_version="serving.knative.dev/v1")
    report = lint(stream(service("api"), knative, ingress_spec("""
        defaultBackend:
          service: {name: web, port: {number: 80}}
    """)))
    assert summary(report, RULE) == [(RULE, 18, 21, missing("web"))]


def test_not_judged_where_the_manifests_hold_no_services(lint):
    assert summary(lint(ingress(name="storefront")), RULE) == []
    # the only Service is in another namespace: this namespace's Services are managed elsewhere
    report = lint(stream(service(namespace="shop"), ingress_spec("""
        defaultBackend:
          service: {name: web, port: {number: 80}}
    """, name="web", namespace="admin")))
    assert summary(report, RULE) == []


def namespaced(services="", ingress_namespace="", admin=None):
    """Services web and api in namespace `services`, an Ingress in `ingress_namespace` whose backend names web (the name
    on line 19, column 13), and, where `admin` is given, a Service admin in that namespace."""
    return stream(
        service("web", "[{name: http, port: 80}]", services),
        service("api", "[{name: grpc, port: 9090}]", services),
        ingress_spec("""
            defaultBackend:
              service:
                name: web
                port: {name: http}
        """, namespace=ingress_namespace),
        *([] if admin is None else [service("admin", namespace=admin)]),
    )


@pytest.mark.parametrize("services, ingress_namespace, option", MATCHING_NAMESPACES)
def test_explicit_and_defaulted_namespaces_match(lint, services, ingress_namespace, option):
    assert summary(lint(namespaced(services, ingress_namespace), namespace=option), RULE) == []


def test_services_in_another_declared_namespace_do_not_match(lint):
    report = lint(namespaced("shop", "admin", admin="admin"))
    # both namespaces are declared: no doubt, and the Service `web` of `shop` is not suggested
    assert summary(report, RULE) == [(RULE, 19, 13, missing("web", "admin"))]
    assert ours(report)[0].severity == "warning"


@pytest.mark.parametrize("services, ingress_namespace, message", [
    # the Ingress has no namespace (checked as in `default`, where Service `admin` is); Service `web` is in
    # `shop`: applied with `kubectl -n shop`, they would match
    ("shop", "", missing("web") + doubtful("Service", "shop", "Ingress shop")),
    ("", "shop", missing("web", "shop") + doubtful("Service", "default", "Service web")),
])
def test_same_name_in_another_namespace_while_one_side_has_none_is_doubtful(lint, services, ingress_namespace,
                                                                            message):
    # a Service admin in the Ingress's namespace has it judged
    text = namespaced(services, ingress_namespace, admin=ingress_namespace)
    report = lint(text)
    assert summary(report, RULE) == [(RULE, 19, 13, message)]
    assert ours(report)[0].severity == "info"
    # as the note says
    assert summary(lint(text, namespace="shop"), RULE) == []


def test_objects_inside_a_list(lint):
    report = lint(listed(service(ports="[{name: http, port: 80}]"), ingress_spec("""
        rules:
          - http:
              paths:
                - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
                - path: /admin
                  pathType: Prefix
                  backend:
                    service:
                      name: web
                      port: {number: 8080}
    """)))
    assert summary(report, RULE) == [(RULE, 22, 36, no_port(8080, "80 (http)"))]
    [related] = ours(report)[0].related
    assert (related.line, related.column, related.object["kind"], related.message) == (
        8, 7, "Service", "the Service's ports")


def test_anchors_and_merge_keys_supply_backends_and_ports(lint):
    report = lint(stream(
        document("Service", "web", """
            ports:
              - &http {name: http, port: 80, targetPort: 8080}
              - <<: *http
                name: admin
                port: 8081
        """, api_version="v1"),
        service("web-canary", "[{name: http, port: 80}]"),
        ingress_spec("""
            defaultBackend: &web
              service: {name: web, port: {name: admin}}
            rules:
              - http:
                  paths:
                    - {path: /, pathType: Prefix, backend: *web}
                    - path: /canary
                      pathType: Prefix
                      backend:
                        service: &canary
                          name: web-canary
                          port: {number: 80}
                    - path: /beta
                      pathType: Prefix
                      backend:
                        service:
                          <<: *canary
                          port: {number: 8081}
                    - path: /old
                      pathType: Prefix
                      backend:
                        service:
                          <<: *canary
                          name: web
                          port: {number: 8080}
        """),
    ))
    # keys written next to a merge key win over the merged ones
    assert summary(report, RULE) == [
        (RULE, 38, 32, no_port(8081, "80 (http)", service="web-canary")),
        (RULE, 45, 32, no_port(8080, "80 (http), 8081 (admin)")),
    ]
    assert [f.path for f in ours(report)] == [
        "/spec/rules/0/http/paths/2/backend/service/port/number",
        "/spec/rules/0/http/paths/3/backend/service/port/number",
    ]


def test_a_finding_in_an_aliased_backend_is_reported_for_each_use_at_the_anchor(lint):
    report = lint(stream(service(), ingress_spec("""
        defaultBackend: &backend
          service:
            name: wbe
            port: {number: 80}
        rules:
          - http:
              paths:
                - {path: /, pathType: Prefix, backend: *backend}
    """)))
    message = missing("wbe", suggestion="web")
    assert summary(report, RULE) == [(RULE, 13, 13, message), (RULE, 13, 13, message)]
    assert [f.path for f in ours(report)] == [
        "/spec/defaultBackend/service/name", "/spec/rules/0/http/paths/0/backend/service/name"]


def test_services_in_other_files_and_in_context_resolve(lint):
    assert summary(lint({"service.yaml": SERVICE, "ingress.yaml": ingress()}), RULE) == []
    assert summary(lint({"ingress.yaml": ingress()}, context={"service.yaml": SERVICE}), RULE) == []
    # a context Service makes the namespace judged, and its ports count
    report = lint({"ingress.yaml": ingress(port="{number: 8443}")}, context={"service.yaml": SERVICE})
    assert summary(report, RULE) == [(RULE, 16, 32, no_port(8443, "80 (http), 443"))]
    [related] = ours(report)[0].related
    assert (related.file, related.line, related.column) == ("service.yaml", 7, 3)


def test_every_copy_of_a_service_counts(lint):
    # alternative copies of one Service (overlays, examples): a backend holds if any copy serves its port
    staging = SERVICE.replace("      port: 80\n", "      port: 8080\n", 1)
    files = {"base/service.yaml": SERVICE, "staging/service.yaml": staging}
    assert summary(lint({**files, "ingress.yaml": ingress(port="{number: 8080}")}), RULE) == []
    assert summary(lint({**files, "ingress.yaml": ingress(port="{number: 80}")}), RULE) == []
    # when no copy serves it, the first copy's ports are named
    report = lint({**files, "ingress.yaml": ingress(port="{number: 9090}")})
    assert summary(report, RULE) == [(RULE, 16, 32, no_port(9090, "80 (http), 443"))]
    [related] = ours(report)[0].related
    assert (related.file, related.line, related.column) == ("base/service.yaml", 7, 3)
    # an ExternalName copy forwards any port
    external = document("Service", "web", "{type: ExternalName, externalName: x.example.com}", api_version="v1")
    report = lint({"base/service.yaml": SERVICE, "external/service.yaml": external,
                   "ingress.yaml": ingress(port="{number: 9090}")})
    assert summary(report, RULE) == []


def test_findings_are_not_reported_on_context_files(lint):
    report = lint({"service.yaml": SERVICE}, context={"ingress.yaml": ingress(name="storefront")})
    assert summary(report, RULE) == []


def test_older_service_name_and_port_form(lint):
    report = lint(stream(service(ports="[{name: http, port: 80}]"), ingress_spec("""
        backend: {serviceName: web, servicePort: 80}
        rules:
          - http:
              paths:
                - {path: /, backend: {serviceName: web, servicePort: http}}
                - {path: /a, backend: {serviceName: web, servicePort: 8080}}
                - {path: /b, backend: {serviceName: web, servicePort: https}}
                - {path: /c, backend: {serviceName: api, servicePort: 80}}
    """, api_version="networking.k8s.io/v1beta1")))
    assert summary(report, RULE) == [
        (RULE, 16, 65, no_port(8080, "80 (http)")),
        (RULE, 17, 65, no_port("https", "80 (http)")),
        (RULE, 18, 47, missing("api")),
    ]
    assert [f.path for f in ours(report)] == [
        "/spec/rules/0/http/paths/1/backend/servicePort",
        "/spec/rules/0/http/paths/2/backend/servicePort",
        "/spec/rules/0/http/paths/3/backend/serviceName",
    ]


def test_extensions_ingress_is_checked_too(lint):
    report = lint(stream(service(), ingress_spec("backend: {serviceName: wbe, servicePort: 80}",
                                                 api_version="extensions/v1beta1")))
    assert summary(report, RULE) == [(RULE, 11, 26, missing("wbe", suggestion="web"))]


def test_ingress_kinds_of_other_groups_are_skipped(lint):
    report = lint(stream(service(), ingress_spec("""
        defaultBackend:
          service: {name: storefront, port: {number: 80}}
    """, api_version="example.com/v1")))
    assert summary(report, RULE) == []


def test_external_name_services_ports_are_not_checked(lint):
    legacy = document("Service", "legacy", "type: ExternalName\nexternalName: legacy.example.com", api_version="v1")
    report = lint(stream(legacy, ingress_spec("""
        defaultBackend:
          service: {name: legacy, port: {number: 8080}}
        rules:
          - http:
              paths:
                - path: /
                  pathType: Prefix
                  backend:
                    service: {name: legacyy, port: {number: 8080}}
    """)))
    # the name is still checked
    assert summary(report, RULE) == [(RULE, 20, 31, missing("legacyy", suggestion="legacy"))]


def test_malformed_backends_are_left_to_the_schema(lint):
    report = lint(stream(service(), ingress_spec("""
        defaultBackend: web
        rules:
          - null
          - http: {paths: [null, {path: /, backend: {service: {name: 7, port: {number: 80}}}}]}
          - http: {paths: [{path: /x, backend: {service: {name: web, port: {number: true}}}}]}
          - http: {paths: [{path: /y, backend: {service: {name: web, port: 80}}}]}
    """)))
    assert summary(report, RULE) == []


def test_realistic_application_is_clean(lint):
    report = lint(stream("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
                - {name: web, image: nginx:1.27, ports: [{name: http, containerPort: 8080}]}
    """, document("Service", "web", """
        selector: {app: web}
        ports: [{name: http, port: 80, targetPort: http}]
    """, api_version="v1", namespace="shop"), ingress_spec("""
        ingressClassName: nginx
        tls: [{hosts: [shop.example.com], secretName: shop-tls}]
        defaultBackend: {service: {name: web, port: {number: 80}}}
        rules:
          - host: shop.example.com
            http:
              paths:
                - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
    """, name="web", namespace="shop")))
    assert summary(report) == []


def test_services_operators_make_for_their_resources_count(lint):
    report = lint("""
        apiVersion: monitoring.coreos.com/v1
        kind: Prometheus
        metadata: {name: k8s, namespace: monitoring}
        spec: {replicas: 1}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: grafana, namespace: monitoring}
        spec: {ports: [{port: 80}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: prometheus, namespace: monitoring}
        spec:
          rules:
            - http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: prometheus-operated, port: {number: 9090}}}}
                  - {path: /a, pathType: Prefix, backend: {service: {name: alertmanager-operated, port: {number: 9093}}}}
    """)
    # the Prometheus operator makes prometheus-operated; no Alertmanager here makes alertmanager-operated
    assert [f[:3] for f in summary(report, "ingress-missing-service")] == [("ingress-missing-service", 19, 68)]
