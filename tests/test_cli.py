"""The command line (SPEC section 2): options, exit status, config errors, paths, stdin, context.

Most tests drive `kubecheck.cli.main` in-process with click's CliRunner from a temporary working
directory; a few run the installed `kubecheck` executable end to end. No invocation, failing or
not, may print a Python traceback.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import PROJECT

from kubecheck import __version__
from kubecheck.cli import main

KUBECHECK = Path(sys.executable).parent / "kubecheck"

ORPHAN_SERVICE = """
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
"""
ORPHAN_MESSAGE = "Service web selects no pods: no pod template in namespace 'default' carries app=web"

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
"""

# selector-mismatch (error, graph) at 6:3
MISMATCHED_DEPLOYMENT = DEPLOYMENT.replace("        app: web\n    spec:", "        app: frontend\n    spec:")

CONFIGMAP = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
"""

# duplicate-key (error, input) at 5:3
DUPLICATE_KEY = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  name: b
"""

# unused-suppression (info, meta) only
UNUSED_SUPPRESSION = CONFIGMAP.replace("name: settings", "name: settings  # kubecheck: ignore[orphan-service]")


def write(name: str, text: str) -> Path:
    """Write `text` dedented (without a leading newline) to `name` under the working directory."""
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = textwrap.dedent(text)
    path.write_text(text[1:] if text.startswith("\n") else text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def project(tmp_path, monkeypatch):
    """An empty working directory, and an environment without colour or CI settings."""
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def kubecheck(*args: str, input: str | None = None, env: dict | None = None):
    result = CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    return result


def rules_found(*args: str, input: str | None = None) -> list[tuple]:
    """(rule, file, line, column) of `kubecheck check --format json ARGS`."""
    result = kubecheck("check", "--format", "json", *args, input=input)
    assert result.exit_code in (0, 1), result.output
    return [(f["rule"], f["file"], f["line"], f["column"]) for f in json.loads(result.stdout)["findings"]]


# --- exit status and --fail-on -----------------------------------------------------------


def test_clean_file_exits_0(project):
    write("cm.yaml", CONFIGMAP)
    result = kubecheck("check", "cm.yaml")
    assert result.exit_code == 0
    assert result.stdout == "No findings in 1 file and 1 object.\n"
    assert result.stderr == ""


def test_warning_exits_1_by_default_with_text_output(project):
    write("svc.yaml", ORPHAN_SERVICE)
    result = kubecheck("check", "svc.yaml")
    assert result.exit_code == 1
    assert result.stdout == (
        f"svc.yaml:6:3: warning orphan-service {ORPHAN_MESSAGE}\n"
        "  6 |   selector:\n"
        "    |   ^\n"
        "\n"
        "Found 1 finding (1 warning) in 1 file and 1 object.\n"
    )


@pytest.mark.parametrize(("manifest", "fail_on", "status"), [
    (MISMATCHED_DEPLOYMENT, "error", 1),
    (MISMATCHED_DEPLOYMENT, "warning", 1),
    (MISMATCHED_DEPLOYMENT, "info", 1),
    (MISMATCHED_DEPLOYMENT, "never", 0),
    (ORPHAN_SERVICE, "error", 0),
    (ORPHAN_SERVICE, "warning", 1),
    (ORPHAN_SERVICE, "info", 1),
    (ORPHAN_SERVICE, "never", 0),
    (UNUSED_SUPPRESSION, "error", 0),
    (UNUSED_SUPPRESSION, "warning", 0),
    (UNUSED_SUPPRESSION, "info", 1),
    (UNUSED_SUPPRESSION, "never", 0),
    (CONFIGMAP, "info", 0),
])
def test_fail_on(project, manifest, fail_on, status):
    write("m.yaml", manifest)
    assert kubecheck("check", "--fail-on", fail_on, "m.yaml").exit_code == status


def test_fail_on_from_the_config_and_the_option_wins(project):
    write("svc.yaml", ORPHAN_SERVICE)
    write(".kubecheck.yaml", "fail-on: error\n")
    assert kubecheck("check", "svc.yaml").exit_code == 0
    assert kubecheck("check", "--fail-on", "warning", "svc.yaml").exit_code == 1


def test_invalid_yaml_is_a_finding_not_a_crash(project):
    write("bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: [name\n")
    result = kubecheck("check", "--format", "json", "bad.yaml")
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["file"], finding["severity"]) == ("yaml-syntax", "bad.yaml", "error")


