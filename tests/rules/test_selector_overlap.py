"""selector-overlap: a controller's selector selects the pods of another controller or of a bare Pod."""

import pytest
from rules.pod_selector_fixtures import PROMETHEUS, list_of, pod, stream, workload
from support import summary

RULE = "selector-overlap"

#: The end of every message of this rule.
CONFLICT = ("; controllers whose selectors overlap may conflict: they adopt each other's unowned pods, and "
            "autoscalers and kubectl act on the pods of both")


def deployment(name, selector, labels, namespace=""):
    """A Deployment selecting `selector` (matchLabels, on line 5, column 3) whose template carries `labels`
    (line 7, column 16)."""
    return workload("Deployment", name, labels, f"{{matchLabels: {selector}}}", namespace=namespace)


def job(name, labels="{app: db}", selector=""):
    """A Job; given a `selector`, a manual one (`manualSelector: true`), its selector on line 6, column 3."""
    return workload("Job", name, labels, selector, api_version="batch/v1",
                    fields=("manualSelector: true",) if selector else (),
                    pod_spec=f"{{restartPolicy: Never, containers: [{{name: {name}, image: {name}:1}}]}}")


def overlap(line, column, selector, owner, others):
    """The summary of a finding: the `selector` of `owner` also selects the pods of `others`."""
    return (RULE, line, column, f"the selector {selector} of {owner} also selects the pods of {others}{CONFLICT}")


def findings(report):
    return [f for f in report.findings if f.rule == RULE]


def related(finding):
    return [(r.file, r.line, r.column, r.object["kind"], r.object["name"], r.message) for r in finding.related]


def test_deployments_selecting_each_others_pods_are_both_reported(lint):
    report = lint(stream(deployment("web", "{app: shop}", "{app: shop, component: web}"),
                         deployment("api", "{app: shop}", "{app: shop, component: api}")))
    assert summary(report, RULE) == [
        (RULE, 5, 3, "the selector app=shop of Deployment web also selects the pods of Deployment default/api" + CONFLICT),
        (RULE, 14, 3, "the selector app=shop of Deployment api also selects the pods of Deployment default/web" + CONFLICT),
    ]
    web, api = findings(report)
    assert (web.severity, web.path, web.object["name"]) == ("warning", "/spec/selector", "web")
    assert related(web) == [("manifest.yaml", 16, 16, "Deployment", "api", "pods this selector also selects")]
    assert related(api) == [("manifest.yaml", 7, 16, "Deployment", "web", "pods this selector also selects")]


def test_only_the_broader_selector_is_reported(lint):
    # web's selector selects api's pods; api's narrower selector does not select web's.
    report = lint(stream(deployment("web", "{app: shop}", "{app: shop, component: web}"),
                         deployment("api", "{app: shop, component: api}", "{app: shop, component: api}")))
    assert summary(report, RULE) == [overlap(5, 3, "app=shop", "Deployment web", "Deployment default/api")]


def test_selectors_distinguished_by_an_extra_label_are_clean(lint):
    report = lint(stream(
        deployment("web", "{app: shop, component: web}", "{app: shop, component: web}"),
        deployment("api", "{app: shop, component: api}", "{app: shop, component: api}"),
        """
        apiVersion: v1
        kind: Service
        metadata: {name: shop}
        spec:
          selector: {app: shop}
          ports: [{port: 80}]
        """,
        """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web}
        spec:
          maxUnavailable: 1
          selector: {matchLabels: {app: shop, component: web}}
        """))
    # A Service or a PodDisruptionBudget over the pods of both is no controller.
    assert summary(report) == []


