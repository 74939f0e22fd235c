"""Run the enabled rules over the checked files and objects; turn what they report into findings.

Checks report paths inside objects (`kubecheck.rule.Violation`) or positioned problems
(`kubecheck.loader.Problem`); here both become `Finding`s with 1-based lines and columns
(`kubecheck.positions.locate`), the object's reference, a JSON pointer and related locations.
A check that raises becomes an `internal-error` finding naming the rule and the object; every
other rule still runs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kubecheck.findings import Finding, RelatedLocation, json_pointer
from kubecheck.loader import Problem, SourceFile
from kubecheck.objects import K8sObject
from kubecheck.positions import locate
from kubecheck.rule import Rule, RuleContext, Violation, lowered

INTERNAL_ERROR = "internal-error"


@dataclass
class RawFinding:
    """A finding and the object it is about (for annotation suppressions), before filtering."""

    finding: Finding
    obj: K8sObject | None


@dataclass
class _Selection:
    enabled: frozenset  # ids of the rules enabled for the file (`RuleContext.enabled`)
    file_rules: list[Rule]
    for_kind: dict[str, list[Rule]]  # kind -> its object rules, then those of every kind
    for_any_kind: list[Rule]


class Engine:
    def __init__(self, rules: list[Rule], severities: dict[str, str], ctx: RuleContext):
        self.ctx = ctx
        self.rules = rules
        self.severities = severities
        self.suppression_rules = [rule for rule in rules if rule.scope == "suppressions"]
        self._selections: dict[tuple, _Selection] = {}
        self.internal_errors = 0

    def _selection(self, ignored: frozenset, local: bool | None) -> _Selection:
        """The rules a `check_file` runs, by scope and kind; made once per (ignored, local)."""
        key = (ignored, local)
        if key not in self._selections:
            wanted = [rule for rule in self.rules if rule.id not in ignored and rule.family not in ignored]
            chosen = [rule for rule in wanted if local in (None, rule.local)]
            for_kind: dict[str, list[Rule]] = defaultdict(list)
            for_any_kind = [rule for rule in chosen if rule.scope == "object" and rule.kinds is None]
            for rule in chosen:
                if rule.scope == "object" and rule.kinds is not None:
                    for kind in rule.kinds:
                        for_kind[kind].append(rule)
            self._selections[key] = _Selection(frozenset(rule.id for rule in wanted),
                                               [rule for rule in chosen if rule.scope == "file"],
                                               {kind: rules + for_any_kind for kind, rules in for_kind.items()},
                                               for_any_kind)
        return self._selections[key]

    def check_file(self, source: SourceFile, objects: list[K8sObject], ignored: frozenset = frozenset(),
                   local: bool | None = None) -> list[RawFinding]:
        """Findings of the file-scope rules on `source` and of the object rules on its objects.

        `ignored` holds the rules and families that `per-file-ignores` switches off here; `local`
        picks the rules whose findings the cache may keep (True), the others (False) or all.
        """
        selection = self._selection(ignored, local)
        self.ctx.enabled = selection.enabled
        results: list[RawFinding] = []
        single_objects = {obj.document.index: obj for obj in objects if obj.path_in_document == ()}
        for rule in selection.file_rules:
            self._run(rule, source, None, source, results, single_objects)
        for obj in objects:
            for rule in selection.for_kind.get(obj.kind, selection.for_any_kind):
                self._run(rule, obj, obj, source, results, single_objects)
        return results

    def check_suppressions(self, source: SourceFile, suppressions: list) -> list[RawFinding]:
        """Findings of the rules about suppressions, after `check_file` and filtering."""
        results: list[RawFinding] = []
        for rule in self.suppression_rules:
            if rule.id in self.ctx.enabled:
                self._run(rule, suppressions, None, source, results, {})
        return results

    def _run(self, rule: Rule, subject, obj, source, results, single_objects) -> None:
        severity = self.severities.get(rule.id, rule.severity)
        try:
            for reported in rule.check(subject, self.ctx):
                if isinstance(reported, Problem):
                    owner = single_objects.get(reported.document)
                    results.append(RawFinding(_problem_finding(rule.id, severity, source, reported, owner), owner))
                else:
                    target = reported.obj or obj
                    level = lowered(severity) if reported.uncertain else severity
                    results.append(RawFinding(_violation_finding(rule.id, level, target, reported), target))
        except Exception as error:  # a broken rule must not stop the run
            self.internal_errors += 1
            where = obj.describe() if obj is not None else source.path
            message = f"rule {rule.id} failed on {where}: {type(error).__name__}: {error}"
            line, column = (obj.position[0], obj.position[1]) if obj is not None else (0, 0)
            results.append(RawFinding(Finding(INTERNAL_ERROR, "error", message, source.path, line + 1, column + 1,
                                              obj.document.index if obj is not None else None,
                                              obj.reference() if obj is not None else None, None), None))


def _violation_finding(rule_id: str, severity: str, obj: K8sObject, violation: Violation) -> Finding:
    line, column, _ = locate(obj.position, violation.path, violation.at)
    related = tuple(related_location(r.obj, r.path, r.message) for r in violation.related)
    return Finding(rule_id, severity, violation.message, obj.source.path, line + 1, column + 1, obj.document.index,
                   obj.reference(), json_pointer(violation.path), related)


def _problem_finding(rule_id: str, severity: str, source: SourceFile, problem: Problem,
                     owner: K8sObject | None) -> Finding:
    return Finding(rule_id, severity, problem.message, source.path, problem.line + 1, problem.column + 1,
                   problem.document, owner.reference() if owner is not None else None, None)


def related_location(obj: K8sObject, path: tuple = (), message: str = "") -> RelatedLocation:
    line, column, _ = locate(obj.position, path)
    return RelatedLocation(obj.source.path, line + 1, column + 1, obj.reference(), message)
