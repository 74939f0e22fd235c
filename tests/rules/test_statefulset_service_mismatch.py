"""statefulset-service-mismatch: a StatefulSet's serviceName must name a headless Service selecting its pods."""

import pytest
from support import summary

RULE = "statefulset-service-mismatch"

SERVICE = """
apiVersion: v1
kind: Service
metadata:
  name: db
  {namespace}
spec:
  {cluster_ip}
  selector:
    app: db
  ports:
    - port: 5432
"""

STATEFULSET = """
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  {namespace}
spec:
  serviceName: {service_name}
  replicas: 3
  selector:
    matchLabels: {{app: db}}
  template:
    metadata:
      labels: {{app: db}}
    spec:
      containers: [{{name: db, image: postgres:16}}]
"""

OTHER_SERVICE = """
---
apiVersion: v1
kind: Service
metadata:
  name: web
  {namespace}
spec:
  selector: {{app: web}}
"""


def manifests(cluster_ip="clusterIP: None", service_name="db", service_namespace="", statefulset_namespace=""):
    return (SERVICE.format(namespace=service_namespace, cluster_ip=cluster_ip)
            + STATEFULSET.format(namespace=statefulset_namespace, service_name=service_name))


# --- the Service is not headless ------------------------------------------------------------------


@pytest.mark.parametrize("cluster_ip", ["type: ClusterIP", "clusterIP: 10.96.0.20", "type: NodePort",
                                        "clusterIP: ''", "type: LoadBalancer"])
def test_service_that_is_not_headless_is_reported_at_the_service_name(lint, cluster_ip):
    report = lint(manifests(cluster_ip=cluster_ip))
    assert summary(report, RULE) == [(RULE, 20, 16, "Service db is not headless (it needs clusterIP: None): the pods "
                                                    "get no stable DNS names such as db-0.db.default.svc")]
    finding = [f for f in report.findings if f.rule == RULE][0]
    assert (finding.severity, finding.path) == ("warning", "/spec/serviceName")
    assert finding.object == {"apiVersion": "apps/v1", "kind": "StatefulSet", "namespace": "default", "name": "db"}
    assert [(r.file, r.line, r.column, r.object["kind"], r.object["name"], r.message) for r in finding.related] == [
        ("manifest.yaml", 6, 1, "Service", "db", "the Service")]


def test_headless_service_selecting_the_pods_is_clean(lint):
    assert summary(lint(manifests())) == []


def test_a_clean_realistic_set(lint):
    report = lint("""
        apiVersion: v1
        kind: Service
        metadata: {name: kafka-headless, namespace: queue}
        spec:
          clusterIP: None
          publishNotReadyAddresses: true
          selector: {app.kubernetes.io/name: kafka}
          ports: [{name: broker, port: 9092}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: kafka, namespace: queue}
        spec:
          selector: {app.kubernetes.io/name: kafka}
          ports: [{name: broker, port: 9092}]
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: kafka, namespace: queue}
        spec:
          serviceName: kafka-headless
          replicas: 3
          selector: {matchLabels: {app.kubernetes.io/name: kafka}}
          template:
            metadata: {labels: {app.kubernetes.io/name: kafka, app.kubernetes.io/component: broker}}
            spec:
              containers:
                - name: kafka
                  image: apache/kafka:3.8.0
                  ports: [{name: broker, containerPort: 9092}]
    """)
    assert summary(report) == []


# --- the headless Service selects other pods ----------------------------------------------------------


def test_headless_service_that_does_not_select_the_pods_names_the_labels_it_needs(lint):
    report = lint(manifests().replace("    app: db\n  ports", "    app: database\n    role: primary\n  ports"))
    assert summary(report, RULE) == [(
        RULE, 21, 16,
        "Service db does not select this StatefulSet's pods (it needs app=database, role=primary): the pods get no "
        "stable DNS names such as db-0.db.default.svc",
    )]
    finding = [f for f in report.findings if f.rule == RULE][0]
    assert finding.severity == "warning"
    assert [(r.line, r.column, r.object["kind"], r.message) for r in finding.related] == [(6, 1, "Service", "the Service")]


def test_only_the_labels_the_pods_lack_are_named(lint):
    report = lint(manifests().replace("    app: db\n  ports", "    app: db\n    role: primary\n  ports"))
    assert [f[3] for f in summary(report, RULE)] == [
        "Service db does not select this StatefulSet's pods (it needs role=primary): the pods get no stable DNS "
        "names such as db-0.db.default.svc"]


