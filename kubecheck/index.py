"""Indexes over all objects of a run, so cross-object rules stay near-linear.

Built once per run from the checked objects and the context objects. It settles each
object's namespace (the `--namespace` default for namespaced kinds, none for cluster-scoped
ones, custom kinds scoped by the CRDs among the inputs) and indexes objects by identity,
and pod templates by namespace and by label, so that "which pod templates may this
selector select?" looks at the templates that carry the selector's labels rather than at all
of them.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict

from kubecheck.kinds import CLUSTER_SCOPED, is_custom_group
from kubecheck.objects import K8sObject, PodTemplate
from kubecheck.selectors import Selector


class ObjectIndex:
    def __init__(self, objects: list[K8sObject], default_namespace: str = "default"):
        self.objects = objects
        cluster_scoped = set(CLUSTER_SCOPED) | _cluster_scoped_custom_kinds(objects)
        self.by_identity: dict[tuple, list[K8sObject]] = defaultdict(list)
        self.templates: dict[str | None, list[PodTemplate]] = defaultdict(list)
        self._by_label: dict[tuple, list[PodTemplate]] = defaultdict(list)
        self._by_runtime_label: dict[tuple, list[PodTemplate]] = defaultdict(list)
        self.custom_resources: dict[str | None, list[K8sObject]] = defaultdict(list)  # by namespace
        self._custom_names: dict[str | None, tuple[list[str], int]] = {}
        self._by_type_in_file: dict[tuple, list[K8sObject]] | None = None
        for obj in objects:
            if (obj.group, obj.kind) in cluster_scoped:
                obj.namespace = None
            else:
                obj.namespace = obj.declared_namespace or default_namespace
            if obj.name is not None:
                self.by_identity[obj.identity].append(obj)
            template = obj.pod_template
            if template is not None:
                self._add_template(obj.namespace, template)
            elif is_custom_group(obj.group) and obj.kind != "CustomResourceDefinition":
                self.custom_resources[obj.namespace].append(obj)

    def _add_template(self, namespace: str | None, template: PodTemplate) -> None:
        self.templates[namespace].append(template)
        runtime = template.runtime_labels
        for key, value in template.labels.items():
            if key not in runtime:
                self._by_label[namespace, key, value].append(template)
        for key, value in runtime.items():
            if isinstance(value, str):
                self._by_label[namespace, key, value].append(template)
            else:
                self._by_runtime_label[namespace, key].append(template)

    def same_type_in_file(self, obj: K8sObject) -> list[K8sObject]:
        """The objects of `obj`'s file with its apiVersion and kind (`obj` included), in order."""
        if self._by_type_in_file is None:
            self._by_type_in_file = defaultdict(list)
            for other in self.objects:
                self._by_type_in_file[id(other.source), other.api_version, other.kind].append(other)
        return self._by_type_in_file[id(obj.source), obj.api_version, obj.kind]

    def same_identity(self, obj: K8sObject) -> list[K8sObject]:
        """Every object with `obj`'s identity (`obj` included), in input order."""
        return self.by_identity.get(obj.identity, []) if obj.name is not None else [obj]

    def _candidates(self, namespace: str | None, key: str, value: str) -> list[PodTemplate]:
        fixed = self._by_label.get((namespace, key, value), [])
        patterned = [t for t in self._by_runtime_label.get((namespace, key), ()) if t.runtime_labels[key].match(value)]
        return fixed + patterned if patterned else fixed

    def selected_templates(self, namespace: str | None, selector: Selector) -> list[PodTemplate]:
        """Pod templates in `namespace` whose pods `selector` may select."""
        if selector.match_labels:
            key, value = min(selector.match_labels.items(),
                             key=lambda item: len(self._by_label.get((namespace, *item), ())))
            candidates = self._candidates(namespace, key, value)
        else:
            candidates = self.templates.get(namespace, [])
        return [t for t in candidates if selector.matches(t.labels, t.runtime_labels)]

    def closest_templates(self, namespace: str | None, selector: Selector, limit: int = 3) -> list[PodTemplate]:
        """Pod templates sharing the most of a selector's `matchLabels`, best first.

        Only templates that share at least half of them count as close, and labels carried by
        many templates (`part-of: shop`) are not counted: they say nothing about which template
        was meant, and counting them would cost time proportional to all templates for every
        Service that selects nothing.
        """
        shared: Counter = Counter()
        by_id: dict[int, PodTemplate] = {}
        for key, value in selector.match_labels.items():
            candidates = self._candidates(namespace, key, value)
            if len(candidates) > _CROWDED:
                continue
            for template in candidates:
                shared[id(template)] += 1
                by_id[id(template)] = template
        enough = max(1, (len(selector.match_labels) + 1) // 2)
        close = [(count, key) for key, count in shared.items() if count >= enough]
        best = heapq.nsmallest(limit, close, key=lambda item: (-item[0], _position_key(by_id[item[1]].owner)))
        return [by_id[key] for _, key in best]

    def custom_resource_names(self, namespace: str | None) -> tuple[list[str], int]:
        """The first few `Kind name`s of the custom resources in a namespace, and how many there are."""
        if namespace not in self._custom_names:
            objects = self.custom_resources.get(namespace, [])
            self._custom_names[namespace] = (sorted({f"{obj.kind} {obj.name}" for obj in objects})[:3], len(objects))
        return self._custom_names[namespace]


#: A label value carried by more pod templates than this is too common to point at any of them.
_CROWDED = 50


def _position_key(obj: K8sObject) -> tuple:
    return obj.source.path, obj.document.index, obj.path_in_document


def _cluster_scoped_custom_kinds(objects: list[K8sObject]) -> set[tuple]:
    """(group, kind) of custom resources whose CRD among the inputs says `scope: Cluster`."""
    kinds = set()
    for obj in objects:
        if obj.kind == "CustomResourceDefinition" and obj.group == "apiextensions.k8s.io":
            group, kind, scope = obj.get("spec", "group"), obj.get("spec", "names", "kind"), obj.get("spec", "scope")
            if scope == "Cluster" and isinstance(group, str) and isinstance(kind, str):
                kinds.add((group, kind))
    return kinds
