"""Every rule documents a failing and a passing example; both must do what they claim."""

import re

import pytest
from support import PROJECT, sarif_of

from kubecheck.pluginmanager import load_catalogue

BUILTIN = {rule.id: rule for rule in load_catalogue().rules.values() if rule.plugin == "builtin-rules"}


@pytest.mark.parametrize("rule", BUILTIN.values(), ids=list(BUILTIN))
def test_failing_example_fires_exactly_this_rule(lint, rule):
    report = lint({"example.yaml": rule.fail_example}, **rule.example_settings)
    assert {finding.rule for finding in report.findings} == {rule.id}


@pytest.mark.parametrize("rule", BUILTIN.values(), ids=list(BUILTIN))
def test_failing_example_as_sarif_is_valid_with_the_rule_described(lint, catalogue, rule):
    """Issue 7: every rule's findings upload to code scanning (valid SARIF 2.1.0, located, described)."""
    report = lint({"example.yaml": rule.fail_example}, **rule.example_settings)
    run = sarif_of(catalogue, report)["runs"][0]
    descriptors = run["tool"]["driver"]["rules"]
    assert [(result["ruleId"], descriptors[result["ruleIndex"]]["id"]) for result in run["results"]] == \
        [(rule.id, rule.id)] * len(report.findings)
    for result, finding in zip(run["results"], report.findings):
        (location,) = result["locations"]
        region = location["physicalLocation"]["region"]
        assert (location["physicalLocation"]["artifactLocation"]["uri"], region["startLine"], region["startColumn"]) == \
            (finding.file, finding.line, finding.column)
        assert len(result.get("relatedLocations", [])) == len(finding.related)
    descriptor = descriptors[run["results"][0]["ruleIndex"]]
    assert descriptor["shortDescription"]["text"] == rule.summary
    assert rule.rationale[:40] in descriptor["help"]["text"]


@pytest.mark.parametrize("rule", BUILTIN.values(), ids=list(BUILTIN))
def test_passing_example_is_clean(lint, rule):
    assert lint({"example.yaml": rule.pass_example}, **rule.example_settings).findings == []


@pytest.mark.parametrize("rule", BUILTIN.values(), ids=list(BUILTIN))
def test_rule_is_documented(rule):
    assert rule.summary and not rule.summary.endswith(".")
    assert len(rule.rationale) > 100
    assert rule.fail_example.endswith("\n") and rule.pass_example.endswith("\n")


def test_each_builtin_rule_lives_in_a_module_named_after_it():
    modules = {path.stem for path in (PROJECT / "rules").glob("*.py") if path.stem != "__init__"}
    assert {module.replace("_", "-") for module in modules} == set(BUILTIN)
    for module in modules:
        text = (PROJECT / "rules" / f"{module}.py").read_text()
        assert re.search(rf'id="{module.replace("_", "-")}"', text), module
