"""The articles through ``article.build_article`` in chunks, in worker processes, with the cache around it.

``ordered_map(function, items, workers=K, chunk_size=C)`` calls ``function(chunk)`` on consecutive chunks in
``K`` processes and yields the results in the order of the chunks, so the Parquet sinks see exactly what one
process would produce: the output does not depend on ``K``. At most ``AHEAD`` chunks per worker are in flight,
so memory is bounded by the chunk size, not the corpus. With one worker everything runs in the calling
process. Workers are forked and inherit the ``Job`` (the loaded spaCy pipeline too).

``build_chunk`` is a worker's task: each article of the chunk from the cache or built, and the rows of the
chunk converted to Arrow at once, one list of batches per (config, split) in article order (one conversion
per chunk costs far less than one per article; cached articles bring their own batches).
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import TypeVar

import pyarrow as pa
import pyarrow.ipc

from builder.article.build import ArticleContext, ArticleSummary, article_inputs, build_article
from builder.errors import Problem
from builder.sources.listing import ArticleFiles, read_files
from builder.speed.cache import BuildCache, Known, article_key
from builder.views import VIEWS
from builder.views.arrow import columns_to_batch

AHEAD = 8  # chunks in flight per worker: enough to keep every worker busy while the caller writes a row group


@dataclass(frozen=True, slots=True)
class Job:
    """What every worker needs, set once per process."""

    context: ArticleContext
    schemas: Mapping[str, pa.Schema]  # Arrow schema per config
    cache: BuildCache | None


@dataclass(slots=True)
class ArticleOutcome:
    """One article as the main process needs it: its summary or problems, and its entry of the next index."""

    meta: str  # the metadata file's path
    summary: ArticleSummary | None
    problems: tuple[tuple[tuple, Problem], ...] = ()
    misfiled: bool = False
    known: Known | None = None
    origin: str = "built"  # or "cache" (files read, result found by their sha256) or "cache, unread" (by status)


@dataclass(slots=True)
class ChunkResult:
    outcomes: list[ArticleOutcome]
    batches: dict[tuple[str, str], list[pa.RecordBatch]] = field(default_factory=dict)  # per (config, split)

    def __reduce__(self):
        """From a worker the batches travel as Arrow IPC messages, one per (config, split) (a pickled
        RecordBatch goes through Python for every array of every nested column), without the derived
        configs' batches."""
        messages = {key: joined(found).serialize() for key, found in self.batches.items()
                    if VIEWS[key[0]].derive is None}
        return received, (self.outcomes, messages)


def joined(batches: list[pa.RecordBatch]) -> pa.RecordBatch:
    return batches[0] if len(batches) == 1 else pa.concat_batches(batches)


def received(outcomes: list[ArticleOutcome], messages: dict[tuple[str, str], pa.Buffer]) -> ChunkResult:
    schemas = JOB.schemas
    batches = {key: [pyarrow.ipc.read_record_batch(message, schemas[key[0]])] for key, message in messages.items()}
    return ChunkResult(outcomes, with_derived(batches, schemas))


def with_derived(batches: dict[tuple[str, str], list[pa.RecordBatch]],
                 schemas: Mapping[str, pa.Schema]) -> dict[tuple[str, str], list[pa.RecordBatch]]:
    """``batches`` and, after them, the batches of every derived config made from its source's batches."""
    for name, view in VIEWS.items():
        if view.derive is not None:
            for (source, split), found in list(batches.items()):
                if source == view.derive_from:
                    batches[name, split] = [view.derive(batch, schemas[name]) for batch in found]
    return batches


JOB: Job | None = None


def set_job(job: Job) -> None:
    global JOB
    JOB = job


