"""Check objects against JSON schemas: a fast yes/no first, then located errors in plain words.

Most objects are valid. Each schema is therefore compiled once into Python closures that only
answer "valid or not", for the keywords Kubernetes and CRD schemas use (measured: several times
faster than jsonschema, and no jsonschema import on a clean run). Only when an object fails
does jsonschema, the reference implementation, find every error with its path; each error then
becomes one message a person can act on (`describe`). Schemas with keywords the fast check
does not know go to jsonschema directly.

Types follow the API server: an integer may be written 3.0; formats int32, int64, byte
(base64), quantity (Kubernetes' resource quantities), and for custom resources date-time,
date, ipv4, ipv6, cidr, mac and uuid are checked as it checks them. Both
checks see the same schema (`_as_checked`): under `strict=False`, without
`additionalProperties: false`, so unknown fields are not errors; and without the patterns that
Python's `re` cannot read (Go's RE2 syntax such as `\\p{L}`), which are left unchecked.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import difflib
import ipaddress
import json
import re
from dataclasses import dataclass
from fractions import Fraction

from kubecheck.positions import locate
from kubecheck.quantity import is_quantity

_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_IGNORED = frozenset({"description", "title", "$schema", "$id", "$comment", "default", "example", "examples",
                      "readOnly", "writeOnly", "deprecated", "$defs", "definitions", "x-kubernetes-list-type",
                      "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-patch-strategy",
                      "x-kubernetes-patch-merge-key", "x-kubernetes-group-version-kind", "x-kubernetes-unions",
                      "x-kubernetes-validations", "x-kubernetes-preserve-unknown-fields",
                      "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string", "nullable"})


_MAC = re.compile(r"([0-9A-Fa-f]{2}[:-]){5,19}[0-9A-Fa-f]{2}|([0-9A-Fa-f]{4}\.){2,9}[0-9A-Fa-f]{4}\Z")
_UUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\Z")


def _parses(parse, text: str) -> bool:
    try:
        parse(text)
    except ValueError:
        return False
    return True


#: String formats the API server checks in custom resources (and kubecheck with it).
_STRING_FORMATS = {
    "byte": lambda text: _parses(lambda t: base64.b64decode(t.replace("\n", "").replace("\r", ""), validate=True),
                                 text),
    "quantity": is_quantity,
    "date-time": lambda text: _parses(datetime.datetime.fromisoformat, text.replace("z", "Z")) and "T" in text.upper(),
    "date": lambda text: _parses(datetime.date.fromisoformat, text) and len(text) == 10,
    "ipv4": lambda text: _parses(ipaddress.IPv4Address, text),
    "ipv6": lambda text: _parses(ipaddress.IPv6Address, text),
    "cidr": lambda text: _parses(lambda t: ipaddress.ip_network(t, strict=False), text) and "/" in text,
    "mac": lambda text: bool(_MAC.match(text)),
    "uuid": lambda text: bool(_UUID.match(text)),
}


def format_ok(name: str, value: object) -> bool:
    """Whether `value` satisfies one of the formats kubecheck checks (others always pass)."""
    if name in _RANGES and value.__class__ in (int, float):
        low, high = _RANGES[name]
        return low <= value <= high
    if value.__class__ is str and name in _STRING_FORMATS:
        try:
            return _STRING_FORMATS[name](value)
        except (binascii.Error, ValueError):
            return False
    return True


def json_equal(a: object, b: object) -> bool:
    """Equality as JSON Schema means it: true is not 1, 1 is 1.0."""
    if a.__class__ is bool or b.__class__ is bool:
        return a.__class__ is b.__class__ and a == b
    if a.__class__ is list and b.__class__ is list:
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    if a.__class__ is dict and b.__class__ is dict:
        return a.keys() == b.keys() and all(json_equal(a[key], b[key]) for key in a)
    return a == b and (a.__class__ in (int, float)) == (b.__class__ in (int, float))


_TYPE_CLASSES = {"object": {dict}, "array": {list}, "string": {str}, "boolean": {bool}, "null": {type(None)},
                 "integer": {int}, "number": {int, float}}  # (bool is its own class, never an int here)


_INTEGER = lambda value: value.__class__ is int or (value.__class__ is float and value.is_integer())  # noqa: E731


def _type_test(names: list[str]):
    classes = frozenset().union(*(_TYPE_CLASSES[name] for name in names))
    if "integer" in names and float not in classes:  # an integer may be written 3.0
        return lambda value: value.__class__ in classes or (value.__class__ is float and value.is_integer())
    return lambda value: value.__class__ in classes


class _Unsupported(Exception):
    """A keyword the fast check does not implement: leave the schema to jsonschema."""


class _FastCompiler:
    def __init__(self, root: dict, definitions, strict: bool):
        self.root = root
        self.definitions = definitions
        self.strict = strict
        self.refs: dict[str, list] = {}

    def ref(self, reference: str):
        cell = self.refs.get(reference)
        if cell is None:
            cell = self.refs[reference] = [None]
            cell[0] = self.compile(resolve_ref(reference, self.root, self.definitions))
        return lambda value: cell[0](value)

    def compile(self, schema):
        if schema is True or schema == {}:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, dict):
            raise _Unsupported(repr(schema))
        unknown = set(schema) - _KNOWN
        if unknown:
            raise _Unsupported(", ".join(sorted(unknown)))
        tests = []
        if "$ref" in schema:
            tests.append(self.ref(schema["$ref"]))
        if "type" in schema:
            names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            tests.append(_type_test(names))
        if "enum" in schema:
            choices = schema["enum"]
            tests.append(lambda value: any(json_equal(value, choice) for choice in choices))
        if "const" in schema:
            constant = schema["const"]
            tests.append(lambda value: json_equal(value, constant))
        tests += self._object_tests(schema) + self._array_tests(schema) + self._scalar_tests(schema)
        for keyword, combine in (("allOf", all), ("anyOf", any)):
            if keyword in schema:
                branches = [self.compile(branch) for branch in schema[keyword]]
                tests.append(lambda value, b=branches, c=combine: c(test(value) for test in b))
        if "oneOf" in schema:
            branches = [self.compile(branch) for branch in schema["oneOf"]]
            tests.append(lambda value: sum(1 for test in branches if test(value)) == 1)
        if "not" in schema:
            negated = self.compile(schema["not"])
            tests.append(lambda value: not negated(value))
        if len(tests) == 1:
            return tests[0]
        return lambda value: all(test(value) for test in tests)

    def lazily(self, schema):
        """A check compiled on its first call: an object exercises a small part of a big schema."""
        cell = []

        def check(value):
            if not cell:
                cell.append(self.compile(schema))
            return cell[0](value)

        return check

    def _object_tests(self, schema: dict) -> list:
        properties = {name: self.lazily(sub) for name, sub in schema.get("properties", {}).items()}
        additional = schema.get("additionalProperties", True)
        if additional is False and not self.strict:
            additional = True
        extra = None if additional is True else self.compile(additional)
        required = tuple(schema.get("required", ()))
        low, high = schema.get("minProperties", 0), schema.get("maxProperties")
        if not properties and extra is None and not required and not low and high is None:
            return []

        def test(value):
            if value.__class__ is not dict:
                return True
            for name in required:
                if name not in value:
                    return False
            if len(value) < low or (high is not None and len(value) > high):
                return False
            for name, item in value.items():
                check = properties.get(name)
                if check is not None:
                    if not check(item):
                        return False
                elif extra is not None and not extra(item):
                    return False
            return True

        return [test]

    def _array_tests(self, schema: dict) -> list:
        items = self.lazily(schema["items"]) if "items" in schema else None
        low, high, unique = schema.get("minItems", 0), schema.get("maxItems"), schema.get("uniqueItems", False)
        if items is None and not low and high is None and not unique:
            return []

        def test(value):
            if value.__class__ is not list:
                return True
            if len(value) < low or (high is not None and len(value) > high):
                return False
            if unique and any(json_equal(a, b) for i, a in enumerate(value) for b in value[i + 1:]):
                return False
            return items is None or all(items(item) for item in value)

        return [test]

    def _scalar_tests(self, schema: dict) -> list:
        tests = []
        if "format" in schema:
            name = schema["format"]
            tests.append(lambda value: format_ok(name, value))
        pattern = _python_pattern(schema.get("pattern"))
        if pattern is not None:
            tests.append(lambda value: value.__class__ is not str or pattern.search(value) is not None)
        if "minLength" in schema or "maxLength" in schema:
            low, high = schema.get("minLength", 0), schema.get("maxLength")
            tests.append(lambda value: value.__class__ is not str or (low <= len(value) and
                                                                     (high is None or len(value) <= high)))
        bounds = [(key, schema[key]) for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                                                 "multipleOf") if key in schema]
        if bounds:
            tests.append(lambda value: value.__class__ not in (int, float) or all(_NUMERIC[key](value, bound)
                                                                                  for key, bound in bounds))
        return tests


def _multiple_of(value, bound) -> bool:
    """jsonschema's arithmetic: exact for integer bounds, Fraction when a float quotient overflows."""
    if isinstance(bound, float):
        try:
            quotient = value / bound
            return int(quotient) == quotient
        except OverflowError:  # a huge integer, or a quotient beyond the float range
            return (Fraction(value) / Fraction(bound)).denominator == 1
    return value % bound == 0


