"""Manifests and messages for the tests of ingress-missing-service and hpa-missing-target, the rules of
objects that name another object (`from rules.ingress_hpa_fixtures import ...`).

`document` writes one compact document, without `---`; `stream` joins documents, and `listed` makes them
the items of a `kind: List`.
"""

import textwrap


def stream(*documents):
    """One YAML stream of `documents` (each dedented on its own), separated by `---`."""
    return "\n---\n".join(textwrap.dedent(document).strip("\n") for document in documents) + "\n"


def document(kind, name, spec, *, api_version, namespace=""):
    """A document whose `spec` (YAML, dedented here) starts on its line 5, indented by 2:

        apiVersion: {api_version}
        kind: {kind}
        metadata: {name: {name}, namespace: {namespace}}
        spec:
          {spec}
    """
    metadata = "{name: " + name + (f", namespace: {namespace}" if namespace else "") + "}"
    body = textwrap.indent(textwrap.dedent(spec).strip("\n"), "  ")
    return f"apiVersion: {api_version}\nkind: {kind}\nmetadata: {metadata}\nspec:\n{body}\n"


def listed(*documents):
    """A `kind: List` of `documents`: its first item starts on line 4, and item lines are indented by 4
    (the first behind `  - `)."""
    items = "".join("  - " + textwrap.indent(textwrap.dedent(item).strip("\n"), "    ")[4:] + "\n"
                    for item in documents)
    return f"apiVersion: v1\nkind: List\nitems:\n{items}"


#: (the referred objects' namespace, the referring object's, the --namespace option) under which the two match
MATCHING_NAMESPACES = [
    ("shop", "shop", "default"),
    ("", "", "default"),
    ("default", "", "default"),
    ("", "default", "default"),
    # --namespace is the namespace of objects that have none
    ("shop", "", "shop"),
    ("", "shop", "shop"),
    ("", "", "shop"),
]


def not_among(kind, name, namespace, consequence, suggestion=""):
    """The message of a reference to the `kind` `name` that the manifests of `namespace` do not hold."""
    return (f"{kind} '{name}' is not among the manifests of namespace '{namespace}', which hold other {kind}s: "
            + consequence + (f"; did you mean '{suggestion}'?" if suggestion else ""))


def doubtful(kind, namespace, unnamespaced):
    """What follows `not_among` when a `kind` of that name is in `namespace`, and `unnamespaced` (the
    referring or the referred object, as `Kind name`) has no namespace."""
    return (f"; a {kind} of that name is in namespace '{namespace}', and {unnamespaced} has no namespace, so it is "
            "checked as in 'default': if they are applied to one namespace, pass it with --namespace")
