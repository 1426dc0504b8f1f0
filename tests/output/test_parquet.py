"""builder/output/parquet.py: batches -> one Parquet file per (config, split), in row groups of a fixed size."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from datasets import ClassLabel, Dataset, Features, List, Value
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.output.parquet import ParquetSink, Sinks, arrow_size, parquet_name, sha256_file

FEATURES = Features({"id": Value("string"), "label": ClassLabel(names=["no", "yes"]), "score": Value("float32"),
                     "spans": List({"start": Value("int32"), "text": Value("string"),
                                    "kind": ClassLabel(names=["x", "y", "z"])}),
                     "tags": List(ClassLabel(names=["O", "B", "I"]))})
SCHEMA = FEATURES.arrow_schema

ROWS = [{"id": f"a{i}", "label": i % 2, "score": None if i % 3 else i / 4,
         "spans": [{"start": i, "text": "Zoë 🙂"[:i % 5], "kind": i % 3}] * (i % 3), "tags": [i % 3] * i}
        for i in range(7)]


def batches_of(rows: list[dict], sizes: list[int]) -> list[pa.RecordBatch]:
    """The rows cut into consecutive batches of these sizes (0: an empty batch)."""
    found, start = [], 0
    for size in sizes:
        found.append(pa.RecordBatch.from_pylist(rows[start:start + size], schema=SCHEMA))
        start += size
    assert start == len(rows)
    return found


def written(path: Path, batches: list[pa.RecordBatch], per_group: int) -> ParquetSink:
    with ThreadPoolExecutor(max_workers=1) as encoder:
        sink = ParquetSink(path, SCHEMA, per_group, encoder)
        for batch in batches:
            sink.add(batch)
        sink.close()
    return sink


@pytest.mark.parametrize("sizes", [[7], [1] * 7, [3, 4], [2, 0, 5], [6, 1], [0, 7, 0]])
def test_row_groups_have_rows_per_group_rows_whatever_the_batches(tmp_path, sizes):
    sink = written(tmp_path / "x.parquet", batches_of(ROWS, sizes), per_group=3)
    metadata = pq.ParquetFile(sink.path).metadata
    assert [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)] == [3, 3, 1]
    assert sink.rows == 7


rows_strategy = st.lists(st.fixed_dictionaries({
    "id": st.none() | st.text(max_size=6), "label": st.sampled_from([0, 1]),
    "score": st.none() | st.floats(0, 1, width=32),
    "spans": st.none() | st.lists(st.fixed_dictionaries({
        "start": st.none() | st.integers(0, 10**6), "text": st.none() | st.text(max_size=5),
        "kind": st.sampled_from([0, 1, 2])}), max_size=3),
    "tags": st.lists(st.sampled_from([0, 1, 2]), max_size=5)}), min_size=1, max_size=30)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows_strategy, st.integers(1, 8), st.data())
def test_the_same_rows_cut_differently_give_the_same_bytes_and_figures(tmp_path, rows, per_group, data):
    """And the Arrow size is that of each row group's rows as ``from_pylist`` holds them (the card's num_bytes)."""
    cuts = sorted(data.draw(st.lists(st.integers(0, len(rows)), max_size=6)))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, len(rows)])]
    whole = written(tmp_path / "whole.parquet", batches_of(rows, [len(rows)]), per_group)
    cut = written(tmp_path / "cut.parquet", batches_of(rows, sizes), per_group)
    assert cut.path.read_bytes() == whole.path.read_bytes()
    assert (cut.rows, cut.arrow_bytes, cut.sha256) == (whole.rows, whole.arrow_bytes, whole.sha256)
    groups = [rows[start:start + per_group] for start in range(0, len(rows), per_group)]
    assert cut.arrow_bytes == sum(pa.Table.from_pylist(group, schema=SCHEMA).nbytes for group in groups)


@settings(max_examples=60, deadline=None)
@given(rows_strategy)
def test_arrow_size_of_a_slice_is_nbytes_of_the_same_rows_made_afresh(rows):
    fresh = pa.Table.from_pylist(rows, schema=SCHEMA)
    assert arrow_size(fresh) == fresh.nbytes
    for start in range(len(rows)):
        for count in (1, 2, 7):
            assert arrow_size(fresh.slice(start, count)) == \
                pa.Table.from_pylist(rows[start:start + count], schema=SCHEMA).nbytes


def test_the_sinks_sha256_is_the_files(tmp_path):
    sink = written(tmp_path / "x.parquet", batches_of(ROWS, [4, 3]), per_group=2)
    assert sink.sha256 == hashlib.sha256(sink.path.read_bytes()).hexdigest() == sha256_file(sink.path)


def test_a_file_loads_with_pyarrow_with_the_declared_schema(tmp_path):
    sink = written(tmp_path / "x.parquet", batches_of(ROWS, [2, 5]), per_group=3)
    table = pq.read_table(sink.path)  # pyarrow names a list's items "element" when it reads Parquet
    assert Features.from_arrow_schema(table.schema) == FEATURES and table.schema.metadata == SCHEMA.metadata
    assert table.to_pylist() == ROWS
    assert pq.ParquetFile(sink.path).metadata.row_group(0).column(0).compression == "ZSTD"


def test_a_file_loads_with_datasets_with_its_class_labels(tmp_path):
    sink = written(tmp_path / "x.parquet", batches_of(ROWS, [7]), per_group=3)
    dataset = Dataset.from_parquet(str(sink.path), cache_dir=str(tmp_path / "cache"))
    assert dataset.features == FEATURES  # from the schema's huggingface metadata
    assert dataset.features["label"].names == ["no", "yes"] and dataset.to_list() == ROWS


def test_a_sink_without_rows_writes_no_file(tmp_path):
    sink = written(tmp_path / "c" / "x.parquet", batches_of([], [0, 0]), per_group=3)
    assert (sink.rows, sink.arrow_bytes, sink.sha256) == (0, 0, None)
    assert not (tmp_path / "c").exists()


def test_sinks_write_one_file_per_config_and_split_and_give_them_sorted(tmp_path):
    sinks = Sinks(tmp_path, {"b": SCHEMA, "a": SCHEMA}, rows_per_group=2)
    for config, split, rows in (("b", "train", ROWS[:3]), ("a", "test", ROWS[3:4]), ("a", "train", ROWS[4:]),
                                ("b", "train", ROWS[3:])):
        sinks.add(config, split, pa.RecordBatch.from_pylist(rows, schema=SCHEMA))
    closed = sinks.close()
    assert list(closed) == [("a", "test"), ("a", "train"), ("b", "train")]
    assert [sink.path for sink in closed.values()] == [tmp_path / parquet_name(c, s) for c, s in closed]
    assert parquet_name("a", "test") == "a/test-00000-of-00001.parquet"
    assert pq.read_table(closed["b", "train"].path).to_pylist() == ROWS[:3] + ROWS[3:]
    assert [sink.rows for sink in closed.values()] == [1, 3, 7]


def test_sinks_without_rows_write_nothing(tmp_path):
    assert Sinks(tmp_path / "out", {"a": SCHEMA}, rows_per_group=2).close() == {}
    assert not (tmp_path / "out").exists()


def test_a_split_that_got_only_empty_batches_is_not_written(tmp_path):
    sinks = Sinks(tmp_path, {"stance": SCHEMA}, rows_per_group=2)
    sinks.add("stance", "train", pa.RecordBatch.from_pylist([], schema=SCHEMA))
    assert sinks.close() == {}