_NUMERIC = {
    "minimum": lambda value, bound: value >= bound,
    "maximum": lambda value, bound: value <= bound,
    "exclusiveMinimum": lambda value, bound: value > bound,
    "exclusiveMaximum": lambda value, bound: value < bound,
    "multipleOf": _multiple_of,
}
_KNOWN = _IGNORED | {"$ref", "type", "enum", "const", "properties", "additionalProperties", "required",
                     "minProperties", "maxProperties", "items", "minItems", "maxItems", "uniqueItems", "format",
                     "pattern", "minLength", "maxLength", "allOf", "anyOf", "oneOf", "not"} | set(_NUMERIC)


def _python_pattern(pattern):
    """A schema's pattern compiled by Python's `re`; None when there is none or `re` cannot read it
    (Go's `\\p{L}`): such a pattern is left unchecked, by both checks alike."""
    if not isinstance(pattern, str):
        return None
    try:
        return re.compile(pattern)
    except re.error:
        return None


def _check_supported(schema, root: dict, definitions) -> None:
    """Raise _Unsupported if any schema reachable from `schema` uses a keyword the fast check
    does not know: cheaper than compiling, which happens lazily, part by part."""
    seen: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, bool):
            continue
        if not isinstance(node, dict):
            raise _Unsupported(repr(node))
        unknown = set(node) - _KNOWN
        if unknown:
            raise _Unsupported(", ".join(sorted(unknown)))
        if isinstance(node.get("items"), list):
            raise _Unsupported("items as a list")
        if isinstance(node.get("exclusiveMinimum"), bool) or isinstance(node.get("exclusiveMaximum"), bool):
            raise _Unsupported("boolean exclusive bounds (draft 4)")
        types = node.get("type", [])
        if not set(types if isinstance(types, list) else [types]) <= set(_TYPE_CLASSES):
            raise _Unsupported(f"type {types!r}")
        reference = node.get("$ref")
        if reference is not None and reference not in seen:
            seen.add(reference)
            stack.append(resolve_ref(reference, root, definitions))
        stack.extend(node.get("properties", {}).values())
        for key in ("additionalProperties", "items", "not"):
            if isinstance(node.get(key), (dict, bool)):
                stack.append(node[key])
        for key in ("allOf", "anyOf", "oneOf"):
            stack.extend(node.get(key, ()))


