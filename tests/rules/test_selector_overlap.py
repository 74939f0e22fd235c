"""selector-overlap: a controller's selector selects the pods of another controller or of a bare Pod."""

from support import summary

RULE = "selector-overlap"

#: The end of every message of this rule.
CONFLICT = ("; controllers whose selectors overlap may conflict: they adopt each other's unowned pods, and "
            "autoscalers and kubectl act on the pods of both")

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  {namespace}
spec:
  selector:
    matchLabels: {selector}
  template:
    metadata:
      labels: {labels}
    spec:
      containers: [{{name: app, image: nginx:1.27}}]
"""


def deployment(name, selector, labels, namespace=""):
    """A Deployment document (selector on line 7, column 3; template labels on line 11, column 7)."""
    return DEPLOYMENT.format(name=name, selector=selector, labels=labels,
                             namespace=f"namespace: {namespace}" if namespace else "")


def related(finding):
    return [(r.file, r.line, r.column, r.object["kind"], r.object["name"], r.message) for r in finding.related]


def test_deployments_selecting_each_others_pods_are_both_reported(lint):
    report = lint(deployment("web", "{app: shop}", "{app: shop, component: web}") + "---"
                  + deployment("api", "{app: shop}", "{app: shop, component: api}"))
    assert summary(report, RULE) == [
        (RULE, 7, 3, "the selector app=shop of Deployment web also selects the pods of Deployment default/api" + CONFLICT),
        (RULE, 21, 3, "the selector app=shop of Deployment api also selects the pods of Deployment default/web" + CONFLICT),
    ]
    web, api = [f for f in report.findings if f.rule == RULE]
    assert (web.severity, web.path, web.object["name"]) == ("warning", "/spec/selector", "web")
    assert related(web) == [("manifest.yaml", 25, 7, "Deployment", "api", "pods this selector also selects")]
    assert related(api) == [("manifest.yaml", 11, 7, "Deployment", "web", "pods this selector also selects")]


def test_only_the_broader_selector_is_reported(lint):
    # web's selector selects api's pods; api's narrower selector does not select web's.
    report = lint(deployment("web", "{app: shop}", "{app: shop, component: web}") + "---"
                  + deployment("api", "{app: shop, component: api}", "{app: shop, component: api}"))
    assert summary(report, RULE) == [
        (RULE, 7, 3, "the selector app=shop of Deployment web also selects the pods of Deployment default/api" + CONFLICT),
    ]


def test_selectors_distinguished_by_an_extra_label_are_clean(lint):
    report = lint(deployment("web", "{app: shop, component: web}", "{app: shop, component: web}") + "---"
                  + deployment("api", "{app: shop, component: api}", "{app: shop, component: api}") + """
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: shop}
        spec:
          selector: {app: shop}
          ports: [{port: 80}]
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web}
        spec:
          maxUnavailable: 1
          selector: {matchLabels: {app: shop, component: web}}
    """.replace("\n        ", "\n"))
    # A Service or a PodDisruptionBudget over the pods of both is no controller.
    assert summary(report) == []


def test_deployment_selecting_a_bare_pod(lint):
    report = lint(deployment("web", "{app: web}", "{app: web}") + """
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: debug
          labels: {app: web}
        spec:
          containers: [{name: shell, image: busybox}]
    """.replace("\n        ", "\n"))
    assert summary(report, RULE) == [
        (RULE, 7, 3, "the selector app=web of Deployment web also selects the pods of Pod default/debug" + CONFLICT),
    ]
    [finding] = [f for f in report.findings if f.rule == RULE]
    assert related(finding) == [("manifest.yaml", 20, 3, "Pod", "debug", "pods this selector also selects")]
    # The Pod labelled apart is not selected.
    report = lint(deployment("web", "{app: web}", "{app: web}") + """
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: debug
          labels: {app: web-debug}
        spec:
          containers: [{name: shell, image: busybox}]
    """.replace("\n        ", "\n"))
    assert summary(report) == []


def test_replica_set_and_replication_controller_selecting_a_bare_pod(lint):
    report = lint("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: rs}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web, tier: rs}}
            spec: {containers: [{name: web, image: nginx}]}
        ---
        apiVersion: v1
        kind: ReplicationController
        metadata: {name: rc}
        spec:
          template:
            metadata: {labels: {app: web, tier: rc}}
            spec: {containers: [{name: web, image: nginx}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: bare, labels: {app: web, tier: rc}}
        spec: {containers: [{name: web, image: nginx}]}
    """)
    # The ReplicationController's missing selector defaults to its template's labels (app=web,tier=rc),
    # reported where the selector belongs (at spec, the nearest field that exists).
    assert summary(report, RULE) == [
        (RULE, 5, 3, "the selector app=web of ReplicaSet rs also selects the pods of ReplicationController "
                     "default/rc, Pod default/bare" + CONFLICT),
        (RULE, 13, 1, "the selector app=web,tier=rc of ReplicationController rc also selects the pods of Pod "
                      "default/bare" + CONFLICT),
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
    assert summary(report, RULE) == [
        (RULE, 7, 3, "the selector app=shop of Deployment api also selects the pods of Deployment default/web" + CONFLICT),
    ]
    [finding] = [f for f in report.findings if f.rule == RULE]
    assert finding.file == "base/api.yaml"
    assert len(finding.related) == 1
    assert related(finding)[0][1:] == (11, 7, "Deployment", "web", "pods this selector also selects")
    assert related(finding)[0][0] in ("overlays/prod/web.yaml", "overlays/staging/web.yaml")
    assert summary(lint({"a/web.yaml": web, "b/web.yaml": web}), RULE) == []


def test_same_name_in_another_kind_is_another_object(lint):
    report = lint(deployment("web", "{app: web}", "{app: web}") + """
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: web}
        spec:
          serviceName: web
          selector: {matchLabels: {app: web, role: db}}
          template:
            metadata: {labels: {app: web, role: db}}
            spec: {containers: [{name: db, image: postgres}]}
    """.replace("\n        ", "\n"))
    assert summary(report, RULE) == [
        (RULE, 7, 3, "the selector app=web of Deployment web also selects the pods of StatefulSet default/web"
                     + CONFLICT),
    ]


def test_more_than_three_others_are_counted(lint):
    others = "".join(f"""
        ---
        apiVersion: v1
        kind: Pod
        metadata: {{name: p{number}, labels: {{app: web}}}}
        spec: {{containers: [{{name: c, image: nginx}}]}}""".replace("\n        ", "\n") for number in range(1, 6))
    report = lint(deployment("web", "{app: web}", "{app: web}") + others)
    assert summary(report, RULE) == [
        (RULE, 7, 3, "the selector app=web of Deployment web also selects the pods of Pod default/p1, "
                     "Pod default/p2, Pod default/p3 and 2 more" + CONFLICT),
    ]
    [finding] = [f for f in report.findings if f.rule == RULE]
    assert [r.object["name"] for r in finding.related] == ["p1", "p2", "p3"]


def test_pods_and_replica_sets_owned_by_a_controller_are_skipped(lint):
    dump = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
        ---
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
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-5d4f7c9b8-x2x7q
          namespace: shop
          labels: {app: web, pod-template-hash: 5d4f7c9b8}
          ownerReferences:
            - {apiVersion: apps/v1, kind: ReplicaSet, name: web-5d4f7c9b8, uid: 9a3c, controller: true}
        spec: {containers: [{name: web, image: nginx}]}
    """
    assert summary(lint(dump), RULE) == []
    # Without a controller reference the Pod is unowned: controllers adopt it. Only the Deployment is
    # reported; the owned ReplicaSet, whose selector selects the Pod too, is not.
    orphan = dump.replace("uid: 9a3c, controller: true", "uid: 9a3c")
    assert summary(lint(orphan), RULE) == [
        (RULE, 5, 3, "the selector app=web of Deployment web also selects the pods of Pod "
                     "shop/web-5d4f7c9b8-x2x7q" + CONFLICT),
    ]
    not_controller = dump.replace("uid: 9a3c, controller: true", "uid: 9a3c, controller: false")
    assert [f[:3] for f in summary(lint(not_controller), RULE)] == [(RULE, 5, 3)]


JOBS = """
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    metadata: {labels: {app: db}}
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: migrate:1}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: seed}
spec:
  template:
    metadata: {labels: {app: db}}
    spec:
      restartPolicy: Never
      containers: [{name: seed, image: seed:1}]
