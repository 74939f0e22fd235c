"""missing-pvc: pods whose `persistentVolumeClaim` volumes name a claim the manifests do not hold."""

import pytest
from support import summary

from .pod_template_fixtures import SAME_NAMESPACE, WORKLOADS, document, doubt, listed, named, not_among, workload

RULE = "missing-pvc"


def claim(name="data", namespace=None):
    """A PersistentVolumeClaim of 5 lines."""
    return (f"---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {named(name, namespace)}\n"
            "spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n")


def volumes(*claims):
    """A pod spec with a volume (a, b, ...) of each of `claims` (what follows `claimName: `), one a line at its end."""
    return "containers: [{name: worker, image: busybox:1.36}]\nvolumes:" + "".join(
        f"\n  - {{name: {letter}, persistentVolumeClaim: {{claimName: {name}}}}}"
        for letter, name in zip("abcdef", claims))


def pod(*claims, namespace=None, name="worker"):
    """A Pod of 8 lines (more with more `claims` than the default `data`) with a volume of each claim."""
    return workload("Pod", volumes(*claims or ["data"]), name, namespace=namespace)


#: Where pod()'s claimName value is when the Pod follows one claim().
CLAIM_NAME_AT = (13, 52)


def missing(name, namespace="default", tail=""):
    return not_among("PersistentVolumeClaim", name, namespace, "the pods stay Pending until it exists" + tail)


def findings(report):
    return [finding for finding in report.findings if finding.rule == RULE]


def test_missing_claim_is_reported_at_its_name(lint):
    report = lint(claim() + pod("worker-data"))
    assert summary(report, RULE) == [(RULE, *CLAIM_NAME_AT, missing("worker-data"))]
    [finding] = findings(report)
    assert finding.severity == "warning"
    assert finding.path == "/spec/volumes/0/persistentVolumeClaim/claimName"
    assert finding.object["kind"] == "Pod" and finding.object["name"] == "worker"
    assert finding.related == ()


def test_existing_claim_is_clean(lint):
    assert summary(lint(claim() + pod("data"))) == []


def test_realistic_deployment_with_its_claim_is_clean(lint):
    report = lint("""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: uploads
          namespace: shop
        spec:
          accessModes: [ReadWriteMany]
          storageClassName: nfs
          resources:
            requests:
              storage: 10Gi
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
                - name: web
                  image: nginx:1.27
                  volumeMounts:
                    - {name: uploads, mountPath: /usr/share/nginx/html/uploads}
                    - {name: tmp, mountPath: /tmp}
              volumes:
                - name: uploads
                  persistentVolumeClaim:
                    claimName: uploads
                    readOnly: false
                - name: tmp
                  emptyDir: {}
    """)
    assert summary(report) == []


def test_close_names_are_suggested_without_the_optional_hint(lint):
    # a claim volume cannot be optional, so unlike ConfigMap and Secret volumes no "optional: true" is suggested
    report = lint(claim("postgres-data") + pod("postgres-dta"))
    assert summary(report, RULE) == [
        (RULE, *CLAIM_NAME_AT, missing("postgres-dta", tail="; did you mean 'postgres-data'?"))]


def test_every_missing_claim_of_a_pod_is_reported_in_order(lint):
    report = lint(claim() + pod("logs", "data", "cache, readOnly: true"))
    assert summary(report, RULE) == [(RULE, 13, 52, missing("logs")), (RULE, 15, 52, missing("cache"))]


# --- judged only where the manifests hold claims ---------------------------------------------------------------


def test_namespace_without_claims_is_not_judged(lint):
    assert summary(lint(pod("worker-data")), RULE) == []


def test_claims_in_another_namespace_do_not_make_this_one_judged(lint):
    report = lint(claim("data", namespace="storage") + pod("worker-data", namespace="shop"))
    assert summary(report, RULE) == []


def test_other_kinds_in_the_namespace_do_not_make_it_judged(lint):
    report = lint(document("""
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: data}
        spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], hostPath: {path: /srv/data}}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: data}
        data: {a: b}
    """) + pod("data"))
    assert summary(report, RULE) == []


