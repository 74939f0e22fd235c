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

_OBJECT_META = "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
_COPIED = ("type", "format", "enum", "pattern", "minimum", "maximum", "minLength", "maxLength", "minItems",
           "maxItems", "uniqueItems", "multipleOf", "minProperties", "maxProperties", "required", "description")


def served_schemas(crd: dict) -> dict[str, dict]:
    """version -> openAPIV3Schema for every version the CRD serves (an empty schema if it has none)."""
    spec = crd.get("spec") if isinstance(crd.get("spec"), dict) else {}
    shared = _openapi(spec.get("validation"))
    versions = spec.get("versions")
    if not isinstance(versions, list) or not versions:
        version = spec.get("version")
        return {version: shared or {}} if isinstance(version, str) else {}
    served = {}
    for entry in versions:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry.get("served", True) is not False:
            served[entry["name"]] = _openapi(entry.get("schema")) or shared or {}
    return served


def _openapi(holder) -> dict | None:
    schema = holder.get("openAPIV3Schema") if isinstance(holder, dict) else None
    return schema if isinstance(schema, dict) else None


def to_json_schema(openapi: dict, kind: str) -> dict:
    """The JSON Schema of a custom resource whose CRD declares `openapi` for its version."""
    schema = _convert(openapi)
    schema["title"] = kind
    schema.setdefault("type", "object")
    _allow_object_fields(schema)
    return schema


def _allow_object_fields(schema: dict) -> None:
    properties = schema.setdefault("properties", {})
    properties.setdefault("apiVersion", {"type": "string"})
    properties.setdefault("kind", {"type": "string"})
    properties["metadata"] = {"$ref": _OBJECT_META}


def _convert(node: dict, in_combinator: bool = False) -> dict:
    """One schema node; inside allOf/anyOf/oneOf/not, listed properties only constrain those fields."""
    if not isinstance(node, dict):
        return {}
    schema = {key: node[key] for key in _COPIED if key in node}
    if node.get("x-kubernetes-int-or-string") is True:
        schema.pop("type", None)
        schema["type"] = ["integer", "string"]
    if node.get("nullable") is True and "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        schema["type"] = types + ["null"]
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if node.get(exclusive) is True and bound in node:
            schema[exclusive] = schema.pop(bound)
    if isinstance(node.get("properties"), dict):
        schema["properties"] = {name: _convert(value, in_combinator) for name, value in node["properties"].items()}
    if isinstance(node.get("items"), dict):
        schema["items"] = _convert(node["items"], in_combinator)
    additional = node.get("additionalProperties")
    if isinstance(additional, dict):
        schema["additionalProperties"] = _convert(additional, in_combinator)
    elif isinstance(additional, bool):
        schema["additionalProperties"] = additional
    for combinator in ("allOf", "anyOf", "oneOf"):
        if isinstance(node.get(combinator), list):
            schema[combinator] = [_convert(branch, True) for branch in node[combinator]]
    if isinstance(node.get("not"), dict):
        schema["not"] = _convert(node["not"], True)
    if node.get("x-kubernetes-embedded-resource") is True:
        _allow_object_fields(schema)
    preserve = node.get("x-kubernetes-preserve-unknown-fields") is True
    if "properties" in schema and "additionalProperties" not in schema and not preserve and not in_combinator:
        schema["additionalProperties"] = False
    return schema
