"""builder/views/arrow.py: rows as tuples or columns give the batch that from_pylist gives of the same rows as dicts."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from datasets import ClassLabel, Features, List, Value
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.views.arrow import Lists, Utf8, arrow_column, columns_to_batch

FEATURES = Features({"id": Value("string"), "label": ClassLabel(names=["no", "yes"]),
                     "words": List(Value("string")), "offsets": List(Value("int32")),
                     "spans": List({"start": Value("int32"), "end": Value("int32"), "score": Value("float32")})})
SCHEMA = FEATURES.arrow_schema

ROWS = [{"id": "a", "label": 1, "words": ["Zoë", "🙂"], "offsets": [0, 4],
         "spans": [{"start": 0, "end": None, "score": 0.1}, {"start": 2, "end": 3, "score": None}]},
        {"id": None, "label": 0, "words": [], "offsets": [], "spans": []}]


def as_tuple(row: dict) -> tuple:
    return (row["id"], row["label"], row["words"], row["offsets"],
            [(s["start"], s["end"], s["score"]) for s in row["spans"]])


def as_columns(rows: list[dict]) -> dict:
    spans = [s for row in rows for s in row["spans"]]
    return {"id": [r["id"] for r in rows], "label": np.array([r["label"] for r in rows]),
            "words": Lists([len(r["words"]) for r in rows], [w for r in rows for w in r["words"]]),
            "offsets": Lists(np.array([len(r["offsets"]) for r in rows]),
                             np.array([o for r in rows for o in r["offsets"]], dtype=np.int64)),
            "spans": Lists([len(r["spans"]) for r in rows], {"start": [s["start"] for s in spans],
                                                             "end": [s["end"] for s in spans],
                                                             "score": [s["score"] for s in spans]})}


def test_rows_as_tuples_give_the_batch_of_the_dicts():
    expected = pa.RecordBatch.from_pylist(ROWS, schema=SCHEMA)
    got = columns_to_batch([as_tuple(row) for row in ROWS], SCHEMA)
    assert got.equals(expected) and got.schema.equals(expected.schema, check_metadata=True)


def test_parts_of_columns_give_the_batch_of_the_dicts():
    expected = pa.RecordBatch.from_pylist(ROWS + ROWS[:1], schema=SCHEMA)
    got = columns_to_batch([as_columns(ROWS), as_columns(ROWS[:1])], SCHEMA)
    assert got.equals(expected) and got.schema.equals(expected.schema, check_metadata=True)


def test_no_parts_give_an_empty_batch():
    assert columns_to_batch([], SCHEMA).equals(pa.RecordBatch.from_pylist([], schema=SCHEMA))
    assert arrow_column([], pa.list_(pa.int32())).to_pylist() == []


texts = st.text(st.characters(codec="utf-8"), max_size=40)


@settings(max_examples=200, deadline=None)
@given(texts, st.data())
def test_utf8_cut_gives_the_substrings(text, data):
    offsets = st.integers(0, len(text))
    spans = [tuple(sorted(pair)) for pair in data.draw(st.lists(st.tuples(offsets, offsets), max_size=8))]
    # in any order, overlapping, empty or touching
    starts, ends = np.array([a for a, _ in spans], dtype=np.int64), np.array([b for _, b in spans], dtype=np.int64)
    pieces = [Utf8.cut(text, starts, ends), Utf8.cut(text[::-1], starts, ends)]
    got = arrow_column(pieces, pa.string())
    assert got.to_pylist() == [text[a:b] for a, b in spans] + [text[::-1][a:b] for a, b in spans]
    assert got.equals(pa.array([text[a:b] for a, b in spans] + [text[::-1][a:b] for a, b in spans], pa.string()))
