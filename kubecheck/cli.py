"""The `kubecheck` command line (SPEC section 2). Parses options, runs, prints, sets the exit status.

Exit status: 0 when nothing reaches `--fail-on`, 1 when something does, 2 for usage, config,
plugin or internal errors. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
from pathlib import Path

import click

from kubecheck import __version__
from kubecheck.config import FAIL_ON, ConfigError, check_rule_names, load_settings, rule_list
from kubecheck.config import kubernetes_version as parse_kubernetes_version
from kubecheck.pluginmanager import Catalogue, PluginError, load_catalogue

_NAMESPACE = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")


_HARD_EXIT = False  # set by `run`, the console script: a real process that may skip its teardown


def run() -> None:
    """The `kubecheck` console script and `python -m kubecheck`."""
    global _HARD_EXIT
    _HARD_EXIT = True
    main()


def _exit(status: int) -> None:
    """Exit with `status`. The console process skips Python's teardown, which would free the
    loaded data object by object (half a second on a large repository) just before exiting."""
    if _HARD_EXIT:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)


def _fail(message: str) -> None:
    click.echo(f"kubecheck: error: {message}", err=True)
    sys.exit(2)


class _Group(click.Group):
    """Turns an unexpected exception into one line and exit status 2 (not Python's 1, which
    would read as "findings"); KUBECHECK_DEBUG=1 shows the traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except BrokenPipeError:  # `kubecheck check | head`: the reader has all it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            os._exit(1)
        except Exception as error:
            if os.environ.get("KUBECHECK_DEBUG"):
                raise
            _fail(f"internal error: {type(error).__name__}: {error} (set KUBECHECK_DEBUG=1 for the traceback)")


class _progress:
    """`kubecheck: 120/1,823 files` on a terminal's stderr while a long run reads its files (at
    most ten updates a second, none for runs under half a second), cleared before the findings."""

    def __init__(self):
        import time

        self._clock = time.monotonic
        self._next = self._clock() + 0.5
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        now = self._clock()
        if now >= self._next:
            sys.stderr.write(f"\rkubecheck: {done:,}/{total:,} files")
            sys.stderr.flush()
            self._shown, self._next = True, now + 0.1

    def clear(self) -> None:
        if self._shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _catalogue() -> Catalogue:
    try:
        return load_catalogue()
    except PluginError as error:
        _fail(str(error))


def _rules(ctx, param, value):
    if value is not None and not rule_list(value):
        raise click.BadParameter("names no rule")
    return value


