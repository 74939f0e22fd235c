"""workspace.Workspace, the language server's model of a folder: open buffers stand for their files,
everything else in the folder is context, as `kubecheck check --context ROOT FILE...` sees it."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from support import crd

from kubecheck.config import load_settings
from kubecheck.run import check
from kubecheck.workspace import Workspace

FOLDER = {
    ".kubecheck.yaml": "exclude: [legacy/]\n",
    "app/deployment.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
                - name: web
                  image: nginx
                  envFrom:
                    - configMapRef: {name: web-config}
                    - secretRef: {name: web-secret}
    """,
    "app/service.yaml": """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: api}
        spec:
          selector: {app: api}
          ports: [{port: 80}]
    """,
    "app/config.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {a: b}\n",
    "app/copy.json": '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web-config"}}\n',
    "app/secrets.yaml": "apiVersion: v1\nkind: Secret\nmetadata: {name: other}\n",
    "app/pdb.yaml": """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web}
        spec:
          maxUnavailable: 0
          selector: {matchLabels: {app: web}}
    """,
    "app/broken-selector.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: worker}
        spec:
          selector: {matchLabels: {app: worker}}
          template:
            metadata: {labels: {app: wroker}}
            spec: {containers: [{name: worker, image: busybox}]}
    """,
    # kustomize puts these in namespace shop and adds team=shop to the Deployment's selector
    "shop/kustomization.yaml": """
        namespace: shop
        commonLabels: {team: shop}
        resources: [deployment.yaml, service.yaml]
        patchesStrategicMerge: [patch.yaml]
    """,
    "shop/deployment.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: cart}
        spec:
          template:
            metadata: {labels: {app: cart}}
            spec: {containers: [{name: cart, image: cart}]}
    """,
    "shop/service.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: cart, namespace: shop}\n"
                         "spec: {selector: {app: cart}, ports: [{port: 80}]}\n",
    "shop/patch.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cart}\nspec: {replicas: 3}\n",
    "chart/Chart.yaml": "apiVersion: v2\nname: chart\nversion: 1.0.0\n",
    "chart/values.yaml": "replicas: 1\n",
    "chart/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
    ".hidden/secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata: {name: web-secret}\n",
    "legacy/service.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}}\n",
    "ci/workflow.yml": "on: push\njobs: {build: {runs-on: ubuntu-latest}}\n",
}
CHECKED = ["app/deployment.yaml", "app/service.yaml", "app/config.yaml", "app/copy.json", "app/secrets.yaml",
           "app/pdb.yaml", "app/broken-selector.yaml", "shop/deployment.yaml", "shop/service.yaml",
           "chart/Chart.yaml", "chart/values.yaml", "ci/workflow.yml"]
NOT_CHECKED = {
    ".kubecheck.yaml": "a hidden file",
    "shop/kustomization.yaml": "a kustomization",
    "shop/patch.yaml": "a patch its kustomization names",
    "chart/templates/deployment.yaml": "a Helm chart's template",
    ".hidden/secret.yaml": "in a hidden folder",
    "legacy/service.yaml": "excluded by the config",
}
assert sorted(CHECKED + list(NOT_CHECKED)) == sorted(FOLDER)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = textwrap.dedent(text)
        path.write_text(text[1:] if text.startswith("\n") else text, encoding="utf-8")


@pytest.fixture
def root(tmp_path, monkeypatch):
    """FOLDER written to tmp_path/repo; the working directory is elsewhere, so paths are absolute."""
    root = tmp_path / "repo"
    write(root, FOLDER)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    return root


def command_line(root: Path, names: list[str], catalogue):
    """`kubecheck check --context ROOT FILE...` with the config it finds from ROOT, run in
    another folder with FILEs named by absolute path (so findings name them so)."""
    settings = load_settings(None, root)
    settings = settings.with_options(context=settings.context + (str(root),))
    if settings.config_file is None:
        settings = settings.with_options(root=root)  # as when run in ROOT
    return check([str(root / name) for name in names], settings, catalogue)


def findings(report) -> list[tuple]:
    return [(f.rule, f.severity, f.message, f.file, f.line, f.column, f.related) for f in report.findings]


def where(report, root: Path) -> list[tuple]:
    """(rule, file relative to root, line, column) of each finding."""
    return [(f.rule, os.path.relpath(f.file, root), f.line, f.column) for f in report.findings]


def opened(workspace: Workspace, root: Path, *names: str) -> Workspace:
    for name in names:
        workspace.open(str(root / name), (root / name).read_text(encoding="utf-8"))
    return workspace


