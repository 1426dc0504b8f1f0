"""Where the time of ``newsstance build`` goes: wall time per stage of the per-article path, in one process.

    .venv/bin/python benchmarks/build_profile.py --articles 1000

Builds a synthetic corpus (``benchmarks/synthetic.py``, under ``benchmarks/_work/``) once to warm up,
then again with a timer around each stage function (``STAGES``), one worker, no cache, and prints
each stage's seconds, milliseconds per article and share of the build. Stages nest (``tokenize`` runs
inside ``check_article``); the indentation shows it, and ``rest`` is the time of a stage that none
of its listed sub-stages accounts for. The timers cost about a microsecond per call, so the
shares, not the total, are the figures to quote; ``build_speed.py`` measures the speed itself.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

# (depth, module, function as looked up by its caller): the module is the one whose global is replaced.
STAGES = (
    (0, "builder.pipeline", "index_inputs"),
    (0, "builder.pipeline", "build_chunk"),
    (1, "builder.speed.runner", "read_files"),
    (1, "builder.speed.runner", "check_article"),
    (2, "builder.validate", "article_from"),
    (2, "builder.validate", "read_annotation"),  # defined in builder.sources.listing; check_article looks it up in validate
    (2, "builder.validate", "check_set"),
    (2, "builder.validate", "alignment_problems"),
    (2, "builder.validate", "tokenize"),
    (1, "builder.speed.runner", "choose_gold"),
    (1, "builder.speed.runner", "compare_article"),
    (1, "builder.speed.runner", "article_rows"),
    (1, "builder.speed.runner", "agreement_piece"),
    (1, "builder.speed.runner", "columns_to_batch"),
    (0, "builder.output.parquet", "write_row_group"),  # Parquet encoding, in the main process (no cache: no encode_group)
)


def timed(counters: tuple[Counter, Counter], label: str, function):
    seconds, calls = counters

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[label] += time.perf_counter() - started
            calls[label] += 1
    return wrapper


@contextmanager
def stage_timers(counters: tuple[Counter, Counter]) -> Iterator[None]:
    """Timers around the functions of ``STAGES`` while the block runs; the functions are put back after
    (a wrapper left behind would also reach worker processes, which look functions up by name)."""
    originals = []
    for _, module_name, name in STAGES:
        module = importlib.import_module(module_name)
        if not callable(getattr(module, name, None)):
            raise SystemExit(f"{module_name}.{name} is gone: update STAGES in {__file__}")
        originals.append((module, name, getattr(module, name)))
    try:
        for module, name, function in originals:
            setattr(module, name, timed(counters, f"{module.__name__.split('.')[-1]}.{name}", function))
        yield
    finally:
        for module, name, function in originals:
            setattr(module, name, function)


def table(seconds: Counter, calls: Counter, total: float, articles: int) -> list[str]:
    labels = [(depth, f"{module.split('.')[-1]}.{name}") for depth, module, name in STAGES]
    lines = [f"{'stage':44s}{'calls':>8s}{'seconds':>10s}{'ms/article':>12s}{'share':>8s}"]

    def line(depth: int, label: str, value: float, count: int | str) -> str:
        return (f"{'  ' * depth + label:44s}{count!s:>8s}{value:10.3f}{1000 * value / articles:12.3f}"
                f"{100 * value / total:7.1f}%")
    for position, (depth, label) in enumerate(labels):
        lines.append(line(depth, label, seconds[label], calls[label]))
        children = []
        for child_depth, child in labels[position + 1:]:
            if child_depth <= depth:
                break
            if child_depth == depth + 1:
                children.append(child)
        if children:
            lines.append(line(depth + 1, "rest", seconds[label] - sum(seconds[c] for c in children), ""))
    top = sum(seconds[label] for depth, label in labels if depth == 0)
    lines.append(line(0, "rest of the build (card, manifest, sinks)", total - top, ""))
    lines.append(line(0, "build", total, ""))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks" / "_work" / "speed",
                        help="where the synthetic corpus is generated (default: %(default)s)")
    args = parser.parse_args(argv)
    from build_speed import config_for
    from builder.pipeline import build
    from synthetic import generate

    corpus = generate(args.work / f"corpus-{args.articles}-seed{args.seed}", articles=args.articles, seed=args.seed)
    counters: tuple[Counter, Counter] = (Counter(), Counter())
    with tempfile.TemporaryDirectory(prefix="newsstance-profile-") as tmp:
        build(config_for(corpus, Path(tmp) / "warm-up", workers=1, cache_dir=None))
        with stage_timers(counters):
            started = time.perf_counter()
            build(config_for(corpus, Path(tmp) / "timed", workers=1, cache_dir=None))
            total = time.perf_counter() - started
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{args.articles} synthetic articles (seed {args.seed}), 1 worker, no cache: {total:.2f} s with timers")
    print("\n".join(table(*counters, total, args.articles)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
