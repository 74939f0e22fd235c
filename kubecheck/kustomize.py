"""What kustomize does with the files of a repository, as far as checking them is concerned.

A kustomization file (`kustomization.yaml`) tells kustomize how to build objects:

- The files it names under `resources` are objects. When it (or a kustomization that includes
  it, directly or through its folder) sets `commonLabels`, or `labels` with
  `includeSelectors: true`, kustomize adds those labels to the objects' selectors while
  building them, so a resource may leave its selector out: kubecheck records the labels, and
  the schema rule does not ask for a selector there.
- When it sets `namespace`, every object it builds is in that namespace (an including
  kustomization's `namespace` wins): kubecheck records it for the resource files.
- Its ConfigMap and Secret generators make objects that are in no file, under names that
  kustomize also writes into the references to them: kubecheck records those names, so that
  a pod referring to a generated ConfigMap is not told it is missing.
- The files it names as patches (strategic merge or JSON 6902), replacements, transformer,
  generator or validator configurations, CRD and OpenAPI schemas, Helm values, and the data
  files of ConfigMap and Secret generators are not objects. Checked as objects they give false
  alarms (a patch that sets `replicas` on Deployment `web` "duplicates" its base), so kubecheck
  skips them, and the kustomization files themselves.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kubecheck.loader import load_bytes

NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
_FILE_LISTS = ("patchesStrategicMerge", "transformers", "generators", "validators", "configurations", "crds")
_ENTRY_LISTS = ("patches", "patchesJson6902", "replacements")
_GENERATORS = ("configMapGenerator", "secretGenerator")
_MAX_DEPTH = 16


@dataclass(frozen=True)
class Build:
    """What kustomize does to the objects of one resource file."""

    selector_labels: dict = field(default_factory=dict)  # added to their selectors
    namespace: str | None = None  # set on all of them


@dataclass
class KustomizeLayout:
    not_objects: dict[str, str] = field(default_factory=dict)  # absolute path -> why it is not an object
    selector_labels: dict[str, dict] = field(default_factory=dict)  # resource file -> labels added to selectors
    namespaces: dict[str, str] = field(default_factory=dict)  # resource file -> the namespace kustomize sets
    generated: set[tuple[str, str]] = field(default_factory=set)  # (kind, name) of generated ConfigMaps and Secrets

    def build_of(self, path: str) -> Build:
        absolute = os.path.abspath(path)
        return Build(self.selector_labels.get(absolute, {}), self.namespaces.get(absolute))


def kustomize_layout(paths: list[Path]) -> KustomizeLayout:
    """What kustomize makes of the files in the folders of `paths` (their kustomizations)."""
    layout = KustomizeLayout()
    visited: set = set()
    for directory in sorted({os.path.dirname(os.path.abspath(path)) for path in paths}):
        _visit(directory, {}, None, layout, 0, visited)
    return layout


def _kustomization(directory: str) -> tuple[str, dict] | None:
    for name in NAMES:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            source = load_bytes(path, Path(path).read_bytes())
            data = next((d.data for d in source.documents if isinstance(d.data, dict)), {})
            return path, data
    return None


def _visit(directory: str, inherited: dict, namespace: str | None, layout: KustomizeLayout, depth: int,
           visited: set) -> None:
    key = (directory, tuple(sorted(inherited.items())), namespace)
    if key in visited:  # a folder included twice (or including itself) adds nothing the second time
        return
    visited.add(key)
    found = _kustomization(directory) if depth < _MAX_DEPTH else None
    if found is None:
        return
    path, data = found
    layout.not_objects[path] = "a kustomization file"
    for named in _named_files(data):
        layout.not_objects.setdefault(os.path.normpath(os.path.join(directory, named)),
                                      f"named by {os.path.basename(path)} as a patch or configuration")
    labels = {**inherited, **_selector_labels(data)}
    own = data.get("namespace")
    included = namespace is not None  # an including kustomization's namespace wins
    namespace = namespace or (own if isinstance(own, str) and own else None)
    for key, kind in (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")):
        layout.generated.update((kind, generator["name"]) for generator in _list(data.get(key))
                                if isinstance(generator, dict) and isinstance(generator.get("name"), str))
    for resource in _list(data.get("resources")) + _list(data.get("bases")) + _list(data.get("components")):
        if not isinstance(resource, str) or "://" in resource or resource.startswith("github.com/"):
            continue
        target = os.path.normpath(os.path.join(directory, resource))
        if os.path.isdir(target):
            _visit(target, labels, namespace, layout, depth + 1, visited)
            continue
        if labels:
            layout.selector_labels.setdefault(target, {}).update(labels)
        if included:
            layout.namespaces[target] = namespace
        elif namespace:
            layout.namespaces.setdefault(target, namespace)


def _selector_labels(data: dict) -> dict:
    """Labels a kustomization adds to selectors: commonLabels, and labels with includeSelectors."""
    labels = dict(data["commonLabels"]) if isinstance(data.get("commonLabels"), dict) else {}
    for entry in _list(data.get("labels")):
        if isinstance(entry, dict) and entry.get("includeSelectors") is True and isinstance(entry.get("pairs"), dict):
            labels.update(entry["pairs"])
    return labels


def _named_files(data: dict) -> list[str]:
    """Relative paths of the non-resource files a kustomization names."""
    named = []
    for key in _FILE_LISTS:
        named += [item for item in _list(data.get(key)) if isinstance(item, str) and "\n" not in item]
    for key in _ENTRY_LISTS:
        named += [item["path"] for item in _list(data.get(key)) if isinstance(item, dict)
                  and isinstance(item.get("path"), str)]
    for key in _GENERATORS:
        for generator in _list(data.get(key)):
            if isinstance(generator, dict):
                files = _list(generator.get("files")) + _list(generator.get("envs")) + _list(generator.get("env"))
                named += [item.rpartition("=")[2] for item in files if isinstance(item, str)]
    for chart in _list(data.get("helmCharts")):
        if isinstance(chart, dict) and isinstance(chart.get("valuesFile"), str):
            named.append(chart["valuesFile"])
    openapi = data.get("openapi")
    if isinstance(openapi, dict) and isinstance(openapi.get("path"), str):
        named.append(openapi["path"])
    return named


def _list(value) -> list:
    if isinstance(value, list):
        return value
    return [value] if value is not None else []
