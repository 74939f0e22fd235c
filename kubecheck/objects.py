"""Kubernetes objects found in loaded documents.

Each document that is a mapping with `apiVersion` and `kind` becomes a `K8sObject`; a List
(`kind: List`, or any `...List` kind with `items`) becomes one object per item, each keeping
its own positions. Documents and items that are not objects become `not-an-object` problems.
An object knows its identity (group, version, kind, namespace, name), its labels and, for
workloads, its pod template. Namespaces are filled in by `kubecheck.index`, which knows which
kinds are cluster-scoped (including custom kinds declared by CRDs among the inputs).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property

from kubecheck.crd import may_create_pods
from kubecheck.kinds import CUSTOM_WORKLOAD, WORKLOADS, WorkloadShape, current_group, split_api_version
from kubecheck.loader import Document, Problem, SourceFile
from kubecheck.positions import subtree
from kubecheck.selectors import Selector, SelectorError

_MAX_LIST_NESTING = 32


def dig(data: object, *path):
    """The value at `path` (keys) inside nested mappings, or None where the path breaks."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def as_list(value: object) -> list:
    """The value if it is a list, else an empty one (wrong types are schema findings)."""
    return value if isinstance(value, list) else []


def mappings(value: object) -> list[dict]:
    """The mappings of a list value (see `as_list`)."""
    return [item for item in as_list(value) if isinstance(item, dict)]


def _string_map(value: object) -> dict[str, str]:
    """The string-to-string part of a labels/annotations map (wrong types are schema findings)."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(v, str)}


#: apiVersions whose workloads' spec.selector defaulted to the pod template's labels (apps/v1beta2
#: and apps/v1 require it).
_SELECTOR_DEFAULTED = frozenset({"extensions/v1beta1", "apps/v1beta1"})


@dataclass(eq=False)
class K8sObject:
    source: SourceFile
    document: Document
    data: dict
    position: tuple  # position tree node of this object (`kubecheck.positions`)
    path_in_document: tuple  # () for a document, ("items", 3) for the 4th item of a List
    api_version: str
    kind: str
    is_context: bool = False
    workload_kinds: frozenset = frozenset()
    added_selector_labels: dict = field(default_factory=dict)  # kustomize adds these to its selectors
    build_namespace: str | None = None  # the namespace kustomize puts it in, whatever it says
    namespace: str | None = field(default=None)  # set by the index (defaulted, None if cluster-scoped)

    @cached_property
    def group(self) -> str:
        return current_group(split_api_version(self.api_version)[0], self.kind)

    @cached_property
    def metadata(self) -> dict:
        metadata = self.data.get("metadata")
        return metadata if isinstance(metadata, dict) else {}

    @cached_property
    def name(self) -> str | None:
        name = self.metadata.get("name")
        return name if isinstance(name, str) and name else None

    @cached_property
    def declared_namespace(self) -> str | None:
        """The namespace the object says it is in (or kustomize puts it in), if any."""
        if self.build_namespace is not None:
            return self.build_namespace
        namespace = self.metadata.get("namespace")
        return namespace if isinstance(namespace, str) and namespace else None

    @cached_property
    def labels(self) -> dict[str, str]:
        return _string_map(self.metadata.get("labels"))

    @cached_property
    def annotations(self) -> dict[str, str]:
        return _string_map(self.metadata.get("annotations"))

    @property
    def is_helm_hook(self) -> bool:
        """A Helm hook (a test Pod, a migration Job) runs at install or test time only, beside the
        release's workloads, whose labels it often shares."""
        return "helm.sh/hook" in self.annotations

    @property
    def identity(self) -> tuple:
        """What makes two objects the same object to the API server."""
        return self.group, self.kind, self.namespace, self.name

    def same_as(self, other: K8sObject) -> bool:
        """Whether `other` is this object or a copy of it (in an alternative file). Unnamed objects
        (`generateName`) are each their own: the API server names each one."""
        return other is self or (self.name is not None and other.identity == self.identity)

    def get(self, *path, default=None):
        """The value at `path` (keys and list indexes), or `default` where the path breaks."""
        value = self.data
        for step in path:
            if isinstance(value, dict) and not isinstance(step, int):
                value = value.get(step, default)
            elif isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
                value = value[step]
            else:
                return default
        return value

    @cached_property
    def workload(self) -> WorkloadShape | None:
        key = (self.group, self.kind)
        shape = WORKLOADS.get(key)
        if shape is None and f"{self.group}/{self.kind}" in self.workload_kinds:
            shape = CUSTOM_WORKLOAD
        return shape

    @cached_property
    def defines_kind_with_pods(self) -> bool:
        """For a CRD: whether its custom resources' operator may create pods (`kubecheck.crd`).
        Kept with the object because the language server indexes the same CRDs on every check."""
        return may_create_pods(self.data)

    @cached_property
    def pod_template(self) -> PodTemplate | None:
        """The pods this object creates (or is, for a Pod); None for other kinds."""
        shape = self.workload
        if shape is None:
            return None
        template = self.get(*shape.template) if shape.template else self.data
        if not isinstance(template, dict):
            return None
        metadata = template.get("metadata")
        labels = _string_map(metadata.get("labels")) if isinstance(metadata, dict) else {}
        return PodTemplate(self, shape.template, labels, shape.runtime_labels(self))

    @cached_property
    def pod_selector(self) -> Selector | None:
        """The selector with which this controller claims pods, or None: for kinds without one,
        for Jobs and CronJobs whose selector the API server generates (it selects their own pods
        only), and for selectors that are missing, empty or invalid (other rules' findings)."""
        shape = self.workload
        if shape is None or shape.selector is None or (self.group, self.kind) == ("batch", "CronJob"):
            return None
        if (self.group, self.kind) == ("batch", "Job") and self.get("spec", "manualSelector") is not True:
            return None
        data = self.get(*shape.selector)
        try:
            if shape.selector_style == "map":  # a ReplicationController's defaults to its template's labels
                template = self.pod_template
                selector = Selector.from_map(data if data else template.labels if template else {})
            elif data is None and self.api_version in _SELECTOR_DEFAULTED and self.pod_template is not None:
                selector = Selector.from_map(self.pod_template.labels)  # as those versions defaulted it
            else:
                selector = Selector.from_label_selector(data) if data is not None else None
        except SelectorError:
            return None
        return None if selector is None or selector.is_empty else selector

    def describe(self) -> str:
        """`Deployment web` or `Deployment shop/web`, as messages name objects."""
        name = self.name or "(unnamed)"
        return f"{self.kind} {self.namespace}/{name}" if self.namespace else f"{self.kind} {name}"

    def reference(self) -> dict:
        """The `object` field of a finding."""
        return {"apiVersion": self.api_version, "kind": self.kind, "namespace": self.namespace, "name": self.name}


