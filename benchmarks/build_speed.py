"""Speed and memory of ``newsstance build``, against spaCy's tokenizer (the floor) and the naive route.

    python -m benchmarks.build_speed --articles 10000 --workers 2 --incremental
    python benchmarks/build_speed.py --articles 2000 --skip floor,naive,parallel --baseline HEAD~1

Each variant runs in a fresh child process (``speed_child.py``), interleaved ``--repeat`` times, on a
synthetic corpus (``synthetic.py``, in ``benchmarks/_work/``): the build with 1 and K workers; spaCy's
tokenizer + sentencizer over its cleaned texts; the naive ``datasets`` route, checked to make its
``ner`` rows; with ``--incremental`` the rebuild after one gold label changed; with ``--rss-sizes A,B``
the peak RSS at two corpus sizes; with ``--baseline REV`` the build of that revision, exported by ``git
archive`` and run by its own ``build_speed.py`` with its tree first on ``PYTHONPATH`` (its own
``builder``). This process imports neither ``builder`` nor ``benchmarks``: each child is told its tree.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "benchmarks" / "_work" / "speed"
RESULTS = REPO / "benchmarks" / "results" / "speed"
TARGETS = (("build_over_floor", "<=", 2.0), ("parallel_speedup", ">=", 1.8), ("naive_over_build", ">=", 2.0))


def with_tree(tree: Path) -> dict:
    """The environment of a child whose ``builder`` and ``benchmarks`` are those of ``tree``."""
    return os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [str(tree), os.environ.get("PYTHONPATH")]))}


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (Linux /proc)."""
    children, rss = {}, {}  # parent pid -> pids, pid -> resident bytes
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack += children.get(current, [])
    return total


def run_child(*argv: str, tree: Path = REPO) -> dict:
    """``tree``'s ``build_speed.py --child ARGV``: its result, CPU seconds (with its workers), peak RSS."""
    command = [sys.executable, str(tree / "benchmarks" / "build_speed.py"), "--child", *argv]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=with_tree(tree))
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(process.pid))
            done.wait(0.05)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"child {argv} of {tree} failed with exit code {os.waitstatus_to_exitcode(status)}")
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT "):]) | {"cpu_seconds": usage.ru_utime + usage.ru_stime,
                                                "peak_rss_mib": usage.ru_maxrss / 1024, "tree_peak_rss_mib": peak[0] / 2**20}


