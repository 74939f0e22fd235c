"""One `kubecheck check`: from paths and settings to a `Report`.

1. collect the checked files and the context files (`kubecheck.collect`);
2. load each file with positions (`kubecheck.loader`) and find its objects (`kubecheck.objects`),
   from the cache, in worker processes or here (`kubecheck.reading`); files in which no document
   has a `kind` are not manifests (Helm values, CI workflows) and are skipped, as are kustomize's
   own files (`kubecheck.kustomize`);
3. index every object, checked and context alike (`kubecheck.index`);
4. run the enabled rules on the checked files and objects (`kubecheck.engine`); the findings of
   the local rules may come from the cache (`kubecheck.cache`);
5. drop findings that `per-file-ignores` or suppressions cover (`kubecheck.suppression`),
   then report unused suppressions;
6. sort: by file, line, column, rule.
"""

from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Callable
from pathlib import Path

from kubecheck import suppression
from kubecheck.cache import Cache, LocalFindings, digest, schema_folders
from kubecheck.collect import PathPatterns, collect, display_path, file_identity
from kubecheck.config import Settings
from kubecheck.engine import Engine
from kubecheck.findings import Finding
from kubecheck.index import ObjectIndex
from kubecheck.inventory import load_inventory
from kubecheck.kustomize import KustomizeLayout, kustomize_layout
from kubecheck.loader import SourceFile
from kubecheck.objects import K8sObject
from kubecheck.pluginmanager import Catalogue
from kubecheck.reading import file_key, read_all
from kubecheck.rule import RuleContext, severity_rank
from kubecheck.schemastore import SchemaStore, newest_version

STDIN = "-"


@dataclass
class Report:
    findings: list[Finding]
    catalogue: Catalogue
    settings: Settings
    sources: dict[str, SourceFile] = field(default_factory=dict)  # checked files by reported path
    files: int = 0
    objects: int = 0
    skipped: list[str] = field(default_factory=list)  # files given that hold no Kubernetes objects
    internal_errors: int = 0

    def counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    @property
    def exit_status(self) -> int:
        if self.internal_errors:
            return 2
        if self.settings.fail_on == "never":
            return 0
        threshold = severity_rank(self.settings.fail_on)
        return 1 if any(severity_rank(f.severity) <= threshold for f in self.findings) else 0


def enabled_rules(catalogue: Catalogue, settings: Settings) -> list:
    """The rules a run uses: `select` (or the default-enabled ones) minus `ignore`."""
    rules = catalogue.rules.values()
    if settings.select is None:
        chosen = [rule for rule in rules if rule.enabled_by_default]
    else:
        wanted = set(settings.select)
        chosen = [rule for rule in rules if rule.id in wanted or (rule.family in wanted and rule.enabled_by_default)]
    ignored = set(settings.ignore)
    return [rule for rule in chosen if rule.id not in ignored and rule.family not in ignored]


