"""build(): the stages in order, nothing else.

list the inputs (``inputs.index_inputs``) -> per article, in worker processes, in chunks, results in
input order (``parallel.build_chunk``): read its files, run every check, choose gold, agreement,
clean, project, tokenize, views, encode the rows -> Parquet sinks, row group by row group
(``write.py``) -> card -> manifest, all in a staging folder moved into place at the end.

Memory stays bounded: the main process holds the list of file names (with a cache, its index too:
under a kilobyte per article), the rows of the row groups being filled and small per-article
summaries only until they are added up; the manifest's per-article parts go through temporary
files. Every problem of every article is collected before the build fails (nothing is moved into
place then). With a cache (``BuildConfig.cache_dir``), an article whose files did not change is not
read again (their status says so), and a row group whose articles did not change is copied as bytes
(``cache.py``); the output is the same either way.
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import datasets
import huggingface_hub
import pyarrow
import spacy
from tqdm import tqdm

from builder import DATASET_NAME
from builder.agreement.corpus import FEWER_THAN_THREE, AgreementReport, PairCounts, card_section, pooled
from builder.speed.cache import BuildCache, fingerprint
from builder.output.card import CardFigures, SplitFigures, render_card
from builder.config import BuildConfig
from builder.errors import InputError, Problem
from builder.evaluation.evaluate import benchmarks_section
from builder.sources.listing import InputIndex, index_inputs
from builder.output.name_sort import NameSorter
from builder.speed.runner import AgreementPiece, ArticleSummary, Context, build_chunk, load_cached_rows, ordered_map, set_context
from builder.views.schema import CONFIGS, features_for
from builder.validate import corpus_article, in_file_order
from builder.output.parquet import MANIFEST, Piece, Sinks, arrow_schema_of, manifest_outputs, sha256_file, staged_output, write_json_streamed

PROGRESS_MIN_ARTICLES = 50  # below this a progress bar is noise
CHUNK_ARTICLES = 16  # articles per task sent to a worker


def builder_versions() -> dict[str, str]:
    from importlib.metadata import version
    return {"newsstance": version("newsstance"), "datasets": datasets.__version__,
            "pyarrow": pyarrow.__version__, "spacy": spacy.__version__,
            "huggingface_hub": huggingface_hub.__version__}


# --- the whole corpus -------------------------------------------------------------------------

@dataclass
class Totals:
    """Everything the card and the manifest need, added up article by article."""

    articles: int = 0  # loaded, annotated or not
    annotated: int = 0
    counts: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in ("entity", "stance", "debris", "source")})
    unadjudicated: list[str] = field(default_factory=list)
    agreement: AgreementTally = field(default_factory=lambda: AgreementTally())
    problems: list[tuple[tuple, Problem]] = field(default_factory=list)
    misfiled: bool = False

    def add(self, summary: ArticleSummary) -> None:
        self.articles += 1
        if not summary.annotated:
            return
        self.annotated += 1
        counts = self.counts
        add_counts(counts["entity"], summary.entity_labels)
        add_counts(counts["stance"], summary.stance_labels)
        add_counts(counts["debris"], summary.debris_reasons)
        counts["source"][summary.gold_source] += 1
        self.unadjudicated.extend(summary.disagreements)
        self.agreement.add(summary.article_id, summary.agreement)


def add_counts(counter: Counter, pairs: tuple[tuple[str, int], ...]) -> None:
    """``counter.update(dict(pairs))`` for pairs of distinct keys (a summary's counts), without the dict."""
    get = counter.get
    for key, count in pairs:
        counter[key] = get(key, 0) + count


@dataclass
class AgreementTally:
    """``agreement.corpus_agreement`` added up one article at a time: pair counts are summed as they
    come (pooling sums them anyway), so memory does not grow with the corpus (alpha's units do, for
    articles with three or more annotators)."""

    compared: int = 0
    pairs: int = 0
    entity_matched: int = 0
    entity_annotated: int = 0
    by_label: dict = field(default_factory=dict)
    stance_pairs: Counter = field(default_factory=Counter)
    stance_unmatched: int = 0
    debris_matched: int = 0
    debris_annotated: int = 0
    debris_cells: list | None = field(default_factory=lambda: [0, 0, 0, 0])
    entity_units: list = field(default_factory=list)
    stance_units: list = field(default_factory=list)
    disagreements: int = 0
    unadjudicated: int = 0
    single: list[str] = field(default_factory=list)
    with_three: bool = False

    def add(self, article_id: str, piece: AgreementPiece) -> None:
        if len(piece.annotators) < 2:
            self.single.extend([article_id] if piece.annotators else [])
            return
        self.compared += 1
        self.disagreements += piece.disagreements
        self.unadjudicated += 0 if piece.adjudicated else piece.disagreements
        self.with_three |= len(piece.annotators) >= 3
        self.entity_units.extend(piece.entity_units)
        self.stance_units.extend(piece.stance_units)
        by_label = self.by_label
        for (entity_matched, entity_annotated, entity_by_label, stance_pairs, stance_unmatched, debris_matched,
             debris_annotated, debris_cells) in piece.pairs:  # the fields of a PairCounts, in order
            self.pairs += 1
            self.entity_matched += entity_matched
            self.entity_annotated += entity_annotated
            for label, matched, annotated in entity_by_label:
                counts = by_label.get(label)
                if counts is None:
                    counts = by_label[label] = [0, 0]
                counts[0] += matched
                counts[1] += annotated
            self.stance_pairs.update(stance_pairs)
            self.stance_unmatched += stance_unmatched
            self.debris_matched += debris_matched
            self.debris_annotated += debris_annotated
            if debris_cells is None or self.debris_cells is None:
                self.debris_cells = None
            else:
                self.debris_cells = [a + b for a, b in zip(self.debris_cells, debris_cells)]

    def report(self) -> AgreementReport:
        """The corpus report, without per-article entries (those are streamed into the manifest)."""
        merged = PairCounts(
            entity_matched=self.entity_matched, entity_annotated=self.entity_annotated,
            entity_by_label=tuple((label, m, n) for label, (m, n) in self.by_label.items()),
            stance_pairs=tuple(pair for pair, n in sorted(self.stance_pairs.items()) for _ in range(n)),
            stance_unmatched=self.stance_unmatched, debris_matched=self.debris_matched,
            debris_annotated=self.debris_annotated,
            debris_cells=None if self.debris_cells is None else tuple(self.debris_cells))
        corpus = pooled([merged] if self.pairs else [], self.entity_units, self.stance_units,
                        articles=self.compared, disagreements=self.disagreements,
                        alpha_note=None if self.with_three else FEWER_THAN_THREE)
        return AgreementReport(replace(corpus, pairs=self.pairs), (), tuple(self.single), self.unadjudicated)


class Scratch:
    """Temporary files of one build: the manifest's per-article agreement entries (in article
    order) and the sha256 of every input file an article read (sorted by name at the end)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.agreement = open(folder / "agreement.bin", "w+b")
        self.inputs = NameSorter(folder)

    def add(self, summary: ArticleSummary) -> None:
        self.inputs.add(summary.inputs)
        if summary.agreement is not None and summary.agreement.by_article is not None:
            key, value = summary.article_id.encode("utf-8"), summary.agreement.by_article.encode("utf-8")
            self.agreement.write(b"".join((len(key).to_bytes(4, "little"), key, len(value).to_bytes(4, "little"), value)))

    def agreement_entries(self) -> Iterator[tuple[str, str]]:
        self.agreement.seek(0)
        read = self.agreement.read
        while header := read(4):
            key = read(int.from_bytes(header, "little")).decode("utf-8")
            yield key, read(int.from_bytes(read(4), "little")).decode("utf-8")

    def close(self) -> None:
        self.agreement.close()
        self.inputs.close()


def input_files(config: BuildConfig) -> Iterator[tuple[str, str]]:
    """Every file the build reads, by the name the manifest gives it, with its path (not sorted)."""
    for entry in os.scandir(config.corpus_dir):
        if entry.is_file():
            yield f"corpus/{entry.name}", entry.path
    yield from files_under(os.fspath(config.annotations_dir), "annotations/")
    yield "DATASET_CARD.md", os.fspath(config.card_path)
    if Path(config.benchmarks_dir).is_dir():
        for path in Path(config.benchmarks_dir).glob("*.json"):
            yield f"benchmarks/results/{path.name}", os.fspath(path)


def files_under(folder: str, prefix: str) -> Iterator[tuple[str, str]]:
    """Files under ``folder``, recursively, as ``rglob("*")`` with ``is_file()`` finds them (symbolic
    links to folders are not followed)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from files_under(entry.path, f"{prefix}{entry.name}/")
            elif entry.is_file():
                yield prefix + entry.name, entry.path


def sorted_inputs(scratch: Scratch, config: BuildConfig) -> Iterator[tuple[str, str]]:
    """(name, sha256 as JSON) of every input file in name order: the listed files, with the sha256 an
    article read or, for a file no article read, hashed here (a file read but no longer listed is left out)."""
    listed = NameSorter(scratch.folder)
    try:
        listed.add_all(input_files(config))
        read = scratch.inputs.sorted()
        pending = next(read, None)
        previous = None
        for name, _, path in listed.sorted():
            if name == previous:  # a name listed twice is one input (no real input is listed twice)
                continue
            previous = name
            while pending is not None and pending[0] < name:
                pending = next(read, None)
            if pending is None or pending[0] != name:
                yield name, f'"{sha256_file(Path(path))}"'
                continue
            while pending is not None and pending[0] == name:
                yield name, f'"{pending[2]}"'
                pending = next(read, None)
    finally:
        listed.close()


def run_articles(index: InputIndex, context: Context, sinks: Sinks, scratch: Scratch) -> Totals:
    """Every article through the workers; rows into the sinks, summaries into the totals."""
    config = context.config
    totals = Totals()
    schemas = {name: arrow_schema_of(context.features[name]) for name in CONFIGS}
    articles = iter(index)
    if config.progress and len(index) >= PROGRESS_MIN_ARTICLES:
        articles = tqdm(articles, total=len(index), desc="building", unit="article", file=sys.stderr)
    per_article = context.cache is not None  # a cached group is keyed by the articles whose rows it holds
    remade: dict = {}  # rows of cached articles made again (``parallel.load_cached_rows``)
    for result in ordered_map(build_chunk, articles, workers=config.workers, chunk_size=CHUNK_ARTICLES,
                              initializer=set_context, initargs=(context,)):
        offsets: Counter = Counter()
        batches = result.received(schemas)
        for outcome in result.outcomes:
            totals.problems += outcome.problems
            totals.misfiled |= outcome.misfiled
            if outcome.summary is None:
                continue
            summary = outcome.summary
            totals.add(summary)
            scratch.add(summary)
            if outcome.known is not None:
                context.cache.remember(outcome.known)
            if not per_article or not summary.annotated or totals.problems or totals.misfiled:
                continue  # once the build is known to fail, only checking goes on
            for name, count in zip(CONFIGS, summary.rows):
                if not count:
                    continue
                key = (name, summary.split)
                if outcome.cached:
                    batch = partial(load_cached_rows, context, outcome.key, outcome.files, name, count, schemas,
                                    remade)
                else:
                    batch = batches[key].slice(offsets[key], count)
                    offsets[key] += count
                sinks.sink(name, summary.split).add_piece(Piece(count, batch, outcome.key))
        if not per_article and not (totals.problems or totals.misfiled):
            for (name, split), batch in batches.items():  # the chunk's rows of each sink, in article order
                if batch.num_rows:  # a sink is opened only for rows: an empty split has no file
                    sinks.sink(name, split).add_piece(Piece(batch.num_rows, batch))
    return totals


@contextmanager
def frozen_gc() -> Iterator[None]:
    """Keep the objects that exist before the build (loaded libraries: about a million) out of the
    garbage collector's passes while it runs, and collect the young generation less often (a build
    makes millions of short-lived objects); give both back at the end."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def build(config: BuildConfig) -> Path:
    """Build the dataset folder of ``config``; on any problem raise and leave the old output as it was."""
    with frozen_gc():
        return build_frozen(config)


def build_frozen(config: BuildConfig) -> Path:
    index = index_inputs(config.corpus_dir, config.annotations_dir)
    gc.freeze()  # the index lives as long as the build
    if index.schema is None:
        raise InputError(corpus_only_problems(index))
    prose = Path(config.card_path).read_text(encoding="utf-8")
    features = {c: features_for(c, index.schema) for c in CONFIGS}
    prefix = fingerprint(config.hash(), config.annotations_dir)
    cache = BuildCache(config.cache_dir, CONFIGS, prefix) if config.cache_dir is not None else None
    context = Context(config, index, features, cache, prefix)

    with staged_output(config.output) as staging, tempfile.TemporaryDirectory(prefix="newsstance-build-") as tmp:
        while True:
            scratch = Scratch(Path(tmp))
            sinks = Sinks(staging, features, config.rows_per_group, cache)
            totals = run_articles(index, context, sinks, scratch)
            if not totals.misfiled or index.by_content:
                break
            scratch.close()  # a file says another article than its name: group by content and start again
            for child in (*staging.iterdir(), *Path(tmp).iterdir()):
                shutil.rmtree(child) if child.is_dir() else child.unlink()
            index = index_inputs(config.corpus_dir, config.annotations_dir, by_content=True)
            context = replace(context, index=index)
        problems = list(index.problems) + totals.problems
        if problems:
            raise InputError(in_file_order(problems))
        written = sinks.close()
        splits: dict[str, dict[str, SplitFigures]] = {}
        for (name, split), sink in written.items():
            splits.setdefault(name, {})[split] = SplitFigures(sink.rows, sink.arrow_bytes, sink.path.stat().st_size)
        counts = totals.counts
        agreement = totals.agreement.report()
        figures = CardFigures(
            version=config.version, articles=totals.annotated, splits=splits, entity_labels=counts["entity"],
            stance_labels=counts["stance"], debris_reasons=counts["debris"], gold_sources=counts["source"],
            allow_unadjudicated=config.allow_unadjudicated, unadjudicated=totals.unadjudicated)
        sections = {"agreement": card_section(agreement), "benchmarks": benchmarks_markdown(config)}
        (staging / "README.md").write_text(render_card(prose, figures, features, sections), encoding="utf-8")
        agreement_json = agreement.to_json()
        agreement_json["by_article"] = BY_ARTICLE
        parquet = {sink.path.relative_to(staging).as_posix(): sink for sink in written.values()}
        write_json_streamed(staging / MANIFEST, {
            "dataset": DATASET_NAME,
            "version": config.version,
            "builder": builder_versions(),
            "config_hash": config.hash(),
            "build_flags": {"allow_unadjudicated": config.allow_unadjudicated},
            "articles": {"annotated": totals.annotated, "unannotated_skipped": totals.articles - totals.annotated},
            "gold_sources": dict(sorted(counts["source"].items())),
            "unadjudicated_disagreements": figures.unadjudicated,
            "agreement": agreement_json,
            "inputs": INPUTS,
            "outputs": manifest_outputs(staging, {name: sink.rows for name, sink in parquet.items()},
                                        {name: sink.sha256 for name, sink in parquet.items()}),
        }, {BY_ARTICLE: scratch.agreement_entries(), INPUTS: sorted_inputs(scratch, config)})
        scratch.close()
    if cache is not None:
        cache.commit()
    return config.output


BY_ARTICLE = "\x00by_article\x00"  # placeholders for the manifest's streamed parts
INPUTS = "\x00inputs\x00"


def corpus_only_problems(index: InputIndex) -> tuple[Problem, ...]:
    """Without a label schema only the corpus can be checked; its problems and the schema's."""
    found = list(index.problems)
    for files in index:
        _, problems = corpus_article(files)
        found += [((0, "", os.path.basename(files.meta)), p) for p in problems]
    return in_file_order(found)


def benchmarks_markdown(config: BuildConfig) -> str:
    return benchmarks_section(Path(config.benchmarks_dir), config.version)
