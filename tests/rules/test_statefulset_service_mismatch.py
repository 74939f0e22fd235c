"""statefulset-service-mismatch: a StatefulSet's serviceName must name a headless Service selecting its pods."""

import pytest
from rules.pod_selector_fixtures import list_of, service, stream, workload
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
  {selector}
  ports:
    - port: 5432
"""


def db_service(cluster_ip="clusterIP: None", selector="{app: db}", namespace=""):
    """Service db of 10 lines (its spec on line 6, column 1), without a selector key if `selector` is None."""
    return SERVICE.format(cluster_ip=cluster_ip, selector="" if selector is None else f"selector: {selector}",
                          namespace=f"namespace: {namespace}" if namespace else "")


def statefulset(service_name="db", namespace="", replicas=3, meta=""):
    """StatefulSet db of 3 `replicas`, its pods labelled app=db; its serviceName on line 5, column 16."""
    return workload("StatefulSet", "db", "{app: db}", namespace=namespace, meta=meta,
                    fields=(f"serviceName: {service_name}", f"replicas: {replicas}"),
                    pod_spec="{containers: [{name: db, image: postgres:16}]}")


def manifests(cluster_ip="clusterIP: None", selector="{app: db}", service_namespace="", statefulset_namespace="",
              replicas=3):
    """db_service and statefulset: the StatefulSet's serviceName is on line 16, column 16."""
    return stream(db_service(cluster_ip, selector, service_namespace),
                  statefulset("db", statefulset_namespace, replicas))


def other_service(name="web", namespace=""):
    return service(name, "{app: web}", namespace=namespace)


def not_headless(namespace="default", pod="db-0"):
    return (f"Service db is not headless (it needs clusterIP: None): the pods get no stable DNS names such as "
            f"{pod}.db.{namespace}.svc")


def no_service(namespace, name="db"):
    """The message for a serviceName `name` that names no Service in `namespace`, which holds others."""
    return (f"serviceName '{name}' names no Service in namespace '{namespace}' (which holds other Services): the pods "
            f"get no stable DNS names such as db-0.{name}.{namespace}.svc, which matters if anything addresses them so")


def findings(report):
    return [f for f in report.findings if f.rule == RULE]


# --- the Service is not headless ------------------------------------------------------------------


@pytest.mark.parametrize("cluster_ip", ["type: ClusterIP", "clusterIP: 10.96.0.20", "type: NodePort",
                                        "clusterIP: ''", "type: LoadBalancer"])
def test_service_that_is_not_headless_is_reported_at_the_service_name(lint, cluster_ip):
    report = lint(manifests(cluster_ip=cluster_ip))
    assert summary(report, RULE) == [(RULE, 16, 16, "Service db is not headless (it needs clusterIP: None): the pods "
                                                    "get no stable DNS names such as db-0.db.default.svc")]
    finding = findings(report)[0]
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


@pytest.mark.parametrize(("selector", "needs"), [
    ("{app: database, role: primary}", "app=database, role=primary"),
    ("{app: db, role: primary}", "role=primary"),  # only the labels the pods lack are named
    # the pod-name label of another StatefulSet's pod
    ("{statefulset.kubernetes.io/pod-name: cache-0}", "statefulset.kubernetes.io/pod-name=cache-0"),
])
def test_headless_service_that_does_not_select_the_pods_names_the_labels_it_needs(lint, selector, needs):
    report = lint(manifests(selector=selector))
    assert summary(report, RULE) == [(
        RULE, 16, 16,
        f"Service db does not select this StatefulSet's pods (it needs {needs}): the pods get no stable DNS names "
        "such as db-0.db.default.svc",
    )]
    finding = findings(report)[0]
    assert finding.severity == "warning"
    assert [(r.line, r.column, r.object["kind"], r.message) for r in finding.related] == [
        (6, 1, "Service", "the Service")]


