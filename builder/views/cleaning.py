"""The cleaning config: one row per article, raw text, cleaned text and the debris removed.

Its fields are documents fields (``clean_text`` is ``text``), so its batch is made of the documents batch's
arrays, converted once."""

from __future__ import annotations

import pyarrow as pa
from datasets import Features, List, Value

from builder.records import Schema
from builder.views.items import debris_item

DESCRIPTION = "one row per article: raw text, cleaned text and the debris spans removed"


def features(schema: Schema) -> Features:
    return Features({
        "id": Value("string"),
        "raw_text": Value("string"),
        "clean_text": Value("string"),
        "debris": List(debris_item(schema)),
    })


def from_documents(documents: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays([documents.column(name) for name in ("id", "raw_text", "text", "debris")],
                                      schema=schema)
