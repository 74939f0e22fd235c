"""Shared fixtures: lint small manifests written here (helpers live in support.py)."""

from __future__ import annotations

import textwrap

import pytest

try:
    import kubecheck.rules  # noqa: F401
except ImportError:  # the source tree's kubecheck/ shadows the installed package
    pytest.exit("kubecheck is not installed here (or `python -m pytest` put the source tree first on sys.path): "
                "install it as the README says and run the `pytest` executable", returncode=2)

from kubecheck.config import Settings
from kubecheck.pluginmanager import load_catalogue
from kubecheck.run import check


@pytest.fixture(autouse=True)
def private_cache_directory(tmp_path_factory, monkeypatch):
    """The command line keeps a cache under the user's cache directory: tests keep theirs apart."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()


@pytest.fixture
def lint(tmp_path, catalogue, monkeypatch):
    """lint(text_or_files, context={name: text}, **settings) -> Report.

    Files are written dedented, without the newline that follows an opening triple quote
    (line 1 is the first line of text), under a temporary directory that is also the working
    directory, so findings name them as given ("manifest.yaml"). Bytes are written as they are.
    """
    monkeypatch.chdir(tmp_path)

    def run(files, *, context=None, **options):
        if isinstance(files, str):
            files = {"manifest.yaml": files}
        for name, text in {**files, **(context or {})}.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
                continue
            text = textwrap.dedent(text)
            path.write_text(text[1:] if text.startswith("\n") else text, encoding="utf-8")
        settings = Settings(root=tmp_path, context=tuple(context or ()), **options)
        return check(list(files), settings, catalogue)

    return run