@contextmanager
def _no_cyclic_gc():
    """Loading builds millions of small objects; the cyclic GC would rescan them again and again.

    It is switched back on afterwards (if it was on): a caller that keeps running gets its
    collections back. The command line turns it off for its whole short life (`kubecheck.cli`).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class _Plan:
    """The files of one run: checked ones, stdin, context ones, and what kustomize makes of them."""

    targets: list[Path]
    read_stdin: bool
    context: list[Path]
    kustomize: KustomizeLayout
    not_objects: set[str]  # absolute paths of files that are read but hold no objects to check


def _plan(paths: list[str], settings: Settings, stdin_name: str) -> _Plan:
    exclude = PathPatterns(settings.exclude, settings.root)
    targets = collect([p for p in paths if p != STDIN], exclude, settings.force_exclude)
    read_stdin = STDIN in paths and not exclude.matches(Path(stdin_name))
    stdin_path = [Path(stdin_name)] if read_stdin and Path(stdin_name).is_file() else []
    checked = {file_identity(path) for path in targets + stdin_path}  # stdin stands for that file
    context = [path for path in collect(settings.context, exclude) if file_identity(path) not in checked]
    kustomize = kustomize_layout(targets + stdin_path + context)
    return _Plan(targets, read_stdin, context, kustomize, not_objects(settings, kustomize))


def not_objects(settings: Settings, kustomize: KustomizeLayout) -> set[str]:
    """Files that hold no objects to check: kustomize's own (`kubecheck.kustomize`) and the node
    inventory (`kubecheck.inventory`, whose NodeInventory is no Kubernetes kind)."""
    return set(kustomize.not_objects) | {os.path.abspath(path) for path in settings.nodes}


def _inputs(plan: _Plan, stdin_name: str, stdin_bytes: bytes | None, skipped: list[str]):
    """(reported name, bytes, is_context, what kustomize does to its objects) of every file to
    read, checked files first.

    Files that hold no objects (`not_objects`) are not read; checked ones go to `skipped`.
    """
    kustomize = plan.kustomize

    def read(path: Path, is_context: bool):
        absolute = os.path.abspath(path)
        return display_path(path), path.read_bytes(), is_context, kustomize.build_of(absolute)

    for path in plan.targets:
        if os.path.abspath(path) in plan.not_objects:
            skipped.append(display_path(path))
        else:
            yield read(path, False)
    if plan.read_stdin:
        raw = stdin_bytes if stdin_bytes is not None else sys.stdin.buffer.read()
        yield stdin_name, raw, False, kustomize.build_of(stdin_name)
    for path in plan.context:
        if os.path.abspath(path) not in plan.not_objects:
            yield read(path, True)


def check(paths: list[str], settings: Settings, catalogue: Catalogue, *, stdin_name: str = "<stdin>",
          stdin_bytes: bytes | None = None, progress: Callable[[int, int], None] | None = None) -> Report:
    """Check the files under `paths` (`-` for stdin, named `stdin_name`) with the enabled rules;
    `progress(done, total)` hears of each file loaded."""
    report = Report([], catalogue, settings)
    checked: list[tuple[SourceFile, list[K8sObject]]] = []
    everything: list[K8sObject] = []
    plan = _plan(paths, settings, stdin_name)
    cache = Cache(Path(settings.cache_dir)) if settings.cache_dir else None
    with _no_cyclic_gc():
        inputs = list(_inputs(plan, stdin_name, stdin_bytes, report.skipped))
        keys = [file_key(*item, settings.workload_kinds) if cache else None for item in inputs]
        run_key = _run_key(keys, report.skipped, settings, catalogue, plan) if cache else None
        if run_key and _replay(report, cache.get(run_key)):
            return report
        files = read_all(inputs, keys, settings.workload_kinds, cache, settings.jobs, progress)
        for loaded in files:
            if loaded.objects is None:
                if not loaded.is_context:
                    report.skipped.append(loaded.name)
                continue
            everything.extend(loaded.objects)
            if not loaded.is_context:
                checked.append((loaded.source, loaded.objects))
        index = ObjectIndex(everything, settings.namespace, settings.operator_pods, plan.kustomize.generated)
        memo = (LocalFindings(cache, files, everything, settings, enabled_rules(catalogue, settings),
                              catalogue.distributions) if cache else None)
        judge(report, checked, index, schema_store(settings, everything), load_inventory(settings.nodes), memo)
    order = {display_path(path): position for position, path in enumerate(plan.targets)}
    report.skipped.sort(key=lambda name: order.get(name, len(order)))  # as the walk found them
    report.files = len(checked) + len(report.skipped)
    if run_key and not report.internal_errors:
        cache.put(run_key, _recording(report))
    return report


def _run_key(file_keys: list[str], skipped: list[str], settings: Settings, catalogue: Catalogue, plan: _Plan) -> str:
    """What a whole run depends on: every file read (its `file_key`: name, bytes, role, kustomize
    build) and those skipped unread, the settings, the plugins, the node inventory and schema
    folders as they are on disk, what kustomize generates. The same key means the same report,
    which is replayed."""
    inventory = [Path(path).read_bytes() if os.path.isfile(path) else path for path in settings.nodes]
    return digest("run", file_keys, skipped, replace(settings, jobs=1, cache_dir="", workload_kinds=sorted(settings.workload_kinds)),
                  catalogue.distributions, inventory, schema_folders(settings.schema_dirs),
                  sorted(plan.kustomize.generated))


def _recording(report: Report) -> dict:
    """What replays a report: its findings and counts, and the text of the files with findings
    (the text format shows their lines); other checked files by name only."""
    with_findings = {finding.file for finding in report.findings}
    return {"findings": report.findings, "skipped": report.skipped, "files": report.files, "objects": report.objects,
            "sources": {path: source.text if path in with_findings else "" for path, source in report.sources.items()}}


def _replay(report: Report, recording) -> bool:
    """Fill `report` from a recording; False (and `report` untouched) for one that is not whole."""
    try:
        findings, skipped = list(recording["findings"]), list(recording["skipped"])
        files, objects = int(recording["files"]), int(recording["objects"])
        sources = {path: SourceFile(path, text) for path, text in recording["sources"].items()}
    except (TypeError, KeyError, ValueError, AttributeError):
        return False
    if not all(isinstance(finding, Finding) for finding in findings):
        return False
    report.findings, report.skipped, report.files, report.objects, report.sources = \
        findings, skipped, files, objects, sources
    return True


def schema_store(settings: Settings, everything: list[K8sObject]) -> SchemaStore:
    """The schemas of a run: the target version's, the CRDs among the objects, the schema folders."""
    crds = [obj for obj in everything if (obj.group, obj.kind) == ("apiextensions.k8s.io", "CustomResourceDefinition")]
    return SchemaStore(settings.kubernetes_version or newest_version(), settings.strict, crds, settings.schema_dirs)