# --- usage errors: exit 2, one line on stderr, no traceback ------------------------------


@pytest.mark.parametrize(("args", "expected"), [
    (["check", "--bogus", "m.yaml"], "No such option '--bogus'"),
    (["check", "--format", "xml", "m.yaml"], "'xml' is not one of github, json, junit, sarif, text"),
    (["check", "--fail-on", "sometimes", "m.yaml"], "'sometimes' is not one of 'error', 'warning', 'info', 'never'"),
    (["check", "--namespace", "Prod", "m.yaml"], "'Prod' is not a valid namespace name"),
    (["check", "--namespace", "a" * 64, "m.yaml"], "is not a valid namespace name"),
    (["check", "--namespace", "-prod", "m.yaml"], "'-prod' is not a valid namespace name"),
    (["check", "nope.yaml"], "kubecheck: error: nope.yaml: no such file or directory"),
    (["check", "m.yaml", "--context", "nope/"], "kubecheck: error: nope/: no such file or directory"),
    (["check", "--config", "nope.yaml", "m.yaml"], "nope.yaml: config file not found"),
    (["check", "--select", "nosuch", "m.yaml"],
     "kubecheck: error: select: unknown rule 'nosuch'; `kubecheck rules` lists them"),
    (["check", "--select", "orphan-servic", "m.yaml"],
     "kubecheck: error: select: unknown rule 'orphan-servic'; did you mean 'orphan-service'?"),
    (["check", "--ignore", "graf", "m.yaml"], "kubecheck: error: ignore: unknown rule 'graf'; did you mean 'graph'?"),
    (["lint", "m.yaml"], "No such command 'lint'"),
])
def test_usage_errors_exit_2(project, args, expected):
    write("m.yaml", CONFIGMAP)
    result = kubecheck(*args)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert result.stdout == ""


# --- config errors -----------------------------------------------------------------------


def test_config_unknown_key_names_the_key_and_its_line(project):
    write("m.yaml", CONFIGMAP)
    write(".kubecheck.yaml", "fail-on: error\nselct: [orphan-service]\n")
    result = kubecheck("check", "m.yaml")
    assert result.exit_code == 2
    assert result.stderr == (f"kubecheck: error: {project / '.kubecheck.yaml'}:2:1: unknown field \"selct\" in the "
                             "kubecheck configuration; did you mean \"select\"?\n")


