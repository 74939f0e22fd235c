"""Manifests and messages for the tests of the rules on the objects a pod template takes its environment and
volumes from: missing-configmap and missing-secret (`from rules.reference_fixtures import ...`).

Builders return one YAML document without `---`; `stream` joins them, and inline documents, into one file.
The fixtures both rules share are written once, with `$env_from`, `$key_ref`, `$volume` and `$volume_name`
standing for the fields that name a ConfigMap (configMapRef, configMapKeyRef, configMap, name) or a Secret
(secretRef, secretKeyRef, secret, secretName).
"""

import string
import textwrap
from dataclasses import dataclass

OPTIONAL = " (or mark the reference optional: true)"
ENV = "the container cannot start (CreateContainerConfigError)"
VOLUME = "the pods cannot mount it and stay in ContainerCreating"


def stream(*documents: str) -> str:
    """One YAML stream of `documents` (each dedented on its own), separated by `---`."""
    return "\n---\n".join(textwrap.dedent(document).strip("\n") for document in documents) + "\n"


def document(kind: str, name: str, body: str = "", namespace: str = "", api_version: str = "v1") -> str:
    """apiVersion, kind and `metadata: {name: <name>, namespace: <namespace>}`, then `body` (dedented) from line 4."""
    meta = "{name: " + name + (f", namespace: {namespace}" if namespace else "") + "}"
    return "\n".join([f"apiVersion: {api_version}", f"kind: {kind}", f"metadata: {meta}",
                      *([textwrap.dedent(body).strip("\n")] if body else [])])


def pod(spec: str, name: str = "app", namespace: str = "") -> str:
    """A Pod whose `spec:` is line 4 and `spec` (dedented, then indented under it) starts on line 5, column 3."""
    return document("Pod", name, "spec:\n" + textwrap.indent(textwrap.dedent(spec).strip("\n"), "  "), namespace)


def as_list(*documents: str) -> str:
    """A v1 List of `documents` from line 4 on, where a document's column c is column c + 4."""
    items = [textwrap.indent(textwrap.dedent(item).strip("\n"), "    ").replace("    ", "  - ", 1)
             for item in documents]
    return "\n".join(["apiVersion: v1", "kind: List", "items:", *items]) + "\n"


@dataclass(frozen=True)
class Source:
    """The objects of `kind` as pod templates name them, and the rule's messages about them."""

    kind: str
    env_from: str  # the key of an envFrom entry
    key_ref: str  # the key of an env valueFrom
    volume: str  # the key of a volume and of a projected volume's source
    volume_name: str  # the field naming the object in a volume (a projected source has `name`)

    def fill(self, template: str, **values: str) -> str:
        """`template`, dedented, with this kind's fields for `$env_from`, `$key_ref`, `$volume`, `$volume_name`
        (and `values` for their names)."""
        return string.Template(textwrap.dedent(template)).substitute(
            env_from=self.env_from, key_ref=self.key_ref, volume=self.volume, volume_name=self.volume_name, **values)

    def absent(self, name: str, namespace: str = "default", consequence: str = ENV, hint: str = OPTIONAL) -> str:
        """The message of a reference to `name`, which the manifests of `namespace` do not hold."""
        return (f"{self.kind} {name!r} is not among the manifests of namespace {namespace!r}, which hold other "
                f"{self.kind}s: {consequence} until it exists{hint}")

    def no_key(self, name: str, key: str, keys: str, consequence: str = ENV, hint: str = "") -> str:
        """The message of a reference to `key` of `name`, which has `keys` ("a, b", or "" for none)."""
        return f"{self.kind} {name} has no key {key!r} (it has {keys or 'none'}): {consequence}{hint}"

    def doubtful(self, elsewhere: str, unnamespaced: str, checked_as: str) -> str:
        """The hint of a finding that --namespace may settle: an object of the name is in `elsewhere`, and
        `unnamespaced` ("Deployment web") has no namespace, so it is checked as in `checked_as`."""
        return (f"; a {self.kind} of that name is in namespace {elsewhere!r}, and {unnamespaced} has no namespace, "
                f"so it is checked as in {checked_as!r}: if they are applied to one namespace, pass it with "
                "--namespace")


CONFIGMAP = Source("ConfigMap", "configMapRef", "configMapKeyRef", "configMap", "name")
SECRET = Source("Secret", "secretRef", "secretKeyRef", "secret", "secretName")


def deployment(source: Source, uses: str, name: str = "web", namespace: str = "") -> str:
    """Deployment `name`, whose one container takes its environment from the `source` object `uses`, which it
    names on its line 9."""
    return source.fill("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: $name$namespace}
        spec:
          template:
            metadata: {labels: {app: $name}}
            spec:
              containers:
                - {name: $name, image: $name:1, envFrom: [{$env_from: {name: $uses}}]}
          selector: {matchLabels: {app: $name}}
    """, name=name, uses=uses, namespace=f", namespace: {namespace}" if namespace else "")


def every_site(source: Source, first: str = "") -> str:
    """A Pod naming a `source` object at every site: (after `first`, a line of its spec) an init container's
    envFrom (init-env), a container's env (app-env) and envFrom (app-bulk), an ephemeral container's env
    (debug-env), a volume (plain-volume) and a projected volume's source (projected-volume)."""
    return pod(first + "\n" + source.fill("""
        initContainers:
          - {name: init, image: busybox, envFrom: [{$env_from: {name: init-env}}]}
        containers:
          - name: app
            image: app:1
            env: [{name: MODE, valueFrom: {$key_ref: {name: app-env, key: MODE}}}]
            envFrom: [{prefix: APP_, $env_from: {name: app-bulk}}]
        ephemeralContainers:
          - {name: debug, image: busybox, env: [{name: X, valueFrom: {$key_ref: {name: debug-env, key: X}}}]}
        volumes:
          - {name: plain, $volume: {$volume_name: plain-volume}}
          - name: projected
            projected:
              sources:
                - downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}
                - $volume: {name: projected-volume}
    """))


def optional_everywhere(source: Source) -> str:
    """A Pod whose references to the `source` objects gone (missing) and present (without the key nope) are all
    optional: env, envFrom, volume and projected source."""
    return pod(source.fill("""
        containers:
          - name: app
            image: app:1
            env:
              - {name: A, valueFrom: {$key_ref: {name: gone, key: A, optional: true}}}
              - {name: B, valueFrom: {$key_ref: {name: present, key: nope, optional: true}}}
            envFrom: [{$env_from: {name: gone, optional: true}}]
        volumes:
          - {name: a, $volume: {$volume_name: gone, optional: true}}
          - {name: b, $volume: {$volume_name: present, optional: true, items: [{key: nope, path: nope}]}}
          - {name: c, projected: {sources: [{$volume: {name: gone, optional: true, items: [{key: X, path: X}]}}]}}
    """))


def malformed_references(source: Source, first: str = "") -> str:
    """A Pod whose references to `source` objects name none: (after `first`, a line of its spec) a key reference
    without a name, one whose name is a number, an empty envFrom reference and an empty volume."""
    return pod(first + "\n" + source.fill("""
        containers:
          - name: app
            image: app:1
            env:
              - {name: A, valueFrom: {$key_ref: {key: X}}}
              - {name: B, valueFrom: {$key_ref: {name: 42, key: X}}}
            envFrom: [{$env_from: {}}]
        volumes: [{name: a, $volume: {}}]
    """))
