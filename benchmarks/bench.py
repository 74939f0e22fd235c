"""kubecheck's benchmark: `python benchmarks/bench.py [PATH ...]` (see benchmarks/README.md).

Prints times measured in this run and ratios against a yardstick timed in the same run, since
absolute times on shared machines vary from hour to hour:

1. whole process: the `kubecheck check` command (cold with one job, cold with the default jobs,
   and warm: again with the cache of a first run) against a Python process doing a bare
   `yaml.load_all(text, Loader=yaml.CSafeLoader)` of the same files (PyYAML's C loader, the
   fastest plain parse in Python; it needs a constructor for YAML 1.1's `=` value tag, which
   some real manifests contain), with each process's peak memory;
2. in-process, alternating rounds: `kubecheck.run.check` with every default rule against the
   same bare parse;
3. one file per process (what an editor's on-save check or a pre-commit hook pays): the
   `kubecheck check` command on one small manifest, against `python -c pass`;
4. peers: kubernetes-validate (a Python validator using the same upstream schemas, strict),
   installed by this script into a virtual environment of its own under the user's cache
   directory, on the same files as kubecheck, in the same run (`--no-peers` skips it);
5. scheduling at scale: the scheduling rules with `--nodes` on synthetic pod templates against
   synthetic node shapes (`scheduling_workload.py`), 1,000 and 10,000 templates by 100 and 1,000
   shapes, against the same check without an inventory (reading and indexing the templates), so
   the growth with each dimension shows (`--no-scheduling` skips it);
6. the language server: `kubecheck lsp` started as an editor starts it, driven over stdio by the
   tests' protocol client, with the first corpus folder as its workspace: the time from didOpen
   of a typical file to its diagnostics (reading the workspace), then from each didChange to the
   new diagnostics (`--no-lsp` skips it);
7. scaling: synthetic repositories of 1,000, 10,000 and 100,000 objects (`scale_workload.py`:
   Deployments with their Services, budgets, autoscalers and ConfigMaps across namespaces),
   time and peak memory of a cold `kubecheck check` against the bare parse of the same files
   (`--no-scaling` skips it).

Default inputs: ../shared/corpus/real and ../shared/corpus/perf when present, else examples/.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = PROJECT.parent / "shared" / "corpus"
KUBECHECK = Path(sys.executable).parent / "kubecheck"

BARE_PARSE = """
import sys, yaml
class Loader(yaml.CSafeLoader):
    pass
Loader.add_constructor("tag:yaml.org,2002:value", Loader.construct_yaml_str)
documents = 0
for name in sys.argv[1:]:
    try:
        documents += sum(1 for _ in yaml.load_all(open(name, "rb").read(), Loader=Loader))
    except yaml.YAMLError:
        pass
"""


#: What each section measured against issue 8's targets: (what, measured, target, "max" or "min").
TARGETS: list[tuple[str, float, float, str]] = []


def target(what: str, measured: float, goal: float, kind: str = "max") -> None:
    TARGETS.append((what, measured, goal, kind))


def print_targets() -> None:
    print("\ntargets (issue 8), as measured in this run")
    for what, measured, goal, kind in TARGETS:
        met = measured <= goal if kind == "max" else measured >= goal
        sign = "<=" if kind == "max" else ">="
        print(f"   {what:<58} {measured:>8.3g}  (target {sign} {goal:g})  {'met' if met else 'MISSED'}")


def manifest_files(paths: list[str]) -> list[str]:
    from kubecheck.collect import PathPatterns, collect

    return [str(path) for path in collect(paths, PathPatterns((), Path.cwd()))]


def bare_parse(files: list[str]) -> int:
    import yaml

    class Loader(yaml.CSafeLoader):
        pass

    Loader.add_constructor("tag:yaml.org,2002:value", Loader.construct_yaml_str)
    documents = 0
    for name in files:
        try:
            documents += sum(1 for _ in yaml.load_all(Path(name).read_bytes(), Loader=Loader))
        except yaml.YAMLError:
            pass
    return documents


def in_process(files: list[str], rounds: int) -> dict:
    from kubecheck.config import Settings
    from kubecheck.pluginmanager import load_catalogue
    from kubecheck.run import check

    catalogue = load_catalogue()
    settings = Settings()
    check(files[:1], settings, catalogue)  # warm: imports, first-call costs
    base_times, ours_times, ratios = [], [], []
    for _ in range(rounds):
        gc.collect()  # each side starts from a clean heap: no garbage or live data of the other
        start = time.perf_counter()
        bare_parse(files)
        base = time.perf_counter() - start
        gc.collect()
        start = time.perf_counter()
        report = check(files, settings, catalogue)
        ours = time.perf_counter() - start
        objects, findings = report.objects, len(report.findings)
        del report
        base_times.append(base)
        ours_times.append(ours)
        ratios.append(ours / base)
    return {"base": statistics.median(base_times), "ours": statistics.median(ours_times),
            "ratio": statistics.median(ratios), "objects": objects, "findings": findings}


# Started from a small runner process: a child's peak RSS includes what its parent had mapped
# when it forked, so spawning from this (large) process would report this process's memory.
RUNNER = """
import os, sys, time
quiet = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_WRONLY, 0) for fd in (1, 2)]
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ, file_actions=quiet)
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss / 1024)
"""


def run_process(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB (the runner's ~10 MiB is the floor) of one process."""
    output = subprocess.run([sys.executable, "-c", RUNNER, *command], capture_output=True, text=True, check=True)
    seconds, mebibytes = output.stdout.split()
    return float(seconds), float(mebibytes)