def _namespace(ctx, param, value):
    if value is not None and (len(value) > 63 or not _NAMESPACE.match(value)):
        raise click.BadParameter(f"{value!r} is not a valid namespace name (lowercase letters, digits and '-')")
    return value


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="kubecheck")
def main():
    """Lint Kubernetes manifests: schemas, relationships between objects, exact positions."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "output_format", metavar="FORMAT",
              help="Output format: text, json, sarif, github or junit (default: text; github under GitHub Actions).")
@click.option("--context", "context", multiple=True, metavar="PATH",
              help="More manifests used only as context for cross-object rules (repeatable).")
@click.option("--nodes", "nodes", multiple=True, metavar="FILE",
              help="Node inventory for the scheduling rules: Node objects (kubectl get nodes -o yaml) or a "
                   "NodeInventory (repeatable; replaces the config's nodes).")
@click.option("--namespace", callback=_namespace, help="Namespace of objects that have none (default: default).")
@click.option("--select", metavar="RULES", callback=_rules, help="Comma-separated rule ids or families to run instead of the defaults.")
@click.option("--ignore", metavar="RULES", help="Comma-separated rule ids or families to skip.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), help="Lowest severity that makes the exit status 1 "
                                                            "(default: warning).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Config file (default: the nearest "
                                                                              ".kubecheck.yaml or pyproject.toml).")
@click.option("--stdin-filename", metavar="NAME", help="File name to report (and to find the config from) for '-'.")
@click.option("--kubernetes-version", metavar="X.Y", help="Target Kubernetes version for schemas and API "
                                                         "deprecations (default: the newest bundled).")
@click.option("--strict/--no-strict", default=None, help="Unknown fields are schema errors (default: strict).")
@click.option("--schema-dir", "schema_dirs", multiple=True, metavar="DIR",
              help="Folder of extra JSON schemas ({kind}-{group}-{version}.json), repeatable.")
@click.option("--statistics", is_flag=True, help="After the findings, count them per rule (text format).")
@click.option("--force-exclude", is_flag=True, help="Skip files named explicitly where a directory walk would: hidden "
                                                    "ones and Helm chart templates (for pre-commit hooks).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="Processes that load files (default: the machine's cores; small runs use one).")
@click.option("--cache-dir", metavar="DIR", help="Cache for re-runs (default: the user's cache directory, "
                                                  "~/.cache/kubecheck).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
def check(paths, output_format, context, nodes, namespace, select, ignore, fail_on, config_file, stdin_filename,
          kubernetes_version, strict, schema_dirs, statistics, force_exclude, jobs, cache_dir, no_cache):
    """Lint files, directories (recursively: *.yaml, *.yml, *.json) or '-' for stdin."""
    import gc

    from kubecheck.cache import default_directory as default_cache_directory
    from kubecheck.collect import PathError
    from kubecheck.inventory import InventoryError
    from kubecheck.run import STDIN, check as run_check

    gc.disable()  # this process ends after one check: the cyclic GC would only rescan the loaded data

    paths = list(paths) or ["."]
    catalogue = _catalogue()
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if output_format not in catalogue.reporters:
        raise click.BadParameter(f"{output_format!r} is not one of {', '.join(sorted(catalogue.reporters))}",
                                 param_hint="--format")
    start = Path(stdin_filename).parent if stdin_filename and STDIN in paths else None
    if kubernetes_version is not None:
        try:
            kubernetes_version = parse_kubernetes_version(kubernetes_version, "--kubernetes-version")
        except ConfigError as error:
            raise click.BadParameter(str(error).split(": ", 1)[1], param_hint="--kubernetes-version")
    try:
        settings = load_settings(config_file, start)
        settings = settings.with_options(
            kubernetes_version=kubernetes_version,
            strict=strict,
            schema_dirs=settings.schema_dirs + schema_dirs if schema_dirs else None,
            namespace=namespace,
            select=rule_list(select) if select is not None else None,
            ignore=rule_list(ignore) if ignore is not None else None,
            fail_on=fail_on,
            context=settings.context + tuple(context) if context else None,
            nodes=tuple(nodes) if nodes else None,
            force_exclude=force_exclude or None,
            jobs=jobs or os.cpu_count() or 1,
            cache_dir="" if no_cache else cache_dir or settings.cache_dir or str(default_cache_directory()),
        )
        check_rule_names(settings, set(catalogue.rules), catalogue.families)
        progress = _progress() if output_format == "text" and sys.stderr.isatty() else None
        report = run_check(paths, settings, catalogue, stdin_name=stdin_filename or "<stdin>", progress=progress)
        if progress is not None:
            progress.clear()
    except (ConfigError, PathError, InventoryError) as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"{error.filename or ''}: {error.strerror or error}")
    catalogue.reporters[output_format](report, sys.stdout)
    if statistics and output_format == "text" and report.findings:
        from kubecheck.reporters.text import statistics as rule_counts

        sys.stdout.write("\n" + rule_counts(report))
    _exit(report.exit_status)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--diff", is_flag=True, help="Show the changes as a unified diff and write nothing.")
@click.option("--kubernetes-version", metavar="X.Y", help="Target Kubernetes version: what it deprecates or no "
                                                         "longer serves is migrated (default: the newest bundled).")
@click.option("--fail-on", type=click.Choice(FAIL_ON), help="Lowest severity of what remains after fixing that "
                                                            "makes the exit status 1 (default: warning).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Config file (default: the nearest "
                                                                              ".kubecheck.yaml or pyproject.toml).")
def fix(paths, diff, kubernetes_version, fail_on, config_file):
    """Migrate deprecated and removed apiVersions in place, keeping comments and formatting."""
    from kubecheck.collect import PathError, PathPatterns, collect
    from kubecheck.fix import fix_file, write_atomically
    from kubecheck.run import check as run_check
    from kubecheck.schemastore import SchemaStore, newest_version

    paths = list(paths) or ["."]
    try:
        if kubernetes_version is not None:
            kubernetes_version = parse_kubernetes_version(kubernetes_version, "--kubernetes-version")
        settings = load_settings(config_file).with_options(kubernetes_version=kubernetes_version, fail_on=fail_on)
        files = collect(paths, PathPatterns(settings.exclude, settings.root))
    except (ConfigError, PathError) as error:
        _fail(str(error))
    schemas = SchemaStore(settings.kubernetes_version or newest_version())
    fixed = refused = 0
    for path in files:
        result = fix_file(path, schemas)
        if result is None:
            continue
        for outcome in result.outcomes:
            verb = "fixed" if outcome.fixed else "could not fix"
            click.echo(f"{result.path}:{outcome.line}:{outcome.column}: {verb}: {outcome.message}", err=diff)
            fixed, refused = fixed + outcome.fixed, refused + (not outcome.fixed)
        if result.changed:
            if diff:
                click.echo(result.diff(), nl=False)
            else:
                write_atomically(path, result.fixed, bom=b"\xef\xbb\xbf" if path.read_bytes()[:3] == b"\xef\xbb\xbf" else b"")
    mode = "would fix" if diff else "fixed"
    click.echo(f"{mode} {fixed} object{'s' if fixed != 1 else ''}; {refused} could not be fixed", err=True)
    if diff:
        _exit(1 if fixed or refused else 0)
    report = run_check(paths, settings, _catalogue())
    remaining = report.exit_status
    if remaining:
        click.echo(f"{sum(report.counts().values())} finding(s) remain; run `kubecheck check` to see them", err=True)
    _exit(1 if refused or remaining else 0)


@main.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              help="Output format.")
def rules(output_format):
    """List every rule: id, default severity, family, one-line summary."""
    catalogue = _catalogue()
    if output_format == "json":
        import json

        listing = [{"id": r.id, "family": r.family, "severity": r.severity, "enabled_by_default": r.enabled_by_default,
                    "summary": r.summary, "plugin": r.plugin} for r in catalogue.rules.values()]
        click.echo(json.dumps(listing, indent=2))
        return
    width = max(len(rule_id) for rule_id in catalogue.rules)
    for rule in catalogue.rules.values():
        off = "" if rule.enabled_by_default else "  (off by default)"
        click.echo(f"{rule.id:<{width}}  {rule.severity:<7}  {rule.family:<10}  {rule.summary}{off}")


@main.command()
@click.argument("rule_id", metavar="RULE")
def explain(rule_id):
    """Show a rule's documentation, with a failing and a passing example."""
    catalogue = _catalogue()
    rule = catalogue.rules.get(rule_id)
    if rule is None:
        import difflib

        close = difflib.get_close_matches(rule_id, list(catalogue.rules), n=1)
        _fail(f"unknown rule {rule_id!r}" + (f"; did you mean {close[0]!r}?" if close else "; see `kubecheck rules`"))
    state = "enabled by default" if rule.enabled_by_default else "off by default; enable it with --select"
    click.echo(f"{rule.id}  ({rule.family} family, {rule.severity}, {state}; from {rule.plugin})\n")
    click.echo(f"{rule.summary}.\n")
    click.echo(textwrap.fill(rule.rationale, width=88) + "\n")
    if rule.example_settings:
        options = " ".join(f"--{key.replace('_', '-')} {item}" for key, value in rule.example_settings.items()
                           for item in (value if isinstance(value, (tuple, list)) else (value,)))
        click.echo(f"The examples are checked with {options}.\n")
    click.echo("Failing example:\n\n" + textwrap.indent(rule.fail_example, "    "))
    click.echo("Passing example:\n\n" + textwrap.indent(rule.pass_example, "    "), nl=False)


@main.command()
def lsp():
    """Run the Language Server on stdio, for editors (diagnostics, hover, quick fixes)."""
    from kubecheck.lsp import build_server

    build_server(_catalogue()).start_io()