"""


def test_jobs_with_generated_selectors_do_not_overlap(lint):
    # Each Job's generated selector (controller-uid) selects its own pods only.
    assert summary(lint(JOBS)) == []
    report = lint(JOBS + """
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly}
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              template:
                metadata: {labels: {app: db}}
                spec:
                  restartPolicy: Never
                  containers: [{name: backup, image: backup:1}]
    """.replace("\n        ", "\n"))
    assert summary(report) == []


def test_job_with_manual_selector_selecting_another_jobs_pods(lint):
    report = lint(JOBS + """
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: manual}
        spec:
          manualSelector: true
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db, job: manual}}
            spec:
              restartPolicy: Never
              containers: [{name: manual, image: manual:1}]
    """.replace("\n        ", "\n"))
    assert summary(report, RULE) == [
        (RULE, 27, 3, "the selector app=db of Job manual also selects the pods of Job default/migrate, "
                      "Job default/seed" + CONFLICT),
    ]
    # A manual selector unique to the Job's own pods is fine.
    assert summary(lint(JOBS + """
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: manual}
        spec:
          manualSelector: true
          selector: {matchLabels: {app: db, job: manual}}
          template:
            metadata: {labels: {app: db, job: manual}}
            spec:
              restartPolicy: Never
              containers: [{name: manual, image: manual:1}]
    """.replace("\n        ", "\n"))) == []


def test_controller_selecting_the_pods_of_a_job(lint):
    report = lint(deployment("db", "{app: db}", "{app: db}") + "---" + JOBS.split("---")[0])
    assert summary(report, RULE) == [
        (RULE, 7, 3, "the selector app=db of Deployment db also selects the pods of Job default/migrate" + CONFLICT),
    ]


def test_match_expressions(lint):
    stable = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector:
            matchLabels: {app: web}
            matchExpressions:
              - {key: track, operator: DoesNotExist}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web-canary}
        spec:
          selector:
            matchLabels: {app: web, track: canary}
          template:
            metadata: {labels: {app: web, track: canary}}
            spec: {containers: [{name: web, image: nginx}]}
    """
    assert summary(lint(stable)) == []
    exists = stable.replace("operator: DoesNotExist", "operator: Exists").replace(
        "labels: {app: web}}", "labels: {app: web, track: stable}}")
    assert summary(lint(exists), RULE) == [
        (RULE, 5, 3, "the selector app=web,track of Deployment web also selects the pods of Deployment "
                     "default/web-canary" + CONFLICT),
    ]
    not_in = stable.replace("{key: track, operator: DoesNotExist}", "{key: track, operator: NotIn, values: [canary]}")
    assert summary(lint(not_in)) == []
    not_in_other = not_in.replace("values: [canary]", "values: [beta]")
    assert summary(lint(not_in_other), RULE) == [
        (RULE, 5, 3, "the selector app=web,track notin (beta) of Deployment web also selects the pods of Deployment "
                     "default/web-canary" + CONFLICT),
    ]
    without = stable.replace("""
            matchExpressions:
              - {key: track, operator: DoesNotExist}""", "")
    assert [f[:3] for f in summary(lint(without), RULE)] == [(RULE, 5, 3)]


