"""hpa-missing-target: HorizontalPodAutoscalers whose scaleTargetRef names a workload the manifests do not hold."""

import pytest
from support import summary

RULE = "hpa-missing-target"

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
spec:
  selector:
    matchLabels: {app: checkout}
  template:
    metadata:
      labels: {app: checkout}
    spec:
      containers:
        - name: checkout
          image: nginx:1.27
"""

# line 9 is the target's `name` (its value at column 11)
HPA = """
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: checkout
spec:
  scaleTargetRef:
    apiVersion: {api_version}
    kind: {kind}
    name: {name}
  minReplicas: 2
  maxReplicas: 10
"""


def hpa(name="checkout", kind="Deployment", api_version="apps/v1"):
    return HPA.replace("{api_version}", api_version).replace("{kind}", kind).replace("{name}", name)


def ours(report):
    return [f for f in report.findings if f.rule == RULE]


def test_missing_target_is_reported_at_its_name(lint):
    report = lint({"deployment.yaml": DEPLOYMENT, "hpa.yaml": hpa(name="payments")})
    assert summary(report, RULE) == [(
        RULE, 9, 11,
        "Deployment 'payments' is not among the manifests of namespace 'default', which hold other Deployments: "
        "the HorizontalPodAutoscaler scales nothing",
    )]
    [finding] = ours(report)
    assert (finding.file, finding.severity, finding.path, finding.related) == (
        "hpa.yaml", "warning", "/spec/scaleTargetRef/name", ())
    assert finding.object == {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                              "namespace": "default", "name": "checkout"}


def test_a_close_name_is_suggested(lint):
    report = lint({"deployment.yaml": DEPLOYMENT, "hpa.yaml": hpa(name="checkout-v2")})
    assert summary(report, RULE) == [(
        RULE, 9, 11,
        "Deployment 'checkout-v2' is not among the manifests of namespace 'default', which hold other Deployments: "
        "the HorizontalPodAutoscaler scales nothing; did you mean 'checkout'?",
    )]


def test_existing_target_is_clean(lint):
    assert summary(lint({"deployment.yaml": DEPLOYMENT, "hpa.yaml": hpa()}), RULE) == []


def test_autoscaling_v1_is_checked_too(lint):
    text = DEPLOYMENT + """---
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: checkout}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: %s}
  minReplicas: 1
  maxReplicas: 5
  targetCPUUtilizationPercentage: 80
"""
    assert summary(lint(text % "checkout"), RULE) == []
    report = lint(text % "checkot")
    assert summary(report, RULE) == [(
        RULE, 20, 65,
        "Deployment 'checkot' is not among the manifests of namespace 'default', which hold other Deployments: "
        "the HorizontalPodAutoscaler scales nothing; did you mean 'checkout'?",
    )]
    assert ours(report)[0].object["apiVersion"] == "autoscaling/v1"


WORKLOADS = """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres:16}]}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: worker}
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec: {containers: [{name: worker, image: worker:1}]}
---
"""


@pytest.mark.parametrize("kind, name", [("Deployment", "checkout"), ("StatefulSet", "db"), ("ReplicaSet", "worker")])
def test_each_scalable_workload_kind_is_found(lint, kind, name):
    assert summary(lint(WORKLOADS + DEPLOYMENT + "---" + hpa(name=name, kind=kind)), RULE) == []


@pytest.mark.parametrize("kind, plural", [("StatefulSet", "StatefulSets"), ("ReplicaSet", "ReplicaSets")])
def test_a_target_of_another_kind_with_that_name_does_not_count(lint, kind, plural):
    # the Deployment `checkout` exists, but not a StatefulSet or ReplicaSet of that name
    report = lint(WORKLOADS + DEPLOYMENT + "---" + hpa(kind=kind))
    assert summary(report, RULE) == [(
        RULE, 44, 11,
        f"{kind} 'checkout' is not among the manifests of namespace 'default', which hold other {plural}: "
        "the HorizontalPodAutoscaler scales nothing",
    )]


def test_not_judged_where_the_manifests_hold_no_object_of_the_target_kind(lint):
    assert summary(lint(hpa(name="payments")), RULE) == []
    # Deployments only: StatefulSets here are managed elsewhere
    assert summary(lint(DEPLOYMENT + "---" + hpa(kind="StatefulSet")), RULE) == []
    # the only Deployment is in another declared namespace
    other = DEPLOYMENT.replace("  name: checkout\n", "  name: checkout\n  namespace: shop\n", 1)
    assert summary(lint(other + "---" + hpa(name="payments").replace(
        "  name: checkout\n", "  name: checkout\n  namespace: admin\n", 1)), RULE) == []


ROLLOUT = """
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: checkout
spec:
  replicas: 2
  selector:
    matchLabels: {app: checkout}
  template:
    metadata:
      labels: {app: checkout}
    spec:
      containers: [{name: checkout, image: nginx:1.27}]
  strategy:
    canary:
      steps: [{setWeight: 20}, {pause: {}}]
