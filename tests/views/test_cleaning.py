"""builder/views/cleaning.py: one row per article, raw text, cleaned text and debris, made from the documents batch."""

from __future__ import annotations

import pyarrow as pa

from builder.records import Debris
from builder.views import VIEWS
from builder.views.cleaning import from_documents
from factories import make_project


def test_a_row_is_the_documents_id_texts_and_debris(article, rows_of, ids):
    debris = [Debris(0, len("AD\n"), "advertising", "AD\n")]
    rows = rows_of(article("Joe met Olaf.", prefix="AD\n", debris=debris))
    (document,), (row,) = rows["documents"], rows["cleaning"]
    assert row == {"id": "a1", "raw_text": "AD\nJoe met Olaf.", "clean_text": "Joe met Olaf.",
                   "debris": [{"raw_start": 0, "raw_end": len("AD\n"), "reason": ids.debris["advertising"],
                               "text": "AD\n"}]}
    assert row == {"id": document["id"], "raw_text": document["raw_text"], "clean_text": document["text"],
                   "debris": document["debris"]}


def test_the_batch_of_several_articles_has_the_declared_schema(article, rows_of, schema):
    made = [rows_of(article(text, article_id=name)) for name, text in (("a1", "One."), ("a2", "Zoë 🙂."))]
    documents = pa.Table.from_pylist([r for m in made for r in m["documents"]],
                                     schema=VIEWS["documents"].features(schema).arrow_schema).to_batches()[0]
    declared = VIEWS["cleaning"].features(schema).arrow_schema
    cleaning = from_documents(documents, declared)
    assert cleaning.schema.equals(declared, check_metadata=True)
    assert cleaning.to_pylist() == [r for m in made for r in m["cleaning"]]
    assert cleaning.column("clean_text").to_pylist() == ["One.", "Zoë 🙂."]


def test_a_built_article_counts_as_many_cleaning_rows_as_documents_rows(tmp_path, built_project):
    (result,), _ = built_project(make_project(tmp_path))
    assert "cleaning" not in result.rows  # made from the documents batch, not from the article
    assert result.summary.rows["cleaning"] == result.summary.rows["documents"] == 1
