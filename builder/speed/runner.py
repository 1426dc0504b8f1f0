"""The per-article stages of the build, run in worker processes, with the results in input order.

``build_chunk`` is a worker's task: a few consecutive articles, each read once (its bytes give the
checksums, the cache key and the parsed sets), checked, given its gold set and agreement figures,
cleaned, tokenized and turned into rows; the rows of the chunk come back as Arrow batches, one per
(config, split), with a small summary per article (``ArticleSummary``) or the article's problems.
With a cache, an article whose files are as the cache's index recorded them comes back as its stored
summary, unread.

``ordered_map(function, items, workers=K, chunk_size=C)`` cuts ``items`` into chunks of ``C``, calls
``function(chunk)`` in ``K`` processes and yields the results in the order of the chunks, so that the
Parquet sinks see exactly what one process would have produced: the output does not depend on
``K``. At most ``AHEAD`` chunks per worker are in flight, so memory is bounded by the chunk size, not
by the corpus. With one worker everything runs in the calling process, without pickling. Workers
are forked: they inherit the loaded spaCy pipeline and the read-only ``Context``.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from hashlib import sha256
from itertools import islice
from typing import NamedTuple, TypeVar

import datasets
import pyarrow
import pyarrow.ipc

from builder.article.adjudicate import GoldChoice, choose_gold
from builder.agreement.corpus import (ArticleAgreement, ArticleComparison, ItemAgreement, article_figures, article_json_text,
                        compare_article, item_agreements)
from builder.article.align import Tokens, as_columns, tokens_from_record, tokens_record
from builder.views.arrow import Columns, columns_to_batch
from builder.speed.cache import BuildCache, Known, article_key
from builder.config import BuildConfig
from builder.errors import InputError, Problem, problem
from builder.sources.listing import ArticleBytes, ArticleFiles, InputIndex, read_files
from builder.article.project import project_set
from builder.records import AnnotationSet, BuiltArticle, RawArticle, Schema
from builder.views.rows import annotation_rows, cleaning_batch, documents_row, ner_columns, stance_view_rows
from builder.views.schema import CONFIGS, LabelIds, label_ids
from builder.article.splits import split_of
from builder.validate import CheckedArticle, KnownTokens, check_article
from builder.views.dicts import sentences_of
from builder.output.parquet import arrow_schema_of

GOLD_ORDER = 3  # E115 and other gold problems come after every input problem, by article id


@dataclass(frozen=True, slots=True)
class ArticleRows:
    """The rows one article contributes to each config (as ``rows.py`` gives them: parts for
    ``arrow.columns_to_batch``; none for cleaning, made from the documents batch), how many, and its
    split."""

    split: str
    parts: Mapping[str, list[tuple | Columns]]
    counts: Mapping[str, int]
    gold_source: str
    tokens: bytes = b""  # with a cache: the tokens of the gold cleaned text (``align.tokens_record``)


# --- one article ------------------------------------------------------------------------------

def article_rows(article: RawArticle, sets: Sequence[AnnotationSet], choice: GoldChoice, checked: CheckedArticle,
                 comparison: ArticleComparison, annotators, schema: Schema, config: BuildConfig) -> ArticleRows:
    """One article through clean, project, tokenize and the views (``comparison``: of its sets, for the
    per-item agreement of the annotations view)."""
    built, scores = built_article(article, sets, choice, checked, comparison, config)
    ids = label_ids_of(schema)
    sentences = sentences_of(as_columns(built.tokens))  # shared by the ner rows and the stance contexts
    ner = ner_columns(built, ids, sentences)
    stance = stance_view_rows(built, schema.targets, ids, sentences)
    annotations = annotation_rows(built, annotators, scores, ids)
    parts = {"documents": [documents_row(built, choice.source, ids)], "ner": [ner], "stance": stance,
             "annotations": annotations}  # cleaning: made from the documents batch
    counts = {"documents": 1, "ner": len(ner["id"]), "stance": len(stance), "cleaning": 1,
              "annotations": len(annotations)}
    tokens = b"" if config.cache_dir is None else tokens_record(built.tokens, built.clean.text, article.meta.language)
    return ArticleRows(built.split, parts, counts, choice.source, tokens)


LABEL_IDS: dict[int, tuple[Schema, LabelIds]] = {}  # by id; the schema is held, so its id stays its own


def label_ids_of(schema: Schema) -> LabelIds:
    """``schema.label_ids``, made once per schema rather than once per article."""
    found = LABEL_IDS.get(id(schema))
    if found is None:
        found = LABEL_IDS[id(schema)] = (schema, label_ids(schema))
    return found[1]


def built_article(article: RawArticle, sets: Sequence[AnnotationSet], choice: GoldChoice, checked: CheckedArticle,
                  comparison: ArticleComparison, config: BuildConfig) -> tuple[BuiltArticle, dict[str, ItemAgreement]]:
    """The article cleaned, tokenized and with every set projected, and each annotator's per-item agreement."""
    clean, tokens = checked.clean_and_tokens(choice.gold.cleaning)
    gold = project_set(choice.gold, clean)
    built = BuiltArticle(
        clean=clean, split=split_of(article.meta, config.split_ratios), tokens=tokens,
        gold=gold, annotator_sets=tuple(project_set(s, clean, known=gold) for s in sets if not s.is_gold))
    return built, dict(zip(comparison.annotators, item_agreements(comparison)))


