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
from builder.sources.listing import ArticleBytes, ArticleFiles, read_files
from builder.speed.cache import BuildCache, Known
from builder.speed.keys import article_key
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
    chunk: str | None = None  # the key of its cache entry, with a cache

    def __reduce__(self):
        """From a worker the batches travel as Arrow IPC messages, one per (config, split) (a pickled
        RecordBatch goes through Python for every array of every nested column), without the derived
        configs' batches."""
        messages = {key: joined(found).serialize() for key, found in self.batches.items()
                    if VIEWS[key[0]].derive is None}
        return received, (self.outcomes, messages, self.chunk)


def joined(batches: list[pa.RecordBatch]) -> pa.RecordBatch:
    return batches[0] if len(batches) == 1 else pa.concat_batches(batches)


def received(outcomes: list[ArticleOutcome], messages: dict[tuple[str, str], pa.Buffer], chunk: str | None) -> ChunkResult:
    schemas = JOB.schemas
    batches = {key: [pyarrow.ipc.read_record_batch(message, schemas[key[0]])] for key, message in messages.items()}
    return ChunkResult(outcomes, with_derived(batches, schemas), chunk)


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
    keyed = [key_of(files, job.cache) for files in chunk] if job.cache is not None else None
    if keyed is not None and (cached := job.cache.load_chunk([k.known.key for k in keyed])) is not None:
        outcomes = [ArticleOutcome(f.meta, s, known=k.known, origin=k.origin)
                    for f, k, s in zip(chunk, keyed, cached.summaries)]
        return ChunkResult(outcomes, with_derived({key: [b] for key, b in cached.rows.items()}, job.schemas), cached.key)
    outcomes, made, stored = [], [], {}  # made: (position, rows) of the built articles; stored: cached rows
    for position, files in enumerate(chunk):
        outcome, rows, found = article_outcome(files, job, keyed[position] if keyed is not None else None)
        outcomes.append(outcome)
        if found is not None:
            stored[position] = found
        elif rows is not None:
            made.append((position, rows))
    parts: dict[tuple[str, str], list] = defaultdict(list)
    for position, rows in made:
        for name, part in rows.items():  # a view's rows: a list of row tuples, or columns
            found = parts[name, outcomes[position].summary.split]
            found.extend(part) if isinstance(part, list) else found.append(part)
    batches = {key: columns_to_batch(part, job.schemas[key[0]]) for key, part in parts.items()}
    if job.cache is None:
        return ChunkResult(outcomes, with_derived({key: [batch] for key, batch in batches.items()}, job.schemas))
    ordered = per_article(outcomes, made, stored, batches, job)
    chunk_key = None
    if all(o.summary is not None for o in outcomes):
        chunk_key = job.cache.store_chunk([o.known.key for o in outcomes], [o.summary for o in outcomes],
                                          {key: joined(found) for key, found in ordered.items()})
    return ChunkResult(outcomes, with_derived(ordered, job.schemas), chunk_key)


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


@dataclass(slots=True)
class Keyed:
    """An article's cache key, from its files' status (unread) or from their bytes (read: kept for the build)."""

    known: Known
    origin: str
    data: ArticleBytes | None = None


def key_of(files: ArticleFiles, cache: BuildCache) -> Keyed:
    found = cache.known_key(files)
    if found is not None:
        return Keyed(found[1], "cache, unread")
    data = read_files(files)
    return Keyed(cache.record(files, data.raw_name, article_key(cache.prefix, article_inputs(data))), "cache", data)


def article_outcome(files: ArticleFiles, job: Job,
                    keyed: Keyed | None) -> tuple[ArticleOutcome, Mapping | None, dict | None]:
    """One article: (its outcome, its rows if built, its rows if taken from the cache)."""
    if keyed is not None and (cached := job.cache.load(keyed.known.key)) is not None:
        return ArticleOutcome(files.meta, cached.summary, known=keyed.known, origin=keyed.origin), None, cached.rows
    data = keyed.data if keyed is not None and keyed.data is not None else read_files(files)
    result = build_article(data, job.context)
    known = keyed.known if keyed is not None else None
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
