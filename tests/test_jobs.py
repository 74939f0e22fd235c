"""--jobs: files loaded in worker processes give the very report files loaded here give, in the
same order, with or without the cache.

Runs this small would load in-process (below `PARALLEL_BYTES`); the `parallel` fixture lowers
the threshold to 0 and checks that the workers did load them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import SHARED, needs_shared
from test_cache import REPOSITORY, REPOSITORY_FINDINGS, entries, forget_runs, lint_repository, outcome, write_tree

import kubecheck.reading
from kubecheck.cli import main
from kubecheck.config import Settings
from kubecheck.run import check

KUBECHECK = Path(sys.executable).parent / "kubecheck"


@pytest.fixture
def parallel(monkeypatch):
    """Workers for any run with jobs > 1 and more than one file to load; the names of the files
    the workers loaded, in the order the parent receives them."""
    delivered = []
    original = kubecheck.reading._stored

    def stored(cache, key, result, pickled, done, progress, total):
        if pickled is not None:  # only what a worker sends comes pickled
            delivered.append(result[0].path)
        return original(cache, key, result, pickled, done, progress, total)

    monkeypatch.setattr(kubecheck.reading, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(kubecheck.reading, "_stored", stored)
    return delivered


@pytest.fixture
def repository(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    write_tree(root, REPOSITORY)
    monkeypatch.chdir(root)
    return root


def findings(report) -> list[dict]:
    return [finding.to_dict() for finding in report.findings]


# --- the repository of test_cache ------------------------------------------------------------


def test_workers_report_what_one_process_reports_on_the_repository(repository, catalogue, parallel):
    one = lint_repository(catalogue, jobs=1)
    assert parallel == []
    two = lint_repository(catalogue, jobs=2)
    assert sorted(parallel) == sorted(name for name in REPOSITORY if name.endswith(".yaml")
                                      and name not in (".kubecheck.yaml", "shop/kustomization.yaml"))
    assert outcome(two) == outcome(one)
    assert [(f.rule, f.file, f.line, f.column) for f in two.findings] == [f[:4] for f in REPOSITORY_FINDINGS]
    parallel.clear()
    assert outcome(lint_repository(catalogue, jobs=8)) == outcome(one)
    assert len(parallel) == 20


def test_workers_and_the_cache_on_the_repository(repository, catalogue, parallel, tmp_path):
    expected = outcome(lint_repository(catalogue))
    cache = tmp_path / "cache"
    assert outcome(lint_repository(catalogue, cache, jobs=2)) == expected
    assert len(parallel) == 20
    written = entries(cache)
    assert outcome(lint_repository(catalogue, cache, jobs=1)) == expected  # replayed, whatever the jobs
    assert entries(cache) == written
    forget_runs(cache)
    parallel.clear()
    assert outcome(lint_repository(catalogue, cache, jobs=2)) == expected
    assert parallel == []  # nothing left to load
    Path("widgets/small.yaml").write_text(REPOSITORY["widgets/small.yaml"].replace("two", "2"))
    Path("app/lonely.yaml").write_text(REPOSITORY["app/lonely.yaml"].replace("lonely", "web"))
    report = lint_repository(catalogue, cache, jobs=2)
    assert sorted(parallel) == ["app/lonely.yaml", "widgets/small.yaml"]
    assert outcome(report) == outcome(lint_repository(catalogue))
    assert [(f.rule, f.file) for f in report.findings if f.rule == "duplicate-object"
            or f.file in ("app/lonely.yaml", "widgets/small.yaml")] == [
        ("duplicate-object", "app/service.yaml"), ("schema", "widgets/small.yaml")]


# --- a bigger generated repository -----------------------------------------------------------

WIDGET_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer}
"""


def generated_file(number: int, count: int) -> str:
    """Objects of team `number`: a Deployment using the ConfigMap of the next team, a Service
    selecting the next team's pods, its ConfigMap, a PodDisruptionBudget, and now and then a
    Widget, a schema error, a duplicate key, a selector that misses its own pods."""
    name, following = f"team-{number:02}", f"team-{number + 1:02}"
    replicas = "three" if number % 7 == 3 else "2"
    labels = f"{{app: {name}, tier: web}}" if number % 9 != 4 else "{app: stray, tier: web}"
    documents = [f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: ns-{number % 3}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {labels}}}
    spec:
      containers:
        - name: app
          image: "registry.example.com/{name}:1.{number}"
          envFrom: [{{configMapRef: {{name: settings-{following}}}}}]
