"""networkpolicy-no-match: NetworkPolicies whose podSelector selects no pod template in their namespace."""

import pytest
from rules.pod_selector_fixtures import PROMETHEUS, list_of, network_policy, pod, service, stream, workload
from support import crd, summary

RULE = "networkpolicy-no-match"

POLICY = """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db
  {namespace}
spec:
  podSelector:
    matchLabels:
      app: db
      tier: {tier}
  policyTypes: [Ingress]
"""


def policy(tier="backend", namespace=""):
    """NetworkPolicy db selecting app=db,tier=`tier` (its podSelector on line 7, column 3)."""
    return POLICY.format(tier=tier, namespace=f"namespace: {namespace}" if namespace else "")


def statefulset(namespace=""):
    """StatefulSet db, its pods labelled app=db,tier=backend (on line 8, column 16 of a file of its own)."""
    return workload("StatefulSet", "db", "{app: db, tier: backend}", "{matchLabels: {app: db}}", namespace=namespace,
                    fields=("serviceName: db",), pod_spec="{containers: [{name: db, image: postgres:16}]}")


def unrelated(namespace=""):
    """Deployment cache, its pods labelled app=cache: a workload no policy here selects, nor shares a label with,
    so that the policies of its namespace are judged (a namespace without pod templates is not)."""
    return workload("Deployment", "cache", "{app: cache}", namespace=namespace)


def no_pods(name, selector, namespace="default"):
    """The message for NetworkPolicy `name` whose `selector` selects no pod template in `namespace`."""
    return f"NetworkPolicy {name} applies to no pods: no pod template in namespace '{namespace}' carries {selector}"


def graded(report):
    """(severity, line, column, message) of the report's findings of this rule."""
    return [(f.severity, f.line, f.column, f.message) for f in report.findings if f.rule == RULE]


def test_policy_without_pods_is_reported_at_its_pod_selector(lint):
    report = lint(stream(policy(), unrelated()))
    assert summary(report) == [(RULE, 7, 3, "NetworkPolicy db applies to no pods: no pod template in namespace "
                                            "'default' carries app=db,tier=backend")]
    [finding] = report.findings
    assert (finding.severity, finding.path, finding.related) == ("warning", "/spec/podSelector", ())
    assert finding.object == {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "namespace": "default",
                              "name": "db"}


def test_policy_selecting_a_statefulset_is_clean(lint):
    assert summary(lint(stream(policy(), statefulset()))) == []


def test_closest_template_and_missing_labels_are_named(lint):
    report = lint(stream(policy("database"), statefulset()))
    assert summary(report, RULE) == [(
        RULE, 7, 3, no_pods("db", "app=db,tier=database") + " (closest: StatefulSet default/db lacks tier=database)",
    )]
    [related] = report.findings[0].related
    assert (related.file, related.line, related.column, related.object["kind"], related.object["name"],
            related.message) == ("manifest.yaml", 20, 16, "StatefulSet", "db", "closest pod template's labels")


def test_a_clean_realistic_set(lint):
    report = lint(stream(
        workload("Deployment", "api", "{app: api}", namespace="shop", fields=("replicas: 2",),
                 pod_spec="{containers: [{name: api, image: api:1.0, ports: [{containerPort: 8080}]}]}"),
        service("api", "{app: api}", namespace="shop", fields=("ports: [{port: 80, targetPort: 8080}]",)),
        network_policy("default-deny", "{}", namespace="shop", fields=("policyTypes: [Ingress, Egress]",)),
        """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          podSelector:
            matchLabels: {app: api}
          ingress:
            - from:
                - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress}}
              ports: [{port: 8080}]
        """))
    assert summary(report) == []


# --- the empty selector ---------------------------------------------------------------------------


@pytest.mark.parametrize("selector", ["{}", "{matchLabels: {}}", "{matchLabels: {}, matchExpressions: []}", None])
def test_empty_or_absent_pod_selector_selects_every_pod_and_is_not_reported(lint, selector):
    # even in a namespace with no pod templates at all (judged for its custom resource, whose operator may create
    # pods): the policy is for whatever pods will come
    report = lint(stream(network_policy("deny-all", selector, fields=("policyTypes: [Ingress]",)), PROMETHEUS))
    assert summary(report, RULE) == []


