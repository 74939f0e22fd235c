"""service-port-mismatch: a Service's named targetPort is not a named container port of its pods."""

import pytest
from support import summary

from .pod_template_fixtures import document, listed, named, workload

RULE = "service-port-mismatch"

#: service()'s port by default, and one without a name.
HTTP = "{name: http, port: 80, targetPort: http}"
UNNAMED = "{port: 80, targetPort: http}"
#: Where service()'s targetPort value is when it has one port (HTTP or UNNAMED) and no extra spec fields.
TARGET_AT = (8, 42)
UNNAMED_TARGET_AT = (8, 30)


def service(*ports, name="web", namespace=None, selector="{app: web}", api_version="v1", **spec):
    """A Service selecting `selector` (none if None) whose spec starts with the `spec` fields and ends with `ports`
    (flow mappings, by default HTTP), one a line. `service()` is

        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports:
            - {name: http, port: 80, targetPort: http}
    """
    fields = [*(f"{key}: {value}" for key, value in spec.items()), *([f"selector: {selector}"] if selector else []),
              "ports:", *(f"  - {port}" for port in ports or [HTTP])]
    return (f"---\napiVersion: {api_version}\nkind: Service\nmetadata: {named(name, namespace)}\nspec:\n"
            + "".join(f"  {field}\n" for field in fields))


def deployment(port="http", name="web", namespace=None, kind="Deployment", ports=None):
    """A `kind` of `app: web` pods whose one container has the ports `ports` (flow mappings), by default one named
    `port`; the `containers` key of its pod spec is on its line 10 (a StatefulSet's 11), column 7."""
    ports = ports or "{name: " + port + ", containerPort: 8080}"
    return workload(kind, "containers: [{name: web, image: nginx:1.27, ports: [" + ports + "]}]", name, "{app: web}",
                    namespace)


def pod(containers, name="web", labels="{app: web}"):
    """A Pod with the `containers` (a flow sequence), whose `containers` key is on its line 6, column 3."""
    return workload("Pod", "containers: " + containers, name, labels)


def unserved(templates, target="http", protocol="TCP", port=80, share=None):
    """The message for a targetPort that `share` ("1 of the 2") or else all of the selected templates lack."""
    if share:
        return (f"targetPort {target!r} ({protocol}) is not a named container port of {share} pod templates this "
                f"Service selects, so those pods get no traffic on port {port}: {templates}")
    return (f"targetPort {target!r} ({protocol}) is not a named container port of any pod template this Service "
            f"selects, so its pods get no traffic on port {port}: {templates}")


def test_named_target_port_missing_from_the_only_template_is_reported_at_the_target_port(lint):
    report = lint(service() + deployment(port="web"))
    assert summary(report, RULE) == [(RULE, *TARGET_AT, unserved("Deployment default/web names web (8080/TCP)"))]
    finding = report.findings[[f.rule for f in report.findings].index(RULE)]
    assert finding.severity == "warning"
    assert finding.path == "/spec/ports/0/targetPort"
    assert finding.object["kind"] == "Service"
    assert [(r.file, r.line, r.column, r.object["kind"], r.object["name"], r.message) for r in finding.related] == [
        ("manifest.yaml", 18, 7, "Deployment", "web", "the pod's containers")]


