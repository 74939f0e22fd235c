"""How an object in a deprecated or removed apiVersion becomes its replacement.

Each migration works on one object's round-trip data (ruamel.yaml's CommentedMap, which keeps
comments, key order, quoting and flow style) and changes only what the new version needs: the
apiVersion always, and for some kinds fields that moved. What kubecheck cannot migrate faithfully
raises `Refusal` with the reason, and the object stays as it was. `kubecheck.fix` then checks
every migrated object against the target version's schema, so a plain rename that would leave an
invalid object (a required field the old version defaulted) is refused too.

The structural changes follow the Kubernetes deprecation guide and the API's conversion code:
apps/v1 needs `spec.selector` (the old versions defaulted it from the template's labels), and
DaemonSets and StatefulSets of the first beta versions defaulted `updateStrategy` to OnDelete;
networking.k8s.io/v1 Ingress backends name `service.name` and `service.port.number|name`, the
default backend is `defaultBackend`, and every path has a `pathType`; autoscaling/v2 metrics
state their targets as `target: {type, ...}`; an empty policy/v1beta1 PodDisruptionBudget selector
selected no pods, an empty policy/v1 one selects every pod, so that migration is refused;
admission webhooks in v1 must declare harmless side effects, and the four defaults v1 changed are
written out; a v1 CustomResourceDefinition carries schema, subresources and printer columns per
version (and one that kept unknown fields under a schema is refused: v1 would prune them);
EndpointSlice's topology became deprecatedTopology, and flowcontrol's assuredConcurrencyShares
nominalConcurrencyShares.
"""

from __future__ import annotations

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.tokens import CommentToken


class Refusal(Exception):
    """A migration kubecheck will not make, and why."""


def migrate(data: CommentedMap, replacement: str) -> list[str]:
    """Migrate `data` (one object) to the `replacement` apiVersion in place; what changed besides
    the apiVersion, in words. Raises Refusal, possibly after changing some of `data`: callers
    migrate a copy."""
    old, kind = data.get("apiVersion"), data.get("kind")
    group = replacement.rpartition("/")[0]
    structural = _STRUCTURAL.get((group, kind))
    notes = structural(data, old) if structural is not None else []
    data["apiVersion"] = replacement
    return notes


def _spec(data: CommentedMap) -> CommentedMap:
    spec = data.get("spec")
    if not isinstance(spec, dict):
        raise Refusal("it has no spec to migrate")
    return spec


def _workload(data: CommentedMap, old: str) -> list[str]:
    """apps/v1 requires spec.selector; the old versions defaulted it to the template's labels."""
    spec = _spec(data)
    notes = []
    if spec.get("selector") is None:
        labels = spec.get("template", {}).get("metadata", {}).get("labels") if isinstance(spec.get("template"), dict) \
            else None
        if not isinstance(labels, dict) or not labels:
            raise Refusal("apps/v1 requires spec.selector, and the pod template has no labels to select")
        if not isinstance(spec.get("template", {}).get("metadata"), dict):
            raise Refusal("the pod template's metadata is not a mapping")
        selector = CommentedMap([("matchLabels", commented(labels))])
        _insert_before(spec, "template", "selector", selector)
        notes.append("added spec.selector.matchLabels from the pod template's labels, as the old API defaulted it")
    if (old, data.get("kind")) in _ON_DELETE_BY_DEFAULT and spec.get("updateStrategy") is None:
        _insert_before(spec, "template", "updateStrategy", CommentedMap([("type", "OnDelete")]))
        notes.append("added updateStrategy.type: OnDelete, the old API's default (apps/v1 defaults to RollingUpdate)")
    return notes


#: Old versions whose updateStrategy defaulted to OnDelete.
_ON_DELETE_BY_DEFAULT = {("extensions/v1beta1", "DaemonSet"), ("apps/v1beta1", "StatefulSet")}


def _budget(data: CommentedMap, old: str) -> list[str]:
    selector = _spec(data).get("selector")
    if isinstance(selector, dict) and not selector.get("matchLabels") and not selector.get("matchExpressions"):
        raise Refusal("its selector is empty: in policy/v1beta1 that selects no pods, in policy/v1 every pod of the "
                      "namespace; write the selector you mean first")
    return []


