"""`kubecheck lsp`: a Language Server on stdio for editors (pygls).

- Diagnostics on open, change and save of the YAML and JSON files that hold Kubernetes objects:
  the range covers the key or value a finding is about, the code is the rule id, related
  information points at the other objects of a cross-object finding. All open buffers of a
  workspace are checked together after each change, because a change to a Deployment changes
  what its Service's findings say.
- Hover over a diagnostic: its rule explained, as `kubecheck explain` does.
- Code actions: what `kubecheck fix` migrates in the file, and a suppression comment for the
  line or the document.
- Each workspace folder's `.kubecheck.yaml` (or `pyproject.toml`) applies, and is read again
  when it changes.

Data flows as in `kubecheck check`: `kubecheck.workspace` keeps the loaded files and runs the
same steps (`kubecheck.run.judge`); this module translates findings into the protocol.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from kubecheck import __version__
from kubecheck.findings import Finding, reference_name
from kubecheck.fix import fix_bytes
from kubecheck.loader import SourceFile, load_text
from kubecheck.pluginmanager import Catalogue, load_catalogue
from kubecheck.positions import node_ends
from kubecheck.schemastore import SchemaStore, newest_version
from kubecheck.suppression import document_suppression_line, line_suppression_edit
from kubecheck.workspace import CONFIG_NAMES, Workspace, absolute

SOURCE = "kubecheck"
SEVERITIES = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning,
              "info": lsp.DiagnosticSeverity.Information}
MIGRATED_RULES = ("deprecated-api", "removed-api")  # what `kubecheck fix` fixes
UNSUPPRESSIBLE = ("internal-error", "unused-suppression")
_LSP_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")  # LSP counts only \n, \r\n and \r


class KubecheckServer(LanguageServer):
    """The server's state: one `Workspace` per folder, and what was last published per file."""

    def __init__(self, catalogue: Catalogue | None = None):
        super().__init__("kubecheck", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.catalogue = catalogue or load_catalogue()
        self.workspaces: dict[str, Workspace] = {}
        self.uris: dict[str, str] = {}  # absolute path -> the URI the client uses for it
        self.published: dict[str, list[tuple[lsp.Diagnostic, Finding]]] = {}  # by URI
        self.told: set[str] = set()  # problems already shown to the user

    def workspace_of(self, path: str) -> Workspace:
        """The workspace of the deepest folder that holds `path`; a file outside every folder
        gets one of its own directory, which reads nothing else from disk."""
        folders = [to_fs_path(folder.uri) for folder in self.workspace.folders.values()]
        if not folders and self.workspace.root_path:
            folders = [self.workspace.root_path]
        holding = [absolute(folder) for folder in folders if folder
                   and not os.path.relpath(path, folder).startswith("..")]
        root, scan = (max(holding, key=len), True) if holding else (str(Path(path).parent), False)
        key = f"{root}|{scan}"
        if key not in self.workspaces:
            self.workspaces[key] = Workspace(Path(root), self.catalogue, scan=scan)
        return self.workspaces[key]

    def recheck(self, workspace: Workspace) -> None:
        """Check every open buffer of `workspace` and publish what was found in each."""
        try:
            report = workspace.check()
        except Exception as error:  # a bug must not take the editor's diagnostics down for good
            self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error,
                                                         f"kubecheck: internal error: {type(error).__name__}: {error}"))
            return
        if workspace.problem and workspace.problem not in self.told:
            self.told.add(workspace.problem)
            self.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Warning, workspace.problem))
        by_file: dict[str, list[Finding]] = {path: [] for path in workspace.buffers}
        for finding in report.findings:
            by_file.setdefault(finding.file, []).append(finding)
        for path, findings in by_file.items():
            uri = self.uris.get(path) or from_fs_path(path)
            source = report.sources.get(path)
            entries = [(self._diagnostic(finding, source, workspace), finding) for finding in findings]
            self.published[uri] = entries
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[diagnostic for diagnostic, _ in entries]))

    def _diagnostic(self, finding: Finding, source: SourceFile | None, workspace: Workspace) -> lsp.Diagnostic:
        related = [lsp.DiagnosticRelatedInformation(
            location=lsp.Location(uri=self.uris.get(item.file) or from_fs_path(item.file),
                                  range=self._range(workspace.source_of(item.file), item.line, item.column)),
            message=item.message or reference_name(item.object)) for item in finding.related]
        return lsp.Diagnostic(
            range=self._range(source, finding.line, finding.column),
            message=finding.message, severity=SEVERITIES.get(finding.severity, lsp.DiagnosticSeverity.Error),
            code=finding.rule, source=SOURCE, related_information=related or None,
            data={"document": finding.document})

    def _range(self, source: SourceFile | None, line: int, column: int) -> lsp.Range:
        """The range of the key or value at 1-based `line` and `column` (code points), in client
        units: to the end of the node, or of its first line; to the end of the line where no node
        starts there (a syntax error)."""
        lines = source.lines if source is not None else []
        row, start = line - 1, column - 1
        text = lines[row] if 0 <= row < len(lines) else ""
        end_row, end = _ends(source.text).get((row, start), (row, len(text.rstrip()))) if source else (row, start)
        end = end if end_row == row else len(text.rstrip())
        codec = self.workspace.position_codec
        return codec.range_to_client_units(lines, lsp.Range(lsp.Position(row, start),
                                                            lsp.Position(row, max(end, start))))


