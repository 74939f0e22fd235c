"""Where a run's schemas come from, for its target Kubernetes version.

In order of precedence:

1. the bundled Kubernetes schemas, one file per minor version (`schemas/kubernetes/`, see the
   README there), read without any network access;
2. CustomResourceDefinitions among the checked and context objects, for the versions they serve
   (`kubecheck.crd` turns their OpenAPI schemas into JSON Schema);
3. `--schema-dir` folders of JSON schemas named as kubeconform and the public CRD catalogues
   name them: `{kind}-{group}-{version}.json` (lower case; kubeconform uses the group's first
   label, `prometheus-monitoring-v1.json`, and the core group has none, `service-v1.json`), or
   `{group}/{kind}_{version}.json`.

A bundled file is decompressed once and its definitions are parsed one by one, only those the
checked kinds refer to. Validators are compiled once per kind and cached here.
"""

from __future__ import annotations

import difflib
import gzip
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kubecheck.kinds import is_custom_group, split_api_version
from kubecheck.loader import load_bytes

_VERSION = re.compile(r"v?1\.([0-9]+)(\.[0-9]+)?\Z")


def _bundle_dir():
    return resources.files("kubecheck.schemas").joinpath("kubernetes")


@lru_cache(maxsize=None)
def bundled_versions() -> list[str]:
    """Bundled Kubernetes minor versions, oldest first: ["1.25", ..., "1.37"]."""
    names = [entry.name for entry in _bundle_dir().iterdir() if entry.name.endswith(".jsonl.gz")]
    return sorted((name[1:-len(".jsonl.gz")] for name in names), key=lambda v: int(v.split(".")[1]))


def newest_version() -> str:
    return bundled_versions()[-1]


def parse_version(text: str) -> str | None:
    """"1.30", "v1.30" or "1.30.2" -> "1.30" when that version is bundled; None otherwise."""
    match = _VERSION.match(text.strip())
    version = f"1.{int(match.group(1))}" if match else None
    return version if version in bundled_versions() else None


@lru_cache(maxsize=None)
def served_kinds(version: str) -> frozenset[tuple[str, str]]:
    """The (apiVersion, kind) pairs a bundled version serves, from its header line alone (which
    gzip decompresses without the rest: asking all 13 versions costs little)."""
    with _bundle_dir().joinpath(f"v{version}.jsonl.gz").open("rb") as raw, gzip.open(raw) as stream:
        header = json.loads(stream.readline())
    return frozenset(tuple(key.split(" ", 1)) for key in header["kinds"])


class KubernetesSchemas:
    """The schemas of one bundled Kubernetes version."""

    def __init__(self, version: str):
        text = gzip.decompress(_bundle_dir().joinpath(f"v{version}.jsonl.gz").read_bytes()).decode("utf-8")
        header, _, body = text.partition("\n")
        meta = json.loads(header)
        self.version = version
        self.kubernetes = meta["kubernetes"]
        self.kinds: dict[tuple[str, str], str] = {tuple(key.split(" ", 1)): name for key, name in meta["kinds"].items()}
        self._lines: dict[str, str] = {}
        for line in body.splitlines():
            name, _, definition = line.partition("\t")
            self._lines[name] = definition
        self._parsed: dict[str, dict] = {}

    def definition_for(self, api_version: str, kind: str) -> str | None:
        return self.kinds.get((api_version, kind))

    def definition(self, name: str) -> dict | None:
        parsed = self._parsed.get(name)
        if parsed is None and name in self._lines:
            parsed = self._parsed[name] = json.loads(self._lines[name])
        return parsed

    def kinds_of_group(self, group: str) -> dict[str, list[str]]:
        """kind -> apiVersions serving it, for one API group."""
        found: dict[str, list[str]] = {}
        for api_version, kind in self.kinds:
            if split_api_version(api_version)[0] == group:
                found.setdefault(kind, []).append(api_version)
        return found


@lru_cache(maxsize=None)
def kubernetes_schemas(version: str) -> KubernetesSchemas:
    return KubernetesSchemas(version)