def test_match_expressions_in_and_runtime_labels(lint):
    report = lint("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: frontend}
        spec:
          selector:
            matchExpressions:
              - {key: app, operator: In, values: [web, api]}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api}
        spec:
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec: {containers: [{name: api, image: nginx}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: admin}
        spec:
          selector: {matchLabels: {app: admin}}
          template:
            metadata: {labels: {app: admin}}
            spec: {containers: [{name: admin, image: nginx}]}
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: hashed}
        spec:
          selector:
            matchLabels: {app: admin}
            matchExpressions:
              - {key: pod-template-hash, operator: Exists}
          template:
            metadata: {labels: {app: admin, pod-template-hash: abc}}
            spec: {containers: [{name: admin, image: nginx}]}
    """)
    # pod-template-hash is on every pod the Deployment admin creates, whatever its value.
    assert summary(report, RULE) == [
        (RULE, 5, 3, "the selector app in (web,api) of Deployment frontend also selects the pods of Deployment "
                     "default/api" + CONFLICT),
        (RULE, 25, 3, "the selector app=admin of Deployment admin also selects the pods of ReplicaSet "
                      "default/hashed" + CONFLICT),
        (RULE, 34, 3, "the selector app=admin,pod-template-hash of ReplicaSet hashed also selects the pods of "
                      "Deployment default/admin" + CONFLICT),
    ]


def test_selector_that_may_select_only_some_values_of_a_runtime_label_is_not_reported(lint):
    # Whether this ReplicaSet selects the Deployment's pods depends on the hash: not certain.
    report = lint("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web, tier: a}}
          template:
            metadata: {labels: {app: web, tier: a}}
            spec: {containers: [{name: web, image: nginx}]}
        ---
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: pinned}
        spec:
          selector: {matchLabels: {app: web, pod-template-hash: 5d4f7c9b8}}
          template:
            metadata: {labels: {app: web, pod-template-hash: 5d4f7c9b8}}
            spec: {containers: [{name: web, image: nginx}]}
    """)
    assert summary(report, RULE) == []


