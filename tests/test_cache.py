"""The cache for re-runs (`kubecheck.cache`): entries that cannot be trusted are ignored, and a
run with a cache reports exactly what a run without one reports: cold, warm (the whole report
replayed), and half warm (loaded files and local rules' findings from the cache, the other
rules run again), whatever changed in between.

The comparisons run on a small repository written here (`REPOSITORY`) that holds something for
every local rule and for the cross-object rules around them; `test_jobs.py` reuses it.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import pickle
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import WEB_DEPLOYMENT, WEB_SERVICE, crd, render

import kubecheck.cache
import kubecheck.reading
from kubecheck import __version__
from kubecheck.cache import Cache, default_directory, digest
from kubecheck.cli import main
from kubecheck.config import load_settings
from kubecheck.engine import Engine
from kubecheck.pluginmanager import Catalogue
from kubecheck.run import check

KUBECHECK = Path(sys.executable).parent / "kubecheck"

#: The rules whose findings the cache keeps (`Rule.local`).
LOCAL_RULES = {"yaml-syntax", "duplicate-key", "not-an-object", "schema", "unknown-kind", "deprecated-api",
               "removed-api", "selector-mismatch", "toleration-invalid"}

WIDGET_CRD = crd("Widget", """
    type: object
    properties:
      spec:
        type: object
        properties:
          size: {type: integer, minimum: 1}
          color: {type: string}
""")

SUPPRESSED = """\
apiVersion: v1
kind: Service
metadata:
  name: quiet
spec:
  selector:  # kubecheck: ignore[orphan-service]
    app: quiet
  ports:
    - port: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings  # kubecheck: ignore[orphan-service]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: hushed
  annotations: {kubecheck.io/ignore: schema}
spec:
  replicas: many
  selector: {matchLabels: {app: hushed}}
  template:
    metadata: {labels: {app: hushed}}
    spec: {containers: [{name: hushed, image: "hushed:1"}]}
"""

#: A repository with something for each local rule and for the cross-object rules around them.
REPOSITORY = {
    ".kubecheck.yaml": 'per-file-ignores: {"legacy/*.yaml": [duplicate-key, orphan-service]}\n',
    "app/deployment.yaml": WEB_DEPLOYMENT,
    "app/service.yaml": WEB_SERVICE,
    "app/lonely.yaml": WEB_SERVICE.replace("web", "lonely"),
    "broken/selector.yaml": WEB_DEPLOYMENT.replace("web", "broken").replace("labels:\n        app: broken",
                                                                            "labels:\n        app: frontend"),
    "broken/schema.yaml": WEB_DEPLOYMENT.replace("web", "three").replace("spec:\n  selector",
                                                                         "spec:\n  replicas: three\n  selector"),
    "broken/typo.yaml": "apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: typo}\n",
    "broken/toleration.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: agent}\nspec:\n  tolerations:\n"
                              "    - {key: dedicated, operator: Exists, value: gpu}\n"
                              "  containers: [{name: agent, image: \"agent:1.0\"}]\n",
    "api/flowschema.yaml": "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\n"
                           "metadata: {name: batch}\nspec:\n  priorityLevelConfiguration: {name: workload-low}\n",
    "api/cronjob.yaml": "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n"
                        "  schedule: \"0 3 * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
                        "          restartPolicy: OnFailure\n"
                        "          containers: [{name: backup, image: \"busybox:1.36\"}]\n",
    "crds/widget.yaml": WIDGET_CRD,
    "widgets/small.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: small}\n"
                          "spec: {size: two, colour: red}\n",
    "input/duplicate.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n",
    "input/syntax.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\ndata:\n  mode: \"fast\n",
    "input/list.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: listed}\n---\n- leftover\n",
    "legacy/duplicate.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\n  name: older\n",
    "legacy/orphan.yaml": WEB_SERVICE.replace("web", "legacy"),
    "suppressed.yaml": SUPPRESSED,
    "shop/kustomization.yaml": "namespace: shop\ncommonLabels: {team: shop}\n"
                               "resources: [deployment.yaml, service.yaml]\n",
    "shop/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cart}\nspec:\n  template:\n"
                            "    metadata: {labels: {app: cart}}\n"
                            "    spec: {containers: [{name: cart, image: \"cart:1\"}]}\n",
    "shop/service.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: till}\nspec:\n  selector: {app: till}\n"
                         "  ports: [{port: 80}]\n",
    "chart/values.yaml": "replicaCount: 2\nimage: {repository: nginx}\n",
}

#: (rule, file, line, column, namespace of the object) of the repository's findings without a cache.
REPOSITORY_FINDINGS = [
    ("removed-api", "api/cronjob.yaml", 1, 13, "default"),
    ("removed-api", "api/flowschema.yaml", 1, 13, None),
    ("orphan-service", "app/lonely.yaml", 6, 3, "default"),
    ("schema", "broken/schema.yaml", 6, 13, "default"),
    ("selector-mismatch", "broken/selector.yaml", 6, 3, "default"),
    ("toleration-invalid", "broken/toleration.yaml", 6, 49, "default"),
    ("unknown-kind", "broken/typo.yaml", 2, 7, "default"),
    ("duplicate-key", "input/duplicate.yaml", 5, 3, "default"),
    ("not-an-object", "input/list.yaml", 5, 1, None),
    ("yaml-syntax", "input/syntax.yaml", 7, 1, None),
    ("orphan-service", "shop/service.yaml", 5, 3, "shop"),
    ("unused-suppression", "suppressed.yaml", 14, 19, None),
    ("schema", "widgets/small.yaml", 4, 14, "default"),
    ("schema", "widgets/small.yaml", 4, 19, "default"),
]


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def outcome(report) -> tuple:
    """Everything a run reports, comparable with ==."""
    return [f.to_dict() for f in report.findings], report.skipped, report.files, report.objects, report.exit_status


def lint_repository(catalogue, cache: Path | None = None, *, paths=(".",), jobs: int = 1, **options):
    """Check the working directory's repository with its config, the cache at `cache` (None: none)."""
    settings = replace(load_settings(Path(".kubecheck.yaml")), cache_dir=str(cache) if cache else None, jobs=jobs,
                       **options)
    return check(list(paths), settings, catalogue)


