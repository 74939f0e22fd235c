"""Third-party plugins: a real plugin distribution (tests/plugin_example) installed with pip into a
temporary folder and found through its `kubecheck` entry point, then the plugin manager in-process.

The subprocess tests run the `kubecheck` executable of the running environment with
PYTHONPATH=<that folder>, so the environment itself is never modified.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import click.testing
import pluggy
import pytest

from kubecheck import cli, hookspecs
from kubecheck.hookspecs import hookimpl
from kubecheck.pluginmanager import PluginError, load_catalogue, plugin_manager
from kubecheck.rule import Rule

HERE = Path(__file__).resolve().parent
KUBECHECK = Path(sys.executable).parent / ("kubecheck.exe" if os.name == "nt" else "kubecheck")

MANIFEST = """\
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
          image: nginx:latest
"""
IMAGE_LINE, IMAGE_COLUMN = 16, 18  # where `nginx:latest` starts
LATEST_MESSAGE = "image 'nginx:latest' is tagged :latest; pin a version or a digest"

ORPHAN_SERVICE = """\
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
    - port: 80
"""


def can_build_wheels() -> str | None:
    """Why `pip --no-build-isolation` cannot build a setuptools project here; None when it can."""
    if importlib.util.find_spec("setuptools") is None:
        return "setuptools is not installed"
    if importlib.util.find_spec("setuptools.command.bdist_wheel") or importlib.util.find_spec("wheel"):
        return None
    return (f"setuptools {importlib.metadata.version('setuptools')} has no bdist_wheel (it needs "
            "setuptools>=70.1 or the `wheel` package): install kubecheck's test extra")


@pytest.fixture(scope="session")
def plugin_path(tmp_path_factory) -> Path:
    """A folder holding the installed example plugin (package and dist-info with its entry point)."""
    reason = can_build_wheels()
    if reason:
        pytest.fail(f"cannot install tests/plugin_example: {reason}", pytrace=False)
    # Build from a copy: pip builds in the source folder and would leave build/ and *.egg-info there.
    source = tmp_path_factory.mktemp("plugin-source") / "plugin_example"
    shutil.copytree(HERE / "plugin_example", source, ignore=shutil.ignore_patterns("build", "*.egg-info",
                                                                                    "__pycache__"))
    target = tmp_path_factory.mktemp("plugin-target")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", "--quiet", "--target", str(target), str(source)],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (target / "kubecheck_example_plugin" / "__init__.py").is_file()
    return target


def environment(plugin_path: Path | None) -> dict:
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "GITHUB_ACTIONS", "FORCE_COLOR")}
    env["NO_COLOR"] = "1"
    if plugin_path is not None:
        env["PYTHONPATH"] = str(plugin_path)
    return env


@pytest.fixture
def kubecheck(plugin_path, tmp_path):
    """kubecheck(*args, plugin=True) -> CompletedProcess, run in tmp_path (with MANIFEST as manifest.yaml)."""
    (tmp_path / "manifest.yaml").write_text(MANIFEST, encoding="utf-8")

    def run(*args, plugin=True):
        return subprocess.run([str(KUBECHECK), *args], cwd=tmp_path, env=environment(plugin_path if plugin else None),
                              capture_output=True, text=True, timeout=60)

    return run


def findings(result) -> list[tuple]:
    """(rule, severity, line, column, message) of a `--format json` run."""
    assert result.stderr == ""
    return [(f["rule"], f["severity"], f["line"], f["column"], f["message"])
            for f in json.loads(result.stdout)["findings"]]


# --- the installed plugin, through the command line ------------------------------------------------


def test_rules_lists_the_plugin_rules_with_their_family(kubecheck):
    result = kubecheck("rules", "--format", "json")
    assert result.returncode == 0, result.stderr
    listing = {rule["id"]: rule for rule in json.loads(result.stdout)}
    assert listing["no-latest-tag"] == {
        "id": "no-latest-tag", "family": "example", "severity": "warning", "enabled_by_default": True,
        "summary": "A container image is tagged :latest or has no tag", "plugin": "example"}
    assert listing["example-crash"] == {
        "id": "example-crash", "family": "example", "severity": "error", "enabled_by_default": False,
        "summary": "A rule whose check always raises (a test fixture)", "plugin": "example"}
    assert listing["orphan-service"]["plugin"] == "builtin-rules"


def test_rules_text_shows_family_and_off_by_default(kubecheck):
    result = kubecheck("rules")
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert lines["no-latest-tag"].split()[:3] == ["no-latest-tag", "warning", "example"]
    assert not lines["no-latest-tag"].endswith("(off by default)")
    assert lines["example-crash"].split()[:3] == ["example-crash", "error", "example"]
    assert lines["example-crash"].endswith("(off by default)")


def test_explain_a_plugin_rule(kubecheck):
    result = kubecheck("explain", "no-latest-tag")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("no-latest-tag  (example family, warning, enabled by default; from example)\n\n"
                                    "A container image is tagged :latest or has no tag.\n")
    assert "Failing example:\n\n    apiVersion: v1\n    kind: Pod\n" in result.stdout
    assert "          image: nginx:latest\n" in result.stdout
    assert "          image: nginx:1.27\n" in result.stdout


def test_check_reports_the_image_value(kubecheck):
    result = kubecheck("check", "--format", "json", "manifest.yaml")
    assert findings(result) == [("no-latest-tag", "warning", IMAGE_LINE, IMAGE_COLUMN, LATEST_MESSAGE)]
    assert json.loads(result.stdout)["findings"][0]["path"] == "/spec/template/spec/containers/0/image"
    assert result.returncode == 1


def test_check_text_output_points_at_the_image(kubecheck):
    result = kubecheck("check", "--format", "text", "manifest.yaml")
    assert result.stdout.splitlines()[:3] == [
        f"manifest.yaml:{IMAGE_LINE}:{IMAGE_COLUMN}: warning no-latest-tag {LATEST_MESSAGE}",
        f"  {IMAGE_LINE} |           image: nginx:latest",
        "     |                  ^",
    ]
    assert result.returncode == 1


def test_an_image_without_tag_is_reported(kubecheck, tmp_path):
    (tmp_path / "pod.yaml").write_text(textwrap.dedent("""\
        apiVersion: v1
        kind: Pod
        metadata:
          name: tools
        spec:
          initContainers:
            - name: init
              image: registry.example.com:5000/tools
          containers:
            - name: main
              image: busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
        """), encoding="utf-8")
    result = kubecheck("check", "--format", "json", "pod.yaml")
    assert findings(result) == [
        ("no-latest-tag", "warning", 8, 14,
         "image 'registry.example.com:5000/tools' has no tag (so :latest); pin a version or a digest")]


def test_select_runs_only_the_selected_plugin_rule(kubecheck, tmp_path):
    (tmp_path / "manifest.yaml").write_text(MANIFEST + ORPHAN_SERVICE, encoding="utf-8")
    everything = kubecheck("check", "--format", "json", "manifest.yaml")
    assert [f[0] for f in findings(everything)] == ["no-latest-tag", "orphan-service"]
    selected = kubecheck("check", "--format", "json", "--select", "no-latest-tag", "manifest.yaml")
    assert findings(selected) == [("no-latest-tag", "warning", IMAGE_LINE, IMAGE_COLUMN, LATEST_MESSAGE)]


def test_select_by_family_leaves_out_rules_that_are_off_by_default(kubecheck):
    result = kubecheck("check", "--format", "json", "--select", "example", "manifest.yaml")
    assert findings(result) == [("no-latest-tag", "warning", IMAGE_LINE, IMAGE_COLUMN, LATEST_MESSAGE)]
    assert result.returncode == 1  # example-crash did not run


def test_ignore_the_plugin_family(kubecheck):
    result = kubecheck("check", "--format", "json", "--ignore", "example", "manifest.yaml")
    assert findings(result) == []
    assert result.returncode == 0


def test_suppression_comment_on_the_image_line(kubecheck, tmp_path):
    text = MANIFEST.replace("image: nginx:latest", "image: nginx:latest  # kubecheck: ignore[no-latest-tag]")
    (tmp_path / "manifest.yaml").write_text(text, encoding="utf-8")
    result = kubecheck("check", "--format", "json", "manifest.yaml")
    assert findings(result) == []  # suppressed, and the suppression counts as used
    assert result.returncode == 0


def test_config_relevels_the_plugin_rule(kubecheck, tmp_path):
    default = kubecheck("check", "--format", "json", "--fail-on", "error", "manifest.yaml")
    assert findings(default) == [("no-latest-tag", "warning", IMAGE_LINE, IMAGE_COLUMN, LATEST_MESSAGE)]
    assert default.returncode == 0
    (tmp_path / ".kubecheck.yaml").write_text("severity:\n  no-latest-tag: error\n", encoding="utf-8")
    relevelled = kubecheck("check", "--format", "json", "--fail-on", "error", "manifest.yaml")
    assert findings(relevelled) == [("no-latest-tag", "error", IMAGE_LINE, IMAGE_COLUMN, LATEST_MESSAGE)]
    assert relevelled.returncode == 1


def test_a_crashing_rule_is_an_internal_error_and_the_run_goes_on(kubecheck, tmp_path):
    (tmp_path / "manifest.yaml").write_text(MANIFEST + ORPHAN_SERVICE, encoding="utf-8")
    result = kubecheck("check", "--format", "json", "--select", "example-crash,orphan-service", "manifest.yaml")
    assert findings(result) == [
        ("internal-error", "error", 1, 1,
         "rule example-crash failed on Deployment default/web: RuntimeError: this rule always fails"),
        ("orphan-service", "warning", 23, 3,
         "Service api selects no pods: no pod template in namespace 'default' carries app=api"),
    ]
    assert json.loads(result.stdout)["summary"]["exit_status"] == 2
    assert result.returncode == 2


def test_without_the_plugin_on_the_path_its_rules_are_absent(kubecheck):
    listing = kubecheck("rules", "--format", "json", plugin=False)
    assert listing.returncode == 0, listing.stderr
    ids = {rule["id"] for rule in json.loads(listing.stdout)}
    assert "orphan-service" in ids
    assert not ids & {"no-latest-tag", "example-crash"}
    result = kubecheck("check", "--select", "no-latest-tag", "manifest.yaml", plugin=False)
    assert result.stderr.startswith("kubecheck: error: select: unknown rule 'no-latest-tag'")
    assert result.returncode == 2


# --- the plugin manager, in-process -----------------------------------------------------------------


def make_rule(rule_id: str) -> Rule:
    return Rule(id=rule_id, family="test", severity="warning", summary="s", rationale="r", fail_example="f",
                pass_example="p", check=lambda obj, ctx: ())


def rules_plugin(*rules):
    """A plugin object whose kubecheck_rules hook returns `rules`."""
    class Plugin:
        @hookimpl
        def kubecheck_rules(self):
            return list(rules)

    return Plugin()


def bare_manager(**plugins) -> pluggy.PluginManager:
    manager = pluggy.PluginManager("kubecheck")
    manager.add_hookspecs(hookspecs)
    for name, plugin in plugins.items():
        manager.register(plugin, name=name)
    return manager


def test_rules_are_gathered_and_named_after_their_plugin():
    catalogue = load_catalogue(bare_manager(second=rules_plugin(make_rule("zeta")),
                                            first=rules_plugin(make_rule("alpha"), make_rule("beta"))))
    assert list(catalogue.rules) == ["alpha", "beta", "zeta"]
    assert [rule.plugin for rule in catalogue.rules.values()] == ["first", "first", "second"]
    assert catalogue.families == {"test"}


def test_two_plugins_defining_the_same_rule_id():
    manager = bare_manager(first=rules_plugin(make_rule("same-id")), second=rules_plugin(make_rule("same-id")))
    with pytest.raises(PluginError) as raised:
        load_catalogue(manager)
    assert str(raised.value) == "rule 'same-id' is defined by both 'first' and 'second'"


def test_a_plugin_redefining_a_builtin_rule():
    manager = plugin_manager()
    manager.register(rules_plugin(make_rule("orphan-service")), name="impostor")
    with pytest.raises(PluginError) as raised:
        load_catalogue(manager)
    assert str(raised.value) == "rule 'orphan-service' is defined by both 'builtin-rules' and 'impostor'"


def test_a_hook_returning_something_else_than_a_rule():
    manager = bare_manager(sloppy=rules_plugin(make_rule("fine"), "not-a-rule"))
    with pytest.raises(PluginError) as raised:
        load_catalogue(manager)
    assert str(raised.value) == "plugin 'sloppy' returned 'not-a-rule' instead of a kubecheck Rule"


def test_a_hook_that_raises():
    class Plugin:
        @hookimpl
        def kubecheck_rules(self):
            raise KeyError("missing")

    with pytest.raises(PluginError) as raised:
        load_catalogue(bare_manager(raising=Plugin()))
    assert str(raised.value) == "plugin 'raising' failed in kubecheck_rules: KeyError: 'missing'"


class FakeDistribution:
    """An installed distribution `kubecheck-<name>-plugin` with one `kubecheck` entry point `<name>`."""

    def __init__(self, name: str, value: str):
        self.name = f"kubecheck-{name}-plugin"
        self.metadata = {"Name": self.name}
        self.entry_points = [importlib.metadata.EntryPoint(name=name, value=value, group="kubecheck")]


def test_an_entry_point_whose_module_does_not_exist(monkeypatch):
    broken = FakeDistribution("broken", "kubecheck_no_such_plugin_module")
    monkeypatch.setattr(importlib.metadata, "distributions", lambda: [broken])
    with pytest.raises(PluginError) as raised:
        plugin_manager()
    assert str(raised.value) == ("the kubecheck plugin 'broken' (kubecheck_no_such_plugin_module, from "
                                 "kubecheck-broken-plugin) failed to load: ModuleNotFoundError: "
                                 "No module named 'kubecheck_no_such_plugin_module'")


def test_an_entry_point_whose_module_fails_to_import_is_named(monkeypatch, tmp_path):
    # A plugin written against another kubecheck: its own module imports, but not what it needs.
    (tmp_path / "kubecheck_outdated_plugin.py").write_text("from kubecheck.rule import NoSuchName\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    outdated = FakeDistribution("outdated", "kubecheck_outdated_plugin")
    monkeypatch.setattr(importlib.metadata, "distributions", lambda: [outdated])
    with pytest.raises(PluginError) as raised:
        plugin_manager()
    message = str(raised.value)
    assert message.startswith("the kubecheck plugin 'outdated' (kubecheck_outdated_plugin, from "
                              "kubecheck-outdated-plugin) failed to load: ImportError: cannot import name 'NoSuchName'")


@pytest.mark.parametrize("args", [["rules"], ["explain", "orphan-service"], ["check", "."]])
def test_cli_reports_a_plugin_error_in_one_line(monkeypatch, tmp_path, args):
    def broken():
        raise PluginError("a kubecheck plugin failed to load: ImportError: boom")

    monkeypatch.setattr(cli, "load_catalogue", broken)
    monkeypatch.chdir(tmp_path)
    result = click.testing.CliRunner().invoke(cli.main, args)
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert result.output == "kubecheck: error: a kubecheck plugin failed to load: ImportError: boom\n"
    assert "Traceback" not in result.output
