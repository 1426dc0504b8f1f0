"""builder/release/fields.py: which values carry text, withheld by default, made again by the build's code."""

from __future__ import annotations

import pyarrow as pa

from builder.release.fields import ArticleText, public_key, restored_row, unrestored_field, withheld_row
from builder.records import Debris

RAW = "AD\nJoe met Olaf.\n"


def test_a_config_it_does_not_know_keeps_only_its_row_ids():
    schema = pa.schema([("id", pa.string()), ("article_id", pa.string()), ("quote", pa.string()),
                        ("spans", pa.list_(pa.struct([("note", pa.string()), ("start", pa.int32())])))])
    row = {"id": "r1", "article_id": "a1", "quote": "Joe", "spans": [{"note": "Olaf", "start": 3}]}
    assert withheld_row(row, "relations", schema) == {"id": "r1", "article_id": "a1", "quote": None,
                                                      "spans": [{"note": None, "start": 3}]}


def test_a_holder_key_is_public_only_as_a_qid_or_the_author():
    assert public_key("Q42") and public_key("@author")
    assert not public_key("joe") and not public_key("q42") and not public_key(None)


def test_a_stance_row_gets_its_holder_from_the_documents_row_and_its_context_from_the_sentences():
    text = ArticleText(RAW, "en", (Debris(0, 2, "advertising", "AD"),))
    documents = {"id": "a1", "text": None, "raw_text": None,
                 "entities": [{"id": "e1", "raw_start": 3, "raw_end": 6, "qid": None, "text": None}],
                 "stances": [{"id": "s1", "holder": None, "holder_key": None, "holder_entity_id": "e1",
                              "evidence": [{"text": None, "start": 4, "end": 13, "raw_start": 7, "raw_end": 16}]}]}
    restored = restored_row(documents, "documents", text)
    assert (restored["text"], restored["raw_text"]) == ("Joe met Olaf.\n", RAW)
    assert restored["stances"][0]["holder"] == "Joe" and restored["stances"][0]["holder_key"] == "joe"
    assert restored["stances"][0]["evidence"][0]["text"] == "met Olaf."
    stance = {"id": "a1-s1", "article_id": "a1", "holder": None, "holder_key": None, "context": None,
              "evidence": [{"text": None, "start": 4, "end": 13, "raw_start": 7, "raw_end": 16}]}
    row = restored_row(stance, "stance", text)
    assert (row["holder"], row["holder_key"], row["context"]) == ("Joe", "joe", "Joe met Olaf.")


def test_a_text_left_null_is_named():
    schema = pa.schema([("id", pa.string()), ("tokens", pa.list_(pa.string()))])
    assert unrestored_field({"id": "x", "tokens": ["a", None]}, "ner", schema) == "tokens[]"
    assert unrestored_field({"id": "x", "tokens": ["a"]}, "ner", schema) is None


def test_large_strings_and_large_lists_are_withheld_too():
    schema = pa.schema([("id", pa.string()), ("quote", pa.large_string()), ("words", pa.large_list(pa.large_string()))])
    row = {"id": "r1", "quote": "Joe", "words": ["Olaf"]}
    assert withheld_row(row, "relations", schema) == {"id": "r1", "quote": None, "words": [None]}
    assert unrestored_field({"id": "r1", "quote": "Joe", "words": [None]}, "relations", schema) == "words[]"
