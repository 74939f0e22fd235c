"""A content-addressed cache for re-runs: each file's loaded objects, and the findings of its
local rules (`Rule.local`), so that a run over an unchanged repository reads no YAML and only
re-runs the cross-object rules.

Keys are SHA-256 digests of everything an entry depends on: kubecheck's version and the
file's bytes, name and build (`file_key`); for findings also the settings, the enabled rules,
the bundled or given schemas and the run's CRDs (`findings_key`). An entry is a pickle behind
the digest of its key and its bytes: one that does not match (damaged, or moved under another
key), or does not unpickle, is ignored and written again, never trusted. Entries are written to a temporary file and renamed into place,
so concurrent runs never see half an entry (two runs writing one key write the same bytes).

The cache lives under the user's cache directory (`$XDG_CACHE_HOME/kubecheck`, else
`~/.cache/kubecheck`), or where `--cache-dir` or the config's `cache-dir` says; `--no-cache`
turns it off. It holds pickles, so it must be writable by its user only, as any cache of
Python tools that keep pickles (pytest's keeps JSON; black's and jedi's keep pickles).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from pathlib import Path

from kubecheck import __version__
from kubecheck.engine import RawFinding

_DIGEST = 32  # bytes of SHA-256 in front of each entry


def default_directory() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kubecheck"


@functools.lru_cache(maxsize=1)
def _code() -> bytes:
    """kubecheck's version and its code and schemas as installed (each file's size and
    modification time): an editable install changes them without changing its version."""
    import kubecheck
    import kubecheck.rules
    import kubecheck.schemas

    found = [__version__]
    folders = [*kubecheck.__path__, *kubecheck.rules.__path__, *kubecheck.schemas.__path__,
               *(os.path.join(folder, "kubernetes") for folder in kubecheck.schemas.__path__)]
    for folder in folders:
        for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
            if entry.is_file() and entry.name.endswith((".py", ".json", ".yaml", ".gz")):
                status = entry.stat()
                found.append(f"{entry.path}:{status.st_size}:{status.st_mtime_ns}")
    return "\n".join(found).encode()


def digest(*parts) -> str:
    """A key from `parts` (bytes, or anything with a stable repr) and kubecheck's code."""
    hasher = hashlib.sha256(_code())
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogatepass")
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def _sealed(key: str, payload: bytes) -> bytes:
    """The digest in front of an entry: of its key and its bytes, so an entry that is damaged, or
    that sits under another key than its own, is not used."""
    return hashlib.sha256(key.encode() + b"\0" + payload).digest()


class Cache:
    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / key[2:]

    def get(self, key: str):
        """The value stored under `key`, or None when there is none or it cannot be trusted."""
        try:
            blob = self._path(key).read_bytes()
        except OSError:
            return None
        payload = blob[_DIGEST:]
        if len(blob) <= _DIGEST or _sealed(key, payload) != blob[:_DIGEST]:
            return None
        try:
            return pickle.loads(payload)
        except Exception:  # an entry from elsewhere, or from a changed class: not ours to trust
            return None

    def put(self, key: str, value, pickled: bytes | None = None) -> None:
        """Store `value` (or its pickle, when the caller has it) under `key`; a cache that cannot
        be written is left alone."""
        try:
            payload = pickled if pickled is not None else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            return
        import tempfile

        path, temporary = self._path(key), None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as stream:
                stream.write(_sealed(key, payload) + payload)
            os.replace(temporary, path)
        except OSError:
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass


class LocalFindings:
    """The local rules' findings (`Rule.local`) on each checked file, kept in the cache under
    the file's key and a fingerprint of all else they depend on: the enabled rules and the
    plugins that define them, the settings that shape findings, the schemas (the target
    version, the schema folders as they are on disk, and the run's CRDs: a CRD changed anywhere
    changes every file's key). What is kept are the findings and the positions of their objects
    in the file; per-file ignores and suppressions apply afterwards, as without a cache.
    """

    def __init__(self, cache: Cache, files: list, everything: list, settings, rules: list, distributions: tuple):
        self.cache = cache
        self.keys = {id(loaded.source): loaded.key for loaded in files}
        # in input order: of two CRDs of one kind, the first one's schema applies
        crds = [(self.keys.get(id(obj.source)), obj.document.index, obj.path_in_document)
                for obj in everything if obj.kind == "CustomResourceDefinition"]
        self.fingerprint = digest(
            "local findings", sorted(rule.id for rule in rules if rule.local), distributions,
            sorted(settings.severity.items()), settings.kubernetes_version, settings.strict, settings.namespace,
            sorted(settings.workload_kinds), settings.schema_dirs, schema_folders(settings.schema_dirs), crds)

    def _key(self, source) -> str | None:
        key = self.keys.get(id(source))
        return digest(key, self.fingerprint) if key else None

    def get(self, source, objects: list) -> list | None:
        """The kept findings of the local rules on `source` (RawFindings), or None."""
        key = self._key(source)
        kept = self.cache.get(key) if key else None
        if not isinstance(kept, list):
            return None
        try:
            return [RawFinding(finding, objects[at] if at is not None else None) for finding, at in kept]
        except (IndexError, TypeError, ValueError):
            return None

    def put(self, source, objects: list, found: list) -> None:
        key = self._key(source)
        if key:
            position = {id(obj): at for at, obj in enumerate(objects)}
            self.cache.put(key, [(item.finding, position.get(id(item.obj))) for item in found])


def schema_folders(folders) -> list:
    """What the files of the schema folders are: names, sizes and modification times."""
    found = []
    for folder in folders:
        for directory, _, names in sorted(os.walk(folder, followlinks=True)):
            for name in sorted(names):
                try:
                    status = os.stat(os.path.join(directory, name))
                except OSError:
                    continue
                found.append((os.path.join(directory, name), status.st_size, status.st_mtime_ns))
    return found
