"""duplicate-object: two objects with the same group, kind, namespace and name."""

from support import crd, summary

CONFIGMAP = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
  {namespace}
data: {{mode: fast}}
"""


def test_second_definition_is_reported_at_its_name_and_relates_the_first(lint):
    report = lint(CONFIGMAP.format(name="settings", namespace="") + "---" + CONFIGMAP.format(
        name="settings", namespace="namespace: default"))
    assert summary(report) == [(
        "duplicate-object", 11, 3,
        "ConfigMap default/settings is defined twice; the first definition is at manifest.yaml:1, and applying "
        "both keeps only one of them",
    )]
    [related] = report.findings[0].related
    assert (related.file, related.line, related.column, related.message) == ("manifest.yaml", 4, 3, "also defined here")


def test_different_namespaces_names_or_kinds_are_distinct(lint):
    text = (CONFIGMAP.format(name="a", namespace="") + "---" + CONFIGMAP.format(name="a", namespace="namespace: prod")
            + "---" + CONFIGMAP.format(name="b", namespace="") + "---\napiVersion: v1\nkind: Secret\nmetadata: {name: a}\n")
    assert summary(lint(text)) == []


def test_duplicates_across_files_are_reported_in_the_later_file(lint):
    report = lint({"a.yaml": CONFIGMAP.format(name="x", namespace=""), "b.yaml": CONFIGMAP.format(name="x", namespace="")})
    assert [(f.file, f.line, f.column) for f in report.findings] == [("b.yaml", 4, 3)]


def test_a_clash_with_a_context_object_is_reported_on_the_checked_one(lint):
    report = lint({"a.yaml": CONFIGMAP.format(name="x", namespace="")},
                  context={"b.yaml": CONFIGMAP.format(name="x", namespace="")})
    assert summary(report) == [("duplicate-object", 4, 3, "ConfigMap default/x is also defined in b.yaml; applying both "
                                                          "keeps only one of them")]


def test_kinds_that_moved_groups_are_the_same_object(lint):
    report = lint("""
        apiVersion: extensions/v1beta1
        kind: Ingress
        metadata: {name: web}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web}
    """)
    assert [f[:3] for f in summary(report, "duplicate-object")] == [("duplicate-object", 7, 12)]


def test_cluster_scoped_objects_ignore_namespaces(lint):
    report = lint("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: reader, namespace: a}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: reader, namespace: b}
    """)
    assert summary(report) == [("duplicate-object", 7, 12, "ClusterRole reader is defined twice; the first definition "
                                                           "is at manifest.yaml:1, and applying both keeps only one of "
                                                           "them")]
    assert report.findings[0].object["namespace"] is None


def test_custom_kinds_take_their_scope_from_a_crd_among_the_inputs(lint):
    issuer_crd = crd("ClusterIssuer", "{type: object, x-kubernetes-preserve-unknown-fields: true}",
                     group="cert-manager.io", scope="Cluster")
    issuers = """
        apiVersion: cert-manager.io/v1
        kind: ClusterIssuer
        metadata: {name: letsencrypt, namespace: a}
        ---
        apiVersion: cert-manager.io/v1
        kind: ClusterIssuer
        metadata: {name: letsencrypt, namespace: b}
    """
    assert summary(lint(issuers), "duplicate-object") == []
    assert [f[0] for f in summary(lint({"crd.yaml": issuer_crd, "issuers.yaml": issuers}))] == ["duplicate-object"]


def test_objects_without_a_name_are_not_compared(lint):
    report = lint("""
        apiVersion: batch/v1
        kind: Job
        metadata: {generateName: migrate-}
        spec: {template: {spec: {restartPolicy: Never, containers: [{name: m, image: m}]}}}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {generateName: migrate-}
        spec: {template: {spec: {restartPolicy: Never, containers: [{name: m, image: m}]}}}
    """)
    assert summary(report) == []
