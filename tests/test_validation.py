"""kubecheck.validation: the compiled fast check never disagrees with jsonschema.

`Validator._fast` answers "valid or not" without jsonschema; only when it says "invalid" does
jsonschema run to locate the errors. A fast check that says "valid" where jsonschema finds an
error hides that error from users; the other direction only costs time, but must not happen
either for the keywords the fast check supports. The reference here is jsonschema itself,
`Draft202012Validator(schema plus its $defs, format_checker=...)`, built both by kubecheck
(`Validator._jsonschema()`) and independently in this file (`reference_for`).

Sections:
  1a. real Kubernetes schemas (1.37), realistic objects and random mutations of them;
  1b. synthetic schemas using every keyword the fast check supports: each keyword on a grid of
      values, generated schemas (flat and nested) with instances near their boundaries, the
      JSON Schema subtleties one by one, and the disagreements found and fixed;
  1c. schemas converted from CRDs' openAPIV3Schema (and what the conversion means);
  2.  format_ok and json_equal, table tests;
  3.  Validator.errors(): paths and `at` of a few errors.
"""

from __future__ import annotations

import copy
import functools

import jsonschema
import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st

from kubecheck.crd import to_json_schema
from kubecheck.schemastore import kubernetes_schemas
from kubecheck.validation import _RANGES, _STRING_FORMATS, SchemaError, Validator, format_ok, json_equal

CHECKED_FORMATS = (*_RANGES, *_STRING_FORMATS)

SCHEMAS = kubernetes_schemas("1.37")
NO_DEFINITIONS = lambda name: None  # noqa: E731  (synthetic schemas carry their own $defs)
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------------------------------------
# The reference: jsonschema, built here without kubecheck's help


def _format_checker():
    checker = jsonschema.FormatChecker(formats=())
    for name in CHECKED_FORMATS:  # exactly the formats kubecheck checks
        checker.checks(name)(functools.partial(format_ok, name))
    return checker


FORMAT_CHECKER = _format_checker()


def _schema_children(node):
    """The subschemas directly inside a schema (not inside enum/const/default values)."""
    if not isinstance(node, dict):
        return
    for keyword in ("properties", "$defs"):
        if isinstance(node.get(keyword), dict):
            yield from node[keyword].values()
    for keyword in ("items", "additionalProperties", "not"):
        if isinstance(node.get(keyword), (dict, bool)):
            yield node[keyword]
    for keyword in ("allOf", "anyOf", "oneOf"):
        if isinstance(node.get(keyword), list):
            yield from node[keyword]


def reference_document(root: dict, definitions) -> dict:
    """`root` plus every definition it reaches through `#/$defs/NAME`, in its `$defs`."""
    found = dict(root.get("$defs") or {})
    stack = [root, *found.values()]
    while stack:
        node = stack.pop()
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            name = node["$ref"].removeprefix("#/$defs/")
            if name not in found:
                found[name] = definitions(name)
                assert found[name] is not None, node["$ref"]
                stack.append(found[name])
        stack.extend(_schema_children(node))
    return {**root, "$defs": found} if found else dict(root)


def reference_for(root: dict, definitions):
    return jsonschema.Draft202012Validator(reference_document(root, definitions), format_checker=FORMAT_CHECKER)


def unknown_fields(error) -> bool:
    return error.validator == "additionalProperties" and error.validator_value is False


def reference_valid(reference, instance, strict: bool) -> bool:
    """jsonschema's verdict; without strict, errors about unknown fields do not count."""
    return not any(strict or not unknown_fields(error) for error in reference.iter_errors(instance))


def unknown_fields_under_combinator(document: dict) -> bool:
    """Whether an `additionalProperties: false` sits under anyOf/oneOf/not (following $refs),
    where jsonschema reports it as an anyOf/oneOf/not error that non-strict filtering misses."""
    definitions = document.get("$defs", {})
    stack, seen = [(document, False)], set()
    while stack:
        schema, inside = stack.pop()
        if not isinstance(schema, dict) or (id(schema), inside) in seen:
            continue
        seen.add((id(schema), inside))
        if inside and schema.get("additionalProperties") is False:
            return True
        if isinstance(schema.get("$ref"), str):
            stack.append((definitions.get(schema["$ref"].removeprefix("#/$defs/")), inside))
        combined = [*schema.get("anyOf", ()), *schema.get("oneOf", ()), *([schema["not"]] if "not" in schema else [])]
        stack.extend((sub, True) for sub in combined)
        stack.extend((sub, inside) for sub in _schema_children(schema) if not any(sub is c for c in combined))
    return False


def without_unknown_field_checks(schema):
    """The schema with every `additionalProperties: false` dropped: what strict=False means."""
    if not isinstance(schema, dict):
        return schema
    opened = {key: value for key, value in schema.items() if not (key == "additionalProperties" and value is False)}
    for keyword in ("properties", "$defs"):
        if isinstance(schema.get(keyword), dict):
            opened[keyword] = {name: without_unknown_field_checks(sub) for name, sub in schema[keyword].items()}
    for keyword in ("items", "additionalProperties", "not"):
        if isinstance(opened.get(keyword), dict):
            opened[keyword] = without_unknown_field_checks(schema[keyword])
    for keyword in ("allOf", "anyOf", "oneOf"):
        if isinstance(schema.get(keyword), list):
            opened[keyword] = [without_unknown_field_checks(sub) for sub in schema[keyword]]
    return opened


def validators_for(root: dict, definitions) -> tuple:
    """(root, strict Validator, lenient Validator, reference) for one schema."""
    return (root, Validator(root, definitions, True), Validator(root, definitions, False),
            reference_for(root, definitions))


def assert_agreement(validators: tuple, instance, kind: str = "") -> None:
    """The fast check, kubecheck's jsonschema and the reference agree, strict and not."""
    root, strict, lenient, reference = validators
    if jsonschema_unique_items_quirk(instance):
        return  # jsonschema is wrong there: see test_jsonschema_unique_items_misses_duplicates_...
    errors = list(reference.iter_errors(instance))
    assert sorted(map(str, errors)) == sorted(map(str, strict._jsonschema().iter_errors(instance)))
    for validator in (strict, lenient):
        assert validator._fast is not None, "the fast check should support this schema"
        expected = not any(validator.strict or not unknown_fields(error) for error in errors)
        assert reference_valid(validator._jsonschema(), instance, validator.strict) == expected
        if currently_in_test_context():
            event(f"strict={validator.strict}: {'valid' if expected else 'invalid'}")
        assert validator._fast(instance) == expected, \
            f"strict={validator.strict}: fast check says {not expected}, jsonschema says {expected}: {errors}"
        # and what users see: errors() is empty exactly when the object is valid
        assert (validator.errors(instance, kind) == []) == expected


# ---------------------------------------------------------------------------------------------
# Random JSON values and mutations of objects


NUMBERS = [0, 1, -1, 2, 3, 5, 80, 443, 1.0, 3.0, -0.0, 1.5, 0.5, 2.5, 1e20, 2**31 - 1, 2**31, -(2**31), -(2**31) - 1,
           2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 10**30, 10**400]
STRINGS = ["", "a", "ab", "abc", "web", "nginx:1.27", "1", "5", "5%", "50%", "1Gi", "1 Gi", "100m", "0.5", "1e3", "1KI",
           "YWJj", "aGVsbG8=", "aGVsbG8", "aGVs\nbG8=", "not base64!", "TCP", "Always", "ClusterIP", "apps/v1", "v1",
           "Deployment", "-1", "Resource", "Utilization", "Prefix", "Namespaced"]
SCALARS = st.one_of(st.none(), st.booleans(), st.sampled_from(NUMBERS), st.integers(),
                    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(STRINGS), st.text(max_size=6))
FIELD_NAMES = ["name", "image", "ports", "port", "containerPort", "targetPort", "replicas", "labels", "metadata",
               "spec", "type", "data", "key", "value", "items", "selector", "template", "a", "b", "imagePullPolicyy",
               "x-y"]
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=4), children, max_size=3),
    max_leaves=6)