def _ingress(data: CommentedMap, old: str) -> list[str]:
    spec = _spec(data)
    notes = []
    if "backend" in spec:
        _rename(spec, "backend", "defaultBackend")
        notes.append("spec.backend became spec.defaultBackend")
    backends = [spec["defaultBackend"]] if isinstance(spec.get("defaultBackend"), dict) else []
    added_path_types = 0
    for rule in spec.get("rules") or []:
        paths = rule.get("http", {}).get("paths") if isinstance(rule, dict) and isinstance(rule.get("http"), dict) \
            else None
        for path in paths or []:
            if not isinstance(path, dict):
                continue
            if "pathType" not in path:
                _insert_after(path, "path", "pathType", "ImplementationSpecific")
                added_path_types += 1
            if isinstance(path.get("backend"), dict):
                backends.append(path["backend"])
    for backend in backends:
        _service_backend(backend)
    if added_path_types:
        notes.append(f"added pathType: ImplementationSpecific to {added_path_types} path"
                     f"{'s' if added_path_types != 1 else ''} (the old API's behaviour)")
    return notes


def _service_backend(backend: CommentedMap) -> None:
    """serviceName/servicePort become service: {name, port: {number | name}} where they were."""
    if "serviceName" not in backend:
        return
    port = backend.get("servicePort")
    target = CommentedMap([("number" if isinstance(port, int) and not isinstance(port, bool) else "name", port)])
    service = CommentedMap([("name", backend["serviceName"])] + ([("port", target)] if port is not None else []))
    if backend.fa.flow_style():
        service.fa.set_flow_style()
        target.fa.set_flow_style()
    # Comments (and the blank lines ruamel.yaml keeps with them) go to the values they were about.
    name_comment, port_comment = (backend.ca.items.pop(key, None) for key in ("serviceName", "servicePort"))
    _rename(backend, "serviceName", "service", service)
    backend.pop("servicePort", None)
    if name_comment is not None:
        service.ca.items["name"] = name_comment
    if port_comment is not None:
        (target if "port" in service else service).ca.items[next(reversed(target if "port" in service
                                                                           else service))] = port_comment


def _autoscaler(data: CommentedMap, old: str) -> list[str]:
    if old != "autoscaling/v2beta1":
        return []  # v2beta2 has the v2 shape
    metrics = _spec(data).get("metrics")
    if not isinstance(metrics, list):
        return []
    for metric in metrics:
        if isinstance(metric, dict):
            _v2_metric(metric)
    return ["restated the metrics' targets as target: {type, ...} (autoscaling/v2)"] if metrics else []


def _v2_metric(metric: CommentedMap) -> None:
    """One autoscaling/v2beta1 metric in autoscaling/v2 form (the API's conversion functions)."""
    kind = metric.get("type")
    source = metric.get({"Resource": "resource", "Pods": "pods", "Object": "object", "External": "external",
                         "ContainerResource": "containerResource"}.get(kind, ""))
    if not isinstance(source, dict):
        raise Refusal(f"a metric of type {kind!r} has no source to convert")
    if kind in ("Resource", "ContainerResource"):
        target = _target(source, utilization="targetAverageUtilization", average="targetAverageValue")
        _replace_fields(source, ("targetAverageUtilization", "targetAverageValue"), "target", target)
        return
    metric_id = CommentedMap([("name", source.get("metricName"))])
    selector_field = "metricSelector" if kind == "External" else "selector"
    if source.get(selector_field) is not None:
        metric_id["selector"] = source[selector_field]
    if kind == "Pods":
        target = _target(source, average="targetAverageValue")
    elif kind == "Object":
        target = _target(source, value="targetValue", average="averageValue")
    else:
        target = _target(source, value="targetValue", average="targetAverageValue")
    if kind == "Object":
        _rename(source, "target", "describedObject")
    old_fields = ("metricName", selector_field, "targetValue", "targetAverageValue", "averageValue")
    _replace_fields(source, old_fields, "metric", metric_id)
    source.insert(list(source).index("metric") + 1, "target", target)


def _target(source: dict, *, utilization: str = "", value: str = "", average: str = "") -> CommentedMap:
    if utilization and source.get(utilization) is not None:
        return CommentedMap([("type", "Utilization"), ("averageUtilization", source[utilization])])
    if average and source.get(average) is not None:
        return CommentedMap([("type", "AverageValue"), ("averageValue", source[average])])
    if value and source.get(value) is not None:
        return CommentedMap([("type", "Value"), ("value", source[value])])
    raise Refusal("a metric states no target value")


