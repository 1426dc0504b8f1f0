"""(name, value) pairs of strings added in any order, read back once in name order, in bounded memory.

The manifest lists every input file by name, with its sha256, and a build learns them article by
article; a corpus of 100,000 articles has half a million of them. ``NameSorter`` keeps at most
``RUN_PAIRS`` pairs in memory: a full run is sorted and written to a temporary file, and the runs are
merged when read (``heapq.merge``). The files of a corpus that fit in one run (about 13,000 articles
of five files) never touch the disk. File names do not sort as article ids do (``a-b.json`` comes
before ``a.json``), so the order in which articles come is no shortcut.

A pair is held as one string, ``name + "\\0" + value``: no file name or path holds a NUL, so these
strings sort as the (name, value) pairs do (a name before every longer name it begins), and a list of
strings sorts several times faster than a list of tuples and takes half the memory. Names compare by
code point, which is the order of their UTF-8 bytes.
"""

from __future__ import annotations

import heapq
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice
from operator import methodcaller
from pathlib import Path
from typing import BinaryIO

RUN_PAIRS = 65_536  # pairs held in memory (about 10 MB), then sorted and written out as one run
BLOCK = 512  # pairs per pickle in a run file, read back a block at a time: the merge holds one block per run
# (a million articles, about 80 runs per sorter: about 4 MB), and keeps one file open per run
SEPARATOR = "\0"


class NameSorter:
    """Pairs added with ``add`` (a few at a time) or ``add_all``, read back with ``sorted``; ``close``
    removes the runs' files."""

    def __init__(self, folder: Path, run_pairs: int | None = None):
        self.folder = folder
        self.run_pairs = run_pairs or RUN_PAIRS
        self.pending: list[str] = []
        self.runs: list[BinaryIO] = []  # sorted runs written out, each a temporary file

    def add(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.pending += [name + SEPARATOR + value for name, value in pairs]
        if len(self.pending) >= self.run_pairs:
            self.write_run()

    def add_all(self, pairs: Iterable[tuple[str, str]]) -> None:
        pairs = iter(pairs)
        while block := list(islice(pairs, min(BLOCK, self.run_pairs - len(self.pending)))):  # runs of run_pairs
            self.add(block)

    def write_run(self) -> None:
        self.pending.sort()
        handle = tempfile.TemporaryFile(dir=self.folder)
        for start in range(0, len(self.pending), BLOCK):
            pickle.dump(self.pending[start:start + BLOCK], handle, protocol=pickle.HIGHEST_PROTOCOL)
        handle.seek(0)
        self.runs.append(handle)
        self.pending = []

    def sorted(self) -> Iterator[tuple[str, str, str]]:
        """Every pair as ``(name, SEPARATOR, value)``, sorted by name, then value."""
        self.pending.sort()
        joined = heapq.merge(*map(read_run, self.runs), self.pending) if self.runs else iter(self.pending)
        return map(methodcaller("partition", SEPARATOR), joined)

    def close(self) -> None:
        for handle in self.runs:
            handle.close()
        self.runs, self.pending = [], []


def read_run(handle: BinaryIO) -> Iterator[str]:
    while True:
        try:
            block = pickle.load(handle)
        except EOFError:
            return
        yield from block