def build_chunk(chunk: Sequence[ArticleFiles]) -> ChunkResult:
    """The worker's task: every article of the chunk, from the cache or built, and the chunk's rows."""
    job = JOB
    outcomes, made, stored = [], [], {}  # made: (outcome, rows) of the built articles; stored: cached rows
    for files in chunk:
        outcome, rows, cached = article_outcome(files, job)
        outcomes.append(outcome)
        if cached is not None:
            stored[len(outcomes) - 1] = cached
        elif rows is not None:
            made.append((len(outcomes) - 1, rows))
    parts: dict[tuple[str, str], list] = defaultdict(list)
    for position, rows in made:
        for name, part in rows.items():  # a view's rows: a list of row tuples, or columns
            found = parts[name, outcomes[position].summary.split]
            found.extend(part) if isinstance(part, list) else found.append(part)
    batches = {key: columns_to_batch(part, job.schemas[key[0]]) for key, part in parts.items()}
    if job.cache is None and not stored:
        return ChunkResult(outcomes, with_derived({key: [batch] for key, batch in batches.items()}, job.schemas))
    return ChunkResult(outcomes, with_derived(per_article(outcomes, made, stored, batches, job), job.schemas))


def per_article(outcomes: list[ArticleOutcome], made: list, stored: dict[int, dict[str, pa.RecordBatch]],
                batches: dict[tuple[str, str], pa.RecordBatch], job: Job) -> dict[tuple[str, str], list[pa.RecordBatch]]:
    """Store each built article's rows in the cache; built and cached rows in article order."""
    offsets: dict[tuple[str, str], int] = defaultdict(int)
    pieces: dict[int, dict[str, pa.RecordBatch]] = dict(stored)
    for position, rows in made:
        summary = outcomes[position].summary
        own = {}
        for name in rows:
            key, count = (name, summary.split), summary.rows[name]
            own[name] = batches[key].slice(offsets[key], count)
            offsets[key] += count
        pieces[position] = own
        if job.cache is not None:
            job.cache.store(outcomes[position].known.key, summary, own)
    if not stored:
        return {key: [batch] for key, batch in batches.items()}
    ordered: dict[tuple[str, str], list[pa.RecordBatch]] = defaultdict(list)
    for position in sorted(pieces):
        for name, batch in pieces[position].items():
            ordered[name, outcomes[position].summary.split].append(batch)
    return dict(ordered)


def article_outcome(files: ArticleFiles, job: Job) -> tuple[ArticleOutcome, Mapping | None, dict | None]:
    """One article: (its outcome, its rows if built, its rows if taken from the cache)."""
    cache = job.cache
    found = cache.known_key(files) if cache is not None else None
    if found is not None and (cached := cache.load(found[0])) is not None:
        return ArticleOutcome(files.meta, cached.summary, known=found[1], origin="cache, unread"), None, cached.rows
    data = read_files(files)
    known = None
    if cache is not None:
        inputs = article_inputs(data)
        key = article_key(cache.prefix, inputs)
        known = cache.record(files, data.raw_name, key)
        if (cached := cache.load(key)) is not None:
            return ArticleOutcome(files.meta, cached.summary, known=known, origin="cache"), None, cached.rows
    result = build_article(data, job.context)
    if result.summary is None:
        return ArticleOutcome(files.meta, None, result.problems, result.misfiled), None, None
    return ArticleOutcome(files.meta, result.summary, known=known), result.rows or None, None


T = TypeVar("T")
R = TypeVar("R")


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def ordered_map(function: Callable[[Sequence[T]], R], items: Iterable[T], *, workers: int, chunk_size: int,
                initializer: Callable[..., None] | None = None, initargs: tuple = ()) -> Iterator[R]:
    """``function(chunk)`` for consecutive chunks of ``items``, in order, in ``workers`` processes."""
    if workers < 1 or chunk_size < 1:
        raise ValueError("workers and chunk_size must be at least 1")
    if initializer is not None:
        initializer(*initargs)  # the caller's process too: it reads what the workers send back
    if workers == 1:
        for chunk in chunked(items, chunk_size):
            yield function(chunk)
        return
    # A task that cannot be pickled fails in the executor's feeder thread, and on Python 3.11 a
    # shutdown at that moment can deadlock (CPython gh-125451): fail here, in the caller, instead.
    pickle.dumps(function)
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
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


@contextmanager
def frozen_gc() -> Iterator[None]:
    """Keep the objects that exist before the build (loaded libraries) out of the garbage collector's passes
    while it runs, and collect the young generation less often (a build makes millions of short-lived
    objects); give both back at the end."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
