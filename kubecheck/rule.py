"""What a rule is, and what its check reports.

A rule (built-in or from a plugin) is a `Rule` record: identity, documentation, examples and
a `check` function. Checks know nothing about files or positions: an object check receives
one object and the run's context and yields `Violation`s that name a path inside the object;
the engine turns paths into lines and columns.

Scopes (`Rule.scope`):

- ``"object"``: ``check(obj, ctx)`` for every checked object (of `kinds`, when given);
- ``"file"``: ``check(source, ctx)`` for every checked file; yields `kubecheck.loader.Problem`s
  (already positioned) or Violations with ``obj`` set;
- ``"suppressions"``: ``check(suppressions, ctx)`` once per checked file after suppression
  comments and annotations were applied (`kubecheck.suppression`).

`ctx` is a `RuleContext`: the run's `ObjectIndex` (`ctx.index`), settings (`ctx.settings`) and
`SchemaStore` (`ctx.schemas`, the schemas of the target Kubernetes version) and the node inventory
(`ctx.nodes`, a `kubecheck.inventory.Inventory`, or None without `--nodes`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

SEVERITIES = ("error", "warning", "info")
SCOPES = ("object", "file", "suppressions")
RULE_ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")


def severity_rank(severity: str) -> int:
    """0 for error, 1 for warning, 2 for info: lower is more severe."""
    return SEVERITIES.index(severity)


def lowered(severity: str) -> str:
    """The next severity down (info stays info)."""
    return SEVERITIES[min(severity_rank(severity) + 1, len(SEVERITIES) - 1)]


@dataclass(frozen=True)
class Related:
    """Another object involved in a finding, and the path inside it worth looking at."""

    obj: object  # a K8sObject
    path: tuple = ()
    message: str = ""


@dataclass(frozen=True)
class Violation:
    """One thing wrong, at `path` inside the object being checked.

    `at="key"` reports the key of the last path step (the field), `at="value"` its value.
    File-scope checks set `obj` to say which object the path belongs to. `uncertain` marks a
    finding that what kubecheck cannot see may make wrong (pods an operator creates from a
    custom resource): it is reported one severity level lower than the rule's.
    """

    path: tuple
    message: str
    related: tuple[Related, ...] = ()
    at: str = "key"
    obj: object = None
    uncertain: bool = False


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    severity: str
    summary: str
    rationale: str
    fail_example: str
    pass_example: str
    check: Callable[..., Iterable]
    scope: str = "object"
    kinds: frozenset | None = None  # object kinds the check looks at; None for all
    enabled_by_default: bool = True
    # Whether its findings on a file depend only on that file, the settings and the schemas (the
    # run's CRDs included), never on other files' objects: the cache keeps them (`kubecheck.cache`).
    local: bool = False
    example_settings: dict = field(default_factory=dict, compare=False)  # Settings the examples assume
    plugin: str = field(default="", compare=False)  # filled in when the rule is registered

    def __post_init__(self):
        if not RULE_ID.match(self.id):
            raise ValueError(f"rule id {self.id!r} must be kebab-case, like 'orphan-service'")
        if self.severity not in SEVERITIES:
            raise ValueError(f"rule {self.id}: severity must be one of {SEVERITIES}")
        if self.scope not in SCOPES:
            raise ValueError(f"rule {self.id}: scope must be one of {SCOPES}")
        if self.kinds is not None:
            object.__setattr__(self, "kinds", frozenset(self.kinds))


@dataclass
class RuleContext:
    """What every check may consult besides its own object."""

    index: object  # kubecheck.index.ObjectIndex
    settings: object  # kubecheck.config.Settings
    schemas: object = None  # kubecheck.schemastore.SchemaStore
    rules: dict = field(default_factory=dict)  # every known rule by id, enabled or not
    nodes: object = None  # kubecheck.inventory.Inventory from --nodes, or None
    enabled: frozenset = frozenset()  # ids of the rules enabled for the file being checked
