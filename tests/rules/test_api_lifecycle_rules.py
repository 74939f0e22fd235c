"""removed-api and deprecated-api: verdicts by target version, at the apiVersion, naming the replacement."""

from support import summary

INGRESS = "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: web}\n"
FLOW = "apiVersion: flowcontrol.apiserver.k8s.io/v1beta2\nkind: FlowSchema\nmetadata: {name: f}\n"


def test_removed_api_names_the_removal_and_the_replacement(lint):
    assert summary(lint(INGRESS)) == [(
        "removed-api", 1, 13, "extensions/v1beta1 Ingress is no longer served: it was removed in Kubernetes 1.22, "
                              "deprecated since 1.14 (the target is 1.37); use networking.k8s.io/v1 (served since 1.19)")]


def test_removed_without_replacement(lint):
    report = lint("apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: p}\n")
    assert summary(report) == [(
        "removed-api", 1, 13, "policy/v1beta1 PodSecurityPolicy is no longer served: it was removed in Kubernetes "
                              "1.25, deprecated since 1.21 (the target is 1.37); it has no replacement")]


def test_the_target_version_decides_between_deprecated_removed_and_nothing(lint):
    assert [f[0] for f in summary(lint(FLOW, kubernetes_version="1.25"))] == []
    assert summary(lint(FLOW, kubernetes_version="1.27"), "deprecated-api") == [(
        "deprecated-api", 1, 13, "flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema is deprecated since Kubernetes 1.26 "
                                 "and will not be served from 1.29; use flowcontrol.apiserver.k8s.io/v1 (served since "
                                 "1.29)")]
    assert [f[0] for f in summary(lint(FLOW, kubernetes_version="1.29"))] == ["removed-api"]


def test_list_items_are_covered_at_their_own_apiversion(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: batch/v1beta1
            kind: CronJob
            metadata: {name: nightly}
    """)
    assert [f[:3] for f in summary(report)] == [("removed-api", 4, 17)]


def test_every_kind_of_a_removed_group_version_is_covered(lint):
    # apps/v1beta1 and apps/v1beta2 went away whole in 1.16, ControllerRevision with the workloads
    report = lint("apiVersion: apps/v1beta2\nkind: ControllerRevision\nmetadata: {name: r}\nrevision: 1\n")
    assert [f[:3] for f in summary(report)] == [("removed-api", 1, 13)]
