"""ingress-missing-service: Ingress backends that name a Service, or a Service port, the manifests do not hold."""

import pytest
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


def test_missing_service_is_reported_at_the_backend_name(lint):
    report = lint({"service.yaml": SERVICE, "ingress.yaml": ingress(name="storefront")})
    assert summary(report, RULE) == [(
        RULE, 15, 23,
        "Service 'storefront' is not among the manifests of namespace 'default', which hold other Services: "
        "requests routed to it fail (503)",
    )]
    finding = ours(report)[0]
    assert (finding.file, finding.severity, finding.path) == (
        "ingress.yaml", "warning", "/spec/rules/0/http/paths/0/backend/service/name")
    assert finding.related == ()


def test_a_close_name_is_suggested(lint):
    report = lint({"service.yaml": SERVICE, "ingress.yaml": ingress(name="wbe")})
    assert summary(report, RULE) == [(
        RULE, 15, 23,
        "Service 'wbe' is not among the manifests of namespace 'default', which hold other Services: "
        "requests routed to it fail (503); did you mean 'web'?",
    )]


@pytest.mark.parametrize("port", ["{number: 80}", "{number: 443}", "{name: http}"])
def test_existing_service_and_port_are_clean(lint, port):
    report = lint({"service.yaml": SERVICE, "ingress.yaml": ingress(port=port)})
    assert summary(report, RULE) == []


def test_port_number_must_be_a_service_port_not_a_target_port(lint):
    report = lint({"service.yaml": SERVICE, "ingress.yaml": ingress(port="{number: 8080}")})
    assert summary(report, RULE) == [(
        RULE, 16, 32,
        "Service web has no port 8080 (its ports: 80 (http), 443): requests routed to it fail",
    )]
    finding = ours(report)[0]
    assert finding.severity == "warning"
    assert finding.path == "/spec/rules/0/http/paths/0/backend/service/port/number"
    assert [(r.file, r.line, r.column, r.object["kind"], r.object["name"], r.message) for r in finding.related] == [
        ("service.yaml", 7, 3, "Service", "web", "the Service's ports")]


def test_port_name_must_name_a_service_port(lint):
    report = lint({"service.yaml": SERVICE, "ingress.yaml": ingress(port="{name: https}")})
    assert summary(report, RULE) == [(
        RULE, 16, 30,
        "Service web has no port named 'https' (its ports: 80 (http), 443): requests routed to it fail",
    )]
    assert ours(report)[0].path == "/spec/rules/0/http/paths/0/backend/service/port/name"


def test_a_port_number_that_equals_a_port_name_is_not_a_match(lint):
    # ports are matched by number or by name, never a number against a name
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          ports: [{name: "80", port: 8000}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: shop}
        spec:
          defaultBackend:
            service: {name: web, port: {number: 80}}
    """)
    assert summary(report, RULE) == [(
        RULE, 12, 41, "Service web has no port 80 (its ports: 8000 (80)): requests routed to it fail")]


def test_service_without_ports(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          clusterIP: None
          selector: {app: web}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: shop}
        spec:
          defaultBackend:
            service:
              name: web
              port: {number: 80}
    """)
    assert summary(report, RULE) == [(
        RULE, 15, 22, "Service web has no port 80 (its ports: none): requests routed to it fail")]
    [related] = ours(report)[0].related
    # the Service has no spec.ports: the related location falls back to what exists of the path
    assert (related.line, related.object["kind"], related.message) == (4, "Service", "the Service's ports")


def test_backend_without_a_port_is_only_checked_by_name(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          ports: [{port: 80}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: shop}
        spec:
          defaultBackend:
            service: {name: web}
          rules:
            - http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service: {name: api, port: {}}
    """)
    assert summary(report, RULE) == [(
        RULE, 19, 31, "Service 'api' is not among the manifests of namespace 'default', which hold other Services: "
                      "requests routed to it fail (503)")]


def test_default_backend_is_checked(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          ports: [{name: http, port: 80}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: shop}
        spec:
          defaultBackend:
            service:
              name: fallback
              port: {number: 80}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: other}
        spec:
          defaultBackend:
            service:
              name: web
              port: {name: web}
    """)
    assert summary(report, RULE) == [
        (RULE, 13, 13, "Service 'fallback' is not among the manifests of namespace 'default', which hold other "
                       "Services: requests routed to it fail (503)"),
        (RULE, 23, 20, "Service web has no port named 'web' (its ports: 80 (http)): requests routed to it fail"),
    ]
    assert [f.path for f in ours(report)] == [
        "/spec/defaultBackend/service/name", "/spec/defaultBackend/service/port/name"]