def nodes(value, path=()):
    """(path, node) of every node of a JSON value, the root first."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from nodes(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nodes(item, path + (index,))


def at(value, path):
    for step in path:
        value = value[step]
    return value


def changed(instance, path, value=None, delete=False):
    """A copy of `instance` with the node at `path` replaced by `value`, or deleted."""
    instance = copy.deepcopy(instance)
    if delete:
        del at(instance, path[:-1])[path[-1]]
    else:
        at(instance, path[:-1])[path[-1]] = value
    return instance


@st.composite
def mutated(draw, base, max_mutations: int = 3):
    """`base` after 1 to `max_mutations` of: a node replaced by a random value, a key or item
    deleted, an unknown key added."""
    value = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, max_mutations))):
        every = list(nodes(value))
        kind = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if kind == "delete" and len(every) > 1:
            path, _ = draw(st.sampled_from(every[1:]))
            del at(value, path[:-1])[path[-1]]
        elif kind == "add" and any(isinstance(node, dict) for _, node in every):
            path, node = draw(st.sampled_from([(p, n) for p, n in every if isinstance(n, dict)]))
            node[draw(st.sampled_from(FIELD_NAMES) | st.text(max_size=4))] = draw(JSON_VALUES)
        else:
            path, _ = draw(st.sampled_from(every))
            replacement = draw(JSON_VALUES)
            if not path:
                value = replacement
            else:
                at(value, path[:-1])[path[-1]] = replacement
    return value


# ---------------------------------------------------------------------------------------------
# 1a. Real Kubernetes schemas


CONTAINER = {
    "name": "web", "image": "nginx:1.27", "imagePullPolicy": "IfNotPresent",
    "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
    "env": [{"name": "MODE", "value": "production"},
            {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "web", "key": "password"}}}],
    "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": 1, "memory": "1Gi"}},
    "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 10},
    "livenessProbe": {"tcpSocket": {"port": 8080}, "initialDelaySeconds": 5.0},
    "securityContext": {"runAsNonRoot": True, "readOnlyRootFilesystem": True,
                        "capabilities": {"drop": ["ALL"]}},
    "volumeMounts": [{"name": "config", "mountPath": "/etc/web", "readOnly": True}],
}
POD_SPEC = {
    "containers": [CONTAINER],
    "volumes": [{"name": "config", "configMap": {"name": "web", "defaultMode": 420}}],
    "nodeSelector": {"kubernetes.io/os": "linux"},
    "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"}],
    "terminationGracePeriodSeconds": 30,
}
LABELS = {"app.kubernetes.io/name": "web"}
OBJECTS = {
    ("apps/v1", "Deployment"): {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "shop", "labels": LABELS, "annotations": {"team": "a"}},
        "spec": {"replicas": 3, "selector": {"matchLabels": LABELS},
                 "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
                 "template": {"metadata": {"labels": LABELS}, "spec": POD_SPEC}}},
    ("v1", "Service"): {
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
        "spec": {"type": "ClusterIP", "selector": LABELS,
                 "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"},
                           {"name": "metrics", "port": 9090, "targetPort": 9090}]}},
    ("v1", "Pod"): {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-0", "labels": LABELS},
                    "spec": POD_SPEC},
    ("v1", "ConfigMap"): {
        "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web"},
        "data": {"web.conf": "listen 8080\n", "MODE": "production"}, "binaryData": {"logo.png": "iVBORw0KGgo="}},
    ("v1", "Secret"): {
        "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "web"}, "type": "Opaque",
        "data": {"password": "c2VjcmV0", "token": "aGVs\nbG8="}, "stringData": {"user": "admin"}},
    ("batch/v1", "CronJob"): {
        "apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "report"},
        "spec": {"schedule": "0 3 * * *", "timeZone": "Europe/Paris", "concurrencyPolicy": "Forbid",
                 "successfulJobsHistoryLimit": 3,
                 "jobTemplate": {"spec": {"backoffLimit": 2, "template": {"spec": {
                     "restartPolicy": "OnFailure",
                     "containers": [{"name": "report", "image": "report:2", "args": ["--since", "24h"]}]}}}}}},
    ("policy/v1", "PodDisruptionBudget"): {
        "apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "web"},
        "spec": {"minAvailable": "50%", "selector": {"matchExpressions": [
            {"key": "app.kubernetes.io/name", "operator": "In", "values": ["web"]}]}}},
    ("autoscaling/v2", "HorizontalPodAutoscaler"): {
        "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                 "minReplicas": 2, "maxReplicas": 10,
                 "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                     "type": "Utilization", "averageUtilization": 70}}},
                     {"type": "Pods", "pods": {"metric": {"name": "rps"}, "target": {
                         "type": "AverageValue", "averageValue": "1k"}}}],
                 "behavior": {"scaleDown": {"stabilizationWindowSeconds": 300, "policies": [
                     {"type": "Percent", "value": 10, "periodSeconds": 60}]}}}},
    ("networking.k8s.io/v1", "Ingress"): {
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web"},
        "spec": {"ingressClassName": "nginx", "tls": [{"hosts": ["shop.example.com"], "secretName": "web-tls"}],
                 "rules": [{"host": "shop.example.com", "http": {"paths": [
                     {"path": "/", "pathType": "Prefix",
                      "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}},
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"): {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {"group": "example.com", "scope": "Namespaced",
                 "names": {"kind": "Widget", "plural": "widgets", "singular": "widget", "shortNames": ["wd"]},
                 "versions": [{"name": "v1", "served": True, "storage": True,
                               "subresources": {"status": {}},
                               "additionalPrinterColumns": [{"name": "Size", "type": "string",
                                                             "jsonPath": ".spec.size"}],
                               "schema": {"openAPIV3Schema": {
                                   "type": "object",
                                   "properties": {"spec": {"type": "object", "required": ["size"], "properties": {
                                       "size": {"x-kubernetes-int-or-string": True, "default": 1},
                                       "mode": {"type": "string", "enum": ["fast", "safe"]},
                                       "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                                   }}}}}}]}},
}
KINDS = sorted(OBJECTS)


@functools.lru_cache(maxsize=None)
def kind_validators(api_version: str, kind: str) -> tuple:
    """The validators of a kind, as SchemaStore._build makes them."""
    return validators_for({"$ref": f"#/$defs/{SCHEMAS.definition_for(api_version, kind)}"}, SCHEMAS.definition)


@pytest.mark.parametrize("api_version, kind", KINDS, ids=[kind for _, kind in KINDS])
def test_real_schema_compiles_to_a_fast_check_and_accepts_the_valid_object(api_version, kind):
    root, strict, lenient, reference = kind_validators(api_version, kind)
    assert strict._fast is not None and lenient._fast is not None
    assert list(reference.iter_errors(OBJECTS[api_version, kind])) == []
    assert strict._fast(OBJECTS[api_version, kind]) and lenient._fast(OBJECTS[api_version, kind])
    assert strict.errors(OBJECTS[api_version, kind]) == []
    # kubecheck's jsonschema document is the one built here, with the same definitions
    assert strict._jsonschema().schema == reference.schema
    # non-strict filtering is exact for these schemas: no unknown-field check under anyOf/oneOf/not
    assert not unknown_fields_under_combinator(reference.schema)


@PROPERTY
@given(st.data())
def test_real_schemas_fast_check_agrees_with_jsonschema_on_mutated_objects(data):
    api_version, kind = data.draw(st.sampled_from(KINDS))
    instance = data.draw(mutated(OBJECTS[api_version, kind]))
    assert_agreement(kind_validators(api_version, kind), instance, kind)


@pytest.mark.parametrize("api_version, kind, path, value", [
    (("apps/v1", "Deployment", ("spec", "replicas"), value)) for value in (3.0, 1.5, True, "3", 2**31, 2**31 - 1, None)
] + [
    ("v1", "Secret", ("data", "password"), value) for value in ("YWJj", "YWI", "YW Jj", "YW\r\nJj", "", 5)
] + [
    ("apps/v1", "Deployment", ("spec", "template", "spec", "containers", 0, "resources", "limits", "memory"), value)
    for value in ("1Gi", "1 Gi", "1.5Gi", 1.5, 2**70, "Gi", True)
] + [
    ("policy/v1", "PodDisruptionBudget", ("spec", "minAvailable"), value) for value in (1, "1", 1.0, 1.5, False)
])
def test_real_schemas_agree_on_the_subtle_scalars(api_version, kind, path, value):
    assert_agreement(kind_validators(api_version, kind), changed(OBJECTS[api_version, kind], path, value), kind)


# ---------------------------------------------------------------------------------------------
# 1b. Synthetic schemas with every keyword the fast check supports


SMALL_NUMBERS = [0, 1, -1, 2, 3, 1.0, 3.0, -0.0, 1.5, 2.5, 0.1, 2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**63 - 1,
                 2**63, 10**20]
SMALL_STRINGS = ["", "a", "ab", "abc", "b", "ba", "1", "10", "1Gi", "1 Gi", "100m", "1.5", "1e3", "Gi", "YWJj", "YWI=",
                 "YWI", "YW\nJj", "x y", "é"]
SMALL_SCALARS = st.one_of(st.none(), st.booleans(), st.sampled_from(SMALL_NUMBERS), st.sampled_from(SMALL_STRINGS))
KEYS = ["a", "b", "c"]
SMALL_VALUES = st.recursive(
    SMALL_SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(KEYS), children, max_size=3),
    max_leaves=8)
TYPE_NAMES = ["null", "boolean", "integer", "number", "string", "array", "object"]
BOUNDS = st.sampled_from([0, 1, -1, 2, 3, 10, 0.5, 1.5, 2.5, -0.5, 2**31 - 1, 2**31, 2**63 - 1])
MULTIPLES = st.sampled_from([1, 2, 3, 10, 0.5, 2.5, 0.1])
#: definitions every synthetic schema may refer to: a recursive tree and a positive number
FIXED_DEFINITIONS = {
    "node": {"type": "object", "required": ["value"], "additionalProperties": False, "properties": {
        "value": {"type": "integer", "format": "int32"},
        "children": {"type": "array", "items": {"$ref": "#/$defs/node"}, "maxItems": 3}}},
    "positive": {"type": "number", "exclusiveMinimum": 0},
}


def _typed(types, **keywords):
    """{"type": one of `types` (or no type), and one or two of `keywords`}."""
    chosen = st.lists(st.sampled_from(sorted(keywords)), min_size=1, max_size=2, unique=True)
    return st.tuples(st.sampled_from(types), chosen).flatmap(lambda pair: st.fixed_dictionaries(
        {**({"type": st.just(pair[0])} if pair[0] else {}), **{name: keywords[name] for name in pair[1]}}))


def schemas(refs: list[str], nested: bool = True):
    """JSON Schemas made of the keywords the fast check supports, referring to `refs`: each node
    coherent (a number's bounds, a string's length...) so that every keyword gets to decide.
    Not `nested`: one object or array of leaves at most."""
    numbers = _typed(["integer", "number", ["integer", "null"], ["integer", "string"], None],
                     minimum=BOUNDS, maximum=BOUNDS, exclusiveMinimum=BOUNDS, exclusiveMaximum=BOUNDS,
                     multipleOf=MULTIPLES, format=st.sampled_from(["int32", "int64"]))
    strings = _typed(["string", ["string", "null"], None],
                     pattern=st.sampled_from(["^a", "b$", "^[0-9]+$", "^[a-z]+$", "a|1"]),
                     minLength=st.integers(0, 3), maxLength=st.integers(0, 3),
                     format=st.sampled_from(["byte", "quantity", "date-time"]))
    leaves = st.one_of(
        numbers, numbers, strings, strings,
        st.sampled_from(TYPE_NAMES).map(lambda name: {"type": name}),
        st.lists(st.sampled_from(TYPE_NAMES), min_size=1, max_size=3, unique=True).map(lambda names: {"type": names}),
        st.lists(SMALL_VALUES, min_size=1, max_size=4).map(lambda choices: {"enum": choices}),
        SMALL_VALUES.map(lambda value: {"const": value}),
        st.sampled_from(refs).map(lambda name: {"$ref": f"#/$defs/{name}"}),
        st.sampled_from([True, False, {}]),
    )

    def containers(children):
        objects = _typed(["object", ["object", "null"], None],
                         properties=st.dictionaries(st.sampled_from(KEYS), children, min_size=1, max_size=3),
                         required=st.lists(st.sampled_from(KEYS), min_size=1, max_size=2, unique=True),
                         additionalProperties=st.booleans() | children,
                         minProperties=st.integers(0, 2), maxProperties=st.integers(0, 3))
        arrays = _typed(["array", None], items=children, minItems=st.integers(0, 2), maxItems=st.integers(0, 3),
                        uniqueItems=st.booleans())
        return objects, arrays

    if not nested:
        return st.one_of(leaves, *containers(leaves))

    def extend(children):
        objects, arrays = containers(children)
        branches = st.lists(children, min_size=1, max_size=3)
        return st.one_of(
            objects, objects, arrays, arrays,
            branches.map(lambda b: {"allOf": b}), branches.map(lambda b: {"anyOf": b}),
            branches.map(lambda b: {"oneOf": b}), children.map(lambda schema: {"not": schema}),
            st.tuples(st.sampled_from(refs), objects | arrays).map(  # $ref and siblings
                lambda pair: {"$ref": f"#/$defs/{pair[0]}", **pair[1]}),
        )

    return st.recursive(leaves, extend, max_leaves=10)


DEFINITION_SCHEMAS = schemas(["node", "positive"])
ROOT_SCHEMAS = {nested: schemas(["node", "positive", "gen"], nested).filter(lambda schema: isinstance(schema, dict))
                for nested in (True, False)}


@st.composite
def synthetic_roots(draw, nested=True):
    """A root schema with $defs: the fixed ones and a generated one, `gen`."""
    generated = draw(DEFINITION_SCHEMAS)
    return {**draw(ROOT_SCHEMAS[nested]), "$defs": {**FIXED_DEFINITIONS, "gen": generated}}


def twin(value):
    """A value equal or almost equal to `value` in Python, maybe not in JSON: 1, 1.0, True."""
    if value.__class__ is bool:
        return int(value)
    if value.__class__ is int:
        return float(value) if abs(value) < 2**53 else value
    if value.__class__ is float and value.is_integer() and abs(value) < 2**53:
        return bool(value) if value in (0, 1) else int(value)
    if isinstance(value, list):
        return [twin(item) for item in value]
    if isinstance(value, dict):
        return {key: twin(item) for key, item in value.items()}
    return value


def _resolve(schema, root):
    while isinstance(schema, dict) and "$ref" in schema:
        schema = root["$defs"][schema["$ref"].removeprefix("#/$defs/")]
    return schema


@st.composite
def instances_for(draw, schema, root, depth=0):
    """A value near `schema`'s boundaries: valid or just invalid, as often as can be."""
    siblings = {key: value for key, value in schema.items() if key != "$ref"} if isinstance(schema, dict) else schema
    if isinstance(siblings, dict) and not siblings:
        schema = _resolve(schema, root)  # a bare $ref: follow it
    elif isinstance(siblings, dict) and draw(st.booleans()):
        schema = _resolve(schema, root)  # $ref and siblings: follow one or the other
    else:
        schema = siblings
    # (Hypothesis tries small choices first: 0, False, the first of a list; so these are the
    # values near the boundaries, and the rare choices are the larger ones.)
    if not isinstance(schema, dict) or depth > 4 or draw(st.integers(0, 11)) == 11:
        return draw(SMALL_VALUES)
    value = draw(_near(schema, root, depth))
    return twin(value) if draw(st.integers(0, 7)) == 7 else value


