"""The README's promises: its two set-up commands are what CI runs; it lists every built-in rule."""

import re

from support import PROJECT

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