def test_replica_set_selecting_a_bare_pod(lint):
    web = workload("ReplicaSet", "web", "{app: web}", "{matchLabels: {app: web}}")
    report = lint(stream(web, pod("debug", "{app: web}")))
    assert summary(report, RULE) == [overlap(5, 3, "app=web", "ReplicaSet web", "Pod default/debug")]
    [finding] = findings(report)
    assert related(finding) == [("manifest.yaml", 12, 25, "Pod", "debug", "pods this selector also selects")]
    # The Pod labelled apart is not selected.
    assert summary(lint(stream(web, pod("debug", "{app: web-debug}")))) == []


def test_a_deployment_adopts_no_bare_pods_or_job_pods(lint):
    # Its ReplicaSets select pod-template-hash as well, which no other pod carries.
    web = deployment("web", "{app: web}", "{app: web}")
    assert summary(lint(stream(web, pod("debug", "{app: web}"), job("migrate", "{app: web}"))), RULE) == []


def test_a_deployment_claims_the_replica_sets_of_other_deployments_and_bare_ones(lint):
    report = lint(stream(deployment("web", "{app: web}", "{app: web, track: stable}"),
                         workload("Deployment", "web-canary", "{app: web, track: canary}"),
                         workload("ReplicaSet", "web-legacy", "{app: web, track: legacy}"),
                         pod("debug", "{app: web}")))
    assert summary(report, RULE) == [
        overlap(5, 3, "app=web", "Deployment web", "Deployment default/web-canary, ReplicaSet default/web-legacy"),
    ]
    [finding] = findings(report)
    assert related(finding) == [
        ("manifest.yaml", 16, 16, "Deployment", "web-canary", "pods this selector also selects"),
        ("manifest.yaml", 25, 16, "ReplicaSet", "web-legacy", "pods this selector also selects"),
    ]


def test_helm_hooks_are_not_counted(lint):
    hook = pod("test-connection", "{app: web}", meta="{name: test-connection, labels: {app: web}, "
                                                    "annotations: {helm.sh/hook: test}}")
    web = workload("ReplicaSet", "web", "{app: web}", "{matchLabels: {app: web}}")
    assert summary(lint(stream(web, hook)), RULE) == []


def test_replica_set_and_replication_controller_selecting_a_bare_pod(lint):
    report = lint(stream(workload("ReplicaSet", "rs", "{app: web, tier: rs}", "{matchLabels: {app: web}}"),
                         workload("ReplicationController", "rc", "{app: web, tier: rc}", "", api_version="v1"),
                         pod("bare", "{app: web, tier: rc}")))
    # The ReplicationController's missing selector defaults to its template's labels (app=web,tier=rc),
    # reported where the selector belongs (at spec, the nearest field that exists).
    assert summary(report, RULE) == [
        overlap(5, 3, "app=web", "ReplicaSet rs", "ReplicationController default/rc, Pod default/bare"),
        overlap(13, 1, "app=web,tier=rc", "ReplicationController rc", "Pod default/bare"),
    ]


def test_same_object_copied_in_two_alternative_files_counts_once(lint):
    web = deployment("web", "{app: shop, component: web}", "{app: shop, component: web}")
    files = {
        "overlays/prod/web.yaml": web,
        "overlays/staging/web.yaml": web,
        "base/api.yaml": deployment("api", "{app: shop}", "{app: shop, component: api}"),
    }
    report = lint(files)
    # The copies of web neither select each other's pods nor are named twice.
    assert summary(report, RULE) == [overlap(5, 3, "app=shop", "Deployment api", "Deployment default/web")]
    [finding] = findings(report)
    assert finding.file == "base/api.yaml"
    assert len(finding.related) == 1
    assert related(finding)[0][1:] == (7, 16, "Deployment", "web", "pods this selector also selects")
    assert related(finding)[0][0] in ("overlays/prod/web.yaml", "overlays/staging/web.yaml")
    assert summary(lint({"a/web.yaml": web, "b/web.yaml": web}), RULE) == []


