"""Tests of builder/agreement/corpus.py: the figures pooled per article and over the corpus.

Fixtures are the small AnnotationSet records of tests/agreement_sets.py. Reference values come from
sklearn, the krippendorff library on hand-built matrices, or are computed by hand in the comments.
"""

from __future__ import annotations

import math
from dataclasses import replace

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from agreement_sets import aset, author_stances, deb, ent, stance
from builder.agreement.coefficients import NO_ITEMS, ONE_LABEL, Coefficient, f1_of
from builder.agreement.corpus import FEWER_THAN_THREE, NO_LENGTHS, corpus_agreement, group_by_article
from builder.errors import InputError


# --- entity F1 ----------------------------------------------------------------------------------

def test_identical_entities_have_f1_one():
    a = aset("a", [ent(0, 5), ent(10, 15, "ORG")])
    report = corpus_agreement({"a1": [a, aset("b", a.entities)]})
    assert report.corpus.entity_f1.value == 1.0
    assert (report.corpus.entity_f1.matched, report.corpus.entity_f1.annotated) == (2, 4)


def test_disjoint_entities_have_f1_zero():
    report = corpus_agreement({"a1": [aset("a", [ent(0, 5)]), aset("b", [ent(6, 9)])]})
    assert report.corpus.entity_f1.value == 0.0


def test_same_span_other_label_is_no_match():
    report = corpus_agreement({"a1": [aset("a", [ent(0, 5, "ORG")]), aset("b", [ent(0, 5, "GPE")])]})
    assert report.corpus.entity_f1.value == 0.0


def test_annotator_who_labels_nothing():
    report = corpus_agreement({"a1": [aset("a", [ent(0, 5), ent(6, 9)]), aset("b")]})
    assert report.corpus.entity_f1.value == 0.0
    assert report.corpus.entity_f1.annotated == 2


def test_both_empty_is_perfect_agreement():
    report = corpus_agreement({"a1": [aset("a"), aset("b")]})
    assert report.corpus.entity_f1.value == 1.0
    assert report.corpus.debris_f1.value == 1.0
    assert f1_of(0, 0) == 1.0


def test_f1_and_per_label_by_hand():
    a = aset("a", [ent(0, 5, "PERSON"), ent(10, 15, "ORG"), ent(20, 25, "GPE")])
    b = aset("b", [ent(0, 5, "PERSON"), ent(10, 15, "GPE")])
    figures = corpus_agreement({"a1": [a, b]}).corpus
    assert figures.entity_f1.value == pytest.approx(2 * 1 / (3 + 2))
    by_label = {label: (f.value, f.matched, f.annotated) for label, f in figures.entity_f1_by_label}
    assert by_label == {"GPE": (0.0, 0, 2), "ORG": (0.0, 0, 1), "PERSON": (1.0, 1, 2)}


def test_corpus_f1_sums_counts_before_computing():
    # article 1: 1 match of 2 annotated (F1 1.0); article 2: 0 of 8 (F1 0.0); pooled 2·1/10, not the mean 0.5
    one = [aset("a", [ent(0, 5)], article="a1"), aset("b", [ent(0, 5)], article="a1")]
    two = [aset("a", [ent(i, i + 1) for i in range(0, 8, 2)], article="a2"),
           aset("b", [ent(i, i + 1) for i in range(20, 28, 2)], article="a2")]
    report = corpus_agreement({"a1": one, "a2": two})
    assert report.corpus.entity_f1.value == pytest.approx(0.2)
    assert [a.figures.entity_f1.value for a in report.articles] == [1.0, 0.0]


def test_three_annotators_pool_their_three_pairs():
    sets = [aset("a", [ent(0, 5)]), aset("b", [ent(0, 5)]), aset("c")]
    figures = corpus_agreement({"a1": sets}).corpus
    assert figures.pairs == 3
    assert figures.entity_f1.value == pytest.approx(2 * 1 / 4)  # (a,b): 1 of 2; (a,c): 0 of 1; (b,c): 0 of 1


# --- stance kappa -------------------------------------------------------------------------------

