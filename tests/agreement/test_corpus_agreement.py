"""Tests of builder/agreement.py and `newsstance agreement` (builder/cli/agreement.py).

Fixtures are small AnnotationSet records; offsets are plain numbers into an imagined text, since
agreement compares offsets and labels only. Reference values come from sklearn, the krippendorff
library on hand-built matrices, or are computed by hand in the comments.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import replace

import krippendorff
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from builder.agreement.corpus import (FEWER_THAN_THREE, NO_ITEMS, NO_LENGTHS, ONE_LABEL, Coefficient, alpha, compare_article,
                               compare_pair, corpus_agreement, covered, debris_ranges, disagreement_count, disagreements,
                               entity_keys, entity_units, f1_of, group_by_article, item_agreements, set_items,
                               shared_chars, stance_keys, stance_units, unanimous_places, votes)
from builder.cli import main
from builder.errors import InputError
from builder.records import AUTHOR, AnnotationSet, Debris, Entity, Evidence, Stance
from factories import ARTICLE, annotation, default_entities, default_stances, write_annotation, write_article

TARGET = "us-peace-plan-2025"


def ent(start: int, end: int, label: str = "PERSON", id: str | None = None, text: str | None = None,
        qid: str | None = None) -> Entity:
    return Entity(id or f"e{start}", start, end, label, text or f"t{start}", qid)


def stance(holder: str, label: str, target: str = TARGET, id: str | None = None) -> Stance:
    return Stance(id or f"s-{holder}-{target}", holder, target, label, (Evidence(0, 1, "x"),))


def deb(start: int, end: int, reason: str = "advertising") -> Debris:
    return Debris(start, end, reason, "x" * (end - start))


def aset(annotator: str, entities=(), stances=(), cleaning=(), article: str = "a1") -> AnnotationSet:
    return AnnotationSet(article, annotator, "0" * 64, tuple(cleaning), tuple(entities), tuple(stances))


def author_stances(annotator: str, labels: list[str | None], article: str = "a1") -> AnnotationSet:
    """One @author stance per target t0, t1, ...; None leaves the target out."""
    return aset(annotator, stances=[stance(AUTHOR, label, f"t{i}") for i, label in enumerate(labels) if label],
                article=article)


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


entity_sets = st.sets(st.tuples(st.integers(0, 30), st.integers(1, 5), st.sampled_from(["PERSON", "ORG", "GPE"])),
                      max_size=8).map(lambda items: [ent(s, s + n, label, id=f"e{i}")
                                                     for i, (s, n, label) in enumerate(sorted(items))])
debris_lists = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 10)), max_size=4).map(
    lambda items: [deb(s, s + n) for s, n in items])


@given(entity_sets, entity_sets, debris_lists, debris_lists)
def test_f1_is_symmetric_bounded_and_one_on_identical_sets(ea, eb, da, db):
    a, b = aset("a", ea, cleaning=da), aset("b", eb, cleaning=db)
    ab, ba = compare_pair(a, b, 100), compare_pair(b, a, 100)
    for pair in (ab, ba):
        assert 0.0 <= f1_of(pair.entity_matched, pair.entity_annotated) <= 1.0
        assert 0.0 <= f1_of(pair.debris_matched, pair.debris_annotated) <= 1.0
    assert (ab.entity_matched, ab.entity_annotated) == (ba.entity_matched, ba.entity_annotated)
    assert (ab.debris_matched, ab.debris_annotated) == (ba.debris_matched, ba.debris_annotated)
    same = compare_pair(a, aset("b", ea, cleaning=da), 100)
    assert f1_of(same.entity_matched, same.entity_annotated) == 1.0
    assert f1_of(same.debris_matched, same.debris_annotated) == 1.0


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
    assert entity_units([set_items(s) for s in (a, b, c)]) == [
        (("a", "PERSON"), ("b", "PERSON"), ("c", "PERSON")),
        (("a", "ORG"), ("b", "GPE"), ("c", "O")),
        (("a", "O"), ("b", "O"), ("c", "DATE"))]
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


def test_alpha_without_pairable_units():
    assert alpha([(("a", "favor"),), (("b", "against"),)]) == Coefficient(None, 0, NO_ITEMS)
    assert stance_units([set_items(author_stances("a", ["favor"])), set_items(author_stances("b", [None, "against"]))]) == [
        (("a", "favor"),), (("b", "against"),)]


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


# --- the report ---------------------------------------------------------------------------------

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


def test_votes_describe_each_place():
    a = aset("a", [ent(0, 7, "ORG", text="Kremlin")], [stance(AUTHOR, "favor")], [deb(10, 14, "promotion")])
    b = aset("b", [ent(0, 7, "GPE", text="Kremlin")], [stance(AUTHOR, "favor")])
    described = [(v.describe(), v.unanimous) for v in votes([b, a])]
    assert described == [("entity [0, 7) 'Kremlin': a ORG, b GPE", False),
                         (f"stance @author -> {TARGET}: a favor, b favor", True),
                         ("debris [10, 14) 'xxxx': a promotion, b (none)", False)]


def test_disagreement_count_joins_two_labels_at_one_place():
    a = aset("a", [ent(0, 5, "ORG"), ent(0, 5, "GPE", id="e0b")])  # an invalid set: two labels on one span
    assert disagreement_count([a, aset("b", [ent(0, 5, "GPE"), ent(0, 5, "ORG", id="e0b")])]) == 0
    assert disagreement_count([a, aset("b", [ent(0, 5, "GPE")])]) == 1


def test_disagreement_count_merges_the_sets_of_one_annotator():
    sets = [aset("a", [ent(0, 5)]), aset("a", cleaning=[deb(6, 9)]), aset("b", [ent(0, 5)], cleaning=[deb(6, 9)])]
    assert disagreement_count(sets) == sum(not v.unanimous for v in votes(sets)) == 0


def test_disagreement_count_of_one_annotator_and_of_none():
    assert disagreement_count([aset("a", [ent(0, 5)], [stance(AUTHOR, "favor")])]) == 0
    assert disagreement_count([]) == 0


stance_lists = st.lists(st.tuples(st.sampled_from([AUTHOR, "e0", "e6"]), st.sampled_from(["t0", "t1"]),
                                  st.sampled_from(["favor", "against"])), max_size=4).map(
    lambda items: [stance(holder, label, target, id=f"s{i}") for i, (holder, target, label) in enumerate(items)])


@given(st.lists(st.tuples(entity_sets, stance_lists, debris_lists), min_size=1, max_size=4))
def test_disagreement_count_is_the_count_of_votes_not_unanimous(contents):
    sets = [aset(f"a{i % 3}", [*entities, ent(0, 5, id="e0"), ent(6, 9, id="e6")], stances, cleaning)
            for i, (entities, stances, cleaning) in enumerate(contents)]
    assert disagreement_count(sets) == sum(not v.unanimous for v in votes(sets))


def test_group_by_article_sorts():
    grouped = group_by_article([aset("b", article="z"), aset("a", article="z"), aset("a", article="m")])
    assert list(grouped) == ["m", "z"]
    assert [s.annotator for s in grouped["z"]] == ["a", "b"]


# --- per-item agreement -------------------------------------------------------------------------

def item_agreement(aset, sets):
    """The per-item agreement of ``aset`` among the article's ``sets``."""
    comparison = compare_article(sets)
    return item_agreements(comparison)[comparison.sets.index(aset)]