def resolve_ref(reference: str, root: dict, definitions) -> dict:
    """A `#/$defs/NAME` or `#/definitions/NAME` reference, from the root schema or the bundled definitions."""
    for prefix, table in (("#/$defs/", "$defs"), ("#/definitions/", "definitions")):
        if reference.startswith(prefix):
            name = reference[len(prefix):]
            local = root.get(table, {}).get(name) if isinstance(root.get(table), dict) else None
            found = local if local is not None else definitions(name)
            if found is None:
                raise _Unsupported(f"unresolved $ref {reference}")
            return found
    raise _Unsupported(f"$ref {reference}")


@dataclass(frozen=True)
class SchemaError:
    """One violation: where (path inside the object; at its key or its value) and what."""

    path: tuple
    at: str
    message: str
    instance: object = None
    expected: tuple = ()  # for type errors: the JSON types the schema allows
    missing: str | None = None  # for a missing required field: its name
    suggestion: str | None = None  # for an unknown field: the known field it is closest to
    about_schema: bool = False  # the schema cannot be used, whatever the object says


def _one_per_cause(errors: list[SchemaError]) -> list[SchemaError]:
    """A misspelled required field is one mistake: keep the unknown field (which suggests the
    right name), not also the missing one."""
    suggested = {(e.path[:-1], e.suggestion) for e in errors if e.suggestion}
    return [e for e in errors if not (e.missing and (e.path, e.missing) in suggested)]