# ---------------------------------------------------------------------------------------------
# The same findings as the command line


def test_the_folder_has_findings_of_every_kind_the_equivalence_tests_compare(root, catalogue):
    report = opened(Workspace(root, catalogue), root, *CHECKED).check()
    assert where(report, root) == [
        ("selector-mismatch", "app/broken-selector.yaml", 5, 3),
        ("duplicate-object", "app/copy.json", 1, 56),
        ("missing-secret", "app/deployment.yaml", 14, 33),  # the hidden folder's Secret does not count
        ("pdb-blocks-eviction", "app/pdb.yaml", 5, 19),
        ("orphan-service", "app/service.yaml", 12, 3),
    ]
    assert [(os.path.relpath(r.file, root), r.line, r.column) for f in report.findings for r in f.related] == [
        ("app/broken-selector.yaml", 7, 16), ("app/config.yaml", 3, 12)]
    assert sorted(os.path.relpath(path, root) for path in report.skipped) == [
        "chart/Chart.yaml", "chart/values.yaml", "ci/workflow.yml"]
    assert (report.files, report.objects, report.internal_errors) == (12, 10, 0)


@pytest.mark.parametrize("name", CHECKED)
def test_one_open_file_gets_the_findings_of_check_with_the_folder_as_context(root, catalogue, name):
    workspace = opened(Workspace(root, catalogue), root, name)
    assert workspace.problem is None
    report = workspace.check()
    expected = command_line(root, [name], catalogue)
    assert findings(report) == findings(expected)
    assert (report.skipped, report.files, report.objects) == (expected.skipped, expected.files, expected.objects)


def test_every_file_open_at_once_gets_the_findings_of_check_with_the_folder_as_context(root, catalogue):
    workspace = opened(Workspace(root, catalogue), root, *FOLDER)
    report = workspace.check()
    expected = command_line(root, CHECKED, catalogue)
    assert len(report.findings) == 5
    assert findings(report) == findings(expected)
    assert (report.skipped, report.files, report.objects) == (expected.skipped, expected.files, expected.objects)


CONFIGS = {
    "none": None,
    "empty": "",
    "namespace, per-file-ignores, severity": """
        exclude: [legacy/]
        namespace: prod
        per-file-ignores: {app/pdb.yaml: [pdb-blocks-eviction], "**/*.json": [graph]}
        severity: {orphan-service: error}
    """,
    "select, exclude patterns": "exclude: ['*.json', legacy]\nselect: [graph]\n",
    "context outside the folder": "context: [../outside]\nexclude: [legacy/]\n",
}


@pytest.mark.parametrize("config", CONFIGS.values(), ids=list(CONFIGS))
def test_files_opened_one_after_another_in_one_workspace(root, catalogue, config):
    if config is None:
        (root / ".kubecheck.yaml").unlink()
    else:
        write(root, {".kubecheck.yaml": config})
    write(root.parent, {"outside/api.yaml": API_DEPLOYMENT})  # selected by Service api
    workspace = Workspace(root, catalogue)
    assert workspace.problem is None
    names = [name for name in FOLDER if (root / name).exists() and workspace.is_checked(str(root / name))]
    for count, name in enumerate(names, 1):
        opened(workspace, root, name)
        assert findings(workspace.check()) == findings(command_line(root, names[:count], catalogue))
    report = opened(workspace, root, *(name for name in FOLDER if (root / name).exists())).check()
    expected = command_line(root, names, catalogue)
    assert findings(report) == findings(expected)
    assert (report.skipped, report.files, report.objects) == (expected.skipped, expected.files, expected.objects)


@pytest.mark.parametrize("name", NOT_CHECKED)
def test_files_the_folder_walk_skips_are_not_checked(root, catalogue, name):
    workspace = opened(Workspace(root, catalogue), root, name)
    assert not workspace.is_checked(str(root / name))
    report = workspace.check()
    assert (report.findings, report.skipped, report.files) == ([], [], 0)


def test_is_checked(root, catalogue):
    workspace = Workspace(root, catalogue)
    assert all(workspace.is_checked(str(root / name)) for name in CHECKED)
    assert workspace.is_checked(str(root / "app/new.yaml"))  # an unsaved buffer
    assert workspace.is_checked(str(root / "brand/new/folder.yml"))
    assert workspace.is_checked(str(root / "app/new.json"))
    assert not workspace.is_checked(str(root / "app/notes.txt"))
    assert not workspace.is_checked(str(root / "legacy/new.yaml"))  # excluded, saved or not
    assert not workspace.is_checked(str(root / "app/README.md"))


