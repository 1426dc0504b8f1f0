"""Rows -> deterministic Parquet files, the manifest, and an output folder replaced only when complete.

Parquet is written with the explicit Arrow schema of each config's ``datasets.Features`` (its
``huggingface`` schema metadata keeps the ClassLabel names), in row groups of a fixed size, so memory
stays bounded however many articles there are. Same rows in, same bytes out: no timestamps, fixed
compression, fixed row-group size.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

from .errors import InputError, problem

MANIFEST = "manifest.json"
COMPRESSION = "zstd"


def parquet_name(config: str, split: str) -> str:
    return f"{config}/{split}-00000-of-00001.parquet"


@dataclass
class ParquetSink:
    """Writes the rows of one (config, split) in row groups of ``rows_per_group``."""

    path: Path
    features: Features
    rows_per_group: int
    rows: int = 0
    arrow_bytes: int = 0  # in-memory Arrow size, the `num_bytes` of the card's split info
    _pending: list[dict] = field(default_factory=list)
    _writer: pq.ParquetWriter | None = None

    def add(self, row: dict) -> None:
        self._pending.append(self.features.encode_example(row))
        if len(self._pending) >= self.rows_per_group:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self.path, self.features.arrow_schema, compression=COMPRESSION)
        table = pa.Table.from_pylist(self._pending, schema=self.features.arrow_schema)
        self._writer.write_table(table, row_group_size=self.rows_per_group)
        self.rows += table.num_rows
        self.arrow_bytes += table.nbytes
        self._pending = []

    def close(self) -> None:
        self._flush()
        if self._writer is not None:
            self._writer.close()
            self._writer = None


class Sinks:
    """One ParquetSink per (config, split), opened on first use, so empty splits are never written."""

    def __init__(self, root: Path, features: Mapping[str, Features], rows_per_group: int):
        self.root = root
        self.features = features
        self.rows_per_group = rows_per_group
        self.open: dict[tuple[str, str], ParquetSink] = {}

    def add(self, config: str, split: str, row: dict) -> None:
        key = (config, split)
        if key not in self.open:
            self.open[key] = ParquetSink(self.root / parquet_name(config, split), self.features[config],
                                         self.rows_per_group)
        self.open[key].add(row)

    def close(self) -> dict[tuple[str, str], ParquetSink]:
        for sink in self.open.values():
            sink.close()
        return dict(sorted(self.open.items()))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_outputs(root: Path, rows: Mapping[str, int]) -> dict[str, dict]:
    """sha256, size (and rows for Parquet) of every file under ``root`` except the manifest."""
    outputs = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = path.relative_to(root).as_posix()
        if name == MANIFEST:
            continue
        entry = {"sha256": sha256_file(path), "size": path.stat().st_size}
        if name in rows:
            entry["rows"] = rows[name]
        outputs[name] = entry
    return outputs


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")


@contextmanager
def staged_output(final: Path) -> Iterator[Path]:
    """Yield an empty staging folder beside ``final``; move it into place only if the block succeeds.

    A failure leaves any previous output untouched. A folder that is not a previous build (it has no
    manifest.json) is never replaced.
    """
    final = Path(final)
    if final.exists() and not (final / MANIFEST).is_file():
        raise InputError([problem("E303", final, path=final)])
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.parent / f".{final.name}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = final.parent / f".{final.name}.previous-{os.getpid()}"
    if final.exists():
        final.rename(previous)
    staging.rename(final)
    shutil.rmtree(previous, ignore_errors=True)
