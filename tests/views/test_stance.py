"""builder/views/stance.py: one row per gold stance, its label, evidence and the sentences that hold the evidence."""

from __future__ import annotations

from builder.article.align import Tokens, tokenize
from builder.records import AUTHOR

TEXT = "Joe Biden met Olaf Scholz. Scholz backs the plan. Biden rejects the deal.\nThe end."
SECOND = len("Joe Biden met Olaf Scholz. ")  # where each sentence starts
THIRD = len("Joe Biden met Olaf Scholz. Scholz backs the plan. ")


def test_a_row_has_the_holder_target_with_its_description_label_and_evidence(article, evidence, stance, rows_of, ids):
    start = SECOND + len("Scholz ")
    backs = evidence(start, "backs the plan", shift=len("AD\n"))
    (row,) = rows_of(article(TEXT, prefix="AD\n", stances=[stance("s1", backs, label="against")]))["stance"]
    assert row == {"id": "a1-s1", "article_id": "a1", "holder": "Scholz", "holder_key": "scholz",
                   "target": ids.target["plan"], "target_description": "the plan",
                   "context": "Scholz backs the plan.",
                   "evidence": [{"text": "backs the plan", "start": start, "end": start + len("backs the plan"),
                                 "raw_start": len("AD\n") + start,
                                 "raw_end": len("AD\n") + start + len("backs the plan")}],
                   "label": ids.stance["against"]}


def test_the_context_is_the_sentences_holding_the_evidence_in_text_order(article, rows_of, evidence, stance):
    late, early = evidence(THIRD, "Biden rejects"), evidence(0, "Joe Biden")
    (row,) = rows_of(article(TEXT, stances=[stance("s1", late, early)]))["stance"]
    assert row["context"] == "Joe Biden met Olaf Scholz.\nBiden rejects the deal."


def test_evidence_across_a_sentence_break_brings_both_sentences(article, rows_of, evidence, stance):
    (row,) = rows_of(article(TEXT, stances=[stance("s1", evidence(len("Joe Biden met "), "Olaf Scholz. Scholz"))]))[
        "stance"]
    assert row["context"] == "Joe Biden met Olaf Scholz.\nScholz backs the plan."


def test_evidence_that_ends_where_its_sentence_ends_brings_no_other(article, rows_of, evidence, stance):
    (row,) = rows_of(article(TEXT, stances=[stance("s1", evidence(len("Joe Biden met "), "Olaf Scholz."))]))["stance"]
    assert row["context"] == "Joe Biden met Olaf Scholz."


def test_the_context_is_cut_from_sentencizer_sentences_not_from_joined_ner_rows(article, mention, evidence, stance,
                                                                                rows_of):
    text = "Joe Biden met Olaf Scholz."
    words = tokenize(text)
    cut = Tokens(list(words.texts), words.starts, words.ends, [0, 0, 0, 0, 1, 1])  # "Olaf | Scholz"
    built = article(text, tokens=cut, entities=[mention("e1", "PERSON", len("Joe Biden met "), "Olaf Scholz")],
                    stances=[stance("s1", evidence(len("Joe Biden met Olaf "), "Scholz"))])
    rows = rows_of(built)
    assert len(rows["ner"]) == 1 and rows["stance"][0]["context"] == "Scholz."


def test_evidence_that_cleaning_removed_brings_no_sentence(article, rows_of, evidence, stance):
    lost, joe = evidence(0, "AD", lost=True), evidence(0, "Joe", shift=len("AD\n"))
    built = article(TEXT, prefix="AD\n", stances=[stance("s1", lost, target="deal"), stance("s2", lost, joe)])
    rows = rows_of(built)["stance"]
    assert [row["context"] for row in rows] == ["", "Joe Biden met Olaf Scholz."]
    assert rows[0]["evidence"][0]["start"] is None


def test_rows_are_sorted_by_holder_key_then_target(article, rows_of, stance):
    stances = [stance("s1", target="plan"), stance("s2", holder=AUTHOR, holder_key="@author"),
               stance("s3", target="deal")]
    assert [row["id"] for row in rows_of(article(TEXT, stances=stances))["stance"]] == ["a1-s2", "a1-s3", "a1-s1"]


def test_only_gold_stances_are_rows(article, annotator_set, rows_of, evidence, stance):
    built = article(TEXT, sets=[annotator_set("team-a", stances=[stance("s9", evidence(0, "Joe"))])])
    assert rows_of(built)["stance"] == []