def same_as_uncached(catalogue, cache: Path, *, replayed: bool | None = None, **options):
    """The report of a run with the cache, after checking that it is what a run without says.

    `replayed`: whether the run must have been replayed whole (True), must not have been
    (False), or either (None)."""
    before = {path: path.read_bytes() for path in entries(cache)}
    cached = lint_repository(catalogue, cache, **options)
    assert outcome(cached) == outcome(lint_repository(catalogue, None, **options))
    if replayed is not None:
        assert (before == {path: path.read_bytes() for path in entries(cache)}) is replayed
    return cached


def entries(directory: Path) -> list[Path]:
    return sorted(path for path in directory.rglob("*") if path.is_file()) if directory.exists() else []


def run_records(directory: Path) -> list[Path]:
    """The entries that replay a whole run (a report's findings and counts)."""
    cache = Cache(directory)
    return [path for path in entries(directory) if isinstance(cache.get(path.parent.name + path.name), dict)]


def snapshot(directory: Path) -> dict:
    """Each entry's bytes; a recorded run's value (its pickle depends on which objects it shares)."""
    cache = Cache(directory)
    found = {}
    for path in entries(directory):
        value = cache.get(path.parent.name + path.name)
        found[path] = value if isinstance(value, dict) else path.read_bytes()
    return found


def forget_runs(directory: Path) -> None:
    """Remove the recorded runs: the next run takes files and local findings from the cache."""
    for path in run_records(directory):
        path.unlink()