@lru_cache(maxsize=None)
def _bundled_validator(version: str, strict: bool, name: str):
    """Compiled once per process, so that runs after the first (the language server's) reuse it."""
    from kubecheck.validation import Validator

    return Validator({"$ref": f"#/$defs/{name}"}, kubernetes_schemas(version).definition, strict)


@lru_cache(maxsize=None)
def api_lifecycle() -> list[dict]:
    """The entries of schemas/api-lifecycle.yaml: apiVersions Kubernetes stopped serving."""
    data = resources.files("kubecheck.schemas").joinpath("api-lifecycle.yaml").read_bytes()
    return load_bytes("api-lifecycle.yaml", data).documents[0].data


@lru_cache(maxsize=None)
def _lifecycle_index() -> dict[tuple[str, str], dict]:
    return {(entry["apiVersion"], entry["kind"]): entry for entry in api_lifecycle()}


def lifecycle_entry(api_version: str, kind: str) -> dict | None:
    """The lifecycle entry (deprecated-in, removed-in, replacement) of an apiVersion and kind."""
    return _lifecycle_index().get((api_version, kind))


def minor(version: str) -> int:
    """30 for "1.30"."""
    return int(version.split(".")[1])


@dataclass(frozen=True)
class UnreadableSchema:
    """Stands for a --schema-dir file that is not JSON: every object of its kind reports it."""

    reason: str

    def errors(self, instance: object, kind: str = "") -> list:
        from kubecheck.validation import SchemaError

        return [SchemaError((), "key", f"{kind or 'the object'} {self.reason}", about_schema=True)]


@dataclass(frozen=True)
class Missing:
    """Why an apiVersion and kind has no schema, in words for the `unknown-kind` rule.

    `removed` is true when the target version no longer serves a built-in apiVersion: that is
    `removed-api`'s finding, not `unknown-kind`'s.
    """

    reason: str
    removed: bool = False
    at: str = "kind"  # the field that is wrong: "kind", or "apiVersion"


