"""The kubecheck plugin API: the hooks a plugin may implement.

A plugin is a module (or object) with functions marked ``@hookimpl`` whose names are the hooks
below, announced in its distribution's metadata under the ``kubecheck`` entry-point group::

    # pyproject.toml of a plugin
    [project.entry-points.kubecheck]
    my-rules = "my_package.rules"

    # my_package/rules.py
    from kubecheck.hookspecs import hookimpl
    from kubecheck.rule import Rule, Violation

    def check(obj, ctx):
        if obj.get("spec", "replicas") == 0:
            yield Violation(("spec", "replicas"), "replicas is 0", at="value")

    @hookimpl
    def kubecheck_rules():
        return [Rule(id="no-zero-replicas", family="custom", severity="warning",
                     summary="...", rationale="...", fail_example="...", pass_example="...",
                     check=check, kinds={"Deployment"})]

kubecheck's own rules (`kubecheck.rules`) and output formats (`kubecheck.reporters`) are
registered through this same entry-point group, so they are plugins like any other: a rule
from a plugin is listed by ``kubecheck rules``, selected, ignored, re-levelled and suppressed
exactly like a built-in one.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("kubecheck")
hookimpl = pluggy.HookimplMarker("kubecheck")


@hookspec
def kubecheck_rules():
    """Return the rules this plugin provides, as a list of `kubecheck.rule.Rule`.

    Called once per run. Rule ids are global: two plugins defining the same id is an error.
    Each rule's `check` is called with its scope's arguments (see `kubecheck.rule`); it
    yields `kubecheck.rule.Violation`s. A check that raises does not stop the run: kubecheck
    reports an `internal-error` finding naming the rule and the object, runs every other
    rule, and exits with status 2.
    """


@hookspec
def kubecheck_reporters():
    """Return output formats this plugin provides, as a dict of name -> render function.

    ``render(report, stream)`` writes a `kubecheck.run.Report` (findings in output order,
    the rule catalogue, the loaded sources and the run's counts) to the text stream. The name
    is what ``--format`` accepts.
    """