@dataclass(eq=False)
class PodTemplate:
    """A pod template: its owner, where it sits in the owner, and the labels its pods carry.

    `by_operator`: the owner is a custom resource whose operator creates pods with these labels
    (the `operator-pods` setting); their containers and their number are not known.
    """

    owner: K8sObject
    path: tuple
    labels: dict[str, str]
    runtime_labels: dict  # label -> fixed value or pattern, added by the controller
    by_operator: bool = False

    @property
    def labels_path(self) -> tuple:
        return () if self.by_operator else self.path + ("metadata", "labels")

    @property
    def spec(self) -> dict:
        """The pod spec ({} when unknown)."""
        spec = self.owner.get(*self.path, "spec") if not self.by_operator else None
        return spec if isinstance(spec, dict) else {}


def objects_of(source: SourceFile, *, is_context: bool = False, workload_kinds: frozenset = frozenset(),
               build=None) -> list[K8sObject]:
    """Every Kubernetes object in a loaded file; non-objects are added to its problems.

    `build`: what kustomize does to the file's objects (`kubecheck.kustomize.Build`: labels it
    adds to their selectors, the namespace it puts them in).
    """
    objects: list[K8sObject] = []
    for document in source.documents:
        if document.data is None:
            continue  # empty document (or one the loader refused)
        _collect(source, document, document.data, document.position, (), objects, is_context, workload_kinds, 0)
    if build is not None:
        for obj in objects:
            obj.added_selector_labels, obj.build_namespace = build.selector_labels, build.namespace
    return objects


def _collect(source, document, data, position, path, objects, is_context, workload_kinds, depth):
    where = "list item" if path else "document"
    line, column, _ = position
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"the scalar {_as_json(data)}"
        _problem(source, document, position, f"this {where} is {kind}, not a Kubernetes object")
        return
    api_version, kind = data.get("apiVersion"), data.get("kind")
    missing = [name for name, value in (("apiVersion", api_version), ("kind", kind)) if value is None]
    if missing:
        _problem(source, document, position, f"this {where} has no {' and no '.join(missing)}, so it is not a "
                                             "Kubernetes object")
        return
    for name, value in (("apiVersion", api_version), ("kind", kind)):
        if not isinstance(value, str) or not value:
            value_position = subtree(position, (name,))
            _problem(source, document, value_position, f"{name} must be a non-empty string, not {_as_json(value)}")
            return
    if kind.endswith("List") and "items" in data:
        _collect_list(source, document, data, position, path, objects, is_context, workload_kinds, depth)
        return
    objects.append(K8sObject(source, document, data, position, path, api_version, kind, is_context, workload_kinds))


def _collect_list(source, document, data, position, path, objects, is_context, workload_kinds, depth):
    items = data["items"]
    if items is None:
        return
    items_position = subtree(position, ("items",))
    if not isinstance(items, list):
        _problem(source, document, items_position, f"items of a {data['kind']} must be a list, not {_as_json(items)}")
        return
    if depth >= _MAX_LIST_NESTING:
        _problem(source, document, items_position, f"Lists nested deeper than {_MAX_LIST_NESTING} levels")
        return
    item_kind = data["kind"][: -len("List")]
    for index, item in enumerate(items):
        item_position = subtree(items_position, (index,))
        if isinstance(item, dict) and item_kind and ("apiVersion" not in item or "kind" not in item):
            # Typed lists (`DeploymentList`) may leave apiVersion and kind out of their items.
            item = {"apiVersion": data["apiVersion"], "kind": item_kind, **item}
        _collect(source, document, item, item_position, path + ("items", index), objects, is_context,
                 workload_kinds, depth + 1)


def _as_json(value: object) -> str:
    """A value as Kubernetes sees it (null, true, "text"), shortened for a message."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _problem(source: SourceFile, document: Document, position: tuple, message: str) -> None:
    line, column, _ = position
    source.problems.append(Problem("not-an-object", message, line, column, document.index))
