"""builder/views/ner.py: one row per sentence of the cleaned text, its tokens and IOB2 tags of the gold entities."""

from __future__ import annotations

import pytest

from builder.article.align import Tokens, tokenize
from builder.records import Schema
from builder.views import VIEWS
from builder.views.ner import row_ids

TEXT = "Joe Biden met Olaf Scholz."


def tags(ids, *names: str) -> list[int]:
    return [ids.bio[name] for name in names]


def test_a_row_has_the_tokens_their_clean_offsets_and_iob2_tags(article, mention, rows_of, ids):
    scholz = mention("e1", "PERSON", len("Joe Biden met "), "Olaf Scholz", shift=len("AD\n"))
    (row,) = rows_of(article(TEXT, entities=[scholz], prefix="AD\n"))["ner"]
    assert row == {"id": "a1-0000", "article_id": "a1", "sentence_index": 0,
                   "tokens": ["Joe", "Biden", "met", "Olaf", "Scholz", "."],
                   "ner_tags": tags(ids, "O", "O", "O", "B-PERSON", "I-PERSON", "O"),
                   "token_starts": [0, len("Joe "), len("Joe Biden "), len("Joe Biden met "),
                                    len("Joe Biden met Olaf "), len("Joe Biden met Olaf Scholz")],
                   "token_ends": [len("Joe"), len("Joe Biden"), len("Joe Biden met"), len("Joe Biden met Olaf"),
                                  len("Joe Biden met Olaf Scholz"), len(TEXT)]}


def test_each_sentence_and_each_line_is_a_row_with_offsets_into_the_whole_text(article, rows_of):
    text = "One here. Two there.\nA line"
    rows = rows_of(article(text))["ner"]
    assert [(r["id"], r["sentence_index"], r["tokens"]) for r in rows] == [
        ("a1-0000", 0, ["One", "here", "."]), ("a1-0001", 1, ["Two", "there", "."]), ("a1-0002", 2, ["A", "line"])]
    assert rows[1]["token_starts"][0] == len("One here. ") and rows[2]["token_ends"][-1] == len(text)


def test_an_entity_across_a_sentence_break_joins_only_those_sentences(article, mention, rows_of, ids):
    words = tokenize(TEXT)
    cut = Tokens(list(words.texts), words.starts, words.ends, [0, 0, 1, 1, 2, 3])  # "Olaf | Scholz"
    scholz = mention("e1", "PERSON", len("Joe Biden met "), "Olaf Scholz")
    rows = rows_of(article(TEXT, entities=[scholz], tokens=cut))["ner"]
    assert [(r["sentence_index"], r["tokens"]) for r in rows] == [
        (0, ["Joe", "Biden"]), (1, ["met", "Olaf", "Scholz"]), (2, ["."])]
    assert [r["id"] for r in rows] == ["a1-0000", "a1-0001", "a1-0002"]
    assert rows[1]["ner_tags"] == tags(ids, "O", "B-PERSON", "I-PERSON")


def test_an_entity_that_the_sentencizer_cut_after_an_abbreviation_is_one_row(article, mention, rows_of, ids):
    text = "We met Dr. Smith. Later Dr. Jones came. Then we left."
    words = tokenize(text)
    cut = Tokens(list(words.texts), words.starts, words.ends,
                 [0 if i < 3 else 1 if i < 5 else 2 if i < 10 else 3 for i in range(len(words))])  # "Dr. | Smith"
    rows = rows_of(article(text, entities=[mention("e1", "PERSON", len("We met "), "Dr. Smith")], tokens=cut))["ner"]
    assert [r["tokens"] for r in rows] == [["We", "met", "Dr.", "Smith", "."], ["Later", "Dr.", "Jones", "came", "."],
                                           ["Then", "we", "left", "."]]
    assert rows[0]["ner_tags"] == tags(ids, "O", "O", "B-PERSON", "I-PERSON", "O")


def test_of_nested_entities_the_later_span_tags_the_shared_tokens(article, mention, rows_of, ids):
    scholz = mention("e1", "PERSON", len("Joe Biden met "), "Olaf Scholz")
    place = mention("e2", "LOC", len("Joe Biden met Olaf "), "Scholz")
    (row,) = rows_of(article(TEXT, entities=[place, scholz]))["ner"]
    assert row["ner_tags"] == tags(ids, "O", "O", "O", "B-PERSON", "B-LOC", "O")


def test_non_ascii_tokens_keep_their_code_point_offsets(article, mention, rows_of, ids):
    text = "Zoë met 李明 🙂 today."
    (row,) = rows_of(article(text, entities=[mention("e1", "PERSON", len("Zoë met "), "李明")]))["ner"]
    assert row["tokens"] == ["Zoë", "met", "李明", "🙂", "today", "."]
    assert [text[a:b] for a, b in zip(row["token_starts"], row["token_ends"])] == row["tokens"]
    assert row["ner_tags"] == tags(ids, "O", "O", "B-PERSON", "O", "O", "O")


def test_tokens_as_records_give_the_rows_of_tokens_as_columns(article, mention, rows_of):
    text = "Zoë met 李明. Then 🙂 left."
    entities = [mention("e1", "PERSON", len("Zoë met "), "李明")]
    as_records = tuple(tokenize(text))  # Token records, as BuiltArticle.tokens may hold them
    assert rows_of(article(text, entities=entities, tokens=as_records))["ner"] == \
        rows_of(article(text, entities=entities))["ner"]


def test_an_empty_text_has_no_rows(article, rows_of):
    assert rows_of(article(""))["ner"] == [] and rows_of(article(" \n "))["ner"] == []


def test_an_entity_label_missing_from_the_schema_is_a_key_error(article, mention, view_input):
    schema = Schema({"ORG": ""}, {"favor": ""}, {"advertising": ""}, {"plan": ""})
    built = article(TEXT, entities=[mention("e1", "PERSON", len("Joe Biden met "), "Olaf Scholz")])
    with pytest.raises(KeyError, match="B-PERSON"):
        VIEWS["ner"].rows(view_input(built, schema=schema))


def test_an_entity_that_starts_inside_a_token_is_never_snapped(article, mention, rows_of):
    with pytest.raises(KeyError):
        rows_of(article(TEXT, entities=[mention("e1", "PERSON", len("Joe Biden met O"), "laf Scholz")]))


def test_row_ids_are_the_article_id_and_the_four_digit_index():
    assert row_ids("a1", 3) == ["a1-0000", "a1-0001", "a1-0002"]
    assert row_ids("b", 10_002)[-2:] == ["b-10000", "b-10001"]
    assert row_ids("c", 0) == [] and row_ids("c", 1) == ["c-0000"]


def test_an_article_without_entities_is_all_o(article, rows_of, ids):
    rows = rows_of(article("Nothing here. At all."))["ner"]
    assert [len(r["tokens"]) for r in rows] == [3, 3] and {t for r in rows for t in r["ner_tags"]} == {ids.bio["O"]}