def test_namespaces(lint):
    same = deployment("web", "{app: shop}", "{app: shop}", "shop") + "---" + deployment("api", "{app: shop}",
                                                                                        "{app: shop, c: api}", "shop")
    assert [f[:3] for f in summary(lint(same), RULE)] == [(RULE, 7, 3), (RULE, 21, 3)]
    assert summary(lint(same), RULE)[0][3] == ("the selector app=shop of Deployment web also selects the pods of "
                                               "Deployment shop/api" + CONFLICT)
    explicit_default = (deployment("web", "{app: shop}", "{app: shop}", "default") + "---"
                        + deployment("api", "{app: shop, c: api}", "{app: shop, c: api}"))
    assert summary(lint(explicit_default), RULE) == [
        (RULE, 7, 3, "the selector app=shop of Deployment web also selects the pods of Deployment default/api" + CONFLICT),
    ]
    apart = (deployment("web", "{app: shop}", "{app: shop}", "shop") + "---"
             + deployment("api", "{app: shop}", "{app: shop}", "payments"))
    assert summary(lint(apart)) == []
    defaulted_apart = (deployment("web", "{app: shop}", "{app: shop}", "shop") + "---"
                       + deployment("api", "{app: shop, c: api}", "{app: shop, c: api}"))
    assert summary(lint(defaulted_apart)) == []
    report = lint(defaulted_apart, namespace="shop")
    assert summary(report, RULE) == [
        (RULE, 7, 3, "the selector app=shop of Deployment web also selects the pods of Deployment shop/api" + CONFLICT),
    ]


def test_other_controller_in_another_file_or_in_context(lint):
    web = deployment("web", "{app: shop}", "{app: shop, component: web}")
    api = deployment("api", "{app: shop, component: api}", "{app: shop, component: api}")
    report = lint({"web.yaml": web, "api.yaml": api})
    assert summary(report, RULE) == [
        (RULE, 7, 3, "the selector app=shop of Deployment web also selects the pods of Deployment default/api" + CONFLICT),
    ]
    assert report.findings[0].file == "web.yaml"
    report = lint({"web.yaml": web}, context={"cluster/api.yaml": api})
    assert summary(report, RULE) == [
        (RULE, 7, 3, "the selector app=shop of Deployment web also selects the pods of Deployment default/api" + CONFLICT),
    ]
    assert related(report.findings[0]) == [("cluster/api.yaml", 11, 7, "Deployment", "api",
                                            "pods this selector also selects")]
    # Context objects are not checked themselves.
    assert summary(lint({"api.yaml": api}, context={"cluster/web.yaml": web})) == []