_BOUND_KEYWORDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")


@st.composite
def _near(draw, schema, root, depth):
    if "const" in schema:
        return copy.deepcopy(schema["const"])
    if "enum" in schema:
        return copy.deepcopy(draw(st.sampled_from(schema["enum"])))
    for keyword in ("anyOf", "oneOf", "allOf"):
        if keyword in schema:
            return draw(instances_for(draw(st.sampled_from(schema[keyword])), root, depth + 1))
    if "not" in schema:
        return draw(instances_for(schema["not"], root, depth + 1))
    types = schema.get("type", TYPE_NAMES)
    kind = draw(st.sampled_from(types if isinstance(types, list) else [types]))
    keywords = set(schema)
    if kind == "object" or (kind not in ("array", "null") and {"properties", "required", "minProperties"} & keywords):
        value = {}
        for name, sub in schema.get("properties", {}).items():
            if name in schema.get("required", ()) or draw(st.booleans()):
                value[name] = draw(instances_for(sub, root, depth + 1))
        for name in draw(st.sampled_from([["c"], [], ["b"], ["a", "c"]])):  # maybe unknown, maybe too many
            extra = schema.get("additionalProperties", True)
            value.setdefault(name, draw(instances_for(extra, root, depth + 1)) if isinstance(extra, dict)
                             else draw(SMALL_VALUES))
        if value and draw(st.integers(0, 5)) == 5:  # maybe a required one
            del value[draw(st.sampled_from(sorted(value)))]
        return value
    if kind == "array" or (kind != "null" and {"items", "minItems", "maxItems", "uniqueItems"} & keywords):
        low, high = schema.get("minItems", 0), schema.get("maxItems", schema.get("minItems", 0) + 2)
        items = [draw(instances_for(schema.get("items", True), root, depth + 1))
                 for _ in range(draw(st.integers(max(0, low - 1), max(low, high) + 1)))]
        if items and draw(st.booleans()):  # a duplicate, or its twin
            copied = draw(st.sampled_from(items))
            items.append(twin(copied) if draw(st.booleans()) else copy.deepcopy(copied))
        return items
    if kind == "string" or (kind not in ("integer", "number", "null", "boolean") and
                            {"pattern", "minLength", "maxLength"} & keywords):
        lengths = [schema[key] + delta for key in ("minLength", "maxLength") if key in schema for delta in (-1, 0, 1)]
        made = [letter * n for n in lengths if n >= 0 for letter in "ab1"]
        return draw(st.sampled_from(made + SMALL_STRINGS))
    if kind in ("integer", "number") or keywords & set(_BOUND_KEYWORDS):
        bounds = [schema[key] for key in _BOUND_KEYWORDS if key in schema]
        near = [bound + delta for bound in bounds for delta in (-1, -0.5, 0, 0.5, 1)]
        near += [schema["multipleOf"] * k for k in (2, 3, 7) if "multipleOf" in schema]
        return draw(st.sampled_from(near + SMALL_NUMBERS) | st.integers(-5, 12))
    return draw(SMALL_SCALARS)


