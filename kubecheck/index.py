"""Indexes over all objects of a run, so cross-object rules stay near-linear.

Built once per run from the checked objects and the context objects. It settles each
object's namespace (the `--namespace` default for namespaced kinds, none for cluster-scoped
ones, custom kinds scoped by the CRDs among the inputs) and indexes objects by identity and
by kind per namespace, HorizontalPodAutoscalers by their target, and pod templates by
namespace and by label, so that "which pod templates may this selector select?" looks at the
templates that carry the selector's labels rather than at all of them.

Pods can also come from operators. Custom resources of the kinds the `operator-pods` setting
declares stand for pods with the labels it gives; other custom resources may create pods
nobody can see in the manifests, unless their CRD among the inputs shows they cannot
(`kubecheck.crd.may_create_pods`): rules that find no pods say so, at a lower severity.
"""

from __future__ import annotations

import difflib

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass

from kubecheck.kinds import CLUSTER_SCOPED, current_group, is_custom_group, never_runs_pods, split_api_version
from kubecheck.objects import K8sObject, PodTemplate
from kubecheck.rule import Related
from kubecheck.selectors import Selector, SelectorError, budget_selector

_CRD = ("apiextensions.k8s.io", "CustomResourceDefinition")
_AUTOSCALER = ("autoscaling", "HorizontalPodAutoscaler")
_BUDGET = ("policy", "PodDisruptionBudget")


