"""Manifests for the PodDisruptionBudget rules' tests (pdb-no-match, pdb-overlap, pdb-blocks-eviction)."""

from __future__ import annotations

import textwrap


def stream(*documents: str) -> str:
    """One YAML stream of `documents` (each dedented on its own), separated by `---`."""
    return "\n---\n".join(textwrap.dedent(document).strip("\n") for document in documents) + "\n"


def as_list(*documents: str) -> str:
    """A v1 List whose items are `documents`, from line 4 on: a document's column c is column c + 4 there."""
    items = []
    for document in documents:
        first, *rest = textwrap.dedent(document).strip("\n").splitlines()
        items.append("\n".join(["  - " + first, *("    " + line for line in rest)]))
    return "apiVersion: v1\nkind: List\nitems:\n" + "\n".join(items) + "\n"


def flow_metadata(name: str, namespace: str = "", labels: str | None = None) -> str:
    """`{name: <name>, namespace: <namespace>, labels: <labels>}`, without the empty ones."""
    fields = [f"name: {name}"]
    fields += [f"namespace: {namespace}"] if namespace else []
    fields += [f"labels: {labels}"] if labels else []
    return "{" + ", ".join(fields) + "}"


def budget(name: str = "web", labels: str | None = None, *, expressions: tuple[str, ...] = (),
           selector: str | bool | None = None, spec: str = "maxUnavailable: 1", namespace: str = "",
           api_version: str = "policy/v1") -> str:
    """A PodDisruptionBudget: `spec` is line 5 (a minAvailable value at column 17, a maxUnavailable one at 19),
    the selector key is line 6, column 3.

    The selector is `{matchLabels: {<labels>}}` (labels default to `app: <name>`), with `expressions` it is
    `{matchExpressions: [<expressions>]}` (after the matchLabels if labels are given), or `selector` as written
    after `selector:` (a text of several lines goes below it), or no selector at all if `selector` is False.
    """
    if expressions:
        match_labels = f"matchLabels: {{{labels}}}, " if labels else ""
        selector = f"{{{match_labels}matchExpressions: [{', '.join(expressions)}]}}"
    elif selector is None:
        selector = f"{{matchLabels: {{{labels or f'app: {name}'}}}}}"
    lines = [f"apiVersion: {api_version}", "kind: PodDisruptionBudget", f"metadata: {flow_metadata(name, namespace)}",
             "spec:", f"  {spec}"]
    if isinstance(selector, str) and "\n" in selector:
        lines += ["  selector:", textwrap.indent(textwrap.dedent(selector).strip("\n"), "    ")]
    elif selector is not False:
        lines.append(f"  selector: {selector}".rstrip())
    return "\n".join(lines) + "\n"


def workload(kind: str = "Deployment", name: str = "web", labels: str | None = None, *, replicas=None,
             namespace: str = "", meta_labels: str | None = None) -> str:
    """A `kind` whose pods carry `{<labels>}` (default `app: <name>`; a Pod with "" has no labels), with
    `replicas: <replicas>` on line 5, column 3, unless None. `meta_labels`: the object's own labels, as written.

    The pod template's labels are on the line after `template:`, at column 16 (column 20 for a CronJob).
    """
    labels = "{" + (f"app: {name}" if labels is None else labels) + "}"
    containers = f"[{{name: {name}, image: nginx:1.27}}]"
    if kind == "Pod":
        metadata = flow_metadata(name, namespace, labels if labels != "{}" else None)
        return f"apiVersion: v1\nkind: Pod\nmetadata: {metadata}\nspec: {{containers: {containers}}}\n"
    restart = "restartPolicy: Never, " if kind in ("Job", "CronJob") else ""
    template = ["template:", f"  metadata: {{labels: {labels}}}", f"  spec: {{{restart}containers: {containers}}}"]
    if kind == "Job":
        body = template
    elif kind == "CronJob":
        body = ['schedule: "0 3 * * *"', "jobTemplate:", "  spec:", *("    " + line for line in template)]
    else:
        body = [f"replicas: {replicas}"] if replicas is not None else []
        body += [f"serviceName: {name}"] if kind == "StatefulSet" else []
        body += [f"selector: {{app: {name}}}" if kind == "ReplicationController"
                 else f"selector: {{matchLabels: {{app: {name}}}}}", *template]
    api_version = {"Job": "batch/v1", "CronJob": "batch/v1", "ReplicationController": "v1"}.get(kind, "apps/v1")
    return (f"apiVersion: {api_version}\nkind: {kind}\nmetadata: {flow_metadata(name, namespace, meta_labels)}\nspec:\n"
            + "".join(f"  {line}\n" for line in body))


def deployment(name: str = "web", labels: str = "app: web, tier: frontend", namespace: str = "") -> str:
    """A Deployment of 3 replicas (9 lines) whose template labels are on line 8, column 16."""
    return workload("Deployment", name, labels, replicas=3, namespace=namespace)


def prometheus(namespace: str = "") -> str:
    """A Prometheus custom resource `main`, whose operator creates pods labelled prometheus=main."""
    return (f"apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {flow_metadata('main', namespace)}\n"
            "spec: {replicas: 2}\n")


#: A Job db whose pods carry app=db: with manualSelector the controller adds none of its generated labels.
MANUAL_SELECTOR_JOB = """
    apiVersion: batch/v1
    kind: Job
    metadata: {name: db}
    spec:
      manualSelector: true
      selector: {matchLabels: {app: db}}
      template:
        metadata: {labels: {app: db}}
        spec: {restartPolicy: Never, containers: [{name: db, image: postgres}]}
"""
