"""The README's promises: its two set-up commands are what CI runs; it lists every built-in rule;
its integration examples (pre-commit, CI, editors) parse and use options that exist."""

import json
import re

import yaml
from support import PROJECT

from kubecheck import __version__
from kubecheck.cli import main
from kubecheck.pluginmanager import load_catalogue

README = (PROJECT / "README.md").read_text(encoding="utf-8")
CI = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")


def setup_commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", README, re.DOTALL).group(1)
    return block.strip().splitlines()


def test_readme_starts_with_two_commands_and_ci_runs_exactly_them():
    install, test = setup_commands()
    assert f"# README command 1: {install}\n" in CI
    assert f"# README command 2: {test}\n" in CI
    ci_steps = [line.replace(" || status=$?", "") for line in CI.splitlines()
                if line.startswith(("python3 ", ".venv/bin/"))]
    assert " && ".join(ci_steps[:3]) == install
    assert " && ".join(ci_steps[3:]) == test


def test_ci_builds_a_fresh_virtual_environment():
    assert "rm -rf .venv" in CI and "python3 -m venv .venv" in CI


def test_readme_lists_every_builtin_rule():
    builtin = [rule.id for rule in load_catalogue().rules.values() if rule.plugin == "builtin-rules"]
    listed = re.findall(r"^\| `([a-z-]+)` \|", README, re.MULTILINE)
    assert sorted(listed) == sorted(builtin)


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)


def test_the_yaml_and_json_examples_parse():
    assert len(code_blocks("yaml")) >= 4 and code_blocks("json")
    for block in code_blocks("yaml"):
        list(yaml.safe_load_all(block))
    for block in code_blocks("json"):
        json.loads(block)


def test_the_pre_commit_example_uses_hooks_this_repository_defines():
    defined = {hook["id"] for hook in yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())}
    (config,) = [yaml.safe_load(block) for block in code_blocks("yaml") if block.startswith("# .pre-commit-config")]
    used = {hook["id"] for repository in config["repos"] for hook in repository["hooks"]}
    assert used and used <= defined
    assert config["repos"][0]["rev"] == f"v{__version__}"


def test_every_kubecheck_command_in_the_examples_takes_the_options_it_is_given():
    commands = re.findall(r"\bkubecheck (check|fix|lsp|rules|explain)\b([^\n`|>;}]*)", "".join(
        code_blocks("yaml") + code_blocks("sh") + code_blocks("json") + code_blocks("lua") + code_blocks("elisp")))
    assert {name for name, _ in commands} >= {"check", "fix"}
    for name, arguments in commands:
        options = {option for parameter in main.commands[name].params for option in parameter.opts}
        given = set(re.findall(r"(?<!\S)(--[a-z-]+)", arguments))
        assert given <= options, (name, arguments)