def test_a_claim_in_context_makes_the_namespace_judged(lint):
    report = lint({"pod.yaml": pod("worker-data")}, context={"claims.yaml": claim("data")})
    assert summary(report, RULE) == [(RULE, 8, 52, missing("worker-data"))]


# --- namespaces ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("claim_namespace, pod_namespace", SAME_NAMESPACE)
def test_explicit_and_defaulted_namespaces_match(lint, claim_namespace, pod_namespace):
    assert summary(lint(claim(namespace=claim_namespace) + pod(namespace=pod_namespace)), RULE) == []


def test_claim_in_another_declared_namespace_does_not_count(lint):
    # both namespaces are declared, so the finding is certain
    report = lint(claim("data", namespace="storage") + claim("cache", namespace="shop")
                  + pod("data", namespace="shop"))
    [finding] = findings(report)
    assert (finding.line, finding.column, finding.severity, finding.message) == (
        18, 52, "warning", missing("data", "shop"))


def test_the_namespace_setting_places_objects_without_one(lint):
    assert summary(lint(claim() + pod(), namespace="shop"), RULE) == []
    report = lint(claim() + pod("worker-data"), namespace="shop")
    assert summary(report, RULE) == [(RULE, *CLAIM_NAME_AT, missing("worker-data", "shop"))]
    # a declared namespace is kept whatever the setting says
    report = lint(claim(namespace="default") + claim("cache") + pod("data"), namespace="shop")
    assert [f[:3] for f in summary(report, RULE)] == [(RULE, 18, 52)]


def test_same_name_elsewhere_while_the_pod_has_no_namespace_lowers_the_severity(lint):
    report = lint(claim("data", namespace="storage") + claim("cache") + pod("data"))
    [finding] = findings(report)
    assert (finding.line, finding.column) == (18, 52)
    assert finding.severity == "info"
    assert finding.message == missing("data", tail=doubt("PersistentVolumeClaim", "storage", "Pod worker"))


def test_same_name_elsewhere_while_the_claim_has_no_namespace_lowers_the_severity(lint):
    report = lint(claim("data") + claim("cache", namespace="shop") + pod("data", namespace="shop"))
    [finding] = findings(report)
    assert finding.severity == "info"
    assert finding.message == missing("data", "shop", tail=doubt("PersistentVolumeClaim", "default",
                                                                 "PersistentVolumeClaim data"))


def test_the_namespace_note_replaces_the_suggestion(lint):
    report = lint(claim("data", namespace="storage") + claim("data-old") + pod("data"))
    [finding] = findings(report)
    assert "did you mean" not in finding.message
    assert finding.message.endswith("pass it with --namespace")
    assert finding.severity == "info"


def test_passing_the_namespace_settles_the_doubt(lint):
    files = claim("data", namespace="storage") + claim("cache") + pod("data")
    assert summary(lint(files, namespace="storage"), RULE) == []


# --- where claims and pods come from ------------------------------------------------------------------------------


def test_claim_in_another_file_counts(lint):
    assert summary(lint({"claim.yaml": claim(), "pod.yaml": pod()})) == []


def test_claim_given_as_context_resolves_the_reference(lint):
    assert summary(lint({"pod.yaml": pod()}, context={"claim.yaml": claim()})) == []


def test_pods_in_context_files_are_not_reported(lint):
    assert summary(lint({"claim.yaml": claim()}, context={"pod.yaml": pod("worker-data")})) == []


def test_objects_in_a_list(lint):
    report = lint(listed(claim(), pod("data", "logs")))
    assert summary(report, RULE) == [(RULE, 16, 56, missing("logs"))]
    [finding] = findings(report)
    assert finding.path == "/spec/volumes/1/persistentVolumeClaim/claimName"
    assert finding.object["name"] == "worker"


def test_typed_list_items_without_kind_are_claims(lint):
    claims = document("""
        apiVersion: v1
        kind: PersistentVolumeClaimList
        items:
          - metadata: {name: data}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
    """)
    report = lint(claims + pod("data") + pod("logs", name="logger"))
    assert summary(report, RULE) == [(RULE, 22, 52, missing("logs"))]