@pytest.mark.parametrize("replicas", [3, 1])
def test_a_service_selecting_one_pod_by_its_pod_name_is_reported(lint, replicas):
    # a headless Service's DNS records are those of the pods it selects: with replicas: 3, db-1 and db-2 get
    # none; with replicas: 1, the pods a scale-up adds get none
    report = lint(manifests(selector="{statefulset.kubernetes.io/pod-name: db-0}", replicas=replicas))
    assert summary(report, RULE) == [(RULE, 16, 16, "Service db selects only some of the pods this StatefulSet may "
                                                    "run (statefulset.kubernetes.io/pod-name=db-0): the others get no "
                                                    "stable DNS names")]


@pytest.mark.parametrize("selector", [
    "{}",  # an empty selector map is no selector: endpoints are managed by hand
    None,  # endpoints managed by hand (EndpointSlices with hostnames) can still give the pods their names
])
def test_headless_service_with_an_empty_or_no_selector_is_not_judged(lint, selector):
    assert summary(lint(manifests(selector=selector)), RULE) == []


def test_a_service_without_a_selector_must_still_be_headless(lint):
    report = lint(manifests(cluster_ip="type: ClusterIP", selector=None))
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 16, 16)]


# --- the Service is missing ---------------------------------------------------------------------------


def test_missing_service_is_judged_only_where_the_manifests_hold_services(lint):
    assert summary(lint(statefulset()), RULE) == []
    report = lint(stream(statefulset(), other_service()))
    assert summary(report, RULE) == [(
        RULE, 5, 16,
        "serviceName 'db' names no Service in namespace 'default' (which holds other Services): the pods get no "
        "stable DNS names such as db-0.db.default.svc, which matters if anything addresses them so",
    )]
    # the StatefulSet runs without it: reported one level lower
    [finding] = findings(report)
    assert (finding.severity, finding.path, finding.related) == ("info", "/spec/serviceName", ())


def test_missing_service_suggests_a_close_name(lint):
    # (only from the StatefulSet's namespace: the 'postgres' in shop is not meant)
    report = lint(stream(statefulset("postgres", "queue"), other_service("postgres-hl", "queue"),
                         other_service("postgres", "shop")))
    assert summary(report, RULE) == [(RULE, 5, 16, no_service("queue", "postgres") + "; did you mean 'postgres-hl'?")]


def test_services_of_other_groups_do_not_count(lint):
    report = lint(stream(statefulset(), other_service(), """
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata: {name: db}
        spec: {template: {spec: {containers: [{image: db}]}}}
        """))
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 5, 16)]


# --- namespaces -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("service_namespace", "statefulset_namespace"), [("default", ""), ("", "default"),
                                                                          ("shop", "shop")])
def test_explicit_and_defaulted_namespaces_match(lint, service_namespace, statefulset_namespace):
    assert summary(lint(manifests(service_namespace=service_namespace, statefulset_namespace=statefulset_namespace)),
                   RULE) == []
    report = lint(manifests(cluster_ip="type: ClusterIP", service_namespace=service_namespace,
                            statefulset_namespace=statefulset_namespace))
    assert summary(report, RULE) == [(RULE, 16, 16, not_headless(service_namespace or statefulset_namespace))]


def test_a_service_in_another_namespace_does_not_count(lint):
    # both namespaces are declared: the finding is not doubtful
    report = lint(stream(manifests(service_namespace="shop", statefulset_namespace="queue"),
                         other_service("web", "queue")))
    assert summary(report, RULE) == [(RULE, 16, 16, no_service("queue"))]
    # and a Service of that name in the StatefulSet's namespace is the one judged
    report = lint(stream(manifests(service_namespace="shop"), db_service("type: ClusterIP")))
    assert [f[3] for f in summary(report, RULE)] == [not_headless()]


def test_doubtful_namespace_defaulting_is_said_and_suggests_namespace(lint):
    # the StatefulSet has no namespace and its Service is in 'shop': applied with -n shop they would match
    text = stream(manifests(service_namespace="shop"), other_service())
    report = lint(text)
    assert summary(report, RULE) == [(
        RULE, 16, 16,
        "serviceName 'db' names no Service in namespace 'default' (which holds other Services): the pods get no "
        "stable DNS names such as db-0.db.default.svc, which matters if anything addresses them so; a Service of "
        "that name is in namespace 'shop', and StatefulSet db has no namespace, so it is checked as in 'default': if "
        "they are applied to one namespace, pass it with --namespace",
    )]
    assert [f.severity for f in findings(report)] == ["info"]
    # which is what --namespace settles
    assert summary(lint(text, namespace="shop"), RULE) == []


