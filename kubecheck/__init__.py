"""kubecheck: a Kubernetes manifest linter and static policy validator.

The data flow, file bytes to printed finding: `collect` (which files) -> `loader` (YAML with
positions) -> `objects` (Kubernetes objects) -> `index` (namespaces, identities, labels) ->
`engine` (rules from `pluginmanager`, paths to positions) -> `suppression` -> `reporters`.
`run` strings these together for one `kubecheck check`; `cli` is the command line.
Plugin authors need `kubecheck.hookspecs` and `kubecheck.rule`.
"""

__version__ = "0.1.0"