@pytest.mark.parametrize("name", [".hidden/new.yaml", ".new.yaml", "chart/templates/new.yaml",
                                  "app/kustomization.yaml"])
def test_an_unsaved_buffer_where_the_walk_skips_files_is_not_checked(root, catalogue, name):
    assert not Workspace(root, catalogue).is_checked(str(root / name))


def test_unsaved_new_buffer_is_checked_with_the_folder_as_context(root, catalogue):
    workspace = Workspace(root, catalogue)
    workspace.open(str(root / "app/api.yaml"), "apiVersion: v1\nkind: Service\nmetadata: {name: api}\n"
                                               "spec: {selector: {app: web}, ports: [{port: 80}]}\n")
    assert where(workspace.check(), root) == [("duplicate-object", "app/api.yaml", 3, 12)]


def test_non_manifest_buffers_are_skipped(root, catalogue):
    workspace = opened(Workspace(root, catalogue), root, "ci/workflow.yml")
    workspace.open(str(root / "app/unsaved.yaml"), "just: data\n")
    report = workspace.check()
    assert report.findings == []
    assert report.skipped == [str(root / "app/unsaved.yaml"), str(root / "ci/workflow.yml")]
    assert report.files == 2


# ---------------------------------------------------------------------------------------------
# Buffers over files


def relabelled(deployment: str, app: str) -> str:
    return deployment.replace("{app: web}", "{app: %s}" % app)


def test_an_unsaved_buffer_stands_for_its_file_until_it_is_closed(root, catalogue):
    workspace = opened(Workspace(root, catalogue), root, "app/service.yaml")
    deployment = (root / "app/deployment.yaml").read_text()
    assert where(workspace.check(), root) == [("orphan-service", "app/service.yaml", 12, 3)]

    workspace.open(str(root / "app/deployment.yaml"), relabelled(deployment, "api"))
    assert where(workspace.check(), root) == [  # now Service web selects nothing, api something
        ("missing-secret", "app/deployment.yaml", 14, 33), ("orphan-service", "app/service.yaml", 5, 3)]

    workspace.close(str(root / "app/deployment.yaml"))
    assert where(workspace.check(), root) == [("orphan-service", "app/service.yaml", 12, 3)]


def test_buffers_are_named_by_absolute_path(root, catalogue, monkeypatch):
    monkeypatch.chdir(root)
    workspace = Workspace(root, catalogue)
    workspace.open("app/service.yaml", (root / "app/service.yaml").read_text())
    workspace.open("app/../app/deployment.yaml", relabelled((root / "app/deployment.yaml").read_text(), "api"))
    assert sorted(workspace.buffers) == [str(root / "app/deployment.yaml"), str(root / "app/service.yaml")]
    assert [f.file for f in workspace.check().findings if f.rule == "orphan-service"] == [str(root / "app/service.yaml")]


def test_a_custom_resource_follows_the_edits_of_its_definition(root, catalogue):
    schema = "type: object\nproperties:\n  spec:\n    type: object\n    properties:\n      size: {type: %s}\n"
    write(root, {"crd.yaml": crd("Widget", schema % "integer"),
                 "widget.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big}\n"})
    workspace = Workspace(root, catalogue)
    workspace.changed_on_disk([str(root / "crd.yaml"), str(root / "widget.yaml")])
    opened(workspace, root, "widget.yaml")
    messages = ['spec.size: expected integer, got string "big"']
    assert [f.message for f in workspace.check().findings] == messages
    for kind, expected in [("string", []), ("integer", messages), ("string", [])]:
        workspace.open(str(root / "crd.yaml"), crd("Widget", schema % kind))
        assert [f.message for f in workspace.check().findings if f.rule == "schema"] == expected


def test_the_source_of_a_buffer_and_of_a_file_on_disk(root, catalogue):
    workspace = opened(Workspace(root, catalogue), root, "app/service.yaml")
    workspace.open(str(root / "app/unsaved.yaml"), "kind: x\nb: 1")
    workspace.check()
    assert workspace.source_of(str(root / "app/unsaved.yaml")).lines == ["kind: x", "b: 1"]
    assert workspace.source_of(str(root / "app/config.yaml")).lines[0] == "apiVersion: v1"  # read as context
    assert workspace.source_of(str(root / "nowhere.yaml")) is None


# ---------------------------------------------------------------------------------------------
# Files on disk are read again only when the editor says they changed

