"""missing-pvc: a pod mounts a PersistentVolumeClaim that the manifests do not hold."""

from kubecheck.references import unresolved
from kubecheck.rule import Rule


def check(obj, ctx):
    yield from unresolved(obj, "PersistentVolumeClaim", ctx)


RULE = Rule(
    id="missing-pvc",
    family="reference",
    severity="warning",
    summary="A pod mounts a PersistentVolumeClaim that is not among the manifests",
    rationale=(
        "A pod with a `persistentVolumeClaim` volume stays Pending until the claim exists. Judged only in "
        "namespaces where the manifests hold PersistentVolumeClaims; claims that a StatefulSet's "
        "`volumeClaimTemplates` or an ephemeral volume create are not references and are not checked."
    ),
    fail_example="""\
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata:
  name: worker
spec:
  containers:
    - name: worker
      image: busybox:1.36
      volumeMounts: [{name: data, mountPath: /data}]
  volumes:
    - name: data
      persistentVolumeClaim: {claimName: worker-data}
""",
    pass_example="""\
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata:
  name: worker
spec:
  containers:
    - name: worker
      image: busybox:1.36
      volumeMounts: [{name: data, mountPath: /data}]
  volumes:
    - name: data
      persistentVolumeClaim: {claimName: data}
""",
    check=check,
)
