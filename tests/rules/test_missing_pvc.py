"""missing-pvc: pods whose `persistentVolumeClaim` volumes name a claim the manifests do not hold."""

import pytest
from support import summary

CLAIM = """\
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {name}
  {namespace}
spec:
  accessModes: [ReadWriteOnce]
  resources: {{requests: {{storage: 1Gi}}}}
"""

POD = """\
---
apiVersion: v1
kind: Pod
metadata:
  name: worker
  {namespace}
spec:
  containers:
    - name: worker
      image: busybox:1.36
      volumeMounts: [{{name: data, mountPath: /data}}]
  volumes:
    - name: data
      persistentVolumeClaim:
        claimName: {claim}
"""

#: Where POD's claimName value is when POD follows one CLAIM.
CLAIM_NAME_AT = (24, 20)


def claim(name="data", namespace=None):
    return CLAIM.format(name=name, namespace=f"namespace: {namespace}" if namespace else "")


def pod(claim_name="data", namespace=None):
    return POD.format(claim=claim_name, namespace=f"namespace: {namespace}" if namespace else "")


def missing(name, namespace="default", tail=""):
    return (f"PersistentVolumeClaim {name!r} is not among the manifests of namespace {namespace!r}, which hold other "
            f"PersistentVolumeClaims: the pods stay Pending until it exists{tail}")


def test_missing_claim_is_reported_at_its_name(lint):
    report = lint(claim() + pod("worker-data"))
    assert summary(report, "missing-pvc") == [("missing-pvc", *CLAIM_NAME_AT, missing("worker-data"))]
    [finding] = [f for f in report.findings if f.rule == "missing-pvc"]
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
    assert summary(report, "missing-pvc") == [
        ("missing-pvc", *CLAIM_NAME_AT, missing("postgres-dta", tail="; did you mean 'postgres-data'?"))]


def test_every_missing_claim_of_a_pod_is_reported_in_order(lint):
    report = lint("""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: worker}
        spec:
          containers: [{name: worker, image: busybox:1.36}]
          volumes:
            - {name: a, persistentVolumeClaim: {claimName: logs}}
            - {name: b, persistentVolumeClaim: {claimName: data}}
            - {name: c, persistentVolumeClaim: {claimName: cache, readOnly: true}}
    """)
    assert summary(report, "missing-pvc") == [
        ("missing-pvc", 12, 52, missing("logs")),
        ("missing-pvc", 14, 52, missing("cache")),
    ]


# --- judged only where the manifests hold claims ---------------------------------------------------------------


def test_namespace_without_claims_is_not_judged(lint):
    assert summary(lint(pod("worker-data")), "missing-pvc") == []


def test_claims_in_another_namespace_do_not_make_this_one_judged(lint):
    report = lint(claim("data", namespace="storage") + pod("worker-data", namespace="shop"))
    assert summary(report, "missing-pvc") == []


def test_other_kinds_in_the_namespace_do_not_make_it_judged(lint):
    report = lint("""
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: data}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          hostPath: {path: /srv/data}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: data}
        data: {a: b}
    """ + pod("data"))
    assert summary(report, "missing-pvc") == []


def test_a_claim_in_context_makes_the_namespace_judged(lint):
    report = lint({"pod.yaml": pod("worker-data")}, context={"claims.yaml": claim("data")})
    assert summary(report, "missing-pvc") == [("missing-pvc", 15, 20, missing("worker-data"))]


# --- namespaces ---------------------------------------------------------------------------------------------------


def test_explicit_and_defaulted_namespaces_match(lint):
    assert summary(lint(claim(namespace="default") + pod()), "missing-pvc") == []
    assert summary(lint(claim() + pod(namespace="default")), "missing-pvc") == []
    assert summary(lint(claim(namespace="shop") + pod(namespace="shop")), "missing-pvc") == []


def test_claim_in_another_declared_namespace_does_not_count(lint):
    # both namespaces are declared, so the finding is certain
    report = lint(claim("data", namespace="storage") + claim("cache", namespace="shop")
                  + pod("data", namespace="shop"))
    [finding] = [f for f in report.findings if f.rule == "missing-pvc"]
    assert (finding.line, finding.column, finding.severity, finding.message) == (
        33, 20, "warning", missing("data", "shop"))