API_DEPLOYMENT = """
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: api}
    spec:
      selector: {matchLabels: {app: api}}
      template:
        metadata: {labels: {app: api}}
        spec: {containers: [{name: api, image: api}]}
"""


def test_a_new_file_counts_once_the_editor_says_it_was_created_and_not_once_deleted(root, catalogue):
    workspace = opened(Workspace(root, catalogue), root, "app/service.yaml")
    orphan = [("orphan-service", "app/service.yaml", 12, 3)]
    assert where(workspace.check(), root) == orphan

    write(root, {"app/api.yaml": API_DEPLOYMENT})
    assert where(workspace.check(), root) == orphan
    assert workspace.is_checked(str(root / "app/api.yaml"))  # if it were opened: new on disk, not walked yet
    workspace.changed_on_disk([str(root / "app/api.yaml")])
    assert where(workspace.check(), root) == []
    assert workspace.is_checked(str(root / "app/api.yaml"))

    (root / "app/api.yaml").unlink()
    assert where(workspace.check(), root) == []
    workspace.changed_on_disk([str(root / "app/api.yaml")])
    assert where(workspace.check(), root) == orphan


def test_a_changed_file_is_read_again_once_the_editor_says_so(root, catalogue):
    workspace = opened(Workspace(root, catalogue), root, "app/service.yaml")
    assert where(workspace.check(), root) == [("orphan-service", "app/service.yaml", 12, 3)]
    path = root / "app/deployment.yaml"
    path.write_text(relabelled(path.read_text(), "api"))
    assert where(workspace.check(), root) == [("orphan-service", "app/service.yaml", 12, 3)]
    workspace.changed_on_disk([str(path)])
    assert where(workspace.check(), root) == [("orphan-service", "app/service.yaml", 5, 3)]


def test_a_changed_config_applies_once_the_editor_says_so(root, catalogue):
    workspace = opened(Workspace(root, catalogue), root, "app/service.yaml")
    write(root, {".kubecheck.yaml": "exclude: [legacy/]\nignore: [orphan-service]\n"})
    assert [f[0] for f in where(workspace.check(), root)] == ["orphan-service"]
    workspace.changed_on_disk([str(root / ".kubecheck.yaml")])
    assert where(workspace.check(), root) == []
    assert workspace.settings.ignore == ("orphan-service",)

    # without `exclude`, legacy/service.yaml duplicates Service web
    write(root, {".kubecheck.yaml": "ignore: [orphan-service]\n"})
    workspace.changed_on_disk([str(root / ".kubecheck.yaml")])
    assert where(workspace.check(), root) == [("duplicate-object", "app/service.yaml", 3, 12)]


def test_a_changed_kustomization_applies_once_the_editor_says_so(root, catalogue):
    workspace = opened(Workspace(root, catalogue), root, "shop/deployment.yaml", "shop/service.yaml")
    assert where(workspace.check(), root) == []
    write(root, {"shop/kustomization.yaml": "resources: [deployment.yaml, service.yaml]\n"})
    assert where(workspace.check(), root) == []
    workspace.changed_on_disk([str(root / "shop/kustomization.yaml")])
    report = workspace.check()
    # no selector added any more, the Deployment is no longer in namespace shop, and the patch is an object
    assert where(report, root) == [("duplicate-object", "shop/deployment.yaml", 3, 12),
                                   ("schema", "shop/deployment.yaml", 4, 1),
                                   ("orphan-service", "shop/service.yaml", 4, 8)]
    assert workspace.is_checked(str(root / "shop/patch.yaml"))  # named by no kustomization now
    assert findings(report) == findings(command_line(root, ["shop/deployment.yaml", "shop/service.yaml"], catalogue))


def test_a_bad_config_is_told_and_the_defaults_apply(root, catalogue):
    write(root, {".kubecheck.yaml": "exclude: [legacy/]\nfail-on: sometimes\n"})
    workspace = opened(Workspace(root, catalogue), root, "app/service.yaml")
    assert workspace.problem == (f"kubecheck: the config cannot be used, so the defaults apply: {root}/.kubecheck.yaml"
                                 ':2:10: fail-on: "sometimes" is not one of "error", "warning", "info", "never"')
    assert workspace.settings.root == root and workspace.settings.exclude == ()
    assert where(workspace.check(), root) == [("duplicate-object", "app/service.yaml", 3, 12),  # legacy/ is read
                                              ("orphan-service", "app/service.yaml", 12, 3)]
    assert workspace.is_checked(str(root / "legacy/service.yaml"))

    write(root, {".kubecheck.yaml": "exclude: [legacy/]\nignore: [orphan-servce]\n"})
    workspace.changed_on_disk([str(root / ".kubecheck.yaml")])
    assert workspace.problem == (f"kubecheck: the config cannot be used, so the defaults apply: {root}/.kubecheck.yaml"
                                 ": ignore: unknown rule 'orphan-servce'; did you mean 'orphan-service'?")

    write(root, {".kubecheck.yaml": "exclude: [legacy/]\n"})
    workspace.changed_on_disk([str(root / ".kubecheck.yaml")])
    assert workspace.problem is None
    assert where(workspace.check(), root) == [("orphan-service", "app/service.yaml", 12, 3)]