def _replace_fields(mapping: CommentedMap, old: tuple, new: str, value) -> None:
    """Put `new` where the first of the `old` fields was, and drop the others."""
    present = [key for key in mapping if key in old]
    if not present:
        raise Refusal(f"a metric lacks {old[0]}")
    _rename(mapping, present[0], new, value)
    for key in present[1:]:
        mapping.pop(key)
    comment = mapping.ca.items.get(new)
    holder, last = _end_of(mapping, new)
    if comment is not None and (holder, last) != (mapping, new):
        holder.ca.items[last] = mapping.ca.items.pop(new)  # the comment was about the value, now the last line


def _rename(mapping: CommentedMap, old: str, new: str, value=None) -> None:
    """Key `old` becomes `new` at the same place, with its comments (and `value`, if given)."""
    position = list(mapping).index(old)
    kept = mapping.pop(old)
    comment = mapping.ca.items.pop(old, None)
    mapping.insert(position, new, kept if value is None else value)
    if comment is not None:
        mapping.ca.items[new] = comment


def _insert_before(mapping: CommentedMap, anchor: str, key: str, value) -> None:
    keys = list(mapping)
    _insert(mapping, keys.index(anchor) if anchor in keys else len(keys), key, value)


def _insert_after(mapping: CommentedMap, anchor: str, key: str, value) -> None:
    keys = list(mapping)
    _insert(mapping, keys.index(anchor) + 1 if anchor in keys else 0, key, value)


def _insert(mapping: CommentedMap, position: int, key: str, value) -> None:
    """Insert `key` at `position`, keeping the full-line comments that were above the key now
    after it above that key: ruamel.yaml stores them with the end of the value before."""
    keys = list(mapping)
    mapping.insert(position, key, value)
    if 0 < position < len(keys):
        before, slot = _end_of(mapping, keys[position - 1])
        token = before.ca.items.get(slot, [None] * 4)[2] if hasattr(before, "ca") else None
        own, _, lines = token.value.partition("\n") if token is not None else ("", "", "")
        if lines.strip():
            if own.strip():
                token.value = own + "\n"
            else:
                before.ca.items[slot][2] = None
            after, last = _end_of(mapping, key)
            after.ca.items[last] = [None, None, CommentToken("\n" + lines, token.start_mark, None), None]


def _end_of(mapping: CommentedMap, key: str) -> tuple:
    """The mapping and key whose comment slot holds what follows `key`'s value in the text: the
    last key of a block mapping value (recursively), else `key` itself."""
    value = mapping[key]
    if isinstance(value, CommentedMap) and value and not value.fa.flow_style():
        return _end_of(value, next(reversed(value)))
    return mapping, key


def commented(value):
    """A copy of (round-trip or plain) data as round-trip data, flow style kept, for migrations."""
    if isinstance(value, dict):
        copied = CommentedMap((key, commented(item)) for key, item in value.items())
        if getattr(value, "fa", None) is not None and value.fa.flow_style():
            copied.fa.set_flow_style()
        return copied
    if isinstance(value, list):
        return CommentedSeq(commented(item) for item in value)
    return value


def _webhooks(data: CommentedMap, old: str) -> list[str]:
    """admissionregistration.k8s.io/v1 requires sideEffects and admissionReviewVersions, and
    changed four defaults: the old ones are written out so the webhooks behave as before."""
    webhooks = data.get("webhooks") or []
    for webhook in webhooks:
        if isinstance(webhook, dict) and webhook.get("sideEffects") not in ("None", "NoneOnDryRun"):
            raise Refusal(f"webhook {webhook.get('name')!r} has sideEffects {webhook.get('sideEffects') or 'Unknown'} "
                          "(the old default), which v1 does not accept: declare None or NoneOnDryRun if it is true")
    written = set()
    for webhook in webhooks:
        if not isinstance(webhook, dict):
            continue
        for key, value in _V1BETA1_WEBHOOK_DEFAULTS:
            if key not in webhook:
                webhook[key] = commented(value)
                written.add(key)
    return [f"wrote out the old defaults ({', '.join(sorted(written))}), which v1 changed or requires"] if written else []


_V1BETA1_WEBHOOK_DEFAULTS = (
    ("admissionReviewVersions", CommentedSeq(["v1beta1"])), ("failurePolicy", "Ignore"),
    ("matchPolicy", "Exact"), ("timeoutSeconds", 30),
)


