"""hpa-missing-target: HorizontalPodAutoscalers whose scaleTargetRef names a workload the manifests do not hold."""

import pytest
from rules.ingress_hpa_fixtures import MATCHING_NAMESPACES, doubtful, document, listed, not_among, stream
from support import summary

RULE = "hpa-missing-target"

ARGO = "argoproj.io/v1alpha1"


def workload(kind="Deployment", name="checkout", *, namespace="", api_version="apps/v1"):
    """A workload of 8 lines whose pods are labelled `app: {name}`."""
    return document(kind, name, f"""
        selector: {{matchLabels: {{app: {name}}}}}
        template:
          metadata: {{labels: {{app: {name}}}}}
          spec: {{containers: [{{name: {name}, image: nginx:1.27}}]}}
    """, api_version=api_version, namespace=namespace)


def hpa(target="checkout", kind="Deployment", api_version="apps/v1", *, name="checkout", namespace="",
        autoscaling="autoscaling/v2"):
    """A HorizontalPodAutoscaler of 10 lines whose scaleTargetRef names `target` on its line 8, at column 11."""
    return document("HorizontalPodAutoscaler", name, f"""
        scaleTargetRef:
          apiVersion: {api_version}
          kind: {kind}
          name: {target}
        minReplicas: 2
        maxReplicas: 10
    """, api_version=autoscaling, namespace=namespace)


DEPLOYMENT = workload()
ROLLOUT = workload("Rollout", api_version=ARGO)


def missing(target, namespace="default", kind="Deployment", suggestion=""):
    return not_among(kind, target, namespace, "the HorizontalPodAutoscaler scales nothing", suggestion)


def ours(report):
    return [f for f in report.findings if f.rule == RULE]


@pytest.mark.parametrize("target, options, message", [
    ("payments", {}, missing("payments")),
    ("checkout-v2", {}, missing("checkout-v2", suggestion="checkout")),
    # --namespace is the namespace of objects that have none
    ("payments", {"namespace": "shop"}, missing("payments", "shop")),
])
def test_missing_target_is_reported_at_its_name(lint, target, options, message):
    report = lint({"deployment.yaml": DEPLOYMENT, "hpa.yaml": hpa(target)}, **options)
    assert summary(report, RULE) == [(RULE, 8, 11, message)]
    [finding] = ours(report)
    assert (finding.file, finding.severity, finding.path, finding.related) == (
        "hpa.yaml", "warning", "/spec/scaleTargetRef/name", ())
    assert finding.object == {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                              "namespace": options.get("namespace", "default"), "name": "checkout"}


def test_existing_target_is_clean(lint):
    assert summary(lint({"deployment.yaml": DEPLOYMENT, "hpa.yaml": hpa()}), RULE) == []


@pytest.mark.parametrize("autoscaling", ["autoscaling/v1", "autoscaling/v2beta2"])
def test_other_autoscaling_versions_are_checked(lint, autoscaling):
    assert summary(lint(stream(DEPLOYMENT, hpa(autoscaling=autoscaling))), RULE) == []
    report = lint(stream(DEPLOYMENT, hpa("checkot", autoscaling=autoscaling)))
    assert summary(report, RULE) == [(RULE, 17, 11, missing("checkot", suggestion="checkout"))]
    assert ours(report)[0].object["apiVersion"] == autoscaling


def test_autoscalers_of_other_groups_are_skipped(lint):
    report = lint(stream(DEPLOYMENT, hpa("payments", autoscaling="example.com/v1")))
    assert summary(report, RULE) == []


WORKLOADS = (workload("StatefulSet", "db"), workload("ReplicaSet", "worker"), DEPLOYMENT)


@pytest.mark.parametrize("kind, name", [("Deployment", "checkout"), ("StatefulSet", "db"), ("ReplicaSet", "worker")])
def test_each_scalable_workload_kind_is_found(lint, kind, name):
    assert summary(lint(stream(*WORKLOADS, hpa(name, kind))), RULE) == []


@pytest.mark.parametrize("kind", ["StatefulSet", "ReplicaSet"])
def test_a_target_of_another_kind_with_that_name_does_not_count(lint, kind):
    # the Deployment `checkout` exists, but not a StatefulSet or ReplicaSet of that name
    report = lint(stream(*WORKLOADS, hpa(kind=kind)))
    assert summary(report, RULE) == [(RULE, 35, 11, missing("checkout", kind=kind))]


