"""service-port-mismatch: a Service's named targetPort is not a named container port of its pods."""

from support import summary

RULE = "service-port-mismatch"

SERVICE = """
apiVersion: v1
kind: Service
metadata:
  name: web
  {namespace}
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: http
"""

DEPLOYMENT = """
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  {namespace}
spec:
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - name: {port}
              containerPort: 8080
"""


def service(namespace=""):
    return SERVICE.format(namespace=namespace)


def deployment(port="http", name="web", namespace=""):
    return DEPLOYMENT.format(port=port, name=name, namespace=namespace)


def test_named_target_port_missing_from_the_only_template_is_reported_at_the_target_port(lint):
    report = lint(service() + deployment(port="web"))
    assert summary(report, RULE) == [(
        RULE, 12, 19,
        "targetPort 'http' (TCP) is not a named container port of any pod template this Service selects, so its pods get no "
        "traffic on port 80: Deployment default/web names web (8080/TCP)",
    )]
    finding = report.findings[[f.rule for f in report.findings].index(RULE)]
    assert finding.severity == "warning"
    assert finding.path == "/spec/ports/0/targetPort"
    assert finding.object["kind"] == "Service"
    assert [(r.file, r.line, r.column, r.object["kind"], r.object["name"], r.message) for r in finding.related] == [
        ("manifest.yaml", 27, 7, "Deployment", "web", "the pod's containers")]


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
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: http}]
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels: {app: web}
        spec:
          containers:
            - name: web
              image: nginx
            - name: unnamed
              image: nginx
              ports: [{containerPort: 8080}]
    """)
    assert summary(report, RULE) == [(
        RULE, 6, 34,
        "targetPort 'http' (TCP) is not a named container port of any pod template this Service selects, so its pods get no "
        "traffic on port 80: Pod default/web names no ports",
    )]
    [related] = report.findings[0].related
    assert (related.line, related.column, related.object["kind"]) == (14, 3, "Pod")


def test_template_lacking_the_port_among_several_is_counted_and_only_it_is_related(lint):
    report = lint(service() + deployment(port="http") + """
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: web-db
        spec:
          serviceName: web-db
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
                - name: db
                  image: postgres:16
                  ports:
                    - {name: postgres, containerPort: 5432}
                    - {name: metrics, containerPort: 9187}
    """.replace("\n        ", "\n"))
    assert summary(report, RULE) == [(
        RULE, 12, 19,
        "targetPort 'http' (TCP) is not a named container port of 1 of the 2 pod templates this Service selects, "
        "so those pods get no traffic on port 80: StatefulSet default/web-db names postgres (5432/TCP), "
        "metrics (9187/TCP)",
    )]
    assert [(r.line, r.column, r.object["kind"], r.object["name"]) for r in report.findings[0].related] == [
        (47, 7, "StatefulSet", "web-db")]


def test_more_than_three_lacking_templates_are_summed_up(lint):
    text = service() + "".join(deployment(port="web", name=f"web-{n}") for n in range(5)) + deployment(name="ok")
    report = lint(text)
    assert summary(report, RULE) == [(
        RULE, 12, 19,
        "targetPort 'http' (TCP) is not a named container port of 5 of the 6 pod templates this Service selects, "
        "so those pods get no traffic on port 80: Deployment default/web-0 names web (8080/TCP); Deployment "
        "default/web-1 names web (8080/TCP); Deployment default/web-2 names web (8080/TCP) (and 2 more)",
    )]
    related = report.findings[0].related
    assert [r.object["name"] for r in related] == ["web-0", "web-1", "web-2"]


def test_every_template_lacking_it_beyond_three_still_says_none(lint):
    report = lint(service() + "".join(deployment(port="web", name=f"web-{n}") for n in range(4)))
    [(_, line, column, message)] = summary(report, RULE)
    assert (line, column) == (12, 19)
    assert message.startswith("targetPort 'http' (TCP) is not a named container port of any pod template this Service selects")
    assert message.endswith("Deployment default/web-2 names web (8080/TCP) (and 1 more)")


def test_protocol_must_match_too(lint):
    udp_service = """
        apiVersion: v1
        kind: Service
        metadata: {name: dns}
        spec:
          selector: {app: dns}
          ports:
            - {name: dns-tcp, port: 53, targetPort: dns}
            - {name: dns-udp, port: 53, targetPort: dns, protocol: UDP}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: dns}
        spec:
          selector: {matchLabels: {app: dns}}
          template:
            metadata: {labels: {app: dns}}
            spec:
              containers:
                - name: dns
                  image: coredns/coredns:1.11.1
                  ports:
                    - {name: dns, containerPort: 53}
    """
    report = lint(udp_service)
    assert summary(report, RULE) == [(
        RULE, 8, 45,
        "targetPort 'dns' (UDP) is not a named container port of any pod template this Service selects, so its pods get no "
        "traffic on port 53: Deployment default/dns names dns (53/TCP)",
    )]
    assert report.findings[0].path == "/spec/ports/1/targetPort"
    # the TCP Service port is the one a UDP-only container port misses
    udp_only = udp_service.replace("{name: dns, containerPort: 53}", "{name: dns, containerPort: 53, protocol: UDP}")
    assert summary(lint(udp_only), RULE) == [(
        RULE, 7, 45,
        "targetPort 'dns' (TCP) is not a named container port of any pod template this Service selects, so its pods get no "
        "traffic on port 53: Deployment default/dns names dns (53/UDP)",
    )]


def test_same_name_declared_for_both_protocols_is_clean(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: dns}
        spec:
          selector: {app: dns}
          ports:
            - {name: dns-tcp, port: 53, targetPort: dns-tcp, protocol: TCP}
            - {name: dns-udp, port: 53, targetPort: dns, protocol: UDP}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: dns}
        spec:
          selector: {matchLabels: {app: dns}}
          template:
            metadata: {labels: {app: dns}}
            spec:
              containers:
                - name: dns
                  image: coredns/coredns:1.11.1
                  ports:
                    - {name: dns, containerPort: 53, protocol: UDP}
                    - {name: dns-tcp, containerPort: 53, protocol: TCP}
    """)
    assert summary(report) == []