@functools.lru_cache(maxsize=64)
def _ends(text: str) -> dict:
    """`node_ends` of a file's text, kept while the text is unchanged (files on disk, and the
    buffers no keystroke changed since the last check)."""
    return node_ends(text)


def explanation(rule, finding: Finding) -> str:
    """Markdown for a hover: the finding, then its rule's documentation."""
    return (f"**{finding.rule}** ({finding.severity}, {rule.family} family): {finding.message}\n\n"
            f"{rule.summary}.\n\n{rule.rationale}\n\n"
            f"`kubecheck explain {finding.rule}` shows a failing and a passing example.")


def build_server(catalogue: Catalogue | None = None) -> KubecheckServer:
    server = KubecheckServer(catalogue)

    def path_of(uri: str) -> str | None:
        path = to_fs_path(uri)
        return absolute(path) if path and uri.startswith("file:") else None

    def changed(uri: str) -> None:
        path = path_of(uri)
        if path is None:
            return
        server.uris[path] = uri
        workspace = server.workspace_of(path)
        workspace.open(path, server.workspace.get_text_document(uri).source)
        server.recheck(workspace)

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: KubecheckServer, params: lsp.InitializedParams) -> None:
        watched = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if watched and watched.dynamic_registration:
            watchers = [lsp.FileSystemWatcher(glob_pattern=pattern) for pattern in
                        ("**/*.{yaml,yml,json}", "**/.kubecheck.yaml", "**/Kustomization", "**/pyproject.toml")]
            ls.client_register_capability(lsp.RegistrationParams(registrations=[lsp.Registration(
                id="kubecheck-watched-files", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: KubecheckServer, params: lsp.DidOpenTextDocumentParams) -> None:
        changed(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: KubecheckServer, params: lsp.DidChangeTextDocumentParams) -> None:
        changed(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: KubecheckServer, params: lsp.DidSaveTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        if path is not None:
            workspace = ls.workspace_of(path)
            workspace.changed_on_disk([path])
            changed(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: KubecheckServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        path = path_of(uri)
        if path is None:
            return
        workspace = ls.workspace_of(path)
        workspace.close(path)
        ls.published.pop(uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        ls.recheck(workspace)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: KubecheckServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        paths = [path for path in (path_of(change.uri) for change in params.changes) if path]
        for workspace in list(ls.workspaces.values()):
            mine = [path for path in paths if Path(path).name in CONFIG_NAMES
                    or not os.path.relpath(path, workspace.root).startswith("..")]
            if mine:
                workspace.changed_on_disk(mine)
                ls.recheck(workspace)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: KubecheckServer, params: lsp.HoverParams) -> lsp.Hover | None:
        position = params.position
        parts = [explanation(ls.catalogue.rules[finding.rule], finding)
                 for diagnostic, finding in ls.published.get(params.text_document.uri, [])
                 if _contains(diagnostic.range, position) and finding.rule in ls.catalogue.rules]
        if not parts:
            return None
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)))

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    def code_action(ls: KubecheckServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        path = path_of(uri)
        ours = [d for d in params.context.diagnostics if d.source == SOURCE and isinstance(d.code, str)]
        if path is None or not ours:
            return []
        text = ls.workspace.get_text_document(uri).source
        return code_actions(uri, path, text, ours, ls.workspace_of(path), ls.workspace.position_codec)

    return server


def code_actions(uri: str, path: str, text: str, diagnostics: list[lsp.Diagnostic], workspace: Workspace,
                 codec) -> list[lsp.CodeAction]:
    """Quick fixes for kubecheck's diagnostics in one buffer: the file's apiVersion migrations
    (once, for all of them), then a suppression comment per rule on the line and in the document."""
    actions = []
    migrated = [d for d in diagnostics if d.code in MIGRATED_RULES]
    if migrated:
        version = workspace.settings.kubernetes_version or newest_version()
        result = fix_bytes(path, text.encode("utf-8", "surrogatepass"), SchemaStore(version))
        fixed = [outcome for outcome in result.outcomes if outcome.fixed] if result else []
        if fixed:
            title = (fixed[0].message if len(fixed) == 1 else f"Migrate {len(fixed)} objects' apiVersions")
            actions.append(lsp.CodeAction(title=f"{title} (kubecheck fix)", kind=lsp.CodeActionKind.QuickFix,
                                          diagnostics=migrated, is_preferred=True,
                                          edit=lsp.WorkspaceEdit(changes={uri: line_edits(text, result.fixed)})))
    if path.endswith(".json"):
        return actions  # JSON has no comments
    source = load_text(path, text)
    seen = set()
    for diagnostic in diagnostics:
        rule, line = diagnostic.code, diagnostic.range.start.line
        if rule in UNSUPPRESSIBLE:
            continue
        edit = line_suppression_edit(source, line, rule)
        if edit is not None and ("line", rule, line) not in seen:
            seen.add(("line", rule, line))
            start, end, new_text = edit
            actions.append(_suppression(uri, f"Suppress {rule} on this line", diagnostic, line, start, end,
                                        new_text, source, codec))
        document = (diagnostic.data or {}).get("document") if isinstance(diagnostic.data, dict) else None
        first = document_suppression_line(source, document)
        if first is not None and ("document", rule, first) not in seen:
            seen.add(("document", rule, first))
            actions.append(_suppression(uri, f"Suppress {rule} in this document", diagnostic, first, 0, 0,
                                        f"# kubecheck: ignore[{rule}]\n", source, codec))
    return actions


def _suppression(uri: str, title: str, diagnostic: lsp.Diagnostic, line: int, start: int, end: int,
                 new_text: str, source: SourceFile, codec) -> lsp.CodeAction:
    """A code action that writes a suppression comment (`start` and `end` in code points)."""
    where = codec.range_to_client_units(source.lines, lsp.Range(lsp.Position(line, start), lsp.Position(line, end)))
    return lsp.CodeAction(title=title, kind=lsp.CodeActionKind.QuickFix, diagnostics=[diagnostic],
                          edit=lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(range=where, new_text=new_text)]}))


def line_edits(original: str, fixed: str) -> list[lsp.TextEdit]:
    """The edits that turn `original` into `fixed`, whole lines at a time (the cursor and the
    editor's undo history keep the rest of the buffer)."""
    before, after = _LSP_LINES.findall(original), _LSP_LINES.findall(fixed)
    edits = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, first, last, new_first, new_last in matcher.get_opcodes():
        if tag != "equal":
            edits.append(lsp.TextEdit(range=lsp.Range(lsp.Position(first, 0), lsp.Position(last, 0)),
                                      new_text="".join(after[new_first:new_last])))
    return edits


def _contains(span: lsp.Range, position: lsp.Position) -> bool:
    start, end = span.start, span.end
    return (start.line, start.character) <= (position.line, position.character) <= (end.line, end.character)
