"""Settings of a run: defaults, then the config file, then the command line (SPEC section 4).

The config file is `--config FILE`, else the nearest `.kubecheck.yaml`, or `pyproject.toml`
with a `[tool.kubecheck]` table, from the starting directory upward. It is validated against
`schemas/config.schema.json`; a bad key or value is a `ConfigError` that names the key (and its
line, for YAML), which the command line turns into exit status 2.
"""

from __future__ import annotations

import difflib
import json
import sys
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from kubecheck.loader import load_bytes

CONFIG_FILE = ".kubecheck.yaml"
FAIL_ON = ("error", "warning", "info", "never")


class ConfigError(Exception):
    """A config file or option kubecheck cannot use; the message names the key."""


@dataclass(frozen=True)
class Settings:
    namespace: str = "default"
    context: tuple[str, ...] = ()
    select: tuple[str, ...] | None = None  # None: every rule enabled by default
    ignore: tuple[str, ...] = ()
    fail_on: str = "warning"
    severity: dict = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    force_exclude: bool = False  # skip named files where a walk would (`--force-exclude`)
    cache_dir: str | None = None  # where the cache for re-runs lives (`kubecheck.cache`); None: no cache
    jobs: int = 1  # processes that load files (`--jobs`)
    per_file_ignores: dict = field(default_factory=dict)  # pattern -> tuple of rules
    workload_kinds: frozenset = frozenset()
    operator_pods: dict = field(default_factory=dict)  # "GROUP/KIND" -> labels of the pods its operator creates
    nodes: tuple[str, ...] = ()  # node inventory files (kubecheck.inventory)
    kubernetes_version: str | None = None  # None: the newest bundled
    strict: bool = True
    schema_dirs: tuple[str, ...] = ()
    root: Path = field(default_factory=Path.cwd)  # where relative paths and globs start
    config_file: Path | None = None

    def with_options(self, **options) -> Settings:
        """These settings with the command line's options (those not None) on top."""
        return replace(self, **{key: value for key, value in options.items() if value is not None})


def find_config(start: Path) -> Path | None:
    """The nearest config file from `start` upward."""
    start = start.resolve()
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _pyproject_table(pyproject) is not None:
            return pyproject
    return None


def load_settings(config_file: Path | None = None, start: Path | None = None) -> Settings:
    """Settings from `config_file`, or from the config found from `start` (default: cwd)."""
    path = Path(config_file) if config_file is not None else find_config(start or Path.cwd())
    if path is None:
        return Settings()
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    raw, positions, lines = _read(path)
    _validate(raw, path, positions, lines)
    return _settings(raw, path.resolve().parent, path)


def _read(path: Path) -> tuple[dict, tuple | None, list[str]]:
    """The settings, their position tree (YAML only) and the file's lines."""
    if path.suffix == ".toml":
        table = _pyproject_table(path) if path.name == "pyproject.toml" else _toml(path)
        return table or {}, None, []
    source = load_bytes(str(path), path.read_bytes())
    if source.problems:
        problem = source.problems[0]
        raise ConfigError(f"{path}:{problem.line + 1}:{problem.column + 1}: {problem.message}")
    documents = [document for document in source.documents if document.data is not None]
    if not documents:
        return {}, None, []
    if len(documents) > 1 or not isinstance(documents[0].data, dict):
        raise ConfigError(f"{path}: the config must be one YAML mapping of settings")
    return documents[0].data, documents[0].position, source.lines


def _toml(path: Path) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None


def _pyproject_table(path: Path) -> dict | None:
    """The [tool.kubecheck] table of a pyproject.toml; None when it has none."""
    if "tool.kubecheck" not in path.read_text(encoding="utf-8", errors="replace"):
        return None  # no need to parse (or to trip over) other projects' pyproject files
    tool = _toml(path).get("tool")
    table = tool.get("kubecheck") if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def config_schema() -> dict:
    return json.loads(resources.files("kubecheck.schemas").joinpath("config.schema.json").read_text("utf-8"))


def _validate(raw: dict, path: Path, positions: tuple | None, lines: list[str]) -> None:
    """Check the config against its schema, with the messages manifests get (`kubecheck.validation`)."""
    from kubecheck.validation import first_error

    error = first_error(config_schema(), raw, positions, lines)
    if error is not None:
        raise ConfigError(f"{path}{error}")


def rule_list(value) -> tuple[str, ...]:
    """Rules given as a list or as one comma-separated string."""
    items = value.split(",") if isinstance(value, str) else value
    return tuple(item.strip() for item in items if item.strip())


def _paths(value) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _settings(raw: dict, root: Path, path: Path) -> Settings:
    settings = Settings(root=root, config_file=path)
    options = {
        "namespace": raw.get("namespace"),
        "context": tuple(str(root / p) for p in _paths(raw["context"])) if "context" in raw else None,
        "select": rule_list(raw["select"]) if "select" in raw else None,
        "ignore": rule_list(raw["ignore"]) if "ignore" in raw else None,
        "fail_on": raw.get("fail-on"),
        "severity": dict(raw["severity"]) if "severity" in raw else None,
        "exclude": tuple(raw["exclude"]) if "exclude" in raw else None,
        "per_file_ignores": ({pattern: rule_list(rules) for pattern, rules in raw["per-file-ignores"].items()}
                             if "per-file-ignores" in raw else None),
        "workload_kinds": frozenset(raw["workload-kinds"]) if "workload-kinds" in raw else None,
        "operator_pods": ({kind: dict(labels) for kind, labels in raw["operator-pods"].items()}
                          if "operator-pods" in raw else None),
        "kubernetes_version": kubernetes_version(raw["kubernetes-version"], f"{path}: kubernetes-version")
                              if "kubernetes-version" in raw else None,
        "strict": raw.get("strict"),
        "schema_dirs": tuple(str(root / p) for p in _paths(raw["schema-dirs"])) if "schema-dirs" in raw else None,
        "nodes": tuple(str(root / p) for p in _paths(raw["nodes"])) if "nodes" in raw else None,
        "cache_dir": str(root / raw["cache-dir"]) if "cache-dir" in raw else None,
    }
    return settings.with_options(**options)


def kubernetes_version(text: str, where: str) -> str:
    """A bundled Kubernetes minor version ("1.30") from "1.30", "v1.30" or "1.30.2"."""
    from kubecheck.schemastore import bundled_versions, parse_version

    version = parse_version(str(text))
    if version is None:
        raise ConfigError(f"{where}: Kubernetes {text} is not bundled; kubecheck has the schemas of "
                          f"{', '.join(bundled_versions())}")
    return version


def check_rule_names(settings: Settings, rule_ids: set[str], families: set[str]) -> None:
    """Every rule named by the settings must exist (as an id or a family)."""
    known = rule_ids | families
    where = f"{settings.config_file}: " if settings.config_file else ""
    named = [("select", name) for name in settings.select or ()] + [("ignore", name) for name in settings.ignore]
    named += [("severity", name) for name in settings.severity]
    named += [(f"per-file-ignores.{pattern}", name)
              for pattern, names in settings.per_file_ignores.items() for name in names]
    for key, name in named:
        allowed = rule_ids if key == "severity" else known
        if name not in allowed:
            close = difflib.get_close_matches(name, sorted(allowed), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else "; `kubecheck rules` lists them"
            raise ConfigError(f"{where}{key}: unknown rule {name!r}{hint}")