def _unique_by_json_equality(items: list) -> bool:
    return not any(json_equal(a, b) for i, a in enumerate(items) for b in items[i + 1:])


def jsonschema_unique_items_quirk(instance) -> bool:
    """Whether the instance holds a list on which jsonschema's uniqueItems is wrong (see
    test_jsonschema_unique_items_misses_duplicates_after_an_equal_sorting_neighbour)."""
    return any(isinstance(node, list) and jsonschema._utils.uniq(node) != _unique_by_json_equality(node)
               for _, node in nodes(instance))


def assert_synthetic_agreement(root: dict, instance) -> None:
    reference = reference_for(root, NO_DEFINITIONS)
    lenient_reference = reference_for(without_unknown_field_checks(root), NO_DEFINITIONS)
    for strict in (True, False):
        validator = Validator(root, NO_DEFINITIONS, strict)
        assert validator._fast is not None
        fast = validator._fast(instance)
        expected = reference_valid(reference, instance, strict)
        event(f"strict={strict}: {'valid' if expected else 'invalid'}")
        if fast != expected and jsonschema_unique_items_quirk(instance):
            continue
        if not strict:
            # strict=False means "as if additionalProperties: false were not there"; jsonschema's
            # errors, filtered, say the same unless such a check sits under anyOf/oneOf/not (see
            # test_lenient_unknown_fields_under_combinators)
            if not unknown_fields_under_combinator(root):
                assert reference_valid(lenient_reference, instance, True) == expected
            expected = reference_valid(lenient_reference, instance, True)
        assert fast == expected, f"strict={strict}: fast check says {fast}, jsonschema says {expected}"
        assert (validator.errors(instance) == []) == expected


SYNTHETIC = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SYNTHETIC
@given(st.data())
def test_synthetic_flat_schemas_fast_check_agrees_with_jsonschema(data):
    root = data.draw(synthetic_roots(nested=False), label="schema")
    instance = data.draw(st.one_of(instances_for(root, root), instances_for(root, root), SMALL_VALUES),
                         label="instance")
    assert_synthetic_agreement(root, instance)


@SYNTHETIC
@given(st.data())
def test_synthetic_nested_schemas_fast_check_agrees_with_jsonschema(data):
    root = data.draw(synthetic_roots(), label="schema")
    instance = data.draw(st.one_of(instances_for(root, root), instances_for(root, root), SMALL_VALUES),
                         label="instance")
    assert_synthetic_agreement(root, instance)


#: Every keyword alone (or with the one it needs), at and around its boundaries
GRID_SCHEMAS = [
    *({"type": name} for name in TYPE_NAMES), {"type": ["integer", "null"]}, {"type": ["integer", "string"]},
    {"type": ["number", "boolean"]}, {"type": ["array", "object"]},
    *({"enum": choices} for choices in ([1], [True], [1.0], [0], [False, None], ["a", 1], [[1]], [{"a": 1}], [[]])),
    *({"const": value} for value in (1, True, 0.0, None, "a", [1, True], {"a": 1}, {})),
    *({keyword: bound} for keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
      for bound in (0, 1, 2.5, 2**31 - 1)),
    *({"multipleOf": factor} for factor in (1, 2, 3, 0.5, 0.1, 2.5)),
    *({"format": name} for name in (*CHECKED_FORMATS, "email")),
    *({"pattern": pattern} for pattern in ("^a", "b$", "a|1", "^[0-9]+$", "^$", "é")),
    *({keyword: n} for keyword in ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties")
      for n in (0, 1, 2, 3)),
    {"uniqueItems": True}, {"uniqueItems": False}, {"items": {"type": "integer"}}, {"items": False},
    {"required": ["a"]}, {"required": ["a", "b"]}, {"properties": {"a": {"type": "integer"}}},
    {"properties": {"a": {}}, "additionalProperties": False}, {"properties": {"a": {}}, "additionalProperties": True},
    {"properties": {"a": {}}, "additionalProperties": {"type": "integer"}}, {"additionalProperties": False},
    {"allOf": [{"minimum": 1}, {"type": "integer"}]}, {"anyOf": [{"type": "string"}, {"minimum": 2}]},
    {"oneOf": [{"type": "integer"}, {"type": "number"}]}, {"oneOf": [{"required": ["a"]}, {"required": ["b"]}]},
    {"not": {"type": "integer"}}, {"not": {"enum": [1]}}, {"$ref": "#/$defs/node"}, {"$ref": "#/$defs/positive"},
    {"$ref": "#/$defs/positive", "multipleOf": 0.5}, {}, {"not": {}}, {"properties": {"a": False}},
    {"allOf": [True, {"type": "integer"}]},
]
GRID_VALUES = [
    None, True, False, 0, 1, -1, 2, 3, 10, 1.0, 3.0, -0.0, 0.5, 1.5, 2.5, 0.1, 0.3, 2**31 - 1, 2**31, -(2**31),
    -(2**31) - 1, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 1e20, 2**60 + 1, 10**400, 1e308,
    "", "a", "b", "ab", "ba", "abc", "aaaa", "1", "12", "1a", "é", "1Gi", "1 Gi", "100m", ".5", "1e3", "Gi", "YWJj",
    "YWI=", "YWI", "YW\nJj", "x y",
    [], [1], [1, 1.0], [1, True], [0, False], [[1], [1.0]], ["a", "a"], [1, 2, 3, 4], [None], [{"a": 1}, {"a": True}],
    {}, {"a": 1}, {"a": True}, {"a": 1.0}, {"a": 1, "b": 2}, {"a": 1, "b": 2, "c": 3}, {"b": "x"}, {"c": None},
    {"a": [1]}, {"value": 1}, {"value": 2**31, "children": []}, {"value": 1, "children": [{"value": True}]},
]


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "lenient"])
def test_every_keyword_on_a_grid_of_values(strict):
    disagreements = []
    for schema in GRID_SCHEMAS:
        root = {**schema, "$defs": FIXED_DEFINITIONS}
        validator = Validator(root, NO_DEFINITIONS, strict)
        assert validator._fast is not None, schema
        reference = reference_for(root, NO_DEFINITIONS)
        for value in GRID_VALUES:
            if jsonschema_unique_items_quirk(value) or (value == 10**400 and "multipleOf" in schema):
                continue  # jsonschema is wrong, or may raise: see the tests of both below
            expected = reference_valid(reference, value, strict)
            if validator._fast(value) != expected or (validator.errors(value) == []) != expected:
                disagreements.append((schema, value, expected))
    assert disagreements == []