@pytest.fixture
def repository(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    write_tree(root, REPOSITORY)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def cache_dir(tmp_path):
    return tmp_path / "cache"


@pytest.fixture
def rule_runs(monkeypatch):
    """(rule, file) of every check the engine runs."""
    runs = []
    original = Engine._run

    def counting(self, rule, subject, obj, source, results, single_objects):
        runs.append((rule.id, source.path))
        return original(self, rule, subject, obj, source, results, single_objects)

    monkeypatch.setattr(Engine, "_run", counting)
    return runs


def local_runs(runs) -> set[tuple]:
    return {(rule, path) for rule, path in runs if rule in LOCAL_RULES}


# --- Cache: entries ------------------------------------------------------------------------


KEY = hashlib.sha256(b"a key").hexdigest()


def sealed(payload: bytes, key: str = KEY) -> bytes:
    """An entry as the cache writes it: the digest of its key and payload, then the payload."""
    return hashlib.sha256(key.encode() + b"\0" + payload).digest() + payload


def test_the_local_rules_are_the_documented_ones(catalogue):
    assert {rule.id for rule in catalogue.rules.values() if rule.local} == LOCAL_RULES


def test_an_entry_round_trips_and_is_its_payloads_digest_then_the_payload(tmp_path):
    cache = Cache(tmp_path / "c")
    value = {"name": "web", "items": [1, 2.5, None, ("a", b"b")], "nested": {"x": frozenset({3})}}
    assert cache.get(KEY) is None
    cache.put(KEY, value)
    assert cache.get(KEY) == value
    path = tmp_path / "c" / KEY[:2] / KEY[2:]
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    assert path.read_bytes() == sealed(payload)
    assert entries(tmp_path / "c") == [path]
    cache.put(KEY, "second")
    assert cache.get(KEY) == "second"
    assert entries(tmp_path / "c") == [path]


def test_put_stores_the_pickle_it_is_given(tmp_path):
    cache = Cache(tmp_path)
    cache.put(KEY, "not this", pickled=pickle.dumps(["this"]))
    assert cache.get(KEY) == ["this"]


def test_a_value_that_does_not_pickle_is_not_stored(tmp_path):
    cache = Cache(tmp_path / "c")
    cache.put(KEY, lambda: None)
    assert cache.get(KEY) is None
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize("damage", [
    pytest.param(lambda blob: blob[:40] + bytes([blob[40] ^ 0x01]) + blob[41:], id="flipped-payload-byte"),
    pytest.param(lambda blob: bytes([blob[0] ^ 0x80]) + blob[1:], id="flipped-digest-byte"),
    pytest.param(lambda blob: blob[:-1], id="truncated-by-one"),
    pytest.param(lambda blob: blob[:len(blob) // 2], id="truncated-by-half"),
    pytest.param(lambda blob: blob[:32], id="digest-only"),
    pytest.param(lambda blob: blob[:10], id="shorter-than-a-digest"),
    pytest.param(lambda blob: b"", id="empty"),
    pytest.param(lambda blob: bytes(range(256)) * 4, id="garbage"),
    pytest.param(lambda blob: blob + b"\x00", id="trailing-byte"),
    pytest.param(lambda blob: sealed(b""), id="digest-of-nothing"),
    pytest.param(lambda blob: sealed(b"not a pickle"), id="digest-of-no-pickle"),
    pytest.param(lambda blob: sealed(b"\x80\x05K"), id="digest-of-half-a-pickle"),
    pytest.param(lambda blob: sealed(b"cno_such_module_here\nThing\n)\x81."), id="digest-of-a-pickle-of-a-missing-class"),
    pytest.param(lambda blob: sealed(blob[32:], key="another key"), id="an-entry-of-another-key"),
])
def test_an_entry_that_cannot_be_trusted_is_ignored_and_written_again(tmp_path, damage):
    cache = Cache(tmp_path)
    cache.put(KEY, {"value": list(range(20))})
    path = tmp_path / KEY[:2] / KEY[2:]
    path.write_bytes(damage(path.read_bytes()))
    assert cache.get(KEY) is None
    cache.put(KEY, {"value": [1]})
    assert cache.get(KEY) == {"value": [1]}


def test_an_entry_that_is_a_folder_is_ignored_and_not_replaced(tmp_path):
    (tmp_path / KEY[:2] / KEY[2:]).mkdir(parents=True)
    cache = Cache(tmp_path)
    assert cache.get(KEY) is None
    cache.put(KEY, "value")
    assert cache.get(KEY) is None
    assert [path.name for path in (tmp_path / KEY[:2]).iterdir()] == [KEY[2:]]  # no temporary file left


@pytest.mark.parametrize("where", ["cache-is-a-file", "subfolder-is-a-file", "under-a-file"])
def test_a_cache_that_cannot_be_written_is_left_alone(tmp_path, where):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file\n")
    directory = {"cache-is-a-file": blocker, "subfolder-is-a-file": tmp_path / "c",
                 "under-a-file": blocker / "deeper"}[where]
    if where == "subfolder-is-a-file":
        directory.mkdir()
        (directory / KEY[:2]).write_text("a file\n")
    cache = Cache(directory)
    cache.put(KEY, "value")
    cache.put(KEY, "value", pickled=pickle.dumps("value"))
    assert cache.get(KEY) is None
    assert blocker.read_text() == "a file\n"
    assert sorted(path.name for path in tmp_path.rglob("*")) == sorted(
        ["blocker"] + (["c", KEY[:2]] if where == "subfolder-is-a-file" else []))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_is_left_alone(tmp_path):
    (tmp_path / "c").mkdir(mode=0o500)
    try:
        Cache(tmp_path / "c").put(KEY, "value")
        assert list((tmp_path / "c").iterdir()) == []
    finally:
        (tmp_path / "c").chmod(0o700)


SHARED_KEY = hashlib.sha256(b"shared").hexdigest()
SHARED_VALUE = {"shared": list(range(2000))}


def _writer(directory: str, number: int, rounds: int) -> None:
    """Put one shared key and keys of its own, reading them back each time (runs in a child)."""
    cache = Cache(Path(directory))
    for round_ in range(rounds):
        cache.put(SHARED_KEY, SHARED_VALUE)
        own = hashlib.sha256(f"{number}-{round_ % 10}".encode()).hexdigest()
        cache.put(own, (number, round_ % 10, "x" * 5000))
        assert cache.get(SHARED_KEY) == SHARED_VALUE
        assert cache.get(own) == (number, round_ % 10, "x" * 5000)


def test_concurrent_writers_leave_only_whole_entries(tmp_path):
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    workers = [context.Process(target=_writer, args=(str(tmp_path), number, 60)) for number in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0] * 6
    cache = Cache(tmp_path)
    found = entries(tmp_path)
    assert [path for path in found if path.name.startswith(".tmp-")] == []
    assert len(found) == 1 + 6 * 10
    assert [path for path in found if cache.get(path.parent.name + path.name) is None] == []
    assert cache.get(SHARED_KEY) == SHARED_VALUE
    assert cache.get(hashlib.sha256(b"3-7").hexdigest()) == (3, 7, "x" * 5000)


def test_keys_depend_on_every_part_its_boundaries_and_kubechecks_code(monkeypatch):
    key = digest("file", "a.yaml", b"bytes", False)
    assert len(key) == 64 and int(key, 16) >= 0
    assert digest("file", "a.yaml", b"bytes", False) == key
    assert len({key, digest("file", "a.yaml", b"bytes", True), digest("file", "b.yaml", b"bytes", False),
                digest("file", "a.yaml", b"byte", False), digest("filea.yaml", b"bytes", False),
                digest("file", "a.yaml", b"bytes"), digest(b"file", "a.yaml", b"bytes", False)}) == 7
    assert digest("ab", "c") != digest("a", "bc")
    assert kubecheck.cache._code().split(b"\n")[0] == __version__.encode()
    monkeypatch.setattr(kubecheck.cache, "_code", lambda: __version__.encode() + b"\nchanged")
    assert digest("file", "a.yaml", b"bytes", False) != key


def test_the_default_directory_follows_xdg_cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_directory() == tmp_path / "xdg" / "kubecheck"
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_directory() == tmp_path / "home" / ".cache" / "kubecheck"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_directory() == tmp_path / "home" / ".cache" / "kubecheck"


# --- runs with a cache report what runs without one report ----------------------------------

#: Entries a run of the repository writes: one per file read (20: kustomization.yaml is not read),
#: one per checked manifest's local findings (19: chart/values.yaml holds no objects), one run.
REPOSITORY_ENTRIES = 20 + 19 + 1


def test_the_repository_without_a_cache(repository, catalogue):
    report = lint_repository(catalogue)
    assert [(f.rule, f.file, f.line, f.column, (f.object or {}).get("namespace")) for f in report.findings] \
        == REPOSITORY_FINDINGS
    assert report.skipped == ["chart/values.yaml", "shop/kustomization.yaml"]
    assert (report.files, report.objects, report.exit_status, report.internal_errors) == (21, 20, 1, 0)


def test_no_cache_cold_warm_and_half_warm_runs_report_the_same(repository, catalogue, cache_dir):
    uncached = outcome(lint_repository(catalogue))
    assert outcome(lint_repository(catalogue, cache_dir)) == uncached
    written = {path: path.read_bytes() for path in entries(cache_dir)}
    assert len(written) == REPOSITORY_ENTRIES
    assert len(run_records(cache_dir)) == 1
    recorded = snapshot(cache_dir)
    assert outcome(lint_repository(catalogue, cache_dir)) == uncached  # replayed
    assert outcome(lint_repository(catalogue, cache_dir)) == uncached
    assert {path: path.read_bytes() for path in entries(cache_dir)} == written  # replays write nothing
    forget_runs(cache_dir)
    assert outcome(lint_repository(catalogue, cache_dir)) == uncached  # files and local findings from the cache
    assert snapshot(cache_dir) == recorded  # the same run recorded again
    forget_runs(cache_dir)
    assert outcome(lint_repository(catalogue, cache_dir)) == uncached


def test_every_output_format_is_the_same_from_the_cache(repository, catalogue, cache_dir):
    def outputs(report):
        return {name: render(catalogue, report, name) for name in sorted(catalogue.reporters)}

    uncached = outputs(lint_repository(catalogue))
    assert set(uncached) >= {"text", "json", "sarif", "github", "junit"}
    assert outputs(lint_repository(catalogue, cache_dir)) == uncached
    assert outputs(lint_repository(catalogue, cache_dir)) == uncached
    forget_runs(cache_dir)
    assert outputs(lint_repository(catalogue, cache_dir)) == uncached


def test_an_empty_cache_dir_setting_means_no_cache(repository, catalogue, tmp_path):
    before = sorted(tmp_path.rglob("*"))
    settings = replace(load_settings(Path(".kubecheck.yaml")), cache_dir="")
    assert outcome(check(["."], settings, catalogue)) == outcome(lint_repository(catalogue))
    assert sorted(tmp_path.rglob("*")) == before


@pytest.fixture
def no_loading(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a warm run loads YAML")

    def start():
        for name in ("load", "load_bytes", "objects_of"):
            monkeypatch.setattr(kubecheck.reading, name, refuse)

    return start


def test_a_warm_run_loads_no_yaml_and_runs_no_rule(repository, catalogue, cache_dir, rule_runs, no_loading):
    expected = outcome(lint_repository(catalogue, cache_dir))
    assert ("schema", "widgets/small.yaml") in rule_runs
    no_loading()
    rule_runs.clear()
    assert outcome(lint_repository(catalogue, cache_dir)) == expected
    assert rule_runs == []


def test_a_half_warm_run_loads_no_yaml_and_runs_only_the_other_rules(repository, catalogue, cache_dir, rule_runs,
                                                                      no_loading):
    expected = outcome(lint_repository(catalogue, cache_dir))
    assert local_runs(rule_runs) >= {("schema", "widgets/small.yaml"), ("yaml-syntax", "input/syntax.yaml")}
    forget_runs(cache_dir)
    no_loading()
    rule_runs.clear()
    assert outcome(lint_repository(catalogue, cache_dir)) == expected
    assert local_runs(rule_runs) == set()
    assert {"orphan-service", "selector-overlap", "unused-suppression", "duplicate-object"} <= {r for r, _ in rule_runs}
    assert ("unused-suppression", "suppressed.yaml") in rule_runs
    assert ("orphan-service", "app/lonely.yaml") in rule_runs
    rule_runs.clear()
    never = outcome(lint_repository(catalogue, cache_dir, fail_on="never"))  # another run, the same local findings
    assert never == (*expected[:4], 0)
    assert local_runs(rule_runs) == set()
    assert ("orphan-service", "app/lonely.yaml") in rule_runs


def test_an_edited_file_is_read_and_judged_again_alone(repository, catalogue, cache_dir, rule_runs):
    lint_repository(catalogue, cache_dir)
    Path("app/lonely.yaml").write_text(WEB_SERVICE.replace("web", "lonely").replace("port: 80", "port: eighty"))
    rule_runs.clear()
    report = lint_repository(catalogue, cache_dir)
    assert {path for _, path in local_runs(rule_runs)} == {"app/lonely.yaml"}
    assert outcome(report) == outcome(lint_repository(catalogue))
    assert [(f.rule, f.line, f.column) for f in report.findings if f.file == "app/lonely.yaml"] == [
        ("orphan-service", 6, 3), ("schema", 9, 13)]
    Path("app/lonely.yaml").write_text(REPOSITORY["app/lonely.yaml"])  # back as it was: all from the cache
    rule_runs.clear()
    assert outcome(same_as_uncached(catalogue, cache_dir, replayed=True)) == outcome(lint_repository(catalogue))


def widget_findings(report) -> list[tuple]:
    return [(f.rule, f.column, f.message) for f in report.findings if f.file == "widgets/small.yaml"]


WIDGET_SCHEMA_FINDINGS = [("schema", 14, 'spec.size: expected integer, got string "two"'),
                          ("schema", 19, 'unknown field "colour" in Widget.spec; did you mean "color"?')]


def test_a_changed_crd_changes_the_findings_of_custom_resources_in_other_files(repository, catalogue, cache_dir):
    assert widget_findings(same_as_uncached(catalogue, cache_dir)) == WIDGET_SCHEMA_FINDINGS
    Path("crds/widget.yaml").write_text(WIDGET_CRD.replace("size: {type: integer, minimum: 1}", "size: {type: string}")
                                        .replace("color:", "colour:"))
    assert widget_findings(same_as_uncached(catalogue, cache_dir, replayed=False)) == []
    Path("crds/widget.yaml").write_text(WIDGET_CRD.replace("scope: Namespaced", "scope: Cluster"))
    report = same_as_uncached(catalogue, cache_dir, replayed=False)
    assert widget_findings(report) == WIDGET_SCHEMA_FINDINGS
    assert [f.object["namespace"] for f in report.findings if f.file == "widgets/small.yaml"] == [None, None]
    Path("crds/widget.yaml").unlink()
    assert [rule for rule, _, _ in widget_findings(same_as_uncached(catalogue, cache_dir, replayed=False))] == [
        "unknown-kind"]
    Path("crds/widget.yaml").write_text(WIDGET_CRD)
    assert widget_findings(same_as_uncached(catalogue, cache_dir, replayed=True)) == WIDGET_SCHEMA_FINDINGS


def test_a_crd_in_context_counts_like_a_checked_one(repository, catalogue, cache_dir):
    Path("crds/widget.yaml").rename(repository.parent / "widget-crd.yaml")
    context = (str(repository.parent / "widget-crd.yaml"),)
    report = same_as_uncached(catalogue, cache_dir, context=context)
    assert widget_findings(report) == WIDGET_SCHEMA_FINDINGS
    report = same_as_uncached(catalogue, cache_dir)
    assert [rule for rule, _, _ in widget_findings(report)] == ["unknown-kind"]
    (repository.parent / "widget-crd.yaml").write_text(WIDGET_CRD.replace("minimum: 1", "minimum: 1, maximum: 9"))
    report = same_as_uncached(catalogue, cache_dir, context=context, replayed=False)
    assert widget_findings(report) == WIDGET_SCHEMA_FINDINGS


@pytest.mark.parametrize("options, changed", [
    pytest.param({"kubernetes_version": "1.30"}, ("deprecated-api", "warning", "api/flowschema.yaml"),
                 id="kubernetes-version"),
    pytest.param({"severity": {"schema": "info", "orphan-service": "error"}}, ("schema", "info", "broken/schema.yaml"),
                 id="severity"),
    pytest.param({"strict": False}, None, id="strict"),
    pytest.param({"namespace": "prod"}, ("orphan-service", "warning", "app/lonely.yaml"), id="namespace"),
    pytest.param({"ignore": ("removed-api",)}, None, id="ignore"),
    pytest.param({"select": ("input", "schema")}, ("schema", "error", "broken/schema.yaml"), id="select"),
    pytest.param({"per_file_ignores": {"broken/*.yaml": ("schema", "graph")}}, None, id="per-file-ignores"),
    pytest.param({"fail_on": "never"}, None, id="fail-on"),
    pytest.param({"exclude": ("input/",)}, None, id="exclude"),
])
def test_changed_settings_are_seen(repository, catalogue, cache_dir, options, changed):
    before = same_as_uncached(catalogue, cache_dir)
    after = same_as_uncached(catalogue, cache_dir, replayed=False, **options)
    assert outcome(after) != outcome(before)
    if changed is not None:
        assert changed in [(f.rule, f.severity, f.file) for f in after.findings]
    assert outcome(same_as_uncached(catalogue, cache_dir, replayed=True)) == outcome(before)  # and back
    assert outcome(same_as_uncached(catalogue, cache_dir, replayed=True, **options)) == outcome(after)


def test_namespace_and_kubernetes_version_reach_the_cached_findings(repository, catalogue, cache_dir):
    same_as_uncached(catalogue, cache_dir)
    report = same_as_uncached(catalogue, cache_dir, namespace="prod", kubernetes_version="1.30")
    assert [(f.rule, f.object["namespace"]) for f in report.findings if f.file.startswith("api/")] == [
        ("removed-api", "prod"), ("deprecated-api", None)]


ROLLOUT = """\
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: canary}
spec:
  selector: {matchLabels: {app: canary}}
  template:
    metadata: {labels: {app: stable}}
    spec: {containers: [{name: app, image: "app:1"}]}
"""


def test_workload_kinds_are_seen(repository, catalogue, cache_dir):
    Path("rollout.yaml").write_text(ROLLOUT)

    def rollout(report):
        return [(f.rule, f.line) for f in report.findings if f.file == "rollout.yaml"]

    assert rollout(same_as_uncached(catalogue, cache_dir)) == [("unknown-kind", 2)]
    kinds = frozenset({"argoproj.io/Rollout"})
    assert rollout(same_as_uncached(catalogue, cache_dir, workload_kinds=kinds)) == [
        ("unknown-kind", 2), ("selector-mismatch", 5)]
    forget_runs(cache_dir)
    assert rollout(same_as_uncached(catalogue, cache_dir)) == [("unknown-kind", 2)]
    forget_runs(cache_dir)
    assert rollout(same_as_uncached(catalogue, cache_dir, workload_kinds=kinds)) == [
        ("unknown-kind", 2), ("selector-mismatch", 5)]


def gadget_schema(size_type: str) -> str:
    return json.dumps({"type": "object", "properties": {"spec": {"type": "object", "properties": {
        "size": {"type": size_type}}}}})


GADGET = "apiVersion: example.org/v1\nkind: Gadget\nmetadata: {name: g}\nspec: {size: 3}\n"
GADGET_AS_STRING = ("schema", 'spec.size: expected string, got integer 3 (an unquoted 3 is a number in YAML: write '
                              '"3" in quotes)')


def test_a_changed_schema_folder_is_seen(repository, catalogue, cache_dir):
    Path("gadget.yaml").write_text(GADGET)
    schemas = repository.parent / "schemas"
    schemas.mkdir()
    options = {"schema_dirs": (str(schemas),)}

    def gadget(report):
        return [(f.rule, f.message) for f in report.findings if f.file == "gadget.yaml"]

    assert [rule for rule, _ in gadget(same_as_uncached(catalogue, cache_dir, **options))] == ["unknown-kind"]
    (schemas / "gadget-example.org-v1.json").write_text(gadget_schema("integer"))
    assert gadget(same_as_uncached(catalogue, cache_dir, replayed=False, **options)) == []
    (schemas / "gadget-example.org-v1.json").write_text(gadget_schema("string"))
    assert gadget(same_as_uncached(catalogue, cache_dir, replayed=False, **options)) == [GADGET_AS_STRING]
    (schemas / "example.org").mkdir()
    (schemas / "example.org" / "gadget_v1.json").write_text(gadget_schema("integer"))  # the first name still wins
    assert gadget(same_as_uncached(catalogue, cache_dir, replayed=False, **options)) == [GADGET_AS_STRING]
    (schemas / "gadget-example.org-v1.json").unlink()
    assert gadget(same_as_uncached(catalogue, cache_dir, replayed=False, **options)) == []
    (schemas / "example.org" / "gadget_v1.json").write_text("{not json")
    assert [rule for rule, _ in gadget(same_as_uncached(catalogue, cache_dir, replayed=False, **options))] == [
        "schema"]


def test_an_empty_schema_folder_changes_unknown_kinds_message(repository, catalogue, cache_dir):
    Path("gadget.yaml").write_text(GADGET)
    (repository.parent / "empty").mkdir()
    report = same_as_uncached(catalogue, cache_dir)
    assert [f.message for f in report.findings if f.file == "gadget.yaml"] == [
        "no schema for example.org/v1 Gadget: no CustomResourceDefinition for it among the checked files or --context"]
    same_as_uncached(catalogue, cache_dir, schema_dirs=(str(repository.parent / "empty"),))


def test_a_schema_under_a_linked_group_folder_is_seen(repository, catalogue, cache_dir):
    Path("gadget.yaml").write_text(GADGET)
    real = repository.parent / "real" / "example.org"
    real.mkdir(parents=True)
    (repository.parent / "schemas").mkdir()
    (repository.parent / "schemas" / "example.org").symlink_to(real, target_is_directory=True)
    options = {"schema_dirs": (str(repository.parent / "schemas"),)}
    (real / "gadget_v1.json").write_text(gadget_schema("integer"))
    same_as_uncached(catalogue, cache_dir, **options)
    (real / "gadget_v1.json").write_text(gadget_schema("string"))
    same_as_uncached(catalogue, cache_dir, **options)


def test_the_order_of_two_crds_of_one_kind_is_seen(repository, catalogue, cache_dir):
    Path("crds/other.yaml").write_text(WIDGET_CRD.replace("size: {type: integer, minimum: 1}", "size: {type: string}"))
    paths = ["crds/widget.yaml", "crds/other.yaml", "widgets"]
    assert widget_findings(same_as_uncached(catalogue, cache_dir, paths=paths)) == WIDGET_SCHEMA_FINDINGS
    same_as_uncached(catalogue, cache_dir, paths=[paths[1], paths[0], paths[2]])


@pytest.mark.parametrize("added", ["extra/kustomization.yaml", "shop/patch.yaml"])
def test_an_added_file_that_is_not_read_is_reported_skipped(repository, catalogue, cache_dir, added):
    Path("shop/kustomization.yaml").write_text(REPOSITORY["shop/kustomization.yaml"]
                                               + "patches: [{path: patch.yaml}]\n")
    same_as_uncached(catalogue, cache_dir)
    Path(added).parent.mkdir(exist_ok=True)
    Path(added).write_text("namePrefix: x-\n" if added.endswith("kustomization.yaml") else
                           "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cart}\nspec: {replicas: 2}\n")
    same_as_uncached(catalogue, cache_dir)


def test_added_and_deleted_files_are_seen(repository, catalogue, cache_dir, rule_runs):
    same_as_uncached(catalogue, cache_dir)
    Path("app/lonely-deployment.yaml").write_text(WEB_DEPLOYMENT.replace("web", "lonely"))
    rule_runs.clear()
    report = lint_repository(catalogue, cache_dir)
    assert {path for _, path in local_runs(rule_runs)} == {"app/lonely-deployment.yaml"}
    assert outcome(report) == outcome(lint_repository(catalogue))
    assert [f.rule for f in report.findings if f.file == "app/lonely.yaml"] == []
    Path("app/lonely-deployment.yaml").unlink()
    Path("input/syntax.yaml").unlink()
    report = same_as_uncached(catalogue, cache_dir, replayed=False)
    assert [f.rule for f in report.findings if f.file.startswith(("app/", "input/"))] == [
        "orphan-service", "duplicate-key", "not-an-object"]
    assert (report.files, report.objects) == (20, 20)
    Path("input/syntax.yaml").write_text(REPOSITORY["input/syntax.yaml"])
    assert outcome(same_as_uncached(catalogue, cache_dir, replayed=True)) == outcome(lint_repository(catalogue))


def test_a_renamed_file_reports_its_new_name(repository, catalogue, cache_dir):
    same_as_uncached(catalogue, cache_dir)
    Path("broken/schema.yaml").rename("broken/replicas.yaml")
    report = same_as_uncached(catalogue, cache_dir, replayed=False)
    assert [(f.rule, f.file) for f in report.findings if f.file.startswith("broken/r")] == [
        ("schema", "broken/replicas.yaml")]


def test_a_kustomization_change_is_seen(repository, catalogue, cache_dir):
    same_as_uncached(catalogue, cache_dir)
    Path("shop/kustomization.yaml").write_text("resources: [deployment.yaml, service.yaml]\n")
    report = same_as_uncached(catalogue, cache_dir, replayed=False)
    assert [(f.rule, f.line, f.column, f.object["namespace"]) for f in report.findings
            if f.file.startswith("shop/")] == [("schema", 4, 1, "default"), ("orphan-service", 5, 3, "default")]
    Path("shop/kustomization.yaml").write_text(REPOSITORY["shop/kustomization.yaml"] + "configMapGenerator:\n"
                                               "  - {name: settings, literals: [a=b]}\n")
    same_as_uncached(catalogue, cache_dir, replayed=False)


def test_checked_and_context_files_are_kept_apart(repository, catalogue, cache_dir):
    report = same_as_uncached(catalogue, cache_dir, paths=["app/lonely.yaml"], context=("app/deployment.yaml",))
    assert [(f.rule, f.file) for f in report.findings] == [("orphan-service", "app/lonely.yaml")]
    report = same_as_uncached(catalogue, cache_dir, paths=["app/deployment.yaml"], context=("app/lonely.yaml",))
    assert outcome(report)[1:] == ([], 1, 1, 0)
    report = same_as_uncached(catalogue, cache_dir, paths=["app/lonely.yaml", "app/deployment.yaml"])
    assert [(f.rule, f.file) for f in report.findings] == [("orphan-service", "app/lonely.yaml")]
    assert outcome(report)[2:] == (2, 2, 1)


def test_stdin_is_cached_by_its_bytes_and_name(repository, catalogue, cache_dir):
    settings = replace(load_settings(Path(".kubecheck.yaml")), cache_dir=str(cache_dir))
    duplicate = REPOSITORY["input/duplicate.yaml"]
    for text, name in [(duplicate, "a.yaml"), (duplicate, "b.yaml"),
                       (duplicate.replace("name: b", "name: a"), "a.yaml"), (duplicate, "a.yaml")]:
        for _ in range(2):
            cached = check(["-"], settings, catalogue, stdin_name=name, stdin_bytes=text.encode())
            uncached = check(["-"], replace(settings, cache_dir=None), catalogue, stdin_name=name,
                             stdin_bytes=text.encode())
            assert outcome(cached) == outcome(uncached)
        assert [(f.rule, f.file, f.line) for f in cached.findings] == [("duplicate-key", name, 5)]
        assert [f.message for f in cached.findings] == ['duplicate key "name" (first set at line 4)']


def test_findings_of_a_run_where_a_rule_failed_are_not_kept(repository, catalogue, cache_dir, rule_runs):
    schema = catalogue.rules["schema"]

    def failing(obj, ctx):
        if obj.name == "small":
            raise RuntimeError("boom")
        return schema.check(obj, ctx)

    broken = Catalogue({**catalogue.rules, "schema": replace(schema, check=failing)}, catalogue.reporters,
                       catalogue.distributions)
    report = lint_repository(broken, cache_dir)
    assert (report.internal_errors, report.exit_status) == (1, 2)
    assert [(f.rule, f.file) for f in report.findings if f.file == "widgets/small.yaml"] == [
        ("internal-error", "widgets/small.yaml")]
    assert run_records(cache_dir) == []  # a failed run is not replayed
    assert len(entries(cache_dir)) == REPOSITORY_ENTRIES - 2
    rule_runs.clear()
    repaired = lint_repository(catalogue, cache_dir)
    assert {path for _, path in local_runs(rule_runs)} == {"widgets/small.yaml"}  # only where it failed
    assert outcome(repaired) == outcome(lint_repository(catalogue))
    assert repaired.internal_errors == 0
    assert len(entries(cache_dir)) == REPOSITORY_ENTRIES


# --- a damaged cache ---------------------------------------------------------------------------


@pytest.mark.parametrize("damage", [
    pytest.param(lambda blob: b"garbage", id="garbage"),
    pytest.param(lambda blob: blob[:-1] + bytes([blob[-1] ^ 0xFF]), id="last-byte-flipped"),
    pytest.param(lambda blob: blob[:32] + bytes([blob[32] ^ 0x01]) + blob[33:], id="payload-byte-flipped"),
    pytest.param(lambda blob: blob[:33], id="truncated"),
    pytest.param(lambda blob: b"", id="empty"),
])
def test_a_damaged_cache_is_read_as_no_cache_and_rewritten(repository, catalogue, cache_dir, rule_runs, damage):
    expected = outcome(lint_repository(catalogue))
    lint_repository(catalogue, cache_dir)
    good = snapshot(cache_dir)
    for path in good:
        path.write_bytes(damage(path.read_bytes()))
    rule_runs.clear()
    assert outcome(lint_repository(catalogue, cache_dir)) == expected
    checked = {name for name in REPOSITORY if name.endswith(".yaml")} - {
        ".kubecheck.yaml", "chart/values.yaml", "shop/kustomization.yaml"}
    assert {path for _, path in local_runs(rule_runs)} == checked
    assert snapshot(cache_dir) == good  # all written again, the same
    rule_runs.clear()
    assert outcome(lint_repository(catalogue, cache_dir)) == expected
    assert rule_runs == []


def test_entries_moved_to_other_keys_are_not_trusted_blindly(repository, catalogue, cache_dir):
    expected = outcome(lint_repository(catalogue))
    lint_repository(catalogue, cache_dir)
    forget_runs(cache_dir)
    files = entries(cache_dir)
    blobs = [path.read_bytes() for path in files]
    for path, blob in zip(files, blobs[1:] + blobs[:1]):
        path.write_bytes(blob)
    assert outcome(lint_repository(catalogue, cache_dir)) == expected


# --- the command line ------------------------------------------------------------------------


def cli(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture
def xdg(tmp_path, monkeypatch):
    """XDG_CACHE_HOME of these tests alone."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg"


def test_cli_no_cache_writes_nothing(repository, xdg, tmp_path):
    result = cli("check", "--format", "json", "--no-cache")
    assert result.exit_code == 1
    assert not xdg.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["repo"]
    assert sorted(p.relative_to(repository).as_posix() for p in repository.rglob("*") if p.is_file()) == sorted(
        REPOSITORY)


def test_cli_caches_under_xdg_cache_home_by_default_with_the_same_output(repository, xdg):
    cold = cli("check", "--format", "json")
    written = entries(xdg / "kubecheck")
    assert len(written) == REPOSITORY_ENTRIES
    assert {path.parent.parent for path in written} == {xdg / "kubecheck"}
    warm = cli("check", "--format", "json")
    uncached = cli("check", "--format", "json", "--no-cache")
    assert (cold.exit_code, warm.exit_code, uncached.exit_code) == (1, 1, 1)
    assert cold.stdout == warm.stdout == uncached.stdout
    assert [(f["rule"], f["file"], f["line"], f["column"]) for f in json.loads(cold.stdout)["findings"]] == [
        finding[:4] for finding in REPOSITORY_FINDINGS]
    assert entries(xdg / "kubecheck") == written
    text = [cli("check", *args).stdout for args in ((), (), ("--no-cache",))]
    assert text[0] == text[1] == text[2]
    assert text[0].endswith("Found 14 findings (10 errors, 3 warnings, 1 info) in 21 files and 20 objects; 2 without "
                            "Kubernetes objects skipped (chart/values.yaml, shop/kustomization.yaml).\n")


def test_cli_cache_dir_option(repository, xdg, tmp_path):
    result = cli("check", "--format", "json", "--cache-dir", str(tmp_path / "mine"))
    assert result.exit_code == 1
    assert len(entries(tmp_path / "mine")) == REPOSITORY_ENTRIES
    assert not xdg.exists()
    relative = cli("check", "--format", "json", "--cache-dir", "../rel")
    assert relative.stdout == result.stdout
    assert len(entries(tmp_path / "rel")) == REPOSITORY_ENTRIES
    assert cli("check", "--format", "json", "--cache-dir", "../rel", "--no-cache").stdout == result.stdout
    assert cli("check", "--format", "json", "--cache-dir", "../rel").stdout == result.stdout
    assert not xdg.exists()


def test_cli_config_cache_dir_is_relative_to_the_config_file(repository, xdg, tmp_path, monkeypatch):
    (repository / ".kubecheck.yaml").write_text(REPOSITORY[".kubecheck.yaml"] + "cache-dir: .cache/kc\n")
    monkeypatch.chdir(repository / "app")
    result = cli("check", "--format", "json", ".")
    assert result.exit_code == 1
    assert [f["file"] for f in json.loads(result.stdout)["findings"]] == ["lonely.yaml"]
    assert len(entries(repository / ".cache" / "kc")) == 3 + 3 + 1
    assert not (repository / "app" / ".cache").exists()
    assert not xdg.exists()
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "config.yaml").write_text("cache-dir: kc\n")
    monkeypatch.chdir(repository / "broken")
    assert cli("check", "--config", str(other / "config.yaml"), "schema.yaml").exit_code == 1
    assert len(entries(other / "kc")) == 1 + 1 + 1
    assert cli("check", "--config", str(other / "config.yaml"), "--cache-dir", str(tmp_path / "flag"),
               "schema.yaml").exit_code == 1
    assert (len(entries(other / "kc")), len(entries(tmp_path / "flag"))) == (3, 3)
    assert cli("check", "--config", str(other / "config.yaml"), "--no-cache", "typo.yaml").exit_code == 1
    assert len(entries(other / "kc")) == 3
    assert not xdg.exists()


def test_cli_config_cache_dir_must_name_a_folder(repository, xdg):
    (repository / ".kubecheck.yaml").write_text("cache-dir: ''\n")
    result = cli("check")
    assert result.exit_code == 2
    assert result.stderr.startswith("kubecheck: error: ")
    assert "cache-dir" in result.stderr


def test_cli_unwritable_cache_dir_still_checks(repository, xdg, tmp_path):
    (tmp_path / "blocker").write_text("")
    blocked = cli("check", "--format", "json", "--cache-dir", str(tmp_path / "blocker"))
    assert blocked.exit_code == 1
    assert blocked.stdout == cli("check", "--format", "json", "--no-cache").stdout
    assert (tmp_path / "blocker").read_text() == ""


needs_executable = pytest.mark.skipif(not KUBECHECK.exists(), reason=f"{KUBECHECK} is not installed")


def run_executable(cwd: Path, *args: str, seed: str) -> subprocess.CompletedProcess:
    result = subprocess.run([str(KUBECHECK), "check", "--format", "json", *args], capture_output=True, text=True,
                            cwd=cwd, timeout=60, env={**os.environ, "PYTHONHASHSEED": seed})
    assert "Traceback" not in result.stderr
    return result


@needs_executable
def test_executable_runs_in_other_processes_find_every_entry(repository, xdg):
    """Keys must not depend on the process (hash seeds, object ids): a second process finds
    every entry the first wrote, and writes none."""
    cold = run_executable(repository, seed="1")
    written = {path: path.stat().st_mtime_ns for path in entries(xdg / "kubecheck")}
    assert len(written) == REPOSITORY_ENTRIES
    warm = run_executable(repository, seed="2")
    assert {path: path.stat().st_mtime_ns for path in entries(xdg / "kubecheck")} == written
    forget_runs(xdg / "kubecheck")
    half_warm = run_executable(repository, seed="3")
    assert len(entries(xdg / "kubecheck")) == REPOSITORY_ENTRIES  # only the run was recorded again
    uncached = run_executable(repository, "--no-cache", seed="4")
    assert (cold.returncode, warm.returncode, half_warm.returncode, uncached.returncode) == (1, 1, 1, 1)
    assert cold.stdout == warm.stdout == half_warm.stdout == uncached.stdout


@needs_executable
def test_executable_replays_a_run_with_several_workload_kinds(repository, xdg):
    (repository / ".kubecheck.yaml").write_text(
        REPOSITORY[".kubecheck.yaml"] + "workload-kinds: [argoproj.io/Rollout, example.com/Widget, "
                                        "apps.kruise.io/CloneSet]\n")
    cold = run_executable(repository, seed="1")
    written = entries(xdg / "kubecheck")
    warm = run_executable(repository, seed="2")
    assert cold.stdout == warm.stdout
    assert entries(xdg / "kubecheck") == written