def test_numeric_and_absent_target_ports_are_not_checked(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports:
            - {name: numeric, port: 80, targetPort: 8080}
            - {name: defaulted, port: 8443}
            - {name: named, port: 9090, targetPort: metrics}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, labels: {app: web}}
        spec:
          containers:
            - name: web
              image: nginx
              ports: [{name: http, containerPort: 8080}]
    """)
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 9, 45)]
    assert report.findings[0].path == "/spec/ports/2/targetPort"
    assert "on port 9090" in report.findings[0].message


def test_sidecar_init_containers_count_but_plain_init_containers_do_not(lint):
    template = """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 15090, targetPort: proxy-metrics}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              initContainers:
                - name: proxy
                  image: envoyproxy/envoy:v1.31.0
                  RESTART
                  ports: [{name: proxy-metrics, containerPort: 15090}]
              containers:
                - name: web
                  image: nginx
                  ports: [{name: http, containerPort: 8080}]
    """
    assert summary(lint(template.replace("RESTART", "restartPolicy: Always")), RULE) == []
    report = lint(template.replace("RESTART", "restartPolicy: OnFailure"))
    assert summary(report, RULE) == [(
        RULE, 6, 37,
        "targetPort 'proxy-metrics' (TCP) is not a named container port of any pod template this Service selects, so its pods "
        "get no traffic on port 15090: Deployment default/web names http (8080/TCP)",
    )]
    assert [f[:3] for f in summary(lint(template.replace("RESTART", "")), RULE)] == [(RULE, 6, 37)]


def test_jobs_and_cronjobs_are_not_counted(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: http}]
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: migrate}
        spec:
          template:
            metadata: {labels: {app: web}}
            spec:
              restartPolicy: Never
              containers: [{name: migrate, image: migrate:1}]
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: report}
        spec:
          schedule: "0 * * * *"
          jobTemplate:
            spec:
              template:
                metadata: {labels: {app: web}}
                spec:
                  restartPolicy: Never
                  containers: [{name: report, image: report:1}]
    """)
    assert summary(report) == []
    # next to a lacking Deployment, the Jobs neither appear nor count among the templates
    report = lint(service() + deployment(port="web") + """
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: migrate}
        spec:
          template:
            metadata: {labels: {app: web}}
            spec:
              restartPolicy: Never
              containers: [{name: migrate, image: migrate:1}]
    """.replace("\n        ", "\n"))
    assert summary(report, RULE) == [(
        RULE, 12, 19,
        "targetPort 'http' (TCP) is not a named container port of any pod template this Service selects, so its pods get no "
        "traffic on port 80: Deployment default/web names web (8080/TCP)",
    )]