def test_labels_written_directly_under_pod_selector_are_left_to_the_schema(lint):
    # `podSelector: {app: db}` is a LabelSelector with an unknown field: pruned, it would be empty
    report = lint(stream(network_policy("db", "{app: db}"), unrelated()))
    assert summary(report) == [("schema", 5, 17, 'unknown field "app" in LabelSelector')]


def test_invalid_selectors_are_not_judged_here(lint):
    report = lint(stream(network_policy(
        "db", "{matchLabels: {app: db}, matchExpressions: [{key: tier, operator: Equals, values: [x]}]}"), unrelated()))
    assert summary(report, RULE) == []


# --- matchExpressions ---------------------------------------------------------------------------

#: The pods, labelled app=web,tier=frontend (on line 13, column 16 after a policy of 5 lines).
PODS = workload("Deployment", "web", "{app: web, tier: frontend}", "{matchLabels: {app: web}}")


def policy_with(expressions: str, match_labels: str = "") -> str:
    """Policy p (podSelector on line 5, column 3) selecting by `expressions` and `match_labels`, and PODS."""
    selector = "{" + (f"matchLabels: {match_labels}, " if match_labels else "") + f"matchExpressions: {expressions}}}"
    return stream(network_policy("p", selector), PODS)


@pytest.mark.parametrize("expressions", [
    "[{key: tier, operator: In, values: [backend, frontend]}]",
    "[{key: tier, operator: NotIn, values: [backend]}]",
    "[{key: canary, operator: NotIn, values: ['true']}]",  # an absent label is not in any set
    "[{key: tier, operator: Exists}]",
    "[{key: canary, operator: DoesNotExist}]",
    "[{key: app, operator: In, values: [web]}, {key: tier, operator: Exists}, {key: canary, operator: DoesNotExist}]",
])
def test_match_expressions_that_select_the_pods_are_clean(lint, expressions):
    assert summary(lint(policy_with(expressions)), RULE) == []


@pytest.mark.parametrize(("expressions", "shown"), [
    ("[{key: tier, operator: In, values: [backend, cache]}]", "tier in (backend,cache)"),
    ("[{key: tier, operator: NotIn, values: [frontend]}]", "tier notin (frontend)"),
    ("[{key: canary, operator: Exists}]", "canary"),
    ("[{key: tier, operator: DoesNotExist}]", "!tier"),
    ("[{key: app, operator: In, values: [web]}, {key: tier, operator: In, values: [backend]}]",
     "app in (web),tier in (backend)"),
])
def test_match_expressions_that_select_nothing_are_reported(lint, expressions, shown):
    report = lint(policy_with(expressions))
    assert summary(report, RULE) == [(RULE, 5, 3, f"NetworkPolicy p applies to no pods: no pod template in namespace "
                                                  f"'default' carries {shown}")]


def test_match_labels_and_expressions_together_name_what_the_closest_template_lacks(lint):
    report = lint(policy_with("[{key: tier, operator: NotIn, values: [frontend]}, {key: canary, operator: Exists}]",
                              match_labels="{app: web}"))
    assert summary(report, RULE) == [(
        RULE, 5, 3,
        "NetworkPolicy p applies to no pods: no pod template in namespace 'default' carries app=web,tier notin "
        "(frontend),canary (closest: Deployment default/web lacks tier notin (frontend), canary)",
    )]
    assert [(r.line, r.column, r.object["name"]) for r in report.findings[0].related] == [(13, 16, "web")]