---
"""


def test_custom_resource_targets_are_found(lint):
    report = lint(ROLLOUT + hpa(kind="Rollout", api_version="argoproj.io/v1alpha1"))
    assert summary(report, RULE) == []


def test_missing_custom_resource_target(lint):
    report = lint(ROLLOUT + hpa(name="checkout-v2", kind="Rollout", api_version="argoproj.io/v1alpha1"))
    assert summary(report, RULE) == [(
        RULE, 27, 11,
        "Rollout 'checkout-v2' is not among the manifests of namespace 'default', which hold other Rollouts: "
        "the HorizontalPodAutoscaler scales nothing; did you mean 'checkout'?",
    )]
    assert ours(report)[0].severity == "warning"


def test_the_target_api_group_must_match(lint):
    # a Rollout `checkout` exists, but no Deployment of that name
    report = lint(ROLLOUT + DEPLOYMENT.replace("name: checkout", "name: web", 1) + "---" + hpa())
    assert summary(report, RULE) == [(
        RULE, 42, 11,
        "Deployment 'checkout' is not among the manifests of namespace 'default', which hold other Deployments: "
        "the HorizontalPodAutoscaler scales nothing",
    )]
    # a Deployment `checkout` exists, but no Rollout of that name
    report = lint(ROLLOUT.replace("name: checkout", "name: web", 1) + DEPLOYMENT + "---"
                  + hpa(kind="Rollout", api_version="argoproj.io/v1alpha1"))
    assert summary(report, RULE) == [(
        RULE, 42, 11,
        "Rollout 'checkout' is not among the manifests of namespace 'default', which hold other Rollouts: "
        "the HorizontalPodAutoscaler scales nothing",
    )]
    # a Rollout of another API group is another kind of object: none of those here, so not judged
    assert summary(lint(ROLLOUT + hpa(kind="Rollout", api_version="rollouts.example.com/v1")), RULE) == []


@pytest.mark.parametrize("api_version", ["apps/v1", "apps/v1beta2", "apps/v1beta1"])
def test_the_target_api_version_does_not_matter(lint, api_version):
    # the HPA controller resolves the target's group and kind, whatever the version
    assert summary(lint(DEPLOYMENT + "---" + hpa(api_version=api_version)), RULE) == []
    report = lint(DEPLOYMENT + "---" + hpa(name="checkout-v2", api_version=api_version))
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 24, 11)]


def test_a_target_in_a_group_that_no_longer_serves_its_kind_scales_nothing(lint):
    # Since Kubernetes 1.16 (older than every version kubecheck bundles) extensions/v1beta1 serves no
    # Deployments: the HPA controller maps scaleTargetRef's group and kind to a resource, finds none, and
    # reports FailedGetScale (no matches for kind "Deployment" in group "extensions"), although an apps/v1
    # Deployment of that name exists. Something must say so (this rule, or another) at the scaleTargetRef.
    report = lint(DEPLOYMENT + "---" + hpa(api_version="extensions/v1beta1"))
    about_target = [(f.rule, f.severity) for f in report.findings
                    if f.path is not None and f.path.startswith("/spec/scaleTargetRef")]
    assert len(about_target) == 1 and about_target[0][1] in ("error", "warning"), about_target
    assert [f[3] for f in summary(report, RULE)] == [
        "Kubernetes 1.37 serves no Deployment in API group 'extensions' (write apiVersion: apps/v1): the "
        "HorizontalPodAutoscaler cannot find its target and scales nothing"]
    assert [f[3] for f in summary(lint(DEPLOYMENT + "---" + hpa(api_version="extensions/v1beta1"),
                                       kubernetes_version="1.25"), RULE)] == [
        "Kubernetes 1.25 serves no Deployment in API group 'extensions' (write apiVersion: apps/v1): the "
        "HorizontalPodAutoscaler cannot find its target and scales nothing"]


def test_a_deployment_written_in_an_old_group_is_found(lint):
    old = DEPLOYMENT.replace("apiVersion: apps/v1", "apiVersion: extensions/v1beta1")
    assert summary(lint(old + "---" + hpa()), RULE) == []


NAMESPACED = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  {workload_namespace}
spec:
  selector: {{matchLabels: {{app: checkout}}}}
  template:
    metadata: {{labels: {{app: checkout}}}}
    spec: {{containers: [{{name: checkout, image: nginx:1.27}}]}}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
  {workload_namespace}
spec:
  selector: {{matchLabels: {{app: cart}}}}
  template:
    metadata: {{labels: {{app: cart}}}}
    spec: {{containers: [{{name: cart, image: nginx:1.27}}]}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: checkout
  {hpa_namespace}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: checkout
  maxReplicas: 4
"""