@pytest.mark.parametrize(("config", "expected"), [
    ("fail-on: sometimes\n", '.kubecheck.yaml:1:10: fail-on: "sometimes" is not one of'),
    ("namespace: Prod\n", ".kubecheck.yaml:1:12: namespace:"),
    ("severity:\n  orphan-service: fatal\n", '.kubecheck.yaml:2:19: severity.orphan-service: "fatal" is not one of'),
    ("select: [orphan-servic]\n", ".kubecheck.yaml: select: unknown rule 'orphan-servic'; did you mean "
                                  "'orphan-service'?"),
    ("ignore: nosuch\n", ".kubecheck.yaml: ignore: unknown rule 'nosuch'"),
    ("severity: {graph: error}\n", ".kubecheck.yaml: severity: unknown rule 'graph'"),
    ("per-file-ignores:\n  'legacy/*': [nosuch]\n", "per-file-ignores.legacy/*: unknown rule 'nosuch'"),
    ("context: [nope/]\n", "nope: no such file or directory"),
    ("- fail-on\n", ".kubecheck.yaml: the config must be one YAML mapping of settings"),
    ("fail-on: [\n", ".kubecheck.yaml:2:1:"),
])
def test_config_errors_exit_2_and_name_the_key(project, config, expected):
    write("m.yaml", CONFIGMAP)
    write(".kubecheck.yaml", config)
    result = kubecheck("check", "m.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("kubecheck: error: ")
    assert expected in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_config_error_in_pyproject_names_the_key(project):
    write("m.yaml", CONFIGMAP)
    write("pyproject.toml", '[tool.kubecheck]\nfail_on = "error"\n')
    result = kubecheck("check", "m.yaml")
    assert result.exit_code == 2
    assert 'pyproject.toml: unknown field "fail_on" in the kubecheck configuration; did you mean "fail-on"?' \
        in result.stderr


def test_config_is_found_in_a_parent_folder(project, monkeypatch):
    write(".kubecheck.yaml", "ignore: [orphan-service]\n")
    write("deep/er/svc.yaml", ORPHAN_SERVICE)
    monkeypatch.chdir(project / "deep" / "er")
    assert kubecheck("check", "svc.yaml").exit_code == 0


def test_explicit_config_file(project):
    write("svc.yaml", ORPHAN_SERVICE)
    write(".kubecheck.yaml", "ignore: [selector-mismatch]\n")
    write("ci/kubecheck.yaml", "ignore: [orphan-service]\n")
    assert kubecheck("check", "svc.yaml").exit_code == 1
    assert kubecheck("check", "--config", "ci/kubecheck.yaml", "svc.yaml").exit_code == 0


# --- --select and --ignore ---------------------------------------------------------------


@pytest.fixture
def three_families(project):
    """duplicate-key (input) at 5:3, selector-mismatch (graph) at 12:3, orphan-service (graph) at 29:3."""
    write("m.yaml", DUPLICATE_KEY + "---" + MISMATCHED_DEPLOYMENT + "---" + ORPHAN_SERVICE)


ALL_THREE = [("duplicate-key", "m.yaml", 5, 3), ("selector-mismatch", "m.yaml", 12, 3),
             ("orphan-service", "m.yaml", 29, 3)]


@pytest.mark.parametrize(("options", "expected"), [
    ([], ALL_THREE),
    (["--select", "orphan-service"], [ALL_THREE[2]]),
    (["--select", "duplicate-key,orphan-service"], [ALL_THREE[0], ALL_THREE[2]]),
    (["--select", "graph"], ALL_THREE[1:]),
    (["--select", "input, selector-mismatch"], ALL_THREE[:2]),
    (["--ignore", "orphan-service"], ALL_THREE[:2]),
    (["--ignore", "graph"], ALL_THREE[:1]),
    (["--select", "graph", "--ignore", "orphan-service"], [ALL_THREE[1]]),
])
def test_select_and_ignore_by_rule_and_family(three_families, options, expected):
    assert rules_found(*options, "m.yaml") == expected


def test_select_option_replaces_the_configs_select(three_families):
    write(".kubecheck.yaml", "select: [duplicate-key]\n")
    assert rules_found("m.yaml") == ALL_THREE[:1]
    assert rules_found("--select", "graph", "m.yaml") == ALL_THREE[1:]


# --- --namespace -------------------------------------------------------------------------

TWO_CONFIGMAPS = CONFIGMAP + "---" + CONFIGMAP.replace("name: settings", "name: settings\n  namespace: prod")


def test_namespace_changes_defaulting(project):
    write("cms.yaml", TWO_CONFIGMAPS)
    assert rules_found("cms.yaml") == []
    assert rules_found("--namespace", "default", "cms.yaml") == []
    assert rules_found("--namespace", "prod", "cms.yaml") == [("duplicate-object", "cms.yaml", 11, 3)]


def test_namespace_from_the_config(project):
    write("cms.yaml", TWO_CONFIGMAPS)
    write(".kubecheck.yaml", "namespace: prod\n")
    assert rules_found("cms.yaml") == [("duplicate-object", "cms.yaml", 11, 3)]
    assert rules_found("--namespace", "staging", "cms.yaml") == []


# --- stdin -------------------------------------------------------------------------------


def test_stdin_is_reported_under_stdin_by_default(project):
    result = kubecheck("check", "-", input=textwrap.dedent(ORPHAN_SERVICE)[1:])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == f"<stdin>:6:3: warning orphan-service {ORPHAN_MESSAGE}"


def test_stdin_filename_names_the_findings_and_finds_the_config(project):
    write(".kubecheck.yaml", "ignore: [selector-mismatch]\n")  # not this one: the one next to path/x.yaml
    write("path/.kubecheck.yaml", "ignore: [orphan-service]\n")
    manifest = textwrap.dedent(MISMATCHED_DEPLOYMENT + "---" + ORPHAN_SERVICE)[1:]
    found = rules_found("--stdin-filename", "path/x.yaml", "-", input=manifest)
    assert found == [("selector-mismatch", "path/x.yaml", 6, 3)]


def test_stdin_filename_and_per_file_ignores_of_its_config(project):
    write("path/.kubecheck.yaml", "per-file-ignores:\n  x.yaml: [orphan-service]\n")
    manifest = textwrap.dedent(ORPHAN_SERVICE)[1:]
    assert rules_found("--stdin-filename", "path/x.yaml", "-", input=manifest) == []
    assert rules_found("--stdin-filename", "path/y.yaml", "-", input=manifest) == [
        ("orphan-service", "path/y.yaml", 6, 3)]


# --- --context ---------------------------------------------------------------------------


def test_context_provides_the_pods_of_a_service(project):
    write("svc.yaml", ORPHAN_SERVICE)
    write("ctx/deploy.yaml", DEPLOYMENT)
    assert rules_found("svc.yaml") == [("orphan-service", "svc.yaml", 6, 3)]
    result = kubecheck("check", "svc.yaml", "--context", "ctx")
    assert result.exit_code == 0
    assert result.stdout == "No findings in 1 file and 1 object.\n"


def test_no_findings_are_reported_for_context_files(project):
    write("svc.yaml", ORPHAN_SERVICE)
    write("ctx/deploy.yaml", DEPLOYMENT)
    # duplicate-key, selector-mismatch, not-an-object and yaml-syntax, all in a context file
    write("ctx/broken.yaml", DUPLICATE_KEY + "---" + MISMATCHED_DEPLOYMENT.replace("name: web", "name: other")
          + "---\n- not an object\n---\nkey: [unclosed\n")
    write("ctx/orphan.yaml", orphan("lonely").replace("app: web", "app: none"))
    write("ctx/deploy-again.yaml", DEPLOYMENT)  # duplicate-object among context files
    result = kubecheck("check", "--format", "json", "--fail-on", "info", "svc.yaml", "--context", "ctx")
    document = json.loads(result.stdout)
    assert document["findings"] == []
    assert result.exit_code == 0
    assert document["summary"]["files"] == 1


def test_context_from_the_config(project):
    write("svc.yaml", ORPHAN_SERVICE)
    write("ctx/deploy.yaml", DEPLOYMENT)
    write(".kubecheck.yaml", "context: [ctx]\n")
    assert rules_found("svc.yaml") == []


def test_a_file_given_as_a_path_and_in_context_is_checked_once(project):
    write("cm.yaml", CONFIGMAP)
    result = kubecheck("check", "--format", "json", "cm.yaml", "--context", ".", "--context", "cm.yaml")
    document = json.loads(result.stdout)
    assert document["findings"] == []  # no duplicate-object against itself
    assert (document["summary"]["files"], document["summary"]["objects"]) == (1, 1)
    assert result.exit_code == 0


def test_pre_commit_style_run_sees_the_repository_as_context(project):
    # The pre-commit hook runs `kubecheck check --context . FILES...`.
    write("service.yaml", ORPHAN_SERVICE)
    write("deployment.yaml", DEPLOYMENT)
    write("other.yaml", DUPLICATE_KEY)
    assert rules_found("--context", ".", "service.yaml") == []
    assert rules_found("--context", ".", "service.yaml", "other.yaml") == [("duplicate-key", "other.yaml", 5, 3)]


def test_a_checked_object_clashing_with_a_context_object_is_reported(project):
    write("cm.yaml", CONFIGMAP)
    write("ctx/cm.yaml", CONFIGMAP)
    assert rules_found("cm.yaml", "--context", "ctx") == [("duplicate-object", "cm.yaml", 4, 3)]


def test_stdin_file_is_not_also_read_from_disk_as_context(project):
    # An editor or hook sends the buffer of cm.yaml on stdin with the repository as context.
    write("cm.yaml", CONFIGMAP)
    found = rules_found("--stdin-filename", "cm.yaml", "-", "--context", ".", input=textwrap.dedent(CONFIGMAP)[1:])
    # SPEC 2: a file given both as a path and in --context is checked once; `-` named by --stdin-filename is that path.
    assert found == []


# --- walking directories -----------------------------------------------------------------


def orphan(name: str) -> str:
    return ORPHAN_SERVICE.replace("name: web", f"name: {name}")


@pytest.fixture
def tree(project):
    write("a.yaml", orphan("a"))
    write("b.yml", orphan("b"))
    write("c.json", json.dumps({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "c"},
                                "spec": {"selector": {"app": "c"}}}))
    write("notes.txt", orphan("txt"))
    write("sub/deeper/d.yaml", orphan("d"))
    write(".hidden/e.yaml", orphan("e"))
    write("sub/.git/f.yaml", orphan("f"))
    write("chart/Chart.yaml", "apiVersion: v2\nname: chart\nversion: 1.0.0\n")
    write("chart/templates/g.yaml", "{{- if .Values.enabled }}\n" + textwrap.dedent(orphan("g"))[1:] + "{{- end }}\n")
    write("chart/crds/h.yaml", orphan("h"))
    write("templates/i.yaml", orphan("i"))  # not in a chart: an ordinary folder