def test_the_namespace_setting_places_objects_without_one(lint):
    assert summary(lint(claim() + pod(), namespace="shop"), "missing-pvc") == []
    report = lint(claim() + pod("worker-data"), namespace="shop")
    assert summary(report, "missing-pvc") == [("missing-pvc", *CLAIM_NAME_AT, missing("worker-data", "shop"))]
    # a declared namespace is kept whatever the setting says
    report = lint(claim(namespace="default") + claim("cache") + pod("data"), namespace="shop")
    assert [f[:3] for f in summary(report, "missing-pvc")] == [("missing-pvc", 33, 20)]


DOUBT_NOTE = ("; a PersistentVolumeClaim of that name is in namespace {there!r}, and {unset} has no namespace, so it is "
              "checked as in {here!r}: if they are applied to one namespace, pass it with --namespace")


def test_same_name_elsewhere_while_the_pod_has_no_namespace_lowers_the_severity(lint):
    report = lint(claim("data", namespace="storage") + claim("cache") + pod("data"))
    [finding] = [f for f in report.findings if f.rule == "missing-pvc"]
    assert (finding.line, finding.column) == (33, 20)
    assert finding.severity == "info"
    assert finding.message == missing("data", tail=DOUBT_NOTE.format(there="storage", unset="Pod worker",
                                                                     here="default"))


def test_same_name_elsewhere_while_the_claim_has_no_namespace_lowers_the_severity(lint):
    report = lint(claim("data") + claim("cache", namespace="shop") + pod("data", namespace="shop"))
    [finding] = [f for f in report.findings if f.rule == "missing-pvc"]
    assert finding.severity == "info"
    assert finding.message == missing("data", "shop", tail=DOUBT_NOTE.format(
        there="default", unset="PersistentVolumeClaim data", here="default"))


def test_the_namespace_note_replaces_the_suggestion(lint):
    report = lint(claim("data", namespace="storage") + claim("data-old") + pod("data"))
    [finding] = [f for f in report.findings if f.rule == "missing-pvc"]
    assert "did you mean" not in finding.message
    assert finding.message.endswith("pass it with --namespace")
    assert finding.severity == "info"


def test_passing_the_namespace_settles_the_doubt(lint):
    files = claim("data", namespace="storage") + claim("cache") + pod("data")
    assert summary(lint(files, namespace="storage"), "missing-pvc") == []


# --- where claims and pods come from ------------------------------------------------------------------------------


def test_claim_in_another_file_counts(lint):
    report = lint({"claim.yaml": claim(), "pod.yaml": pod()})
    assert summary(report) == []


def test_claim_given_as_context_resolves_the_reference(lint):
    report = lint({"pod.yaml": pod()}, context={"claim.yaml": claim()})
    assert summary(report) == []


def test_pods_in_context_files_are_not_reported(lint):
    report = lint({"claim.yaml": claim()}, context={"pod.yaml": pod("worker-data")})
    assert summary(report) == []


def test_objects_in_a_list(lint):
    report = lint("""
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
          - apiVersion: v1
            kind: Pod
            metadata: {name: worker}
            spec:
              containers: [{name: worker, image: busybox:1.36}]
              volumes:
                - name: data
                  persistentVolumeClaim: {claimName: data}
                - name: logs
                  persistentVolumeClaim: {claimName: logs}
    """)
    assert summary(report, "missing-pvc") == [("missing-pvc", 17, 46, missing("logs"))]
    [finding] = [f for f in report.findings if f.rule == "missing-pvc"]
    assert finding.path == "/spec/volumes/1/persistentVolumeClaim/claimName"
    assert finding.object["name"] == "worker"