def test_every_rule_and_path_is_checked_in_order(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          ports: [{name: http, port: 80}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api}
        spec:
          ports: [{name: grpc, port: 9090}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: shop}
        spec:
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
    """)
    assert summary(report, RULE) == [
        (RULE, 22, 90, "Service api has no port 80 (its ports: 9090 (grpc)): requests routed to it fail"),
        (RULE, 26, 67, "Service 'admin' is not among the manifests of namespace 'default', which hold other "
                       "Services: requests routed to it fail (503)"),
    ]
    assert [f.path for f in ours(report)] == [
        "/spec/rules/0/http/paths/1/backend/service/port/number",
        "/spec/rules/1/http/paths/0/backend/service/name",
    ]


def test_resource_backends_are_left_alone(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          ports: [{port: 80}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: assets}
        spec:
          defaultBackend:
            resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: static-assets}
          rules:
            - http:
                paths:
                  - path: /icons
                    pathType: ImplementationSpecific
                    backend:
                      resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: icon-assets}
    """)
    assert summary(report, RULE) == []


def test_rules_without_http_are_skipped(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          ports: [{port: 80}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: shop}
        spec:
          rules:
            - host: shop.example.com
            - host: admin.example.com
              http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service: {name: admin, port: {number: 80}}
    """)
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 19, 31)]
    assert ours(report)[0].path == "/spec/rules/1/http/paths/0/backend/service/name"


def test_only_core_services_count(lint):
    # a Knative Service named `web` is not the Service an Ingress backend names
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: api}
        spec:
          ports: [{port: 80}]
        ---
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata: {name: web}
        spec:
          template:
            spec:
              containers: [{image: nginx}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: shop}
        spec:
          defaultBackend:
            service: {name: web, port: {number: 80}}
    """)
    assert summary(report, RULE) == [(
        RULE, 20, 21, "Service 'web' is not among the manifests of namespace 'default', which hold other Services: "
                      "requests routed to it fail (503)")]


def test_not_judged_where_the_manifests_hold_no_services(lint):
    assert summary(lint(ingress(name="storefront")), RULE) == []
    # the only Service is in another namespace: this namespace's Services are managed elsewhere
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          ports: [{port: 80}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: admin}
        spec:
          defaultBackend:
            service: {name: web, port: {number: 80}}
    """)
    assert summary(report, RULE) == []


NAMESPACED = """
apiVersion: v1
kind: Service
metadata:
  name: web
  {service_namespace}
spec:
  ports: [{{name: http, port: 80}}]
---
apiVersion: v1
kind: Service
metadata:
  name: api
  {service_namespace}
