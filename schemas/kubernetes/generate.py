"""Generate kubecheck's bundled Kubernetes schemas (see README.md in this folder).

    python -m venv /tmp/kv && /tmp/kv/bin/pip install kubernetes-validate==1.37.0
    python schemas/kubernetes/generate.py /tmp/kv/lib/python3.*/site-packages/kubernetes_validate

For every `v1.X.0-local-strict/_definitions.json` of kubernetes-validate (the upstream OpenAPI
definitions of Kubernetes 1.X turned into JSON Schema, with `additionalProperties: false` on
every object that lists its properties), writes `v1.X.jsonl.gz`:

- line 1, a JSON header: the Kubernetes version, the source, and the definition of each kind,
  `{"kinds": {"apps/v1 Deployment": "io.k8s.api.apps.v1.Deployment", ...}}`;
- then one line per definition, `NAME<TAB>JSON`, where the JSON is the definition with a
  `title` (the type's short name, for messages such as "unknown field in PodSpec") and `$ref`s
  written `#/$defs/NAME`.

Two definitions are rewritten: IntOrString and Quantity are `oneOf` two nullable types upstream,
so `null` (which the API server accepts) matches both branches and fails `oneOf`; here they are
type unions, and Quantity's strings carry `format: quantity` (checked by kubecheck against
Kubernetes' quantity syntax, as the API server parses them).

Fields that upstream's OpenAPI marks required although the API server never required them
(later releases mark them optional) are optional in every version: see NOT_REQUIRED.

One line per definition lets kubecheck parse only the definitions a run needs.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
_REF = re.compile(r"^(?:/api/_definitions\.json|https://kubernetes\.io/api/_definitions\.json)?#/\$defs/")


def _rewrite(node):
    if isinstance(node, dict):
        return {key: ("#/$defs/" + _REF.sub("", value) if key == "$ref" and isinstance(value, str)
                      else _rewrite(value))  # (a property may be named "$ref": JSONSchemaProps)
                for key, value in node.items()}
    if isinstance(node, list):
        return [_rewrite(item) for item in node]
    return node


REWRITTEN = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": {"type": ["string", "integer", "null"]},
    "io.k8s.apimachinery.pkg.api.resource.Quantity": {"type": ["string", "number", "null"], "format": "quantity"},
}


#: (definition, field) -> why: required upstream in some releases, never required by the API server.
NOT_REQUIRED = {
    ("io.k8s.api.apps.v1.StatefulSetSpec", "serviceName"):
        "optional since 1.33 (kubernetes#130233: 'This field is NOT required')",
    ("io.k8s.api.networking.v1.NetworkPolicySpec", "podSelector"):
        "optional since 1.34 (kubernetes#131354: omitted, it selects all pods of the namespace)",
    ("io.k8s.api.batch.v1.PodFailurePolicyRule", "onPodConditions"):
        "optional since 1.29: a rule sets onExitCodes or onPodConditions",
    ("io.k8s.api.rbac.v1.RoleRef", "apiGroup"):
        "optional since 1.36: defaulted to rbac.authorization.k8s.io",
    ("io.k8s.api.scheduling.v1.PriorityClass", "value"):
        "optional since 1.36: an omitted value is 0",
    ("io.k8s.api.discovery.v1.EndpointSlice", "endpoints"):
        "optional since 1.36: an EndpointSlice may have no endpoints",
}


def _fixed(name: str, definition: dict) -> dict:
    required = [field for field in definition.get("required", []) if (name, field) not in NOT_REQUIRED]
    if required == definition.get("required", []):
        return definition
    fixed = {key: value for key, value in definition.items() if key != "required"}
    return {**fixed, "required": required} if required else fixed


def generate(package: Path) -> list[Path]:
    version_file = package / "version.py"
    source_version = re.search(r"['\"]([0-9.]+)['\"]", version_file.read_text()).group(1) if version_file.exists() else "?"
    written = []
    for folder in sorted((package / "kubernetes-json-schema").glob("v1.*.0-local-strict"),
                         key=lambda p: int(p.name.split(".")[1])):
        kubernetes = folder.name.split("-")[0].lstrip("v")
        minor = ".".join(kubernetes.split(".")[:2])
        definitions = json.loads((folder / "_definitions.json").read_text("utf-8"))["$defs"]
        kinds = {}
        for name, definition in definitions.items():
            for gvk in definition.get("x-kubernetes-group-version-kind", []):
                api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
                kinds.setdefault(f"{api_version} {gvk['kind']}", name)
        header = {"kubernetes": kubernetes, "source": f"kubernetes-validate {source_version} ({folder.name})",
                  "licence": "Apache-2.0", "kinds": dict(sorted(kinds.items()))}
        lines = [json.dumps(header, separators=(",", ":"))]
        for name in sorted(definitions):
            upstream = definitions[name]
            if name in REWRITTEN:
                upstream = {"description": upstream.get("description", ""), **REWRITTEN[name]}
            definition = {"title": name.rsplit(".", 1)[-1], **_rewrite(_fixed(name, upstream))}
            lines.append(f"{name}\t{json.dumps(definition, separators=(',', ':'), sort_keys=True)}")
        target = HERE / f"v{minor}.jsonl.gz"
        target.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0))
        written.append(target)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for path in generate(Path(sys.argv[1])):
        print(path.name, path.stat().st_size)