def paired(command_a: list[str], command_b: list[str], runs: int) -> dict:
    """Run A and B alternately; medians of each and of the per-pair ratio A/B."""
    a_times, b_times, ratios, a_memory = [], [], [], []
    for _ in range(runs):
        a, memory = run_process(command_a)
        b, _ = run_process(command_b)
        a_times.append(a)
        b_times.append(b)
        ratios.append(a / b)
        a_memory.append(memory)
    return {"a": statistics.median(a_times), "b": statistics.median(b_times), "ratio": statistics.median(ratios),
            "memory": max(a_memory)}


PEERS_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "kubecheck-benchmark"


def kubernetes_validate() -> Path | None:
    """The kubernetes-validate command of a virtual environment of its own, installed on first use."""
    venv = PEERS_DIR / "kubernetes-validate"
    command = venv / "bin" / "kubernetes-validate"
    if not command.exists():
        print(f"   (installing kubernetes-validate into {venv})", flush=True)
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
            subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "kubernetes-validate"], check=True,
                           capture_output=True)
        except (subprocess.CalledProcessError, OSError) as error:
            print(f"   kubernetes-validate could not be installed: {error}")
            return None
    return command


def peers(corpora: list[list[str]], runs: int) -> None:
    print("\n4. peers: kubernetes-validate --strict (same schemas, Python) vs `kubecheck check` (all default rules), "
          f"cold (no cache, default jobs) and warm (cache filled), median of {runs} paired runs")
    command = kubernetes_validate()
    if command is None:
        return
    cache = tempfile.mkdtemp(prefix="kubecheck-bench-cache-")
    check = [str(KUBECHECK), "check", "--format", "json", "--fail-on", "never"]
    print(f"   {'input':<40} {'kubernetes-validate':>20} {'cold':>8} {'faster':>7} {'warm':>8} {'faster':>7}")
    for corpus in corpora:
        files = manifest_files(corpus)
        validate = [str(command), "--strict", "--quiet", *files]
        cold = paired(validate, [*check, "--no-cache", *corpus], runs)
        subprocess.run([*check, "--cache-dir", cache, *corpus], capture_output=True)
        warm = paired(validate, [*check, "--cache-dir", cache, *corpus], runs)
        name = os.path.relpath(corpus[0], PROJECT)
        print(f"   {name[-40:]:<40} {cold['a']:>19.2f}s {cold['b']:>7.2f}s {cold['ratio']:>6.1f}x "
              f"{warm['b']:>7.2f}s {warm['ratio']:>6.1f}x")
        target(f"times faster than kubernetes-validate, cold: {name[-20:]}", cold["ratio"], 5, "min")
        target(f"times faster than kubernetes-validate, warm: {name[-20:]}", warm["ratio"], 20, "min")
    shutil.rmtree(cache, ignore_errors=True)


def scaling(sizes: tuple[int, ...], runs: int) -> None:
    """Section 7: the synthetic repository of `scale_workload.py` at each size, whole process."""
    sys.path.insert(0, str(Path(__file__).parent))
    import scale_workload

    print(f"\n7. scaling: synthetic repositories (`scale_workload.py`), whole process, `--no-cache`, default jobs, "
          f"median of {runs} (one run at 100,000)")
    print(f"   {'objects':>8} {'files':>6} {'bare parse':>11} {'kubecheck':>10} {'ratio':>6} {'peak RSS':>9} {'findings':>9}")
    times, memory = {}, {}
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            files = scale_workload.write(Path(folder), size)
            command = [str(KUBECHECK), "check", "--no-cache", "--format", "json", "--fail-on", "never", folder]
            result = paired(command, [sys.executable, "-c", BARE_PARSE, *manifest_files([folder])],
                            1 if size >= 100_000 else runs)
            found = len(json.loads(subprocess.run(command, capture_output=True, text=True).stdout)["findings"]) \
                if size < 100_000 else "-"
        times[size], memory[size] = result["a"], result["memory"]
        print(f"   {size:>8,} {files:>6,} {result['b']:>10.2f}s {result['a']:>9.2f}s {result['ratio']:>6.2f} "
              f"{result['memory']:>5.0f} MiB {found:>9}")
    if 10_000 in times and 100_000 in times:
        print(f"   100,000 objects take {times[100_000] / times[10_000]:.1f} times as long as 10,000")
        target("time for 100,000 objects / time for 10,000", times[100_000] / times[10_000], 11)
    if 100_000 in memory:
        target("peak memory at 100,000 objects, MiB", memory[100_000], 1536)


