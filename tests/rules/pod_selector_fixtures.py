"""Manifests for the tests of the rules that match selectors against pods: selector-overlap,
networkpolicy-no-match and statefulset-service-mismatch (`from rules.pod_selector_fixtures import ...`).

Each builder returns one compact YAML document, without `---`; labels and selectors are flow mappings
as written in YAML (`"{app: web}"`). `stream` joins them, and inline documents, into one file.
"""

import textwrap


def stream(*documents: str) -> str:
    """One YAML stream of `documents` (each dedented on its own), separated by `---`."""
    return "\n---\n".join(textwrap.dedent(document).strip("\n") for document in documents) + "\n"


def metadata(name: str, namespace: str = "", labels: str = "") -> str:
    """`{name: web}`, with `namespace: ...` and `labels: ...` when given."""
    return "{name: " + name + (f", namespace: {namespace}" if namespace else "") + (
        f", labels: {labels}" if labels else "") + "}"


def workload(kind: str, name: str, labels: str, selector: str | None = None, *, namespace: str = "",
             api_version: str = "apps/v1", fields: tuple[str, ...] = (), meta: str = "",
             pod_spec: str = "{containers: [{name: app, image: nginx}]}") -> str:
    """A controller of `kind` whose pod template carries `labels`:

        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          <fields, one line each>
          selector: {matchLabels: <labels>}    # or `selector`; none if it is ""
          template:
            metadata: {labels: <labels>}
            spec: <pod_spec>

    Without fields, the selector is on line 5, column 3, and the template's labels on line 7, column 16.
    `meta` replaces the whole metadata mapping.
    """
    if selector is None:
        selector = "{matchLabels: " + labels + "}"
    return "\n".join([
        f"apiVersion: {api_version}", f"kind: {kind}", f"metadata: {meta or metadata(name, namespace)}", "spec:",
        *(f"  {field}" for field in fields), *([f"  selector: {selector}"] if selector else []),
        "  template:", f"    metadata: {{labels: {labels}}}", f"    spec: {pod_spec}",
    ])


def pod(name: str, labels: str, *, namespace: str = "", meta: str = "") -> str:
    """A bare Pod of 4 lines, its labels on line 3 (`metadata: {name: debug, labels: {app: web}}`)."""
    return "\n".join(["apiVersion: v1", "kind: Pod", f"metadata: {meta or metadata(name, namespace, labels)}",
                      "spec: {containers: [{name: app, image: busybox}]}"])


def network_policy(name: str, pod_selector: str | None, *, namespace: str = "", meta: str = "",
                   api_version: str = "networking.k8s.io/v1", fields: tuple[str, ...] = ()) -> str:
    """A NetworkPolicy whose podSelector (none if None) is on line 5, column 3, followed by `fields` under spec."""
    return "\n".join([
        f"apiVersion: {api_version}", "kind: NetworkPolicy", f"metadata: {meta or metadata(name, namespace)}", "spec:",
        *([f"  podSelector: {pod_selector}"] if pod_selector is not None else []), *(f"  {field}" for field in fields),
    ])


def service(name: str, selector: str, *, namespace: str = "", fields: tuple[str, ...] = (),
            api_version: str = "v1") -> str:
    """A Service of 4 lines: `spec: {selector: <selector>, <fields>}` on line 4."""
    return "\n".join([f"apiVersion: {api_version}", "kind: Service", f"metadata: {metadata(name, namespace)}",
                      "spec: {" + ", ".join([f"selector: {selector}", *fields]) + "}"])


def list_of(*documents: str) -> str:
    """A v1 List of `documents` as its items: line n, column c of the i-th document (counting from 0) is
    on line 3 + n + (the lines of the documents before it), column c + 4."""
    items = "".join(textwrap.indent(textwrap.dedent(document).strip("\n"), "    ").replace("    ", "  - ", 1) + "\n"
                    for document in documents)
    return "apiVersion: v1\nkind: List\nitems:\n" + items


#: Prometheus main, a custom resource whose operator creates pods.
PROMETHEUS = """
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: main}
spec: {replicas: 2}
"""