def test_labels_the_controllers_add_at_run_time_count(lint):
    report = lint(stream(
        network_policy("primary", "{matchLabels: {statefulset.kubernetes.io/pod-name: db-0}}"),
        network_policy("rolled-out", "{matchExpressions: [{key: pod-template-hash, operator: Exists}]}"),
        network_policy("migration", "{matchLabels: {job-name: migrate}}"),
        network_policy("never-hashed", "{matchLabels: {app: web}, "
                                       "matchExpressions: [{key: pod-template-hash, operator: DoesNotExist}]}"),
        workload("StatefulSet", "db", "{app: db}", fields=("serviceName: db",)),
        workload("Deployment", "web", "{app: web}"),
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: migrate}
        spec:
          template:
            spec: {restartPolicy: Never, containers: [{name: migrate, image: migrate:1}]}
        """))
    # every pod of a Deployment carries pod-template-hash, so only never-hashed selects nothing
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 23, 3)]


# --- namespaces ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("policy_namespace", "statefulset_namespace"), [("default", ""), ("", "default"),
                                                                          ("shop", "shop")])
def test_explicit_and_defaulted_namespaces_match(lint, policy_namespace, statefulset_namespace):
    assert summary(lint(stream(policy(namespace=policy_namespace), statefulset(statefulset_namespace))), RULE) == []


def test_pods_in_another_namespace_do_not_count(lint):
    report = lint(stream(policy(namespace="shop"), statefulset(), unrelated("shop")))
    assert summary(report, RULE) == [(RULE, 7, 3, no_pods("db", "app=db,tier=backend", "shop"))]
    assert report.findings[0].related == ()  # templates of other namespaces are not "closest"
    report = lint(stream(policy(), statefulset("shop"), unrelated()))
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 7, 3)]


def test_a_namespace_without_pod_templates_is_not_judged(lint):
    # its workloads are evidently managed elsewhere: nothing to judge the policy by
    assert summary(lint(policy())) == []
    # the pod templates of other namespaces do not make it judged
    assert summary(lint(stream(policy(namespace="shop"), statefulset())), RULE) == []
    # an unrelated Deployment there does, and the policy selects none of its pods
    report = lint(stream(policy(), unrelated()))
    assert summary(report) == [(RULE, 7, 3, no_pods("db", "app=db,tier=backend"))]
    assert report.findings[0].related == ()
    # wherever it is written, given only as context too
    report = lint({"policy.yaml": policy()}, context={"cache.yaml": unrelated()})
    assert [(f.file, f.line, f.column, f.message) for f in report.findings] == [
        ("policy.yaml", 7, 3, no_pods("db", "app=db,tier=backend"))]


def test_the_namespace_option_is_the_default_namespace(lint):
    assert summary(lint(stream(policy(), statefulset("shop")), namespace="shop"), RULE) == []
    report = lint(stream(policy(namespace="default"), statefulset(), unrelated("default")), namespace="shop")
    assert summary(report, RULE) == [(RULE, 7, 3, no_pods("db", "app=db,tier=backend"))]
    report = lint(stream(policy(), unrelated()), namespace="shop")
    assert [f[3] for f in summary(report, RULE)] == [no_pods("db", "app=db,tier=backend", "shop")]


# --- how manifests are written ------------------------------------------------------------------


def test_list_items_are_checked_at_their_own_positions(lint):
    report = lint(list_of(network_policy("web", "{matchLabels: {app: web}}"),
                          network_policy("api", "{matchLabels: {app: api}}"),
                          pod("web", "{app: web}")))
    assert summary(report, RULE) == [(RULE, 13, 7, no_pods("api", "app=api"))]
    assert report.findings[0].object["name"] == "api"


def test_anchors_and_merge_keys_supply_labels(lint):
    report = lint(list_of(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: &labels {app: web, part-of: shop}
        spec:
          selector: {matchLabels: *labels}
          template:
            metadata:
              labels:
                <<: *labels
                tier: frontend
            spec: {containers: [{name: web, image: nginx}]}
        """,
        network_policy("web", "{matchLabels: {<<: *labels, tier: frontend}}"),
        network_policy("web-backend", "{matchLabels: {<<: *labels, tier: backend}}"),
    ))
    assert summary(report, RULE) == [(
        RULE, 26, 7,
        no_pods("web-backend", "tier=backend,app=web,part-of=shop")
        + " (closest: Deployment default/web lacks tier=backend)",
    )]


def test_pods_in_another_file_and_in_context_count(lint):
    assert summary(lint({"policy.yaml": policy(), "statefulset.yaml": statefulset()})) == []
    assert summary(lint({"policy.yaml": policy()}, context={"statefulset.yaml": statefulset()})) == []
    # the closest template may be in another file
    report = lint({"policy.yaml": policy("cache")}, context={"statefulset.yaml": statefulset()})
    assert [f[:3] for f in summary(report)] == [(RULE, 7, 3)]
    [related] = report.findings[0].related
    assert (related.file, related.line, related.column) == ("statefulset.yaml", 8, 16)


