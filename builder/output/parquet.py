"""Rows -> deterministic Parquet files, the manifest, and an output folder replaced only when complete.

Parquet is written with the explicit Arrow schema of each config's ``datasets.Features`` (its
``huggingface`` schema metadata keeps the ClassLabel names), in row groups of a fixed size, so memory
stays bounded however many articles there are. Same rows in, same bytes out: no timestamps, fixed
compression, fixed row-group size.

How a file is written: each row group is encoded on its own (pyarrow's ``ParquetWriter``, one group,
in memory) and the groups are laid end to end behind one footer, whose Thrift structures are
rewritten with each group's new offsets. The bytes are those of one ``ParquetWriter`` writing the
groups in turn (tests check it); what it buys is that a group whose rows did not change can be
taken as bytes from the cache of a previous build (``cache.py``). A footer with structures this
module cannot move (page indexes, bloom filters, encryption) is refused loudly, never written wrong.
Without a cache there is nothing to take, and the groups go straight into one ``ParquetWriter``: the
same bytes, without re-reading each group's footer in Python.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import NamedTuple, Protocol

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

from builder.errors import InputError, problem

MANIFEST = "manifest.json"
COMPRESSION = "zstd"
MAGIC = b"PAR1"


def parquet_name(config: str, split: str) -> str:
    return f"{config}/{split}-00000-of-00001.parquet"


# --- rows -> Arrow --------------------------------------------------------------------------------

ARROW_SCHEMAS: dict[int, tuple[Features, pa.Schema]] = {}  # by id; the Features is held, so its id stays its own


def arrow_schema_of(features: Features) -> pa.Schema:
    """``features.arrow_schema``, computed once per ``Features`` (it takes milliseconds)."""
    found = ARROW_SCHEMAS.get(id(features))
    if found is None:
        found = ARROW_SCHEMAS[id(features)] = (features, features.arrow_schema)
    return found[1]


def encoded_rows_to_batch(rows: list[dict], features: Features) -> pa.RecordBatch:
    """Rows whose labels are ClassLabel integers already (``views.py``'s dicts) -> one RecordBatch with
    the declared Arrow schema. The build converts ``rows.py``'s tuples and columns instead
    (``arrow.columns_to_batch``); tests check it against this."""
    return pa.RecordBatch.from_pylist(rows, schema=arrow_schema_of(features))


# --- Thrift compact protocol, as much of it as a Parquet footer needs --------------------------

STOP, TRUE, FALSE, I8, I16, I32, I64, DOUBLE, BINARY, LIST, SET, MAP, STRUCT = range(13)


class ThriftReader:
    """Decodes a Thrift compact struct into [field id, type, value] lists, keeping field order."""

    def __init__(self, data: bytes, position: int = 0):
        self.data, self.position = data, position

    def byte(self) -> int:
        self.position += 1
        return self.data[self.position - 1]

    def varint(self) -> int:
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def value(self, kind: int):
        if kind in (TRUE, FALSE):
            return kind == TRUE
        if kind == I8:
            return self.byte()
        if kind in (I16, I32, I64):
            return self.zigzag()
        if kind in (DOUBLE, BINARY):
            size = 8 if kind == DOUBLE else self.varint()
            self.position += size
            return self.data[self.position - size:self.position]
        if kind in (LIST, SET):
            head = self.byte()
            size = self.varint() if head >> 4 == 15 else head >> 4
            return [head, [self.element(head & 0x0F) for _ in range(size)]]
        if kind == MAP:
            size = self.varint()
            types = self.byte() if size else 0
            return [types, [(self.element(types >> 4), self.element(types & 0x0F)) for _ in range(size)]]
        if kind == STRUCT:
            return self.struct()
        raise ValueError(f"unknown Thrift compact type {kind}")

    def element(self, kind: int):
        return self.byte() if kind in (TRUE, FALSE) else self.value(kind)

    def struct(self) -> list:
        fields, last = [], 0
        while (head := self.byte()) != STOP:
            kind, delta = head & 0x0F, head >> 4
            last = last + delta if delta else self.zigzag()
            fields.append([last, kind, self.value(kind)])
        return fields


class ThriftWriter:
    """Encodes [field id, type, value] lists; an integer given as a ``Slot`` is left open (``parts``)."""

    def __init__(self):
        self.out = bytearray()
        self.done: list = []

    def parts(self) -> tuple:
        return (*self.done, bytes(self.out))

    def varint(self, n: int) -> None:
        while n > 0x7F:
            self.out.append((n & 0x7F) | 0x80)
            n >>= 7
        self.out.append(n)

    def value(self, kind: int, value) -> None:
        if isinstance(value, Slot):
            self.done += [bytes(self.out), value]
            self.out = bytearray()
        elif kind == I8:
            self.out.append(value)
        elif kind in (I16, I32, I64):
            self.varint((value << 1) ^ (value >> 63))
        elif kind in (DOUBLE, BINARY):
            if kind == BINARY:
                self.varint(len(value))
            self.out += value
        elif kind in (LIST, SET):
            head, items = value
            head = (min(len(items), 15) << 4) | (head & 0x0F)
            self.out.append(head)
            if len(items) >= 15:
                self.varint(len(items))
            for item in items:
                self.element(head & 0x0F, item)
        elif kind == MAP:
            types, items = value
            self.varint(len(items))
            if items:
                self.out.append(types)
            for key, item in items:
                self.element(types >> 4, key)
                self.element(types & 0x0F, item)
        elif kind == STRUCT:
            self.struct(value)

    def element(self, kind: int, value) -> None:
        if kind in (TRUE, FALSE):
            self.out.append(value)
        elif kind == STRUCT and isinstance(value, bytes):  # a struct encoded earlier
            self.out += value
        else:
            self.value(kind, value)

    def struct(self, fields: list) -> None:
        last = 0
        for number, kind, value in fields:
            if 0 < number - last <= 15:
                self.out.append((number - last) << 4 | kind)
            else:
                self.out.append(kind)
                self.varint((number << 1) ^ (number >> 63))
            self.value(kind, value)
            last = number
        self.out.append(STOP)


def get(fields: list, number: int):
    return next((f[2] for f in fields if f[0] == number), None)


# Parquet's FileMetaData, RowGroup, ColumnChunk and ColumnMetaData field numbers (parquet.thrift)
FILE_NUM_ROWS, FILE_ROW_GROUPS = 3, 4
GROUP_COLUMNS, GROUP_NUM_ROWS, GROUP_FILE_OFFSET, GROUP_ORDINAL = 1, 3, 5, 7
CHUNK_FILE_PATH, CHUNK_FILE_OFFSET, CHUNK_META = 1, 2, 3
META_COMPRESSED_SIZE, META_DATA_PAGE, META_INDEX_PAGE, META_DICTIONARY_PAGE = 7, 9, 10, 11
MOVABLE_CHUNK_FIELDS = {CHUNK_FILE_OFFSET, CHUNK_META}  # no file path, page index or encryption
UNMOVABLE_META_FIELDS = {14, 15}  # bloom filter offset and length


def read_footer(data) -> list:
    """The FileMetaData struct of a Parquet file's bytes (any bytes-like object)."""
    view = memoryview(data)
    if bytes(view[:4]) != MAGIC or bytes(view[-4:]) != MAGIC:
        raise ValueError("not a Parquet file")
    size = struct.unpack("<I", view[-8:-4])[0]
    reader = ThriftReader(bytes(view[len(view) - 8 - size:len(view) - 8]))
    footer = reader.struct()
    if reader.position != size:
        raise ValueError("Parquet footer was not read to its end")
    return footer


class Slot(NamedTuple):
    """An integer of a RowGroup struct that depends on where the group lands in a file: an offset
    (``base`` plus the group's move) or the group's ordinal."""

    base: int
    ordinal: bool = False


def move_group(group: list, shift: Callable[[int], object], ordinal: object) -> list:
    """A copy of a RowGroup struct with every file offset replaced by ``shift(offset)`` and its ordinal
    (if it has one) by ``ordinal``."""
    moved = []
    for number, kind, value in group:
        if number == GROUP_FILE_OFFSET:
            value = shift(value)
        elif number == GROUP_ORDINAL:
            value = ordinal
        elif number == GROUP_COLUMNS:
            value = [value[0], [move_chunk(chunk, shift) for chunk in value[1]]]
        moved.append([number, kind, value])
    return moved


def move_chunk(chunk: list, shift: Callable[[int], object]) -> list:
    if {f[0] for f in chunk} - MOVABLE_CHUNK_FIELDS:
        raise ValueError("column chunk with fields this writer cannot move (file path, page index, encryption)")
    moved = []
    for number, kind, value in chunk:
        if number == CHUNK_FILE_OFFSET and value:
            value = shift(value)
        elif number == CHUNK_META:
            if {f[0] for f in value} & UNMOVABLE_META_FIELDS:
                raise ValueError("column chunk with a bloom filter, which this writer cannot move")
            value = [[n, k, shift(v) if n in (META_DATA_PAGE, META_INDEX_PAGE, META_DICTIONARY_PAGE) else v]
                     for n, k, v in value]
        moved.append([number, kind, value])
    return moved


def group_template(group: list) -> tuple:
    """The RowGroup struct encoded once, as byte strings between its Slots (``render`` fills them)."""
    writer = ThriftWriter()
    writer.struct(move_group(group, Slot, Slot(0, ordinal=True)))
    return writer.parts()


def render(template: tuple, delta: int, ordinal: int) -> bytes:
    """The encoded RowGroup of a group moved by ``delta`` bytes, as the ``ordinal``-th of its file."""
    out = bytearray()
    for part in template:
        if type(part) is bytes:
            out += part
            continue
        n = ordinal if part.ordinal else part.base + delta
        n = (n << 1) ^ (n >> 63)
        while n > 0x7F:
            out.append((n & 0x7F) | 0x80)
            n >>= 7
        out.append(n)
    return bytes(out)


def arrow_size(array: pa.Array | pa.ChunkedArray | pa.Table) -> int:
    """``nbytes`` of the data as ``from_pylist`` would hold it: the card's ``num_bytes``, whatever
    slices and chunks a group was put together from (``nbytes`` of a slice counts the bytes of a
    validity bitmap that a fresh array would not have). A test checks it against ``from_pylist``."""
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
            first, last = struct.unpack_from("<i", offsets, 4 * array.offset)[0], struct.unpack_from("<i", offsets, 4 * (array.offset + n))[0]
            used = last - first
        return validity + 4 * n + used
    if pa.types.is_list(kind):
        first, last = (array.offsets[0].as_py(), array.offsets[n].as_py()) if n else (0, 0)
        return validity + 4 * n + arrow_size(array.values.slice(first, last - first))
    if pa.types.is_struct(kind):  # Arrow does not count a struct's own validity bitmap
        return sum(arrow_size(array.field(i)) for i in range(kind.num_fields))
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        return validity + n * kind.bit_width // 8
    raise NotImplementedError(f"arrow_size of {kind}")


@dataclass(frozen=True, slots=True)
class EncodedGroup:
    """One Parquet row group as bytes, with its footer entry (offsets as in ``data`` starting at ``start``)."""

    rows: int
    arrow_bytes: int  # in-memory Arrow size of the group's table (the card's num_bytes adds these up)
    data: bytes | pa.Buffer
    start: int
    template: tuple  # the RowGroup struct, encoded around its offsets (``group_template``)
    footer: list  # the FileMetaData of the one-group file it came from, without the group and its row count:
    # schema, key-value metadata, writer (the same for every group of a file, which the cache keeps once)


def encode_group(table: pa.Table, schema: pa.Schema) -> EncodedGroup:
    """Encode ``table`` as one row group, exactly as ParquetWriter writes it into a file.

    The bytes stay in Arrow's memory pool (a ``pa.Buffer``): groups are megabytes each, and the C
    library's heap, given blocks of varying large sizes, would keep growing instead of reusing them.
    """
    stream = pa.BufferOutputStream()
    with pq.ParquetWriter(stream, schema, compression=COMPRESSION) as writer:
        writer.write_table(table, row_group_size=max(table.num_rows, 1))
    data = stream.getvalue()
    footer = read_footer(data)
    (group,) = get(footer, FILE_ROW_GROUPS)[1]
    first, last = len(data), 0
    for chunk in get(group, GROUP_COLUMNS)[1]:
        meta = get(chunk, CHUNK_META)
        start = get(meta, META_DICTIONARY_PAGE)
        start = get(meta, META_DATA_PAGE) if start is None else min(start, get(meta, META_DATA_PAGE))
        first, last = min(first, start), max(last, start + get(meta, META_COMPRESSED_SIZE))
    shared = [[number, kind, [value[0], []] if number == FILE_ROW_GROUPS else 0 if number == FILE_NUM_ROWS else value]
              for number, kind, value in footer]  # ParquetFile.close puts the file's own in their place
    return EncodedGroup(table.num_rows, arrow_size(table), data.slice(first, last - first), first,
                        group_template(group), shared)


def write_row_group(writer: pq.ParquetWriter, table: pa.Table) -> None:
    """``table`` as one row group of the file ``writer`` writes (the bytes ``encode_group`` splices)."""
    writer.write_table(table, row_group_size=max(table.num_rows, 1))


class ParquetFile:
    """Row groups laid end to end into one file, then the footer; the sha256 is taken on the way."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.path, "wb")
        self.digest = hashlib.sha256()
        self.position = 0
        self.groups: list[bytes] = []  # each RowGroup struct, moved and encoded
        self.footer: list | None = None
        self.rows = 0
        self.write(MAGIC)

    def write(self, data: bytes) -> None:
        self.handle.write(data)
        self.digest.update(data)
        self.position += len(data)

    def add(self, group: EncodedGroup) -> None:
        self.groups.append(render(group.template, self.position - group.start, len(self.groups)))
        self.footer = self.footer or group.footer
        self.rows += group.rows
        self.write(group.data)

    def close(self) -> str:
        footer = []
        for number, kind, value in self.footer:
            if number == FILE_NUM_ROWS:
                value = self.rows
            elif number == FILE_ROW_GROUPS:
                value = [value[0], self.groups]
            footer.append([number, kind, value])
        writer = ThriftWriter()
        writer.struct(footer)
        self.write(bytes(writer.out) + struct.pack("<I", len(writer.out)) + MAGIC)
        self.handle.close()
        return self.digest.hexdigest()


# --- sinks --------------------------------------------------------------------------------------

class GroupStore(Protocol):
    """Where encoded row groups of earlier builds are kept, by a key of their content (``cache.py``)."""

    def get_group(self, key: str) -> EncodedGroup | None: ...

    def put_group(self, key: str, group: EncodedGroup) -> None: ...


@dataclass(slots=True)
class Piece:
    """Rows of one article for one sink: a batch, or a function that loads it, and its cache key."""

    rows: int
    batch: pa.RecordBatch | Callable[[], pa.RecordBatch] | None
    key: str | None = None  # the article's cache key; None: the group holding these rows is not cached

    def load(self) -> pa.RecordBatch:
        if callable(self.batch):
            self.batch = self.batch()
        return self.batch


@dataclass
class ParquetSink:
    """Writes the rows of one (config, split) in row groups of ``rows_per_group``."""

    path: Path
    features: Features
    rows_per_group: int
    groups_store: GroupStore | None = None
    rows: int = 0
    arrow_bytes: int = 0  # in-memory Arrow size, the `num_bytes` of the card's split info
    sha256: str | None = None
    _pieces: deque[tuple[Piece, int]] = field(default_factory=deque)  # (piece, first row not yet written)
    _pending_rows: int = 0
    _file: ParquetFile | None = None  # with a groups store: groups spliced behind one footer
    _writer: pq.ParquetWriter | None = None  # without one: groups written by pyarrow as they come
    _fingerprint: str = ""

    def __post_init__(self) -> None:
        schema = arrow_schema_of(self.features)
        self._fingerprint = hashlib.sha256(schema.serialize().to_pybytes()
                                           + str(self.rows_per_group).encode()).hexdigest()

    def add_piece(self, piece: Piece) -> None:
        """The rows of one article, already encoded (or loadable), in article order."""
        if piece.rows:
            self._pieces.append((piece, 0))
            self._pending_rows += piece.rows
            while self._pending_rows >= self.rows_per_group:
                self._flush(self.rows_per_group)

    def _group_key(self, parts: list[tuple[Piece, int, int]]) -> str | None:
        if self.groups_store is None or any(piece.key is None for piece, _, _ in parts):
            return None
        ranges = "".join([f"{piece.key}:{first}:{count};" for piece, first, count in parts])
        return hashlib.sha256(f"{self._fingerprint}{ranges}".encode()).hexdigest()

    def _flush(self, count: int) -> None:
        parts: list[tuple[Piece, int, int]] = []
        need = count
        while need:
            piece, first = self._pieces[0]
            take = min(need, piece.rows - first)
            parts.append((piece, first, take))
            need -= take
            if first + take == piece.rows:
                self._pieces.popleft()
            else:
                self._pieces[0] = (piece, first + take)
        self._pending_rows -= count
        if self.groups_store is None:
            self._write(self._table_of(parts))
            return
        key = self._group_key(parts)
        group = self.groups_store.get_group(key) if key is not None else None
        if group is None:
            group = encode_group(self._table_of(parts), arrow_schema_of(self.features))
            if key is not None:
                self.groups_store.put_group(key, group)
        if self._file is None:
            self._file = ParquetFile(self.path)
        self._file.add(group)
        self.rows += group.rows
        self.arrow_bytes += group.arrow_bytes

    def _table_of(self, parts: list[tuple[Piece, int, int]]) -> pa.Table:
        batches = [piece.load().slice(first, take) for piece, first, take in parts]
        # one batch first: concat_batches joins a thousand one-article batches of nested columns in about
        # half the time of Table.from_batches(...).combine_chunks() (61 -> 34 ms for a documents group)
        return pa.Table.from_batches([pa.concat_batches(batches)], schema=arrow_schema_of(self.features))

    def _write(self, table: pa.Table) -> None:
        """One row group through pyarrow's writer: what ``encode_group`` + ``ParquetFile`` lay out."""
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self.path, table.schema, compression=COMPRESSION)
        write_row_group(self._writer, table)
        self.rows += table.num_rows
        self.arrow_bytes += arrow_size(table)

    def close(self) -> None:
        if self._pending_rows:
            self._flush(self._pending_rows)
        if self._file is not None:
            self.sha256 = self._file.close()
            self._file = None
        if self._writer is not None:
            self._writer.close()
            self._writer = None
            self.sha256 = sha256_file(self.path)