def test_item_agreement_shares_of_the_other_annotators():
    a = aset("a", [ent(0, 5, id="x"), ent(6, 9, id="y")], [stance(AUTHOR, "favor", id="s")], [deb(0, 10)])
    b = aset("b", [ent(0, 5)], [stance(AUTHOR, "favor")], [deb(0, 10)])
    c = aset("c", [ent(0, 5), ent(6, 9, "ORG")], [stance(AUTHOR, "against")], [deb(5, 15)])
    gold = aset("gold", [ent(6, 9)])
    item = item_agreement(a, [c, gold, a, b])
    assert item.entities == {"x": 1.0, "y": 0.0}
    assert item.stances == {"s": 0.5}
    assert item.debris == pytest.approx((1.0 + 0.5) / 2)


def test_item_agreement_counts_no_set_of_the_same_annotator():
    a = aset("a", [ent(0, 5, id="x"), ent(6, 9, id="y")])
    again = aset("a", [ent(6, 9, id="y")])
    item = item_agreement(a, [a, again, aset("b", [ent(0, 5)])])
    assert item.entities == {"x": 1.0, "y": 0.0}


def test_item_agreement_without_others_is_none():
    a = aset("a", [ent(0, 5, id="x")], [stance(AUTHOR, "favor", id="s")])
    item = item_agreement(a, [a, aset("gold")])
    assert (item.entities, item.stances, item.debris) == ({"x": None}, {"s": None}, None)
    assert item_agreements(compare_article([aset("gold")])) == ()


@given(entity_sets, entity_sets, entity_sets)
def test_item_agreement_is_a_share(ea, eb, ec):
    a = aset("a", ea)
    item = item_agreement(a, [a, aset("b", eb), aset("c", ec)])
    assert set(item.entities) == {e.id for e in ea}
    assert all(v in (0.0, 0.5, 1.0) for v in item.entities.values())
    assert item_agreement(a, [a, aset("b", ea)]).entities == {e.id: 1.0 for e in ea}


# --- the fast paths: each set's items made once, the entry's text written directly ---------------


def item_agreement_by_definition(aset, others):
    """One set's figures of item_agreements, as they read before the C-level maps and the comparison
    of the article's sets shared with its figures."""
    others = [o for o in others if not o.is_gold and o.annotator != aset.annotator]
    if not others:
        return {e.id: None for e in aset.entities}, {s.id: None for s in aset.stances}, None
    entity_support = Counter(key for o in others for key in entity_keys(o))
    stance_support = Counter(key for o in others for key in set(stance_keys(o)))
    mine = debris_ranges(aset)
    debris = [f1_of(shared_chars(mine, theirs), covered(mine) + covered(theirs))
              for theirs in (debris_ranges(o) for o in others)]
    return ({e.id: entity_support[e.start, e.end, e.label] / len(others) for e in aset.entities},
            {s.id: stance_support[key] / len(others) for s, key in zip(aset.stances, stance_keys(aset))},
            sum(debris) / len(debris))


