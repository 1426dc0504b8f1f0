"""Arrow batches -> deterministic Parquet files, one per (config, split), in row groups of a fixed size.

Parquet is written by pyarrow's ``ParquetWriter`` with the explicit Arrow schema of each config's
``datasets.Features`` (its ``huggingface`` metadata keeps the ClassLabel names), zstd, and row groups of
exactly ``rows_per_group`` rows (the last one shorter), so memory stays bounded and the same rows give the
same bytes, however they were cut into batches on the way.

Row groups are encoded in a thread beside the caller's (pyarrow releases the GIL while it encodes), one
group at a time per file and in order, so the caller goes on making rows while the last group is encoded;
the calls into the writer, and so the bytes, are those of encoding in the caller.
"""

from __future__ import annotations

import hashlib
import struct
from collections import deque
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

COMPRESSION = "zstd"


def parquet_name(config: str, split: str) -> str:
    return f"{config}/{split}-00000-of-00001.parquet"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def arrow_size(array: pa.Array | pa.ChunkedArray | pa.Table) -> int:
    """``nbytes`` of the data as ``from_pylist`` would hold it: the card's ``num_bytes``, whatever
    slices and chunks a group was put together from (``nbytes`` of a slice counts the bytes of a
    validity bitmap that a fresh array would not have)."""
    if isinstance(array, pa.Table):
        return sum(arrow_size(column) for column in array.columns)
    if isinstance(array, pa.ChunkedArray):
        return sum(arrow_size(chunk) for chunk in array.chunks)
    n, kind = len(array), array.type
    validity = (n + 7) // 8 if array.null_count else 0
    if pa.types.is_string(kind) or pa.types.is_binary(kind):
        offsets = array.buffers()[1]
        used = 0
        if n:
            first = struct.unpack_from("<i", offsets, 4 * array.offset)[0]
            used = struct.unpack_from("<i", offsets, 4 * (array.offset + n))[0] - first
        return validity + 4 * n + used
    if pa.types.is_list(kind):
        first, last = (array.offsets[0].as_py(), array.offsets[n].as_py()) if n else (0, 0)
        return validity + 4 * n + arrow_size(array.values.slice(first, last - first))
    if pa.types.is_struct(kind):  # Arrow does not count a struct's own validity bitmap
        return sum(arrow_size(array.field(i)) for i in range(kind.num_fields))
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        return validity + n * kind.bit_width // 8
    raise NotImplementedError(f"arrow_size of {kind}")


@dataclass
class ParquetSink:
    """Writes the rows of one (config, split), batch after batch, in row groups of ``rows_per_group``."""

    path: Path
    schema: pa.Schema
    rows_per_group: int
    encoder: Executor  # where row groups are encoded, one at a time
    rows: int = 0
    arrow_bytes: int = 0  # in-memory Arrow size, the `num_bytes` of the card's split info
    sha256: str | None = None
    _pending: deque[pa.RecordBatch] = field(default_factory=deque)
    _pending_rows: int = 0
    _writer: pq.ParquetWriter | None = None
    _encoding: Future | None = None  # the group being encoded

    def add(self, batch: pa.RecordBatch) -> None:
        """Rows in article order; a row group is written each time ``rows_per_group`` rows are waiting."""
        self._pending.append(batch)
        self._pending_rows += batch.num_rows
        while self._pending_rows >= self.rows_per_group:
            self._write(self._take(self.rows_per_group))

    def _take(self, count: int) -> pa.Table:
        batches, need = [], count
        while need:
            batch = self._pending.popleft()
            if batch.num_rows > need:
                self._pending.appendleft(batch.slice(need))
                batch = batch.slice(0, need)
            batches.append(batch)
            need -= batch.num_rows
        self._pending_rows -= count
        # one batch first: concat_batches joins many one-article batches of nested columns faster than
        # Table.from_batches(...).combine_chunks()
        return pa.Table.from_batches([pa.concat_batches(batches)], schema=self.schema)

    def _write(self, table: pa.Table) -> None:
        self.rows += table.num_rows
        self.arrow_bytes += arrow_size(table)
        self._wait()
        self._encoding = self.encoder.submit(self._encode, table)

    def _encode(self, table: pa.Table) -> None:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self.path, self.schema, compression=COMPRESSION)
        self._writer.write_table(table, row_group_size=max(table.num_rows, 1))

    def _wait(self) -> None:
        """Until the group being encoded is written (its error, if any, raised here)."""
        if self._encoding is not None:
            encoding, self._encoding = self._encoding, None
            encoding.result()

    def close(self) -> None:
        if self._pending_rows:
            self._write(self._take(self._pending_rows))
        self._wait()
        if self._writer is not None:
            self._writer.close()
            self._writer = None
            self.sha256 = sha256_file(self.path)


class Sinks:
    """One ParquetSink per (config, split), opened on first use, so empty splits are never written."""

    def __init__(self, root: Path, schemas: Mapping[str, pa.Schema], rows_per_group: int):
        self.root = root
        self.schemas = schemas
        self.rows_per_group = rows_per_group
        self.open: dict[tuple[str, str], ParquetSink] = {}
        self.encoder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parquet")

    def add(self, config: str, split: str, batch: pa.RecordBatch) -> None:
        if not batch.num_rows:
            return
        sink = self.open.get((config, split))
        if sink is None:
            sink = self.open[config, split] = ParquetSink(self.root / parquet_name(config, split),
                                                          self.schemas[config], self.rows_per_group, self.encoder)
        sink.add(batch)

    def close(self) -> dict[tuple[str, str], ParquetSink]:
        try:
            for sink in self.open.values():
                sink.close()
        finally:
            self.encoder.shutdown()
        return dict(sorted(self.open.items()))
