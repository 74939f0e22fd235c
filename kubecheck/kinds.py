"""What kubecheck knows about built-in Kubernetes kinds: scope, moved groups, pod templates.

Data only, looked up by (group, kind). Custom kinds learn their scope from the
CustomResourceDefinitions among the inputs (`kubecheck.index`) and their pod template from the
`workload-kinds` setting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Built-in kinds that live outside namespaces (their objects have no namespace).
CLUSTER_SCOPED = frozenset({
    ("", "Namespace"), ("", "Node"), ("", "PersistentVolume"), ("", "ComponentStatus"),
    ("rbac.authorization.k8s.io", "ClusterRole"), ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
    ("apiextensions.k8s.io", "CustomResourceDefinition"),
    ("apiregistration.k8s.io", "APIService"),
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
    ("admissionregistration.k8s.io", "MutatingAdmissionPolicy"),
    ("admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding"),
    ("storage.k8s.io", "StorageClass"), ("storage.k8s.io", "CSIDriver"), ("storage.k8s.io", "CSINode"),
    ("storage.k8s.io", "VolumeAttachment"), ("storage.k8s.io", "VolumeAttributesClass"),
    ("scheduling.k8s.io", "PriorityClass"),
    ("node.k8s.io", "RuntimeClass"),
    ("policy", "PodSecurityPolicy"),
    ("networking.k8s.io", "IngressClass"), ("networking.k8s.io", "IPAddress"),
    ("networking.k8s.io", "ServiceCIDR"), ("networking.k8s.io", "ClusterCIDR"),
    ("certificates.k8s.io", "CertificateSigningRequest"), ("certificates.k8s.io", "ClusterTrustBundle"),
    ("flowcontrol.apiserver.k8s.io", "FlowSchema"), ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
    ("authentication.k8s.io", "TokenReview"), ("authentication.k8s.io", "SelfSubjectReview"),
    ("authorization.k8s.io", "SubjectAccessReview"), ("authorization.k8s.io", "SelfSubjectAccessReview"),
    ("authorization.k8s.io", "SelfSubjectRulesReview"),
    ("resource.k8s.io", "DeviceClass"), ("resource.k8s.io", "ResourceSlice"), ("resource.k8s.io", "DeviceTaintRule"),
    ("internal.apiserver.k8s.io", "StorageVersion"),
    ("storagemigration.k8s.io", "StorageVersionMigration"),
})

#: Kinds served under an old group that are the same API resource as under their current
#: group: an `extensions/v1beta1` Deployment and an `apps/v1` Deployment named alike are one
#: object to the API server.
CURRENT_GROUP = {
    ("extensions", "Deployment"): "apps",
    ("extensions", "DaemonSet"): "apps",
    ("extensions", "ReplicaSet"): "apps",
    ("extensions", "Ingress"): "networking.k8s.io",
    ("extensions", "NetworkPolicy"): "networking.k8s.io",
    ("extensions", "PodSecurityPolicy"): "policy",
    ("events.k8s.io", "Event"): "",
}


#: API groups the Kubernetes API server serves itself, now or since 1.16 (tests/test_kinds.py
#: checks the bundled schemas against it). Any other group is a custom resource's, served
#: through a CRD or an aggregated API server, including Kubernetes sub-projects' such as
#: gateway.networking.k8s.io or metrics.k8s.io.
KUBERNETES_GROUPS = frozenset({
    "", "apps", "batch", "autoscaling", "policy", "extensions",
    "admission.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io",
    "authentication.k8s.io", "authorization.k8s.io", "certificates.k8s.io", "coordination.k8s.io",
    "discovery.k8s.io", "events.k8s.io", "flowcontrol.apiserver.k8s.io", "internal.apiserver.k8s.io",
    "networking.k8s.io", "node.k8s.io", "rbac.authorization.k8s.io", "resource.k8s.io", "scheduling.k8s.io",
    "storage.k8s.io", "storagemigration.k8s.io", "settings.k8s.io", "auditregistration.k8s.io", "imagepolicy.k8s.io",
    "lifecycle.k8s.io",
})


#: Custom kinds of well-known projects that configure something and never run pods themselves
#: (routes, monitors, certificates, mesh policy), and groups of configuration files that are not
#: API objects at all: a namespace holding them has no pods kubecheck cannot see.
_NO_PODS = frozenset({
    ("monitoring.coreos.com", kind) for kind in ("ServiceMonitor", "PodMonitor", "Probe", "PrometheusRule",
                                                 "AlertmanagerConfig", "ScrapeConfig")} | {
    ("gateway.networking.k8s.io", kind) for kind in ("GatewayClass", "HTTPRoute", "GRPCRoute", "TCPRoute", "TLSRoute",
                                                     "UDPRoute", "ReferenceGrant", "BackendTLSPolicy")} | {
    ("cert-manager.io", kind) for kind in ("Certificate", "CertificateRequest", "Issuer", "ClusterIssuer")} | {
    ("external-secrets.io", kind) for kind in ("ExternalSecret", "SecretStore", "ClusterSecretStore")} | {
    ("bitnami.com", "SealedSecret"), ("policy.linkerd.io", "Server"), ("policy.linkerd.io", "AuthorizationPolicy")})
_NO_POD_GROUPS = frozenset({"networking.istio.io", "security.istio.io", "telemetry.istio.io", "audit.k8s.io",
                            "kubeadm.k8s.io", "kind.x-k8s.io", "kustomize.config.k8s.io", "config.kubernetes.io",
                            "kubecheck.io"})


def never_runs_pods(group: str, kind: str) -> bool:
    """Whether objects of this custom kind are known not to make pods (see `_NO_PODS`)."""
    return (group, kind) in _NO_PODS or group in _NO_POD_GROUPS or group.endswith(".config.k8s.io")


def is_custom_group(group: str) -> bool:
    """Whether objects of this group are custom resources (served through a CRD or an aggregator)."""
    return group not in KUBERNETES_GROUPS


def split_api_version(api_version: str) -> tuple[str, str]:
    """('apps', 'v1') for 'apps/v1'; ('', 'v1') for the core group's 'v1'."""
    group, _, version = api_version.rpartition("/")
    return group, version