def namespaced(workload="", autoscaler=""):
    return NAMESPACED.format(workload_namespace=f"namespace: {workload}" if workload else "",
                             hpa_namespace=f"namespace: {autoscaler}" if autoscaler else "")


OTHER_DEPLOYMENT = """---
apiVersion: apps/v1
kind: Deployment
metadata: {name: search, %s}
spec:
  selector: {matchLabels: {app: search}}
  template:
    metadata: {labels: {app: search}}
    spec: {containers: [{name: search, image: search:1}]}
"""


def test_explicit_and_defaulted_namespaces_match(lint):
    assert summary(lint(namespaced(workload="shop", autoscaler="shop")), RULE) == []
    assert summary(lint(namespaced()), RULE) == []
    assert summary(lint(namespaced(workload="default")), RULE) == []
    assert summary(lint(namespaced(autoscaler="default")), RULE) == []


def test_namespace_option_is_the_default_namespace(lint):
    assert summary(lint(namespaced(workload="shop"), namespace="shop"), RULE) == []
    assert summary(lint(namespaced(autoscaler="shop"), namespace="shop"), RULE) == []
    assert summary(lint(namespaced(), namespace="shop"), RULE) == []
    report = lint({"deployment.yaml": DEPLOYMENT, "hpa.yaml": hpa(name="payments")}, namespace="shop")
    assert summary(report, RULE) == [(
        RULE, 9, 11, "Deployment 'payments' is not among the manifests of namespace 'shop', which hold other "
                     "Deployments: the HorizontalPodAutoscaler scales nothing")]


def test_targets_in_another_declared_namespace_do_not_match(lint):
    report = lint(namespaced(workload="shop", autoscaler="admin") + OTHER_DEPLOYMENT % "namespace: admin")
    # both namespaces are declared: no doubt, and the Deployment `checkout` of `shop` is not suggested
    assert summary(report, RULE) == [(
        RULE, 32, 11, "Deployment 'checkout' is not among the manifests of namespace 'admin', which hold other "
                      "Deployments: the HorizontalPodAutoscaler scales nothing")]
    assert ours(report)[0].severity == "warning"


def test_same_name_in_another_namespace_while_the_autoscaler_has_none_is_doubtful(lint):
    text = namespaced(workload="shop") + OTHER_DEPLOYMENT % "labels: {}"
    report = lint(text)
    assert summary(report, RULE) == [(
        RULE, 32, 11,
        "Deployment 'checkout' is not among the manifests of namespace 'default', which hold other Deployments: "
        "the HorizontalPodAutoscaler scales nothing; a Deployment of that name is in namespace 'shop', and "
        "HorizontalPodAutoscaler checkout has no namespace, so it is checked as in 'default': if they are applied "
        "to one namespace, pass it with --namespace",
    )]
    assert ours(report)[0].severity == "info"
    # as the note says
    assert summary(lint(text, namespace="shop"), RULE) == []


def test_same_name_in_another_namespace_while_the_target_has_none_is_doubtful(lint):
    report = lint(namespaced(autoscaler="shop") + OTHER_DEPLOYMENT % "namespace: shop")
    assert summary(report, RULE) == [(
        RULE, 32, 11,
        "Deployment 'checkout' is not among the manifests of namespace 'shop', which hold other Deployments: "
        "the HorizontalPodAutoscaler scales nothing; a Deployment of that name is in namespace 'default', and "
        "Deployment checkout has no namespace, so it is checked as in 'default': if they are applied to one "
        "namespace, pass it with --namespace",
    )]
    assert ours(report)[0].severity == "info"