spec:
  ports: [{{name: grpc, port: 9090}}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  {ingress_namespace}
spec:
  defaultBackend:
    service:
      name: web
      port: {{name: http}}
"""


def namespaced(service="", ingress=""):
    return NAMESPACED.format(service_namespace=f"namespace: {service}" if service else "",
                             ingress_namespace=f"namespace: {ingress}" if ingress else "")


def test_explicit_and_defaulted_namespaces_match(lint):
    assert summary(lint(namespaced(service="shop", ingress="shop")), RULE) == []
    assert summary(lint(namespaced()), RULE) == []
    assert summary(lint(namespaced(service="default")), RULE) == []
    assert summary(lint(namespaced(ingress="default")), RULE) == []


def test_namespace_option_is_the_default_namespace(lint):
    assert summary(lint(namespaced(service="shop"), namespace="shop"), RULE) == []
    assert summary(lint(namespaced(ingress="shop"), namespace="shop"), RULE) == []
    assert summary(lint(namespaced(), namespace="shop"), RULE) == []
    report = lint({"service.yaml": SERVICE, "ingress.yaml": ingress(name="storefront")}, namespace="shop")
    assert summary(report, RULE) == [(
        RULE, 15, 23, "Service 'storefront' is not among the manifests of namespace 'shop', which hold other Services: "
                      "requests routed to it fail (503)")]


def test_services_in_another_declared_namespace_do_not_match(lint):
    text = namespaced(service="shop", ingress="admin") + """
---
apiVersion: v1
kind: Service
metadata: {name: admin, namespace: admin}
spec:
  ports: [{port: 80}]
"""
    report = lint(text)
    # both namespaces are declared: no doubt, and the Service `web` of `shop` is not suggested
    assert summary(report, RULE) == [(
        RULE, 25, 13, "Service 'web' is not among the manifests of namespace 'admin', which hold other Services: "
                      "requests routed to it fail (503)")]
    assert ours(report)[0].severity == "warning"


def test_same_name_in_another_namespace_while_the_ingress_has_none_is_doubtful(lint):
    # the Ingress has no namespace (checked as in `default`, where Service `admin` is); Service `web` is in
    # `shop`: applied with `kubectl -n shop`, they would match
    text = namespaced(service="shop") + """
---
apiVersion: v1
kind: Service
metadata: {name: admin}
spec:
  ports: [{port: 80}]
"""
    report = lint(text)
    assert summary(report, RULE) == [(
        RULE, 25, 13,
        "Service 'web' is not among the manifests of namespace 'default', which hold other Services: requests "
        "routed to it fail (503); a Service of that name is in namespace 'shop', and Ingress shop has no namespace, "
        "so it is checked as in 'default': if they are applied to one namespace, pass it with --namespace",
    )]
    assert ours(report)[0].severity == "info"
    # as the note says
    assert summary(lint(text, namespace="shop"), RULE) == []


def test_same_name_in_another_namespace_while_the_service_has_none_is_doubtful(lint):
    text = namespaced(ingress="shop") + """
---
apiVersion: v1
kind: Service
metadata: {name: admin, namespace: shop}
spec:
  ports: [{port: 80}]
"""
    report = lint(text)
    assert summary(report, RULE) == [(
        RULE, 25, 13,
        "Service 'web' is not among the manifests of namespace 'shop', which hold other Services: requests "
        "routed to it fail (503); a Service of that name is in namespace 'default', and Service web has no "
        "namespace, so it is checked as in 'default': if they are applied to one namespace, pass it with --namespace",
    )]
    assert ours(report)[0].severity == "info"


def test_objects_inside_a_list(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              ports: [{name: http, port: 80}]
          - apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: shop}
            spec:
              rules:
                - http:
                    paths:
                      - path: /
                        pathType: Prefix
                        backend:
                          service:
                            name: web
                            port: {name: http}
                      - path: /admin
                        pathType: Prefix
                        backend:
                          service:
                            name: web
                            port: {number: 8080}
    """)
    assert summary(report, RULE) == [
        (RULE, 27, 36, "Service web has no port 8080 (its ports: 80 (http)): requests routed to it fail")]
    [related] = ours(report)[0].related
    assert (related.line, related.column, related.object["kind"], related.message) == (
        8, 7, "Service", "the Service's ports")


def test_anchors_and_merge_keys_supply_backends_and_ports(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          ports:
            - &http {name: http, port: 80, targetPort: 8080}
            - <<: *http
              name: admin
              port: 8081
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web-canary}
        spec:
          ports: [{name: http, port: 80}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: shop}
        spec:
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
    """)
    # keys written next to a merge key win over the merged ones
    assert summary(report, RULE) == [
        (RULE, 38, 32, "Service web-canary has no port 8081 (its ports: 80 (http)): requests routed to it fail"),
        (RULE, 45, 32, "Service web has no port 8080 (its ports: 80 (http), 8081 (admin)): requests routed to it "
                       "fail"),
    ]
    assert [f.path for f in ours(report)] == [
        "/spec/rules/0/http/paths/2/backend/service/port/number",
        "/spec/rules/0/http/paths/3/backend/service/port/number",
    ]


def test_a_finding_in_an_aliased_backend_is_reported_for_each_use_at_the_anchor(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          ports: [{port: 80}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: shop}
        spec:
          defaultBackend: &backend
            service:
              name: wbe
              port: {number: 80}
          rules:
            - http:
                paths:
                  - {path: /, pathType: Prefix, backend: *backend}
    """)
    message = ("Service 'wbe' is not among the manifests of namespace 'default', which hold other Services: requests "
               "routed to it fail (503); did you mean 'web'?")
    assert summary(report, RULE) == [(RULE, 13, 13, message), (RULE, 13, 13, message)]
    assert [f.path for f in ours(report)] == [
        "/spec/defaultBackend/service/name", "/spec/rules/0/http/paths/0/backend/service/name"]