def test_anchors_and_merge_keys(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: &claim data}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
          - apiVersion: v1
            kind: Pod
            metadata: {name: worker}
            spec:
              containers: [{name: worker, image: busybox:1.36}]
              volumes:
                - &volume
                  name: data
                  persistentVolumeClaim: {claimName: *claim}
                - <<: *volume
                  name: again
                - <<: *volume
                  name: scratch
                  persistentVolumeClaim: {claimName: scratch}
    """)
    assert summary(report, RULE) == [(RULE, 21, 46, missing("scratch"))]


# --- workloads ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(WORKLOADS))
def test_every_workload_template_is_checked(lint, kind):
    text = claim() + workload(kind, volumes("missing"))
    report = lint(text)
    [finding] = findings(report)
    assert finding.message == missing("missing")
    assert finding.path == WORKLOADS[kind][1] + "/volumes/0/persistentVolumeClaim/claimName"
    assert (finding.line, finding.column) == (len(text.splitlines()), text.splitlines()[-1].index("missing") + 1)
    assert summary(lint(text.replace("claimName: missing", "claimName: data"))) == []


def test_objects_without_pod_templates_are_not_checked(lint):
    # a PersistentVolume's claimRef is a binding, not a pod's mount
    report = lint(claim() + document("""
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          hostPath: {path: /srv/pv}
          claimRef: {namespace: default, name: missing}
    """))
    assert summary(report, RULE) == []


# --- claims that are created, not referred to -----------------------------------------------------------------------


def test_ephemeral_volumes_are_not_references(lint):
    report = lint(claim() + workload("Pod", """
        containers: [{name: scratch, image: busybox:1.36, volumeMounts: [{name: scratch, mountPath: /scratch}]}]
        volumes:
          - name: scratch
            ephemeral:
              volumeClaimTemplate:
                metadata: {labels: {type: scratch}}
                spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
    """, "scratch"))
    assert summary(report) == []


def database(*volumes):
    """A StatefulSet `db` whose pods mount the claim that its volumeClaimTemplate `data` creates, and have the
    `volumes` (flow mappings), one a line, at the end of their spec."""
    pod_spec = ("containers: [{name: db, image: postgres:16, "
                "volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]}]")
    if volumes:
        pod_spec += "\nvolumes:" + "".join(f"\n  - {volume}" for volume in volumes)
    return workload("StatefulSet", pod_spec, "db", "{app: db}") + (
        "  volumeClaimTemplates:\n"
        "    - {metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}\n")


def test_statefulset_volume_claim_templates_are_not_references(lint):
    # the namespace holds claims (so it is judged), but the StatefulSet's pods get data-db-0, data-db-1... from
    # its volumeClaimTemplates, which are not among the manifests and need not be
    report = lint(claim("backups") + database())
    assert summary(report, RULE) == []


def test_statefulset_template_volumes_named_after_a_claim_template_are_replaced(lint):
    # The StatefulSet controller replaces every template volume that has the name of a volumeClaimTemplate by the
    # claim it creates for the pod (updateStorage in pkg/controller/statefulset/stateful_set_utils.go), so this
    # claimName is never used and is no reference; the volume named `other` is kept and is one.
    report = lint(claim("backups") + database("{name: data, persistentVolumeClaim: {claimName: data-db}}",
                                              "{name: other, persistentVolumeClaim: {claimName: other}}"))
    assert summary(report, RULE) == [(RULE, 19, 60, missing("other"))]


def test_claims_a_statefulset_makes_from_its_templates_count(lint):
    # data-pg-0 is the claim StatefulSet pg makes for its first pod from the template `data`
    report = lint("""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: pg}
        spec:
          serviceName: pg
          selector: {matchLabels: {app: pg}}
          template:
            metadata: {labels: {app: pg}}
            spec: {containers: [{name: pg, image: postgres}]}
          volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce]}}]
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: backups}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: dump}
        spec:
          containers: [{name: dump, image: postgres}]
          volumes: [{name: a, persistentVolumeClaim: {claimName: data-pg-0}},
                    {name: b, persistentVolumeClaim: {claimName: data-pg-x}}]
    """)
    assert [f[:3] for f in summary(report, "missing-pvc")] == [("missing-pvc", 23, 58)]  # data-pg-x
