"""Config discovery, validation and merging (SPEC section 4)."""

import pytest

from kubecheck.config import ConfigError, Settings, check_rule_names, find_config, load_settings


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_nearest_config_upward_yaml_before_pyproject(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.kubecheck]\nnamespace = 'outer'\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == tmp_path / "pyproject.toml"
    write(tmp_path / "a" / ".kubecheck.yaml", "namespace: inner\n")
    assert find_config(deep) == tmp_path / "a" / ".kubecheck.yaml"
    write(tmp_path / "a" / "b" / "pyproject.toml", "[project]\nname = 'x'\n")  # no [tool.kubecheck]: skipped
    assert find_config(deep) == tmp_path / "a" / ".kubecheck.yaml"
    assert load_settings(start=deep).namespace == "inner"


def test_all_keys_are_read(tmp_path):
    config = write(tmp_path / ".kubecheck.yaml", """\
namespace: shop
context: [../platform]
select: graph, input
ignore: [duplicate-object]
fail-on: error
severity: {orphan-service: info}
exclude: [vendor/]
per-file-ignores: {"legacy/*.yaml": orphan-service}
workload-kinds: [argoproj.io/Rollout]
""")
    settings = load_settings(config)
    assert settings == Settings(
        namespace="shop", context=(str(tmp_path / "../platform"),), select=("graph", "input"),
        ignore=("duplicate-object",), fail_on="error", severity={"orphan-service": "info"}, exclude=("vendor/",),
        per_file_ignores={"legacy/*.yaml": ("orphan-service",)}, workload_kinds=frozenset({"argoproj.io/Rollout"}),
        root=tmp_path, config_file=config)


def test_pyproject_table(tmp_path):
    config = write(tmp_path / "pyproject.toml", "[tool.kubecheck]\nselect = ['graph']\n'fail-on' = 'never'\n")
    settings = load_settings(config)
    assert (settings.select, settings.fail_on, settings.root) == (("graph",), "never", tmp_path)


@pytest.mark.parametrize("text, message", [
    ("fail_on: error\n", '.kubecheck.yaml:1:1: unknown field "fail_on" in the kubecheck configuration; did you mean '
                         '"fail-on"?'),
    ("namespace: shop\nfail-on: sometimes\n",
     '.kubecheck.yaml:2:10: fail-on: "sometimes" is not one of "error", "warning", "info", "never"'),
    ("severity:\n  orphan-service: loud\n",
     '.kubecheck.yaml:2:19: severity.orphan-service: "loud" is not one of "error", "warning", "info"'),
    ("select: 3\n", ".kubecheck.yaml:1:9: select: expected array or string, got integer 3"),
    ("namespace: Shop_1\n", '.kubecheck.yaml:1:12: namespace: "Shop_1" does not match the pattern '
                             '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'),
    ("workload-kinds: [Rollout]\n", '.kubecheck.yaml:1:18: workload-kinds[0]: "Rollout" does not match the pattern '
                                     "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[A-Z][A-Za-z0-9]*$"),
    ("kubernetes-version: 1.30\n", '.kubecheck.yaml:1:21: kubernetes-version: expected string, got number 1.3 (an '
                                   'unquoted 1.30 is a number in YAML: write "1.30" in quotes)'),
    ("- a\n- b\n", ".kubecheck.yaml: the config must be one YAML mapping of settings"),
    ("namespace: [\n", ".kubecheck.yaml:2:1: did not find expected node content (while parsing a flow node)"),
])
def test_bad_config_names_the_key_and_its_line(tmp_path, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".kubecheck.yaml", text)
    with pytest.raises(ConfigError) as caught:
        load_settings(start=tmp_path)
    assert str(caught.value) == str(tmp_path / message)


def test_bad_toml_and_missing_config(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.kubecheck\n")
    with pytest.raises(ConfigError):
        load_settings(tmp_path / "pyproject.toml")
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.yaml")


def test_unknown_rule_names_are_config_errors():
    ids, families = {"orphan-service", "duplicate-object"}, {"graph"}
    check_rule_names(Settings(select=("graph", "orphan-service")), ids, families)
    with pytest.raises(ConfigError, match="select: unknown rule 'orphan-servce'; did you mean 'orphan-service'"):
        check_rule_names(Settings(select=("orphan-servce",)), ids, families)
    with pytest.raises(ConfigError, match="severity: unknown rule 'graph'"):
        check_rule_names(Settings(severity={"graph": "info"}), ids, families)
    with pytest.raises(ConfigError, match="per-file-ignores.a/: unknown rule 'nope'"):
        check_rule_names(Settings(per_file_ignores={"a/": ("nope",)}), ids, families)


def test_command_line_options_override_the_config():
    settings = Settings(namespace="shop", fail_on="error").with_options(namespace="prod", fail_on=None)
    assert (settings.namespace, settings.fail_on) == ("prod", "error")