def test_a_node_inventory_that_cannot_be_read_is_told(root, catalogue):
    write(root, {".kubecheck.yaml": "exclude: [legacy/]\nnodes: nodes/cluster.yaml\n"})
    workspace = opened(Workspace(root, catalogue), root, "app/service.yaml")
    assert workspace.problem is None  # the inventory is read by the first check
    assert where(workspace.check(), root) == [("orphan-service", "app/service.yaml", 12, 3)]
    assert workspace.problem == (f"kubecheck: the node inventory cannot be used: {root}/nodes/cluster.yaml: "
                                 "cannot read the node inventory: No such file or directory")


INVENTORY = """\
apiVersion: kubecheck.io/v1
kind: NodeInventory
metadata: {name: cluster}
pools:
  - name: general
    count: 3
    labels: {disk: hdd}
    allocatable: {cpu: "4", memory: 16Gi, pods: "110"}
"""


def test_a_node_inventory_is_read_again_once_the_editor_says_it_changed(root, catalogue):
    write(root, {".kubecheck.yaml": "exclude: [legacy/, nodes/]\nnodes: nodes/cluster.yaml\n",
                 "nodes/cluster.yaml": INVENTORY,
                 "app/pod.yaml": """
                     apiVersion: v1
                     kind: Pod
                     metadata: {name: db}
                     spec:
                       nodeSelector: {disk: ssd}
                       containers: [{name: db, image: postgres}]
                 """})
    workspace = opened(Workspace(root, catalogue), root, "app/pod.yaml")
    assert [f[0] for f in where(workspace.check(), root)] == ["unschedulable"]
    assert workspace.problem is None
    inventory = root / "nodes/cluster.yaml"
    inventory.write_text(INVENTORY.replace("disk: hdd", "disk: ssd"))
    assert [f[0] for f in where(workspace.check(), root)] == ["unschedulable"]
    workspace.changed_on_disk([str(inventory)])
    assert where(workspace.check(), root) == []


def test_a_node_inventory_problem_goes_once_the_inventory_is_fixed(root, catalogue):
    write(root, {".kubecheck.yaml": "exclude: [legacy/, nodes/]\nnodes: nodes/cluster.yaml\n",
                 "nodes/cluster.yaml": "not: an inventory\n"})
    workspace = opened(Workspace(root, catalogue), root, "app/service.yaml")
    workspace.check()
    assert workspace.problem.startswith("kubecheck: the node inventory cannot be used: ")
    write(root, {"nodes/cluster.yaml": INVENTORY})
    workspace.changed_on_disk([str(root / "nodes/cluster.yaml")])
    workspace.check()
    assert workspace.problem is None


# ---------------------------------------------------------------------------------------------
# A workspace that does not scan its folder (files opened outside any workspace folder)


def test_without_a_scan_only_the_buffers_and_the_configs_context_are_read(root, catalogue):
    workspace = opened(Workspace(root / "app", catalogue, scan=False), root, "app/service.yaml")
    assert workspace.is_checked(str(root / "app/service.yaml"))
    assert workspace.is_checked(str(root / "app/deployment.yaml"))  # a file on disk, as a buffer would be
    report = workspace.check()
    assert where(report, root) == [("orphan-service", "app/service.yaml", 5, 3),
                                   ("orphan-service", "app/service.yaml", 12, 3)]
    assert workspace.settings.config_file == root / ".kubecheck.yaml"  # found from the folder upward
    assert workspace.source_of(str(root / "app/deployment.yaml")) is None  # never read

    write(root, {".kubecheck.yaml": "exclude: [legacy/]\ncontext: [app/deployment.yaml]\n"})
    workspace.changed_on_disk([str(root / ".kubecheck.yaml")])
    assert where(workspace.check(), root) == [("orphan-service", "app/service.yaml", 12, 3)]