# The JSON Schema subtleties, one by one: (schema, instance, valid)
SUBTLETIES = [
    ({"type": "integer"}, True, False),
    ({"type": "integer"}, 1.0, True),
    ({"type": "integer"}, 1.5, False),
    ({"type": "integer"}, 10**30, True),
    ({"type": "integer"}, 1e30, True),
    ({"type": "number"}, False, False),
    ({"type": ["integer", "null"]}, None, True),
    ({"type": ["integer", "string"]}, 2.0, True),
    ({"type": ["integer", "string"]}, 2.5, False),
    ({"type": "boolean"}, 0, False),
    ({"type": "object"}, [], False),
    ({"type": "array"}, {}, False),
    ({"type": []}, 1, False),
    ({"enum": [1]}, True, False),
    ({"enum": [1]}, 1.0, True),
    ({"enum": [True]}, 1, False),
    ({"enum": [0]}, False, False),
    ({"enum": [False, None]}, 0, False),
    ({"enum": [None]}, None, True),
    ({"enum": ["1"]}, 1, False),
    ({"enum": [[1, {"a": True}]]}, [1.0, {"a": True}], True),
    ({"enum": [[1, {"a": True}]]}, [1, {"a": 1}], False),
    ({"enum": [{"a": 1}]}, {"a": 1, "b": 1}, False),
    ({"const": 0}, False, False),
    ({"const": 0}, -0.0, True),
    ({"const": None}, None, True),
    ({"const": None}, 0, False),
    ({"const": {"a": [True]}}, {"a": [1]}, False),
    ({"uniqueItems": True}, [1, 1.0], False),
    ({"uniqueItems": True}, [1, True], True),
    ({"uniqueItems": True}, [0, False], True),
    ({"uniqueItems": True}, [1, True, 1.0], False),
    ({"uniqueItems": True}, [[1], [1.0]], False),
    ({"uniqueItems": True}, [[1], [True]], True),
    ({"uniqueItems": True}, [{"a": 1}, {"a": True}], True),
    ({"uniqueItems": True}, [{"a": 1}, {"a": 1.0}], False),
    ({"uniqueItems": True}, [None, None], False),
    ({"uniqueItems": True}, ["1", 1], True),
    ({"uniqueItems": False}, [1, 1], True),
    ({"multipleOf": 2}, 4.0, True),
    ({"multipleOf": 2}, 5, False),
    ({"multipleOf": 0.5}, 2.5, True),
    ({"multipleOf": 0.5}, 2.25, False),
    ({"multipleOf": 2}, True, True),  # booleans are not numbers: not checked
    ({"minimum": 1}, False, True),
    ({"minimum": 0}, -0.0, True),
    ({"exclusiveMinimum": 0}, 0, False),
    ({"exclusiveMaximum": 2**63}, 2**63 - 1, True),
    ({"maximum": 2**63 - 1}, 2**63, False),
    ({"maximum": 1.5}, 10**400, False),
    ({"minLength": 2}, "é!", True),
    ({"maxLength": 1}, "ab", False),
    ({"minLength": 2}, 5, True),
    ({"pattern": "^a"}, "ba", False),
    ({"pattern": "b"}, "abc", True),  # pattern searches, it is not anchored
    ({"pattern": "^a"}, 5, True),
    ({"format": "int32"}, 2**31, False),
    ({"format": "int32"}, 2147483647.0, True),
    ({"format": "int32"}, "2147483648", True),  # formats check their own type only
    ({"format": "byte"}, "YWI", False),
    ({"format": "quantity"}, 5, True),
    ({"format": "date-time"}, "not a date", False),  # checked, as the API server checks CRD formats
    ({"format": "email"}, "not an address", True),  # formats kubecheck does not check always pass
    ({"required": ["a"]}, [], True),
    ({"required": ["a"]}, {"b": 1}, False),
    ({"minProperties": 1}, {}, False),
    ({"maxProperties": 1}, {"a": 1, "b": 2}, False),
    ({"properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}},
     {"a": "x", "b": 1.0}, True),
    ({"properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}}, {"b": "x"}, False),
    ({"items": {"type": "integer"}, "minItems": 1}, [], False),
    ({"items": False}, [], True),
    ({"items": False}, [1], False),
    ({"allOf": [{"minimum": 1}, {"maximum": 2}]}, 3, False),
    ({"anyOf": [{"type": "string"}, {"minimum": 5}]}, 4, False),
    ({"oneOf": [{"type": "integer"}, {"type": "number"}]}, 1, False),
    ({"oneOf": [{"type": "integer"}, {"type": "number"}]}, 1.5, True),
    ({"not": {"type": "null"}}, None, False),
    ({"not": {}}, 1, False),
    ({"$ref": "#/$defs/node"}, {"value": 1, "children": [{"value": 2, "children": [{"value": 2**31}]}]}, False),
    ({"$ref": "#/$defs/node"}, {"value": 1, "children": [{"value": 2, "children": [{"value": 3.0}]}]}, True),
    ({"$ref": "#/$defs/positive", "maximum": 1}, 2, False),  # $ref and its siblings both apply
]


@pytest.mark.parametrize("schema, instance, valid", SUBTLETIES, ids=[f"{s}-{i!r}"[:60] for s, i, _ in SUBTLETIES])
def test_json_schema_subtleties(schema, instance, valid):
    validators = validators_for({**schema, "$defs": FIXED_DEFINITIONS}, NO_DEFINITIONS)
    assert reference_valid(validators[3], instance, True) is valid  # the reference itself
    assert_agreement(validators, instance)


def test_schemas_the_fast_check_does_not_support_go_to_jsonschema():
    for schema in ({"patternProperties": {"^a": {}}}, {"items": [{}]}, {"minimum": 1, "exclusiveMinimum": True},
                   {"$ref": "other.json"}, {"$ref": "#/$defs/missing"}, {"type": "integr"}):
        validator = Validator(schema, NO_DEFINITIONS, True)
        assert validator._fast is None, schema


@pytest.mark.parametrize("pattern", ["(", r"^\p{L}+$"])
def test_patterns_python_cannot_read_are_left_unchecked_by_both_checks(pattern):
    validator = Validator({"properties": {"name": {"type": "string", "pattern": pattern}}}, NO_DEFINITIONS, True)
    assert validator._fast is not None
    assert validator.errors({"name": "anything"}) == []
    assert [e.message for e in validator.errors({"name": 5})] == ["name: expected string, got integer 5"]


def test_an_unusable_schema_is_one_error_about_the_schema():
    [error] = Validator({"$ref": "_definitions.json#/definitions/x"}, NO_DEFINITIONS, True).errors({}, "Widget")
    assert error.about_schema and error.path == ()
    assert error.message.startswith("Widget cannot be validated: its schema is unusable (")


def test_recursive_definition_from_the_bundled_definitions():
    """JSONSchemaProps refers to itself: a CRD's nested schema is checked all the way down."""
    name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps"
    root = {"$ref": f"#/$defs/{name}"}
    deep = {"type": "object", "properties": {"a": {"type": "object", "properties": {"b": {
        "type": "object", "x-kubernetes-int-or-string": True, "required": ["c"]}}}}}
    assert_agreement(validators_for(root, SCHEMAS.definition), deep)
    deep["properties"]["a"]["properties"]["b"]["x-kubernetes-int-or-string"] = "yes"
    assert_agreement(validators_for(root, SCHEMAS.definition), deep)
    assert [(e.path, e.at) for e in Validator(root, SCHEMAS.definition, True).errors(deep)] == [
        (("properties", "a", "properties", "b", "x-kubernetes-int-or-string"), "value")]


# --- Arithmetic and strictness corner cases, and the disagreements found ---------------------


@pytest.mark.parametrize("factor, value, valid", [
    (2, 2**60 + 1, False),  # beyond float precision: (2**60 + 1) / 2 rounds to an integer
    (3, 10**17 + 1, False),
    (2, 2**60, True),
    (2, 10**400, True),  # beyond float range: 10**400 / 2 raises OverflowError
    (3, 10**400 + 1, False),
    (0.5, 1e308, True),  # 1e308 / 0.5 overflows to inf; jsonschema falls back to Fraction
    (0.1, 1e308, False),
    (2, 2.0**60, True),
    (3, 2.0**60, False),  # 2**60 % 3 == 1, though 2.0**60 / 3 is an integral float
])
def test_multiple_of_beyond_float_precision_and_range(factor, value, valid):
    # Found against c18f5bf (fixed in 48cb2b4), where multipleOf divided in floating point:
    # 2**60 + 1 passed the fast check (an error hidden), 10**400 raised OverflowError.
    validators = validators_for({"multipleOf": factor}, NO_DEFINITIONS)
    assert reference_valid(validators[3], value, True) is valid
    assert_agreement(validators, value)


def test_float_multiple_of_with_an_integer_beyond_float_range():
    # jsonschema's own multipleOf computes instance / multipleOf outside its OverflowError fallback
    # (10**400 against 0.1 raises "int too large to convert to float"); kubecheck gives jsonschema
    # its exact arithmetic instead, so the error is located.
    validator = Validator({"properties": {"a": {"multipleOf": 0.1}}}, NO_DEFINITIONS, True)
    assert validator._fast({"a": 10**400}) is False  # right: the float 0.1 is 3602879701896397 / 2**55
    assert [(error.path, error.at) for error in validator.errors({"a": 10**400})] == [(("a",), "value")]


def test_lenient_unknown_fields_under_combinators():
    # Found against c18f5bf (fixed in 48cb2b4): under strict=False the fast check dropped
    # `additionalProperties: false` while errors() ran jsonschema with it and only filtered errors
    # whose keyword is additionalProperties; under oneOf/anyOf/not the two differed. Here, without
    # the unknown-field check both branches match, so the object is invalid (exactly one must).
    root = {"oneOf": [{"properties": {"a": {"type": "integer"}}, "additionalProperties": False},
                      {"required": ["b"]}]}
    assert unknown_fields_under_combinator(root)
    validator = Validator(root, NO_DEFINITIONS, False)
    assert validator._fast({"b": 1}) is False
    assert validator.errors({"b": 1}) != []
    # and the other way round: the only anyOf branch matches once unknown fields are allowed
    validator = Validator({"anyOf": [{"properties": {"a": {}}, "additionalProperties": False}]}, NO_DEFINITIONS, False)
    assert validator._fast({"b": 1}) is True and validator.errors({"b": 1}) == []


@pytest.mark.parametrize("schema, instance", [
    ({"properties": {"additionalProperties": False}}, {"additionalProperties": 1}),
    ({"enum": [{"additionalProperties": False}]}, {}),
    ({"const": {"x": {"additionalProperties": False}}}, {"x": {}}),
])
def test_lenient_keeps_data_that_looks_like_a_keyword(schema, instance):
    # Under strict=False, only schema keywords lose `additionalProperties: false`; a property
    # named additionalProperties, an enum or a const value is data and stays as it is.
    validator = Validator(schema, NO_DEFINITIONS, False)
    assert validator._fast(instance) is False
    assert validator.errors(instance) != []


def test_jsonschema_unique_items_misses_duplicates_after_an_equal_sorting_neighbour():
    # jsonschema's `uniq` sorts the items and compares neighbours only; [1], [True], [1] sort as
    # they are (Python's 1 == True), so the two [1] are never compared. The fast check is right
    # (not unique); as jsonschema cannot say where, errors() reports the object as a whole rather
    # than let it pass. The property tests step around this case (jsonschema_unique_items_quirk).
    validator = Validator({"uniqueItems": True}, NO_DEFINITIONS, True)
    assert validator._fast([[1], [True], [1]]) is False  # right
    assert validator.errors([[1], [True], [1]]) != []


@pytest.mark.parametrize("schema, instance", [
    ({"properties": {"a": {"minimum": 1, "exclusiveMinimum": True}}}, {"a": 5}),
    ({"items": {"maximum": 10, "exclusiveMaximum": False}}, [5]),
    ({"$ref": "#/$defs/x", "$defs": {"x": {"properties": {"n": {"minimum": 0, "exclusiveMinimum": True}}}}},
     {"n": 1}),
])
def test_draft4_boolean_bounds_deep_inside_a_schema_go_to_jsonschema(schema, instance):
    # A boolean exclusiveMinimum/exclusiveMaximum (draft 4, common in OpenAPI-derived --schema-dir
    # schemas) anywhere in the schema sends it to jsonschema, though the fast check compiles lazily.
    validator = Validator(schema, NO_DEFINITIONS, True)
    expected = not any(jsonschema.Draft202012Validator(schema).iter_errors(instance))
    assert (validator.errors(instance) == []) == expected


def test_draft4_schema_and_integers_written_as_floats():
    # Draft 4 itself does not count 3.0 as an integer; kubecheck does under every draft, as the API
    # server reads it, so an object invalid elsewhere gets no extra "expected integer" error.
    schema = {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["b"],
              "properties": {"a": {"type": "integer"}}}
    validator = Validator(schema, NO_DEFINITIONS, True)
    assert validator._fast({"a": 3.0, "b": 1}) is True
    assert [error.path for error in validator.errors({"a": 3.0})] == [()]  # only the missing "b"


# ---------------------------------------------------------------------------------------------
# 1c. Schemas of custom resources, converted from CRDs


WIDGET = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object", "required": ["image", "size"],
            "properties": {
                "image": {"type": "string", "pattern": "^[a-z0-9./-]+(:[A-Za-z0-9._-]+)?$", "maxLength": 64},
                "replicas": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 10},
                "size": {"x-kubernetes-int-or-string": True, "anyOf": [{"type": "integer"}, {"type": "string"}]},
                "mode": {"type": "string", "enum": ["fast", "safe"]},
                "owner": {"type": "string", "nullable": True},
                "ratio": {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 1},
                "ports": {"type": "array", "maxItems": 4, "items": {
                    "type": "object", "required": ["name", "port"],
                    "properties": {"name": {"type": "string", "minLength": 1},
                                   "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                                   "protocol": {"type": "string", "enum": ["TCP", "UDP"], "default": "TCP"}}}},
                "config": {"type": "object", "x-kubernetes-preserve-unknown-fields": True,
                           "properties": {"level": {"type": "integer"}}},
                "template": {"type": "object", "x-kubernetes-embedded-resource": True,
                             "x-kubernetes-preserve-unknown-fields": True},
                "memory": {"x-kubernetes-int-or-string": True, "pattern": "^[0-9]+(Mi|Gi)$"},
                "tags": {"type": "object", "additionalProperties": {"type": "string"}},
            }},
        "status": {"type": "object", "properties": {"ready": {"type": "boolean"}}},
    },
}
WIDGET_OBJECT = {
    "apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w", "labels": {"a": "b"}},
    "spec": {"image": "registry.example.com/widget:1.2", "replicas": 2, "size": "50%", "mode": "safe", "owner": None,
             "ratio": 0.5, "ports": [{"name": "http", "port": 80}, {"name": "dns", "port": 53, "protocol": "UDP"}],
             "config": {"level": 3, "anything": {"goes": [1, "here"]}},
             "template": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"x": "y"}},
             "memory": "512Mi", "tags": {"team": "a"}},
    "status": {"ready": True},
}
BACKUP = {
    "type": "object", "required": ["spec"],
    "properties": {
        "spec": {
            "type": "object", "required": ["schedule"],
            "oneOf": [{"required": ["s3"]}, {"required": ["gcs"]}],
            "properties": {
                "schedule": {"type": "string", "pattern": r"^(\S+ ){4}\S+$"},
                "retentionDays": {"type": "integer", "minimum": 0, "exclusiveMinimum": True, "maximum": 365,
                                  "exclusiveMaximum": False},
                "s3": {"type": "object", "required": ["bucket"], "properties": {
                    "bucket": {"type": "string", "minLength": 3, "maxLength": 63},
                    "region": {"type": "string"}}},
                "gcs": {"type": "object", "required": ["bucket"], "properties": {"bucket": {"type": "string"}}},
                "excludes": {"type": "array", "uniqueItems": True, "items": {"type": "string"}},
                "paused": {"type": "boolean", "nullable": True},
            }},
    },
}
BACKUP_OBJECT = {"apiVersion": "example.com/v1", "kind": "Backup", "metadata": {"name": "nightly"},
                 "spec": {"schedule": "0 3 * * *", "retentionDays": 30, "s3": {"bucket": "backups", "region": "eu"},
                          "excludes": ["tmp", "cache"], "paused": None}}
