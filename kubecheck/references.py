"""What a pod template refers to by name, and whether the manifests hold it.

A pod refers to ConfigMaps (volumes, projected volumes, `env` and `envFrom`), Secrets (the
same, and `imagePullSecrets`), PersistentVolumeClaims (volumes) and its ServiceAccount. The
kubelet starts no container until a ConfigMap or Secret it needs (and the key it needs in it)
exists, unless the reference is `optional`; a pod waits in Pending for its claims; and the API
server creates no pod whose ServiceAccount is missing.

A reference is judged only where the manifests could hold its target: in a namespace where
the inputs (checked files and context) hold at least one object of that kind. Otherwise such
objects are evidently managed elsewhere. Some targets exist without a manifest: every
namespace has the ServiceAccount `default` and the ConfigMap `kube-root-ca.crt` (and, in a
service mesh, Istio's `istio-ca-root-cert`); kustomize's generators make ConfigMaps and Secrets
(`kubecheck.kustomize`); well-known operators make Secrets and Services from custom resources;
StatefulSets make their claims (`made_at_run_time`).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass

from kubecheck.objects import K8sObject, PodTemplate, as_list, mappings
from kubecheck.rule import Related, Violation

#: Objects every namespace has: (kind, name).
_ALWAYS_THERE = {("ServiceAccount", "default"), ("ConfigMap", "kube-root-ca.crt"),
                 ("ConfigMap", "istio-ca-root-cert")}  # istiod's, in every namespace of a mesh

#: What the kubelet or the API server does when a reference's target is missing.
_CONSEQUENCE = {
    "volume": "the pods cannot mount it and stay in ContainerCreating",
    "env": "the container cannot start (CreateContainerConfigError)",
    "imagePullSecrets": "images from private registries cannot be pulled with it",
    "serviceAccountName": "the API server refuses to create the pods",
    "claim": "the pods stay Pending",
}


@dataclass(frozen=True)
class Reference:
    kind: str  # ConfigMap, Secret, PersistentVolumeClaim, ServiceAccount
    name: str
    path: tuple  # of the name, inside the template's owner
    use: str  # a key of _CONSEQUENCE
    optional: bool = False
    keys: tuple = ()  # (key, path of the key) for each key the reference needs in the target's data


def references(template: PodTemplate) -> list[Reference]:
    """Every reference by name in a pod template, in document order."""
    spec = template.spec
    at = template.path + ("spec",)
    found: list[Reference] = []
    claimed = _claim_template_names(template)
    for index, volume in _items(spec, "volumes"):
        if not isinstance(volume.get("name"), str) or volume["name"] not in claimed:
            found += _volume_references(volume, at + ("volumes", index))
    for field in ("initContainers", "containers", "ephemeralContainers"):
        for index, container in _items(spec, field):
            found += _container_references(container, at + (field, index))
    for index, secret in _items(spec, "imagePullSecrets"):
        if isinstance(secret.get("name"), str) and secret["name"]:
            found.append(Reference("Secret", secret["name"], at + ("imagePullSecrets", index, "name"), "imagePullSecrets"))
    for field in ("serviceAccountName", "serviceAccount"):
        if isinstance(spec.get(field), str) and spec[field]:
            found.append(Reference("ServiceAccount", spec[field], at + (field,), "serviceAccountName"))
            break
    return found


def _claim_template_names(template: PodTemplate) -> set[str]:
    """Names of a StatefulSet's volumeClaimTemplates: its controller replaces the template's
    volumes of those names with the claims it creates, whatever they say."""
    owner = template.owner
    if (owner.group, owner.kind) != ("apps", "StatefulSet") or not isinstance(owner.get("spec"), dict):
        return set()
    return {claim["metadata"]["name"] for _, claim in _items(owner.get("spec"), "volumeClaimTemplates")
            if isinstance(claim.get("metadata"), dict) and isinstance(claim["metadata"].get("name"), str)}


def _items(data: dict, field: str):
    """(index, mapping) of the mappings of a list field, each at its index in the list."""
    return [(index, item) for index, item in enumerate(as_list(data.get(field))) if isinstance(item, dict)]


def _volume_references(volume: dict, at: tuple) -> list[Reference]:
    found = []
    claim = volume.get("persistentVolumeClaim")
    if isinstance(claim, dict) and isinstance(claim.get("claimName"), str):
        found.append(Reference("PersistentVolumeClaim", claim["claimName"], at + ("persistentVolumeClaim", "claimName"),
                               "claim"))
    sources = [(volume, at)]
    projected = volume.get("projected")
    if isinstance(projected, dict):
        sources += [(source, at + ("projected", "sources", index)) for index, source in _items(projected, "sources")]
    for source, where in sources:
        for field, kind, name_field in (("configMap", "ConfigMap", "name"), ("secret", "Secret", "secretName"),
                                        ("secret", "Secret", "name")):
            data = source.get(field)
            if not isinstance(data, dict) or not isinstance(data.get(name_field), str):
                continue
            keys = tuple((item["key"], where + (field, "items", index, "key"))
                         for index, item in _items(data, "items") if isinstance(item.get("key"), str))
            found.append(Reference(kind, data[name_field], where + (field, name_field), "volume",
                                   data.get("optional") is True, keys))
    return found


def _container_references(container: dict, at: tuple) -> list[Reference]:
    found = []
    for index, variable in _items(container, "env"):
        source = variable.get("valueFrom")
        for field, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
            ref = source.get(field) if isinstance(source, dict) else None
            if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                where = at + ("env", index, "valueFrom", field)
                keys = ((ref["key"], where + ("key",)),) if isinstance(ref.get("key"), str) else ()
                found.append(Reference(kind, ref["name"], where + ("name",), "env", ref.get("optional") is True, keys))
    for index, source in _items(container, "envFrom"):
        for field, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
            ref = source.get(field)
            if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                found.append(Reference(kind, ref["name"], at + ("envFrom", index, field, "name"), "env",
                                       ref.get("optional") is True))
    return found


def keys_of(obj: K8sObject, use: str) -> set[str]:
    """The keys a ConfigMap or Secret provides to a reference of this use: a ConfigMap's `binaryData`
    only to volumes (the kubelet reads environment variables from `data` alone), and the keys the
    token controller fills into a `kubernetes.io/service-account-token` Secret."""
    fields = ("data", "stringData") if obj.kind == "Secret" else ("data", "binaryData") if use == "volume" else ("data",)
    keys = {key for field in fields if isinstance(obj.get(field), dict) for key in obj.get(field)}
    if obj.kind == "Secret" and obj.get("type") == "kubernetes.io/service-account-token":
        keys |= _TOKEN_KEYS
    return keys


#: What the token controller adds to a service-account-token Secret.
_TOKEN_KEYS = frozenset({"token", "ca.crt", "namespace"})


def unresolved(obj: K8sObject, kind: str, ctx):
    """Violations for `obj`'s pod template references to objects of `kind` that the manifests
    do not hold (or that lack a key the reference needs)."""
    template = obj.pod_template
    if template is None or template.by_operator:
        return
    index, namespace = ctx.index, obj.namespace
    for ref in references(template):
        if ref.kind != kind or ref.optional or (kind, ref.name) in _ALWAYS_THERE:
            continue
        targets = index.find(namespace, "", kind, ref.name)
        if not targets:
            if (kind, ref.name) in index.generated or made_at_run_time(index, namespace, kind, ref.name) \
                    or not index.holds(namespace, "", kind):
                continue
            hint = suggestion(index, namespace, "", kind, ref.name)
            if ref.use in ("volume", "env"):
                hint += " (or mark the reference optional: true)"
            elsewhere = namespace_note(index, obj, "", kind, ref.name)
            yield Violation(ref.path, f"{kind} {ref.name!r} is not among the manifests of namespace {namespace!r}, "
                                      f"which hold other {kind}s: {_CONSEQUENCE[ref.use]} until it exists"
                                      f"{elsewhere or hint}", at="value", uncertain=bool(elsewhere))
            continue
        provided = sorted({key for target in targets for key in keys_of(target, ref.use)})
        for key, key_path in ref.keys:
            if key not in provided:
                has = (f"it has {', '.join(provided[:8])}{', ...' if len(provided) > 8 else ''}" if provided
                       else "it has none")
                yield Violation(key_path, f"{kind} {ref.name} has no key {key!r} ({has}): {_CONSEQUENCE[ref.use]}"
                                          f"{_did_you_mean(key, provided)}", (Related(targets[0], (), f"the {kind}"),),
                                at="value")


def namespace_note(index, obj: K8sObject, group: str, kind: str, name: str) -> str:
    """When an object of this kind and name is in another namespace and either it or `obj` has
    no namespace of its own (so both may well be applied to the same one), a note that says so:
    such findings are uncertain. "" otherwise."""
    for other in index.derived("objects by kind and name", _by_kind_and_name).get((group, kind, name), ()):
        if other.namespace != obj.namespace and (obj.declared_namespace is None or other.declared_namespace is None):
            unset = obj if obj.declared_namespace is None else other
            return (f"; a {kind} of that name is in namespace {other.namespace!r}, and {unset.kind} "
                    f"{unset.name or '(unnamed)'} has no namespace, so it is checked as in {unset.namespace!r}: "
                    f"if they are applied to one namespace, pass it with --namespace")
    return ""


def _by_kind_and_name(index) -> dict[tuple, list[K8sObject]]:
    found: dict[tuple, list[K8sObject]] = defaultdict(list)
    for other in index.objects:
        if other.name is not None:
            found[other.group, other.kind, other.name].append(other)
    return found


def suggestion(index, namespace: str | None, group: str, kind: str, name: str) -> str:
    """"; did you mean 'web'?" when an object of this group and kind in `namespace` has a close name."""
    return _did_you_mean(name, index.derived("names by namespace and kind", _names).get((namespace, group, kind), []))


def _did_you_mean(name: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _names(index) -> dict[tuple, list[str]]:
    """(namespace, group, kind) -> names of the objects, for suggestions."""
    names: dict[tuple, list[str]] = defaultdict(list)
    for obj in index.objects:
        if obj.name is not None:
            names[obj.namespace, obj.group, obj.kind].append(obj.name)
    return names


def made_at_run_time(index, namespace: str | None, kind: str, name: str) -> bool:
    """Whether something in the manifests makes this object when it runs, though no manifest
    holds it: an operator's custom resource (cert-manager's Certificate, a SealedSecret, an
    ExternalSecret make Secrets; a Prometheus, Alertmanager or ThanosRuler its `*-operated`
    Service; Elastic's Elasticsearch and Kibana their `-es-http` and `-kb-http` Services), or a
    StatefulSet's claim template (claims `<template>-<statefulset>-<ordinal>`)."""
    made = index.derived("objects made at run time", _made_at_run_time)
    if name in made.get((namespace, kind), ()):
        return True
    if kind == "PersistentVolumeClaim":
        prefixes = made.get((namespace, "claim prefixes"), ())
        return any(name.startswith(prefix) and name[len(prefix):].isdigit() for prefix in prefixes)
    return False


