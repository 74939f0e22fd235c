"""kubecheck's built-in rules: one module per rule, named after the rule's id.

`orphan-service` lives in `orphan_service.py`, and so on. Each module defines `RULE`, a
`kubecheck.rule.Rule` with its documentation, examples and check. This package is installed as
`kubecheck.rules` and registered through the `kubecheck` entry-point group, exactly as a
third-party plugin registers its rules (see `kubecheck.hookspecs`).
"""

import importlib
import pkgutil

from kubecheck.hookspecs import hookimpl


@hookimpl
def kubecheck_rules():
    return [importlib.import_module(f"{__name__}.{module.name}").RULE for module in pkgutil.iter_modules(__path__)]