class AgreementPiece(NamedTuple):
    """What one article adds to the corpus agreement (its annotators' sets, gold excluded).

    Tuples rather than dataclasses: summaries are pickled to and from workers and the cache, and
    plain tuples load several times faster."""

    annotators: tuple[str, ...]
    adjudicated: bool
    pairs: tuple[tuple, ...]  # each pair's agreement.PairCounts as a plain tuple of its field values
    entity_units: tuple
    stance_units: tuple
    disagreements: int
    by_article: str | None  # its entry of the manifest's agreement.by_article, as JSON text




def agreement_piece(article_id: str, comparison: ArticleComparison, adjudicated: bool) -> AgreementPiece:
    """Per article, as ``agreement.corpus_agreement`` computes it, from the comparison of its sets."""
    names = comparison.annotators
    if len(names) < 2:
        return AgreementPiece(names, adjudicated, (), (), (), 0, None)
    text = article_json_text(ArticleAgreement(article_id, names, adjudicated, article_figures(comparison)))
    return AgreementPiece(names, adjudicated, tuple(map(tuple, comparison.pairs)), comparison.entity_units,
                          comparison.stance_units, comparison.disagreements, text)


class ArticleSummary(NamedTuple):
    """What the build keeps of one article once its rows are in the sinks (and what the cache stores)."""

    article_id: str
    annotated: bool
    split: str | None
    rows: tuple[int, ...]  # rows per config, in CONFIGS order
    entity_labels: tuple[tuple[str, int], ...]  # (label, count) of the gold set
    stance_labels: tuple[tuple[str, int], ...]
    debris_reasons: tuple[tuple[str, int], ...]
    gold_source: str | None
    disagreements: tuple[str, ...]
    agreement: AgreementPiece | None
    inputs: tuple[tuple[str, str], ...]  # (manifest name, sha256) of the article's files


@dataclass(slots=True)
class ArticleOutcome:
    """One article as a worker returns it: a summary or the problems found.

    The summary travels as itself: pickled only where it has to be, with the chunk to the main
    process when there are workers, and into the cache when there is one."""

    summary: ArticleSummary | None
    problems: list[tuple[tuple, Problem]]
    misfiled: bool = False
    key: str | None = None  # cache key; set when the article can be cached
    cached: bool = False  # the rows are in the cache, not in the chunk's batches
    known: Known | None = None  # with a cache: the article's entry of the next index
    files: ArticleFiles | None = None  # of a cached article: to make its rows again if they cannot be read


@dataclass(slots=True)
class ChunkResult:
    outcomes: list[ArticleOutcome]
    batches: dict[tuple[str, str], pyarrow.RecordBatch]  # rows of the computed (not cached) articles, per (config, split)
    encoded: dict[tuple[str, str], pyarrow.Buffer] | None = None  # the batches as sent by a worker (``__reduce__``)

    def __reduce__(self):
        """From a worker the batches travel as Arrow IPC messages, without the cleaning batches (made of
        documents columns, they would travel twice); ``received`` reads them back. Pickling a RecordBatch
        goes through Python for every array of every nested column: measured on 400 articles, it cost
        0.28-0.34 ms per article to write and 0.19-0.43 to read, against 0.09-0.13 and 0.015 this way,
        about a sixth of the time all the per-article stages take."""
        encoded = {key: batch.serialize() for key, batch in self.batches.items() if key[0] != "cleaning"}
        return ChunkResult, (self.outcomes, {}, encoded)

    def received(self, schemas: Mapping[str, pyarrow.Schema]) -> dict[tuple[str, str], pyarrow.RecordBatch]:
        """The batches, read back from their messages if they came from a worker (``schemas``: by config)."""
        if self.encoded is None:
            return self.batches
        return with_cleaning({key: pyarrow.ipc.read_record_batch(message, schemas[key[0]])
                              for key, message in self.encoded.items()}, schemas["cleaning"])


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


