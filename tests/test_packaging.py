"""The wheel: built once per session, unpacked, and run from outside the source tree.

Each check runs `python` with PYTHONPATH=<unpacked wheel> in a working directory outside the
source tree; dependencies come from the running environment. An editable install of the source
tree may be in that environment too: the unpacked wheel comes first on sys.path, so its modules
and its `kubecheck-*.dist-info` (where entry points are read) win; the first test proves it.
"""

from __future__ import annotations

import configparser
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


@dataclass
class Wheel:
    path: Path  # the .whl file
    unpacked: Path  # where it was extracted
    workdir: Path  # an empty folder outside the source tree, the working directory of every run

    def names(self) -> list[str]:
        with zipfile.ZipFile(self.path) as archive:
            return archive.namelist()

    def read(self, name: str) -> str:
        with zipfile.ZipFile(self.path) as archive:
            return archive.read(name).decode("utf-8")

    def python(self, *args: str) -> subprocess.CompletedProcess:
        env = {key: value for key, value in os.environ.items() if key not in ("GITHUB_ACTIONS", "FORCE_COLOR")}
        env.update(PYTHONPATH=str(self.unpacked), NO_COLOR="1")
        return subprocess.run([sys.executable, *args], cwd=self.workdir, env=env, capture_output=True, text=True,
                              timeout=60)


def can_build_wheels() -> str | None:
    """Why `pip --no-build-isolation` cannot build a setuptools project here; None when it can."""
    if importlib.util.find_spec("setuptools") is None:
        return "setuptools is not installed"
    if importlib.util.find_spec("setuptools.command.bdist_wheel") or importlib.util.find_spec("wheel"):
        return None
    return (f"setuptools {importlib.metadata.version('setuptools')} has no bdist_wheel (it needs "
            "setuptools>=70.1 or the `wheel` package): install kubecheck's test extra")


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Wheel:
    reason = can_build_wheels()
    if reason:
        pytest.fail(f"cannot build kubecheck's wheel: {reason}", pytrace=False)
    # pip builds in the source folder (leaving build/ and kubecheck.egg-info there): build a copy.
    source = tmp_path_factory.mktemp("source") / "kubecheck"
    shutil.copytree(PROJECT, source, ignore=shutil.ignore_patterns(
        ".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", ".venv", "tests"))
    dist = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", "--quiet", "-w", str(dist), str(source)],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    (path,) = dist.glob("kubecheck-*.whl")
    unpacked = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(path) as archive:
        archive.extractall(unpacked)
    workdir = tmp_path_factory.mktemp("elsewhere")
    assert PROJECT not in workdir.resolve().parents
    return Wheel(path, unpacked, workdir)


def builtin_rule_ids() -> set[str]:
    """One rule per module of the source tree's rules/ folder, named after it."""
    return {module.stem.replace("_", "-") for module in (PROJECT / "rules").glob("*.py") if module.stem != "__init__"}


def test_kubecheck_is_imported_from_the_wheel_not_the_source_tree(wheel):
    script = ("import importlib.metadata, kubecheck, kubecheck.reporters, kubecheck.rules, kubecheck.schemas\n"
              "for module in (kubecheck, kubecheck.reporters, kubecheck.rules, kubecheck.schemas):\n"
              "    print(module.__file__)\n"
              "print(importlib.metadata.distribution('kubecheck').locate_file('kubecheck/__init__.py'))\n")
    result = wheel.python("-c", script)
    assert result.returncode == 0, result.stderr
    unpacked = wheel.unpacked.resolve()
    assert [Path(line).resolve() for line in result.stdout.splitlines()] == [
        unpacked / "kubecheck" / "__init__.py",
        unpacked / "kubecheck" / "reporters" / "__init__.py",
        unpacked / "kubecheck" / "rules" / "__init__.py",
        unpacked / "kubecheck" / "schemas" / "__init__.py",
        unpacked / "kubecheck" / "__init__.py",  # the metadata (entry points) is the wheel's too
    ]