class Sinks:
    """One ParquetSink per (config, split), opened on first use, so empty splits are never written."""

    def __init__(self, root: Path, features: Mapping[str, Features], rows_per_group: int,
                 groups_store: GroupStore | None = None):
        self.root = root
        self.features = features
        self.rows_per_group = rows_per_group
        self.groups_store = groups_store
        self.open: dict[tuple[str, str], ParquetSink] = {}

    def sink(self, config: str, split: str) -> ParquetSink:
        key = (config, split)
        if key not in self.open:
            self.open[key] = ParquetSink(self.root / parquet_name(config, split), self.features[config],
                                         self.rows_per_group, self.groups_store)
        return self.open[key]

    def close(self) -> dict[tuple[str, str], ParquetSink]:
        for sink in self.open.values():
            sink.close()
        return dict(sorted(self.open.items()))


# --- manifest -----------------------------------------------------------------------------------

def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_outputs(root: Path, rows: Mapping[str, int], known: Mapping[str, str] | None = None) -> dict[str, dict]:
    """sha256, size (and rows for Parquet) of every file under ``root`` except the manifest.

    ``known`` gives sha256 values already computed while writing (by relative name).
    """
    known = known or {}
    outputs = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = path.relative_to(root).as_posix()
        if name == MANIFEST:
            continue
        entry = {"sha256": known.get(name) or sha256_file(path), "size": path.stat().st_size}
        if name in rows:
            entry["rows"] = rows[name]
        outputs[name] = entry
    return outputs


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")


