"""Files of a kustomize tree that are kustomize's own configuration, not Kubernetes objects.

A kustomization file (`kustomization.yaml`) tells kustomize how to build objects. The files
it names under `resources` are objects; the ones it names as patches (strategic merge or JSON
6902), replacements, transformer, generator or validator configurations, CRD and OpenAPI
schemas, Helm values, and the data files of ConfigMap and Secret generators are not. Checked
as objects they give false alarms (a patch that sets `replicas` on Deployment `web` "duplicates"
its base), so kubecheck skips them, and the kustomization files themselves.
"""

from __future__ import annotations

import os
from pathlib import Path

from kubecheck.loader import load_bytes

NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
_FILE_LISTS = ("patchesStrategicMerge", "transformers", "generators", "validators", "configurations", "crds")
_ENTRY_LISTS = ("patches", "patchesJson6902", "replacements")
_GENERATORS = ("configMapGenerator", "secretGenerator")


def kustomize_files(paths: list[Path]) -> dict[str, str]:
    """{absolute path: why it is not an object} for the kustomization files in the folders of
    `paths` and the files they name."""
    roles: dict[str, str] = {}
    for directory in sorted({os.path.dirname(os.path.abspath(path)) for path in paths}):
        for name in NAMES:
            kustomization = os.path.join(directory, name)
            if os.path.isfile(kustomization):
                roles[kustomization] = "a kustomization file"
                for named in _named_files(kustomization):
                    roles.setdefault(os.path.normpath(os.path.join(directory, named)),
                                     f"named by {name} as a patch or configuration")
    return roles


def _named_files(kustomization: str) -> list[str]:
    """Relative paths of the non-resource files a kustomization names."""
    source = load_bytes(kustomization, Path(kustomization).read_bytes())
    data = next((d.data for d in source.documents if isinstance(d.data, dict)), {})
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