def input_files(data: ArticleBytes) -> list[tuple[str, str, str]]:
    """(manifest name, path, sha256) of one article's files."""
    files = data.files
    named = [(f"corpus/{os.path.basename(files.meta)}", files.meta, sha256(data.meta).hexdigest())]
    if data.raw_name is not None:
        named.append((f"corpus/{data.raw_name}", os.path.join(os.path.dirname(files.meta), data.raw_name), data.raw_sha256))
    named += [(f"annotations/{name}", os.path.join(files.root, name), sha256(raw).hexdigest())
              for name, raw in zip(files.annotations, data.annotations)]
    return named


def raw_name_of(inputs: Sequence[tuple[str, str]]) -> str | None:
    """The raw text's file name among an article's inputs (``input_files``: the metadata file, then the
    raw text if there is one, both in ``corpus/``, then the annotation files)."""
    return inputs[1][0][len("corpus/"):] if len(inputs) > 1 and inputs[1][0].startswith("corpus/") else None


def cached_outcome(files: ArticleFiles, cache: BuildCache) -> ArticleOutcome | None:
    """The cached article, when its files are as the index recorded them (read none of them)."""
    known = cache.known(files)
    return None if known is None else cached_summary(known.key, cache, known)


def cached_summary(key: str, cache: BuildCache, known: Known | None = None) -> ArticleOutcome | None:
    """The outcome of the article cached under ``key``, or None when it is not cached (or its entry
    cannot be read, or holds the summary of another article)."""
    summary = summary_of(cache.load_summary(key), key, cache.prefix)
    return None if summary is None else ArticleOutcome(summary, [], key=key, cached=True, known=known)


def summary_of(stored: bytes | None, key: str, prefix: str) -> ArticleSummary | None:
    """The pickled summary ``stored`` if it is the summary of the article of ``key`` (its inputs give
    the key back), else None."""
    try:
        summary = None if stored is None else pickle.loads(stored)
        return summary if isinstance(summary, ArticleSummary) and article_key(prefix, summary.inputs) == key else None
    except Exception:  # noqa: BLE001 - a damaged pickle can raise almost anything; it counts as missing
        return None


RemadeRows = dict[str, dict[str, pyarrow.RecordBatch]]
"""Rows made again, by article key and config, until each is taken: an article is built again once,
not once per config."""


def load_cached_rows(context: Context, key: str, files: ArticleFiles, config: str, rows: int,
                     schemas: Mapping[str, pyarrow.Schema], remade: RemadeRows) -> pyarrow.RecordBatch:
    """The ``rows`` rows of ``config`` of a cached article (loaded only when a row group holding them is
    encoded again): from its cache entry or, when that cannot be read, made again from its files."""
    batch = context.cache.load_rows(key, config, schemas[config], rows)
    if batch is not None:
        return batch
    if key not in remade:
        remade[key] = rows_made_again(replace(context, cache=None), key, files, schemas)
    batches = remade[key]
    batch = batches.pop(config)
    if not batches:
        del remade[key]
    return batch


def rows_made_again(context: Context, key: str, files: ArticleFiles,
                    schemas: Mapping[str, pyarrow.Schema]) -> dict[str, pyarrow.RecordBatch]:
    """The rows of every config of the article of ``files``, built again, if its files still give ``key``."""
    try:
        made, result = article_outcome(files, context)
    except (OSError, ValueError) as exc:  # a file removed, or no longer readable
        raise InputError([problem("E307", files.meta, id=files.name, detail=f"{type(exc).__name__}: {exc}")]) from None
    if result is None or made.key != key:
        raise InputError([problem("E307", files.meta, id=files.name, detail="their checksums differ from the cache's")])
    batches = with_cleaning({(name, result.split): columns_to_batch(part, schemas[name])
                             for name, part in result.parts.items()}, schemas["cleaning"])
    return {name: batch for (name, _), batch in batches.items()}


def last_entry_tokens(cache: BuildCache, files: ArticleFiles) -> KnownTokens:
    """The tokens of a cleaned text from the last build's entry of this article, when they were made
    from that same text (its record is read once, when first asked)."""
    record: list[bytes | None] = []

    def known(text: str, language: str) -> Tokens | None:
        if not record:
            record.append(cache.previous_tokens(files))
        return None if record[0] is None else tokens_from_record(record[0], text, language)
    return known