def test_not_judged_where_the_manifests_hold_no_object_of_the_target_kind(lint):
    assert summary(lint(hpa("payments")), RULE) == []
    # Deployments only: StatefulSets here are managed elsewhere
    assert summary(lint(stream(DEPLOYMENT, hpa(kind="StatefulSet"))), RULE) == []
    # the only Deployment is in another declared namespace
    assert summary(lint(stream(workload(namespace="shop"), hpa("payments", namespace="admin"))), RULE) == []


def test_custom_resource_targets_are_found(lint):
    assert summary(lint(stream(ROLLOUT, hpa(kind="Rollout", api_version=ARGO))), RULE) == []


def test_missing_custom_resource_target(lint):
    report = lint(stream(ROLLOUT, hpa("checkout-v2", "Rollout", ARGO)))
    assert summary(report, RULE) == [(RULE, 17, 11, missing("checkout-v2", kind="Rollout", suggestion="checkout"))]
    assert ours(report)[0].severity == "warning"


@pytest.mark.parametrize("workloads, kind, api_version", [
    # a Rollout `checkout` exists, but no Deployment of that name
    ((ROLLOUT, workload(name="web")), "Deployment", "apps/v1"),
    # a Deployment `checkout` exists, but no Rollout of that name
    ((workload("Rollout", "web", api_version=ARGO), DEPLOYMENT), "Rollout", ARGO),
])
def test_the_target_api_group_must_match(lint, workloads, kind, api_version):
    report = lint(stream(*workloads, hpa(kind=kind, api_version=api_version)))
    assert summary(report, RULE) == [(RULE, 26, 11, missing("checkout", kind=kind))]


def test_a_target_kind_of_another_api_group_is_another_kind(lint):
    # a Rollout of another API group is another kind of object: none of those here, so not judged
    assert summary(lint(stream(ROLLOUT, hpa(kind="Rollout", api_version="rollouts.example.com/v1"))), RULE) == []


@pytest.mark.parametrize("api_version", ["apps/v1", "apps/v1beta2", "apps/v1beta1"])
def test_the_target_api_version_does_not_matter(lint, api_version):
    # the HPA controller resolves the target's group and kind, whatever the version
    assert summary(lint(stream(DEPLOYMENT, hpa(api_version=api_version))), RULE) == []
    report = lint(stream(DEPLOYMENT, hpa("checkout-v2", api_version=api_version)))
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 17, 11)]


@pytest.mark.parametrize("options, version", [({}, "1.37"), ({"kubernetes_version": "1.25"}, "1.25")])
def test_a_target_in_a_group_that_no_longer_serves_its_kind_scales_nothing(lint, options, version):
    # Since Kubernetes 1.16 (older than every version kubecheck bundles) extensions/v1beta1 serves no
    # Deployments: the HPA controller maps scaleTargetRef's group and kind to a resource, finds none, and
    # reports FailedGetScale (no matches for kind "Deployment" in group "extensions"), although an apps/v1
    # Deployment of that name exists. Something must say so (this rule, or another) at the scaleTargetRef.
    report = lint(stream(DEPLOYMENT, hpa(api_version="extensions/v1beta1")), **options)
    about_target = [(f.rule, f.severity) for f in report.findings
                    if f.path is not None and f.path.startswith("/spec/scaleTargetRef")]
    assert len(about_target) == 1 and about_target[0][1] in ("error", "warning"), about_target
    assert [f[3] for f in summary(report, RULE)] == [
        f"Kubernetes {version} serves no Deployment in API group 'extensions' (write apiVersion: apps/v1): the "
        "HorizontalPodAutoscaler cannot find its target and scales nothing"]


def test_a_deployment_written_in_an_old_group_is_found(lint):
    old = workload(api_version="extensions/v1beta1")
    assert summary(lint(stream(old, hpa())), RULE) == []


def namespaced(workloads="", autoscaler="", search=None):
    """Deployments checkout and cart in namespace `workloads`, an autoscaler of checkout in `autoscaler` (the
    target's name on line 26, column 11), and, where `search` is given, a Deployment search in that namespace."""
    return stream(workload(namespace=workloads), workload(name="cart", namespace=workloads),
                  hpa(namespace=autoscaler), *([] if search is None else [workload(name="search", namespace=search)]))


