"""networkpolicy-no-match: NetworkPolicies whose podSelector selects no pod template in their namespace."""

import pytest
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

STATEFULSET = """
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  {namespace}
spec:
  serviceName: db
  selector:
    matchLabels: {{app: db}}
  template:
    metadata:
      labels: {{app: db, tier: backend}}
    spec:
      containers: [{{name: db, image: postgres:16}}]
"""


def test_policy_without_pods_is_reported_at_its_pod_selector(lint):
    report = lint(POLICY.format(namespace="", tier="backend"))
    assert summary(report) == [(RULE, 7, 3, "NetworkPolicy db applies to no pods: no pod template in namespace "
                                            "'default' carries app=db,tier=backend")]
    [finding] = report.findings
    assert (finding.severity, finding.path, finding.related) == ("warning", "/spec/podSelector", ())
    assert finding.object == {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "namespace": "default",
                              "name": "db"}


def test_policy_selecting_a_statefulset_is_clean(lint):
    assert summary(lint(POLICY.format(namespace="", tier="backend") + STATEFULSET.format(namespace=""))) == []


def test_closest_template_and_missing_labels_are_named(lint):
    report = lint(POLICY.format(namespace="", tier="database") + STATEFULSET.format(namespace=""))
    assert summary(report, RULE) == [(
        RULE, 7, 3,
        "NetworkPolicy db applies to no pods: no pod template in namespace 'default' carries app=db,tier=database "
        "(closest: StatefulSet default/db lacks tier=database)",
    )]
    [related] = report.findings[0].related
    assert (related.file, related.line, related.column, related.object["kind"], related.object["name"],
            related.message) == ("manifest.yaml", 25, 7, "StatefulSet", "db", "closest pod template's labels")


def test_a_clean_realistic_set(lint):
    report = lint("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop}
        spec:
          replicas: 2
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec: {containers: [{name: api, image: api:1.0, ports: [{containerPort: 8080}]}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api, namespace: shop}
        spec:
          selector: {app: api}
          ports: [{port: 80, targetPort: 8080}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: default-deny, namespace: shop}
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
        ---
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
    """)
    assert summary(report) == []


# --- the empty selector ---------------------------------------------------------------------------


@pytest.mark.parametrize("selector", ["{}", "{matchLabels: {}}", "{matchLabels: {}, matchExpressions: []}"])
def test_empty_pod_selector_selects_every_pod_and_is_not_reported(lint, selector):
    # even in a namespace with no pods at all: the policy is for whatever pods will come
    report = lint(f"""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {{name: deny-all}}
        spec:
          podSelector: {selector}
          policyTypes: [Ingress]
    """)
    assert summary(report, RULE) == []


def test_absent_pod_selector_is_not_reported(lint):
    report = lint("""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny-all}
        spec:
          policyTypes: [Ingress]
    """)
    assert summary(report, RULE) == []


def test_labels_written_directly_under_pod_selector_are_left_to_the_schema(lint):
    # `podSelector: {app: db}` is a LabelSelector with an unknown field: pruned, it would be empty
    report = lint("""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: db}
        spec:
          podSelector: {app: db}
    """)
    assert summary(report) == [("schema", 5, 17, 'unknown field "app" in LabelSelector')]


def test_invalid_selectors_are_not_judged_here(lint):
    report = lint("""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: db}
        spec:
          podSelector: {matchLabels: {app: db}, matchExpressions: [{key: tier, operator: Equals, values: [x]}]}
    """)
    assert summary(report, RULE) == []


# --- matchExpressions ---------------------------------------------------------------------------

PODS = """
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: frontend}}
    spec: {containers: [{name: web, image: nginx}]}
