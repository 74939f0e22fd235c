"""`kubecheck lsp` (issue 7): a real client exchange with the server over stdio.

Each test starts the server as an editor does (`python -m kubecheck lsp` in a child process,
`tests/lsp_client.py`), opens files of a small workspace written here, and checks what comes
back on the wire: diagnostics with exact ranges (0-based lines, UTF-16 columns), the rule id as
code, hover text, code action edits, and the effect of changes, saves and watched-file events.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from lsp_client import LanguageClient
from support import WEB_DEPLOYMENT, WEB_SERVICE

DEPLOYMENT = WEB_DEPLOYMENT
SERVICE = WEB_SERVICE.replace("app: web", "app: wbe")  # selects no pods: orphan-service at 6:3


def span(line: int, start: int, end: int) -> dict:
    return {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}}


@pytest.fixture
def root(tmp_path) -> Path:
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "deployment.yaml").write_text(DEPLOYMENT)
    (folder / "service.yaml").write_text(SERVICE)
    return folder


@pytest.fixture
def client(root):
    client = LanguageClient(root)
    yield client
    client.close()


def open_file(client: LanguageClient, path: Path, text: str | None = None, language: str = "yaml") -> list[dict]:
    """didOpen, then the diagnostics published for that file."""
    seen = len(client.notifications)
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": path.as_uri(), "languageId": language, "version": 1,
        "text": path.read_text() if text is None else text}})
    return client.diagnostics(path.as_uri(), after=seen)


def change(client: LanguageClient, path: Path, version: int, changes: list[dict], uri: Path | None = None) -> list[dict]:
    """didChange (incremental), then the diagnostics next published for `uri` (default: the file)."""
    seen = len(client.notifications)
    client.notify("textDocument/didChange", {"textDocument": {"uri": path.as_uri(), "version": version},
                                              "contentChanges": changes})
    return client.diagnostics((uri or path).as_uri(), after=seen)


def apply_edits(text: str, edits: list[dict]) -> str:
    """Apply LSP text edits (non-overlapping, ASCII text) as an editor would."""
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def offset(position: dict) -> int:
        if position["line"] >= len(lines):
            return len(text)
        return offsets[position["line"]] + position["character"]

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


def test_a_whole_session_initialize_open_hover_code_action_change_shutdown(client, root):
    result = client.initialize(root)
    capabilities = result["capabilities"]
    assert result["serverInfo"]["name"] == "kubecheck"
    assert capabilities["textDocumentSync"]["change"] == 2  # incremental
    assert capabilities["textDocumentSync"]["save"]
    assert capabilities["hoverProvider"] is True
    assert capabilities["codeActionProvider"] == {"codeActionKinds": ["quickfix"]}
    assert capabilities["positionEncoding"] == "utf-16"

    service = root / "service.yaml"
    (diagnostic,) = open_file(client, service)
    assert diagnostic == {
        "range": span(5, 2, 10),  # `selector`, line 6 column 3 in the file
        "severity": 2,
        "code": "orphan-service",
        "source": "kubecheck",
        "message": "Service web selects no pods: no pod template in namespace 'default' carries app=wbe "
                   "(closest: Deployment default/web lacks app=wbe)",
        "relatedInformation": [{
            "location": {"uri": (root / "deployment.yaml").as_uri(), "range": span(10, 6, 12)},  # `labels`
            "message": "closest pod template's labels"}],
        "data": {"document": 0},
    }

    hover = client.request("textDocument/hover", {"textDocument": {"uri": service.as_uri()},
                                                  "position": {"line": 5, "character": 5}})
    assert hover["contents"]["kind"] == "markdown"
    assert hover["contents"]["value"].startswith("**orphan-service** (warning, graph family): Service web selects")
    assert "kubecheck explain orphan-service" in hover["contents"]["value"]
    assert client.request("textDocument/hover", {"textDocument": {"uri": service.as_uri()},
                                                 "position": {"line": 1, "character": 2}}) is None

    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": service.as_uri()}, "range": diagnostic["range"],
        "context": {"diagnostics": [diagnostic]}})
    assert [(action["title"], action["kind"], action["edit"]["changes"][service.as_uri()]) for action in actions] == [
        ("Suppress orphan-service on this line", "quickfix",
         [{"range": span(5, 11, 11), "newText": "  # kubecheck: ignore[orphan-service]"}]),
        ("Suppress orphan-service in this document", "quickfix",
         [{"range": span(0, 0, 0), "newText": "# kubecheck: ignore[orphan-service]\n"}]),
    ]
    assert all(action["diagnostics"] == [diagnostic] for action in actions)

    # Typing the right label value: `wbe` -> `web` on line 7.
    assert change(client, service, 2, [{"range": span(6, 9, 12), "text": "web"}]) == []
    # And back, through a full-text change.
    (again,) = change(client, service, 3, [{"text": SERVICE}])
    assert again["code"] == "orphan-service"

    assert client.shutdown() == 0


def test_applying_a_suppression_action_silences_the_finding(client, root):
    client.initialize(root)
    service = root / "service.yaml"
    (diagnostic,) = open_file(client, service)
    for version, title in enumerate(["Suppress orphan-service on this line", "Suppress orphan-service in this document"]):
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": service.as_uri()}, "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic]}})
        (action,) = [action for action in actions if action["title"] == title]
        edited = apply_edits(SERVICE, action["edit"]["changes"][service.as_uri()])
        assert change(client, service, 2 + 2 * version, [{"text": edited}]) == []  # no unused-suppression either
        assert change(client, service, 3 + 2 * version, [{"text": SERVICE}]) == [diagnostic]


def test_cross_object_rules_see_unsaved_buffers_of_other_files(client, root):
    client.initialize(root)
    service, deployment = root / "service.yaml", root / "deployment.yaml"
    fixed = SERVICE.replace("app: wbe", "app: web")
    assert open_file(client, service, fixed) == []
    assert open_file(client, deployment) == []
    # The Deployment's template labels change in the editor, unsaved: the Service now selects
    # nothing, and the Deployment's own selector no longer selects its template.
    seen = len(client.notifications)
    (finding,) = change(client, deployment, 2, [{"range": span(11, 13, 16), "text": "api"}], uri=service)
    assert finding["code"] == "orphan-service" and finding["range"] == span(5, 2, 10)
    assert [(d["code"], d["range"]) for d in client.diagnostics(deployment.as_uri(), after=seen)] == \
        [("selector-mismatch", span(5, 2, 10))]
    # Closing the Deployment's buffer: its file on disk counts again.
    seen = len(client.notifications)
    client.notify("textDocument/didClose", {"textDocument": {"uri": deployment.as_uri()}})
    assert client.diagnostics(deployment.as_uri(), after=seen) == []
    assert client.diagnostics(service.as_uri(), after=seen) == []


def test_files_created_on_disk_count_after_the_watched_files_event(client, root):
    client.initialize(root)
    service = root / "service.yaml"
    assert [d["code"] for d in open_file(client, service)] == ["orphan-service"]
    assert client.requests_from_server[0]["method"] == "client/registerCapability"
    other = root / "apps" / "wbe.yaml"
    other.parent.mkdir()
    other.write_text(DEPLOYMENT.replace("web", "wbe"))
    seen = len(client.notifications)
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": other.as_uri(), "type": 1}]})
    assert client.diagnostics(service.as_uri(), after=seen) == []
    other.unlink()
    seen = len(client.notifications)
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": other.as_uri(), "type": 3}]})
    assert [d["code"] for d in client.diagnostics(service.as_uri(), after=seen)] == ["orphan-service"]


def test_the_workspace_config_applies_and_is_read_again_when_it_changes(client, root):
    config = root / ".kubecheck.yaml"
    config.write_text("ignore: [orphan-service]\n")
    client.initialize(root)
    service = root / "service.yaml"
    assert open_file(client, service) == []
    config.write_text("severity:\n  orphan-service: error\n")
    seen = len(client.notifications)
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
    (diagnostic,) = client.diagnostics(service.as_uri(), after=seen)
    assert (diagnostic["code"], diagnostic["severity"]) == ("orphan-service", 1)


def test_a_config_that_cannot_be_used_is_shown_once_and_the_defaults_apply(client, root):
    (root / ".kubecheck.yaml").write_text("ignore: [no-such-rule]\n")
    client.initialize(root)
    service = root / "service.yaml"
    assert [d["code"] for d in open_file(client, service)] == ["orphan-service"]
    change(client, service, 2, [{"text": SERVICE + "\n"}])
    shown = [n["params"] for n in client.notifications if n["method"] == "window/showMessage"]
    assert len(shown) == 1 and shown[0]["type"] == 2
    assert "unknown rule 'no-such-rule'" in shown[0]["message"]


def test_migration_quick_fix_is_what_kubecheck_fix_writes(client, root):
    client.initialize(root)
    old = root / "old.yaml"
    text = textwrap.dedent("""\
        # the ingress, kept as written
        apiVersion: networking.k8s.io/v1beta1   # old
        kind: IngressClass
        metadata:
          name: nginx
        spec:
          controller: example.com/ingress-nginx
        """)
    old.write_text(text)
    diagnostics = open_file(client, old)
    (removed,) = [d for d in diagnostics if d["code"] == "removed-api"]
    assert removed["range"] == span(1, 12, 37)  # the apiVersion value
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": old.as_uri()},
                                                         "range": removed["range"],
                                                         "context": {"diagnostics": diagnostics}})
    migrate = actions[0]
    assert migrate["kind"] == "quickfix" and migrate["isPreferred"] is True
    assert migrate["title"].endswith("(kubecheck fix)")
    fixed = apply_edits(text, migrate["edit"]["changes"][old.as_uri()])
    assert fixed == text.replace("networking.k8s.io/v1beta1", "networking.k8s.io/v1")
    assert change(client, old, 2, [{"text": fixed}]) == []


def test_json_manifests_get_diagnostics_and_no_comment_actions(client, root):
    client.initialize(root)
    manifest = root / "service.json"
    manifest.write_text('{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api"},\n'
                        ' "spec": {"selector": {"app": "api"}, "ports": [{"port": 80}]}}\n')
    (diagnostic,) = open_file(client, manifest, language="json")
    assert (diagnostic["code"], diagnostic["range"]) == ("orphan-service", span(1, 10, 20))  # "selector"
    assert client.request("textDocument/codeAction", {"textDocument": {"uri": manifest.as_uri()},
                                                      "range": diagnostic["range"],
                                                      "context": {"diagnostics": [diagnostic]}}) == []


def test_yaml_that_holds_no_kubernetes_objects_gets_no_diagnostics(client, root):
    client.initialize(root)
    values = root / "values.yaml"
    values.write_text("replicaCount: 3\nimage: {repository: nginx}\n")
    assert open_file(client, values) == []
    workflow = root / ".github" / "workflows" / "ci.yaml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("kind: not-a-manifest\non: push\n")
    assert open_file(client, workflow) == []


def test_columns_are_utf16_code_units(client, root):
    client.initialize(root)
    config = root / "config.yaml"
    text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, annotations: {note: "🚀🚀"}, nmae: x}\n'
    (diagnostic,) = open_file(client, config, text)
    # `nmae` is column 50 in code points (kubecheck check says 3:50); each 🚀 is two UTF-16 units.
    assert diagnostic["code"] == "schema" and diagnostic["range"] == span(2, 49 + 2, 53 + 2)


def test_a_file_outside_the_workspace_folders_is_checked_alone(client, root, tmp_path):
    client.initialize(root)
    loose = tmp_path / "elsewhere" / "service.yaml"
    loose.parent.mkdir()
    loose.write_text(SERVICE.replace("app: wbe", "app: web"))
    # No Deployment next to it is read, and none in the workspace folder counts.
    (diagnostic,) = open_file(client, loose)
    assert diagnostic["code"] == "orphan-service"
