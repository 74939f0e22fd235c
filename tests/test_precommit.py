"""The pre-commit hooks of `.pre-commit-hooks.yaml`, run for real by the `pre-commit` tool (SPEC section 2).

Each test makes a git repository in a temporary folder whose `.pre-commit-config.yaml` uses the
hooks of this checkout, installs them with `pre-commit install` and commits with `git commit`, so
what is checked is the whole chain: pre-commit reads the hook definitions, builds a virtualenv,
pip-installs kubecheck into it, picks the staged YAML/JSON files and runs the `entry`.

How pre-commit gets this checkout: a `repo:` of a config must be a git repository and `rev:` a
commit, but developers run the suite with uncommitted changes, and CI runs it on a clone whose
HEAD may not be what is on disk either. So the module builds a *mirror*: a new git repository
holding the checkout's files as they are on disk (those `git ls-files` lists as tracked or as
untracked and not ignored, so new files count and `.venv/` or build output do not), committed
once; the configs name it by path and commit. `pre-commit try-repo` would also take uncommitted
changes, but it cannot drive an installed hook through `git commit`, leaves out untracked files,
and makes a new repository (so a new environment to build) on every call. Nothing in the checkout
or its `.git` is touched.

Speed: PRE_COMMIT_HOME is one folder for the module, so the hook's environment is built once
(the first `pre-commit install --install-hooks`; kubecheck's dependencies come from PyPI) and
reused by every test. The subprocesses get an environment without the developer's git config
(GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM; identity and `commit.gpgsign` are set in each
repository), without GIT_* variables of an enclosing git hook, and without PRE_COMMIT*/SKIP,
GITHUB_ACTIONS or colour settings, which would change what pre-commit or kubecheck print.

Only a missing `git` skips the module; a hook that cannot be installed or run fails the tests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from support import PROJECT, WEB_DEPLOYMENT, WEB_SERVICE

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not on PATH")

DEPLOYMENT, SERVICE = WEB_DEPLOYMENT, WEB_SERVICE

# orphan-service (warning) at 6:3, `selector:`; the closest pod template's labels are deployment.yaml:11:7
MISTYPED_SERVICE = SERVICE.replace("app: web", "app: wbe")
MISTYPED_MESSAGE = ("Service web selects no pods: no pod template in namespace 'default' carries app=wbe "
                    "(closest: Deployment default/web lacks app=wbe)")

# selector-mismatch (error) at 6:3, `selector:`; the template's `labels:` are at 11:7
MISMATCHED_DEPLOYMENT = DEPLOYMENT.replace("        app: web\n    spec:", "        app: frontend\n    spec:")
MISMATCH_MESSAGE = ("the selector does not select this Deployment's own pods: it needs app=web, but the pod "
                    "template is labelled app=frontend; the API server rejects this Deployment")

# duplicate-key (error) at 7:3, the second `mode`
DUPLICATE_KEY_CONFIGMAP = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
  mode: slow
"""

# orphan-service (warning) at 6:3: nothing in the repository carries app=legacy
LEGACY_SERVICE = SERVICE.replace("web", "legacy")