def scheduling_scale(rounds: int) -> None:
    import tempfile

    from kubecheck.config import Settings
    from kubecheck.pluginmanager import load_catalogue
    from kubecheck.run import check

    sys.path.insert(0, str(Path(__file__).parent))
    import scheduling_workload

    catalogue = load_catalogue()
    print(f"\n5. scheduling at scale: `--select scheduling` with and without `--nodes`, in-process, median of {rounds}")
    print(f"   {'templates':>9} {'shapes':>7} {'nodes':>6} {'without':>9} {'with':>8} {'scheduling':>11} {'findings':>9}")
    costs = {}
    with tempfile.TemporaryDirectory() as folder:
        for templates, shapes in ((1000, 100), (10000, 100), (1000, 1000), (10000, 1000)):
            manifests, inventory = scheduling_workload.write(Path(folder), templates, shapes)
            without, with_nodes, found = [], [], 0
            for _ in range(rounds):
                for times, nodes in ((without, ()), (with_nodes, (str(inventory),))):
                    gc.collect()
                    start = time.perf_counter()
                    report = check([str(manifests)], Settings(select=("scheduling",), nodes=nodes), catalogue)
                    times.append(time.perf_counter() - start)
                    found = len(report.findings) if nodes else found
            base, total = statistics.median(without), statistics.median(with_nodes)
            costs[templates, shapes] = total - base
            node_count = sum(1 + i % 5 for i in range(shapes))
            print(f"   {templates:>9,} {shapes:>7,} {node_count:>6,} {base:>8.2f}s {total:>7.2f}s {total - base:>10.2f}s "
                  f"{found:>9}")
    print(f"   scheduling cost x{costs[10000, 1000] / costs[1000, 1000]:.1f} for 10 times the templates (1,000 shapes), "
          f"x{costs[10000, 1000] / costs[10000, 100]:.1f} for 10 times the shapes (10,000 templates)")