CLAIM_LIST = """\
apiVersion: v1
kind: PersistentVolumeClaimList
items:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""


def test_typed_list_items_without_kind_are_claims(lint):
    report = lint(CLAIM_LIST + pod("data") + pod("logs").replace("name: worker", "name: logger"))
    assert summary(report, "missing-pvc") == [("missing-pvc", 35, 20, missing("logs"))]


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
    assert summary(report, "missing-pvc") == [("missing-pvc", 21, 46, missing("scratch"))]


# --- workloads ----------------------------------------------------------------------------------------------------

VOLUMES = """
      volumes:
        - name: data
          persistentVolumeClaim: {claimName: missing}"""

WORKLOADS = {
    "Deployment": ("apps/v1", "spec:\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: x}}\n"
                              "    spec:\n      containers: [{name: c, image: i}]" + VOLUMES,
                   "/spec/template/spec/volumes/0/persistentVolumeClaim/claimName"),
    "ReplicaSet": ("apps/v1", "spec:\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: x}}\n"
                              "    spec:\n      containers: [{name: c, image: i}]" + VOLUMES,
                   "/spec/template/spec/volumes/0/persistentVolumeClaim/claimName"),
    "DaemonSet": ("apps/v1", "spec:\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: x}}\n"
                             "    spec:\n      containers: [{name: c, image: i}]" + VOLUMES,
                  "/spec/template/spec/volumes/0/persistentVolumeClaim/claimName"),
    "StatefulSet": ("apps/v1", "spec:\n  serviceName: x\n  selector: {matchLabels: {app: x}}\n  template:\n"
                               "    metadata: {labels: {app: x}}\n    spec:\n      containers: [{name: c, image: i}]"
                    + VOLUMES, "/spec/template/spec/volumes/0/persistentVolumeClaim/claimName"),
    "Job": ("batch/v1", "spec:\n  template:\n    spec:\n      restartPolicy: Never\n"
                        "      containers: [{name: c, image: i}]" + VOLUMES,
            "/spec/template/spec/volumes/0/persistentVolumeClaim/claimName"),
    "CronJob": ("batch/v1", "spec:\n  schedule: '0 3 * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
                            "          restartPolicy: Never\n          containers: [{name: c, image: i}]"
                + VOLUMES.replace("\n", "\n    "),
                "/spec/jobTemplate/spec/template/spec/volumes/0/persistentVolumeClaim/claimName"),
    "ReplicationController": ("v1", "spec:\n  selector: {app: x}\n  template:\n    metadata: {labels: {app: x}}\n"
                                    "    spec:\n      containers: [{name: c, image: i}]" + VOLUMES,
                              "/spec/template/spec/volumes/0/persistentVolumeClaim/claimName"),
}


@pytest.mark.parametrize("kind", sorted(WORKLOADS))
def test_every_workload_template_is_checked(lint, kind):
    api_version, body, path = WORKLOADS[kind]
    text = claim() + f"---\napiVersion: {api_version}\nkind: {kind}\nmetadata: {{name: x}}\n{body}\n"
    report = lint(text)
    [finding] = [f for f in report.findings if f.rule == "missing-pvc"]
    assert finding.message == missing("missing")
    assert finding.path == path
    assert (finding.line, finding.column) == (len(text.splitlines()),
                                              text.splitlines()[-1].index("missing") + 1)
    assert summary(lint(text.replace("claimName: missing", "claimName: data"))) == []


def test_objects_without_pod_templates_are_not_checked(lint):
    # a PersistentVolume's claimRef is a binding, not a pod's mount
    report = lint(claim() + """
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          hostPath: {path: /srv/pv}
          claimRef: {namespace: default, name: missing}
    """.replace("\n        ", "\n"))
    assert summary(report, "missing-pvc") == []


# --- claims that are created, not referred to -----------------------------------------------------------------------


def test_ephemeral_volumes_are_not_references(lint):
    report = lint(claim() + """
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: scratch}
        spec:
          containers:
            - name: scratch
              image: busybox:1.36
              volumeMounts: [{name: scratch, mountPath: /scratch}]
          volumes:
            - name: scratch
              ephemeral:
                volumeClaimTemplate:
                  metadata: {labels: {type: scratch}}
                  spec:
                    accessModes: [ReadWriteOnce]
                    resources: {requests: {storage: 1Gi}}
    """.replace("\n        ", "\n"))
    assert summary(report) == []


STATEFULSET = """\
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
        - name: db
          image: postgres:16
          volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
{volumes}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
"""


def test_statefulset_volume_claim_templates_are_not_references(lint):
    # the namespace holds claims (so it is judged), but the StatefulSet's pods get data-db-0, data-db-1... from
    # its volumeClaimTemplates, which are not among the manifests and need not be
    report = lint(claim("backups") + STATEFULSET.replace("{volumes}\n", ""))
    assert summary(report, "missing-pvc") == []


def test_statefulset_template_volumes_named_after_a_claim_template_are_replaced(lint):
    # The StatefulSet controller replaces every template volume that has the name of a volumeClaimTemplate by the
    # claim it creates for the pod (updateStorage in pkg/controller/statefulset/stateful_set_utils.go), so this
    # claimName is never used and is no reference; the volume named `other` is kept and is one.
    volumes = ("      volumes:\n"
               "        - name: data\n"
               "          persistentVolumeClaim: {claimName: data-db}\n"
               "        - name: other\n"
               "          persistentVolumeClaim: {claimName: other}")
    report = lint(claim("backups") + STATEFULSET.replace("{volumes}", volumes))
    assert summary(report, "missing-pvc") == [("missing-pvc", 31, 46, missing("other"))]