def current_group(group: str, kind: str) -> str:
    return CURRENT_GROUP.get((group, kind), group)


# Labels that controllers put on the pods they create, beyond the template's own labels.
# A value is either a fixed string (known from the manifest) or a pattern the value matches
# (a hash, a uid, an ordinal: unknown before the pods exist).
ANY_VALUE = re.compile(r".*", re.DOTALL)
_ORDINAL = r"(0|[1-9][0-9]*)"


def _deployment_labels(obj) -> dict:
    return {"pod-template-hash": ANY_VALUE}


def _statefulset_labels(obj) -> dict:
    return {
        "controller-revision-hash": ANY_VALUE,
        "statefulset.kubernetes.io/pod-name": re.compile(re.escape(obj.name or "") + "-" + _ORDINAL + r"\Z"),
        "apps.kubernetes.io/pod-index": re.compile(_ORDINAL + r"\Z"),
    }


def _daemonset_labels(obj) -> dict:
    return {"controller-revision-hash": ANY_VALUE, "pod-template-generation": re.compile(r"[0-9]+\Z")}


def job_generated_labels(name: str | None, job_spec: dict) -> dict:
    """Labels the API server adds to a Job's pod template when it generates the selector."""
    if job_spec.get("manualSelector") is True:
        labels = {}
    elif name is None:  # a CronJob's Jobs are named after the schedule time
        labels = {"job-name": ANY_VALUE, "batch.kubernetes.io/job-name": ANY_VALUE}
    else:
        labels = {"job-name": name, "batch.kubernetes.io/job-name": name}
    if job_spec.get("manualSelector") is not True:
        labels["controller-uid"] = ANY_VALUE
        labels["batch.kubernetes.io/controller-uid"] = ANY_VALUE
    if job_spec.get("completionMode") == "Indexed":
        labels["batch.kubernetes.io/job-completion-index"] = re.compile(_ORDINAL + r"\Z")
    return labels


def _job_labels(obj) -> dict:
    spec = obj.get("spec")
    return job_generated_labels(obj.name, spec if isinstance(spec, dict) else {})


def _cronjob_labels(obj) -> dict:
    spec = obj.get("spec", "jobTemplate", "spec")
    return job_generated_labels(None, spec if isinstance(spec, dict) else {})


def _no_labels(obj) -> dict:
    return {}


@dataclass(frozen=True)
class WorkloadShape:
    """Where a kind keeps its pod template and selector, and what its controller adds."""

    template: tuple  # path of the pod template (metadata + spec); () for a Pod itself
    selector: tuple | None  # path of the selector; None when the kind has none
    selector_style: str  # "label-selector" (matchLabels/matchExpressions), "map", or "none"
    runtime_labels: object = _no_labels  # obj -> {label: value or pattern}


WORKLOADS = {
    ("", "Pod"): WorkloadShape((), None, "none"),
    ("", "ReplicationController"): WorkloadShape(("spec", "template"), ("spec", "selector"), "map"),
    ("apps", "Deployment"): WorkloadShape(("spec", "template"), ("spec", "selector"), "label-selector",
                                          _deployment_labels),
    ("apps", "ReplicaSet"): WorkloadShape(("spec", "template"), ("spec", "selector"), "label-selector"),
    ("apps", "StatefulSet"): WorkloadShape(("spec", "template"), ("spec", "selector"), "label-selector",
                                           _statefulset_labels),
    ("apps", "DaemonSet"): WorkloadShape(("spec", "template"), ("spec", "selector"), "label-selector",
                                         _daemonset_labels),
    ("batch", "Job"): WorkloadShape(("spec", "template"), ("spec", "selector"), "label-selector", _job_labels),
    ("batch", "CronJob"): WorkloadShape(("spec", "jobTemplate", "spec", "template"),
                                        ("spec", "jobTemplate", "spec", "selector"), "label-selector",
                                        _cronjob_labels),
}

#: Shape of the kinds named in the `workload-kinds` setting.
CUSTOM_WORKLOAD = WorkloadShape(("spec", "template"), ("spec", "selector"), "label-selector")