POLICY = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "properties": {
                "rules": {"type": "array", "minItems": 1, "maxItems": 5, "items": {
                    "type": "object", "required": ["action"],
                    "properties": {
                        "action": {"type": "string", "enum": ["allow", "deny", "log"]},
                        "priority": {"type": "integer", "format": "int32", "multipleOf": 10},
                        "match": {"type": "object", "minProperties": 1,
                                  "additionalProperties": {"type": "string", "maxLength": 63}},
                        "limit": {"type": "object", "properties": {"cpu": {"x-kubernetes-int-or-string": True},
                                                                   "memory": {"type": "string",
                                                                              "format": "quantity"}}},
                        "not": {"type": "object", "not": {"required": ["all"]},
                                "properties": {"all": {"type": "boolean"}, "kinds": {
                                    "type": "array", "items": {"type": "string"}}}},
                    }}},
                "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                "secret": {"type": "string", "format": "byte"},
                "objects": {"type": "array", "items": {"type": "object", "x-kubernetes-embedded-resource": True,
                                                      "properties": {"spec": {"type": "object",
                                                                              "x-kubernetes-preserve-unknown-fields":
                                                                                  True}}}},
            }},
    },
}
POLICY_OBJECT = {"apiVersion": "example.com/v1", "kind": "Policy", "metadata": {"name": "p"},
                 "spec": {"rules": [{"action": "deny", "priority": 10, "match": {"team": "a"},
                                     "limit": {"cpu": 2, "memory": "1Gi"}, "not": {"kinds": ["Secret"]}},
                                    {"action": "log", "limit": {"cpu": "500m"}}],
                          "extra": {"whatever": True}, "secret": "c2VjcmV0",
                          "objects": [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"},
                                       "spec": {"containers": []}}]}}
#: The root keeps unknown fields: only apiVersion, kind and metadata are checked there.
LOOSE = {"type": "object", "x-kubernetes-preserve-unknown-fields": True,
         "properties": {"data": {"type": "object", "additionalProperties": {"type": "integer", "nullable": True}}}}
LOOSE_OBJECT = {"apiVersion": "example.com/v1", "kind": "Loose", "metadata": {"name": "l"}, "data": {"a": 1, "b": None},
                "other": [1, 2]}
CUSTOM = {"Widget": (WIDGET, WIDGET_OBJECT), "Backup": (BACKUP, BACKUP_OBJECT), "Policy": (POLICY, POLICY_OBJECT),
          "Loose": (LOOSE, LOOSE_OBJECT)}