def article_outcome(files: ArticleFiles, context: Context) -> tuple[ArticleOutcome, ArticleRows | None]:
    """Read, check and build one article (or take it from the cache)."""
    index, config = context.index, context.config
    if context.cache is not None and (outcome := cached_outcome(files, context.cache)) is not None:
        return outcome, None
    data = read_files(files)
    named = input_files(data)
    inputs = tuple((name, sha) for name, _, sha in named)
    key = article_key(context.cache_prefix, inputs)
    if context.cache is not None and (outcome := cached_summary(key, context.cache)) is not None:
        return outcome, None
    known_tokens = None if context.cache is None else last_entry_tokens(context.cache, files)
    checked = check_article(data, index.schema, index.annotators, by_content=index.by_content,
                            known_tokens=known_tokens)
    if checked.problems or checked.misfiled or checked.article is None:
        return ArticleOutcome(None, checked.problems, checked.misfiled), None
    article = checked.article
    if not checked.sets:
        summary = ArticleSummary(article.id, False, None, (0,) * len(CONFIGS), (), (), (), None, (), None, inputs)
        return ArticleOutcome(summary, [], key=key), None
    try:
        choice = choose_gold(article.id, checked.sets, allow_unadjudicated=config.allow_unadjudicated)
    except InputError as exc:
        return ArticleOutcome(None, [((GOLD_ORDER, article.id, ""), p) for p in exc.problems]), None
    comparison = compare_article(checked.sets, len(article.text))
    result = article_rows(article, checked.sets, choice, checked, comparison, index.annotators, index.schema, config)
    gold = choice.gold
    summary = ArticleSummary(
        article.id, True, result.split, tuple(result.counts[name] for name in CONFIGS),
        tuple(Counter(e.label for e in gold.entities).items()), tuple(Counter(s.label for s in gold.stances).items()),
        tuple(Counter(d.reason for d in gold.cleaning).items()), choice.source, choice.disagreements,
        agreement_piece(article.id, comparison, any(s.is_gold for s in checked.sets)), inputs)
    return ArticleOutcome(summary, [], key=key), result


def build_chunk(chunk: Sequence[ArticleFiles]) -> ChunkResult:
    """The worker's task: a few consecutive articles, their rows encoded as one batch per (config,
    split), so that a row group being filled pins only rows of its own split."""
    context = CONTEXT
    outcomes, parts = [], defaultdict(list)
    built: list[tuple[ArticleOutcome, ArticleRows | None]] = []  # what the cache does not have yet
    for files in chunk:
        outcome, result = article_outcome(files, context)
        if outcome.cached:
            outcome.files = files
        outcomes.append(outcome)
        if result is not None:
            for name, part in result.parts.items():
                parts[name, result.split] += part
        if context.cache is not None and outcome.summary is not None and outcome.known is None:  # read, not indexed
            outcome.known = context.cache.record(files, raw_name_of(outcome.summary.inputs), outcome.key)
            if not outcome.cached:
                built.append((outcome, result))
    schemas = {name: arrow_schema_of(context.features[name]) for name in CONFIGS}
    batches = with_cleaning({key: columns_to_batch(part, schemas[key[0]]) for key, part in parts.items()},
                            schemas["cleaning"])
    if context.cache is not None:
        offsets: Counter = Counter()
        for outcome, result in built:
            pieces = {}
            for name in CONFIGS if result is not None else ():
                key, count = (name, result.split), result.counts[name]
                pieces[name] = batches[key].slice(offsets[key], count)
                offsets[key] += count
            context.cache.store_article(outcome.key, pickle.dumps(outcome.summary, pickle.HIGHEST_PROTOCOL), pieces,
                                        result.tokens if result is not None else b"")
    return ChunkResult(outcomes, batches)


def with_cleaning(batches: dict[tuple[str, str], pyarrow.RecordBatch],
                  schema: pyarrow.Schema) -> dict[tuple[str, str], pyarrow.RecordBatch]:
    """``batches`` and, after them, the cleaning batch of each split's documents batch."""
    for (name, split), batch in list(batches.items()):
        if name == "documents":
            batches["cleaning", split] = cleaning_batch(batch, schema)
    return batches


# --- in order, in several processes -----------------------------------------------------------

T = TypeVar("T")
R = TypeVar("R")

AHEAD = 8  # chunks in flight per worker: enough to keep every worker busy while the caller writes a row group


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def ordered_map(function: Callable[[Sequence[T]], R], items: Iterable[T], *, workers: int, chunk_size: int,
                initializer: Callable[..., None] | None = None, initargs: tuple = ()) -> Iterator[R]:
    """``function(chunk)`` for consecutive chunks of ``items``, in order, in ``workers`` processes."""
    if workers < 1 or chunk_size < 1:
        raise ValueError("workers and chunk_size must be at least 1")
    if workers == 1:
        if initializer is not None:
            initializer(*initargs)
        for chunk in chunked(items, chunk_size):
            yield function(chunk)
        return
    # A task that cannot be pickled fails in the executor's feeder thread, and on Python 3.11 a
    # shutdown at that moment can deadlock (CPython gh-125451): fail here, in the caller, instead.
    pickle.dumps(function)
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=initializer, initargs=initargs)
    pending: deque[Future] = deque()
    try:
        for chunk in chunked(items, chunk_size):
            pending.append(pool.submit(function, chunk))
            if len(pending) >= workers * AHEAD:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
