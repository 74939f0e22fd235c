"""kubecheck's output formats, registered through the `kubecheck` entry-point group like any plugin.

Each module has `render(report, stream)`; `report` is a `kubecheck.run.Report`.
"""

from kubecheck.hookspecs import hookimpl


@hookimpl
def kubecheck_reporters():
    from kubecheck.reporters import github, json_format, junit, sarif, text

    return {"text": text.render, "json": json_format.render, "sarif": sarif.render, "github": github.render,
            "junit": junit.render}