def test_pod_name_labels_of_another_statefulset_do_not_select_the_pods(lint):
    report = lint(manifests().replace("    app: db\n  ports", "    statefulset.kubernetes.io/pod-name: cache-0\n  ports"))
    assert [f[3] for f in summary(report, RULE)] == [
        "Service db does not select this StatefulSet's pods (it needs statefulset.kubernetes.io/pod-name=cache-0): "
        "the pods get no stable DNS names such as db-0.db.default.svc"]


@pytest.mark.parametrize("replicas", [3, 1])
def test_a_service_selecting_one_pod_by_its_pod_name_is_reported(lint, replicas):
    # a headless Service's DNS records are those of the pods it selects: with replicas: 3, db-1 and db-2 get
    # none; with replicas: 1, the pods a scale-up adds get none
    scaled = manifests().replace("replicas: 3", f"replicas: {replicas}")
    report = lint(scaled.replace("    app: db\n  ports", "    statefulset.kubernetes.io/pod-name: db-0\n  ports"))
    assert summary(report, RULE) == [(RULE, 20, 16, "Service db selects only some of the pods this StatefulSet may "
                                                    "run (statefulset.kubernetes.io/pod-name=db-0): the others get no "
                                                    "stable DNS names")]


def test_headless_service_with_an_empty_selector_is_not_judged(lint):
    # an empty selector map is no selector: endpoints are managed by hand
    report = lint(manifests().replace("  selector:\n    app: db\n", "  selector: {}\n"))
    assert summary(report, RULE) == []


def test_headless_service_without_a_selector_key_is_not_judged(lint):
    # endpoints managed by hand (EndpointSlices with hostnames) can still give the pods their names
    report = lint(manifests().replace("  selector:\n    app: db\n", ""))
    assert summary(report, RULE) == []


def test_a_service_without_a_selector_must_still_be_headless(lint):
    report = lint(manifests(cluster_ip="type: ClusterIP").replace("  selector:\n    app: db\n", ""))
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 18, 16)]


# --- the Service is missing ---------------------------------------------------------------------------


def test_missing_service_is_judged_only_where_the_manifests_hold_services(lint):
    assert summary(lint(STATEFULSET.format(namespace="", service_name="db")), RULE) == []
    report = lint(STATEFULSET.format(namespace="", service_name="db") + OTHER_SERVICE.format(namespace=""))
    assert summary(report, RULE) == [(
        RULE, 8, 16,
        "serviceName 'db' names no Service in namespace 'default' (which holds other Services): the pods get no "
        "stable DNS names such as db-0.db.default.svc, which matters if anything addresses them so",
    )]
    # the StatefulSet runs without it: reported one level lower
    [finding] = [f for f in report.findings if f.rule == RULE]
    assert (finding.severity, finding.path, finding.related) == ("info", "/spec/serviceName", ())


def test_missing_service_suggests_a_close_name(lint):
    # (only from the StatefulSet's namespace: the 'postgres' in shop is not meant)
    report = lint(STATEFULSET.format(namespace="namespace: queue", service_name="postgres")
                  + OTHER_SERVICE.format(namespace="namespace: queue").replace("name: web", "name: postgres-hl")
                  + OTHER_SERVICE.format(namespace="namespace: shop").replace("name: web", "name: postgres"))
    assert summary(report, RULE) == [(
        RULE, 8, 16,
        "serviceName 'postgres' names no Service in namespace 'queue' (which holds other Services): the pods get "
        "no stable DNS names such as db-0.postgres.queue.svc, which matters if anything addresses them so; did "
        "you mean 'postgres-hl'?",
    )]


def test_services_of_other_groups_do_not_count(lint):
    knative = ("---\napiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: db}\n"
               "spec: {template: {spec: {containers: [{image: db}]}}}\n")
    report = lint(STATEFULSET.format(namespace="", service_name="db") + OTHER_SERVICE.format(namespace="") + knative)
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 8, 16)]


# --- namespaces -----------------------------------------------------------------------------------