class ObjectIndex:
    def __init__(self, objects: list[K8sObject], default_namespace: str = "default", operator_pods: dict | None = None,
                 generated: set | None = None):
        self.objects = objects
        self.generated = generated or set()  # (kind, name) of objects a build step generates (kustomize)
        self._derived: dict = {}
        crds = [obj for obj in objects if obj.kind == "CustomResourceDefinition" and obj.group == _CRD[0]]
        cluster_scoped = set(CLUSTER_SCOPED) | _cluster_scoped_custom_kinds(crds)
        pod_free = {key for key, crd in _custom_kinds(crds).items() if not crd.defines_kind_with_pods}
        operator_pods = operator_pods or {}
        self.by_identity: dict[tuple, list[K8sObject]] = defaultdict(list)
        self._kinds: Counter = Counter()  # (namespace, group, kind) -> how many objects
        self._autoscalers: dict[tuple, list[K8sObject]] = defaultdict(list)  # target identity -> HPAs
        self.templates: dict[str | None, list[PodTemplate]] = defaultdict(list)
        self._by_label: dict[tuple, list[PodTemplate]] = defaultdict(list)
        self._by_runtime_label: dict[tuple, list[PodTemplate]] = defaultdict(list)
        self._pod_owners: dict[str | None, list[K8sObject]] = defaultdict(list)  # custom resources, by namespace
        self._pod_owner_names: dict[str | None, tuple[list[str], int]] = {}
        self._by_type_in_file: dict[tuple, list[K8sObject]] | None = None
        self._budgets: dict[int, list[K8sObject]] | None = None
        for obj in objects:  # the language server runs this on every change: kept lean
            group, kind = obj.group, obj.kind
            namespace = obj.namespace = None if (group, kind) in cluster_scoped else \
                obj.declared_namespace or default_namespace
            name = obj.name
            if name is not None:
                self.by_identity[group, kind, namespace, name].append(obj)
            self._kinds[namespace, group, kind] += 1
            template = obj.pod_template or (_operator_template(obj, operator_pods) if operator_pods else None)
            if template is not None:
                self._add_template(namespace, template)
            elif is_custom_group(group) and (group, kind) != _CRD and (group, kind) not in pod_free \
                    and not never_runs_pods(group, kind):
                self._pod_owners[namespace].append(obj)
            if kind == "HorizontalPodAutoscaler" and group == _AUTOSCALER[0]:
                self._add_autoscaler(obj)

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

    def _add_autoscaler(self, hpa: K8sObject) -> None:
        target = hpa.get("spec", "scaleTargetRef")
        if not isinstance(target, dict) or not all(isinstance(target.get(key), str)
                                                   for key in ("apiVersion", "kind", "name")):
            return
        group = current_group(split_api_version(target["apiVersion"])[0], target["kind"])
        self._autoscalers[group, target["kind"], hpa.namespace, target["name"]].append(hpa)

    def derived(self, key: str, build):
        """An index a rule module builds once per run from this one (`build(index)`), by `key`."""
        if key not in self._derived:
            self._derived[key] = build(self)
        return self._derived[key]

    def find(self, namespace: str | None, group: str, kind: str, name: str) -> list[K8sObject]:
        """Every object of this group, kind, namespace and name, in input order. Copies in
        alternative files (overlays, examples) all count: a reference holds if any copy satisfies it."""
        return self.by_identity.get((group, kind, namespace, name), [])

    def holds(self, namespace: str | None, group: str, kind: str) -> bool:
        """Whether the inputs hold any object of this kind in this namespace: only then can a
        reference to a missing one be judged (otherwise they are all managed elsewhere)."""
        return self._kinds[namespace, group, kind] > 0

    def autoscalers_of(self, obj: K8sObject) -> list[K8sObject]:
        """The HorizontalPodAutoscalers whose scaleTargetRef names `obj`."""
        return self._autoscalers.get(obj.identity, []) if obj.name is not None else []

    def budgets_selecting(self, template: PodTemplate) -> list[K8sObject]:
        """The PodDisruptionBudgets (checked and context) that certainly select `template`'s pods."""
        if self._budgets is None:
            self._budgets = defaultdict(list)
            for obj in self.objects:
                if (obj.group, obj.kind) != _BUDGET:
                    continue
                try:
                    selector = budget_selector(obj.api_version, obj.get("spec", "selector"))
                except SelectorError:
                    continue  # selector-mismatch's or the schema's finding
                if selector is not None:
                    for selected in self.selected_templates(obj.namespace, selector, certain=True):
                        self._budgets[id(selected)].append(obj)
        return self._budgets.get(id(template), [])

    def same_type_in_file(self, obj: K8sObject) -> list[K8sObject]:
        """The objects of `obj`'s file with its apiVersion and kind (`obj` included), in order."""
        if self._by_type_in_file is None:
            self._by_type_in_file = defaultdict(list)
            for other in self.objects:
                self._by_type_in_file[id(other.source), other.api_version, other.kind].append(other)
        return self._by_type_in_file[id(obj.source), obj.api_version, obj.kind]

    def alternatives(self, one: K8sObject, other: K8sObject) -> bool:
        """Whether two objects come from different files that define a same object: variants of
        one another (a provider's manifests next to another's, an overlay's rendering next to its
        base, documentation examples), never applied together (duplicate-object would say so).
        Rules that report a conflict between two objects do not relate objects of such files."""
        if one.source is other.source:
            return False
        identities = self.derived("identities by file", _identities_by_file)
        return not identities.get(id(one.source), frozenset()).isdisjoint(identities.get(id(other.source), ()))

    def same_identity(self, obj: K8sObject) -> list[K8sObject]:
        """Every object with `obj`'s identity (`obj` included), in input order."""
        return self.by_identity.get(obj.identity, []) if obj.name is not None else [obj]

    def _candidates(self, namespace: str | None, key: str, value: str) -> list[PodTemplate]:
        fixed = self._by_label.get((namespace, key, value), [])
        patterned = [t for t in self._by_runtime_label.get((namespace, key), ()) if t.runtime_labels[key].match(value)]
        return fixed + patterned if patterned else fixed

    def selected_templates(self, namespace: str | None, selector: Selector, certain: bool = False) -> list[PodTemplate]:
        """Pod templates in `namespace` whose pods `selector` may select (with `certain`: selects
        whatever values the labels controllers add take; `kubecheck.selectors`)."""
        if selector.match_labels:
            key, value = min(selector.match_labels.items(),
                             key=lambda item: len(self._by_label.get((namespace, *item), ())))
            candidates = self._candidates(namespace, key, value)
        else:
            candidates = self.templates.get(namespace, [])
        return [t for t in candidates if selector.matches(t.labels, t.runtime_labels, certain)]

    def closest_templates(self, namespace: str | None, selector: Selector, limit: int = 3) -> list[PodTemplate]:
        """Pod templates sharing the most of a selector's `matchLabels`, best first.

        Only templates that share at least half of them count as close, and labels carried by
        many templates (`part-of: shop`) are not counted: they say nothing about which template
        was meant, and counting them would cost time proportional to all templates for every
        Service that selects nothing. A value no template carries counts for templates whose
        value of that label is spelt nearly so (`wbe` for `web`): typos are what this is for.
        """
        shared: Counter = Counter()
        by_id: dict[int, PodTemplate] = {}
        values = self.derived("label values by key", _label_values)
        for key, value in selector.match_labels.items():
            candidates = self._candidates(namespace, key, value)
            for near in ([] if candidates else _misspellings(value, values.get((namespace, key), ()))):
                candidates = candidates + self._by_label.get((namespace, key, near), [])
            if len(candidates) > _CROWDED:
                continue
            for template in candidates:
                shared[id(template)] += 1
                by_id[id(template)] = template
        enough = max(1, (len(selector.match_labels) + 1) // 2)
        close = [(count, key) for key, count in shared.items() if count >= enough]
        best = heapq.nsmallest(limit, close, key=lambda item: (-item[0], _position_key(by_id[item[1]].owner)))
        return [by_id[key] for _, key in best]

    def unseen_pod_owners(self, namespace: str | None) -> tuple[list[str], int]:
        """The first few `Kind name`s of the custom resources in a namespace whose operator may
        create pods the manifests do not show, and how many there are."""
        if namespace not in self._pod_owner_names:
            objects = self._pod_owners.get(namespace, [])
            self._pod_owner_names[namespace] = (sorted({f"{obj.kind} {obj.name or '(unnamed)'}" for obj in objects})[:3],
                                                len(objects))
        return self._pod_owner_names[namespace]

    def no_pods(self, namespace: str | None, selector: Selector) -> NoPods:
        """Why `selector` selects no pod template here, for rules that report it: the closest
        templates and the labels they lack, and custom resources whose operator may create the pods."""
        closest = self.closest_templates(namespace, selector)
        text = ""
        if closest:
            text = " (closest: " + "; ".join(
                f"{t.owner.describe()} lacks {', '.join(selector.missing(t.labels, t.runtime_labels))}"
                for t in closest) + ")"
        names, count = self.unseen_pod_owners(namespace)
        if count:
            text += (f"; the namespace also holds custom resources ({', '.join(names)}{', ...' if count > 3 else ''})"
                     " whose operator may create such pods (declare them in `operator-pods` to check exactly)")
        related = tuple(Related(t.owner, t.labels_path, "closest pod template's labels") for t in closest)
        return NoPods(text, related, uncertain=count > 0)


@dataclass(frozen=True)
class NoPods:
    """What a "selects no pods" finding adds to its message, relates, and whether it is uncertain."""

    explanation: str
    related: tuple
    uncertain: bool


#: A label value carried by more pod templates than this is too common to point at any of them.
_CROWDED = 50


def _misspellings(value: str, values) -> list[str]:
    """Values that `value` may be a typo of: nearly the same letters, nearly the same length."""
    return [other for other in difflib.get_close_matches(value, values, 3, 0.6) if abs(len(other) - len(value)) <= 2]


def _label_values(index: ObjectIndex) -> dict[tuple, list[str]]:
    """(namespace, label) -> the values pod templates there give it."""
    found: dict[tuple, list[str]] = defaultdict(list)
    for namespace, key, value in index._by_label:
        found[namespace, key].append(value)
    return found


def _identities_by_file(index: ObjectIndex) -> dict[int, frozenset]:
    found: dict[int, set] = defaultdict(set)
    for obj in index.objects:
        if obj.name is not None:
            found[id(obj.source)].add(obj.identity)
    return {source: frozenset(identities) for source, identities in found.items()}


def _position_key(obj: K8sObject) -> tuple:
    return obj.source.path, obj.document.index, obj.path_in_document


def _custom_kinds(crds: list[K8sObject]) -> dict[tuple, K8sObject]:
    """(group, kind) -> the (first) CRD among the inputs that defines it."""
    kinds: dict[tuple, K8sObject] = {}
    for crd in crds:
        group, kind = crd.get("spec", "group"), crd.get("spec", "names", "kind")
        if isinstance(group, str) and isinstance(kind, str):
            kinds.setdefault((group, kind), crd)
    return kinds


def _cluster_scoped_custom_kinds(crds: list[K8sObject]) -> set[tuple]:
    """(group, kind) of custom resources whose CRD among the inputs says `scope: Cluster`."""
    return {key for key, crd in _custom_kinds(crds).items() if crd.get("spec", "scope") == "Cluster"}


def _operator_template(obj: K8sObject, operator_pods: dict) -> PodTemplate | None:
    """The pods an operator creates for a custom resource of a kind `operator-pods` declares."""
    declared = operator_pods.get(f"{obj.group}/{obj.kind}") if operator_pods else None
    if declared is None:
        return None
    labels = {key: value.replace("{name}", obj.name or "").replace("{namespace}", obj.namespace or "")
              for key, value in declared.items()}
    return PodTemplate(obj, (), labels, {}, by_operator=True)
