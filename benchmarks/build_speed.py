"""Speed and memory of ``newsstance build``, against spaCy's tokenizer (the floor) and the naive route.

    .venv/bin/python benchmarks/build_speed.py --articles 10000 --workers 2
    .venv/bin/python benchmarks/build_speed.py --articles 10000 --incremental --skip floor,naive
    .venv/bin/python benchmarks/build_speed.py --rss-sizes 10000,100000 --skip floor,naive,parallel

One run generates (or reuses) a synthetic corpus (``benchmarks/synthetic.py``, under
``benchmarks/_work/``) and measures, each in a fresh subprocess so that its peak RSS is its own:

- **build**: ``builder.pipeline.build`` with one worker, no cache, and with ``--workers K``;
- **baseline** (``--baseline REV``): the one-worker build of the builder at git revision ``REV`` (its
  tree is taken with ``git archive`` into the work folder and run by its own copy of this script,
  with the installed libraries), interleaved with this one's, and whether both wrote the same bytes;
- **floor**: ``spacy.blank("en")`` + ``sentencizer`` over the same cleaned texts via ``nlp.pipe`` (the
  texts are distinct articles), and the tokenizer alone;
- **naive**: what a user would write with ``datasets``: ``Dataset.from_list`` of the cleaned texts with
  their gold entity offsets -> ``.map()`` that tokenizes each line with spaCy and BIO-tags each
  sentence -> ``to_parquet``; its rows are checked to be the build's ``ner`` rows;
- **incremental** (``--incremental``): a build with a cold cache, then one annotation file changed
  (a gold entity label), then the rebuild, whose output is compared with a clean build;
- **rss** (``--rss-sizes A,B``): the one-worker build at two corpus sizes, peak RSS of each.

Times are wall-clock of the measured call inside the child (imports excluded), and CPU seconds of the
whole child with its workers (``os.wait4``). Peak RSS is the child's ``ru_maxrss``, the largest
single process; with workers the sum over the process tree, sampled every 50 ms, is shown too. The
results go to ``benchmarks/results/speed/results-<machine>.json`` (a subfolder: the dataset card lists
the model results at the top of ``benchmarks/results/`` and reads nothing below it), one entry per kind
of run and measured commit (``10000-articles-incremental@88b933f``): a run of the same kind at another
commit adds an entry, at the same commit it replaces the old one. The table is printed.
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
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))


# --- what runs in a child -----------------------------------------------------------------------

def config_for(corpus: Path, output: Path, **options):
    from builder.config import BuildConfig
    return BuildConfig(corpus_dir=corpus / "corpus", annotations_dir=corpus / "annotations", output_dir=output,
                       card_path=corpus / "DATASET_CARD.md", benchmarks_dir=corpus / "no-results", **options)


def cleaned_texts(built: Path) -> list[str]:
    """The cleaned texts of a build, in article order (all splits)."""
    import pyarrow.parquet as pq
    rows = []
    for path in sorted((built / "cleaning").glob("*.parquet")):
        table = pq.read_table(path, columns=["id", "clean_text"])
        rows += zip(table.column("id").to_pylist(), table.column("clean_text").to_pylist())
    return [text for _, text in sorted(rows)]


def child_build(corpus: Path, output: Path, workers: int, cache: Path | None) -> dict:
    from builder.pipeline import build
    started = time.perf_counter()
    build(config_for(corpus, output, workers=workers, cache_dir=cache))
    return {"seconds": time.perf_counter() - started}


def child_floor(built: Path, tokenizer_only: bool) -> dict:
    import spacy
    texts = cleaned_texts(built)
    nlp = spacy.blank("en")
    if not tokenizer_only:
        nlp.add_pipe("sentencizer")
    list(nlp.pipe(["Warm up the pipeline on a text that is not in the corpus."]))
    started = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    return {"seconds": time.perf_counter() - started, "characters": sum(map(len, texts)), "texts": len(texts)}


def naive_align(batch: dict, nlp, tag_names: list[str]) -> dict:
    """The map function a user would write: each line through spaCy, sentences joined where an entity
    crosses them, IOB2 tags per sentence (the rules of builder/align.py, written plainly)."""
    out = {name: [] for name in ("id", "article_id", "sentence_index", "tokens", "ner_tags", "token_starts", "token_ends")}
    for article_id, text, entities in zip(batch["id"], batch["text"], batch["entities"]):
        tokens, sentence, offset = [], -1, 0
        for line in text.split("\n"):
            if line.strip():
                for sent in nlp(line).sents:
                    sentence += 1
                    tokens += [[t.text, offset + t.idx, offset + t.idx + len(t.text), sentence]
                               for t in sent if not t.is_space]
            offset += len(line) + 1
        first = {t[1]: t[3] for t in tokens}
        last = {t[2]: t[3] for t in tokens}
        merge = {}
        for e in entities:
            a, b = first.get(e["start"]), last.get(e["end"])
            if a is not None and b is not None:
                for s in range(a + 1, b + 1):
                    merge[s] = merge.get(a, a)
        numbering = {}
        for t in tokens:
            t[3] = numbering.setdefault(merge.get(t[3], t[3]), len(numbering))
        sentences = {}
        for t in tokens:
            sentences.setdefault(t[3], []).append(t)
        for index, sent in sentences.items():
            lo, hi = sent[0][1], sent[-1][2]
            tags = ["O"] * len(sent)
            position = {t[1]: i for i, t in enumerate(sent)}
            for e in entities:
                if lo <= e["start"] and e["end"] <= hi:
                    i = position[e["start"]]
                    tags[i] = f"B-{e['label']}"
                    i += 1
                    while i < len(sent) and sent[i][2] <= e["end"]:
                        tags[i] = f"I-{e['label']}"
                        i += 1
            out["id"].append(f"{article_id}-{index:04d}")
            out["article_id"].append(article_id)
            out["sentence_index"].append(index)
            out["tokens"].append([t[0] for t in sent])
            out["ner_tags"].append([tag_names.index(tag) for tag in tags])
            out["token_starts"].append([t[1] for t in sent])
            out["token_ends"].append([t[2] for t in sent])
    return out


def child_naive(built: Path, corpus: Path, output: Path) -> dict:
    import pyarrow.parquet as pq
    import spacy
    from datasets import Dataset, disable_progress_bars
    from builder.sources.annotations import load_schema
    from builder.views.schema import bio_names, features_for
    disable_progress_bars()
    schema = load_schema(corpus / "annotations" / "schema.yaml")
    records = []
    for path in sorted((built / "documents").glob("*.parquet")):
        table = pq.read_table(path, columns=["id", "text", "entities"])
        records += [{"id": r["id"], "text": r["text"],
                     "entities": [{"start": e["start"], "end": e["end"], "label": e["label"]} for e in r["entities"]]}
                    for r in table.to_pylist()]
    labels = list(schema.entity_labels)  # the Parquet file holds ClassLabel integers
    for r in records:
        for e in r["entities"]:
            e["label"] = labels[e["label"]]
    records.sort(key=lambda r: r["id"])
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    list(nlp.pipe(["Warm up the pipeline on a text that is not in the corpus."]))
    features = features_for("ner", schema)
    started = time.perf_counter()
    dataset = Dataset.from_list(records)
    rows = dataset.map(naive_align, batched=True, batch_size=100, remove_columns=dataset.column_names,
                       features=features, fn_kwargs={"nlp": nlp, "tag_names": bio_names(schema)})
    rows.to_parquet(str(output))
    seconds = time.perf_counter() - started
    built_rows = sorted(r for path in sorted((built / "ner").glob("*.parquet"))
                        for r in map(json.dumps, pq.read_table(path).to_pylist()))
    naive_rows = sorted(map(json.dumps, pq.read_table(output).to_pylist()))
    return {"seconds": seconds, "same_rows_as_build": built_rows == naive_rows, "rows": len(naive_rows)}


def child_main(argv: list[str]) -> None:
    kind, *rest = argv
    if kind == "build":
        corpus, output, workers, cache = rest
        result = child_build(Path(corpus), Path(output), int(workers), Path(cache) if cache != "-" else None)
    elif kind in ("floor", "tokenizer"):
        result = child_floor(Path(rest[0]), kind == "tokenizer")
    elif kind == "naive":
        result = child_naive(Path(rest[0]), Path(rest[1]), Path(rest[2]))
    else:
        raise SystemExit(f"unknown child {kind}")
    print("RESULT " + json.dumps(result), flush=True)


# --- the parent ---------------------------------------------------------------------------------

def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
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


def run_child(*argv: str, script: Path = Path(__file__)) -> dict:
    """Run this script (or the same script of a baseline tree) as a child; its result, CPU seconds
    (with its workers) and peak RSS."""
    process = subprocess.Popen([sys.executable, str(script), "--child", *argv], stdout=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

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
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"child {argv} failed with exit code {process.returncode}")
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result = json.loads(line[len("RESULT "):])
    result.update(cpu_seconds=usage.ru_utime + usage.ru_stime, peak_rss_mib=usage.ru_maxrss / 1024,
                  tree_peak_rss_mib=peak[0] / 2**20)
    return result


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                 platform.processor())
    memory = next((int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    return {"cpu": model, "nproc": os.cpu_count(), "ram_gib": round(memory / 2**20, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "libraries": {name: version(name) for name in ("spacy", "datasets", "pyarrow", "numpy")},
            "load_average_at_start": os.getloadavg()}


def measured_commit() -> str:
    """The commit of the builder measured, with ``+changes`` when its files differ from it."""
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode:
        return "unknown (not a git checkout)"
    changed = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "builder", "benchmarks/*.py"],
                             capture_output=True, text=True).stdout.strip()
    return head.stdout.strip() + ("+changes" if changed else "")


def at_commit(commit: str) -> str:
    """The suffix of a run's JSON entry: a run of the same kind at another commit is another entry, so
    the results of earlier sessions are kept."""
    return f"@{commit[:7]}" + ("+changes" if commit.endswith("+changes") else "")


def same_files(a: Path, b: Path) -> bool:
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    return files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file()) and all(
        (a / f).read_bytes() == (b / f).read_bytes() for f in files)


def baseline_tree(revision: str, work: Path) -> tuple[str, Path]:
    """The repository at ``revision`` (``git archive``, no worktree bookkeeping), under ``work``; its
    commit and folder. Its own ``benchmarks/build_speed.py`` builds with its own builder."""
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--verify", f"{revision}^{{commit}}"],
                            capture_output=True, text=True)
    if commit.returncode:
        raise SystemExit(f"--baseline {revision}: not a commit of {REPO}: {commit.stderr.strip()}")
    sha = commit.stdout.strip()
    tree = work / f"baseline-{sha[:12]}"
    if not (tree / "benchmarks" / "build_speed.py").is_file():
        shutil.rmtree(tree, ignore_errors=True)
        tree.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", sha], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        if not (tree / "benchmarks" / "build_speed.py").is_file():
            raise SystemExit(f"--baseline {revision}: that commit has no benchmarks/build_speed.py to build with")
    return sha, tree


def change_one_annotation(corpus: Path) -> tuple[Path, bytes]:
    """Change one gold entity's label in the middle of the corpus; returns the file and its old bytes."""
    golds = sorted((corpus / "annotations" / "gold").glob("*.json"))
    path = golds[len(golds) // 2]
    before = path.read_bytes()
    data = json.loads(before)
    entity = next(e for e in data["entities"] if e["label"] in ("GPE", "ORG"))
    entity["label"] = "ORG" if entity["label"] == "GPE" else "GPE"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path, before


def rate(result: dict, articles: int, characters: int) -> str:
    seconds = result["seconds"]
    return (f"{seconds:8.2f} s  {articles / seconds:8.0f} art/s  {characters / seconds / 1e6:6.2f} M chars/s  "
            f"cpu {result['cpu_seconds']:7.1f} s  rss {result['peak_rss_mib']:6.0f} MiB")


def best(runs: list[dict]) -> dict:
    """The run with the shortest wall time (the least disturbed by other load), with every time seen."""
    chosen = dict(min(runs, key=lambda r: r["seconds"]))
    chosen["all_seconds"] = [round(r["seconds"], 3) for r in runs]
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of each variant, interleaved; the fastest is reported (default: %(default)s)")
    parser.add_argument("--incremental", action="store_true", help="measure a rebuild after one annotation file changes")
    parser.add_argument("--rss-sizes", default="", help="two corpus sizes for the memory check, e.g. 10000,100000")
    parser.add_argument("--skip", default="", help="comma-separated: floor, naive, parallel")
    parser.add_argument("--work", type=Path, default=WORK, help="generated corpora and builds (default: %(default)s)")
    parser.add_argument("--machine", default=None, help="name in the results file (default: from the CPU model)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where results-<machine>.json goes (default: %(default)s)")
    parser.add_argument("--baseline", metavar="REV", help="a git revision whose build (1 worker) is measured side by side, "
                        "interleaved with this one's, on the same corpus")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args.child)
        return 0
    from synthetic import generate
    info = machine()
    name = args.machine or "-".join(info["cpu"].lower().replace("(r)", "").replace("(tm)", "").split()[:3]) + f"-{info['nproc']}cpu"
    results: dict = {"machine": info, "articles": args.articles, "workers": args.workers, "seed": args.seed,
                     "repeat": args.repeat, "builder_commit": measured_commit()}
    lines = [f"machine: {info['cpu']}, {info['nproc']} CPUs, {info['ram_gib']} GiB RAM, Python {info['python']}, "
             + ", ".join(f"{k} {v}" for k, v in info["libraries"].items()),
             f"corpus: {args.articles} synthetic articles (seed {args.seed}); fastest of {args.repeat} runs each",
             f"builder: {results['builder_commit']}"]

    def corpus_of(size: int) -> Path:
        started = time.perf_counter()
        folder = generate(args.work / f"corpus-{size}-seed{args.seed}", articles=size, seed=args.seed,
                          workers=max(1, os.cpu_count() or 1))
        print(f"corpus of {size} articles ready in {time.perf_counter() - started:.0f} s: {folder}", file=sys.stderr)
        return folder

    corpus = corpus_of(args.articles)
    builds = args.work / "builds" / str(os.getpid())  # this run's own: another run may share the work folder
    shutil.rmtree(builds, ignore_errors=True)
    builds.mkdir(parents=True)
    try:
        return measure(args, corpus, builds, corpus_of, results, lines, name)
    finally:
        shutil.rmtree(builds, ignore_errors=True)