def test_external_name_services_are_skipped(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          type: ExternalName
          externalName: web.example.com
          selector: {app: web}
          ports: [{port: 80, targetPort: http}]
    """ + deployment(port="web").replace("\n", "\n        "))
    assert summary(report, RULE) == []
    # the same Service as a ClusterIP is reported
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          type: ClusterIP
          selector: {app: web}
          ports: [{port: 80, targetPort: http}]
    """ + deployment(port="web").replace("\n", "\n        "))
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 7, 34)]


def test_services_without_selector_and_non_core_services_are_skipped(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: manual}
        spec:
          ports: [{port: 80, targetPort: http}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: empty}
        spec:
          selector: {}
          ports: [{port: 80, targetPort: http}]
        ---
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: http}]
    """ + deployment(port="web").replace("\n", "\n        "))
    assert summary(report, RULE) == []


def test_namespaces_are_compared_after_defaulting(lint):
    # explicit `default` on the Service, defaulted on the Deployment: the same namespace
    explicit_default = service("namespace: default") + deployment(port="web")
    assert [f[:3] for f in summary(lint(explicit_default), RULE)] == [(RULE, 12, 19)]
    # the `namespace` setting moves the Deployment (and not the Service) to `shop`
    assert summary(lint(explicit_default, namespace="shop"), RULE) == []
    # both defaulted to the `namespace` setting: the same namespace, and named so
    report = lint(service() + deployment(port="web"), namespace="shop")
    assert summary(report, RULE) == [(
        RULE, 12, 19,
        "targetPort 'http' (TCP) is not a named container port of any pod template this Service selects, so its pods get no "
        "traffic on port 80: Deployment shop/web names web (8080/TCP)",
    )]
    # both explicitly in the same non-default namespace
    same = service("namespace: shop") + deployment(port="web", namespace="namespace: shop")
    assert [f[:3] for f in summary(lint(same), RULE)] == [(RULE, 12, 19)]


def test_templates_in_another_namespace_do_not_count(lint):
    # the only lacking template is in another namespace: not this Service's pods
    other = service("namespace: shop") + deployment(port="web", namespace="namespace: staging")
    assert summary(lint(other), RULE) == []
    # a good template here and a lacking one elsewhere: clean, and not "1 of the 2"
    mixed = (service("namespace: shop") + deployment(port="http", namespace="namespace: shop")
             + deployment(port="web", namespace="namespace: staging"))
    assert summary(lint(mixed), RULE) == []
    # a lacking template here and a good one elsewhere: reported
    mixed = (service("namespace: shop") + deployment(port="web", namespace="namespace: shop")
             + deployment(port="http", namespace="namespace: staging"))
    assert summary(lint(mixed), RULE) == [(
        RULE, 12, 19,
        "targetPort 'http' (TCP) is not a named container port of any pod template this Service selects, so its pods get no "
        "traffic on port 80: Deployment shop/web names web (8080/TCP)",
    )]


def test_selector_picks_only_templates_carrying_all_its_labels(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web, tier: frontend}
          ports: [{port: 80, targetPort: http}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: frontend, labels: {app: web, tier: frontend, version: v2}}
        spec:
          containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: backend, labels: {app: web, tier: backend}}
        spec:
          containers: [{name: api, image: api:1, ports: [{name: grpc, containerPort: 9000}]}]
    """)
    assert summary(report) == []