def test_files_defining_a_same_object_are_alternatives_and_not_related(lint):
    # Both files define ConfigMap shared: variants of one another (one per cloud), never applied together.
    aws = stream("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {cloud: aws}",
                 workload("ReplicaSet", "web-aws", "{app: web}"))
    gcp = stream("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {cloud: gcp}",
                 workload("ReplicaSet", "web-gcp", "{app: web}"))
    assert summary(lint({"aws/web.yaml": aws, "gcp/web.yaml": gcp}), RULE) == []
    # Files that share no object are applied together: each ReplicaSet selects the other's pods.
    report = lint({"aws/web.yaml": aws, "gcp/web.yaml": gcp.replace("{name: shared}", "{name: gcp}")})
    assert summary(report, RULE) == [
        overlap(10, 3, "app=web", "ReplicaSet web-aws", "ReplicaSet default/web-gcp"),
        overlap(10, 3, "app=web", "ReplicaSet web-gcp", "ReplicaSet default/web-aws"),
    ]
    assert [(f.file, related(f)) for f in findings(report)] == [
        ("aws/web.yaml", [("gcp/web.yaml", 12, 16, "ReplicaSet", "web-gcp", "pods this selector also selects")]),
        ("gcp/web.yaml", [("aws/web.yaml", 12, 16, "ReplicaSet", "web-aws", "pods this selector also selects")]),
    ]


def test_same_name_in_another_kind_is_another_object(lint):
    report = lint(stream(workload("ReplicaSet", "web", "{app: web}", "{matchLabels: {app: web}}"),
                         workload("StatefulSet", "web", "{app: web, role: db}", fields=("serviceName: web",))))
    assert summary(report, RULE) == [overlap(5, 3, "app=web", "ReplicaSet web", "StatefulSet default/web")]


def test_more_than_three_others_are_counted(lint):
    report = lint(stream(workload("ReplicaSet", "web", "{app: web}", "{matchLabels: {app: web}}"),
                         *(pod(f"p{number}", "{app: web}") for number in range(1, 6))))
    assert summary(report, RULE) == [
        overlap(5, 3, "app=web", "ReplicaSet web", "Pod default/p1, Pod default/p2, Pod default/p3 and 2 more"),
    ]
    [finding] = findings(report)
    assert [r.object["name"] for r in finding.related] == ["p1", "p2", "p3"]


def test_pods_and_replica_sets_owned_by_a_controller_are_skipped(lint):
    dump = stream(workload("Deployment", "web", "{app: web}", namespace="shop"), """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: web-5d4f7c9b8
          namespace: shop
          ownerReferences:
            - {apiVersion: apps/v1, kind: Deployment, name: web, uid: 1f0e, controller: true}
        spec:
          selector: {matchLabels: {app: web, pod-template-hash: 5d4f7c9b8}}
          template:
            metadata: {labels: {app: web, pod-template-hash: 5d4f7c9b8}}
            spec: {containers: [{name: web, image: nginx}]}
        """, """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-5d4f7c9b8-x2x7q
          namespace: shop
          labels: {app: web, pod-template-hash: 5d4f7c9b8}
          ownerReferences:
            - {apiVersion: apps/v1, kind: ReplicaSet, name: web-5d4f7c9b8, uid: 9a3c, controller: true}
        spec: {containers: [{name: web, image: nginx}]}
        """)
    assert summary(lint(dump), RULE) == []
    # Without a controller reference an object is unowned: controllers adopt it. The Deployment claims the
    # orphaned ReplicaSet; the ReplicaSet, now checked, selects only its Pod, which is still owned.
    orphan_replica_set = dump.replace("uid: 1f0e, controller: true", "uid: 1f0e")
    replica_set_claimed = overlap(5, 3, "app=web", "Deployment web", "ReplicaSet shop/web-5d4f7c9b8")
    assert summary(lint(orphan_replica_set), RULE) == [replica_set_claimed]
    not_controller = dump.replace("uid: 1f0e, controller: true", "uid: 1f0e, controller: false")
    assert summary(lint(not_controller), RULE) == [replica_set_claimed]
    # An orphaned Pod: the Deployment adopts no bare Pods, and the owned ReplicaSet, whose selector
    # selects the Pod, is not checked...
    orphan_pod = dump.replace("uid: 9a3c, controller: true", "uid: 9a3c")
    assert summary(lint(orphan_pod), RULE) == []
    # ...until it is unowned too: then it adopts the Pod.
    orphans = orphan_pod.replace("uid: 1f0e, controller: true", "uid: 1f0e")
    assert summary(lint(orphans), RULE) == [
        replica_set_claimed,
        overlap(18, 3, "app=web,pod-template-hash=5d4f7c9b8", "ReplicaSet web-5d4f7c9b8",
                "Pod shop/web-5d4f7c9b8-x2x7q"),
    ]
    not_controller = orphans.replace("uid: 9a3c", "uid: 9a3c, controller: false")
    assert summary(lint(not_controller), RULE) == summary(lint(orphans), RULE)