# sets that are not always plain: two entities on one span, two stances on one (holder, target), two
# debris spans at one place, an empty label; and one annotator with two sets
any_labels = st.sampled_from(["PERSON", "ORG", "GPE", ""])
loose_entities = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 4), any_labels), max_size=8).map(
    lambda items: [ent(s, s + n, label, id=f"e{i}") for i, (s, n, label) in enumerate(items)])
reasons = st.sampled_from(["advertising", "promotion", ""])
loose_debris = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 10), reasons), max_size=4).map(
    lambda items: [deb(s, s + n, reason) for s, n, reason in items])
loose_sets = st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), loose_entities, stance_lists, loose_debris),
                      min_size=1, max_size=4).map(
    lambda contents: [aset(annotator, [*entities, ent(0, 5, id="e0"), ent(6, 9, id="e6")], stances, cleaning)
                      for annotator, entities, stances, cleaning in contents])


@given(loose_sets)
def test_disagreements_and_unanimous_places_agree_with_the_votes(sets):
    items = [set_items(s) for s in sets]
    assert disagreements(items) == disagreement_count(sets) == sum(not v.unanimous for v in votes(sets))
    agreed = unanimous_places(items)
    if len({s.annotator for s in sets}) == len(sets) and all(x.plain for x in items):
        assert agreed == {(v.kind, v.place) for v in votes(sets) if v.unanimous}
    else:
        assert agreed is None


def test_valid_sets_are_plain_and_unanimous_places_need_one_set_per_annotator():
    a = aset("a", [ent(0, 5), ent(6, 9, "ORG")], [stance(AUTHOR, "favor")], [deb(10, 12)])
    assert set_items(a).plain
    assert unanimous_places([set_items(a), set_items(replace(a, annotator="b"))]) == {
        ("entity", (0, 5)), ("entity", (6, 9)), ("stance", (AUTHOR, TARGET)), ("debris", (10, 12))}
    assert unanimous_places([set_items(a), set_items(a)]) is None  # one annotator twice: "PERSON+PERSON"
    assert unanimous_places([]) is None
    assert not set_items(aset("a", [ent(0, 5), ent(0, 5, "ORG", id="x")])).plain


@given(loose_sets, st.data())
def test_votes_skip_only_the_places_asked(sets, data):
    every = votes(sets)
    skip = set(data.draw(st.lists(st.sampled_from([(v.kind, v.place) for v in every]), max_size=4))) if every else set()
    assert votes(sets, skip=skip) == tuple(v for v in every if (v.kind, v.place) not in skip)


@given(loose_sets)
def test_item_agreement_equals_the_definition(sets):
    comparison = compare_article(sets)
    for s, item in zip(comparison.sets, item_agreements(comparison)):
        entities, stances, debris = item_agreement_by_definition(s, comparison.sets)
        assert (item.entities, item.stances, item.debris) == (entities, stances, debris)
        assert list(item.entities) == list(entities)


# --- the command --------------------------------------------------------------------------------

@pytest.fixture()
def folders(tmp_path):
    corpus, annotations = tmp_path / "corpus", tmp_path / "annotations"
    write_article(corpus, "art1", ARTICLE)
    write_annotation(annotations, annotation("art1", ARTICLE, "team-a", entities=default_entities(),
                                             stances=default_stances()))
    write_annotation(annotations, annotation("art1", ARTICLE, "team-b", entities=default_entities(),
                                             stances=default_stances(kremlin="neutral")))
    return corpus, annotations


def test_cli_prints_the_table(folders, capsys):
    corpus, annotations = folders
    assert main(["agreement", "--corpus", str(corpus), "--annotations", str(annotations)]) == 0
    out = capsys.readouterr().out
    assert "Entities: exact-span F1" in out and "1.000" in out
    assert "art1" in out


def test_cli_prints_json(folders, capsys):
    corpus, annotations = folders
    assert main(["agreement", "--corpus", str(corpus), "--annotations", str(annotations), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["corpus"]["entities"]["f1"] == 1.0
    assert data["corpus"]["stances"]["kappa"]["items"] == 2
    assert data["corpus"]["debris"]["char_kappa"]["items"] == len(ARTICLE)


def test_cli_refuses_a_missing_annotations_folder(tmp_path):
    with pytest.raises(InputError, match=r"E706 .*annotations folder .*nowhere does not exist"):
        from builder.cli.agreement import run
        run(type("Args", (), {"annotations": str(tmp_path / "nowhere"), "corpus": str(tmp_path), "json": False})())
    assert main(["agreement", "--annotations", str(tmp_path / "nowhere")]) == 1


def test_cli_exits_1_on_annotation_problems(folders, capsys):
    corpus, annotations = folders
    (annotations / "team-a" / "art1.json").write_text("{", encoding="utf-8")
    assert main(["agreement", "--corpus", str(corpus), "--annotations", str(annotations)]) == 1
    assert "E001" in capsys.readouterr().err