"""


def policy_with(expressions: str, match_labels: str = "") -> str:
    return ("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector:\n"
            + (f"    matchLabels: {match_labels}\n" if match_labels else "")
            + f"    matchExpressions: {expressions}\n" + PODS)


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
    assert [(r.line, r.column, r.object["name"]) for r in report.findings[0].related] == [(16, 16, "web")]


def test_labels_the_controllers_add_at_run_time_count(lint):
    report = lint("""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: primary}
        spec:
          podSelector: {matchLabels: {statefulset.kubernetes.io/pod-name: db-0}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: rolled-out}
        spec:
          podSelector: {matchExpressions: [{key: pod-template-hash, operator: Exists}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: migration}
        spec:
          podSelector: {matchLabels: {job-name: migrate}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: never-hashed}
        spec:
          podSelector:
            matchLabels: {app: web}
            matchExpressions: [{key: pod-template-hash, operator: DoesNotExist}]
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
            spec: {restartPolicy: Never, containers: [{name: migrate, image: migrate:1}]}
    """)
    # every pod of a Deployment carries pod-template-hash, so only never-hashed selects nothing
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 23, 3)]


# --- namespaces ---------------------------------------------------------------------------------


def test_explicit_and_defaulted_namespaces_match(lint):
    assert summary(lint(POLICY.format(namespace="namespace: default", tier="backend")
                        + STATEFULSET.format(namespace="")), RULE) == []
    assert summary(lint(POLICY.format(namespace="", tier="backend")
                        + STATEFULSET.format(namespace="namespace: default")), RULE) == []
    assert summary(lint(POLICY.format(namespace="namespace: shop", tier="backend")
                        + STATEFULSET.format(namespace="namespace: shop")), RULE) == []


def test_pods_in_another_namespace_do_not_count(lint):
    report = lint(POLICY.format(namespace="namespace: shop", tier="backend") + STATEFULSET.format(namespace=""))
    assert summary(report, RULE) == [(RULE, 7, 3, "NetworkPolicy db applies to no pods: no pod template in namespace "
                                                  "'shop' carries app=db,tier=backend")]
    assert report.findings[0].related == ()  # templates of other namespaces are not "closest"
    report = lint(POLICY.format(namespace="", tier="backend") + STATEFULSET.format(namespace="namespace: shop"))
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 7, 3)]


def test_the_namespace_option_is_the_default_namespace(lint):
    policy_defaulted = POLICY.format(namespace="", tier="backend")
    assert summary(lint(policy_defaulted + STATEFULSET.format(namespace="namespace: shop"), namespace="shop"),
                   RULE) == []
    report = lint(POLICY.format(namespace="namespace: default", tier="backend") + STATEFULSET.format(namespace=""),
                  namespace="shop")
    assert summary(report, RULE) == [(RULE, 7, 3, "NetworkPolicy db applies to no pods: no pod template in namespace "
                                                  "'default' carries app=db,tier=backend")]
    report = lint(policy_defaulted, namespace="shop")
    assert [f[3] for f in summary(report, RULE)] == [
        "NetworkPolicy db applies to no pods: no pod template in namespace 'shop' carries app=db,tier=backend"]


# --- how manifests are written ------------------------------------------------------------------


def test_list_items_are_checked_at_their_own_positions(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web}
            spec:
              podSelector: {matchLabels: {app: web}}
          - apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: api}
            spec:
              podSelector: {matchLabels: {app: api}}
          - apiVersion: v1
            kind: Pod
            metadata: {name: web, labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
    """)
    assert summary(report, RULE) == [(RULE, 13, 7, "NetworkPolicy api applies to no pods: no pod template in "
                                                   "namespace 'default' carries app=api")]
    assert report.findings[0].object["name"] == "api"


def test_anchors_and_merge_keys_supply_labels(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: apps/v1
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
          - apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web}
            spec:
              podSelector:
                matchLabels:
                  <<: *labels
                  tier: frontend
          - apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web-backend}
            spec:
              podSelector:
                matchLabels:
                  <<: *labels
                  tier: backend
    """)
    assert summary(report, RULE) == [(
        RULE, 29, 7,
        "NetworkPolicy web-backend applies to no pods: no pod template in namespace 'default' carries "
        "tier=backend,app=web,part-of=shop (closest: Deployment default/web lacks tier=backend)",
    )]


def test_pods_in_another_file_and_in_context_count(lint):
    files = {"policy.yaml": POLICY.format(namespace="", tier="backend"),
             "statefulset.yaml": STATEFULSET.format(namespace="")}
    assert summary(lint(files)) == []
    report = lint({"policy.yaml": POLICY.format(namespace="", tier="backend")},
                  context={"statefulset.yaml": STATEFULSET.format(namespace="")})
    assert summary(report) == []
    # the closest template may be in another file
    report = lint({"policy.yaml": POLICY.format(namespace="", tier="cache")},
                  context={"statefulset.yaml": STATEFULSET.format(namespace="")})
    assert [f[:3] for f in summary(report)] == [(RULE, 7, 3)]
    [related] = report.findings[0].related
    assert (related.file, related.line, related.column) == ("statefulset.yaml", 13, 7)


def test_policies_in_context_files_are_not_reported(lint):
    report = lint({"statefulset.yaml": STATEFULSET.format(namespace="")},
                  context={"policy.yaml": POLICY.format(namespace="", tier="cache")})
    assert summary(report) == []


def test_network_policies_of_other_groups_are_not_judged(lint):
    report = lint("""
        apiVersion: crd.projectcalico.org/v1
        kind: NetworkPolicy
        metadata: {name: db}
        spec:
          podSelector: {matchLabels: {app: db}}
    """)
    assert summary(report, RULE) == []


def test_unnamed_policy(lint):
    report = lint("""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {generateName: db-}
        spec:
          podSelector: {matchLabels: {app: db}}
    """)
    assert summary(report, RULE) == [(RULE, 5, 3, "NetworkPolicy (unnamed) applies to no pods: no pod template in "
                                                  "namespace 'default' carries app=db")]


# --- pods that operators create -----------------------------------------------------------------

PROMETHEUS_POLICY = """
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: prometheus}
    spec:
      podSelector: {matchLabels: {prometheus: main}}
    ---
    apiVersion: monitoring.coreos.com/v1
    kind: Prometheus
    metadata: {name: main}
    spec: {replicas: 2}