def test_policies_in_context_files_are_not_reported(lint):
    assert summary(lint({"statefulset.yaml": statefulset()}, context={"policy.yaml": policy("cache")})) == []


def test_network_policies_of_other_groups_are_not_judged(lint):
    report = lint(stream(network_policy("db", "{matchLabels: {app: db}}", api_version="crd.projectcalico.org/v1"),
                         unrelated()))
    assert summary(report, RULE) == []


def test_unnamed_policy(lint):
    report = lint(stream(network_policy("", "{matchLabels: {app: db}}", meta="{generateName: db-}"), unrelated()))
    assert summary(report, RULE) == [(RULE, 5, 3, no_pods("(unnamed)", "app=db"))]


# --- pods that operators create -----------------------------------------------------------------


def prometheus_policy(selected="main", prometheus=PROMETHEUS):
    """NetworkPolicy prometheus (podSelector on line 5, column 3) selecting prometheus=`selected`, and `prometheus`."""
    return stream(network_policy("prometheus", f"{{matchLabels: {{prometheus: {selected}}}}}"), prometheus)


def test_custom_resources_that_may_create_the_pods_lower_the_severity(lint):
    assert graded(lint(prometheus_policy())) == [(
        "info", 5, 3,
        "NetworkPolicy prometheus applies to no pods: no pod template in namespace 'default' carries prometheus=main; "
        "the namespace also holds custom resources (Prometheus main) whose operator may create such pods (declare "
        "them in `operator-pods` to check exactly)",
    )]


def test_operator_pods_declared_in_the_config_are_selected(lint):
    declared = {"monitoring.coreos.com/Prometheus": {"prometheus": "{name}", "app.kubernetes.io/name": "prometheus"}}
    assert summary(lint(prometheus_policy(), operator_pods=declared), RULE) == []
    report = lint(prometheus_policy("other"), operator_pods=declared)
    assert graded(report) == [("warning", 5, 3, no_pods("prometheus", "prometheus=other"))]


def test_custom_resources_in_another_namespace_do_not_lower_the_severity(lint):
    elsewhere = PROMETHEUS.replace("metadata: {name: main}", "metadata: {name: main, namespace: monitoring}")
    assert graded(lint(stream(prometheus_policy(prometheus=elsewhere), unrelated()))) == [
        ("warning", 5, 3, no_pods("prometheus", "prometheus=main"))]


def test_many_custom_resources_are_abbreviated(lint):
    resources = [f"apiVersion: example.com/v1\nkind: Cache\nmetadata: {{name: c{n}}}" for n in range(4)]
    report = lint(stream(network_policy("p", "{matchLabels: {app: x}}"), *resources))
    assert graded(report) == [(
        "info", 5, 3,
        "NetworkPolicy p applies to no pods: no pod template in namespace 'default' carries app=x; the namespace also "
        "holds custom resources (Cache c0, Cache c1, Cache c2, ...) whose operator may create such pods (declare them "
        "in `operator-pods` to check exactly)")]


def test_custom_resources_whose_crd_shows_no_pods_are_not_counted(lint):
    service_monitor = crd("ServiceMonitor", "{type: object, properties: {spec: {type: object, properties: "
                                            "{selector: {type: object, x-kubernetes-preserve-unknown-fields: true}, "
                                            "endpoints: {type: array}}}}}",
                          group="monitoring.coreos.com")
    policy_and_monitor = stream(network_policy("web", "{matchLabels: {app: web}}"), """
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata: {name: web}
        spec: {selector: {matchLabels: {app: web}}}
        """)
    report = lint(stream(policy_and_monitor, unrelated()), context={"crd.yaml": service_monitor})
    assert [(f.rule, f.severity, f.message) for f in report.findings] == [
        (RULE, "warning", no_pods("web", "app=web"))]
    # nor do they make a namespace without pod templates one whose policies are judged
    assert summary(lint(policy_and_monitor, context={"crd.yaml": service_monitor})) == []