def write_json_streamed(path: Path, data: Mapping, streamed: Mapping[str, Iterable[tuple[str, str]]]) -> None:
    """``write_json`` for a document too large to hold: ``data`` has a placeholder string where each
    big object goes, and ``streamed[placeholder]`` yields its (key, value as ``json.dumps(value, indent=2)``)
    entries in order. The bytes equal ``write_json`` of the whole document."""
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)
    with open(path, "w", encoding="utf-8") as out:
        for placeholder, entries in streamed.items():
            before, text = text.split(json.dumps(placeholder, ensure_ascii=False), 1)
            out.write(before)
            line = before[before.rfind("\n") + 1:]
            write_object(out, entries, (len(line) - len(line.lstrip(" "))) // 2)
        out.write(text + "\n")


JSON_STRING = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(s, ensure_ascii=False), without a new encoder per call


def write_object(out, entries: Iterable[tuple[str, str]], level: int) -> None:
    """A JSON object whose key line is indented ``level`` steps, from pre-rendered (key, value) entries,
    written as json.dumps(indent=2) would write it."""
    inner = "\n" + "  " * (level + 1)
    texts = (f"{inner}{JSON_STRING(key)}: {value.replace(chr(10), inner)}" for key, value in entries)
    first = next(texts, None)
    if first is None:
        out.write("{}")
        return
    out.write("{" + first)
    while block := list(islice(texts, 1024)):  # a write per block of entries, not per entry
        out.write("," + ",".join(block))
    out.write("\n" + "  " * level + "}")


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