def _made_at_run_time(index) -> dict[tuple, set[str]]:
    made: dict[tuple, set[str]] = defaultdict(set)
    for obj in index.objects:
        key, name = (obj.group, obj.kind), obj.name
        if key == ("cert-manager.io", "Certificate"):
            made[obj.namespace, "Secret"].add(obj.get("spec", "secretName"))
        elif key == ("bitnami.com", "SealedSecret"):
            made[obj.namespace, "Secret"].add(name)  # named after the SealedSecret, whatever the template says
        elif key == ("external-secrets.io", "ExternalSecret"):
            made[obj.namespace, "Secret"].add(obj.get("spec", "target", "name") or name)
        elif key in _OPERATED_SERVICES:
            made[obj.namespace, "Service"].add(_OPERATED_SERVICES[key].format(name=name))
        elif key == ("apps", "StatefulSet") and name is not None:
            for claim in mappings(obj.get("spec", "volumeClaimTemplates")):
                claim_name = claim.get("metadata", {}).get("name") if isinstance(claim.get("metadata"), dict) else None
                if isinstance(claim_name, str):
                    made[obj.namespace, "claim prefixes"].add(f"{claim_name}-{name}-")
    return made


#: Services operators create for their custom resources, by the resource's group and kind.
_OPERATED_SERVICES = {
    ("monitoring.coreos.com", "Prometheus"): "prometheus-operated",
    ("monitoring.coreos.com", "PrometheusAgent"): "prometheus-agent-operated",
    ("monitoring.coreos.com", "Alertmanager"): "alertmanager-operated",
    ("monitoring.coreos.com", "ThanosRuler"): "thanos-ruler-operated",
    ("elasticsearch.k8s.elastic.co", "Elasticsearch"): "{name}-es-http",
    ("kibana.k8s.elastic.co", "Kibana"): "{name}-kb-http",
}
