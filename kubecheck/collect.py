"""Which files a run reads: the paths given, directories walked, `exclude` applied.

Directories are walked recursively for `*.yaml`, `*.yml` and `*.json`, in sorted order. The
walk skips hidden files and directories (`.git`, `.github`, `.kubecheck.yaml`, ...), broken
links, and the `templates/` folder of Helm charts (a folder with `Chart.yaml`), whose files are
Go templates rather than manifests; a file named explicitly is always read. Patterns in `exclude` (gitignore syntax, relative to the
config file's folder) skip files and folders everywhere, explicit paths included; with
`--force-exclude` so do the walk's own rules.
"""

from __future__ import annotations

import os
from pathlib import Path

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


class PathError(Exception):
    """A path given on the command line or in the config that does not exist."""


class PathPatterns:
    """gitignore-style patterns, matched against paths relative to `root` (the config's folder)."""

    def __init__(self, patterns: tuple[str, ...] | list[str], root: Path):
        self.root = os.path.abspath(root)
        self.spec = None
        if patterns:
            import pathspec

            self.spec = pathspec.GitIgnoreSpec.from_lines(patterns)

    def matches(self, path: Path, is_dir: bool = False) -> bool:
        if self.spec is None:
            return False
        relative = os.path.relpath(os.path.abspath(path), self.root)
        if relative.startswith(".."):
            return False  # outside the config's folder: its patterns do not reach it
        relative = Path(relative).as_posix()
        return self.spec.match_file(relative + "/" if is_dir else relative)


def display_path(path: Path) -> str:
    """How findings name a file: relative to the working directory when below it."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, os.getcwd())
    return Path(absolute if relative.startswith("..") else relative).as_posix()


def file_identity(path: Path) -> tuple[int, int]:
    """What makes two paths (through links, or `a/../b`) the same file."""
    status = path.stat()
    return status.st_dev, status.st_ino


def collect(paths: list[str] | tuple[str, ...], exclude: PathPatterns, force_exclude: bool = False) -> list[Path]:
    """Every manifest file under `paths`, each once, in a stable order.

    With `force_exclude`, files named explicitly are skipped where a walk would skip them (the
    pre-commit hook names every staged file, Helm templates included).
    """
    seen: set[tuple[int, int]] = set()
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise PathError(f"{given}: no such file or directory")
        if path.is_dir():
            candidates = _walk(path, exclude)
        else:
            skipped = exclude.matches(path) or (force_exclude and walk_skips(path))
            candidates = [] if skipped else [path]
        for candidate in candidates:
            key = file_identity(candidate)
            if key not in seen:
                seen.add(key)
                files.append(candidate)
    return files


def walk_skips(path: Path, top: str | None = None) -> bool:
    """Whether a walk from `top` (default: the working directory; the file's folder for a file
    outside it) skips this file: it or a folder on the way is hidden, or it is in a Helm
    chart's `templates/` folder."""
    absolute = Path(os.path.abspath(path))
    relative = os.path.relpath(absolute, top or os.getcwd())
    parts = Path(relative).parts if not relative.startswith("..") else (absolute.name,)
    if any(part.startswith(".") for part in parts):
        return True
    return any(folder.name == "templates" and (folder.parent / "Chart.yaml").is_file()
               for folder in absolute.parents)


def _walk(top: Path, exclude: PathPatterns) -> list[Path]:
    if exclude.matches(top, is_dir=True):
        return []
    found = []
    for directory, subdirectories, names in os.walk(top):
        here = Path(directory)
        is_chart = "Chart.yaml" in names
        subdirectories[:] = sorted(
            name for name in subdirectories
            if not name.startswith(".") and not (is_chart and name == "templates")
            and not exclude.matches(here / name, is_dir=True)
        )
        for name in sorted(names):
            path = here / name
            if (name.endswith(MANIFEST_SUFFIXES) and not name.startswith(".") and path.is_file()
                    and not exclude.matches(path)):
                found.append(path)
    return found
