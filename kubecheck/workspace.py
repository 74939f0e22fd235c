"""An editor's workspace, for the language server (`kubecheck.lsp`): every manifest under a
folder, loaded once and kept, with the editor's open buffers in place of their files.

A check after a keystroke loads only the buffers that changed; the cross-object rules see the
rest of the workspace from memory, as `kubecheck check --context ROOT FILE...` sees it from
disk (the open buffers are the checked files, everything else is context). Files on disk are
read again only when the editor says they changed (`changed_on_disk`: a save, or a watched-file
event), never on a keystroke, so a re-check costs the index and the rules, not the disk.

Files are named by absolute path: the server's working directory is not the workspace's, and
`exclude` and `per-file-ignores` then match the same files as they do on the command line.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from kubecheck.collect import MANIFEST_SUFFIXES, PathError, PathPatterns, collect, walk_skips
from kubecheck.config import ConfigError, Settings, check_rule_names, load_settings
from kubecheck.index import ObjectIndex
from kubecheck.inventory import InventoryError, load_inventory
from kubecheck.kustomize import NAMES as KUSTOMIZATION_NAMES
from kubecheck.kustomize import KustomizeLayout, kustomize_layout
from kubecheck.loader import SourceFile
from kubecheck.pluginmanager import Catalogue
from kubecheck.reading import load
from kubecheck.run import Report, judge, not_objects, schema_store

CONFIG_NAMES = (".kubecheck.yaml", "pyproject.toml")


def absolute(path: str | Path) -> str:
    return Path(os.path.abspath(path)).as_posix()


class Workspace:
    """The manifests of one folder (`root`) and the open buffers below it.

    With `scan=False` (files opened outside any workspace folder) only the config's `context`
    is read from disk besides the buffers.
    """

    def __init__(self, root: Path, catalogue: Catalogue, *, scan: bool = True):
        self.root = Path(os.path.abspath(root))
        self.catalogue = catalogue
        self.scan = scan
        self.buffers: dict[str, str] = {}  # absolute path -> text of an open buffer
        self._config_problem: str | None = None  # why the config cannot be used
        self._inventory_problem: str | None = None  # why the node inventory cannot be used
        self._loaded_buffers: dict[str, tuple[str, tuple]] = {}  # path -> (text, (source, objects))
        self._disk: dict[str, tuple] = {}  # path -> (source, objects) of a file as it is on disk
        self._files: list[str] | None = None  # manifest files found on disk; None until scanned
        self._file_set: set[str] = set()
        self._not_objects: set[str] = set()  # kustomize's own files, the node inventory
        self._layout = KustomizeLayout()
        self._schemas: tuple[tuple, object] | None = None  # (ids of the CRD objects, SchemaStore)
        self._inventory: tuple | None = None  # (Inventory or None,) once read
        self.settings = Settings(root=self.root)
        self.reload_config()

    # --- what the editor tells -------------------------------------------------------------

    def open(self, path: str, text: str) -> None:
        """A buffer was opened or changed: `text` stands for the file from now on."""
        self.buffers[absolute(path)] = text

    def close(self, path: str) -> None:
        path = absolute(path)
        self.buffers.pop(path, None)
        self._loaded_buffers.pop(path, None)

    def changed_on_disk(self, paths: list[str]) -> None:
        """Files were saved, created, changed or deleted on disk: read them again when needed.

        A config or kustomization file changes how everything is read, so everything is.
        """
        paths = [absolute(path) for path in paths]
        names = {Path(path).name for path in paths}
        if names & set(CONFIG_NAMES):
            self.reload_config()
            return
        if names & set(KUSTOMIZATION_NAMES):
            self._forget_files()
            return
        for path in paths:
            self._disk.pop(path, None)
        if {absolute(node) for node in self.settings.nodes} & set(paths):
            self._inventory = None
        if any((path in self._file_set) != os.path.isfile(path) for path in paths):
            self._files = None  # a file came or went: walk the folders again

    def reload_config(self) -> None:
        """Read the workspace's config again (`.kubecheck.yaml` or `pyproject.toml`, from the root
        upward); a config that cannot be used leaves the defaults and says why in `problem`."""
        self._config_problem = None
        try:
            settings = load_settings(None, self.root)
            check_rule_names(settings, set(self.catalogue.rules), self.catalogue.families)
        except (ConfigError, OSError) as error:
            self._config_problem = f"kubecheck: the config cannot be used, so the defaults apply: {error}"
            settings = Settings()
        if settings.config_file is None:
            settings = replace(settings, root=self.root)  # globs are relative to the workspace
        self.settings = settings
        self._exclude = PathPatterns(settings.exclude, settings.root)
        self._forget_files()

    @property
    def problem(self) -> str | None:
        """Why the config or the node inventory cannot be used, for the user; None if they can."""
        return self._config_problem or self._inventory_problem

    def _forget_files(self) -> None:
        self._files, self._disk, self._loaded_buffers = None, {}, {}
        self._schemas = self._inventory = None

    # --- checking --------------------------------------------------------------------------

    def check(self) -> Report:
        """The findings on every open buffer that is a manifest of this workspace."""
        settings = self.settings
        files = self._scan()
        report = Report([], self.catalogue, settings)
        checked, everything = [], []
        for path in sorted(self.buffers):
            if not self.is_checked(path):
                continue
            source, objects = self._buffer(path)
            if objects is None:
                report.skipped.append(path)
                continue
            checked.append((source, objects))
            everything.extend(objects)
        for path in files:
            if path not in self.buffers:
                objects = self._from_disk(path)[1]
                if objects is not None:
                    everything.extend(objects)
        index = ObjectIndex(everything, settings.namespace, settings.operator_pods, self._layout.generated)
        judge(report, checked, index, self._schema_store(everything), self._node_inventory())
        report.files = len(checked) + len(report.skipped)
        return report

    def source_of(self, path: str) -> SourceFile | None:
        """A loaded file (an open buffer, or a file on disk), for positions in it."""
        loaded = self._loaded_buffers.get(path)
        return loaded[1][0] if loaded else self._disk.get(path, (None,))[0]

    def is_checked(self, path: str) -> bool:
        """Whether a buffer is checked: a manifest file that the command line would read in a walk
        of the workspace (not excluded, not hidden, not a Helm chart's template, not a
        kustomization or one of the files it names that are no objects), saved or not."""
        path = absolute(path)
        self._scan()
        if path in self._not_objects or Path(path).name in KUSTOMIZATION_NAMES:
            return False
        if not path.endswith(MANIFEST_SUFFIXES) or self._exclude.matches(Path(path)):
            return False
        inside = self.scan and not os.path.relpath(path, self.root).startswith("..")
        return not (inside and walk_skips(Path(path), str(self.root)))

    def _scan(self) -> list[str]:
        if self._files is None:
            settings = self.settings
            exclude = self._exclude
            roots = ([str(self.root)] if self.scan else []) + [p for p in settings.context if os.path.exists(p)]
            try:
                found = collect(roots, exclude)
            except (PathError, OSError):
                found = []
            self._files = [absolute(path) for path in found]
            self._layout = kustomize_layout([Path(path) for path in self._files]
                                            + [Path(path) for path in self.buffers])
            self._not_objects = {absolute(path) for path in not_objects(settings, self._layout)}
            self._files = [path for path in self._files if path not in self._not_objects]
            self._file_set = set(self._files)
        return self._files

    def _buffer(self, path: str) -> tuple:
        text = self.buffers[path]
        cached = self._loaded_buffers.get(path)
        if cached is None or cached[0] is not text:
            cached = text, load(path, text.encode("utf-8", "surrogatepass"), self.settings.workload_kinds,
                                is_context=False, build=self._layout.build_of(path))
            self._loaded_buffers[path] = cached
        return cached[1]

    def _from_disk(self, path: str) -> tuple:
        loaded = self._disk.get(path)
        if loaded is None:
            try:
                raw = Path(path).read_bytes()
            except OSError:
                raw = b""
            loaded = self._disk[path] = load(path, raw, self.settings.workload_kinds, is_context=True,
                                             build=self._layout.build_of(path))
        return loaded

    def _schema_store(self, everything: list) -> object:
        """The schemas, kept while the same CRD objects are loaded (compiling them costs)."""
        crds = tuple(id(obj) for obj in everything if obj.kind == "CustomResourceDefinition")
        if self._schemas is None or self._schemas[0] != crds:
            self._schemas = crds, schema_store(self.settings, everything)
        return self._schemas[1]

    def _node_inventory(self):
        if self._inventory is None:
            self._inventory_problem = None
            try:
                self._inventory = (load_inventory(self.settings.nodes),)
            except (InventoryError, OSError) as error:
                self._inventory_problem = f"kubecheck: the node inventory cannot be used: {error}"
                self._inventory = (None,)
        return self._inventory[0]