def test_a_realistic_matching_set_is_clean(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: shop
          labels: {app.kubernetes.io/name: web}
        spec:
          type: ClusterIP
          selector:
            app.kubernetes.io/name: web
          ports:
            - name: http
              port: 80
              targetPort: http
            - name: metrics
              port: 9090
              targetPort: metrics
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
          labels: {app.kubernetes.io/name: web}
        spec:
          replicas: 2
          selector:
            matchLabels: {app.kubernetes.io/name: web}
          template:
            metadata:
              labels: {app.kubernetes.io/name: web}
            spec:
              containers:
                - name: web
                  image: nginx:1.27
                  ports:
                    - name: http
                      containerPort: 8080
                - name: exporter
                  image: nginx/nginx-prometheus-exporter:1.3
                  ports:
                    - name: metrics
                      containerPort: 9113
                      protocol: TCP
    """)
    assert summary(report) == []


def test_port_named_in_the_template_is_clean(lint):
    assert summary(lint(service() + deployment(port="http")), RULE) == []


def test_template_without_ports_is_described_as_naming_none(lint):
    report = lint(service(UNNAMED) + pod("[{name: web, image: nginx}, {name: unnamed, image: nginx, "
                                         "ports: [{containerPort: 8080}]}]"))
    assert summary(report, RULE) == [(RULE, *UNNAMED_TARGET_AT, unserved("Pod default/web names no ports"))]
    [related] = report.findings[0].related
    assert (related.line, related.column, related.object["kind"]) == (14, 3, "Pod")


def test_template_lacking_the_port_among_several_is_counted_and_only_it_is_related(lint):
    database = deployment(name="web-db", kind="StatefulSet",
                          ports="{name: postgres, containerPort: 5432}, {name: metrics, containerPort: 9187}")
    report = lint(service() + deployment(port="http") + database)
    assert summary(report, RULE) == [(RULE, *TARGET_AT, unserved(
        "StatefulSet default/web-db names postgres (5432/TCP), metrics (9187/TCP)", share="1 of the 2"))]
    assert [(r.line, r.column, r.object["kind"], r.object["name"]) for r in report.findings[0].related] == [
        (29, 7, "StatefulSet", "web-db")]


def test_more_than_three_lacking_templates_are_summed_up(lint):
    text = service() + "".join(deployment(port="web", name=f"web-{n}") for n in range(5)) + deployment(name="ok")
    report = lint(text)
    assert summary(report, RULE) == [(RULE, *TARGET_AT, unserved(
        "Deployment default/web-0 names web (8080/TCP); Deployment default/web-1 names web (8080/TCP); Deployment "
        "default/web-2 names web (8080/TCP) (and 2 more)", share="5 of the 6"))]
    related = report.findings[0].related
    assert [r.object["name"] for r in related] == ["web-0", "web-1", "web-2"]


def test_every_template_lacking_it_beyond_three_still_says_none(lint):
    report = lint(service() + "".join(deployment(port="web", name=f"web-{n}") for n in range(4)))
    [(_, line, column, message)] = summary(report, RULE)
    assert (line, column) == TARGET_AT
    assert message.startswith(
        "targetPort 'http' (TCP) is not a named container port of any pod template this Service selects")
    assert message.endswith("Deployment default/web-2 names web (8080/TCP) (and 1 more)")


DNS_PORTS = ("{name: dns-tcp, port: 53, targetPort: dns}", "{name: dns-udp, port: 53, targetPort: dns, protocol: UDP}")


@pytest.mark.parametrize("container_port, reported_at, index, protocol, named_port", [
    ("{name: dns, containerPort: 53}", (9, 45), 1, "UDP", "53/TCP"),
    # the TCP Service port is the one a UDP-only container port misses
    ("{name: dns, containerPort: 53, protocol: UDP}", (8, 45), 0, "TCP", "53/UDP"),
])
def test_protocol_must_match_too(lint, container_port, reported_at, index, protocol, named_port):
    report = lint(service(*DNS_PORTS, name="dns") + deployment(name="dns", ports=container_port))
    assert summary(report, RULE) == [(RULE, *reported_at, unserved(
        f"Deployment default/dns names dns ({named_port})", target="dns", protocol=protocol, port=53))]
    assert report.findings[0].path == f"/spec/ports/{index}/targetPort"


def test_same_name_declared_for_both_protocols_is_clean(lint):
    report = lint(service("{name: dns-tcp, port: 53, targetPort: dns-tcp, protocol: TCP}", DNS_PORTS[1], name="dns")
                  + deployment(name="dns", ports="{name: dns, containerPort: 53, protocol: UDP}, "
                                                 "{name: dns-tcp, containerPort: 53, protocol: TCP}"))
    assert summary(report) == []


def test_numeric_and_absent_target_ports_are_not_checked(lint):
    report = lint(service("{name: numeric, port: 80, targetPort: 8080}", "{name: defaulted, port: 8443}",
                          "{name: named, port: 9090, targetPort: metrics}")
                  + pod("[{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]"))
    assert summary(report, RULE) == [
        (RULE, 10, 45, unserved("Pod default/web names http (8080/TCP)", target="metrics", port=9090))]
    assert report.findings[0].path == "/spec/ports/2/targetPort"


@pytest.mark.parametrize("restart_policy, reported", [("Always", False), ("OnFailure", True), (None, True)])
def test_sidecar_init_containers_count_but_plain_init_containers_do_not(lint, restart_policy, reported):
    restart = f"restartPolicy: {restart_policy}" if restart_policy else ""
    report = lint(service("{port: 15090, targetPort: proxy-metrics}") + workload("Deployment", f"""
        initContainers:
          - name: proxy
            image: envoyproxy/envoy:v1.31.0
            {restart}
            ports: [{{name: proxy-metrics, containerPort: 15090}}]
        containers: [{{name: web, image: nginx, ports: [{{name: http, containerPort: 8080}}]}}]
    """, "web", "{app: web}"))
    message = unserved("Deployment default/web names http (8080/TCP)", target="proxy-metrics", port=15090)
    assert summary(report, RULE) == ([(RULE, 8, 33, message)] if reported else [])


JOB = workload("Job", "containers: [{name: migrate, image: migrate:1}]", "migrate", "{app: web}")


def test_jobs_and_cronjobs_are_not_counted(lint):
    cronjob = workload("CronJob", "containers: [{name: report, image: report:1}]", "report", "{app: web}")
    assert summary(lint(service(UNNAMED) + JOB + cronjob)) == []
    # next to a lacking Deployment, the Jobs neither appear nor count among the templates
    report = lint(service() + deployment(port="web") + JOB)
    assert summary(report, RULE) == [(RULE, *TARGET_AT, unserved("Deployment default/web names web (8080/TCP)"))]


@pytest.mark.parametrize("spec, reported", [
    ({"type": "ExternalName", "externalName": "web.example.com"}, False),
    # the same Service as a ClusterIP is reported
    ({"type": "ClusterIP"}, True),
])
def test_external_name_services_are_skipped(lint, spec, reported):
    report = lint(service(UNNAMED, **spec) + deployment(port="web"))
    message = unserved("Deployment default/web names web (8080/TCP)")
    assert summary(report, RULE) == ([(RULE, 8 + len(spec), 30, message)] if reported else [])


def test_services_without_selector_and_non_core_services_are_skipped(lint):
    report = lint(service(UNNAMED, name="manual", selector=None) + service(UNNAMED, name="empty", selector="{}")
                  + service(UNNAMED, api_version="serving.knative.dev/v1") + deployment(port="web"))
    assert summary(report, RULE) == []


def test_namespaces_are_compared_after_defaulting(lint):
    # explicit `default` on the Service, defaulted on the Deployment: the same namespace
    explicit_default = service(namespace="default") + deployment(port="web")
    assert [f[:3] for f in summary(lint(explicit_default), RULE)] == [(RULE, *TARGET_AT)]
    # the `namespace` setting moves the Deployment (and not the Service) to `shop`
    assert summary(lint(explicit_default, namespace="shop"), RULE) == []
    # both defaulted to the `namespace` setting: the same namespace, and named so
    report = lint(service() + deployment(port="web"), namespace="shop")
    assert summary(report, RULE) == [(RULE, *TARGET_AT, unserved("Deployment shop/web names web (8080/TCP)"))]
    # both explicitly in the same non-default namespace
    same = service(namespace="shop") + deployment(port="web", namespace="shop")
    assert [f[:3] for f in summary(lint(same), RULE)] == [(RULE, *TARGET_AT)]


def test_templates_in_another_namespace_do_not_count(lint):
    # the only lacking template is in another namespace: not this Service's pods
    other = service(namespace="shop") + deployment(port="web", namespace="staging")
    assert summary(lint(other), RULE) == []
    # a good template here and a lacking one elsewhere: clean, and not "1 of the 2"
    mixed = service(namespace="shop") + deployment(port="http", namespace="shop") + deployment(port="web",
                                                                                               namespace="staging")
    assert summary(lint(mixed), RULE) == []
    # a lacking template here and a good one elsewhere: reported
    mixed = service(namespace="shop") + deployment(port="web", namespace="shop") + deployment(port="http",
                                                                                              namespace="staging")
    assert summary(lint(mixed), RULE) == [(RULE, *TARGET_AT, unserved("Deployment shop/web names web (8080/TCP)"))]


def test_selector_picks_only_templates_carrying_all_its_labels(lint):
    report = lint(service(UNNAMED, selector="{app: web, tier: frontend}")
                  + pod("[{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]", "frontend",
                        "{app: web, tier: frontend, version: v2}")
                  + pod("[{name: api, image: api:1, ports: [{name: grpc, containerPort: 9000}]}]", "backend",
                        "{app: web, tier: backend}"))
    assert summary(report) == []


def test_objects_inside_a_list(lint):
    report = lint(listed(service(UNNAMED), deployment(port="web")))
    assert summary(report, RULE) == [(RULE, 11, 34, unserved("Deployment default/web names web (8080/TCP)"))]
    [related] = report.findings[0].related
    assert (related.line, related.column, related.object["kind"]) == (20, 11, "Deployment")
    assert summary(lint(listed(service(UNNAMED), deployment(port="http")))) == []


def test_labels_and_ports_from_anchors_and_merge_keys(lint):
    text = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          labels: &labels
            app: web
        spec:
          selector:
            <<: *labels
          ports:
            - port: 80
              targetPort: http
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {{name: web}}
        spec:
          selector:
            matchLabels: &selected
              app: web
          template:
            metadata:
              labels:
                <<: *selected
                version: v1
            spec:
              containers:
                - name: web
                  image: nginx
                  ports: &ports
                    - name: {port}
                      containerPort: 8080
                - name: copy
                  image: nginx
                  ports: *ports
    """
    assert summary(lint(text.format(port="http"))) == []
    report = lint(text.format(port="web"))
    assert summary(report, RULE) == [(RULE, 12, 19, unserved("Deployment default/web names web (8080/TCP), "
                                                             "web (8080/TCP)"))]


def test_objects_split_across_files_and_given_as_context(lint):
    files = {"service.yaml": service(), "deployment.yaml": deployment(port="web")}
    report = lint(files)
    assert [(f.file, f.line, f.column) for f in report.findings if f.rule == RULE] == [("service.yaml", *TARGET_AT)]
    [related] = report.findings[0].related
    assert (related.file, related.line, related.column) == ("deployment.yaml", 10, 7)
    assert summary(lint({"service.yaml": service(), "deployment.yaml": deployment(port="http")})) == []
    # the pods given only as context are still checked against
    report = lint({"service.yaml": service()}, context={"deployment.yaml": deployment(port="web")})
    assert [(f.file, f.line, f.column) for f in report.findings if f.rule == RULE] == [("service.yaml", *TARGET_AT)]
    assert report.findings[0].related[0].file == "deployment.yaml"
    assert summary(lint({"service.yaml": service()}, context={"deployment.yaml": deployment(port="http")})) == []
    # a Service given only as context is not reported
    report = lint({"deployment.yaml": deployment(port="web")}, context={"service.yaml": service()})
    assert summary(report, RULE) == []


def located(report):
    """(file, line, column, message) of the report's findings of this rule."""
    return [(f.file, f.line, f.column, f.message) for f in report.findings if f.rule == RULE]


@pytest.mark.parametrize("overlay_port", ["http", "www"])
def test_templates_in_alternative_files_of_the_service_do_not_count(lint, overlay_port):
    # overlay.yaml redefines base.yaml's Deployment web: the two are alternatives, never applied together, so the
    # overlay's copy (naming the port or not) neither vouches for base.yaml's pods nor is described
    files = {"base.yaml": service() + deployment(port="web"), "overlay.yaml": deployment(port=overlay_port)}
    report = lint(files)
    assert located(report) == [("base.yaml", *TARGET_AT, unserved("Deployment default/web names web (8080/TCP)"))]
    [related] = report.findings[[f.rule for f in report.findings].index(RULE)].related
    assert (related.file, related.line, related.column) == ("base.yaml", 18, 7)


def test_each_alternative_file_is_checked_against_its_own_templates(lint):
    # two variants of Service web, each with a Deployment of its own: neither variant's template counts for the
    # other's Service (so neither is "1 of the 2")
    files = {"base.yaml": service() + deployment(port="http"),
             "canary.yaml": service() + deployment(port="web", name="web-canary")}
    report = lint(files)
    assert located(report) == [
        ("canary.yaml", *TARGET_AT, unserved("Deployment default/web-canary names web (8080/TCP)"))]
    [related] = report.findings[[f.rule for f in report.findings].index(RULE)].related
    assert (related.file, related.line, related.column) == ("canary.yaml", 18, 7)


def test_copies_of_one_workload_in_files_apart_from_the_service_count_once(lint):
    # base.yaml and overlay.yaml are alternatives of each other, not of service.yaml: one copy names the port, so
    # the workload's pods may carry it
    files = {"service.yaml": service(), "base.yaml": deployment(port="web"), "overlay.yaml": deployment(port="http")}
    assert summary(lint(files), RULE) == []
    # both copies lack it: one template, described once (by its first copy)
    files = {"service.yaml": service(), "base.yaml": deployment(port="web"), "overlay.yaml": deployment(port="www")}
    report = lint(files)
    assert located(report) == [("service.yaml", *TARGET_AT, unserved("Deployment default/web names web (8080/TCP)"))]
    [related] = report.findings[[f.rule for f in report.findings].index(RULE)].related
    assert (related.file, related.line, related.column) == ("base.yaml", 10, 7)


def test_pods_an_operator_creates_are_not_checked(lint):
    prometheus = document("""
        apiVersion: monitoring.coreos.com/v1
        kind: Prometheus
        metadata: {name: main}
        spec: {replicas: 2}
    """)
    report = lint(service("{port: 9090, targetPort: web}", name="prometheus", selector="{prometheus: main}")
                  + prometheus, operator_pods={"monitoring.coreos.com/Prometheus": {"prometheus": "{name}"}})
    assert summary(report, RULE) == []


@pytest.mark.parametrize("kind", ["ReplicaSet", "DaemonSet", "ReplicationController"])
def test_every_long_running_workload_kind_is_checked(lint, kind):
    report = lint(service() + deployment(port="web", name="w", kind=kind))
    assert summary(report, RULE) == [(RULE, *TARGET_AT, unserved(f"{kind} default/w names web (8080/TCP)"))]