def language_server(root: Path, changes: int) -> None:
    sys.path.insert(0, str(PROJECT / "tests"))
    from lsp_client import LanguageClient

    files = manifest_files([str(root)])
    typical = next((f for f in files if "deployment" in os.path.basename(f).lower()), files[0])
    text = Path(typical).read_text(encoding="utf-8", errors="replace")
    client = LanguageClient(root)
    try:
        client.initialize(root)
        uri = Path(typical).resolve().as_uri()
        start = time.perf_counter()
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                                "text": text}})
        found = client.diagnostics(uri)
        first = time.perf_counter() - start
        times = []
        for version in range(2, changes + 2):
            start = time.perf_counter()
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                     "contentChanges": [{"text": text + "#" * (version % 2)}]})
            client.diagnostics(uri)
            times.append(time.perf_counter() - start)
        client.shutdown()
    finally:
        client.close()
    name = os.path.relpath(typical, PROJECT)
    print(f"\n6. language server, workspace {os.path.relpath(root, PROJECT)} ({len(files):,} files), "
          f"file {name[-50:]} ({len(found)} diagnostics)")
    print(f"   didOpen -> diagnostics {first * 1000:.0f} ms (reads the workspace);   "
          f"didChange -> diagnostics: median {statistics.median(times) * 1000:.1f} ms, "
          f"max {max(times) * 1000:.1f} ms over {changes} changes")
    target("language server re-check after a change, median ms", statistics.median(times) * 1000, 20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="files or folders of manifests (default: the shared corpus)")
    parser.add_argument("--rounds", type=int, default=5, help="in-process rounds (default 5)")
    parser.add_argument("--runs", type=int, default=3, help="whole-process runs per corpus (default 3)")
    parser.add_argument("--one-file-runs", type=int, default=15, help="one-file runs (default 15)")
    parser.add_argument("--peer-runs", type=int, default=1, help="runs of each peer tool (default 1: they are slow)")
    parser.add_argument("--no-peers", action="store_true", help="skip the comparison with peer tools")
    parser.add_argument("--no-scheduling", action="store_true", help="skip the scheduling scale series")
    parser.add_argument("--no-lsp", action="store_true", help="skip the language server's re-check times")
    parser.add_argument("--no-scaling", action="store_true", help="skip the synthetic scaling series")
    parser.add_argument("--scaling-sizes", default="1000,10000,100000",
                        help="objects in each synthetic repository (default 1000,10000,100000)")
    options = parser.parse_args()

    if options.paths:
        corpora = [[path] for path in options.paths]
    elif SHARED_CORPUS.is_dir():
        corpora = [[str(SHARED_CORPUS / "real")]] + [[str(p)] for p in sorted((SHARED_CORPUS / "perf").glob("*.yaml"))]
    else:
        corpora = [[str(PROJECT / "examples")]]

    print(f"kubecheck benchmark — Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"{time.strftime('%Y-%m-%d %H:%M')}\n")
    cache = tempfile.mkdtemp(prefix="kubecheck-bench-cache-")
    check = [str(KUBECHECK), "check", "--format", "json", "--fail-on", "never"]
    print(f"1. whole process: `kubecheck check --format json` against a Python process doing the bare parse, "
          f"median of {options.runs} paired runs each: cold with one job, cold with the default jobs "
          f"({os.cpu_count()}), and warm (a second run with the cache of the first)")
    print(f"   {'input':<36} {'bare parse':>10} {'jobs 1':>13} {'default jobs':>13} {'warm':>13} {'warm/cold':>9} "
          f"{'peak RSS':>9}")
    for corpus in corpora:
        files = manifest_files(corpus)
        bare = [sys.executable, "-c", BARE_PARSE, *files]
        one = paired([*check, "--no-cache", "--jobs", "1", *corpus], bare, options.runs)
        default = paired([*check, "--no-cache", *corpus], bare, options.runs)
        subprocess.run([*check, "--cache-dir", cache, *corpus], capture_output=True)  # fills the cache
        warm = paired([*check, "--cache-dir", cache, *corpus], bare, options.runs)
        name = os.path.relpath(corpus[0], PROJECT)
        print(f"   {name[-36:]:<36} {one['b']:>9.2f}s {one['a']:>6.2f}s {one['ratio']:>4.2f}x "
              f"{default['a']:>6.2f}s {default['ratio']:>4.2f}x {warm['a']:>6.2f}s {warm['ratio']:>4.2f}x "
              f"{warm['a'] / one['a']:>9.2f} {max(one['memory'], default['memory']):>5.0f} MiB")
        target(f"cold --jobs 1 / bare parse: {name[-20:]}", one["ratio"], 3)
        target(f"cold default jobs / bare parse: {name[-20:]}", default["ratio"], 2)
        target(f"warm / cold: {name[-20:]}", warm["a"] / one["a"], 0.25)
    shutil.rmtree(cache, ignore_errors=True)

    print("\n2. in-process: kubecheck check (all default rules) vs bare CSafeLoader parse, "
          f"median of {options.rounds} alternating rounds")
    print(f"   {'input':<44} {'files':>6} {'objects':>8} {'bare parse':>11} {'kubecheck':>10} {'ratio':>6}")
    for corpus in corpora:
        files = manifest_files(corpus)
        result = in_process(files, options.rounds)
        name = os.path.relpath(corpus[0], PROJECT)
        print(f"   {name[-44:]:<44} {len(files):>6} {result['objects']:>8} {result['base']:>10.3f}s "
              f"{result['ours']:>9.3f}s {result['ratio']:>6.2f}")

    one_file = str(PROJECT / "examples" / "shop" / "web.yaml")
    result = paired([str(KUBECHECK), "check", one_file], [sys.executable, "-c", "pass"], options.one_file_runs)
    print(f"\n3. one file per process: `kubecheck check examples/shop/web.yaml`, median of {options.one_file_runs}")
    print(f"   kubecheck {result['a']:.3f}s   python -c pass {result['b']:.3f}s   "
          f"(kubecheck costs {result['a'] - result['b']:.3f}s over a bare interpreter; peak {result['memory']:.1f} MiB)")
    target("one-file check, interpreter start included, s", result["a"], 0.15)
    if not options.no_peers:
        peers(corpora, options.peer_runs)
    if not options.no_scheduling:
        scheduling_scale(max(1, options.rounds // 2))
    if not options.no_lsp:
        language_server(Path(corpora[0][0]).resolve(), 20)
    if not options.no_scaling:
        scaling(tuple(int(size) for size in options.scaling_sizes.split(",")), options.runs)
    print_targets()


if __name__ == "__main__":
    main()