@functools.lru_cache(maxsize=None)
def custom_validators(kind: str) -> tuple:
    return validators_for(to_json_schema(copy.deepcopy(CUSTOM[kind][0]), kind), SCHEMAS.definition)


def custom_errors(kind: str, instance, strict: bool = True) -> list[tuple]:
    """(path, at) of the errors, each once (a null for an enum is both a type and an enum error)."""
    _, strict_validator, lenient_validator, _ = custom_validators(kind)
    validator = strict_validator if strict else lenient_validator
    return sorted({(error.path, error.at) for error in validator.errors(instance, kind)}, key=str)


@pytest.mark.parametrize("kind", sorted(CUSTOM))
def test_crd_schema_compiles_to_a_fast_check_and_accepts_the_valid_object(kind):
    root, strict, lenient, reference = custom_validators(kind)
    assert strict._fast is not None and lenient._fast is not None
    assert not unknown_fields_under_combinator(reference.schema)
    assert custom_errors(kind, CUSTOM[kind][1]) == []
    assert_agreement(custom_validators(kind), CUSTOM[kind][1], kind)


@PROPERTY
@given(st.data())
def test_crd_schemas_fast_check_agrees_with_jsonschema_on_mutated_objects(data):
    kind = data.draw(st.sampled_from(sorted(CUSTOM)))
    instance = data.draw(mutated(CUSTOM[kind][1]))
    assert_agreement(custom_validators(kind), instance, kind)


def test_crd_preserve_unknown_fields_allows_unknown_keys_and_nowhere_else():
    assert custom_errors("Widget", changed(WIDGET_OBJECT, ("spec", "config", "new"), {"x": 1})) == []
    assert custom_errors("Widget", changed(WIDGET_OBJECT, ("spec", "template", "spec"), {"x": 1})) == []
    # ...but the fields it lists are still checked
    assert custom_errors("Widget", changed(WIDGET_OBJECT, ("spec", "config", "level"), "high")) == [
        (("spec", "config", "level"), "value")]
    # unknown keys elsewhere are errors under strict, and only then
    for path in (("spec", "colour"), ("status", "phase"), ("spec", "ports", 0, "hostPort"), ("colour",)):
        unknown = changed(WIDGET_OBJECT, path, "red")
        assert custom_errors("Widget", unknown) == [(path, "key")]
        assert custom_errors("Widget", unknown, strict=False) == []
    # a root that preserves unknown fields
    assert custom_errors("Loose", changed(LOOSE_OBJECT, ("anything",), {"at": "all"})) == []
    # inside a oneOf branch, listed properties do not refuse others (the branch only requires)
    assert custom_errors("Backup", BACKUP_OBJECT) == []


@pytest.mark.parametrize("value, valid", [(5, True), ("5%", True), ("five", True), (5.0, True), (0, True),
                                          (5.5, False), (True, False), (None, False), ([5], False), ({}, False)])
def test_crd_int_or_string(value, valid):
    instance = changed(WIDGET_OBJECT, ("spec", "size"), value)
    assert custom_errors("Widget", instance) == ([] if valid else [(("spec", "size"), "value")])
    assert_agreement(custom_validators("Widget"), instance, "Widget")


def test_crd_int_or_string_keeps_its_pattern_for_strings():
    assert custom_errors("Widget", changed(WIDGET_OBJECT, ("spec", "memory"), "1Gi")) == []
    assert custom_errors("Widget", changed(WIDGET_OBJECT, ("spec", "memory"), 1024)) == []
    assert custom_errors("Widget", changed(WIDGET_OBJECT, ("spec", "memory"), "1 Gi")) == [
        (("spec", "memory"), "value")]


def test_crd_nullable():
    assert custom_errors("Widget", changed(WIDGET_OBJECT, ("spec", "owner"), None)) == []
    assert custom_errors("Backup", changed(BACKUP_OBJECT, ("spec", "paused"), None)) == []
    assert custom_errors("Loose", changed(LOOSE_OBJECT, ("data", "c"), None)) == []
    # not nullable: null is an error
    assert custom_errors("Widget", changed(WIDGET_OBJECT, ("spec", "mode"), None)) == [(("spec", "mode"), "value")]
    assert custom_errors("Widget", changed(WIDGET_OBJECT, ("spec", "image"), None)) == [(("spec", "image"), "value")]


def test_crd_root_metadata_is_an_object_meta():
    assert custom_errors("Widget", changed(WIDGET_OBJECT, ("metadata", "name"), 3)) == [(("metadata", "name"), "value")]
    assert custom_errors("Widget", changed(WIDGET_OBJECT, ("metadata", "labels", "a"), 1)) == [
        (("metadata", "labels", "a"), "value")]
    assert custom_errors("Widget", changed(WIDGET_OBJECT, ("metadata", "nam"), "w")) == [(("metadata", "nam"), "key")]
    assert custom_errors("Widget", changed(WIDGET_OBJECT, ("kind",), 5)) == [(("kind",), "value")]
    assert custom_errors("Loose", changed(LOOSE_OBJECT, ("metadata", "name"), 3)) == [(("metadata", "name"), "value")]


def test_crd_embedded_resource_metadata_is_an_object_meta():
    bad = changed(POLICY_OBJECT, ("spec", "objects", 0, "metadata", "name"), ["x"])
    assert custom_errors("Policy", bad) == [(("spec", "objects", 0, "metadata", "name"), "value")]
    bad = changed(WIDGET_OBJECT, ("spec", "template", "metadata", "labels"), "app=x")
    assert custom_errors("Widget", bad) == [(("spec", "template", "metadata", "labels"), "value")]
    # an embedded resource that lists properties refuses unknown ones, apiVersion/kind/metadata aside
    bad = changed(POLICY_OBJECT, ("spec", "objects", 0, "status"), {})
    assert custom_errors("Policy", bad) == [(("spec", "objects", 0, "status"), "key")]


def test_crd_one_of_required_only_branches():
    # both, or neither: "set exactly one of ...", at the object's key
    assert custom_errors("Backup", changed(BACKUP_OBJECT, ("spec", "gcs"), {"bucket": "b"})) == [(("spec",), "key")]
    assert custom_errors("Backup", changed(BACKUP_OBJECT, ("spec", "s3"), delete=True)) == [(("spec",), "key")]
    only_gcs = changed(changed(BACKUP_OBJECT, ("spec", "gcs"), {"bucket": "b"}), ("spec", "s3"), delete=True)
    assert custom_errors("Backup", only_gcs) == []


@pytest.mark.parametrize("days, valid", [(0, False), (1, True), (365, True), (366, False), (30.0, True), (0.5, False)])
def test_crd_boolean_exclusive_bounds_become_numbers(days, valid):
    root, *_ = custom_validators("Backup")
    retention = root["properties"]["spec"]["properties"]["retentionDays"]
    assert retention == {"type": "integer", "exclusiveMinimum": 0, "maximum": 365}
    instance = changed(BACKUP_OBJECT, ("spec", "retentionDays"), days)
    assert (custom_errors("Backup", instance) == []) is valid
    assert_agreement(custom_validators("Backup"), instance, "Backup")


@pytest.mark.parametrize("kind, path, value, valid", [
    ("Widget", ("spec", "replicas"), 0, False),
    ("Widget", ("spec", "replicas"), 10, True),
    ("Widget", ("spec", "replicas"), 2**31, False),
    ("Widget", ("spec", "ratio"), 0, False),
    ("Widget", ("spec", "ratio"), 1, True),
    ("Widget", ("spec", "image"), "Registry/Widget", False),
    ("Widget", ("spec", "image"), "a" * 65, False),
    ("Widget", ("spec", "mode"), "Safe", False),
    ("Widget", ("spec", "ports", 0, "name"), "", False),
    ("Widget", ("spec", "ports", 0, "protocol"), "SCTP", False),
    ("Widget", ("spec", "ports"), [{"name": "p", "port": n} for n in range(1, 6)], False),
    ("Widget", ("spec", "tags", "n"), 1, False),
    ("Backup", ("spec", "schedule"), "@daily", False),
    ("Backup", ("spec", "excludes"), ["tmp", "tmp"], False),
    ("Backup", ("spec", "s3", "bucket"), "ab", False),
    ("Policy", ("spec", "rules"), [], False),
    ("Policy", ("spec", "rules", 0, "priority"), 15, False),
    ("Policy", ("spec", "rules", 0, "priority"), 20.0, True),
    ("Policy", ("spec", "rules", 0, "match"), {}, False),
    ("Policy", ("spec", "rules", 0, "not", "all"), True, False),
    ("Policy", ("spec", "rules", 0, "limit", "memory"), "1 Gi", False),
    ("Policy", ("spec", "rules", 0, "limit", "cpu"), 0.5, False),
    ("Policy", ("spec", "secret"), "c2VjcmV0!", False),
    ("Policy", ("spec", "secret"), "c2Vj\ncmV0", True),
])
def test_crd_keywords(kind, path, value, valid):
    instance = changed(CUSTOM[kind][1], path, value)
    assert (custom_errors(kind, instance) == []) is valid
    assert_agreement(custom_validators(kind), instance, kind)