def test_stance_kappa_equals_sklearn_on_pooled_label_lists():
    first = ["favor", "favor", "against", "neutral", "against", "favor", "neutral", "favor"]
    second = ["favor", "against", "against", "neutral", "favor", "favor", "against", "favor"]
    sets = {"a1": [author_stances("a", first[:5], "a1"), author_stances("b", second[:5], "a1")],
            "a2": [author_stances("a", first[5:], "a2"), author_stances("b", second[5:], "a2")]}
    got = corpus_agreement(sets).corpus.stance_kappa
    assert got.value == pytest.approx(cohen_kappa_score(first, second))
    assert got.items == 8


def test_kappa_with_one_identical_label_is_undefined():
    sets = [author_stances("a", ["favor", "favor"]), author_stances("b", ["favor", "favor"])]
    report = corpus_agreement({"a1": sets})
    assert report.corpus.stance_kappa == Coefficient(None, 2, ONE_LABEL)
    assert report.to_json()["corpus"]["stances"]["kappa"] == {"value": None, "items": 2, "note": ONE_LABEL}
    with pytest.warns(UserWarning):  # what sklearn says
        assert math.isnan(cohen_kappa_score(["favor", "favor"], ["favor", "favor"]))


def test_kappa_without_shared_items():
    sets = [author_stances("a", ["favor", None]), author_stances("b", [None, "against"])]
    figures = corpus_agreement({"a1": sets}).corpus
    assert figures.stance_kappa == Coefficient(None, 0, NO_ITEMS)
    assert figures.stance_unmatched == 2


def test_unknown_holder_is_an_error():
    broken = aset("a", stances=[stance("e9", "favor")])
    with pytest.raises(InputError, match=r"E109 .*stance holder 'e9' refers to no entity"):
        corpus_agreement({"a1": [broken, aset("b")]})


# --- Krippendorff's alpha -----------------------------------------------------------------------