""", f"""\
apiVersion: v1
kind: Service
metadata: {{name: {following}, namespace: ns-{(number + 1) % 3}}}
spec:
  selector: {{app: {following}}}
  ports: [{{port: 80, targetPort: 8080}}]
""", f"""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-{name}
  namespace: ns-{(number + 2) % 3}
{"  namespace: again" + chr(10) if number % 11 == 5 else ""}data: {{mode: fast, team: "{number}"}}
""", f"""\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: {name}, namespace: ns-{number % 3}}}
spec:
  maxUnavailable: 1
  selector: {{matchLabels: {{app: {name}}}}}
"""]
    if number % 5 == 0:
        documents.append(f"apiVersion: example.com/v1\nkind: Widget\nmetadata: {{name: w{number}, namespace: ns-0}}\n"
                         f"spec: {{size: {'big' if number % 10 == 0 else number}}}\n")
    if number == count // 2:
        documents.append(WIDGET_CRD)
    return "---\n".join(documents)


def write_generated(root: Path, count: int = 60) -> None:
    write_tree(root, {f"team-{number:02}.yaml": generated_file(number, count) for number in range(count)})


GENERATED_RULES = {"duplicate-key": 5, "missing-configmap": 6, "orphan-service": 8, "pdb-no-match": 7,
                   "schema": 15, "selector-mismatch": 7}


@pytest.fixture
def generated(tmp_path, monkeypatch):
    root = tmp_path / "generated"
    write_generated(root)
    monkeypatch.chdir(root)
    return root


def test_workers_report_what_one_process_reports_on_a_generated_repository(generated, catalogue, parallel):
    one = check(["."], Settings(jobs=1), catalogue)
    assert Counter(f.rule for f in one.findings) == GENERATED_RULES
    assert (one.files, one.objects, one.internal_errors) == (60, 60 * 4 + 12 + 1, 0)
    calls = []
    two = check(["."], Settings(jobs=2), catalogue, progress=lambda done, total: calls.append((done, total)))
    assert sorted(parallel) == [f"team-{number:02}.yaml" for number in range(60)]
    assert findings(two) == findings(one)
    assert outcome(two) == outcome(one)
    assert calls == [(done, 60) for done in range(1, 61)]
    calls.clear()
    check(["."], Settings(jobs=1), catalogue, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(done, 60) for done in range(1, 61)]


def test_workers_keep_the_order_of_the_paths_given(generated, catalogue, parallel):
    paths = [f"team-{number:02}.yaml" for number in (42, 7, 30, 0, 59, 13)]
    one = check(paths, Settings(jobs=1), catalogue)
    two = check(paths, Settings(jobs=3), catalogue)
    assert parallel == paths
    assert outcome(two) == outcome(one)


def test_workers_and_the_cache_on_a_generated_repository(generated, catalogue, parallel, tmp_path):
    cache = str(tmp_path / "cache")
    expected = outcome(check(["."], Settings(jobs=1), catalogue))
    assert outcome(check(["."], Settings(jobs=2, cache_dir=cache), catalogue)) == expected
    assert len(parallel) == 60
    assert outcome(check(["."], Settings(jobs=2, cache_dir=cache), catalogue)) == expected
    assert outcome(check(["."], Settings(jobs=1, cache_dir=cache), catalogue)) == expected
    forget_runs(tmp_path / "cache")
    assert outcome(check(["."], Settings(jobs=1, cache_dir=cache), catalogue)) == expected
    changed = [3, 17, 30, 44, 58]  # team-30 holds the CRD: every file's local findings are judged again
    for number in changed:
        path = generated / f"team-{number:02}.yaml"
        text = path.read_text().replace("port: 80", "port: 81")
        path.write_text(text.replace("size: {type: integer}", "size: {type: string}"))
    parallel.clear()
    calls = []
    report = check(["."], Settings(jobs=2, cache_dir=cache), catalogue,
                   progress=lambda done, total: calls.append((done, total)))
    assert parallel == [f"team-{number:02}.yaml" for number in changed]
    assert calls == [(done, 60) for done in range(56, 61)]
    assert outcome(report) == outcome(check(["."], Settings(jobs=1), catalogue))
    assert [f.message for f in report.findings if f.file in ("team-10.yaml", "team-15.yaml") and f.rule == "schema"] \
        == ['spec.replicas: expected integer, got string "three"',  # and no longer size: big, a string now
            'spec.size: expected string, got integer 15 (an unquoted 15 is a number in YAML: write "15" in quotes)']
    (generated / "team-59.yaml").unlink()
    (generated / "team-60.yaml").write_text(generated_file(60, 60))
    (generated / "team-61.yaml").write_text(generated_file(61, 60))
    parallel.clear()
    report = check(["."], Settings(jobs=2, cache_dir=cache), catalogue)
    assert parallel == ["team-60.yaml", "team-61.yaml"]
    assert outcome(report) == outcome(check(["."], Settings(jobs=1), catalogue))


def test_one_file_or_small_runs_load_here(generated, catalogue, monkeypatch):
    sent = []
    original = kubecheck.reading._stored
    monkeypatch.setattr(kubecheck.reading, "_stored", lambda cache, key, result, pickled, *rest: (
        sent.append(pickled is not None), original(cache, key, result, pickled, *rest))[1])
    one = check(["."], Settings(jobs=2), catalogue)  # 60 small files: far below PARALLEL_BYTES
    assert sent == [False] * 60
    monkeypatch.setattr(kubecheck.reading, "PARALLEL_BYTES", 0)
    sent.clear()
    check(["team-00.yaml"], Settings(jobs=2), catalogue)  # one file: no workers
    assert sent == [False]
    sent.clear()
    assert outcome(check(["."], Settings(jobs=2), catalogue)) == outcome(one)
    assert sent == [True] * 60


# --- the command line ------------------------------------------------------------------------


def cli(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    return result


def test_cli_jobs_give_the_same_output(generated, parallel, tmp_path):
    one = cli("check", "--format", "json", "--no-cache", "-j", "1")
    assert parallel == []
    two = cli("check", "--format", "json", "--no-cache", "--jobs", "2")
    assert len(parallel) == 60
    assert (one.exit_code, two.exit_code) == (1, 1)
    assert two.stdout == one.stdout
    assert Counter(f["rule"] for f in json.loads(one.stdout)["findings"]) == GENERATED_RULES
    cold = cli("check", "--format", "json", "--cache-dir", str(tmp_path / "cache"), "--jobs", "2")
    warm = cli("check", "--format", "json", "--cache-dir", str(tmp_path / "cache"), "-j1")
    assert cold.stdout == warm.stdout == one.stdout
    default = cli("check", "--format", "json", "--no-cache")  # the machine's cores
    assert default.stdout == one.stdout
    assert cli("check", "--no-cache", "-j", "2").stdout == cli("check", "--no-cache", "-j", "1").stdout


@pytest.mark.parametrize("value", ["0", "-1", "two", ""])
def test_cli_jobs_must_be_a_positive_number(generated, value):
    result = cli("check", "--jobs", value)
    assert result.exit_code == 2
    assert "Invalid value for '--jobs' / '-j'" in result.stderr
    assert result.stdout == ""


# --- the shared corpus -----------------------------------------------------------------------

ARGO_CD = SHARED / "corpus" / "real" / "argo-cd"


@needs_shared
def test_workers_report_what_one_process_reports_on_argo_cd(catalogue, parallel, monkeypatch, tmp_path):
    monkeypatch.chdir(ARGO_CD)
    one = check(["."], Settings(jobs=1), catalogue)
    two = check(["."], Settings(jobs=2), catalogue)
    assert sorted(parallel) == ["manifests/ha/install.yaml", "manifests/install.yaml",
                                "manifests/namespace-install.yaml"]
    assert (one.internal_errors, one.files) == (0, 3)
    assert one.objects > 150
    assert findings(two) == findings(one)
    assert outcome(two) == outcome(one)
    cache = str(tmp_path / "cache")
    assert outcome(check(["."], Settings(jobs=2, cache_dir=cache), catalogue)) == outcome(one)
    forget_runs(tmp_path / "cache")
    assert outcome(check(["."], Settings(jobs=1, cache_dir=cache), catalogue)) == outcome(one)


@needs_shared
@pytest.mark.skipif(not KUBECHECK.exists(), reason=f"{KUBECHECK} is not installed")
def test_executable_jobs_on_argo_cd(tmp_path):
    """argo-cd holds just over PARALLEL_BYTES of manifests: the console script loads them in
    workers with --jobs 2, in its own process (no cyclic GC, no teardown)."""
    assert sum(path.stat().st_size for path in ARGO_CD.rglob("*.yaml")) >= kubecheck.reading.PARALLEL_BYTES

    def run(*args):
        result = subprocess.run([str(KUBECHECK), "check", "--format", "json", "--no-cache", *args, "."],
                                capture_output=True, text=True, cwd=ARGO_CD, timeout=120)
        assert "Traceback" not in result.stderr
        return result

    one, two = run("--jobs", "1"), run("--jobs", "2")
    assert (one.returncode, two.returncode) == (1, 1)
    assert two.stdout == one.stdout
    assert json.loads(one.stdout)["summary"]["files"] == 3