def test_objects_in_a_list(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: shop}}
              template:
                metadata: {labels: {app: shop, component: web}}
                spec: {containers: [{name: web, image: nginx}]}
          - apiVersion: v1
            kind: Pod
            metadata:
              name: debug
              labels: {app: shop, component: debug}
            spec: {containers: [{name: shell, image: busybox}]}
    """)
    assert summary(report, RULE) == [
        (RULE, 8, 7, "the selector app=shop of Deployment web also selects the pods of Pod default/debug" + CONFLICT),
    ]
    [finding] = [f for f in report.findings if f.rule == RULE]
    assert finding.path == "/spec/selector"
    assert related(finding) == [("manifest.yaml", 16, 7, "Pod", "debug", "pods this selector also selects")]


def test_labels_from_anchors_and_merge_keys(lint):
    report = lint("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector:
            matchLabels: &shop {app: shop}
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
    assert summary(report, RULE) == [
        (RULE, 5, 3, "the selector app=shop of Deployment web also selects the pods of Deployment default/api" + CONFLICT),
    ]
    [finding] = [f for f in report.findings if f.rule == RULE]
    assert [(r.line, r.column, r.object["name"]) for r in finding.related] == [(24, 7, "api")]


def test_missing_empty_or_invalid_selectors_are_other_rules_findings(lint):
    report = lint("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: empty}
        spec:
          selector: {}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: invalid}
        spec:
          selector:
            matchExpressions: [{key: app, operator: Equals, values: [web]}]
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: missing}
        spec:
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
    """)
    assert summary(report, RULE) == []


def test_workload_kinds_and_operator_pods(lint):
    text = """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: debug, labels: {app: web}}
        spec: {containers: [{name: shell, image: busybox}]}
    """
    assert summary(lint(text), RULE) == []
    report = lint(text, workload_kinds=frozenset({"argoproj.io/Rollout"}))
    assert summary(report, RULE) == [
        (RULE, 5, 3, "the selector app=web of Rollout web also selects the pods of Pod default/debug" + CONFLICT),
    ]
    report = lint(deployment("prometheus", "{app: prometheus}", "{app: prometheus}") + """
        ---
        apiVersion: monitoring.coreos.com/v1
        kind: Prometheus
        metadata: {name: main}
        spec: {replicas: 2}
    """.replace("\n        ", "\n"), operator_pods={"monitoring.coreos.com/Prometheus": {"app": "prometheus"}})
    assert summary(report, RULE) == [
        (RULE, 7, 3, "the selector app=prometheus of Deployment prometheus also selects the pods of Prometheus "
                     "default/main" + CONFLICT),
    ]
    [finding] = [f for f in report.findings if f.rule == RULE]
    assert related(finding) == [("manifest.yaml", 16, 1, "Prometheus", "main", "pods this selector also selects")]


def test_pods_without_names_are_distinct_objects(lint):
    report = lint(deployment("web", "{app: web}", "{app: web}") + """
        ---
        apiVersion: v1
        kind: Pod
        metadata: {generateName: debug-, labels: {app: web}}
        spec: {containers: [{name: shell, image: busybox}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {generateName: debug-, labels: {app: web}}
        spec: {containers: [{name: shell, image: busybox}]}
    """.replace("\n        ", "\n"))
    assert summary(report, RULE) == [
        (RULE, 7, 3, "the selector app=web of Deployment web also selects the pods of Pod default/(unnamed), "
                     "Pod default/(unnamed)" + CONFLICT),
    ]


def test_controllers_without_names_are_distinct_objects(lint):
    # generateName gives each object a unique name: these are two Deployments over the same pods.
    report = lint("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {generateName: web-}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {generateName: web-}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
    """)
    message = ("the selector app=web of Deployment (unnamed) also selects the pods of Deployment default/(unnamed)"
               + CONFLICT)
    assert summary(report, RULE) == [(RULE, 5, 3, message), (RULE, 14, 3, message)]
