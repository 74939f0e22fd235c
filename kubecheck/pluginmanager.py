"""Load every plugin (built-in ones included) and gather their rules and output formats."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pluggy

from kubecheck import hookspecs
from kubecheck.rule import Rule

ENTRY_POINT_GROUP = "kubecheck"


class PluginError(Exception):
    """A plugin failed to load or returned something kubecheck cannot use."""


@dataclass
class Catalogue:
    rules: dict[str, Rule]  # by id, sorted by id
    reporters: dict[str, object]  # format name -> render(report, stream)
    distributions: tuple = ()  # (plugin, distribution, version) of the installed plugins (cache keys)

    @property
    def families(self) -> set[str]:
        return {rule.family for rule in self.rules.values()}


def plugin_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager("kubecheck")
    manager.add_hookspecs(hookspecs)
    try:
        manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        manager.check_pending()
    except Exception as error:  # a broken plugin: name it, do not show a traceback
        raise PluginError(f"the kubecheck plugin {_broken_entry_point()} failed to load: "
                          f"{type(error).__name__}: {error}") from error
    return manager


def _broken_entry_point() -> str:
    """Which entry point of the group fails to import, to name it in the error (error path only)."""
    from importlib.metadata import distributions

    for distribution in distributions():
        for entry_point in distribution.entry_points:
            if entry_point.group == ENTRY_POINT_GROUP:
                try:
                    entry_point.load()
                except Exception:
                    return f"{entry_point.name!r} ({entry_point.value}, from {distribution.metadata['Name']})"
    return "(unknown)"


def load_catalogue(manager: pluggy.PluginManager | None = None) -> Catalogue:
    manager = manager or plugin_manager()
    rules: dict[str, Rule] = {}
    for impl in manager.hook.kubecheck_rules.get_hookimpls():
        for rule in _call(impl) or []:
            if not isinstance(rule, Rule):
                raise PluginError(f"plugin {impl.plugin_name!r} returned {rule!r} instead of a kubecheck Rule")
            if rule.id in rules:
                raise PluginError(f"rule {rule.id!r} is defined by both {rules[rule.id].plugin!r} "
                                  f"and {impl.plugin_name!r}")
            rules[rule.id] = replace(rule, plugin=impl.plugin_name)
    reporters: dict[str, object] = {}
    for impl in manager.hook.kubecheck_reporters.get_hookimpls():
        for name, render in (_call(impl) or {}).items():
            if name in reporters:
                raise PluginError(f"output format {name!r} is defined twice (by {impl.plugin_name!r})")
            reporters[name] = render
    distributions = tuple(sorted((str(name), dist.project_name, dist.version)
                                 for name, dist in ((manager.get_name(plugin), dist)
                                                    for plugin, dist in manager.list_plugin_distinfo())))
    return Catalogue(dict(sorted(rules.items())), reporters, distributions)


def _call(impl):
    try:
        return impl.function()
    except Exception as error:
        raise PluginError(f"plugin {impl.plugin_name!r} failed in {impl.function.__name__}: "
                          f"{type(error).__name__}: {error}") from error