def test_objects_inside_a_list(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec:
              serviceName: db
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec: {containers: [{name: db, image: postgres:16}]}
          - apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: db}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: db}
              maxReplicas: 3
          - apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: db-replica}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: db-replica}
              maxReplicas: 3
    """)
    assert summary(report, RULE) == [(
        RULE, 23, 70,
        "StatefulSet 'db-replica' is not among the manifests of namespace 'default', which hold other StatefulSets: "
        "the HorizontalPodAutoscaler scales nothing",
    )]
    assert ours(report)[0].path == "/spec/scaleTargetRef/name"


def test_anchors_and_merge_keys_supply_the_target(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: apps/v1
            kind: Deployment
            metadata: &checkout {name: checkout}
            spec:
              selector: {matchLabels: {app: checkout}}
              template:
                metadata: {labels: {app: checkout}}
                spec: {containers: [{name: checkout, image: nginx:1.27}]}
          - apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: *checkout
            spec:
              scaleTargetRef: &target
                apiVersion: apps/v1
                kind: Deployment
                <<: *checkout
              maxReplicas: 4
          - apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: checkout-canary}
            spec:
              scaleTargetRef:
                <<: *target
                name: checkout-canary
              maxReplicas: 2
    """)
    # keys written next to a merge key win over the merged ones
    assert summary(report, RULE) == [(
        RULE, 27, 15,
        "Deployment 'checkout-canary' is not among the manifests of namespace 'default', which hold other "
        "Deployments: the HorizontalPodAutoscaler scales nothing; did you mean 'checkout'?",
    )]


def test_targets_in_other_files_and_in_context_resolve(lint):
    assert summary(lint({"deployment.yaml": DEPLOYMENT, "hpa.yaml": hpa()}), RULE) == []
    assert summary(lint({"hpa.yaml": hpa()}, context={"deployment.yaml": DEPLOYMENT}), RULE) == []
    # a context Deployment makes the namespace judged
    report = lint({"hpa.yaml": hpa(name="checkout-v2")}, context={"deployment.yaml": DEPLOYMENT})
    assert summary(report, RULE) == [(
        RULE, 9, 11,
        "Deployment 'checkout-v2' is not among the manifests of namespace 'default', which hold other Deployments: "
        "the HorizontalPodAutoscaler scales nothing; did you mean 'checkout'?",
    )]
    assert ours(report)[0].file == "hpa.yaml"


def test_a_copy_in_any_file_counts(lint):
    files = {"base/deployment.yaml": DEPLOYMENT, "staging/deployment.yaml": DEPLOYMENT, "hpa.yaml": hpa()}
    assert summary(lint(files), RULE) == []
    files["hpa.yaml"] = hpa(name="checkout-v2")
    assert [f[:3] for f in summary(lint(files), RULE)] == [(RULE, 9, 11)]


def test_findings_are_not_reported_on_context_files(lint):
    report = lint({"deployment.yaml": DEPLOYMENT}, context={"hpa.yaml": hpa(name="payments")})
    assert summary(report, RULE) == []


def test_other_autoscaling_versions_are_checked(lint):
    report = lint(DEPLOYMENT + "---" + hpa(name="payments").replace("autoscaling/v2", "autoscaling/v2beta2"))
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 24, 11)]


def test_autoscalers_of_other_groups_are_skipped(lint):
    report = lint(DEPLOYMENT + "---" + hpa(name="payments").replace("autoscaling/v2", "example.com/v1"))
    assert summary(report, RULE) == []


@pytest.mark.parametrize("target", [
    "{apiVersion: apps/v1, kind: Deployment}",
    "{apiVersion: apps/v1, name: payments}",
    "{apiVersion: apps/v1, kind: Deployment, name: 7}",
    "{apiVersion: apps/v1, kind: [Deployment], name: payments}",
    "payments",
    "null",
])
def test_incomplete_targets_are_left_to_the_schema(lint, target):
    text = DEPLOYMENT + f"""---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {{name: checkout}}
spec:
  scaleTargetRef: {target}
  maxReplicas: 4
"""
    assert summary(lint(text), RULE) == []


def test_realistic_application_is_clean(lint):
    report = lint("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: checkout
          namespace: shop
          labels: {app: checkout}
        spec:
          selector:
            matchLabels: {app: checkout}
          template:
            metadata:
              labels: {app: checkout}
            spec:
              containers:
                - name: checkout
                  image: nginx:1.27
                  resources:
                    requests: {cpu: 100m, memory: 128Mi}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: checkout
          namespace: shop
        spec:
          scaleTargetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: checkout
          minReplicas: 2
          maxReplicas: 10
          metrics:
            - type: Resource
              resource:
                name: cpu
                target: {type: Utilization, averageUtilization: 70}
    """)
    assert summary(report) == []