JOBS = stream(job("migrate"), job("seed"))


def test_jobs_with_generated_selectors_do_not_overlap(lint):
    # Each Job's generated selector (controller-uid) selects its own pods only.
    assert summary(lint(JOBS)) == []
    report = lint(stream(JOBS, """
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly}
        spec:
          schedule: "0 3 * * *"
          jobTemplate: {spec: {template: {metadata: {labels: {app: db}},
                                          spec: {restartPolicy: Never, containers: [{name: backup, image: backup:1}]}}}}
        """))
    assert summary(report) == []


def test_job_with_manual_selector_selecting_another_jobs_pods(lint):
    report = lint(stream(JOBS, job("manual", "{app: db, job: manual}", "{matchLabels: {app: db}}")))
    assert summary(report, RULE) == [overlap(22, 3, "app=db", "Job manual", "Job default/migrate, Job default/seed")]
    # A manual selector unique to the Job's own pods is fine.
    unique = job("manual", "{app: db, job: manual}", "{matchLabels: {app: db, job: manual}}")
    assert summary(lint(stream(JOBS, unique))) == []


def test_controller_selecting_the_pods_of_a_job(lint):
    report = lint(stream(workload("ReplicaSet", "db", "{app: db}", "{matchLabels: {app: db}}"), job("migrate")))
    assert summary(report, RULE) == [overlap(5, 3, "app=db", "ReplicaSet db", "Job default/migrate")]


#: A canary Deployment, its pods labelled track=canary, for a Deployment web selecting `{app: web}` and more.
CANARY = workload("Deployment", "web-canary", "{app: web, track: canary}")


@pytest.mark.parametrize("expression", ["{key: track, operator: DoesNotExist}",
                                        "{key: track, operator: NotIn, values: [canary]}"])
def test_match_expressions_that_exclude_the_canary_are_clean(lint, expression):
    web = workload("Deployment", "web", "{app: web}",
                   f"{{matchLabels: {{app: web}}, matchExpressions: [{expression}]}}")
    assert summary(lint(stream(web, CANARY))) == []


@pytest.mark.parametrize(("selector", "labels", "shown"), [
    ("{matchLabels: {app: web}, matchExpressions: [{key: track, operator: Exists}]}", "{app: web, track: stable}",
     "app=web,track"),
    ("{matchLabels: {app: web}, matchExpressions: [{key: track, operator: NotIn, values: [beta]}]}", "{app: web}",
     "app=web,track notin (beta)"),
    ("{matchLabels: {app: web}}", "{app: web}", "app=web"),
])
def test_match_expressions_that_select_the_canary(lint, selector, labels, shown):
    report = lint(stream(workload("Deployment", "web", labels, selector), CANARY))
    assert summary(report, RULE) == [overlap(5, 3, shown, "Deployment web", "Deployment default/web-canary")]