def test_objects_inside_a_list(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports: [{port: 80, targetPort: http}]
          - apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: nginx
                      ports: [{name: web, containerPort: 8080}]
    """)
    assert summary(report, RULE) == [(
        RULE, 9, 38,
        "targetPort 'http' (TCP) is not a named container port of any pod template this Service selects, so its pods get no "
        "traffic on port 80: Deployment default/web names web (8080/TCP)",
    )]
    [related] = report.findings[0].related
    assert (related.line, related.column, related.object["kind"]) == (18, 11, "Deployment")
    fixed = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app: web}
              ports: [{port: 80, targetPort: http}]
          - apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: nginx
                      ports: [{name: http, containerPort: 8080}]
    """)
    assert summary(fixed) == []


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
        metadata:
          name: web
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
    assert summary(report, RULE) == [(
        RULE, 12, 19,
        "targetPort 'http' (TCP) is not a named container port of any pod template this Service selects, so its pods get no "
        "traffic on port 80: Deployment default/web names web (8080/TCP), web (8080/TCP)",
    )]


def test_objects_split_across_files_and_given_as_context(lint):
    files = {"service.yaml": service(), "deployment.yaml": deployment(port="web")}
    report = lint(files)
    assert [(f.file, f.line, f.column) for f in report.findings if f.rule == RULE] == [("service.yaml", 12, 19)]
    [related] = report.findings[0].related
    assert (related.file, related.line, related.column) == ("deployment.yaml", 14, 7)
    assert summary(lint({"service.yaml": service(), "deployment.yaml": deployment(port="http")})) == []
    # the pods given only as context are still checked against
    report = lint({"service.yaml": service()}, context={"deployment.yaml": deployment(port="web")})
    assert [(f.file, f.line, f.column) for f in report.findings if f.rule == RULE] == [("service.yaml", 12, 19)]
    assert report.findings[0].related[0].file == "deployment.yaml"
    assert summary(lint({"service.yaml": service()}, context={"deployment.yaml": deployment(port="http")})) == []
    # a Service given only as context is not reported
    report = lint({"deployment.yaml": deployment(port="web")}, context={"service.yaml": service()})
    assert summary(report, RULE) == []


def test_copies_of_one_workload_in_alternative_files_count_once(lint):
    # overlays: one copy names the port, so the workload's pods may carry it
    files = {"base.yaml": service() + deployment(port="web"), "overlay.yaml": deployment(port="http")}
    assert summary(lint(files), RULE) == []
    # both copies lack it: one template, described once
    files = {"base.yaml": service() + deployment(port="web"), "overlay.yaml": deployment(port="www")}
    assert summary(lint(files), RULE) == [(
        RULE, 12, 19,
        "targetPort 'http' (TCP) is not a named container port of any pod template this Service selects, so its pods get no "
        "traffic on port 80: Deployment default/web names web (8080/TCP)",
    )]


def test_pods_an_operator_creates_are_not_checked(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: prometheus}
        spec:
          selector: {prometheus: main}
          ports: [{port: 9090, targetPort: web}]
        ---
        apiVersion: monitoring.coreos.com/v1
        kind: Prometheus
        metadata: {name: main}
        spec: {replicas: 2}
    """, operator_pods={"monitoring.coreos.com/Prometheus": {"prometheus": "{name}"}})
    assert summary(report, RULE) == []


def test_every_long_running_workload_kind_is_checked(lint):
    kinds = {
        "ReplicaSet": "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: w}\nspec:\n"
                      "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
                      "    spec: {containers: [{name: c, image: i, ports: [{name: web, containerPort: 80}]}]}",
        "DaemonSet": "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: w}\nspec:\n"
                     "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
                     "    spec: {containers: [{name: c, image: i, ports: [{name: web, containerPort: 80}]}]}",
        "ReplicationController": "apiVersion: v1\nkind: ReplicationController\nmetadata: {name: w}\nspec:\n"
                                 "  selector: {app: web}\n  template:\n    metadata: {labels: {app: web}}\n"
                                 "    spec: {containers: [{name: c, image: i, ports: [{name: web, containerPort: 80}]}]}",
    }
    for kind, text in kinds.items():
        report = lint(service() + "---\n" + text)
        assert summary(report, RULE) == [(
            RULE, 12, 19,
            f"targetPort 'http' (TCP) is not a named container port of any pod template this Service selects, so its pods get "
            f"no traffic on port 80: {kind} default/w names web (80/TCP)",
        )], kind