class Validator:
    """The validator of one schema (a kind's, or a custom resource's), compiled once."""

    def __init__(self, root: dict, definitions, strict: bool):
        self.root = root
        self.definitions = definitions
        self.strict = strict
        try:
            _check_supported(root, root, definitions)
            self._fast = _FastCompiler(root, definitions, strict).compile(root)
        except (_Unsupported, KeyError, TypeError):
            self._fast = None
        self._detailed = None

    def errors(self, instance: object, kind: str = "") -> list[SchemaError]:
        if self._fast is not None and self._fast(instance):
            return []
        found: dict[tuple, SchemaError] = {}
        try:
            for error in self._jsonschema().iter_errors(instance):
                for described in describe(error, kind):
                    found.setdefault((described.path, described.message), described)
        except Exception as error:  # the schema itself is unusable: an unresolvable $ref, an unknown type
            return [SchemaError((), "key", f"{kind or 'the object'} cannot be validated: its schema is unusable "
                                           f"({type(error).__name__}: {str(error).splitlines()[0][:200]})",
                                about_schema=True)]
        found = _one_per_cause(list(found.values()))
        if not found and self._fast is not None:
            # The fast check found the object invalid and jsonschema cannot say where (its own
            # limits: uniqueItems compares sorted neighbours only; a float multipleOf overflows).
            found = [SchemaError((), "key", f"{kind or 'the object'} does not match its schema, but the reference "
                                            "validator cannot say where")]
        return sorted(found, key=lambda e: [str(step) for step in e.path])

    def _jsonschema(self):
        if self._detailed is None:
            import jsonschema

            document = dict(self.root)
            definitions = dict(document.get("$defs") or {})
            for name in _referenced_definitions(self.root, self.definitions):
                definitions.setdefault(name, self.definitions(name))
            if definitions:
                document["$defs"] = definitions
            document = _as_checked(document, self.strict)
            checker = jsonschema.FormatChecker(formats=())
            for name in (*_RANGES, *_STRING_FORMATS):
                checker.checks(name)(lambda value, name=name: format_ok(name, value))
            cls = jsonschema.validators.validator_for(document, default=jsonschema.Draft202012Validator)
            # An integer may be written 3.0 under every draft: Kubernetes reads it as 3. And
            # multipleOf uses exact arithmetic (jsonschema's overflows on huge integers).
            integers = cls.TYPE_CHECKER.redefine("integer", lambda checker, value: _INTEGER(value))
            cls = jsonschema.validators.extend(cls, {"multipleOf": _multiple_of_keyword}, type_checker=integers)
            self._detailed = cls(document, format_checker=checker)
        return self._detailed


def _multiple_of_keyword(validator, bound, instance, schema):
    """jsonschema's multipleOf keyword, with `_multiple_of`'s arithmetic."""
    if validator.is_type(instance, "number") and not _multiple_of(instance, bound):
        import jsonschema

        yield jsonschema.ValidationError(f"{instance!r} is not a multiple of {bound!r}")


_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_VALUES = ("additionalProperties", "items", "not", "contains", "if", "then", "else", "propertyNames",
                  "unevaluatedProperties", "unevaluatedItems", "additionalItems")


