"""orphan-service: Services whose selector selects no pod template in their namespace."""

from support import crd, summary

SERVICE = """
apiVersion: v1
kind: Service
metadata:
  name: web
  {namespace}
spec:
  selector:
    app: web
    tier: frontend
  ports:
    - port: 80
"""

DEPLOYMENT = """
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  {namespace}
spec:
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web, tier: {tier}}}
    spec:
      containers: [{{name: web, image: nginx}}]
"""


def test_service_without_pods_is_reported_at_its_selector(lint):
    report = lint(SERVICE.format(namespace=""))
    assert summary(report) == [("orphan-service", 7, 3, "Service web selects no pods: no pod template in namespace "
                                                        "'default' carries app=web,tier=frontend")]
    assert report.findings[0].path == "/spec/selector"
    assert report.findings[0].related == ()


def test_service_selecting_a_deployment_is_clean(lint):
    assert summary(lint(SERVICE.format(namespace="") + DEPLOYMENT.format(namespace="", tier="frontend"))) == []


def test_closest_template_and_missing_labels_are_named(lint):
    report = lint(SERVICE.format(namespace="") + DEPLOYMENT.format(namespace="", tier="backend"))
    assert summary(report) == [(
        "orphan-service", 7, 3,
        "Service web selects no pods: no pod template in namespace 'default' carries app=web,tier=frontend "
        "(closest: Deployment default/web lacks tier=frontend)",
    )]
    [related] = report.findings[0].related
    assert (related.file, related.line, related.column, related.object["name"]) == ("manifest.yaml", 24, 7, "web")


def test_namespaces_are_compared_after_defaulting(lint):
    explicit_default = SERVICE.format(namespace="namespace: default") + DEPLOYMENT.format(namespace="", tier="frontend")
    assert summary(lint(explicit_default)) == []
    other_namespace = SERVICE.format(namespace="namespace: shop") + DEPLOYMENT.format(namespace="", tier="frontend")
    assert [f[:3] for f in summary(lint(other_namespace))] == [("orphan-service", 7, 3)]
    assert [f[:3] for f in summary(lint(explicit_default, namespace="shop"))] == [("orphan-service", 7, 3)]


def test_pods_in_another_file_and_in_context_count(lint):
    files = {"service.yaml": SERVICE.format(namespace=""), "deployment.yaml": DEPLOYMENT.format(namespace="", tier="frontend")}
    assert summary(lint(files)) == []
    report = lint({"service.yaml": SERVICE.format(namespace="")},
                  context={"deployment.yaml": DEPLOYMENT.format(namespace="", tier="frontend")})
    assert summary(report) == []


def test_statefulset_pod_name_labels_select_its_pods(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: db-0}
        spec:
          selector: {statefulset.kubernetes.io/pod-name: db-0}
          ports: [{port: 5432}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: other-0}
        spec:
          selector: {statefulset.kubernetes.io/pod-name: other-0}
          ports: [{port: 5432}]
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: postgres}]}
    """)
    assert [f[:3] for f in summary(report, "orphan-service")] == [("orphan-service", 12, 3)]


def test_pod_template_hash_and_job_labels_count(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: pinned}
        spec:
          selector: {app: web, pod-template-hash: 5d4f7c9b8}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: job}
        spec:
          selector: {job-name: migrate}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: migrate}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: migrate, image: migrate:1}]
    """)
    assert summary(report) == []


def test_every_workload_kind_and_bare_pods_count(lint):
    templates = {
        "Pod": "apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: x}}\nspec: {containers: [{name: c, image: i}]}",
        "CronJob": "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: '* * * * *'\n"
                   "  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {app: x}}\n"
                   "        spec: {restartPolicy: Never, containers: [{name: c, image: i}]}",
        "DaemonSet": "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {app: x}}\n"
                     "  template:\n    metadata: {labels: {app: x}}\n    spec: {containers: [{name: c, image: i}]}",
    }
    service = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {app: x}}\n---\n"
    for kind, text in templates.items():
        assert summary(lint(service + text)) == [], kind


def test_services_without_selector_and_external_names_are_skipped(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: manual}
        spec:
          ports: [{port: 80}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: empty}
        spec:
          selector: {}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: db}
        spec:
          type: ExternalName
          externalName: db.example.com
          selector: {app: db}
    """)
    assert summary(report) == []


PROMETHEUS_SERVICE = """
    apiVersion: v1
    kind: Service
    metadata: {name: prometheus}
    spec:
      selector: {prometheus: main}
    ---
    apiVersion: monitoring.coreos.com/v1
    kind: Prometheus
    metadata: {name: main}
    spec: {replicas: 2}
"""


def test_custom_resources_that_may_create_the_pods_lower_the_severity(lint):
    report = lint(PROMETHEUS_SERVICE)
    assert [(f.rule, f.severity, f.line, f.column, f.message) for f in report.findings if f.rule != "unknown-kind"] == [(
        "orphan-service", "info", 5, 3,
        "Service prometheus selects no pods: no pod template in namespace 'default' carries prometheus=main; the "
        "namespace also holds custom resources (Prometheus main) whose operator may create such pods (declare them "
        "in `operator-pods` to check exactly)",
    )]


def test_operator_pods_declared_in_the_config_are_selected(lint):
    declared = {"monitoring.coreos.com/Prometheus": {"prometheus": "{name}", "app.kubernetes.io/name": "prometheus"}}
    assert summary(lint(PROMETHEUS_SERVICE, operator_pods=declared), "orphan-service") == []
    # a Service for another Prometheus is an orphan, for certain
    report = lint(PROMETHEUS_SERVICE.replace("prometheus: main}", "prometheus: other}"), operator_pods=declared)
    assert [(f.severity, f.message) for f in report.findings if f.rule == "orphan-service"] == [(
        "warning", "Service prometheus selects no pods: no pod template in namespace 'default' carries "
                   "prometheus=other")]


def test_custom_resources_whose_crd_shows_no_pods_are_not_counted(lint):
    service_monitor = crd("ServiceMonitor", "{type: object, properties: {spec: {type: object, properties: "
                                            "{selector: {type: object, x-kubernetes-preserve-unknown-fields: true}, "
                                            "endpoints: {type: array}}}}}",
                          group="monitoring.coreos.com")
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
        ---
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata: {name: web}
        spec: {selector: {matchLabels: {app: web}}}
    """, context={"crd.yaml": service_monitor})
    assert [(f.severity, f.message) for f in report.findings] == [(
        "warning", "Service web selects no pods: no pod template in namespace 'default' carries app=web")]


def test_custom_resources_known_to_run_no_pods_do_not_make_it_uncertain(lint):
    # A ServiceMonitor configures scraping; an HTTPRoute routes: neither makes pods.
    report = lint(SERVICE.format(namespace="") + """
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: web}
spec: {selector: {matchLabels: {app: web}}, endpoints: [{port: http}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web}
spec: {rules: [{backendRefs: [{name: web, port: 80}]}]}
""")
    assert [(f.rule, f.severity) for f in report.findings if f.rule == "orphan-service"] == [
        ("orphan-service", "warning")]