def test_the_wheel_holds_only_the_kubecheck_package(wheel):
    version = re.search(r'__version__ = "(.+)"', (PROJECT / "kubecheck" / "__init__.py").read_text()).group(1)
    assert wheel.path.name == f"kubecheck-{version}-py3-none-any.whl"
    tops = {name.split("/")[0] for name in wheel.names()}
    assert tops == {"kubecheck", f"kubecheck-{version}.dist-info"}
    assert wheel.read(f"kubecheck-{version}.dist-info/top_level.txt").split() == ["kubecheck"]
    rule_modules = {name for name in wheel.names() if name.startswith("kubecheck/rules/")}
    assert rule_modules == {f"kubecheck/rules/{module.name}" for module in (PROJECT / "rules").glob("*.py")}


def test_rules_lists_every_builtin_rule(wheel):
    result = wheel.python("-m", "kubecheck", "rules", "--format", "json")
    assert result.returncode == 0, result.stderr
    listing = json.loads(result.stdout)
    assert {rule["id"] for rule in listing if rule["plugin"] == "builtin-rules"} == builtin_rule_ids()
    assert "orphan-service" in builtin_rule_ids()


def test_the_config_schema_is_packaged(wheel):
    assert "kubecheck/schemas/config.schema.json" in wheel.names()
    script = ("from importlib import resources\n"
              "schema = resources.files('kubecheck.schemas').joinpath('config.schema.json')\n"
              "print(schema)\n"
              "print(schema.read_text('utf-8'), end='')\n")
    result = wheel.python("-c", script)
    assert result.returncode == 0, result.stderr
    location, text = result.stdout.split("\n", 1)
    assert Path(location).resolve() == wheel.unpacked.resolve() / "kubecheck" / "schemas" / "config.schema.json"
    assert text == (PROJECT / "schemas" / "config.schema.json").read_text("utf-8")


def test_the_schema_is_used_from_the_wheel(wheel):
    (wheel.workdir / "bad-config.yaml").write_text("fail-on: sometimes\n", encoding="utf-8")
    result = wheel.python("-m", "kubecheck", "check", "--config", "bad-config.yaml", "nothing-here")
    assert result.stderr.startswith('kubecheck: error: bad-config.yaml:1:10: fail-on: "sometimes" is not one of ')
    assert result.returncode == 2


def test_entry_points(wheel):
    dist_info = next(name.split("/")[0] for name in wheel.names() if name.endswith(".dist-info/entry_points.txt"))
    parser = configparser.ConfigParser()
    parser.read_string(wheel.read(f"{dist_info}/entry_points.txt"))
    assert dict(parser["kubecheck"]) == {"builtin-rules": "kubecheck.rules", "builtin-reporters": "kubecheck.reporters"}
    assert dict(parser["console_scripts"]) == {"kubecheck": "kubecheck.cli:run"}
    assert parser.sections() == ["console_scripts", "kubecheck"]


def test_check_the_examples(wheel):
    result = wheel.python("-m", "kubecheck", "check", "--format", "json", str(PROJECT / "examples"))
    assert result.stderr == ""
    found = [(Path(f["file"]).relative_to(PROJECT / "examples").as_posix(), f["line"], f["column"], f["rule"])
             for f in json.loads(result.stdout)["findings"]]
    assert found == [
        ("shop/checkout.yaml", 9, 3, "selector-mismatch"),
        ("shop/checkout.yaml", 34, 3, "orphan-service"),
        ("shop/checkout.yaml", 41, 3, "duplicate-key"),
        ("shop/metrics.yaml", 16, 34, "unused-suppression"),
    ]
    assert result.returncode == 1


def test_the_test_extra_can_build_wheels():
    # `--no-build-isolation` (here and in test_plugins.py) builds with the environment's setuptools, which
    # the test extra provides; setuptools builds wheels by itself only from 70.1 (before: the `wheel` package).
    extra = tomllib.loads((PROJECT / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]["test"]
    names = {re.match(r"[A-Za-z0-9_.-]+", requirement).group(0).lower(): requirement for requirement in extra}
    minimum = re.search(r">=\s*([0-9.]+)", names["setuptools"])
    version = tuple(int(part) for part in minimum.group(1).split(".")) if minimum else ()
    assert version >= (70, 1) or "wheel" in names