def files_with_findings(*args: str) -> list[str]:
    return sorted({file for _, file, _, _ in rules_found(*args)})


def test_directories_are_walked_recursively(tree):
    assert files_with_findings(".") == ["a.yaml", "b.yml", "c.json", "chart/crds/h.yaml", "sub/deeper/d.yaml",
                                        "templates/i.yaml"]


def test_no_path_means_the_working_directory(tree):
    assert files_with_findings() == files_with_findings(".")


def test_chart_yaml_is_not_a_manifest_and_is_mentioned_as_skipped(tree):
    result = kubecheck("check", "--format", "json", "chart")
    assert json.loads(result.stdout)["summary"]["skipped_files"] == ["chart/Chart.yaml"]


def test_files_named_explicitly_are_read_even_in_skipped_folders(tree):
    assert files_with_findings("chart/templates/g.yaml", ".hidden/e.yaml") == [".hidden/e.yaml",
                                                                               "chart/templates/g.yaml"]


def test_force_exclude_skips_named_files_where_a_walk_would(tree):
    # The pre-commit hook names every staged file: Helm templates and hidden files among them.
    named = ("a.yaml", "chart/templates/g.yaml", ".hidden/e.yaml", "templates/i.yaml", "chart/crds/h.yaml")
    assert files_with_findings("--force-exclude", *named) == ["a.yaml", "chart/crds/h.yaml", "templates/i.yaml"]
    assert files_with_findings("--force-exclude", str(Path("chart/templates/g.yaml").resolve())) == []
    assert files_with_findings("--force-exclude", ".") == files_with_findings(".")