# duplicate-key (error) at 5:3
DUPLICATE_NAME_CONFIGMAP = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  name: b
"""


# --- running git and pre-commit ------------------------------------------------------------


def run(command: list[str], cwd: Path, env: dict[str, str], *, check: bool = True,
        timeout: float = 120) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(command)} exited with {result.returncode}:\n{result.stdout}{result.stderr}")
    assert "Traceback" not in result.stdout + result.stderr
    return result


def git(repo: Path, env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return run(["git", *args], repo, env, check=check)


def pre_commit(repo: Path, env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    # the venv's pre-commit: `pre-commit install` writes this interpreter into .git/hooks/pre-commit
    return run([sys.executable, "-m", "pre_commit", *args], repo, env, check=check, timeout=600)


def init_repository(path: Path, env: dict[str, str]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, env, "init", "-q")
    git(path, env, "config", "user.name", "kubecheck tests")
    git(path, env, "config", "user.email", "tests@kubecheck.invalid")
    git(path, env, "config", "commit.gpgsign", "false")
    return path


def write(repo: Path, name: str, text: str) -> None:
    """Write `text` dedented, without the newline after an opening triple quote, to `name` in `repo`."""
    text = textwrap.dedent(text)
    (repo / name).write_text(text[1:] if text.startswith("\n") else text, encoding="utf-8")


def hook_report(output: str, name: str = "kubecheck") -> tuple[str, str]:
    """pre-commit's report on the hook called `name`: its status (Passed, Failed, ...) and what
    follows the status line (`- hook id`, `- exit code`, a blank line, the hook's own output) up
    to pre-commit's next line of its own, without `- duration`, which varies."""
    status = re.search(rf"^{re.escape(name)}\.+(Passed|Failed|\(no files to check\)Skipped)\n", output, re.M)
    assert status, f"no status line for hook {name!r} in:\n{output}"
    rest = output[status.end():]
    end = re.search(r"^(\[(INFO|WARNING|ERROR)\] |.+\.{3,}(Passed|Failed|Skipped)$)", rest, re.M)
    details = rest[:end.start() if end else None]
    details = re.sub(r"^- duration: .*\n", "", details, flags=re.M)
    return status.group(1), details.rstrip("\n") + "\n"


def committed_files(repo: Path, env: dict[str, str]) -> list[list[str]]:
    """The files each commit touched, oldest first."""
    log = git(repo, env, "log", "--reverse", "--format=%x00", "--name-only").stdout
    return [entry.split() for entry in log.split("\0")[1:]]


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def environment(tmp_path_factory) -> dict[str, str]:
    """Variables for git and pre-commit: one PRE_COMMIT_HOME for the module, no outside git config."""
    dropped = {"GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "SKIP", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
    env = {name: value for name, value in os.environ.items()
           if name not in dropped and not name.startswith(("GIT_", "PRE_COMMIT", "KUBECHECK_"))}
    env.update(PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return env


@pytest.fixture(scope="module")
def hooks(tmp_path_factory, environment) -> tuple[Path, str]:
    """(path, commit) of a git repository holding this checkout's files as they are on disk."""
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], PROJECT, environment)
    mirror = init_repository(tmp_path_factory.mktemp("kubecheck-mirror"), environment)
    for name in filter(None, listed.stdout.split("\0")):
        source = PROJECT / name
        if source.is_file():  # not deleted in the working tree
            (mirror / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, mirror / name)
    assert (mirror / ".pre-commit-hooks.yaml").is_file()
    git(mirror, environment, "add", "-A")
    git(mirror, environment, "commit", "-q", "-m", "kubecheck as on disk")
    return mirror, git(mirror, environment, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture
def repo(tmp_path, environment, hooks) -> Path:
    """A repository with deployment.yaml committed and pre-commit's hook installed.

    Its config uses the `kubecheck` hook (verbose, so its output shows even when it passes) and
    `kubecheck-all` in the manual stage, so that commits run only `kubecheck`."""
    mirror, revision = hooks
    repo = init_repository(tmp_path / "repo", environment)
    write(repo, ".pre-commit-config.yaml", f"""
        repos:
          - repo: {mirror.as_posix()}
            rev: {revision}
            hooks:
              - id: kubecheck
                verbose: true
              - id: kubecheck-all
                stages: [manual]
        """)
    write(repo, "deployment.yaml", DEPLOYMENT)
    git(repo, environment, "add", "-A")
    git(repo, environment, "commit", "-q", "-m", "deployment")
    pre_commit(repo, environment, "install", "--install-hooks")
    assert (repo / ".git" / "hooks" / "pre-commit").is_file()
    return repo


def commit(repo: Path, env: dict[str, str], *files: str) -> subprocess.CompletedProcess:
    """`git add FILES` and `git commit` through the installed hook (git sends the hook's output to stderr)."""
    git(repo, env, "add", *files)
    return git(repo, env, "commit", "-m", "change", check=False)


# --- the kubecheck hook on commit ----------------------------------------------------------------


def test_a_commit_of_a_service_is_judged_against_the_committed_deployment(repo, environment):
    write(repo, "service.yaml", SERVICE)
    result = commit(repo, environment, "service.yaml")
    assert result.returncode == 0, result.stderr
    # only service.yaml was checked (1 file, 1 object), and the Deployment it selects, unchanged in
    # deployment.yaml, was seen as context: no orphan-service
    assert hook_report(result.stderr) == ("Passed", "- hook id: kubecheck\n\nNo findings in 1 file and 1 object.\n")
    assert committed_files(repo, environment) == [[".pre-commit-config.yaml", "deployment.yaml"], ["service.yaml"]]
    assert git(repo, environment, "status", "--porcelain").stdout == ""


def test_a_service_selecting_no_pods_fails_the_commit(repo, environment):
    write(repo, "service.yaml", MISTYPED_SERVICE)
    result = commit(repo, environment, "service.yaml")
    assert result.returncode == 1
    assert hook_report(result.stderr) == ("Failed", textwrap.dedent(f"""\
        - hook id: kubecheck
        - exit code: 1

        service.yaml:6:3: warning orphan-service {MISTYPED_MESSAGE}
          6 |   selector:
            |   ^
          related: deployment.yaml:11:7: Deployment web: closest pod template's labels

        Found 1 finding (1 warning) in 1 file and 1 object.
        """))
    assert len(committed_files(repo, environment)) == 1  # nothing committed
    assert git(repo, environment, "diff", "--cached", "--name-only").stdout == "service.yaml\n"


def test_a_deployment_whose_selector_misses_its_template_fails_the_commit(repo, environment):
    write(repo, "deployment.yaml", MISMATCHED_DEPLOYMENT)
    result = commit(repo, environment, "deployment.yaml")
    assert result.returncode == 1
    assert hook_report(result.stderr) == ("Failed", textwrap.dedent(f"""\
        - hook id: kubecheck
        - exit code: 1

        deployment.yaml:6:3: error selector-mismatch {MISMATCH_MESSAGE}
          6 |   selector:
            |   ^
          related: deployment.yaml:11:7: Deployment web: the pod template's labels

        Found 1 finding (1 error) in 1 file and 1 object.
        """))
    assert len(committed_files(repo, environment)) == 1


@pytest.fixture
def untidy(repo, environment) -> Path:
    """`repo` with a problem in every state but staged: committed legacy.yaml (orphan-service,
    committed without the hook), an unstaged change to deployment.yaml (selector-mismatch) and an
    untracked scratch.yaml (duplicate-key); configmap.yaml (duplicate-key) is staged, and so are
    files that are no manifests: a Helm chart (its template is not YAML) and a tsconfig.json with
    comments (not JSON, nor YAML)."""
    write(repo, "legacy.yaml", LEGACY_SERVICE)
    git(repo, environment, "add", "legacy.yaml")
    git(repo, environment, "commit", "-q", "--no-verify", "-m", "legacy")
    write(repo, "deployment.yaml", MISMATCHED_DEPLOYMENT)
    write(repo, "scratch.yaml", DUPLICATE_NAME_CONFIGMAP)
    write(repo, "configmap.yaml", DUPLICATE_KEY_CONFIGMAP)
    (repo / "chart" / "templates").mkdir(parents=True)
    write(repo, "chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n")
    write(repo, "chart/templates/configmap.yaml", "{{- if .Values.enabled }}\n" + textwrap.dedent(DUPLICATE_KEY_CONFIGMAP)[1:]
          + "{{- end }}\n")
    write(repo, "tsconfig.json", '{\n  // the editor settings\n  "compilerOptions": {"strict": true}\n}\n')
    git(repo, environment, "add", "configmap.yaml", "chart", "tsconfig.json")
    assert git(repo, environment, "status", "--porcelain").stdout == STAGED_AND_NOT
    return repo


STAGED_AND_NOT = ("A  chart/Chart.yaml\nA  chart/templates/configmap.yaml\nA  configmap.yaml\n M deployment.yaml\n"
                  "A  tsconfig.json\n?? scratch.yaml\n")


def test_findings_name_only_the_staged_files(untidy, environment):
    result = git(untidy, environment, "commit", "-m", "settings", check=False)
    assert result.returncode == 1
    assert hook_report(result.stderr) == ("Failed", textwrap.dedent("""\
        - hook id: kubecheck
        - exit code: 1

        configmap.yaml:7:3: error duplicate-key duplicate key "mode" (first set at line 6)
          7 |   mode: slow
            |   ^

        Found 1 finding (1 error) in 3 files and 1 object; 2 without Kubernetes objects skipped (chart/Chart.yaml, tsconfig.json).
        """))  # the chart's template is not read at all (--force-exclude)
    assert len(committed_files(untidy, environment)) == 2  # deployment, legacy: nothing new
    # pre-commit hid the unstaged change while the hook ran and put it back
    assert (untidy / "deployment.yaml").read_text(encoding="utf-8") == MISMATCHED_DEPLOYMENT
    assert git(untidy, environment, "status", "--porcelain").stdout == STAGED_AND_NOT


# --- the kubecheck-all hook --------------------------------------------------------------------


def test_kubecheck_all_checks_every_manifest_whatever_is_staged(untidy, environment):
    result = pre_commit(untidy, environment, "run", "kubecheck-all", "--hook-stage", "manual", "--all-files",
                        "--color", "never", check=False)
    assert result.returncode == 1
    status, details = hook_report(result.stdout, "kubecheck (whole repository)")
    assert status == "Failed"
    assert details.startswith("- hook id: kubecheck-all\n- exit code: 1\n\n")
    # `kubecheck check .` in the working tree: --all-files stashes nothing, so the unstaged change
    # and the untracked file are read too
    assert [line for line in details.splitlines() if re.match(r"\S+:\d+:\d+: |Found ", line)] == [
        'configmap.yaml:7:3: error duplicate-key duplicate key "mode" (first set at line 6)',
        f"deployment.yaml:6:3: error selector-mismatch {MISMATCH_MESSAGE}",
        "legacy.yaml:6:3: warning orphan-service Service legacy selects no pods: no pod template in namespace "
        "'default' carries app=legacy",
        'scratch.yaml:5:3: error duplicate-key duplicate key "name" (first set at line 4)',
        "Found 4 findings (3 errors, 1 warning) in 6 files and 4 objects; 2 without Kubernetes objects skipped "
        "(tsconfig.json, chart/Chart.yaml).",
    ]