def test_explicit_and_defaulted_namespaces_match(lint):
    assert summary(lint(manifests(service_namespace="namespace: default")), RULE) == []
    assert summary(lint(manifests(statefulset_namespace="namespace: default")), RULE) == []
    assert summary(lint(manifests(service_namespace="namespace: shop", statefulset_namespace="namespace: shop")),
                   RULE) == []
    report = lint(manifests(cluster_ip="type: ClusterIP", service_namespace="namespace: shop",
                            statefulset_namespace="namespace: shop"))
    assert [f[:3] + (f[3].split(": the pods")[1],) for f in summary(report, RULE)] == [
        (RULE, 20, 16, " get no stable DNS names such as db-0.db.shop.svc")]


def test_a_service_in_another_namespace_does_not_count(lint):
    # both namespaces are declared: the finding is not doubtful
    text = (manifests(service_namespace="namespace: shop", statefulset_namespace="namespace: queue")
            + OTHER_SERVICE.format(namespace="namespace: queue"))
    report = lint(text)
    assert summary(report, RULE) == [(
        RULE, 20, 16,
        "serviceName 'db' names no Service in namespace 'queue' (which holds other Services): the pods get no "
        "stable DNS names such as db-0.db.queue.svc, which matters if anything addresses them so",
    )]
    # and a Service of that name in the StatefulSet's namespace is the one judged
    plain_here = "---" + SERVICE.format(namespace="", cluster_ip="type: ClusterIP")
    report = lint(manifests(service_namespace="namespace: shop") + plain_here)
    assert [f[3] for f in summary(report, RULE)] == [
        "Service db is not headless (it needs clusterIP: None): the pods get no stable DNS names such as "
        "db-0.db.default.svc"]


def test_doubtful_namespace_defaulting_is_said_and_suggests_namespace(lint):
    # the StatefulSet has no namespace and its Service is in 'shop': applied with -n shop they would match
    report = lint(manifests(service_namespace="namespace: shop") + OTHER_SERVICE.format(namespace=""))
    assert summary(report, RULE) == [(
        RULE, 20, 16,
        "serviceName 'db' names no Service in namespace 'default' (which holds other Services): the pods get no "
        "stable DNS names such as db-0.db.default.svc, which matters if anything addresses them so; a Service of "
        "that name is in namespace 'shop', and StatefulSet db has no namespace, so it is checked as in 'default': if "
        "they are applied to one namespace, pass it with --namespace",
    )]
    assert [f.severity for f in report.findings if f.rule == RULE] == ["info"]
    # which is what --namespace settles
    assert summary(lint(manifests(service_namespace="namespace: shop") + OTHER_SERVICE.format(namespace=""),
                        namespace="shop"), RULE) == []


def test_doubtful_namespace_when_the_service_has_none(lint):
    report = lint(manifests(statefulset_namespace="namespace: shop")
                  + OTHER_SERVICE.format(namespace="namespace: shop").replace("name: web", "name: dbs"))
    assert [(f.severity, f.line, f.column, f.message) for f in report.findings if f.rule == RULE] == [(
        "info", 20, 16,
        "serviceName 'db' names no Service in namespace 'shop' (which holds other Services): the pods get no stable "
        "DNS names such as db-0.db.shop.svc, which matters if anything addresses them so; a Service of that name is "
        "in namespace 'default', and Service db has no namespace, so it is checked as in 'default': if they are "
        "applied to one namespace, pass it with --namespace",
    )]  # (the namespace note replaces the suggestion of 'dbs')


def test_the_namespace_option_is_the_default_namespace(lint):
    report = lint(manifests(cluster_ip="type: ClusterIP"), namespace="shop")
    assert [f[3] for f in summary(report, RULE)] == [
        "Service db is not headless (it needs clusterIP: None): the pods get no stable DNS names such as "
        "db-0.db.shop.svc"]
    assert summary(lint(manifests(service_namespace="namespace: shop"), namespace="shop"), RULE) == []
    # an explicit namespace is kept
    report = lint(manifests(service_namespace="namespace: default") + OTHER_SERVICE.format(namespace=""),
                  namespace="shop")
    assert [(f.severity, f.line, f.column) for f in report.findings if f.rule == RULE] == [("info", 20, 16)]
    assert "names no Service in namespace 'shop'" in summary(report, RULE)[0][3]


# --- how manifests are written --------------------------------------------------------------------