def test_match_expressions_in_and_runtime_labels(lint):
    report = lint(stream(
        workload("Deployment", "frontend", "{app: web}",
                 "{matchExpressions: [{key: app, operator: In, values: [web, api]}]}"),
        workload("Deployment", "api", "{app: api}"),
        workload("Deployment", "admin", "{app: admin}"),
        workload("ReplicaSet", "hashed", "{app: admin, pod-template-hash: abc}",
                 "{matchLabels: {app: admin}, matchExpressions: [{key: pod-template-hash, operator: Exists}]}"),
    ))
    # pod-template-hash is on every pod the Deployment admin creates, whatever its value.
    assert summary(report, RULE) == [
        overlap(5, 3, "app in (web,api)", "Deployment frontend", "Deployment default/api"),
        overlap(23, 3, "app=admin", "Deployment admin", "ReplicaSet default/hashed"),
        overlap(32, 3, "app=admin,pod-template-hash", "ReplicaSet hashed", "Deployment default/admin"),
    ]


def test_selector_that_may_select_only_some_values_of_a_runtime_label_is_not_reported(lint):
    # Whether this ReplicaSet selects the Deployment's pods depends on the hash: not certain.
    report = lint(stream(workload("Deployment", "web", "{app: web, tier: a}"),
                         workload("ReplicaSet", "pinned", "{app: web, pod-template-hash: 5d4f7c9b8}")))
    assert summary(report, RULE) == []


def test_namespaces(lint):
    same = stream(deployment("web", "{app: shop}", "{app: shop}", "shop"),
                  deployment("api", "{app: shop}", "{app: shop, c: api}", "shop"))
    assert [f[:3] for f in summary(lint(same), RULE)] == [(RULE, 5, 3), (RULE, 14, 3)]
    assert summary(lint(same), RULE)[0] == overlap(5, 3, "app=shop", "Deployment web", "Deployment shop/api")
    explicit_default = stream(deployment("web", "{app: shop}", "{app: shop}", "default"),
                              deployment("api", "{app: shop, c: api}", "{app: shop, c: api}"))
    assert summary(lint(explicit_default), RULE) == [
        overlap(5, 3, "app=shop", "Deployment web", "Deployment default/api")]
    apart = stream(deployment("web", "{app: shop}", "{app: shop}", "shop"),
                   deployment("api", "{app: shop}", "{app: shop}", "payments"))
    assert summary(lint(apart)) == []
    defaulted_apart = stream(deployment("web", "{app: shop}", "{app: shop}", "shop"),
                             deployment("api", "{app: shop, c: api}", "{app: shop, c: api}"))
    assert summary(lint(defaulted_apart)) == []
    report = lint(defaulted_apart, namespace="shop")
    assert summary(report, RULE) == [overlap(5, 3, "app=shop", "Deployment web", "Deployment shop/api")]


def test_other_controller_in_another_file_or_in_context(lint):
    web = deployment("web", "{app: shop}", "{app: shop, component: web}")
    api = deployment("api", "{app: shop, component: api}", "{app: shop, component: api}")
    expected = [overlap(5, 3, "app=shop", "Deployment web", "Deployment default/api")]
    report = lint({"web.yaml": web, "api.yaml": api})
    assert summary(report, RULE) == expected
    assert report.findings[0].file == "web.yaml"
    report = lint({"web.yaml": web}, context={"cluster/api.yaml": api})
    assert summary(report, RULE) == expected
    assert related(report.findings[0]) == [("cluster/api.yaml", 7, 16, "Deployment", "api",
                                            "pods this selector also selects")]
    # Context objects are not checked themselves.
    assert summary(lint({"api.yaml": api}, context={"cluster/web.yaml": web})) == []


def test_objects_in_a_list(lint):
    report = lint(list_of(workload("ReplicaSet", "web", "{app: shop, component: web}", "{matchLabels: {app: shop}}"),
                          pod("debug", "{app: shop, component: debug}")))
    assert summary(report, RULE) == [overlap(8, 7, "app=shop", "ReplicaSet web", "Pod default/debug")]
    [finding] = findings(report)
    assert finding.path == "/spec/selector"
    assert related(finding) == [("manifest.yaml", 14, 29, "Pod", "debug", "pods this selector also selects")]


