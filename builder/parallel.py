"""Per-article work in several processes, with the results in input order.

``ordered_map(function, items, workers=K, chunk_size=C)`` cuts ``items`` into chunks of ``C``, calls
``function(chunk)`` in ``K`` worker processes and yields the chunk results in the order of the
chunks, so that whatever consumes them (the Parquet sinks) sees exactly what one process would have
produced: the output does not depend on ``K``. At most ``AHEAD`` chunks per worker are in flight, so
memory is bounded by the chunk size, not by the number of items. With one worker everything runs in
the calling process, without pickling.

Workers are forked (they inherit the loaded spaCy pipeline and the read-only context set by
``initializer``); results travel back pickled, so ``function`` should return compact values (Arrow
batches, bytes), not large trees of Python objects.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

AHEAD = 3  # chunks in flight per worker: enough to keep every worker busy while results are consumed


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
