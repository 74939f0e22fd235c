"""unknown-kind: objects kubecheck cannot validate, once per apiVersion and kind per file."""

from support import crd, summary


def test_a_typo_in_the_kind_gets_a_suggestion(lint):
    report = lint("apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: web}\n")
    assert summary(report) == [("unknown-kind", 2, 7, "API group apps has no kind Deploymnet in Kubernetes 1.37; "
                                                      "did you mean Deployment?")]


def test_a_kind_under_the_wrong_group_names_the_right_one_at_the_api_version(lint):
    report = lint("apiVersion: v1\nkind: Deployment\nmetadata: {name: web}\n")
    assert summary(report) == [("unknown-kind", 1, 13, "the core API group has no kind Deployment: it is served as "
                                                      "apps/v1")]


def test_custom_resources_without_a_crd_once_per_file_with_a_count(lint):
    report = lint({"a.yaml": """
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata: {name: a}
        ---
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata: {name: b}
    """, "b.yaml": "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: c}\n"})
    assert [(f.file, f.line, f.message) for f in report.findings] == [
        ("a.yaml", 2, "no schema for monitoring.coreos.com/v1 ServiceMonitor: no CustomResourceDefinition for it among "
                      "the checked files or --context (2 objects in this file are not validated)"),
        ("b.yaml", 2, "no schema for monitoring.coreos.com/v1 ServiceMonitor: no CustomResourceDefinition for it among "
                      "the checked files or --context"),
    ]


def test_removed_apis_are_left_to_removed_api(lint):
    report = lint("""
        apiVersion: extensions/v1beta1
        kind: Deployment
        metadata: {name: web}
        ---
        apiVersion: policy/v1beta1
        kind: PodDisruptionBudget
        metadata: {name: web}
        spec: {minAvailable: 1}
    """)
    assert summary(report, "unknown-kind") == []
    # still served in 1.24 and earlier: not bundled, but known removed only from 1.25
    report = lint("apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: web}\n",
                  kubernetes_version="1.25")
    assert summary(report, "unknown-kind") == []


def test_a_crd_that_does_not_serve_the_version(lint):
    report = lint({"crd.yaml": crd("Widget", unserved=("v1alpha1",)), "widget.yaml": "apiVersion: example.com/v1alpha1\nkind: Widget\nmetadata: {name: w}\n"})
    assert summary(report) == [("unknown-kind", 1, 13, "the CustomResourceDefinition widgets.example.com does not serve "
                                                      "version v1alpha1 of Widget (it serves v1)")]


def test_a_built_in_kind_under_a_misspelt_group_suggests_the_group(lint):
    for api_version, right in (("app/v1", "apps/v1"), ("networking/v1", "networking.k8s.io/v1"),
                               ("rbac/v1", "rbac.authorization.k8s.io/v1")):
        kind = {"apps/v1": "Deployment", "networking.k8s.io/v1": "Ingress"}.get(right, "Role")
        report = lint(f"apiVersion: {api_version}\nkind: {kind}\nmetadata: {{name: x}}\n")
        assert summary(report) == [("unknown-kind", 1, 13, f"no schema for {api_version} {kind}: no "
                                    f"CustomResourceDefinition for it among the checked files or --context; "
                                    f"did you mean {right}?")]
    # a custom kind that shares a built-in name in an unrelated group gets no suggestion
    report = lint("apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: x}\n")
    assert summary(report) == [("unknown-kind", 2, 7, "no schema for serving.knative.dev/v1 Service: no "
                                                      "CustomResourceDefinition for it among the checked files or "
                                                      "--context")]


def test_a_typo_in_a_custom_kind_suggests_the_kind_a_crd_defines(lint):
    report = lint({"crd.yaml": crd("Widget"), "widget.yaml": "apiVersion: example.com/v1\nkind: Widgte\nmetadata: {name: w}\n"})
    assert summary(report) == [("unknown-kind", 2, 7, "no schema for example.com/v1 Widgte: no CustomResourceDefinition "
                                                      "for it among the checked files or --context; did you mean "
                                                      "Widget (which a CustomResourceDefinition defines in example.com)?")]