def test_stance_alpha_equals_the_library_on_a_hand_built_matrix():
    labels = {"a": ["favor", "against", "favor", None, "neutral"],
              "b": ["favor", "against", "against", "neutral", "neutral"],
              "c": ["favor", None, "against", "neutral", "favor"]}
    got = corpus_agreement({"a1": [author_stances(a, v) for a, v in labels.items()]}).corpus.stance_alpha
    code = {"against": 0, "favor": 1, "neutral": 2, None: np.nan}
    matrix = [[code[v] for v in values] for values in labels.values()]
    assert got.value == pytest.approx(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
    assert got.items == 5


def test_alpha_reproduces_krippendorffs_nominal_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", 4 observers, 12 units: alpha = 0.743
    data = {"A": ["1", "2", "3", "3", "2", "1", "4", "1", "2", None, None, None],
            "B": ["1", "2", "3", "3", "2", "2", "4", "1", "2", "5", None, "3"],
            "C": [None, "3", "3", "3", "2", "3", "4", "2", "2", "5", "1", None],
            "D": ["1", "2", "3", "3", "2", "4", "4", "1", "2", "5", "1", None]}
    got = corpus_agreement({"a1": [author_stances(a, v) for a, v in data.items()]}).corpus.stance_alpha
    assert round(got.value, 3) == 0.743
    assert got.items == 11  # unit 12 has one value only


def test_entity_alpha_over_the_span_union():
    a = aset("a", [ent(0, 5, "PERSON"), ent(10, 15, "ORG")])
    b = aset("b", [ent(0, 5, "PERSON"), ent(10, 15, "GPE")])
    c = aset("c", [ent(0, 5, "PERSON"), ent(20, 25, "DATE")])
    code = {"DATE": 0, "GPE": 1, "O": 2, "ORG": 3, "PERSON": 4}
    matrix = [[code[v] for v in row] for row in (["PERSON", "ORG", "O"], ["PERSON", "GPE", "O"], ["PERSON", "O", "DATE"])]
    got = corpus_agreement({"a1": [a, b, c]}).corpus.entity_alpha
    assert got.value == pytest.approx(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


def test_alpha_needs_three_annotators():
    report = corpus_agreement({"a1": [aset("a", [ent(0, 5)]), aset("b", [ent(0, 5)])]})
    assert report.corpus.entity_alpha == Coefficient(None, 0, FEWER_THAN_THREE)
    assert report.articles[0].figures.stance_alpha.note == "fewer than three annotators"


def test_alpha_with_one_label_is_undefined():
    sets = [author_stances(a, ["favor", "favor"]) for a in "abc"]
    assert corpus_agreement({"a1": sets}).corpus.stance_alpha == Coefficient(None, 2, ONE_LABEL)


# --- debris -------------------------------------------------------------------------------------

def test_debris_char_f1_and_kappa_by_hand():
    # a marks [0, 10), b marks [5, 15) of 100 characters: 5 shared, 20 marked, F1 = 10/20 = 0.5.
    # kappa: both 5, a only 5, b only 5, neither 85. p_o = 0.9, p_e = 0.1·0.1 + 0.9·0.9 = 0.82,
    # kappa = 0.08 / 0.18 = 0.444...
    report = corpus_agreement({"a1": [aset("a", cleaning=[deb(0, 10)]), aset("b", cleaning=[deb(5, 15)])]},
                              {"a1": 100})
    assert report.corpus.debris_f1.value == 0.5
    assert report.corpus.debris_kappa.value == pytest.approx(0.08 / 0.18)
    first = [1] * 10 + [0] * 90
    second = [0] * 5 + [1] * 10 + [0] * 85
    assert report.corpus.debris_kappa.value == pytest.approx(cohen_kappa_score(first, second))
    assert report.corpus.debris_kappa.items == 100


def test_debris_reason_does_not_matter_per_character():
    a = aset("a", cleaning=[deb(0, 4, "advertising"), deb(4, 8, "navigation")])
    b = aset("b", cleaning=[deb(0, 8, "promotion")])
    assert corpus_agreement({"a1": [a, b]}, {"a1": 8}).corpus.debris_f1.value == 1.0


def test_no_debris_anywhere_has_undefined_kappa():
    report = corpus_agreement({"a1": [aset("a"), aset("b")]}, {"a1": 50})
    assert report.corpus.debris_kappa == Coefficient(None, 50, ONE_LABEL)


def test_debris_kappa_needs_text_lengths():
    report = corpus_agreement({"a1": [aset("a", cleaning=[deb(0, 3)]), aset("b")]})
    assert report.corpus.debris_kappa == Coefficient(None, 0, NO_LENGTHS)


def test_missing_text_length_is_an_error():
    with pytest.raises(InputError, match=r"E704 .*no text length for article 'a1'"):
        corpus_agreement({"a1": [aset("a"), aset("b")]}, {"other": 10})


def test_debris_beyond_the_text_is_an_error():
    with pytest.raises(InputError, match=r"E705 .*debris \[5, 20\) of annotator 'b' ends beyond the text length 10"):
        corpus_agreement({"a1": [aset("a"), aset("b", cleaning=[deb(5, 20)])]}, {"a1": 10})


# --- per article ---------------------------------------------------------------------------------

def test_gold_sets_are_left_out_and_single_annotators_listed():
    gold = aset("gold", [ent(0, 5, "ORG")])
    sets = {"a1": [aset("a", [ent(0, 5)]), aset("b", [ent(0, 5)]), gold], "a2": [aset("a", article="a2")],
            "a3": [aset("gold", article="a3")]}
    report = corpus_agreement(sets)
    assert [a.article_id for a in report.articles] == ["a1"]
    assert report.articles[0].annotators == ("a", "b")
    assert report.corpus.entity_f1.value == 1.0
    assert report.single_annotator == ("a2",)


def test_disagreements_counted_and_split_by_adjudication():
    differ = [aset("a", [ent(0, 5, "ORG")], cleaning=[deb(20, 30)]), aset("b", [ent(0, 5, "GPE")])]
    sets = {"a1": differ, "a2": [*(replace(s, article_id="a2") for s in differ), aset("gold", article="a2")]}
    report = corpus_agreement(sets)
    assert [a.figures.disagreements for a in report.articles] == [2, 2]
    assert report.corpus.disagreements == 4
    assert report.unadjudicated_disagreements == 2
    assert [a.adjudicated for a in report.articles] == [False, True]


def test_group_by_article_sorts():
    grouped = group_by_article([aset("b", article="z"), aset("a", article="z"), aset("a", article="m")])
    assert list(grouped) == ["m", "z"]
    assert [s.annotator for s in grouped["z"]] == ["a", "b"]