def test_list_items_are_checked_at_their_own_positions(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: Service
            metadata: {name: db}
            spec: {selector: {app: db}, ports: [{port: 5432}]}
          - apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec:
              serviceName: db
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec: {containers: [{name: db, image: postgres}]}
    """)
    assert summary(report, RULE) == [(RULE, 12, 20, "Service db is not headless (it needs clusterIP: None): the pods "
                                                    "get no stable DNS names such as db-0.db.default.svc")]
    [related] = report.findings[0].related
    assert (related.line, related.column, related.object["kind"]) == (7, 5, "Service")


def test_anchors_and_merge_keys_supply_labels(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: Service
            metadata: {name: db}
            spec:
              clusterIP: None
              selector: &labels {app: db, component: primary}
          - apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: primary}
            spec:
              serviceName: db
              selector: {matchLabels: *labels}
              template:
                metadata:
                  labels:
                    <<: *labels
                    version: "16"
                spec: {containers: [{name: db, image: postgres}]}
          - apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: replica}
            spec:
              serviceName: db
              selector: {matchLabels: {app: db, component: replica}}
              template:
                metadata:
                  labels:
                    <<: *labels
                    component: replica
                spec: {containers: [{name: db, image: postgres}]}
    """)
    # keys written next to a merge key override the merged ones
    assert summary(report, RULE) == [(RULE, 26, 20, "Service db does not select this StatefulSet's pods (it needs "
                                                    "component=primary): the pods get no stable DNS names such as "
                                                    "replica-0.db.default.svc")]


def test_services_in_another_file_and_in_context_count(lint):
    service = SERVICE.format(namespace="", cluster_ip="clusterIP: None")
    statefulset = STATEFULSET.format(namespace="", service_name="db").replace("\n---\n", "", 1)
    assert summary(lint({"service.yaml": service, "statefulset.yaml": statefulset})) == []
    assert summary(lint({"statefulset.yaml": statefulset}, context={"service.yaml": service})) == []
    report = lint({"statefulset.yaml": statefulset},
                  context={"service.yaml": service.replace("clusterIP: None", "type: ClusterIP")})
    assert [(f.rule, f.file, f.line, f.column) for f in report.findings] == [(RULE, "statefulset.yaml", 7, 16)]
    [related] = report.findings[0].related
    assert (related.file, related.line, related.column) == ("service.yaml", 6, 1)


def test_statefulsets_in_context_files_are_not_reported(lint):
    report = lint({"service.yaml": SERVICE.format(namespace="", cluster_ip="type: ClusterIP")},
                  context={"statefulset.yaml": STATEFULSET.format(namespace="", service_name="db")})
    assert summary(report, RULE) == []


def test_any_copy_of_the_service_may_satisfy_it(lint):
    headless = SERVICE.format(namespace="", cluster_ip="clusterIP: None")
    plain = SERVICE.format(namespace="", cluster_ip="type: ClusterIP")
    statefulset = STATEFULSET.format(namespace="", service_name="db")
    report = lint({"base/service.yaml": plain, "overlay/service.yaml": headless, "statefulset.yaml": statefulset})
    assert summary(report, RULE) == []
    report = lint({"a/service.yaml": plain, "b/service.yaml": plain, "statefulset.yaml": statefulset})
    assert [(f.file, f.line, f.column) for f in report.findings if f.rule == RULE] == [("statefulset.yaml", 8, 16)]
    assert [r.file for r in [f for f in report.findings if f.rule == RULE][0].related] == ["a/service.yaml"]


# --- what is not judged ---------------------------------------------------------------------------


@pytest.mark.parametrize("service_name", ['""', "null", "[db]"])
def test_absent_or_empty_service_name_is_not_judged(lint, service_name):
    report = lint(STATEFULSET.format(namespace="", service_name=service_name) + OTHER_SERVICE.format(namespace=""))
    assert summary(report, RULE) == []


def test_statefulsets_of_other_groups_are_not_judged(lint):
    report = lint("""
        apiVersion: apps.kruise.io/v1beta1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: postgres}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: db}
        spec: {selector: {app: db}}
    """)
    assert summary(report, RULE) == []


def test_unnamed_statefulset(lint):
    report = lint(manifests(cluster_ip="type: ClusterIP").replace("  name: db\n  \nspec:\n  serviceName",
                                                                  "  generateName: db-\n  \nspec:\n  serviceName"))
    assert [f[3] for f in summary(report, RULE)] == [
        "Service db is not headless (it needs clusterIP: None): the pods get no stable DNS names such as "
        "name-0.db.default.svc"]