# ---------------------------------------------------------------------------------------------
# 2. format_ok and json_equal


@pytest.mark.parametrize("name, value, ok", [
    ("int32", 2**31 - 1, True), ("int32", 2**31, False), ("int32", -(2**31), True), ("int32", -(2**31) - 1, False),
    ("int32", 2147483647.0, True), ("int32", 2147483648.0, False), ("int32", 0, True),
    ("int64", 2**63 - 1, True), ("int64", 2**63, False), ("int64", -(2**63), True), ("int64", -(2**63) - 1, False),
    ("int64", 1e19, False), ("int64", -9.223372036854775808e18, True),
    ("int32", True, True), ("int32", "99999999999", True),  # other types are not this format's business
    ("byte", "", True), ("byte", "YQ==", True), ("byte", "YWI=", True), ("byte", "YWJj", True),
    ("byte", "YQ", False), ("byte", "YWI", False), ("byte", "YQ=", False),  # padding is required
    ("byte", "YWJj\nZGVm", True), ("byte", "YWJj\r\nZGVm\n", True), ("byte", "\nYWI=", True),  # Go skips \r and \n
    ("byte", "YWJj ZGVm", False), ("byte", " YWJj", False), ("byte", "YWJj\tZGVm", False),  # but not spaces
    ("byte", "YW-_", False), ("byte", "YQ==YQ==", False), ("byte", "not base64!", False), ("byte", "é", False),
    ("byte", 5, True),
    ("quantity", "1", True), ("quantity", "1.5", True), ("quantity", ".5", True), ("quantity", "1.", True),
    ("quantity", "100m", True), ("quantity", "1Ki", True), ("quantity", "1Mi", True), ("quantity", "1G", True),
    ("quantity", "1e3", True), ("quantity", "1E", True), ("quantity", "-1", True), ("quantity", "+1", True),
    ("quantity", "1Ei", True), ("quantity", "1n", True), ("quantity", "1u", True), ("quantity", "0.5Gi", True),
    ("quantity", "1e-3", True), ("quantity", "1E+3", True), ("quantity", "007", True),
    # from apimachinery's quantity_test.go, valid...
    ("quantity", "1.G", True), ("quantity", "100.035k", True), ("quantity", "1.3E+6", True), ("quantity", "12E", True),
    ("quantity", "0.5e-2", True), ("quantity", "0.000000000001Ki", True),
    # ...and invalid
    ("quantity", "1.1.M", False), ("quantity", "1+1.0M", False), ("quantity", "0.1mi", False),
    ("quantity", "0.1am", False), ("quantity", "aoeu", False), ("quantity", ".5i", False), ("quantity", "1i", False),
    ("quantity", "-3.01i", False), ("quantity", "-3.01e-", False), ("quantity", " 1", False), ("quantity", "1 ", False),
    ("quantity", "1 Gi", False), ("quantity", "1.5.5", False), ("quantity", "", False),
    # apimachinery's parser reads a missing number as 0, and wants a 32-bit exponent
    ("quantity", "Gi", True), ("quantity", "-", True), ("quantity", "+", True), ("quantity", ".", True),
    ("quantity", "1e2147483647", True), ("quantity", "1e4294967297", False),
    ("quantity", "1KI", False), ("quantity", "1gi", False), ("quantity", "1e", False),
    ("quantity", "1Gi\n", False), ("quantity", "1GiB", False), ("quantity", "1Ki1", False), ("quantity", "1K", False),
    ("quantity", "١", False),  # an Arabic-Indic digit: [0-9] only
    ("quantity", 1.5, True), ("quantity", None, True),
    ("date-time", "whenever", False), ("date-time", "2024-05-01T12:00:00Z", True), ("date-time", "2024-05-01", False),
    ("date", "2024-05-01", True), ("date", "2024-5-1", False), ("ipv4", "10.0.0.1", True), ("ipv4", "300.1.1.1", False),
    ("ipv6", "fd00::1", True), ("cidr", "10.0.0.0/16", True), ("cidr", "10.0.0.1", False),
    ("mac", "02:42:ac:11:00:02", True), ("mac", "02:42:ac", False),
    ("uuid", "123e4567-e89b-12d3-a456-426614174000", True), ("uuid", "123", False),
    ("email", "whatever", True), ("unknown", object(), True),
])
def test_format_ok(name, value, ok):
    assert format_ok(name, value) is ok


@pytest.mark.parametrize("a, b, equal", [
    (1, 1.0, True), (0, -0.0, True), (True, True, True), (False, False, True), (None, None, True),
    (True, 1, False), (1, True, False), (False, 0, False), (0, False, False), (True, 1.0, False), (False, None, False),
    ("1", 1, False), ("a", "a", True), ("", None, False), (2**63, 2**63, True), (2**53 + 1, float(2**53), False),
    ([1, 2], [1.0, 2.0], True), ([1, 2], [2, 1], False), ([1], [1, 1], False), ([True], [1], False), ([], {}, False),
    ({"a": 1}, {"a": 1.0}, True), ({"a": 1}, {"a": True}, False), ({"a": 1}, {"b": 1}, False),
    ({"a": 1, "b": 2}, {"b": 2, "a": 1}, True), ({"a": [{"b": False}]}, {"a": [{"b": False}]}, True),
    ({"a": [{"b": False}]}, {"a": [{"b": 0}]}, False), ({}, {"a": None}, False),
])
def test_json_equal(a, b, equal):
    assert json_equal(a, b) is equal
    assert json_equal(b, a) is equal
    assert jsonschema._utils.equal(a, b) is equal  # the same as jsonschema's


# ---------------------------------------------------------------------------------------------
# 3. Validator.errors(): where the errors are


def kind_errors(api_version: str, kind: str, instance, strict: bool = True) -> list[SchemaError]:
    _, strict_validator, lenient_validator, _ = kind_validators(api_version, kind)
    return (strict_validator if strict else lenient_validator).errors(instance, kind)


def test_errors_of_valid_objects_are_empty():
    for (api_version, kind), instance in OBJECTS.items():
        assert kind_errors(api_version, kind, instance) == []
        assert kind_errors(api_version, kind, instance, strict=False) == []


def test_errors_point_at_the_offending_node():
    deployment = OBJECTS["apps/v1", "Deployment"]
    containers = ("spec", "template", "spec", "containers")

    [error] = kind_errors("apps/v1", "Deployment", changed(deployment, ("spec", "replicas"), "three"))
    assert (error.path, error.at, error.instance, error.expected) == (("spec", "replicas"), "value", "three",
                                                                      ("integer",))

    [error] = kind_errors("apps/v1", "Deployment", changed(deployment, containers + (0, "name"), delete=True))
    assert (error.path, error.at, error.missing) == (containers + (0,), "key", "name")

    typo = changed(deployment, containers + (0, "imagePullPolicyy"), "Always")
    [error] = kind_errors("apps/v1", "Deployment", typo)
    assert (error.path, error.at) == (containers + (0, "imagePullPolicyy"), "key")
    assert kind_errors("apps/v1", "Deployment", typo, strict=False) == []

    [error] = kind_errors("v1", "Secret", changed(OBJECTS["v1", "Secret"], ("data", "password"), "hunter2!"))
    assert (error.path, error.at) == (("data", "password"), "value")

    service = changed(OBJECTS["v1", "Service"], ("spec", "ports", 1, "port"), 2**31)
    [error] = kind_errors("v1", "Service", service)
    assert (error.path, error.at) == (("spec", "ports", 1, "port"), "value")


def test_errors_are_sorted_by_path_and_each_is_reported_once():
    deployment = changed(OBJECTS["apps/v1", "Deployment"], ("spec", "replicas"), 1.5)
    deployment = changed(deployment, ("metadata", "name"), 7)
    deployment = changed(deployment, ("spec", "template", "spec", "containers", 0, "ports", 0, "containerPort"), "x")
    paths = [error.path for error in kind_errors("apps/v1", "Deployment", deployment)]
    assert paths == [("metadata", "name"), ("spec", "replicas"),
                     ("spec", "template", "spec", "containers", 0, "ports", 0, "containerPort")]


def test_errors_with_unsupported_keywords_still_come_from_jsonschema():
    validator = Validator({"patternProperties": {"^x-": {"type": "string"}}}, NO_DEFINITIONS, True)
    assert validator._fast is None
    assert validator.errors({"x-a": "b"}) == []
    assert [(e.path, e.at) for e in validator.errors({"x-a": 1})] == [(("x-a",), "value")]