def judge(report: Report, checked: list[tuple[SourceFile, list[K8sObject]]], index: ObjectIndex,
          schemas: SchemaStore, inventory, memo: LocalFindings | None = None) -> None:
    """Steps 4 to 6: the findings on the checked files, suppressions applied, sorted, into `report`.

    `index` holds every object, checked and context alike; the language server
    (`kubecheck.workspace`) calls this with the objects it keeps between checks. The local
    rules' findings come from `memo` (the cache) when it has them; they run first either way,
    so the order of findings does not depend on the cache.
    """
    settings, catalogue = report.settings, report.catalogue
    engine = Engine(enabled_rules(catalogue, settings), settings.severity,
                    RuleContext(index, settings, schemas, catalogue.rules, inventory))
    families = {rule.id: rule.family for rule in catalogue.rules.values()}
    ignores_for = _per_file_ignores(settings)
    for source, objects in checked:
        ignored = ignores_for(source.path)
        local = memo.get(source, objects) if memo is not None else None
        if local is None:
            errors = engine.internal_errors
            local = engine.check_file(source, objects, local=True)
            if memo is not None and engine.internal_errors == errors:  # a rule that failed is not remembered
                memo.put(source, objects, local)
        raw = [item for item in local if item.finding.rule not in ignored
               and families.get(item.finding.rule) not in ignored]
        raw += engine.check_file(source, objects, ignored, local=False)
        suppressions = suppression.suppressions_of(source, objects)
        kept = suppression.apply(raw, suppressions, families)
        if suppressions:
            kept += engine.check_suppressions(source, suppressions)
        report.findings.extend(item.finding for item in kept)
        report.sources[source.path] = source
        report.objects += len(objects)
    report.internal_errors = engine.internal_errors
    report.findings.sort(key=Finding.sort_key)


def _per_file_ignores(settings: Settings):
    """path -> set of rules and families `per-file-ignores` switches off for that file."""
    patterns = [(PathPatterns([pattern], settings.root), frozenset(rules))
                for pattern, rules in settings.per_file_ignores.items()]

    def ignored(path: str) -> frozenset:
        return frozenset().union(*(rules for matcher, rules in patterns if matcher.matches(Path(path))))

    return ignored
