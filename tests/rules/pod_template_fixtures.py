"""Manifests and messages for the tests of the rules that check what pod templates name: service-port-mismatch,
missing-pvc and missing-service-account (`from .pod_template_fixtures import ...`).

Each builder returns one YAML document that starts with `---`, so a stream is written `claim() + pod()`.
"""

import textwrap

#: Every kind of workload whose pods are checked, with its apiVersion and the path of its pod spec.
WORKLOADS = {
    "Deployment": ("apps/v1", "/spec/template/spec"),
    "ReplicaSet": ("apps/v1", "/spec/template/spec"),
    "DaemonSet": ("apps/v1", "/spec/template/spec"),
    "StatefulSet": ("apps/v1", "/spec/template/spec"),
    "ReplicationController": ("v1", "/spec/template/spec"),
    "Job": ("batch/v1", "/spec/template/spec"),
    "CronJob": ("batch/v1", "/spec/jobTemplate/spec/template/spec"),
}


def named(name, namespace=None, labels=None):
    """`{name: web}` as in `metadata: {name: web}`, with `namespace: shop` and `labels: {app: web}` when given."""
    extra = (f", namespace: {namespace}" if namespace else "") + (f", labels: {labels}" if labels else "")
    return f"{{name: {name}{extra}}}"


def document(text):
    """An inline YAML document (dedented here) after `---`."""
    return "---\n" + textwrap.dedent(text).strip("\n") + "\n"


def nested(text, spaces):
    """`text`, dedented, then indented by `spaces`."""
    return textwrap.indent(textwrap.dedent(text).strip("\n"), " " * spaces)


def workload(kind, pod_spec, name="x", labels=None, namespace=None, api_version=None):
    """A `kind` (a Pod, a workload of WORKLOADS, or a custom one given its `api_version`) named `name`, whose pods
    have the spec `pod_spec` (YAML, dedented here) and are labelled `labels` (by default a Pod's, Job's and CronJob's
    not at all, the others' `{app: x}`). The pod spec is its last lines, after `restartPolicy: Never` in a Job or
    CronJob; a StatefulSet's serviceName is `name`. The document is written in block style but for the mappings
    `metadata: {name: x}`, `selector: {matchLabels: {app: x}}` and `metadata: {labels: {app: x}}`, so a Deployment's
    pod spec starts on its line 10, column 7."""
    if kind == "Pod":
        return (f"---\napiVersion: v1\nkind: Pod\nmetadata: {named(name, namespace, labels)}\n"
                f"spec:\n{nested(pod_spec, 2)}\n")
    jobs = kind in ("Job", "CronJob")
    labels = labels or (None if jobs else "{app: x}")
    pod_spec = ("restartPolicy: Never\n" if jobs else "") + textwrap.dedent(pod_spec).strip("\n")
    template = (f"metadata: {{labels: {labels}}}\n" if labels else "") + "spec:\n" + nested(pod_spec, 2)
    if kind == "CronJob":
        spec = "schedule: '0 3 * * *'\njobTemplate:\n  spec:\n    template:\n" + nested(template, 6)
    else:
        selector = labels if kind == "ReplicationController" else f"{{matchLabels: {labels}}}"
        spec = ("" if kind == "Job" else f"selector: {selector}\n") + "template:\n" + nested(template, 2)
        spec = (f"serviceName: {name}\n" if kind == "StatefulSet" else "") + spec
    return (f"---\napiVersion: {api_version or WORKLOADS[kind][0]}\nkind: {kind}\nmetadata: {named(name, namespace)}\n"
            f"spec:\n{nested(spec, 2)}\n")


def listed(*documents):
    """The `documents` (each starting with `---`, which is dropped) as the items of one v1 List, 4 columns right."""
    items = (textwrap.indent(document.removeprefix("---\n"), " " * 4) for document in documents)
    return "---\napiVersion: v1\nkind: List\nitems:\n" + "".join("  - " + item[4:] for item in items)


def not_among(kind, name, namespace, consequence):
    """The message for a reference to a `kind` that the manifests of a namespace holding others of it lack."""
    return (f"{kind} {name!r} is not among the manifests of namespace {namespace!r}, which hold other {kind}s: "
            f"{consequence}")


def doubt(kind, there, unset, here="default"):
    """The tail that replaces the suggestion when the referenced name is in another namespace and `unset` has none."""
    return (f"; a {kind} of that name is in namespace {there!r}, and {unset} has no namespace, so it is checked as in "
            f"{here!r}: if they are applied to one namespace, pass it with --namespace")


#: (namespace of the referenced object, namespace of the pod) that are the same namespace: None is no namespace.
SAME_NAMESPACE = [("default", None), (None, "default"), ("shop", "shop")]