def measure(args, corpus: Path, builds: Path, corpus_of, results: dict, lines: list[str], name: str) -> int:
    """Every variant of one run, its table printed and its results written."""
    skip = set(filter(None, args.skip.split(",")))
    variants = {"one": ("build", str(corpus), str(builds / "one"), "1", "-")}
    if "floor" not in skip:
        variants |= {"floor": ("floor", str(builds / "one")), "tokenizer": ("tokenizer", str(builds / "one"))}
    if "naive" not in skip:
        variants["naive"] = ("naive", str(builds / "one"), str(corpus), str(builds / "naive.parquet"))
    if "parallel" not in skip and args.workers > 1:
        variants["many"] = ("build", str(corpus), str(builds / "many"), str(args.workers), "-")
    scripts = {}
    if args.baseline:
        baseline_commit, tree = baseline_tree(args.baseline, args.work)
        variants["baseline"] = ("build", str(corpus), str(builds / "baseline"), "1", "-")
        scripts["baseline"] = tree / "benchmarks" / "build_speed.py"
    runs: dict[str, list[dict]] = {key: [] for key in variants}
    for _ in range(args.repeat):  # interleaved, so that a burst of other load does not hit one variant only
        for key, argv_ in variants.items():
            runs[key].append(run_child(*argv_, script=scripts.get(key, Path(__file__))))
            print(f"  {key}: {runs[key][-1]['seconds']:.2f} s", file=sys.stderr)
    measured = {key: best(value) for key, value in runs.items()}
    one = measured["one"]
    characters = sum(map(len, cleaned_texts(builds / "one")))
    results["build_1_worker"] = one | {"characters": characters}
    lines.append(f"{'build, 1 worker':34s}{rate(one, args.articles, characters)}")
    if "floor" in measured:
        floor, tokenizer = measured["floor"], measured["tokenizer"]
        results |= {"floor_tokenizer_sentencizer": floor, "tokenizer_only": tokenizer}
        lines.append(f"{'floor: tokenizer + sentencizer':34s}{rate(floor, args.articles, characters)}")
        lines.append(f"{'tokenizer alone':34s}{rate(tokenizer, args.articles, characters)}")
        results["build_over_floor"] = one["seconds"] / floor["seconds"]
        results["build_over_floor_cpu"] = one["cpu_seconds"] / floor["cpu_seconds"]
    if "naive" in measured:
        naive = measured["naive"]
        results["naive_datasets_route"] = naive
        lines.append(f"{'naive datasets route (ner only)':34s}{rate(naive, args.articles, characters)}"
                     f"  same rows: {naive['same_rows_as_build']}")
        results["naive_over_build"] = naive["seconds"] / one["seconds"]
        if "tokenizer" in measured:
            results["naive_over_tokenizer"] = naive["seconds"] / measured["tokenizer"]["seconds"]
    if "baseline" in measured:
        base = measured["baseline"]
        results["baseline"] = base | {"revision": args.baseline, "commit": baseline_commit,
                                      "same_bytes": same_files(builds / "one", builds / "baseline")}
        results["speedup_over_baseline"] = base["seconds"] / one["seconds"]
        lines.append(f"{'baseline ' + baseline_commit[:10] + ', 1 worker':34s}{rate(base, args.articles, characters)}"
                     f"  same bytes: {results['baseline']['same_bytes']}")
    if "many" in measured:
        many = measured["many"]
        results[f"build_{args.workers}_workers"] = many
        results["parallel_speedup"] = one["seconds"] / many["seconds"]
        results["parallel_identical_output"] = same_files(builds / "one", builds / "many")
        lines.append(f"{f'build, {args.workers} workers':34s}{rate(many, args.articles, characters)}"
                     f"  tree rss {many['tree_peak_rss_mib']:.0f} MiB, same bytes: {results['parallel_identical_output']}")
    if args.incremental:
        cache = builds / "cache"
        cold = run_child("build", str(corpus), str(builds / "cold"), "1", str(cache))
        changed, before = change_one_annotation(corpus)
        try:
            changed_run = run_child("build", str(corpus), str(builds / "warm"), "1", str(cache))
            clean = run_child("build", str(corpus), str(builds / "clean"), "1", "-")
        finally:
            changed.write_bytes(before)  # changing it back is one more one-file change
        restored_run = run_child("build", str(corpus), str(builds / "restored"), "1", str(cache))
        warm = best([changed_run, restored_run])
        results["incremental"] = {
            "cold_with_cache": cold, "after_one_change": warm, "clean_after_change": clean,
            "changed_file": str(changed.relative_to(corpus)),
            "rebuild_over_full": warm["seconds"] / one["seconds"],
            "identical_to_clean_build": same_files(builds / "warm", builds / "clean")
            and same_files(builds / "restored", builds / "one"),
            "cold_identical_to_uncached": same_files(builds / "cold", builds / "one")}
        lines.append(f"{'build, cold cache':34s}{rate(cold, args.articles, characters)}")
        lines.append(f"{'rebuild after 1 file changed':34s}{rate(warm, args.articles, characters)}"
                     f"  same bytes as a clean build: {results['incremental']['identical_to_clean_build']}")
    if args.rss_sizes:
        sizes = [int(s) for s in args.rss_sizes.split(",")]
        rss = {}
        for size in sizes:
            folder = corpus_of(size)
            result = run_child("build", str(folder), str(builds / f"rss-{size}"), "1", "-")
            shutil.rmtree(builds / f"rss-{size}", ignore_errors=True)
            rss[str(size)] = result
            lines.append(f"{f'build {size} articles, 1 worker':34s}{result['seconds']:8.2f} s  "
                         f"{size / result['seconds']:8.0f} art/s  rss {result['peak_rss_mib']:6.0f} MiB")
        results["rss"] = rss | {"ratio": rss[str(sizes[-1])]["peak_rss_mib"] / rss[str(sizes[0])]["peak_rss_mib"]}
    lines.append("")
    if "speedup_over_baseline" in results:
        lines.append(f"{'speedup_over_baseline':34s}{results['speedup_over_baseline']:8.2f}")
    for key, target, better in (("build_over_floor", 2.0, "<="), ("parallel_speedup", 1.8, ">="),
                                ("naive_over_build", 2.0, ">=")):
        if key in results:
            ok = results[key] <= target if better == "<=" else results[key] >= target
            lines.append(f"{key:34s}{results[key]:8.2f}  (target {better} {target}: {'met' if ok else 'missed'})")
    if "incremental" in results:
        value = results["incremental"]["rebuild_over_full"]
        lines.append(f"{'rebuild_over_full':34s}{value:8.3f}  (target <= 0.05: {'met' if value <= 0.05 else 'missed'})")
    if "rss" in results:
        value = results["rss"]["ratio"]
        lines.append(f"{'peak_rss_ratio ' + args.rss_sizes:34s}{value:8.2f}  (target <= 1.2: {'met' if value <= 1.2 else 'missed'})")
    table = "\n".join(lines)
    print(table)
    args.results.mkdir(parents=True, exist_ok=True)
    target = args.results / f"results-{name}.json"
    existing = json.loads(target.read_text(encoding="utf-8")) if target.is_file() else {}
    run_name = f"{args.articles}-articles" + ("-incremental" if args.incremental else "") + (
        f"-vs-{args.baseline}" if args.baseline else "") + (
        f"-rss-{args.rss_sizes.replace(',', '-')}" if args.rss_sizes else "") + at_commit(results["builder_commit"])
    existing[run_name] = results | {"table": table}
    target.write_text(json.dumps(existing, indent=2) + "\n", encoding="utf-8")
    print(f"results: {target} [{run_name}]", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