@pytest.mark.parametrize("workloads, autoscaler, option", MATCHING_NAMESPACES)
def test_explicit_and_defaulted_namespaces_match(lint, workloads, autoscaler, option):
    assert summary(lint(namespaced(workloads, autoscaler), namespace=option), RULE) == []


def test_targets_in_another_declared_namespace_do_not_match(lint):
    report = lint(namespaced("shop", "admin", search="admin"))
    # both namespaces are declared: no doubt, and the Deployment `checkout` of `shop` is not suggested
    assert summary(report, RULE) == [(RULE, 26, 11, missing("checkout", "admin"))]
    assert ours(report)[0].severity == "warning"


@pytest.mark.parametrize("workloads, autoscaler, message", [
    ("shop", "", missing("checkout") + doubtful("Deployment", "shop", "HorizontalPodAutoscaler checkout")),
    ("", "shop", missing("checkout", "shop") + doubtful("Deployment", "default", "Deployment checkout")),
])
def test_same_name_in_another_namespace_while_one_side_has_none_is_doubtful(lint, workloads, autoscaler, message):
    # a Deployment search in the autoscaler's namespace has it judged
    text = namespaced(workloads, autoscaler, search=autoscaler)
    report = lint(text)
    assert summary(report, RULE) == [(RULE, 26, 11, message)]
    assert ours(report)[0].severity == "info"
    # as the note says
    assert summary(lint(text, namespace="shop"), RULE) == []


def test_objects_inside_a_list(lint):
    report = lint(listed(
        workload("StatefulSet", "db"),
        hpa("db", "StatefulSet", name="db"),
        hpa("db-replica", "StatefulSet", name="db-replica"),
    ))
    assert summary(report, RULE) == [(RULE, 29, 15, missing("db-replica", kind="StatefulSet"))]
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
    assert summary(report, RULE) == [(RULE, 27, 15, missing("checkout-canary", suggestion="checkout"))]


def test_targets_in_other_files_and_in_context_resolve(lint):
    assert summary(lint({"deployment.yaml": DEPLOYMENT, "hpa.yaml": hpa()}), RULE) == []
    assert summary(lint({"hpa.yaml": hpa()}, context={"deployment.yaml": DEPLOYMENT}), RULE) == []
    # a context Deployment makes the namespace judged
    report = lint({"hpa.yaml": hpa("checkout-v2")}, context={"deployment.yaml": DEPLOYMENT})
    assert summary(report, RULE) == [(RULE, 8, 11, missing("checkout-v2", suggestion="checkout"))]
    assert ours(report)[0].file == "hpa.yaml"


def test_a_copy_in_any_file_counts(lint):
    files = {"base/deployment.yaml": DEPLOYMENT, "staging/deployment.yaml": DEPLOYMENT, "hpa.yaml": hpa()}
    assert summary(lint(files), RULE) == []
    files["hpa.yaml"] = hpa("checkout-v2")
    assert [f[:3] for f in summary(lint(files), RULE)] == [(RULE, 8, 11)]


def test_findings_are_not_reported_on_context_files(lint):
    report = lint({"deployment.yaml": DEPLOYMENT}, context={"hpa.yaml": hpa("payments")})
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
    autoscaler = document("HorizontalPodAutoscaler", "checkout", f"scaleTargetRef: {target}\nmaxReplicas: 4",
                          api_version="autoscaling/v2")
    assert summary(lint(stream(DEPLOYMENT, autoscaler)), RULE) == []


def test_realistic_application_is_clean(lint):
    report = lint(stream("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: checkout, namespace: shop, labels: {app: checkout}}
        spec:
          selector: {matchLabels: {app: checkout}}
          template:
            metadata: {labels: {app: checkout}}
            spec:
              containers:
                - {name: checkout, image: nginx:1.27, resources: {requests: {cpu: 100m, memory: 128Mi}}}
    """, document("HorizontalPodAutoscaler", "checkout", """
        scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: checkout}
        minReplicas: 2
        maxReplicas: 10
        metrics:
          - type: Resource
            resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
    """, api_version="autoscaling/v2", namespace="shop")))
    assert summary(report) == []