def _custom_resource_definition(data: CommentedMap, old: str) -> list[str]:
    """apiextensions.k8s.io/v1: every version carries its schema, subresources and printer columns;
    unknown fields are pruned unless the schema preserves them; webhook conversion settings moved."""
    spec = _spec(data)
    schema = (spec.get("validation") or {}).get("openAPIV3Schema") if isinstance(spec.get("validation"), dict) \
        else None
    if schema is not None and spec.get("preserveUnknownFields", True) is not False:
        raise Refusal("it has a schema and keeps unknown fields (preserveUnknownFields, true by default), while v1 "
                      "prunes what the schema does not name: add x-kubernetes-preserve-unknown-fields where the "
                      "schema needs it and set preserveUnknownFields: false first")
    notes = []
    versions = spec.get("versions")
    if not versions:
        if not isinstance(spec.get("version"), str):
            raise Refusal("it names no version")
        versions = CommentedSeq([CommentedMap([("name", spec["version"]), ("served", True), ("storage", True)])])
        _insert_before(spec, "version", "versions", versions)
    spec.pop("version", None)
    if schema is None:
        schema = CommentedMap([("type", "object"), ("x-kubernetes-preserve-unknown-fields", True)])
        notes.append("gave each version a schema that keeps every field (it had none)")
    shared = {key: spec.pop(key) for key in ("subresources", "additionalPrinterColumns") if key in spec}
    spec.pop("validation", None)
    for version in versions:
        if not isinstance(version, dict):
            continue
        if "schema" not in version:
            version["schema"] = CommentedMap([("openAPIV3Schema", commented(schema))])
        for key, value in shared.items():
            version.setdefault(key, commented(value))
        for column in version.get("additionalPrinterColumns") or []:
            if isinstance(column, dict) and "JSONPath" in column:
                _rename(column, "JSONPath", "jsonPath")
    spec.pop("preserveUnknownFields", None)
    conversion = spec.get("conversion")
    if isinstance(conversion, dict) and ("webhookClientConfig" in conversion or "conversionReviewVersions" in conversion):
        webhook = CommentedMap()
        if "webhookClientConfig" in conversion:
            webhook["clientConfig"] = conversion.pop("webhookClientConfig")
        webhook["conversionReviewVersions"] = conversion.pop("conversionReviewVersions", CommentedSeq(["v1beta1"]))
        conversion["webhook"] = webhook
        notes.append("moved the conversion webhook settings under conversion.webhook")
    notes.append("moved the schema, subresources and printer columns into each version")
    return notes


def _endpoint_slice(data: CommentedMap, old: str) -> list[str]:
    """discovery.k8s.io/v1 renamed endpoints[].topology to deprecatedTopology."""
    renamed = 0
    for endpoint in data.get("endpoints") or []:
        if isinstance(endpoint, dict) and "topology" in endpoint:
            _rename(endpoint, "topology", "deprecatedTopology")
            renamed += 1
    return [f"renamed topology to deprecatedTopology in {renamed} endpoint{'s' if renamed != 1 else ''}"] if renamed \
        else []


def _priority_level(data: CommentedMap, old: str) -> list[str]:
    """flowcontrol v1beta3 and v1 call assuredConcurrencyShares nominalConcurrencyShares."""
    limited = data.get("spec", {}).get("limited") if isinstance(data.get("spec"), dict) else None
    if isinstance(limited, dict) and "assuredConcurrencyShares" in limited:
        _rename(limited, "assuredConcurrencyShares", "nominalConcurrencyShares")
        return ["renamed assuredConcurrencyShares to nominalConcurrencyShares"]
    return []


_STRUCTURAL = {
    **{("apps", kind): _workload for kind in ("Deployment", "DaemonSet", "ReplicaSet", "StatefulSet")},
    ("policy", "PodDisruptionBudget"): _budget,
    ("networking.k8s.io", "Ingress"): _ingress,
    ("autoscaling", "HorizontalPodAutoscaler"): _autoscaler,
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"): _webhooks,
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"): _webhooks,
    ("apiextensions.k8s.io", "CustomResourceDefinition"): _custom_resource_definition,
    ("discovery.k8s.io", "EndpointSlice"): _endpoint_slice,
    ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"): _priority_level,
}