def _as_checked(schema, strict: bool):
    """A copy of a schema as kubecheck checks it: without patterns Python's `re` cannot read, and
    without `additionalProperties: false` unless strict. Only schema keywords are touched, never
    data such as enum values or property names."""
    if not isinstance(schema, dict):
        return schema
    checked = {}
    for key, value in schema.items():
        if key == "additionalProperties" and value is False and not strict:
            continue
        if key == "pattern" and _python_pattern(value) is None:
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            value = {name: _as_checked(sub, strict) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            value = [_as_checked(sub, strict) for sub in value]
        elif key in _SCHEMA_VALUES:
            value = _as_checked(value, strict)
        checked[key] = value
    return checked


def _referenced_definitions(root: dict, definitions) -> list[str]:
    """Names of the bundled definitions reachable from `root` through `#/$defs/` references."""
    seen: list[str] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            reference = node.get("$ref")
            if isinstance(reference, str) and reference.startswith("#/$defs/"):
                name = reference[len("#/$defs/"):]
                local = root.get("$defs", {}) if isinstance(root.get("$defs"), dict) else {}
                if name not in seen and name not in local and definitions(name) is not None:
                    seen.append(name)
                    stack.append(definitions(name))
            stack.extend(value for key, value in node.items() if key not in ("enum", "const"))
        elif isinstance(node, list):
            stack.extend(node)
    return seen


# ------------------------------------------------------------------------------------------
# From jsonschema's errors to messages


def dotted(path) -> str:
    """spec.template.spec.containers[0].image, or metadata.labels["app.kubernetes.io/name"]."""
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        elif _IDENTIFIER.match(step):
            text += f".{step}" if text else step
        else:
            text += f"[{json.dumps(step)}]"
    return text


_TYPE_NAMES = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "object",
               type(None): "null"}


def describe_value(value: object) -> str:
    """`string "three"`, `boolean true`, `null`, `object`: the JSON type of a value and an excerpt."""
    name = _TYPE_NAMES.get(value.__class__, "value")
    if name in ("array", "object", "null"):
        return name
    return f"{name} {_short(value)}"


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


_PLAIN_SCALAR = re.compile(r"[^\s,\]\}#]+")


def quote_hint(value: object, line_text: str, column: int) -> str:
    """Why a plain YAML scalar (the text at `column`) is not the string a schema wants: YAML 1.1
    reads `yes`, `on`, `n` as booleans and `1.10` as a number. Empty unless that is the case."""
    if value.__class__ not in (bool, int, float):
        return ""
    token = _PLAIN_SCALAR.match(line_text, column)
    text = token.group(0) if token else ""
    if not text or text[0] in "\"'&*!|>[{":
        return ""
    if value.__class__ is bool:
        return f" (an unquoted {text} is a boolean in YAML 1.1, which Kubernetes reads: write \"{text}\" in quotes)"
    return f" (an unquoted {text} is a number in YAML: write \"{text}\" in quotes)"


def _where(path, kind: str) -> str:
    return dotted(path) or kind or "the object"


def describe(error, kind: str = "") -> list[SchemaError]:
    """The messages for one jsonschema error (several for several unknown fields)."""
    path = tuple(error.absolute_path)
    keyword = error.validator
    where = _where(path, kind)
    value = error.instance
    if keyword == "additionalProperties" and error.validator_value is False:
        return _unknown_fields(error, path, where, kind)
    if keyword == "required":
        missing = [name for name in error.validator_value if isinstance(value, dict) and name not in value]
        owner = error.schema.get("title")
        return [SchemaError(path, "key", f"{where}: missing required field {json.dumps(name)}"
                                         + (f" of {owner}" if owner and owner != where else ""), missing=name)
                for name in missing]
    if keyword == "type":
        allowed = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        expected = tuple(name for name in allowed if name != "null") or ("null",)
        return [SchemaError(path, "value", f"{where}: expected {' or '.join(expected)}, got "
                                           f"{describe_value(value)}", value, expected)]
    if keyword == "enum":
        choices = error.validator_value
        text = ", ".join(json.dumps(choice) for choice in choices)
        close = difflib.get_close_matches(value, [c for c in choices if isinstance(c, str)], n=1) \
            if isinstance(value, str) else []
        hint = f"; did you mean {json.dumps(close[0])}?" if close else ""
        return [SchemaError(path, "value", f"{where}: {_short(value)} is not one of {text}{hint}")]
    if keyword in ("oneOf", "anyOf"):
        return _alternatives(error, path, where, kind)
    return [SchemaError(path, "value", f"{where}: {_bound_problem(keyword, error.validator_value, value)}")]


def _unknown_fields(error, path: tuple, where: str, kind: str) -> list[SchemaError]:
    known = list(error.schema.get("properties", {}))
    patterns = [_python_pattern(pattern) for pattern in error.schema.get("patternProperties", {})]
    owner = error.schema.get("title") or (f"{kind}.{where}" if kind and path else where)
    found = []
    for name in error.instance:
        if name in known or any(pattern and pattern.search(name) for pattern in patterns):
            continue
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean {json.dumps(close[0])}?" if close else ""
        if name in ("true", "false"):
            hint += (f" (an unquoted key such as yes, no, on, off, y or n is the boolean {name} in YAML 1.1, which "
                     "Kubernetes turns into this name: quote the key)")
        found.append(SchemaError(path + (name,), "key", f"unknown field {json.dumps(name)} in {owner}{hint}",
                                 suggestion=close[0] if close else None))
    return found


