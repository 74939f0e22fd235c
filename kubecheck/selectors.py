"""Label selectors with the API server's semantics.

A `metav1.LabelSelector` selects labels that satisfy every `matchLabels` pair and every
`matchExpressions` requirement (`In`, `NotIn`, `Exists`, `DoesNotExist`); an empty selector
({}) selects everything and an absent one nothing. Services and ReplicationControllers use a
plain map, which is `matchLabels` alone.

Labels can be checked against a pod template's labels plus the labels its controller adds at
run time (`kubecheck.kinds`), whose values may be patterns: a requirement is then met when
some value the pattern allows would meet it. That makes `matches` answer "could select",
which is what rules that report a missing match need to stay free of false alarms. Rules that
report an unwanted match (two controllers or two budgets over the same pods) ask
`matches(..., certain=True)` instead: "selects, whatever values the patterns take".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
_NO_RUNTIME: Mapping = {}


class SelectorError(ValueError):
    """A selector the API server would reject, with the path (inside the selector) to blame.

    `wrong_type` is true when a value has the wrong JSON type, which schema validation
    reports; false when the selector is well-typed but still invalid (an unknown operator,
    `In` without values), which only the API server's validation catches.
    """

    def __init__(self, message: str, path: tuple = (), wrong_type: bool = True):
        super().__init__(message)
        self.path = path
        self.wrong_type = wrong_type


@dataclass(frozen=True)
class Requirement:
    key: str
    operator: str
    values: tuple = ()

    def __str__(self) -> str:
        if self.operator == "Exists":
            return self.key
        if self.operator == "DoesNotExist":
            return f"!{self.key}"
        word = "in" if self.operator == "In" else "notin"
        return f"{self.key} {word} ({','.join(self.values)})"


@dataclass(frozen=True)
class Selector:
    match_labels: Mapping[str, str] = field(default_factory=dict)
    requirements: tuple = ()

    @classmethod
    def from_label_selector(cls, data: object) -> Selector:
        """Parse a metav1.LabelSelector; raises SelectorError for what the API server rejects.

        Values of the wrong JSON type raise too; callers that leave type errors to schema
        validation check `is_well_typed` first.
        """
        if not isinstance(data, dict):
            raise SelectorError("a label selector must be a mapping")
        match_labels = data.get("matchLabels") or {}
        if not isinstance(match_labels, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in match_labels.items()
        ):
            raise SelectorError("matchLabels must map label names to strings", ("matchLabels",))
        requirements = []
        expressions = data.get("matchExpressions") or []
        if not isinstance(expressions, list):
            raise SelectorError("matchExpressions must be a list", ("matchExpressions",))
        for index, expression in enumerate(expressions):
            requirements.append(_requirement(expression, ("matchExpressions", index)))
        return cls(dict(match_labels), tuple(requirements))

    @classmethod
    def from_map(cls, data: object) -> Selector:
        """Parse a Service's or ReplicationController's plain selector map."""
        if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
            raise SelectorError("a selector must map label names to strings")
        return cls(dict(data))

    @property
    def is_empty(self) -> bool:
        """An empty selector selects every pod."""
        return not self.match_labels and not self.requirements

    def matches(self, labels: Mapping[str, str], runtime: Mapping = _NO_RUNTIME, certain: bool = False) -> bool:
        """Whether pods with `labels` (plus `runtime` labels, fixed or patterns) may be selected;
        with `certain`, whether they are selected whatever values the patterns take."""
        equal = _certainly_equal if certain else _can_equal
        for key, value in self.match_labels.items():
            if not equal(labels, runtime, key, value):
                return False
        for requirement in self.requirements:
            key, operator = requirement.key, requirement.operator
            if operator == "In":
                if not any(equal(labels, runtime, key, value) for value in requirement.values):
                    return False
            elif operator == "NotIn":
                if key not in runtime and labels.get(key) in requirement.values:
                    return False
                fixed = runtime.get(key)
                if isinstance(fixed, str) and fixed in requirement.values:
                    return False
                if certain and key in runtime and not isinstance(fixed, str):
                    return False  # a pattern may take one of the values
            elif operator == "Exists":
                if key not in labels and key not in runtime:
                    return False
            elif key in labels or key in runtime:  # DoesNotExist
                return False
        return True

    def missing(self, labels: Mapping[str, str], runtime: Mapping = _NO_RUNTIME) -> list[str]:
        """The parts of this selector that `labels` do not satisfy, written as kubectl does."""
        parts = [f"{key}={value}" for key, value in self.match_labels.items()
                 if not _can_equal(labels, runtime, key, value)]
        parts += [str(requirement) for requirement in self.requirements
                  if not Selector(requirements=(requirement,)).matches(labels, runtime)]
        return parts

    def __str__(self) -> str:
        parts = [f"{key}={value}" for key, value in self.match_labels.items()]
        return ",".join(parts + [str(requirement) for requirement in self.requirements])


def budget_selector(api_version: str, data: object) -> Selector | None:
    """The pods a PodDisruptionBudget covers: None when it selects none. A null selector
    selects no pods; an empty one ({}) every pod of the namespace in policy/v1, none in
    policy/v1beta1. Raises SelectorError as `Selector.from_label_selector` does."""
    if data is None:
        return None
    selector = Selector.from_label_selector(data)
    if selector.is_empty and api_version != "policy/v1":
        return None
    return selector


def _certainly_equal(labels: Mapping[str, str], runtime: Mapping, key: str, value: str) -> bool:
    allowed = runtime.get(key)
    if allowed is None:
        return labels.get(key) == value
    return allowed == value  # a pattern is never certainly equal to one value


def _can_equal(labels: Mapping[str, str], runtime: Mapping, key: str, value: str) -> bool:
    allowed = runtime.get(key)
    if allowed is None:
        return labels.get(key) == value
    if isinstance(allowed, str):
        return allowed == value
    return allowed.match(value) is not None


def _requirement(expression: object, path: tuple) -> Requirement:
    if not isinstance(expression, dict):
        raise SelectorError("a selector requirement must be a mapping", path)
    key = expression.get("key")
    operator = expression.get("operator")
    values = expression.get("values") or []
    if not isinstance(key, str) or not key:
        raise SelectorError("a selector requirement needs a key", path + ("key",))
    if operator not in OPERATORS:
        raise SelectorError(f"operator {operator!r} is not one of {', '.join(OPERATORS)}", path + ("operator",),
                            wrong_type=not isinstance(operator, str))
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise SelectorError("values must be a list of strings", path + ("values",))
    if operator in ("In", "NotIn") and not values:
        raise SelectorError(f"operator {operator} needs at least one value", path + ("values",), wrong_type=False)
    if operator in ("Exists", "DoesNotExist") and values:
        raise SelectorError(f"operator {operator} takes no values", path + ("values",), wrong_type=False)
    return Requirement(key, operator, tuple(values))
