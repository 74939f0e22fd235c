"""Schemas of custom resources, from the CustomResourceDefinitions among the inputs.

A CRD's `openAPIV3Schema` (per served version in `apiextensions.k8s.io/v1`, or one for all
versions in `v1beta1`) is an OpenAPI v3 structural schema; here it becomes JSON Schema as the
API server applies it:

- `nullable: true` adds null to the type;
- `x-kubernetes-int-or-string: true` is an integer or a string;
- `x-kubernetes-preserve-unknown-fields: true` keeps unknown fields; everywhere else an object
  that lists its properties refuses others (`additionalProperties: false`), which is what the
  API server's strict field validation reports (kubecheck ignores it under `--no-strict`);
- `x-kubernetes-embedded-resource: true` is an object that may carry apiVersion, kind and
  metadata, like the root;
- OpenAPI's boolean `exclusiveMinimum`/`exclusiveMaximum` become JSON Schema's numbers;
- at the root, `apiVersion`, `kind` and `metadata` (an ObjectMeta) are always allowed.
"""

from __future__ import annotations

import functools
from typing import Callable

_OBJECT_META = "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
_COPIED = ("type", "format", "enum", "pattern", "minimum", "maximum", "minLength", "maxLength", "minItems",
           "maxItems", "uniqueItems", "multipleOf", "minProperties", "maxProperties", "required", "description")


def served_schemas(crd: dict) -> dict[str, Callable[[], dict]]:
    """version -> JSON Schema of the custom resources, for every version the CRD serves; each
    schema is converted when asked for (only the kinds a run validates pay for it)."""
    spec = crd.get("spec") if isinstance(crd.get("spec"), dict) else {}
    kind = spec.get("names", {}).get("kind") if isinstance(spec.get("names"), dict) else None
    # apiextensions.k8s.io/v1beta1 kept unknown fields unless told otherwise; v1 requires false
    keep_unknown = crd.get("apiVersion") == "apiextensions.k8s.io/v1beta1" and spec.get("preserveUnknownFields") is not False
    shared = _openapi(spec.get("validation"))
    versions = spec.get("versions")
    if not isinstance(versions, list) or not versions:
        version = spec.get("version")
        openapi = {version: shared or {}} if isinstance(version, str) else {}
    else:
        openapi = {entry["name"]: _openapi(entry.get("schema")) or shared or {} for entry in versions
                   if isinstance(entry, dict) and isinstance(entry.get("name"), str)
                   and entry.get("served", True) is not False}
    return {version: functools.partial(to_json_schema, schema, kind or "", keep_unknown)
            for version, schema in openapi.items()}


def _openapi(holder) -> dict | None:
    schema = holder.get("openAPIV3Schema") if isinstance(holder, dict) else None
    return schema if isinstance(schema, dict) else None


def to_json_schema(openapi: dict, kind: str, keep_unknown: bool = False) -> dict:
    """The JSON Schema of a custom resource whose CRD declares `openapi` for its version.

    `keep_unknown`: the CRD keeps unknown fields everywhere (v1beta1's preserveUnknownFields).
    """
    schema = _convert(openapi, keep_unknown)
    schema["title"] = kind
    schema.setdefault("type", "object")
    _allow_object_fields(schema)
    return schema


def _allow_object_fields(schema: dict) -> None:
    properties = schema.setdefault("properties", {})
    properties.setdefault("apiVersion", {"type": "string"})
    properties.setdefault("kind", {"type": "string"})
    properties["metadata"] = {"$ref": _OBJECT_META}


def _convert(node: dict, open_objects: bool) -> dict:
    """One schema node. `open_objects`: never refuse unknown fields below (inside allOf, anyOf,
    oneOf and not, listed properties only constrain those fields; or the CRD keeps them all)."""
    if not isinstance(node, dict):
        return {}
    schema = {key: node[key] for key in _COPIED if key in node}
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if node.get(exclusive) is True and bound in node:
            schema[exclusive] = schema.pop(bound)
    if isinstance(node.get("properties"), dict):
        schema["properties"] = {name: _convert(value, open_objects) for name, value in node["properties"].items()}
    if isinstance(node.get("items"), dict):
        schema["items"] = _convert(node["items"], open_objects)
    additional = node.get("additionalProperties")
    if isinstance(additional, dict):
        schema["additionalProperties"] = _convert(additional, open_objects)
    elif isinstance(additional, bool):
        schema["additionalProperties"] = additional
    int_or_string = node.get("x-kubernetes-int-or-string") is True
    for combinator in ("allOf", "anyOf", "oneOf"):
        branches = node.get(combinator)
        if isinstance(branches, list) and not (int_or_string and all(set(b) == {"type"} for b in branches
                                                                     if isinstance(b, dict))):
            schema[combinator] = [_convert(branch, True) for branch in branches]
    if isinstance(node.get("not"), dict):
        schema["not"] = _convert(node["not"], True)
    if int_or_string:  # (controller-gen also writes anyOf: [integer, string], dropped above)
        schema["type"] = ["integer", "string"]
    if node.get("x-kubernetes-embedded-resource") is True:
        _allow_object_fields(schema)
    keeps_unknown = open_objects or node.get("x-kubernetes-preserve-unknown-fields") is True
    if not keeps_unknown and "additionalProperties" not in schema and (
            "properties" in schema or schema.get("type") == "object"):
        schema["additionalProperties"] = False  # the API server prunes (and strict validation reports) the rest
    if node.get("nullable") is True:
        schema = _nullable(schema)
    return schema


def _nullable(schema: dict) -> dict:
    """null is valid for a nullable field whatever else its schema says."""
    if any(key in schema for key in ("enum", "const", "allOf", "anyOf", "oneOf", "not")):
        return {"anyOf": [{"type": "null"}, schema]}
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        schema["type"] = types + ["null"]
    return schema


#: Fields that only the schema of something that runs pods has (a pod template, containers,
#: scheduling constraints, a replica count).
_POD_FIELDS = frozenset({"template", "podTemplate", "podMetadata", "podSpec", "containers", "initContainers",
                         "image", "replicas", "nodeSelector", "tolerations", "affinity"})


def may_create_pods(crd: dict) -> bool:
    """Whether the operator of this CRD's kind may create pods, judged from its schemas: a
    schema without any pod-like field (or none kubecheck can read) cannot be ruled out."""
    spec = crd.get("spec") if isinstance(crd.get("spec"), dict) else {}
    schemas = [_openapi(spec.get("validation"))]
    if isinstance(spec.get("versions"), list):
        schemas += [_openapi(entry.get("schema")) for entry in spec["versions"] if isinstance(entry, dict)]
    schemas = [schema for schema in schemas if schema]
    return not schemas or any(_has_pod_fields(schema, 0) for schema in schemas)


def _has_pod_fields(node: object, depth: int) -> bool:
    if not isinstance(node, dict) or depth > 64:
        return False
    if node.get("x-kubernetes-preserve-unknown-fields") is True and depth <= 1:
        return True  # the root or spec keeps anything: no telling
    properties = node.get("properties") if isinstance(node.get("properties"), dict) else {}
    if _POD_FIELDS.intersection(properties):
        return True
    children = [*properties.values(), node.get("items"), node.get("additionalProperties")]
    for combinator in ("allOf", "anyOf", "oneOf"):
        if isinstance(node.get(combinator), list):
            children += node[combinator]
    return any(_has_pod_fields(child, depth + 1) for child in children)