def test_the_node_inventory_is_not_checked_as_a_manifest(project):
    write("nodes/pools.yaml", (PROJECT / "schemas" / "node-inventory.example.yaml").read_text())
    write("a.yaml", orphan("a"))
    write(".kubecheck.yaml", "nodes: [nodes/pools.yaml]\n")
    result = kubecheck("check", "--format", "json", ".")
    report = json.loads(result.stdout)
    assert [f["file"] for f in report["findings"]] == ["a.yaml"]  # no unknown-kind for NodeInventory
    assert report["summary"]["skipped_files"] == ["nodes/pools.yaml"]  # as kustomization files are
    assert rules_found("--nodes", "nodes/pools.yaml", "nodes/pools.yaml") == []  # named: skipped
    # Another inventory given (it replaces the config's): this file is a manifest like any other.
    write("nodes/other.yaml", (PROJECT / "schemas" / "node-inventory.example.yaml").read_text())
    assert rules_found("--nodes", "nodes/other.yaml", "nodes/pools.yaml") == [
        ("unknown-kind", "nodes/pools.yaml", 5, 7)]


def test_exclude_skips_files_and_folders(tree):
    write(".kubecheck.yaml", "exclude: [b.yml, 'sub/', '*.json', chart/crds]\n")
    assert files_with_findings(".") == ["a.yaml", "templates/i.yaml"]
    assert files_with_findings("sub", "b.yml") == []


