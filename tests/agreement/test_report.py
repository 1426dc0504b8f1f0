"""Tests of builder/agreement/report.py: the manifest's JSON, the terminal table and the card section.

Reports come from builder.agreement.corpus.corpus_agreement over the small AnnotationSet records of
tests/agreement_sets.py; ``article_json_text`` is checked against ``json.dumps`` for any figures.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from agreement_sets import aset, deb, ent, stance
from builder.agreement.coefficients import F1, ONE_LABEL, Coefficient
from builder.agreement.corpus import corpus_agreement
from builder.agreement.report import (ArticleAgreement, Figures, article_json, article_json_text, card_section,
                                      format_table)
from builder.records import AUTHOR


def test_to_json_is_stable_rounded_and_serialisable():
    sets = {"a1": [aset("a", [ent(0, 5), ent(6, 9)]), aset("b", [ent(0, 5)]), aset("c", [ent(0, 5), ent(6, 9)])]}
    data = corpus_agreement(sets, {"a1": 20}).to_json()
    assert list(data) == ["articles_compared", "articles_single_annotator", "unadjudicated_disagreements",
                          "corpus", "by_article"]
    assert list(data["corpus"]) == ["articles", "annotator_pairs", "entities", "stances", "debris", "disagreements"]
    assert data["corpus"]["entities"]["f1"] == 0.8  # pairs ab 1 of 3, ac 2 of 4, bc 1 of 3: 2·4/10
    assert data["corpus"]["entities"]["alpha"]["value"] == round(data["corpus"]["entities"]["alpha"]["value"], 6)
    assert data["by_article"]["a1"]["annotators"] == ["a", "b", "c"]
    assert json.loads(json.dumps(data)) == data
    assert json.dumps(corpus_agreement(sets, {"a1": 20}).to_json()) == json.dumps(data)


def test_floats_are_rounded_to_six_decimals():
    sets = {"a1": [aset("a", [ent(0, 1), ent(2, 3)]), aset("b", [ent(0, 1)])]}  # 2·1/3
    assert corpus_agreement(sets).to_json()["corpus"]["entities"]["f1"] == 0.666667


def test_format_table_and_card_section():
    sets = {"a1": [aset("a", [ent(0, 5)], [stance(AUTHOR, "favor")]), aset("b", [ent(0, 5, "ORG")], [stance(AUTHOR, "favor")])],
            "a2": [aset("a", article="a2")]}
    report = corpus_agreement(sets, {"a1": 30})
    table = format_table(report)
    assert "1 article(s) with two or more annotators, 1 annotator pair(s)" in table
    assert "Entities: exact-span F1" in table and "0.000" in table
    assert f"n/a ({ONE_LABEL})" in table
    assert "a1" in table.splitlines()[-1]
    card = card_section(report)
    assert card.startswith("### Annotator agreement\n")
    assert "| Entities: exact-span F1 | 0.000 | 0 matches, 2 entities by the two annotators of each pair |" in card
    assert all(line.count("|") == 4 for line in card.splitlines() if line.startswith("|"))
    assert "| PERSON | 0.000 |" in card
    assert ("not unanimous on 1 place(s) (an entity span, a holder-target pair or a debris span); 1 of them are in "
            "articles without an adjudicated gold set.") in card
    assert "**Stance kappa**" in card
    assert card_section(report, heading="## Agreement").startswith("## Agreement\n")



# --- the manifest entry, written directly -----------------------------------------------------

texts = st.text(st.characters(codec="utf-8"), max_size=6)
numbers = st.one_of(st.none(), st.floats(), st.floats(0, 1), st.sampled_from([0.0, 1.0, -0.0, 1 / 3, 1e-7, 1e22]))
counts = st.integers(0, 10**12)
f1s = st.builds(F1, numbers, counts, counts)
coefficients = st.builds(Coefficient, numbers, counts, st.one_of(st.none(), texts))
figures = st.builds(Figures, counts, counts, f1s, st.lists(st.tuples(texts, f1s), max_size=4).map(tuple), coefficients,
                    coefficients, counts, coefficients, f1s, coefficients, counts)


@settings(max_examples=300)
@given(st.builds(ArticleAgreement, texts, st.lists(texts, max_size=3).map(tuple), st.booleans(), figures))
def test_article_json_text_is_json_dumps_of_the_entry(entry):
    assert article_json_text(entry) == json.dumps(article_json(entry), indent=2, ensure_ascii=False)


def test_article_json_text_of_a_built_entry():
    sets = {"a1": [aset("a", [ent(0, 5), ent(6, 9)], [stance(AUTHOR, "favor")], [deb(10, 12)]),
                   aset("b", [ent(0, 5, "ORG")], [stance(AUTHOR, "against")]), aset("c", [ent(0, 5)])]}
    entry = corpus_agreement(sets, {"a1": 20}).articles[0]
    assert article_json_text(entry) == json.dumps(article_json(entry), indent=2, ensure_ascii=False)
    # PERSON: pairs ab 0 of 2, ac 1 of 3, bc 0 of 1: 2·1/6
    assert json.loads(article_json_text(entry))["entities"]["by_label"]["PERSON"] == {"f1": 0.333333, "matched": 1,
                                                                                        "annotated": 6}

