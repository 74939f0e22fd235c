"""Step 2 of a run: the bytes of each file become its objects (`load`): from the cache when the
same bytes were loaded before (`kubecheck.cache`), else in worker processes (`--jobs`), else here.

Loading (libyaml's parse and the walk that records positions) is most of a run's cost, and
each file's is independent of the others, so workers can share it. A worker sends back the
pickle of what it loaded, which this process unpickles in a tenth of the time loading takes
(measured on the real corpus: 1.20 s to load, 0.12 s to unpickle); that pickle is also what the
cache keeps. Small runs load here: starting workers would cost more than it saves. The files
come back in the order they went in, whatever the number of workers, so the output is the same.
"""

from __future__ import annotations

import pickle
import re
from dataclasses import dataclass
from typing import Callable

from kubecheck.cache import Cache, digest
from kubecheck.loader import SourceFile, load_bytes
from kubecheck.objects import K8sObject, objects_of

#: Below this many bytes to load, workers cost more than they save (starting a pool: ~50 ms).
PARALLEL_BYTES = 4_000_000
_KIND_KEY = re.compile(r"""^[\s{\[,-]*["']?kind["']?\s*:""", re.MULTILINE)


@dataclass
class Loaded:
    name: str
    is_context: bool
    source: SourceFile
    objects: list[K8sObject] | None  # None: not a manifest
    key: str | None  # the cache key of the file (None without a cache)


def load(name: str, raw: bytes, workload_kinds: frozenset, *, is_context: bool, build=None):
    """(source, objects) of one file; objects is None when the file is not a manifest."""
    source = load_bytes(name, raw)
    if not is_manifest(source):
        return source, None
    return source, objects_of(source, is_context=is_context, workload_kinds=workload_kinds, build=build)


def is_manifest(source: SourceFile) -> bool:
    """Whether a file is a manifest: some document names a `kind`, or the file does not parse
    and has a line that starts with a `kind` key.

    Other YAML (Helm charts and values, CI workflows, compose files) has no `kind` anywhere, and
    other JSON that is not YAML (`tsconfig.json` with comments) has no `kind` key either.
    """
    if any(isinstance(d.data, dict) and "kind" in d.data for d in source.documents):
        return True
    return any(problem.rule == "yaml-syntax" for problem in source.problems) and \
        _KIND_KEY.search(source.text) is not None


def file_key(name: str, raw: bytes, is_context: bool, build, workload_kinds: frozenset) -> str:
    """The cache key of a file's loaded objects: all that loading them depends on."""
    return digest("file", name, raw, is_context, build, sorted(workload_kinds))


def read_all(inputs: list[tuple], keys: list[str | None], workload_kinds: frozenset, cache: Cache | None,
             jobs: int, progress: Callable[[int, int], None] | None = None) -> list[Loaded]:
    """`Loaded` for each (name, bytes, is_context, build) of `inputs`, in their order; `keys` are
    their `file_key`s (None without a cache)."""
    total = len(inputs)
    results: list[tuple | None] = [_whole(cache.get(key)) if key else None for key in keys]
    missing = [position for position, result in enumerate(results) if result is None]
    done = len(inputs) - len(missing)
    work = [(*inputs[position], workload_kinds) for position in missing]
    if jobs > 1 and len(work) > 1 and sum(len(item[1]) for item in work) >= PARALLEL_BYTES:
        import multiprocessing  # here: a one-file check should not pay for importing it

        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with context.Pool(min(jobs, len(work))) as pool:
            for position, blob in zip(missing, pool.imap(_load_pickled, work, chunksize=4)):
                results[position] = pickle.loads(blob)
                done = _stored(cache, keys[position], results[position], blob, done, progress, total)
    else:
        for position, item in zip(missing, work):
            results[position] = _load(item)
            done = _stored(cache, keys[position], results[position], None, done, progress, total)
    return [Loaded(name, is_context, source, objects, key)
            for (name, _, is_context, _), (source, objects), key in zip(inputs, results, keys)]


def _whole(entry) -> tuple | None:
    """A cache entry that is (source, objects), or None."""
    if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], SourceFile) \
            and (entry[1] is None or isinstance(entry[1], list)):
        return entry
    return None


def _stored(cache, key, result, pickled, done, progress, total) -> int:
    if cache is not None:
        cache.put(key, result, pickled)
    if progress is not None:
        progress(done + 1, total)
    return done + 1


def _load(item: tuple) -> tuple:
    name, raw, is_context, build, workload_kinds = item
    return load(name, raw, workload_kinds, is_context=is_context, build=build)


def _load_pickled(item: tuple) -> bytes:
    """What a worker does: load one file and pickle the result for the parent."""
    return pickle.dumps(_load(item), protocol=pickle.HIGHEST_PROTOCOL)