def test_exclude_applies_to_context(project):
    write("svc.yaml", ORPHAN_SERVICE)
    write("ctx/deploy.yaml", DEPLOYMENT)
    write(".kubecheck.yaml", "exclude: [ctx/deploy.yaml]\n")
    assert rules_found("svc.yaml", "--context", "ctx") == [("orphan-service", "svc.yaml", 6, 3)]


def test_files_without_kubernetes_objects_are_skipped_and_mentioned(project):
    write("cm.yaml", CONFIGMAP)
    write("docker-compose.yml", "services:\n  web:\n    image: nginx\n")
    write("kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nresources: [cm.yaml]\n")
    result = kubecheck("check", ".")
    assert result.exit_code == 0
    assert result.stdout == ("No findings in 3 files and 1 object; 2 without Kubernetes objects skipped "
                             "(docker-compose.yml, kustomization.yaml).\n")


# --- output format selection -------------------------------------------------------------


def test_github_actions_selects_the_github_format(project):
    write("svc.yaml", ORPHAN_SERVICE)
    result = kubecheck("check", "svc.yaml", env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    assert result.stdout == f"::warning file=svc.yaml,line=6,col=3,title=orphan-service::{ORPHAN_MESSAGE}\n"
    result = kubecheck("check", "--format", "text", "svc.yaml", env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith("svc.yaml:6:3: warning orphan-service ")


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_every_format_runs(project, fmt):
    write("svc.yaml", ORPHAN_SERVICE)
    result = kubecheck("check", "--format", fmt, "svc.yaml")
    assert result.exit_code == 1
    assert "orphan-service" in result.stdout


# --- per-file-ignores and severity -------------------------------------------------------


def test_per_file_ignores_drop_a_rule_for_matching_files_only(project):
    write("legacy/svc.yaml", orphan("old"))
    write("new/svc.yaml", orphan("new"))
    write("legacy/dup.yaml", DUPLICATE_KEY)
    write(".kubecheck.yaml", "per-file-ignores:\n  'legacy/*.yaml': [orphan-service]\n")
    assert rules_found(".") == [("duplicate-key", "legacy/dup.yaml", 5, 3), ("orphan-service", "new/svc.yaml", 6, 3)]


def test_per_file_ignores_by_family(project):
    write("legacy/svc.yaml", orphan("old"))
    write("legacy/dup.yaml", DUPLICATE_KEY)
    write(".kubecheck.yaml", "per-file-ignores:\n  legacy/: [graph]\n")
    assert rules_found(".") == [("duplicate-key", "legacy/dup.yaml", 5, 3)]


def test_severity_override_changes_the_reported_severity_and_the_exit_status(project):
    write("svc.yaml", ORPHAN_SERVICE)
    assert kubecheck("check", "--fail-on", "error", "svc.yaml").exit_code == 0
    write(".kubecheck.yaml", "severity: {orphan-service: error}\n")
    result = kubecheck("check", "--fail-on", "error", "svc.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == f"svc.yaml:6:3: error orphan-service {ORPHAN_MESSAGE}"
    (finding,) = json.loads(kubecheck("check", "--format", "json", "svc.yaml").stdout)["findings"]
    assert finding["severity"] == "error"


def test_severity_override_can_lower_an_error(project):
    write("deploy.yaml", MISMATCHED_DEPLOYMENT)
    write(".kubecheck.yaml", "severity: {selector-mismatch: info}\n")
    assert kubecheck("check", "deploy.yaml").exit_code == 0
    assert kubecheck("check", "--fail-on", "info", "deploy.yaml").exit_code == 1


# --- --version, rules, explain -----------------------------------------------------------


def test_version(project):
    result = kubecheck("--version")
    assert result.exit_code == 0
    assert result.stdout == f"kubecheck, version {__version__}\n"


def test_rules_lists_every_rule_with_severity_and_family(catalogue):
    result = kubecheck("rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(catalogue.rules)
    for line, rule in zip(lines, catalogue.rules.values()):
        assert re.match(rf"{re.escape(rule.id)} +{rule.severity} +{rule.family} +{re.escape(rule.summary)}", line)
    assert re.fullmatch(r"orphan-service +warning +graph +A Service's selector selects no pod template in its "
                        r"namespace", lines[list(catalogue.rules).index("orphan-service")])


def test_rules_as_json(catalogue):
    result = kubecheck("rules", "--format", "json")
    assert result.exit_code == 0
    listing = json.loads(result.stdout)
    assert [entry["id"] for entry in listing] == list(catalogue.rules)
    for entry in listing:
        rule = catalogue.rules[entry["id"]]
        assert (entry["severity"], entry["family"], entry["summary"]) == (rule.severity, rule.family, rule.summary)
    for required in ("yaml-syntax", "duplicate-key", "not-an-object", "duplicate-object", "selector-mismatch",
                     "orphan-service", "unused-suppression"):
        assert required in catalogue.rules


def test_explain_prints_the_rationale_and_both_examples(catalogue):
    rule = catalogue.rules["orphan-service"]
    result = kubecheck("explain", "orphan-service")
    assert result.exit_code == 0
    assert result.stdout.startswith("orphan-service  (graph family, warning, enabled by default")
    assert " ".join(rule.rationale.split()) in " ".join(result.stdout.split())
    assert textwrap.indent(rule.fail_example, "    ") in result.stdout
    assert textwrap.indent(rule.pass_example, "    ") in result.stdout
    assert result.stdout.index("Failing example:") < result.stdout.index("Passing example:")


def test_explain_unknown_rule_exits_2_with_a_suggestion():
    result = kubecheck("explain", "nosuchrule")
    assert result.exit_code == 2
    assert result.stderr == "kubecheck: error: unknown rule 'nosuchrule'; see `kubecheck rules`\n"
    result = kubecheck("explain", "orphan-servic")
    assert result.exit_code == 2
    assert result.stderr == "kubecheck: error: unknown rule 'orphan-servic'; did you mean 'orphan-service'?\n"


# --- the installed executable, end to end ------------------------------------------------

needs_executable = pytest.mark.skipif(not KUBECHECK.exists(), reason=f"{KUBECHECK} is not installed")


def run_executable(*args: str, input: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(KUBECHECK), *args], input=input, capture_output=True, text=True, cwd=cwd,
                            timeout=60)
    assert "Traceback" not in result.stderr
    return result


@needs_executable
def test_executable_version(project):
    result = run_executable("--version")
    assert (result.returncode, result.stdout) == (0, f"kubecheck, version {__version__}\n")


@needs_executable
def test_executable_checks_a_directory_with_context_and_json(project):
    write("manifests/svc.yaml", ORPHAN_SERVICE)
    write("manifests/lonely.yaml", orphan("lonely").replace("app: web", "app: lonely"))
    write("ctx/deploy.yaml", DEPLOYMENT)
    result = run_executable("check", "--format", "json", "--context", "ctx", "manifests", cwd=project)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert [(f["rule"], f["file"], f["line"], f["column"]) for f in document["findings"]] == [
        ("orphan-service", "manifests/lonely.yaml", 6, 3)]
    assert (document["summary"]["files"], document["summary"]["exit_status"]) == (2, 1)


@needs_executable
def test_executable_reads_stdin(project):
    write("path/.kubecheck.yaml", "fail-on: error\n")
    result = run_executable("check", "--stdin-filename", "path/x.yaml", "-", input=textwrap.dedent(ORPHAN_SERVICE)[1:],
                            cwd=project)
    assert result.returncode == 0  # fail-on: error from path/.kubecheck.yaml
    assert result.stdout.splitlines()[0] == f"path/x.yaml:6:3: warning orphan-service {ORPHAN_MESSAGE}"


@needs_executable
def test_a_reader_that_stops_early_gets_no_error(project):
    # `kubecheck check --format json | head`: the closed pipe ends kubecheck quietly.
    services = "---\n".join(textwrap.dedent(ORPHAN_SERVICE)[1:].replace("name: web", f"name: web{n}")
                            for n in range(400))
    process = subprocess.Popen([str(KUBECHECK), "check", "--format", "json", "-"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=project)
    process.stdin.write(services.encode())
    process.stdin.close()
    assert process.stdout.read(1) == b"{"
    process.stdout.close()
    assert (process.wait(timeout=60), process.stderr.read()) == (1, b"")
    process.stderr.close()


@needs_executable
def test_executable_usage_error(project):
    result = run_executable("check", "nope.yaml", cwd=project)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", "kubecheck: error: nope.yaml: no such file "
                                                                        "or directory\n")


def test_an_unexpected_error_is_one_line_and_exit_status_2(project, monkeypatch):
    import kubecheck.run

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(kubecheck.run, "check", broken)
    result = CliRunner().invoke(main, ["check", "."])
    assert result.exit_code == 2
    assert result.output == ("kubecheck: error: internal error: RuntimeError: boom "
                             "(set KUBECHECK_DEBUG=1 for the traceback)\n")


# --- schema options ----------------------------------------------------------------------------

BAD_REPLICAS = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: x, sellector: {}}\n"


def test_kubernetes_version_outside_the_bundle_is_a_usage_error_listing_the_bundled_ones(project):
    write("d.yaml", BAD_REPLICAS)
    result = CliRunner().invoke(main, ["check", "--kubernetes-version", "1.12", "d.yaml"])
    assert result.exit_code == 2
    assert "Kubernetes 1.12 is not bundled; kubecheck has the schemas of 1.25, 1.26," in result.output
    assert "1.37" in result.output and "Traceback" not in result.output


def test_kubernetes_version_strict_and_schema_dirs_from_options_and_config(project):
    write("d.yaml", BAD_REPLICAS)
    strict = CliRunner().invoke(main, ["check", "--format", "json", "--kubernetes-version", "v1.30.4", "d.yaml"])
    assert [(f["line"], f["column"], f["message"]) for f in json.loads(strict.output)["findings"]] == [
        (4, 1, 'spec: missing required field "template" of DeploymentSpec'),
        (4, 18, 'spec.replicas: expected integer, got string "x"'),
        (4, 21, 'unknown field "sellector" in DeploymentSpec; did you mean "selector"?'),
    ]
    relaxed = CliRunner().invoke(main, ["check", "--format", "json", "--no-strict", "d.yaml"])
    assert not any("sellector" in f["message"] for f in json.loads(relaxed.output)["findings"])
    write(".kubecheck.yaml", "strict: false\nkubernetes-version: '1.29'\n")
    configured = CliRunner().invoke(main, ["check", "--format", "json", "d.yaml"])
    assert not any("sellector" in f["message"] for f in json.loads(configured.output)["findings"])
    write(".kubecheck.yaml", "kubernetes-version: '1.9'\n")
    bad = CliRunner().invoke(main, ["check", "d.yaml"])
    assert bad.exit_code == 2 and "kubernetes-version: Kubernetes 1.9 is not bundled" in bad.output


# --- statistics ----------------------------------------------------------------------------


def test_statistics_count_findings_per_rule_after_the_text_output(project):
    write("a.yaml", ORPHAN_SERVICE)
    write("b.yaml", ORPHAN_SERVICE.replace("name: web", "name: api"))
    write("c.yaml", DUPLICATE_KEY)
    result = kubecheck("check", "--statistics", "a.yaml", "b.yaml", "c.yaml")
    tail = result.stdout.split("\n\n")[-1]
    assert tail.splitlines() == ["2  orphan-service  (warning)", "1  duplicate-key  (error)"]
    # only for people: machine formats are left as they are
    assert json.loads(kubecheck("check", "--statistics", "--format", "json", "a.yaml").stdout)["findings"]


def test_progress_is_told_of_every_file_read(project):
    from kubecheck.config import Settings
    from kubecheck.pluginmanager import load_catalogue
    from kubecheck.run import check

    write("a.yaml", ORPHAN_SERVICE)
    write("b.yaml", DEPLOYMENT)
    heard = []
    check(["a.yaml"], Settings(context=("b.yaml",)), load_catalogue(),
          progress=lambda done, total: heard.append((done, total)))
    assert heard == [(1, 2), (2, 2)]
    # not on a terminal (as here): no progress on stderr
    assert kubecheck("check", "a.yaml").stderr == ""