def _alternatives(error, path: tuple, where: str, kind: str) -> list[SchemaError]:
    branches = error.validator_value
    if all(isinstance(b, dict) and set(b) == {"required"} and len(b["required"]) == 1 for b in branches):
        names = ", ".join(json.dumps(b["required"][0]) for b in branches)
        amount = "exactly one" if error.validator == "oneOf" else "at least one"
        return [SchemaError(path, "key", f"{where}: set {amount} of {names}")]
    context = [e for e in error.context if e.schema != {"type": "null"}]  # (a nullable field's other branch)
    if context:
        import jsonschema

        return describe(jsonschema.exceptions.best_match(context), kind)
    return [SchemaError(path, "value", f"{where}: {_short(error.instance)} matches more than one of the forms the "
                                       "schema allows (exactly one must match)")]


_CONTROLLER_GEN_QUANTITY = "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$"


def _bound_problem(keyword: str, bound: object, value: object) -> str:
    """The words for a failed format, pattern, size or range keyword."""
    text = _short(value)
    size = len(value) if isinstance(value, (str, list, dict)) else None
    unit = {str: "characters", list: "items", dict: "fields"}.get(value.__class__, "")
    if keyword == "format":
        return _format_problem(bound, value)
    if keyword == "pattern":
        if bound == _CONTROLLER_GEN_QUANTITY:
            return _format_problem("quantity", value)
        return f"{text} does not match the pattern {bound}"
    if keyword in ("minLength", "minItems", "minProperties"):
        return f"{text if unit == 'characters' else 'it'} has {size} {unit}, fewer than the {bound} required"
    if keyword in ("maxLength", "maxItems", "maxProperties"):
        return f"{text if unit == 'characters' else 'it'} has {size} {unit}, more than the {bound} allowed"
    if keyword == "uniqueItems":
        return "the items must be unique, and some are equal"
    if keyword == "minimum":
        return f"{text} is less than the minimum of {bound}"
    if keyword == "maximum":
        return f"{text} is more than the maximum of {bound}"
    if keyword == "exclusiveMinimum":
        return f"{text} must be more than {bound}"
    if keyword == "exclusiveMaximum":
        return f"{text} must be less than {bound}"
    if keyword == "multipleOf":
        return f"{text} is not a multiple of {bound}"
    if keyword == "const":
        return f"must be {_short(bound)}, not {text}"
    return f"{text} is not allowed here ({keyword})"


def _format_problem(name: str, value: object) -> str:
    text = json.dumps(value)
    if name in _RANGES:
        return f"{text} does not fit in a {name[3:]}-bit integer"
    if name == "byte":
        return f"{text} is not base64 (Secret data must be base64-encoded; use stringData for plain text)"
    if name == "quantity":
        return f"{text} is not a quantity (such as 500m, 0.5, 128Mi or 1G)"
    examples = {"date-time": "2024-05-01T12:00:00Z", "date": "2024-05-01", "ipv4": "10.0.0.1", "ipv6": "fd00::1",
                "cidr": "10.0.0.0/16", "mac": "02:42:ac:11:00:02", "uuid": "123e4567-e89b-12d3-a456-426614174000"}
    like = f" (such as {examples[name]})" if name in examples else ""
    return f"{text} is not a valid {name}{like}"


def first_error(schema: dict, instance: object, position: tuple | None, lines: list[str]) -> str | None:
    """The first error of one of kubecheck's own files (config, node inventory) against its
    standalone schema, as ":LINE:COLUMN: message" (just ": message" without positions); None if valid."""
    errors = Validator(schema, lambda name: None, strict=True).errors(instance)
    if not errors:
        return None
    error = errors[0]
    if position is None:
        return f": {error.message}"
    line, column, _ = locate(position, error.path, at=error.at)
    hint = quote_hint(error.instance, lines[line], column) if error.expected == ("string",) else ""
    return f":{line + 1}:{column + 1}: {error.message}{hint}"