def synthetic_corpus(work: Path, size: int, seed: int) -> Path:
    """The synthetic project of ``size`` articles (reused when already there), made in a child."""
    folder, started = work / f"corpus-{size}-seed{seed}", time.perf_counter()
    subprocess.run([sys.executable, "-m", "benchmarks.synthetic", "--articles", str(size), "--seed", str(seed),
                    "--workers", str(os.cpu_count() or 1), "--out", str(folder)],
                   env=with_tree(REPO), cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    print(f"corpus of {size} articles ready in {time.perf_counter() - started:.0f} s: {folder}", file=sys.stderr)
    return folder


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                 platform.processor())
    memory = next((int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    return {"cpu": model, "nproc": os.cpu_count(), "ram_gib": round(memory / 2**20, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "libraries": {name: version(name) for name in ("spacy", "datasets", "pyarrow", "numpy")},
            "load_average_at_start": os.getloadavg()}


def git(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(REPO), *argv], capture_output=True)


def measured_commit() -> str:
    """The commit of the builder measured, with ``+changes`` when its files differ from it."""
    head, changed = git("rev-parse", "HEAD"), git("status", "--porcelain", "--", "builder", "benchmarks/*.py").stdout
    if head.returncode:
        return "unknown (not a git checkout)"
    return head.stdout.decode().strip() + ("+changes" if changed.strip() else "")


def baseline_tree(revision: str, work: Path) -> tuple[str, Path]:
    """The repository at ``revision`` exported with ``git archive`` under ``work``: its commit and folder."""
    commit = git("rev-parse", "--verify", f"{revision}^{{commit}}")
    if commit.returncode:
        raise SystemExit(f"--baseline {revision}: not a commit of {REPO}: {commit.stderr.decode().strip()}")
    sha = commit.stdout.decode().strip()
    tree = work / f"baseline-{sha[:12]}"
    if not (tree / "benchmarks" / "build_speed.py").is_file():
        shutil.rmtree(tree, ignore_errors=True)
        tree.mkdir(parents=True)
        subprocess.run(["tar", "-x", "-C", str(tree)], input=git("archive", sha).stdout, check=True)
        if not (tree / "benchmarks" / "build_speed.py").is_file():
            raise SystemExit(f"--baseline {revision}: that commit has no benchmarks/build_speed.py to build with")
    return sha, tree


def same_files(a: Path, b: Path) -> bool:
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    return files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file()) and all(
        (a / f).read_bytes() == (b / f).read_bytes() for f in files)


def best(runs: list[dict]) -> dict:
    """The run with the shortest wall time (the least disturbed by other load), with every time seen."""
    return min(runs, key=lambda r: r["seconds"]) | {"all_seconds": [round(r["seconds"], 3) for r in runs]}


def baseline_corpus(corpus: Path, tree: Path) -> Path:
    """The corpus as the baseline builds it: the same corpus/ and annotations/ (linked), with the baseline's own
    DATASET_CARD.md, whose generated markers are the ones its builder fills."""
    folder = corpus.with_name(f"{corpus.name}-for-{tree.name}")
    folder.mkdir(exist_ok=True)
    for name in ("corpus", "annotations"):
        if not (folder / name).exists():
            (folder / name).symlink_to(corpus / name, target_is_directory=True)
    shutil.copy(tree / "DATASET_CARD.md", folder / "DATASET_CARD.md")
    return folder


def measure(args, corpus: Path, builds: Path) -> dict:
    """Every variant, interleaved so that a burst of other load does not hit one only; the fastest of each."""
    skip, one, many = set(filter(None, args.skip.split(","))), str(builds / "one"), f"build_{args.workers}_workers"
    variants = {"build_1_worker": ("build", str(corpus), one, "1", "-")}
    if "floor" not in skip:
        variants |= {"floor_tokenizer_sentencizer": ("floor", one), "tokenizer_only": ("tokenizer", one)}
    if "naive" not in skip:
        variants["naive_datasets_route"] = ("naive", one, str(corpus), str(builds / "naive.parquet"))
    if "parallel" not in skip and args.workers > 1:
        variants[many] = ("build", str(corpus), str(builds / "many"), str(args.workers), "-")
    trees = {}
    if args.baseline:
        commit, trees["baseline"] = baseline_tree(args.baseline, args.work)
        variants["baseline"] = ("build", str(baseline_corpus(corpus, trees["baseline"])), str(builds / "baseline"),
                                "1", "-")
    runs: dict[str, list[dict]] = {key: [] for key in variants}
    for _ in range(args.repeat):
        for key, argv in variants.items():
            runs[key].append(run_child(*argv, tree=trees.get(key, REPO)))
            print(f"  {key}: {runs[key][-1]['seconds']:.2f} s", file=sys.stderr)
    results = {key: best(value) for key, value in runs.items()}
    results["build_1_worker"]["characters"] = run_child("characters", one)["characters"]
    if "baseline" in results:
        results["baseline"] |= {"revision": args.baseline, "commit": commit,
                                "same_bytes": same_files(builds / "one", builds / "baseline")}
    if many in results:
        results["parallel_identical_output"] = same_files(builds / "one", builds / "many")
    if args.incremental:
        results["incremental"] = incremental(corpus, builds)
    for size in map(int, filter(None, args.rss_sizes.split(","))):
        folder = synthetic_corpus(args.work, size, args.seed)
        results.setdefault("rss", {})[str(size)] = run_child("build", str(folder), str(builds / "rss"), "1", "-")
        shutil.rmtree(builds / "rss", ignore_errors=True)
    return results


def incremental(corpus: Path, builds: Path) -> dict:
    """A cold cache, one gold entity's label changed in the middle of the corpus, the rebuild; and back."""
    cache = str(builds / "cache")
    cold = run_child("build", str(corpus), str(builds / "cold"), "1", cache)
    golds = sorted((corpus / "annotations" / "gold").glob("*.json"))
    changed = golds[len(golds) // 2]
    data = json.loads(before := changed.read_bytes())
    entity = next(e for e in data["entities"] if e["label"] in ("GPE", "ORG"))
    entity["label"] = "ORG" if entity["label"] == "GPE" else "GPE"
    changed.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    try:
        changed_run = run_child("build", str(corpus), str(builds / "warm"), "1", cache)
        clean = run_child("build", str(corpus), str(builds / "clean"), "1", "-")
    finally:
        changed.write_bytes(before)  # changing it back is one more one-file change
    restored_run = run_child("build", str(corpus), str(builds / "restored"), "1", cache)
    return {"cold_with_cache": cold, "after_one_change": best([changed_run, restored_run]), "clean_after_change": clean,
            "changed_file": str(changed.relative_to(corpus)),
            "identical_to_clean_build": same_files(builds / "warm", builds / "clean")
            and same_files(builds / "restored", builds / "one"),
            "cold_identical_to_uncached": same_files(builds / "cold", builds / "one")}


def add_ratios(results: dict, workers: int) -> None:
    """The ratios of a run, beside its figures (each where both of its variants ran)."""
    seconds = {key: r["seconds"] for key, r in results.items() if isinstance(r, dict) and "seconds" in r}
    for key, top, bottom in (("build_over_floor", "build_1_worker", "floor_tokenizer_sentencizer"),
                             ("naive_over_build", "naive_datasets_route", "build_1_worker"),
                             ("naive_over_tokenizer", "naive_datasets_route", "tokenizer_only"),
                             ("speedup_over_baseline", "baseline", "build_1_worker"),
                             ("parallel_speedup", "build_1_worker", f"build_{workers}_workers")):
        if top in seconds and bottom in seconds:
            results[key] = seconds[top] / seconds[bottom]
    if "incremental" in results:
        results["incremental"]["rebuild_over_full"] = (results["incremental"]["after_one_change"]["seconds"]
                                                       / seconds["build_1_worker"])
    if "rss" in results:
        sizes = list(results["rss"].values())
        results["rss"]["ratio"] = sizes[-1]["peak_rss_mib"] / sizes[0]["peak_rss_mib"]


def table(results: dict, args) -> list[str]:
    """The printed lines of a run, below its heading: one per variant, then the ratios and their targets."""
    characters = results["build_1_worker"]["characters"]
    naive, base, inc = (results.get(key) for key in ("naive_datasets_route", "baseline", "incremental"))
    many = results.get(f"build_{args.workers}_workers")
    rows = [("build, 1 worker", results["build_1_worker"], ""),
            ("floor: tokenizer + sentencizer", results.get("floor_tokenizer_sentencizer"), ""),
            ("tokenizer alone", results.get("tokenizer_only"), ""),
            ("naive datasets route (ner only)", naive, naive and f"  same rows: {naive['same_rows_as_build']}"),
            (f"baseline {base and base['commit'][:10]}, 1 worker", base, base and f"  same bytes: {base['same_bytes']}"),
            (f"build, {args.workers} workers", many, many and f"  tree rss {many['tree_peak_rss_mib']:.0f} MiB, "
             f"same bytes: {results['parallel_identical_output']}"),
            ("build, cold cache", inc and inc["cold_with_cache"], ""),
            ("rebuild after 1 file changed", inc and inc["after_one_change"],
             inc and f"  same bytes as a clean build: {inc['identical_to_clean_build']}")]
    lines = [f"{label:34s}{r['seconds']:8.2f} s  {args.articles / r['seconds']:8.0f} art/s  "
             f"{characters / r['seconds'] / 1e6:6.2f} M chars/s  cpu {r['cpu_seconds']:7.1f} s  "
             f"rss {r['peak_rss_mib']:6.0f} MiB{extra}" for label, r, extra in rows if r]
    lines += [f"{f'build {size} articles, 1 worker':34s}{r['seconds']:8.2f} s  {int(size) / r['seconds']:8.0f} art/s  "
              f"rss {r['peak_rss_mib']:6.0f} MiB" for size, r in results.get("rss", {}).items() if size != "ratio"]
    ratios = [("speedup_over_baseline", results.get("speedup_over_baseline"), "", None, 2)]
    ratios += [(key, results.get(key), better, target, 2) for key, better, target in TARGETS]
    ratios += [("rebuild_over_full", inc and inc["rebuild_over_full"], "<=", 0.15, 3),
               (f"peak_rss_ratio {args.rss_sizes}", results.get("rss", {}).get("ratio"), "<=", 1.2, 2)]
    lines.append("")
    for key, value, better, target, digits in ratios:
        if value is not None:
            met = target is not None and (value <= target if better == "<=" else value >= target)
            verdict = f"  (target {better} {target}: {'met' if met else 'missed'})" if target is not None else ""
            lines.append(f"{key:34s}{value:8.{digits}f}{verdict}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for flag, default in (("--articles", 2000), ("--workers", 2), ("--seed", 0)):
        parser.add_argument(flag, type=int, default=default)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each variant, interleaved; the fastest is kept")
    parser.add_argument("--incremental", action="store_true", help="measure a rebuild after one annotation file changes")
    parser.add_argument("--rss-sizes", default="", help="two corpus sizes for the memory check, e.g. 10000,100000")
    parser.add_argument("--skip", default="", help="comma-separated: floor, naive, parallel")
    parser.add_argument("--work", type=Path, default=WORK, help="generated corpora and builds (default: %(default)s)")
    parser.add_argument("--machine", default=None, help="name in the results file (default: from the CPU model)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where results-<machine>.json goes (default: %(default)s)")
    parser.add_argument("--baseline", metavar="REV", help="a git revision whose 1-worker build is measured beside this one")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        from benchmarks.speed_child import main as child  # this tree is on PYTHONPATH: see run_child
        child(args.child)
        return 0
    info = machine()
    name = args.machine or "-".join(info["cpu"].lower().replace("(r)", "").replace("(tm)", "").split()[:3]) + f"-{info['nproc']}cpu"
    results: dict = {"machine": info, "articles": args.articles, "workers": args.workers, "seed": args.seed,
                     "repeat": args.repeat, "builder_commit": measured_commit()}
    corpus = synthetic_corpus(args.work, args.articles, args.seed)
    builds = args.work / "builds" / str(os.getpid())  # this run's own: another run may share the work folder
    shutil.rmtree(builds, ignore_errors=True)
    builds.mkdir(parents=True)
    try:
        results |= measure(args, corpus, builds)
    finally:
        shutil.rmtree(builds, ignore_errors=True)
    add_ratios(results, args.workers)
    text = "\n".join([f"machine: {info['cpu']}, {info['nproc']} CPUs, {info['ram_gib']} GiB RAM, Python {info['python']}, "
                      + ", ".join(f"{k} {v}" for k, v in info["libraries"].items()),
                      f"corpus: {args.articles} synthetic articles (seed {args.seed}); fastest of {args.repeat} runs each",
                      f"builder: {results['builder_commit']}", *table(results, args)])
    print(text)
    commit = results["builder_commit"]
    run_name = (f"{args.articles}-articles" + "-incremental" * args.incremental + (f"-vs-{args.baseline}" if args.baseline else "")
                + (f"-rss-{args.rss_sizes.replace(',', '-')}" if args.rss_sizes else "")
                + f"@{commit[:7]}" + "+changes" * commit.endswith("+changes"))
    args.results.mkdir(parents=True, exist_ok=True)
    target = args.results / f"results-{name}.json"
    existing = json.loads(target.read_text(encoding="utf-8")) if target.is_file() else {}
    existing[run_name] = results | {"table": text}
    target.write_text(json.dumps(existing, indent=2) + "\n", encoding="utf-8")
    print(f"results: {target} [{run_name}]", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