def test_services_in_other_files_and_in_context_resolve(lint):
    assert summary(lint({"service.yaml": SERVICE, "ingress.yaml": ingress()}), RULE) == []
    assert summary(lint({"ingress.yaml": ingress()}, context={"service.yaml": SERVICE}), RULE) == []
    # a context Service makes the namespace judged, and its ports count
    report = lint({"ingress.yaml": ingress(port="{number: 8443}")}, context={"service.yaml": SERVICE})
    assert summary(report, RULE) == [(
        RULE, 16, 32, "Service web has no port 8443 (its ports: 80 (http), 443): requests routed to it fail")]
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
    assert summary(report, RULE) == [(
        RULE, 16, 32, "Service web has no port 9090 (its ports: 80 (http), 443): requests routed to it fail")]
    [related] = ours(report)[0].related
    assert (related.file, related.line, related.column) == ("base/service.yaml", 7, 3)
    # an ExternalName copy forwards any port
    external = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: ExternalName, externalName: x.example.com}\n"
    report = lint({"base/service.yaml": SERVICE, "external/service.yaml": external,
                   "ingress.yaml": ingress(port="{number: 9090}")})
    assert summary(report, RULE) == []


def test_findings_are_not_reported_on_context_files(lint):
    report = lint({"service.yaml": SERVICE}, context={"ingress.yaml": ingress(name="storefront")})
    assert summary(report, RULE) == []


def test_older_service_name_and_port_form(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          ports: [{name: http, port: 80}]
        ---
        apiVersion: networking.k8s.io/v1beta1
        kind: Ingress
        metadata: {name: shop}
        spec:
          backend: {serviceName: web, servicePort: 80}
          rules:
            - http:
                paths:
                  - {path: /, backend: {serviceName: web, servicePort: http}}
                  - {path: /a, backend: {serviceName: web, servicePort: 8080}}
                  - {path: /b, backend: {serviceName: web, servicePort: https}}
                  - {path: /c, backend: {serviceName: api, servicePort: 80}}
    """)
    assert summary(report, RULE) == [
        (RULE, 16, 65, "Service web has no port 8080 (its ports: 80 (http)): requests routed to it fail"),
        (RULE, 17, 65, "Service web has no port named 'https' (its ports: 80 (http)): requests routed to it fail"),
        (RULE, 18, 47, "Service 'api' is not among the manifests of namespace 'default', which hold other Services: "
                       "requests routed to it fail (503)"),
    ]
    assert [f.path for f in ours(report)] == [
        "/spec/rules/0/http/paths/1/backend/servicePort",
        "/spec/rules/0/http/paths/2/backend/servicePort",
        "/spec/rules/0/http/paths/3/backend/serviceName",
    ]


def test_extensions_ingress_is_checked_too(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          ports: [{port: 80}]
        ---
        apiVersion: extensions/v1beta1
        kind: Ingress
        metadata: {name: shop}
        spec:
          backend: {serviceName: wbe, servicePort: 80}
    """)
    assert summary(report, RULE) == [(
        RULE, 11, 26, "Service 'wbe' is not among the manifests of namespace 'default', which hold other Services: "
                      "requests routed to it fail (503); did you mean 'web'?")]


def test_external_name_services_ports_are_not_checked(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: legacy}
        spec:
          type: ExternalName
          externalName: legacy.example.com
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: shop}
        spec:
          defaultBackend:
            service: {name: legacy, port: {number: 8080}}
          rules:
            - http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service: {name: legacyy, port: {number: 8080}}
    """)
    # the name is still checked
    assert summary(report, RULE) == [(
        RULE, 20, 31, "Service 'legacyy' is not among the manifests of namespace 'default', which hold other "
                      "Services: requests routed to it fail (503); did you mean 'legacy'?")]


def test_ingress_kinds_of_other_groups_are_skipped(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          ports: [{port: 80}]
        ---
        apiVersion: example.com/v1
        kind: Ingress
        metadata: {name: shop}
        spec:
          defaultBackend:
            service: {name: storefront, port: {number: 80}}
    """)
    assert summary(report, RULE) == []


def test_malformed_backends_are_left_to_the_schema(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          ports: [{port: 80}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: shop}
        spec:
          defaultBackend: web
          rules:
            - null
            - http: {paths: [null, {path: /, backend: {service: {name: 7, port: {number: 80}}}}]}
            - http: {paths: [{path: /x, backend: {service: {name: web, port: {number: true}}}}]}
            - http: {paths: [{path: /y, backend: {service: {name: web, port: 80}}}]}
    """)
    assert summary(report, RULE) == []


def test_realistic_application_is_clean(lint):
    report = lint("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
          labels: {app: web}
        spec:
          replicas: 2
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
                    - {name: http, containerPort: 8080}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: shop
        spec:
          selector: {app: web}
          ports:
            - name: http
              port: 80
              targetPort: http
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
          namespace: shop
        spec:
          ingressClassName: nginx
          tls:
            - hosts: [shop.example.com]
              secretName: shop-tls
          defaultBackend:
            service:
              name: web
              port: {number: 80}
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
    """)
    assert summary(report) == []
