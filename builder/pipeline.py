"""build(): the stages in order, nothing else.

list the inputs -> per article (in worker processes, in chunks, results in order): read its files,
run every check, choose gold, agreement, clean, project, tokenize, views, encode the rows ->
Parquet sinks (row groups) -> card -> manifest, all in a staging folder moved into place at the end.

Memory stays bounded: the main process holds the list of file names, the rows of the row groups
being filled and small per-article summaries only until they are added up; the manifest's
per-article parts go through temporary files. Every problem of every article is collected before
the build fails (nothing is moved into place then). With a cache (``BuildConfig.cache_dir``), an
article whose inputs did not change is not read again beyond its checksums, and a row group whose
articles did not change is copied as bytes (``cache.py``); the output is the same either way.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import pickle
import shutil
import sqlite3
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from itertools import combinations
from pathlib import Path
from typing import NamedTuple

import datasets
import huggingface_hub
import pyarrow
import spacy
from tqdm import tqdm

from . import DATASET_NAME
from .adjudicate import GoldChoice, choose_gold
from .agreement import (FEWER_THAN_THREE, AgreementReport, ArticleAgreement, PairCounts, card_section,
                        compare_pair, disagreement_count, entity_units, item_agreement, pooled, stance_units)
from .cache import BuildCache, article_key, fingerprint
from .card import CardFigures, SplitFigures, render_card
from .config import BuildConfig
from .errors import InputError, Problem
from .parallel import ordered_map
from .project import project_set
from .records import AnnotationSet, BuiltArticle, RawArticle
from .schema import CONFIGS, features_for
from .splits import split_of
from .validate import (ArticleBytes, ArticleFiles, CheckedArticle, InputIndex, check_article, in_file_order,
                       index_inputs, read_article, read_files)
from .views import (ItemScores, annotation_rows, cleaning_row, documents_row, ner_rows,
                    stance_view_rows)
from .write import (MANIFEST, Piece, Sinks, compiled, manifest_outputs, rows_to_batch, sha256_file,
                    staged_output, write_json_streamed)

PROGRESS_MIN_ARTICLES = 50  # below this a progress bar is noise
CHUNK_ARTICLES = 16  # articles per task sent to a worker
GOLD_ORDER = 3  # E115 and other gold problems come after every input problem, by article id


@dataclass(frozen=True, slots=True)
class ArticleRows:
    """The rows one article contributes to each config, and its split."""

    split: str
    rows: Mapping[str, list[dict]]
    gold_source: str


def builder_versions() -> dict[str, str]:
    from importlib.metadata import version
    return {"newsstance": version("newsstance"), "datasets": datasets.__version__,
            "pyarrow": pyarrow.__version__, "spacy": spacy.__version__,
            "huggingface_hub": huggingface_hub.__version__}


# --- one article ------------------------------------------------------------------------------

def article_rows(article: RawArticle, sets: Sequence[AnnotationSet], choice: GoldChoice,
                 checked: CheckedArticle, annotators, targets: Mapping[str, str],
                 config: BuildConfig) -> ArticleRows:
    """One article through clean, project, tokenize and the views."""
    clean, tokens = checked.clean_and_tokens(choice.gold.cleaning)
    annotator_sets = [s for s in sets if not s.is_gold]
    built = BuiltArticle(
        clean=clean, split=split_of(article.meta, config.split_ratios), tokens=tokens,
        gold=project_set(choice.gold, clean), annotator_sets=tuple(project_set(s, clean) for s in annotator_sets))
    scores = {}
    for aset in annotator_sets:
        others = [s for s in annotator_sets if s is not aset]
        if others:
            item = item_agreement(aset, others)
            scores[aset.annotator] = ItemScores(item.entities, item.stances, item.debris)
    rows = {
        "documents": [documents_row(built, choice.source)],
        "ner": ner_rows(built),
        "stance": stance_view_rows(built, targets),
        "cleaning": [cleaning_row(built)],
        "annotations": annotation_rows(built, annotators, scores),
    }
    return ArticleRows(built.split, rows, choice.source)


class AgreementPiece(NamedTuple):
    """What one article adds to the corpus agreement (its annotators' sets, gold excluded).

    Tuples rather than dataclasses: summaries are pickled to and from workers and the cache, and
    plain tuples load several times faster."""

    annotators: tuple[str, ...]
    adjudicated: bool
    pairs: tuple[tuple, ...]  # the field values of each pair's agreement.PairCounts, in field order
    entity_units: tuple
    stance_units: tuple
    disagreements: int
    by_article: str | None  # its entry of the manifest's agreement.by_article, as JSON text


PAIR_FIELDS = tuple(f.name for f in fields(PairCounts))


def agreement_piece(article_id: str, sets: Sequence[AnnotationSet], length: int) -> AgreementPiece:
    """Per article, as ``agreement.corpus_agreement`` computes it."""
    annotated = sorted((s for s in sets if not s.is_gold), key=lambda s: s.annotator)
    adjudicated = any(s.is_gold for s in sets)
    names = tuple(s.annotator for s in annotated)
    if len(annotated) < 2:
        return AgreementPiece(names, adjudicated, (), (), (), 0, None)
    pairs = tuple(compare_pair(a, b, length) for a, b in combinations(annotated, 2))
    three = len(annotated) >= 3
    entity, stance = (tuple(entity_units(annotated)), tuple(stance_units(annotated))) if three else ((), ())
    disagreements = disagreement_count(annotated)
    figures = pooled(pairs, entity, stance, articles=1, disagreements=disagreements,
                     alpha_note=None if three else "fewer than three annotators")
    entry = AgreementReport(figures, (ArticleAgreement(article_id, names, adjudicated, figures),), (), 0).to_json()
    text = json.dumps(entry["by_article"][article_id], indent=2, ensure_ascii=False)
    return AgreementPiece(names, adjudicated, tuple(tuple(getattr(p, f) for f in PAIR_FIELDS) for p in pairs),
                          entity, stance, disagreements, text)


class ArticleSummary(NamedTuple):
    """What the build keeps of one article once its rows are in the sinks (and what the cache stores)."""

    article_id: str
    annotated: bool
    split: str | None
    rows: tuple[int, ...]  # rows per config, in CONFIGS order
    entity_labels: tuple[str, ...]
    stance_labels: tuple[str, ...]
    debris_reasons: tuple[str, ...]
    gold_source: str | None
    disagreements: tuple[str, ...]
    agreement: AgreementPiece | None
    inputs: tuple[tuple[str, str], ...]  # (manifest name, sha256) of the article's files


@dataclass(slots=True)
class ArticleOutcome:
    """One article as a worker returns it: a summary (pickled) or the problems found."""

    summary: bytes | None
    problems: list[tuple[tuple, Problem]]
    misfiled: bool = False
    key: str | None = None  # cache key; set when the article can be cached
    cached: bool = False  # the rows are in the cache, not in the chunk's batches


@dataclass(slots=True)
class ChunkResult:
    outcomes: list[ArticleOutcome]
    batches: dict[tuple[str, str], pyarrow.RecordBatch]  # rows of the computed (not cached) articles, per (config, split)


@dataclass(frozen=True, slots=True)
class Context:
    """What every worker needs, set once per process."""

    config: BuildConfig
    index: InputIndex
    features: Mapping[str, datasets.Features]
    cache: BuildCache | None
    cache_prefix: str


CONTEXT: Context | None = None


def set_context(context: Context) -> None:
    global CONTEXT
    CONTEXT = context


def input_digests(data: ArticleBytes) -> tuple[tuple[str, str], ...]:
    """(manifest name, sha256) of one article's files."""
    files = data.files
    named = [(f"corpus/{os.path.basename(files.meta)}", data.meta)]
    if data.raw_name is not None:
        named.append((f"corpus/{data.raw_name}", data.raw))
    named += [(f"annotations/{name}", raw) for name, raw in zip(files.annotations, data.annotations)]
    return tuple((name, hashlib.sha256(raw).hexdigest()) for name, raw in named)


def article_outcome(files: ArticleFiles, context: Context) -> tuple[ArticleOutcome, ArticleRows | None]:
    """Read, check and build one article (or take it from the cache)."""
    index, config = context.index, context.config
    data = read_files(files)
    inputs = input_digests(data)
    key = article_key(context.cache_prefix, inputs)
    if context.cache is not None:
        summary = context.cache.load_summary(key)
        if summary is not None:
            return ArticleOutcome(summary, [], key=key, cached=True), None
    checked = check_article(data, index.schema, index.annotators, index.by_content)
    if checked.problems or checked.misfiled or checked.article is None:
        return ArticleOutcome(None, checked.problems, checked.misfiled), None
    article = checked.article
    if not checked.sets:
        summary = ArticleSummary(article.id, False, None, (0,) * len(CONFIGS), (), (), (), None, (), None, inputs)
        return ArticleOutcome(pickle.dumps(summary, pickle.HIGHEST_PROTOCOL), [], key=key), None
    try:
        choice = choose_gold(article.id, checked.sets, allow_unadjudicated=config.allow_unadjudicated)
    except InputError as exc:
        return ArticleOutcome(None, [((GOLD_ORDER, article.id, ""), p) for p in exc.problems]), None
    result = article_rows(article, checked.sets, choice, checked, index.annotators, index.schema.targets, config)
    gold = choice.gold
    summary = ArticleSummary(
        article.id, True, result.split, tuple(len(result.rows[name]) for name in CONFIGS),
        tuple(e.label for e in gold.entities), tuple(s.label for s in gold.stances),
        tuple(d.reason for d in gold.cleaning), choice.source, choice.disagreements,
        agreement_piece(article.id, checked.sets, len(article.text)), inputs)
    return ArticleOutcome(pickle.dumps(summary, pickle.HIGHEST_PROTOCOL), [], key=key), result


def build_chunk(chunk: Sequence[ArticleFiles]) -> ChunkResult:
    """The worker's task: a few consecutive articles, their rows encoded as one batch per (config,
    split), so that a row group being filled pins only rows of its own split."""
    context = CONTEXT
    outcomes, rows = [], defaultdict(list)
    computed: list[tuple[ArticleOutcome, ArticleRows]] = []
    for files in chunk:
        outcome, result = article_outcome(files, context)
        outcomes.append(outcome)
        if result is not None:
            for name in CONFIGS:
                rows[name, result.split] += result.rows[name]
            computed.append((outcome, result))
    batches = {key: rows_to_batch(part, context.features[key[0]], in_place=True) for key, part in rows.items()}
    if context.cache is not None:
        offsets: Counter = Counter()
        for outcome, result in computed:
            pieces = {}
            for name in CONFIGS:
                key, count = (name, result.split), len(result.rows[name])
                pieces[name] = batches[key].slice(offsets[key], count)
                offsets[key] += count
            context.cache.store_article(outcome.key, outcome.summary, pieces)
    return ChunkResult(outcomes, batches)


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
    cached: int = 0

    def add(self, summary: ArticleSummary) -> None:
        self.articles += 1
        if not summary.annotated:
            return
        self.annotated += 1
        self.counts["entity"].update(summary.entity_labels)
        self.counts["stance"].update(summary.stance_labels)
        self.counts["debris"].update(summary.debris_reasons)
        self.counts["source"][summary.gold_source] += 1
        self.unadjudicated.extend(summary.disagreements)
        self.agreement.add(summary.article_id, summary.agreement)


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
        for values in piece.pairs:
            p = PairCounts(*values)
            self.pairs += 1
            self.entity_matched += p.entity_matched
            self.entity_annotated += p.entity_annotated
            for label, matched, annotated in p.entity_by_label:
                counts = self.by_label.setdefault(label, [0, 0])
                counts[0] += matched
                counts[1] += annotated
            self.stance_pairs.update(p.stance_pairs)
            self.stance_unmatched += p.stance_unmatched
            self.debris_matched += p.debris_matched
            self.debris_annotated += p.debris_annotated
            if p.debris_cells is None or self.debris_cells is None:
                self.debris_cells = None
            else:
                self.debris_cells = [a + b for a, b in zip(self.debris_cells, p.debris_cells)]

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
    order) and the sha256 of every input file (sorted by name at the end, by SQLite)."""

    def __init__(self, folder: Path):
        self.agreement = open(folder / "agreement.bin", "w+b")
        self.db = sqlite3.connect(folder / "inputs.sqlite")
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("CREATE TABLE inputs (name TEXT NOT NULL, sha256 TEXT NOT NULL)")
        self.pending: list[tuple[str, str]] = []

    def add(self, summary: ArticleSummary) -> None:
        self.pending += summary.inputs
        if len(self.pending) >= 5000:
            self.flush()
        if summary.agreement is not None and summary.agreement.by_article is not None:
            for text in (summary.article_id, summary.agreement.by_article):
                data = text.encode("utf-8")
                self.agreement.write(len(data).to_bytes(4, "little") + data)

    def flush(self) -> None:
        self.db.executemany("INSERT INTO inputs VALUES (?, ?)", self.pending)
        self.pending = []

    def agreement_entries(self) -> Iterator[tuple[str, str]]:
        self.agreement.seek(0)
        read = self.agreement.read
        while header := read(4):
            key = read(int.from_bytes(header, "little")).decode("utf-8")
            yield key, read(int.from_bytes(read(4), "little")).decode("utf-8")

    def close(self) -> None:
        self.agreement.close()
        self.db.close()


def input_files(config: BuildConfig) -> Iterator[tuple[str, str]]:
    """Every file the build reads, by the name the manifest gives it, with its path (not sorted)."""
    for entry in os.scandir(config.corpus_dir):
        if entry.is_file():
            yield f"corpus/{entry.name}", entry.path
    annotations = os.fspath(config.annotations_dir)
    for folder, _, names in os.walk(annotations):
        relative = os.path.relpath(folder, annotations).replace(os.sep, "/")
        prefix = "annotations/" if relative == "." else f"annotations/{relative}/"
        for name in names:
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                yield prefix + name, path
    yield "DATASET_CARD.md", os.fspath(config.card_path)
    if Path(config.benchmarks_dir).is_dir():
        for path in Path(config.benchmarks_dir).glob("*.json"):
            yield f"benchmarks/results/{path.name}", os.fspath(path)


def sorted_inputs(scratch: Scratch, config: BuildConfig) -> Iterator[tuple[str, str]]:
    """(name, sha256 as JSON) of every input file in name order; files no article read are hashed here."""
    scratch.flush()
    db = scratch.db
    db.execute("CREATE TEMP TABLE listed (name TEXT PRIMARY KEY, path TEXT NOT NULL)")
    db.executemany("INSERT OR REPLACE INTO listed VALUES (?, ?)", input_files(config))
    missing = db.execute("SELECT name, path FROM listed WHERE name NOT IN (SELECT name FROM inputs)").fetchall()
    db.executemany("INSERT INTO inputs VALUES (?, ?)", ((n, sha256_file(Path(p))) for n, p in missing))
    cursor = db.execute("SELECT inputs.name, inputs.sha256 FROM inputs JOIN listed ON inputs.name = listed.name "
                        "ORDER BY inputs.name")
    for name, sha in cursor:
        yield name, f'"{sha}"'


def run_articles(index: InputIndex, context: Context, sinks: Sinks, scratch: Scratch) -> Totals:
    """Every article through the workers; rows into the sinks, summaries into the totals."""
    config = context.config
    totals = Totals()
    articles = iter(index)
    if config.progress and len(index) >= PROGRESS_MIN_ARTICLES:
        articles = tqdm(articles, total=len(index), desc="building", unit="article", file=sys.stderr)
    for result in ordered_map(build_chunk, articles, workers=config.workers, chunk_size=CHUNK_ARTICLES,
                              initializer=set_context, initargs=(context,)):
        offsets: Counter = Counter()
        for outcome in result.outcomes:
            totals.problems += outcome.problems
            totals.misfiled |= outcome.misfiled
            if outcome.summary is None:
                continue
            summary: ArticleSummary = pickle.loads(outcome.summary)
            totals.add(summary)
            scratch.add(summary)
            totals.cached += outcome.cached
            if not summary.annotated or totals.problems or totals.misfiled:
                continue  # once the build is known to fail, only checking goes on
            for name, count in zip(CONFIGS, summary.rows):
                key = (name, summary.split)
                if outcome.cached:
                    batch = context.cache.rows_loader(outcome.key, name, compiled(context.features[name]).schema)
                else:
                    batch = result.batches[key].slice(offsets[key], count) if count else None
                    offsets[key] += count
                sinks.add_piece(name, summary.split, Piece(count, batch, outcome.key if context.cache else None))
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
    cache = BuildCache(config.cache_dir, CONFIGS) if config.cache_dir is not None else None
    context = Context(config, index, features, cache, fingerprint(config.hash(), config.annotations_dir))

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
        cache.prune()
    return config.output


BY_ARTICLE = "\x00by_article\x00"  # placeholders for the manifest's streamed parts
INPUTS = "\x00inputs\x00"


def corpus_only_problems(index: InputIndex) -> tuple[Problem, ...]:
    """Without a label schema only the corpus can be checked; its problems and the schema's."""
    found = list(index.problems)
    for files in index:
        data = read_files(ArticleFiles(files.name, files.meta, files.root, ()))
        _, problems = read_article(Path(files.meta), data.meta, data.raw)
        found += [((0, "", os.path.basename(files.meta)), p) for p in problems]
    return in_file_order(found)


def benchmarks_markdown(config: BuildConfig) -> str:
    try:
        from .evaluate import benchmarks_section
    except ImportError:  # pragma: no cover - evaluate ships with the package
        return "No benchmark results are on record for this version."
    return benchmarks_section(Path(config.benchmarks_dir), config.version)