def test_labels_from_anchors_and_merge_keys(lint):
    report = lint("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: &shop {app: shop}}
          template:
            metadata:
              labels:
                <<: *shop
                component: web
            spec: {containers: [{name: web, image: nginx}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api}
        spec:
          selector:
            matchLabels: &api
              <<: {app: shop}
              component: api
          template:
            metadata:
              labels: *api
            spec: {containers: [{name: api, image: nginx}]}
    """)
    assert summary(report, RULE) == [overlap(5, 3, "app=shop", "Deployment web", "Deployment default/api")]
    [finding] = findings(report)
    assert [(r.line, r.column, r.object["name"]) for r in finding.related] == [(23, 7, "api")]


def test_missing_empty_or_invalid_selectors_are_other_rules_findings(lint):
    report = lint(stream(
        workload("Deployment", "empty", "{app: web}", "{}"),
        workload("Deployment", "invalid", "{app: web}",
                 "{matchExpressions: [{key: app, operator: Equals, values: [web]}]}"),
        workload("Deployment", "missing", "{app: web}", ""),
    ))
    assert summary(report, RULE) == []


def test_workload_kinds_and_operator_pods(lint):
    text = stream(workload("Rollout", "web", "{app: web}", api_version="argoproj.io/v1alpha1"),
                  pod("debug", "{app: web}"))
    assert summary(lint(text), RULE) == []
    report = lint(text, workload_kinds=frozenset({"argoproj.io/Rollout"}))
    assert summary(report, RULE) == [overlap(5, 3, "app=web", "Rollout web", "Pod default/debug")]
    report = lint(stream(workload("ReplicaSet", "prometheus", "{app: prometheus}"), PROMETHEUS),
                  operator_pods={"monitoring.coreos.com/Prometheus": {"app": "prometheus"}})
    assert summary(report, RULE) == [
        overlap(5, 3, "app=prometheus", "ReplicaSet prometheus", "Prometheus default/main")]
    [finding] = findings(report)
    assert related(finding) == [("manifest.yaml", 10, 1, "Prometheus", "main", "pods this selector also selects")]


def test_pods_without_names_are_distinct_objects(lint):
    unnamed = pod("", "", meta="{generateName: debug-, labels: {app: web}}")
    report = lint(stream(workload("ReplicaSet", "web", "{app: web}"), unnamed, unnamed))
    assert summary(report, RULE) == [
        overlap(5, 3, "app=web", "ReplicaSet web", "Pod default/(unnamed), Pod default/(unnamed)"),
    ]


def test_controllers_without_names_are_distinct_objects(lint):
    # generateName gives each object a unique name: these are two Deployments over the same pods.
    unnamed = workload("Deployment", "", "{app: web}", meta="{generateName: web-}")
    report = lint(stream(unnamed, unnamed))
    message = ("the selector app=web of Deployment (unnamed) also selects the pods of Deployment default/(unnamed)"
               + CONFLICT)
    assert summary(report, RULE) == [(RULE, 5, 3, message), (RULE, 14, 3, message)]


def test_a_rollout_and_the_deployment_it_takes_its_template_from_are_one_workload(lint):
    rollout = """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
    """
    deployment_ = workload("Deployment", "web", "{app: web}", "{matchLabels: {app: web}}", fields=("replicas: 0",))
    kinds = frozenset({"argoproj.io/Rollout"})
    assert summary(lint(stream(rollout, deployment_), workload_kinds=kinds), RULE) == []
    other = deployment_.replace("name: web}", "name: web-old}")
    assert [f[:3] for f in summary(lint(stream(rollout, other), workload_kinds=kinds), RULE)] == [(RULE, 5, 3)]