def test_doubtful_namespace_when_the_service_has_none(lint):
    report = lint(stream(manifests(statefulset_namespace="shop"), other_service("dbs", "shop")))
    assert [(f.severity, f.line, f.column, f.message) for f in findings(report)] == [(
        "info", 16, 16,
        no_service("shop") + "; a Service of that name is in namespace 'default', and Service db has no namespace, so "
        "it is checked as in 'default': if they are applied to one namespace, pass it with --namespace",
    )]  # (the namespace note replaces the suggestion of 'dbs')


def test_the_namespace_option_is_the_default_namespace(lint):
    report = lint(manifests(cluster_ip="type: ClusterIP"), namespace="shop")
    assert [f[3] for f in summary(report, RULE)] == [not_headless("shop")]
    assert summary(lint(manifests(service_namespace="shop"), namespace="shop"), RULE) == []
    # an explicit namespace is kept
    report = lint(stream(manifests(service_namespace="default"), other_service()), namespace="shop")
    assert [(f.severity, f.line, f.column) for f in findings(report)] == [("info", 16, 16)]
    assert "names no Service in namespace 'shop'" in summary(report, RULE)[0][3]


# --- how manifests are written --------------------------------------------------------------------


def test_list_items_are_checked_at_their_own_positions(lint):
    report = lint(list_of(service("db", "{app: db}", fields=("ports: [{port: 5432}]",)),
                          workload("StatefulSet", "db", "{app: db}", fields=("serviceName: db",))))
    assert summary(report, RULE) == [(RULE, 12, 20, not_headless())]
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
    assert summary(lint({"service.yaml": db_service(), "statefulset.yaml": statefulset()})) == []
    assert summary(lint({"statefulset.yaml": statefulset()}, context={"service.yaml": db_service()})) == []
    report = lint({"statefulset.yaml": statefulset()}, context={"service.yaml": db_service("type: ClusterIP")})
    assert [(f.rule, f.file, f.line, f.column) for f in report.findings] == [(RULE, "statefulset.yaml", 5, 16)]
    [related] = report.findings[0].related
    assert (related.file, related.line, related.column) == ("service.yaml", 6, 1)


def test_statefulsets_in_context_files_are_not_reported(lint):
    report = lint({"service.yaml": db_service("type: ClusterIP")}, context={"statefulset.yaml": statefulset()})
    assert summary(report, RULE) == []


def test_any_copy_of_the_service_may_satisfy_it(lint):
    headless, plain = db_service(), db_service("type: ClusterIP")
    report = lint({"base/service.yaml": plain, "overlay/service.yaml": headless, "statefulset.yaml": statefulset()})
    assert summary(report, RULE) == []
    report = lint({"a/service.yaml": plain, "b/service.yaml": plain, "statefulset.yaml": statefulset()})
    assert [(f.file, f.line, f.column) for f in findings(report)] == [("statefulset.yaml", 5, 16)]
    assert [r.file for r in findings(report)[0].related] == ["a/service.yaml"]


# --- what is not judged ---------------------------------------------------------------------------


@pytest.mark.parametrize("service_name", ['""', "null", "[db]"])
def test_absent_or_empty_service_name_is_not_judged(lint, service_name):
    report = lint(stream(statefulset(service_name), other_service()))
    assert summary(report, RULE) == []


def test_statefulsets_of_other_groups_are_not_judged(lint):
    report = lint(stream(workload("StatefulSet", "db", "{app: db}", api_version="apps.kruise.io/v1beta1",
                                  fields=("serviceName: db",)),
                         service("db", "{app: db}")))
    assert summary(report, RULE) == []


def test_unnamed_statefulset(lint):
    report = lint(stream(db_service("type: ClusterIP"), statefulset(meta="{generateName: db-}")))
    assert [f[3] for f in summary(report, RULE)] == [not_headless(pod="name-0")]