"""


def test_custom_resources_that_may_create_the_pods_lower_the_severity(lint):
    report = lint(PROMETHEUS_POLICY)
    assert [(f.rule, f.severity, f.line, f.column, f.message) for f in report.findings if f.rule == RULE] == [(
        RULE, "info", 5, 3,
        "NetworkPolicy prometheus applies to no pods: no pod template in namespace 'default' carries prometheus=main; "
        "the namespace also holds custom resources (Prometheus main) whose operator may create such pods (declare "
        "them in `operator-pods` to check exactly)",
    )]


def test_operator_pods_declared_in_the_config_are_selected(lint):
    declared = {"monitoring.coreos.com/Prometheus": {"prometheus": "{name}", "app.kubernetes.io/name": "prometheus"}}
    assert summary(lint(PROMETHEUS_POLICY, operator_pods=declared), RULE) == []
    report = lint(PROMETHEUS_POLICY.replace("prometheus: main}", "prometheus: other}"), operator_pods=declared)
    assert [(f.severity, f.message) for f in report.findings if f.rule == RULE] == [(
        "warning", "NetworkPolicy prometheus applies to no pods: no pod template in namespace 'default' carries "
                   "prometheus=other")]


def test_custom_resources_in_another_namespace_do_not_lower_the_severity(lint):
    report = lint(PROMETHEUS_POLICY.replace("metadata: {name: main}", "metadata: {name: main, namespace: monitoring}"))
    assert [(f.severity, f.message) for f in report.findings if f.rule == RULE] == [(
        "warning", "NetworkPolicy prometheus applies to no pods: no pod template in namespace 'default' carries "
                   "prometheus=main")]


def test_many_custom_resources_are_abbreviated(lint):
    resources = "".join(f"---\napiVersion: example.com/v1\nkind: Cache\nmetadata: {{name: c{n}}}\n" for n in range(4))
    report = lint("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\n"
                  "spec: {podSelector: {matchLabels: {app: x}}}\n" + resources)
    assert [(f.severity, f.message) for f in report.findings if f.rule == RULE] == [(
        "info", "NetworkPolicy p applies to no pods: no pod template in namespace 'default' carries app=x; the "
                "namespace also holds custom resources (Cache c0, Cache c1, Cache c2, ...) whose operator may create "
                "such pods (declare them in `operator-pods` to check exactly)")]


def test_custom_resources_whose_crd_shows_no_pods_are_not_counted(lint):
    service_monitor = crd("ServiceMonitor", "{type: object, properties: {spec: {type: object, properties: "
                                            "{selector: {type: object, x-kubernetes-preserve-unknown-fields: true}, "
                                            "endpoints: {type: array}}}}}",
                          group="monitoring.coreos.com")
    report = lint("""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          podSelector: {matchLabels: {app: web}}
        ---
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata: {name: web}
        spec: {selector: {matchLabels: {app: web}}}
    """, context={"crd.yaml": service_monitor})
    assert [(f.rule, f.severity, f.message) for f in report.findings] == [(
        RULE, "warning", "NetworkPolicy web applies to no pods: no pod template in namespace 'default' carries app=web")]