class SchemaStore:
    """The schemas of one run: target version, strictness, CRDs among the inputs, schema folders."""

    def __init__(self, version: str, strict: bool = True, crds: list = (), schema_dirs: tuple[str, ...] = ()):
        self.version = version
        self.strict = strict
        self.kubernetes = kubernetes_schemas(version)
        self.schema_dirs = tuple(schema_dirs)
        self.crds: dict[tuple[str, str], tuple] = {}  # (apiVersion, kind) -> (crd object, JSON Schema maker)
        self.crd_versions: dict[tuple[str, str], tuple] = {}  # (group, kind) -> (crd object, served versions)
        for crd in crds:
            self._add_crd(crd)
        self._validators: dict[tuple[str, str], object] = {}

    def _add_crd(self, crd) -> None:
        from kubecheck.crd import served_schemas

        group, kind = crd.get("spec", "group"), crd.get("spec", "names", "kind")
        if not isinstance(group, str) or not isinstance(kind, str):
            return
        served = served_schemas(crd.data)
        self.crd_versions.setdefault((group, kind), (crd, sorted(served)))
        for version, schema in served.items():
            self.crds.setdefault((f"{group}/{version}", kind), (crd, schema))

    def validator(self, api_version: str, kind: str):
        """The compiled validator for an apiVersion and kind, or None when there is no schema."""
        key = (api_version, kind)
        if key not in self._validators:
            self._validators[key] = self._build(api_version, kind)
        return self._validators[key]

    def _build(self, api_version: str, kind: str):
        from kubecheck.validation import Validator

        definitions = self.kubernetes.definition
        name = self.kubernetes.definition_for(api_version, kind)
        if name is not None:
            return _bundled_validator(self.version, self.strict, name)
        if (api_version, kind) in self.crds:
            _, schema = self.crds[api_version, kind]
            return Validator(schema(), definitions, self.strict)
        path = self._schema_file(api_version, kind)
        if path is not None:
            try:
                schema = json.loads(Path(path).read_text("utf-8"))
            except (OSError, ValueError) as error:
                return UnreadableSchema(f"cannot be validated: the schema file {path} is not JSON ({error})")
            return Validator(schema, definitions, self.strict)
        return None

    def _schema_file(self, api_version: str, kind: str) -> str | None:
        group, version = split_api_version(api_version)
        kind_lower = kind.lower()
        names = [f"{kind_lower}-{group.lower()}-{version}.json" if group else f"{kind_lower}-{version}.json",
                 f"{kind_lower}-{group.split('.')[0].lower()}-{version}.json" if group else None,
                 os.path.join(group.lower(), f"{kind_lower}_{version}.json") if group else None]
        for folder in self.schema_dirs:
            for name in filter(None, names):
                candidate = os.path.join(folder, name)
                if os.path.isfile(candidate):
                    return candidate
        return None

    def missing(self, api_version: str, kind: str) -> Missing:
        """Why there is no schema (call when `validator` returned None), pointing at the wrong part."""
        entry = lifecycle_entry(api_version, kind)
        if entry is not None and minor(entry["removed-in"]) <= minor(self.version):
            return Missing(f"{api_version} {kind} is no longer served (removed in {entry['removed-in']})", True)
        group, version = split_api_version(api_version)
        if (group, kind) in self.crd_versions:
            crd, versions = self.crd_versions[group, kind]
            return Missing(f"the CustomResourceDefinition {crd.name} does not serve version {version} of {kind} "
                           f"(it serves {', '.join(versions) or 'none'})", at="apiVersion")
        if is_custom_group(group):
            return self._missing_custom(api_version, group, kind)
        served_elsewhere = [v for v in bundled_versions() if (api_version, kind) in served_kinds(v)]
        if served_elsewhere:
            return Missing(f"{api_version} {kind} is not served by Kubernetes {self.version} (bundled schemas have "
                           f"it in {served_elsewhere[0]}" + (f" to {served_elsewhere[-1]})" if len(served_elsewhere) > 1
                                                              else ")"), at="apiVersion")
        kinds = self.kubernetes.kinds_of_group(group)
        if kind in kinds:
            return Missing(f"{api_version} does not serve {kind} in Kubernetes {self.version} (served as "
                           f"{', '.join(sorted(kinds[kind]))})", at="apiVersion")
        group_name = f"API group {group}" if group else "the core API group"
        elsewhere = self._built_in_api_versions(kind)
        if elsewhere:
            return Missing(f"{group_name} has no kind {kind}: it is served as {', '.join(elsewhere)}", at="apiVersion")
        close = difflib.get_close_matches(kind, list(kinds), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        return Missing(f"{group_name} has no kind {kind} in Kubernetes {self.version}{hint}")

    def _missing_custom(self, api_version: str, group: str, kind: str) -> Missing:
        where = " or in --schema-dir folders" if self.schema_dirs else ""
        reason = (f"no schema for {api_version} {kind}: no CustomResourceDefinition for it among the checked files "
                  f"or --context{where}")
        close = difflib.get_close_matches(kind, [k for g, k in self.crd_versions if g == group], n=1)
        if close:
            return Missing(f"{reason}; did you mean {close[0]} (which a CustomResourceDefinition defines in {group})?")
        # a built-in kind under a misspelt group: app/v1 Deployment, networking/v1 Ingress, rbac/v1 Role
        near = [served for served in self._built_in_api_versions(kind)
                if _near_group(group, split_api_version(served)[0])]
        if near:
            return Missing(f"{reason}; did you mean {near[0]}?", at="apiVersion")
        return Missing(reason)

    def _built_in_api_versions(self, kind: str) -> list[str]:
        """The apiVersions serving a built-in kind in the target version."""
        return sorted(v for v, k in self.kubernetes.kinds if k == kind and not k.endswith("List"))


def _near_group(written: str, built_in: str) -> bool:
    """Whether a custom group is likely a misspelling of a built-in one: same first label, or close."""
    if not built_in:
        return False
    return written.split(".")[0] == built_in.split(".")[0] or bool(
        difflib.get_close_matches(written, [built_in], n=1, cutoff=0.7))
