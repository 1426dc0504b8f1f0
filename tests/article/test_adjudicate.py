"""Tests of builder/article/adjudicate.py: the gold policy (adjudicated, majority, agreed-only, single).

Fixtures are small AnnotationSet records over TEXT, so that a span's text is ``TEXT[start:end]``.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.agreement.compare import compare_article
from builder.agreement.items import set_items
from builder.article.adjudicate import choose_gold, flat, flat_by_votes, gold_qid, majority_vote, merge_evidence, no_overlap
from builder.errors import InputError
from builder.records import AUTHOR, AnnotationSet, Debris, Decision, Entity, Evidence, Stance

TEXT = "Putin met Trump in Alaska on Friday. Kyiv said no. " * 3
TARGET = "us-peace-plan-2025"
PUTIN, TRUMP, ALASKA, FRIDAY, KYIV = (0, 5), (10, 15), (19, 25), (29, 35), (37, 41)


def ent(span: tuple[int, int], label: str = "PERSON", id: str | None = None, qid: str | None = None) -> Entity:
    return Entity(id or f"e{span[0]}", span[0], span[1], label, TEXT[span[0]:span[1]], qid)


def ev(start: int, end: int) -> Evidence:
    return Evidence(start, end, TEXT[start:end])


def stance(holder: str, label: str, evidence=((37, 50),), target: str = TARGET, id: str | None = None) -> Stance:
    return Stance(id or f"s-{holder}", holder, target, label, tuple(ev(*v) for v in evidence))


def deb(start: int, end: int, reason: str = "navigation") -> Debris:
    return Debris(start, end, reason, TEXT[start:end])


def aset(annotator: str, entities=(), stances=(), cleaning=(), article: str = "a1", path=None) -> AnnotationSet:
    return AnnotationSet(article, annotator, "0" * 64, tuple(cleaning), tuple(entities), tuple(stances), path)


def keys(gold: AnnotationSet) -> list[tuple]:
    return [(e.start, e.end, e.label) for e in gold.entities]


# --- adjudicated --------------------------------------------------------------------------------

def test_adjudicated_set_wins():
    gold = aset("gold", [ent(PUTIN, "ORG")])
    chosen = choose_gold("a1", [aset("a", [ent(PUTIN)]), gold, aset("b", [ent(PUTIN)])])
    assert chosen.gold is gold
    assert (chosen.source, chosen.disagreements) == ("adjudicated", ())


def test_adjudicated_set_wins_even_alone():
    gold = aset("gold", [ent(PUTIN)])
    assert choose_gold("a1", [gold]).source == "adjudicated"


# --- majority -----------------------------------------------------------------------------------

def three_annotators() -> list[AnnotationSet]:
    return [
        aset("a", [ent(PUTIN, qid="Q7747", id="p"), ent(ALASKA, "GPE"), ent(KYIV, "GPE", id="k")],
             [stance("p", "against", [(0, 8)]), stance("k", "against", [(37, 50)])], [deb(100, 120)]),
        aset("b", [ent(PUTIN, qid="Q7747", id="x"), ent(ALASKA, "LOC"), ent(KYIV, "GPE", id="y")],
             [stance("x", "against", [(4, 12)]), stance("y", "against", [(37, 50)])], [deb(100, 120)]),
        aset("c", [ent(PUTIN, id="z"), ent(ALASKA, "FAC"), ent(FRIDAY, "DATE")],
             [stance("z", "favor", [(0, 20)])], [deb(100, 120, "boilerplate")]),
    ]


def test_majority_of_three():
    chosen = choose_gold("a1", three_annotators())
    gold = chosen.gold
    assert chosen.source == "majority"
    assert gold.annotator == "gold" and gold.adjudicated_from == ("a", "b", "c")
    assert keys(gold) == [(*PUTIN, "PERSON"), (*KYIV, "GPE")]  # Alaska: GPE/LOC/FAC, no majority; Friday: 1 of 3
    assert [e.id for e in gold.entities] == ["e1", "e2"]
    assert gold.entities[0].qid == "Q7747"
    # stances in (holder key, target) order: 'Q7747' sorts before 'kyiv'; c's Putin has no QID, so another holder
    assert [(s.id, s.holder, s.label) for s in gold.stances] == [("s1", "e1", "against"), ("s2", "e2", "against")]
    assert gold.stances[0].evidence == (ev(0, 12),)  # union of a's [0, 8) and b's [4, 12)
    assert gold.cleaning == (deb(100, 120),)


def test_majority_lists_every_place_not_unanimous_with_its_outcome():
    chosen = choose_gold("a1", three_annotators())
    assert chosen.disagreements == (
        "entity [19, 25) 'Alaska': a GPE, b LOC, c FAC -> left out (no label has a majority)",
        "entity [29, 35) 'Friday': a (none), b (none), c DATE -> left out (no label has a majority)",
        "entity [37, 41) 'Kyiv': a GPE, b GPE, c (none) -> gold GPE (2 of 3)",
        "stance 'Putin' (key 'Q7747') -> us-peace-plan-2025: a against, b against, c (none) -> gold against (2 of 3)",
        "stance 'Kyiv' (key 'kyiv') -> us-peace-plan-2025: a against, b against, c (none) -> gold against (2 of 3)",
        "stance 'Putin' (key 'putin') -> us-peace-plan-2025: a (none), b (none), c favor "
        "-> left out (no label has a majority)",
        f"debris [100, 120) {TEXT[100:120]!r}: a navigation, b navigation, c boilerplate -> gold navigation (2 of 3)",
    )
    assert chosen.gold.decisions[0] == Decision(
        "entity [19, 25) 'Alaska': a GPE, b LOC, c FAC", "left out (no label has a majority)",
        "majority vote of 3 annotators: an item is gold when more than half have it")
    assert len(chosen.gold.decisions) == len(chosen.disagreements)


def test_majority_of_four_needs_three():
    sets = [aset(a, [ent(PUTIN)] if a in "ab" else [ent(PUTIN, "ORG")]) for a in "abcd"]
    chosen = choose_gold("a1", sets)
    assert chosen.gold.entities == ()
    assert chosen.disagreements == ("entity [0, 5) 'Putin': a PERSON, b PERSON, c ORG, d ORG "
                                    "-> left out (no label has a majority)",)


def test_majority_is_not_refused_without_the_flag():
    assert choose_gold("a1", three_annotators(), allow_unadjudicated=False).source == "majority"


def test_overlapping_majority_entities_keep_one_and_list_it():
    # a marks two overlapping spans (an invalid set); each gets 2 of 3 votes, same length: the earlier stays
    sets = [aset("a", [ent((0, 10), "ORG", id="a1"), ent((5, 15), "GPE", id="a2")]),
            aset("b", [ent((0, 10), "ORG")]), aset("c", [ent((5, 15), "GPE")])]
    chosen = choose_gold("a1", sets)
    assert keys(chosen.gold) == [(0, 10, "ORG")]
    assert chosen.disagreements[1] == (
        f"entity [5, 15) {TEXT[5:15]!r}: a GPE, b (none), c GPE -> left out: GPE overlaps [0, 10) ORG, "
        "kept with more votes, a longer span or an earlier start")


def test_overlap_prefers_more_votes_then_the_longer_span():
    sets = [aset("a", [ent((0, 4)), ent((2, 10))]), aset("b", [ent((0, 4)), ent((2, 10))]), aset("c", [ent((0, 4))])]
    assert keys(choose_gold("a1", sets).gold) == [(0, 4, "PERSON")]  # 3 votes beat 2
    sets = [aset("a", [ent((0, 4)), ent((2, 10))]), aset("b", [ent((0, 4))]), aset("c", [ent((2, 10))])]
    assert keys(choose_gold("a1", sets).gold) == [(2, 10, "PERSON")]  # same votes, longer


def test_stance_holder_found_by_key_when_the_named_mentions_are_not_gold():
    # a and b hold the stance with a mention gold leaves out, but gold has another Putin mention (same QID)
    sets = [aset("a", [ent(PUTIN, qid="Q7747"), ent((51, 56), "ORG", id="p", qid="Q7747")], [stance("p", "favor")]),
            aset("b", [ent(PUTIN, qid="Q7747"), ent((51, 56), "NORP", id="q", qid="Q7747")], [stance("q", "favor")])]
    chosen = choose_gold("a1", sets, allow_unadjudicated=True)
    assert keys(chosen.gold) == [(*PUTIN, "PERSON")]
    assert [(s.holder, s.label) for s in chosen.gold.stances] == [("e1", "favor")]


def test_stance_without_a_gold_holder_is_left_out_and_listed():
    sets = [aset("a", [ent(TRUMP, "PERSON", id="t")], [stance("t", "favor")]),
            aset("b", [ent(TRUMP, "ORG", id="t")], [stance("t", "favor")])]
    chosen = choose_gold("a1", sets, allow_unadjudicated=True)
    assert chosen.gold.stances == () and chosen.gold.entities == ()
    assert chosen.disagreements[-1] == ("stance 'Trump' (key 'trump') -> us-peace-plan-2025: a favor, b favor "
                                        "-> left out: favor has a majority, but its holder has no entity in gold")


def test_author_stances_and_different_qids():
    sets = [aset(a, [ent(PUTIN, qid=q)], [stance(AUTHOR, "neutral", [(0, 3)] if a == "a" else [(20, 25)])])
            for a, q in (("a", "Q1"), ("b", "Q2"), ("c", "Q2"))]
    chosen = choose_gold("a1", sets)
    assert chosen.gold.entities[0].qid == "Q2"
    assert chosen.gold.stances[0].holder == AUTHOR
    assert chosen.gold.stances[0].evidence == (ev(0, 3), ev(20, 25))
    assert chosen.disagreements == ("entity [0, 5) 'Putin' PERSON: QIDs Q1 (1), Q2 (2) -> gold Q2",)


def test_merge_evidence():
    assert merge_evidence([ev(4, 10), ev(0, 6), ev(4, 10), ev(12, 14), ev(13, 14)]) == (ev(0, 10), ev(12, 14))


# --- two annotators -----------------------------------------------------------------------------

def two_annotators() -> list[AnnotationSet]:
    return [aset("b", [ent(PUTIN, id="p"), ent(ALASKA, "GPE")], [stance("p", "against")], [deb(100, 110)],
                 path=Path("annotations/b/a1.json")),
            aset("a", [ent(PUTIN, id="x"), ent(ALASKA, "LOC")], [stance("x", "against")], [deb(100, 110), deb(120, 130)],
                 path=Path("annotations/a/a1.json"))]


def test_two_annotators_who_agree():
    sets = [aset(a, [ent(PUTIN)], [stance("e0", "favor")]) for a in "ab"]
    chosen = choose_gold("a1", sets)
    assert (chosen.source, chosen.disagreements) == ("agreed-only", ())
    assert keys(chosen.gold) == [(*PUTIN, "PERSON")]


def test_two_annotators_who_disagree_are_refused():
    with pytest.raises(InputError, match=r"E115 annotations/gold/a1\.json: article a1 \(disagreements: entity \[19, 25\) "
                                         r"'Alaska': a LOC, b GPE -> left out \(not agreed\); debris \[120, 130\) .*\): "
                                         r"article 'a1' has annotation sets but no gold set, and its annotators "
                                         r"disagree on 2 item\(s\)"):
        choose_gold("a1", two_annotators())


def test_allow_unadjudicated_keeps_only_agreed_items_and_lists_the_rest():
    chosen = choose_gold("a1", two_annotators(), allow_unadjudicated=True)
    assert chosen.source == "agreed-only"
    assert keys(chosen.gold) == [(*PUTIN, "PERSON")]
    assert [(s.holder, s.label) for s in chosen.gold.stances] == [("e1", "against")]
    assert chosen.gold.cleaning == (deb(100, 110),)
    assert chosen.disagreements == (
        "entity [19, 25) 'Alaska': a LOC, b GPE -> left out (not agreed)",
        f"debris [120, 130) {TEXT[120:130]!r}: a navigation, b (none) -> left out (not agreed)")
    assert chosen.gold.decisions[0].reason == "not adjudicated: only the items both annotators agree on are gold"


# --- one annotator ------------------------------------------------------------------------------

def test_single_annotator_is_gold():
    one = aset("a", [ent(KYIV, "GPE", id="k"), ent(PUTIN, id="p")], [stance("k", "against")], [deb(100, 110)])
    chosen = choose_gold("a1", [one])
    assert (chosen.source, chosen.disagreements) == ("single", ())
    assert keys(chosen.gold) == [(*PUTIN, "PERSON"), (*KYIV, "GPE")]
    assert [(s.holder, s.label, s.evidence) for s in chosen.gold.stances] == [("e2", "against", one.stances[0].evidence)]
    assert chosen.gold.cleaning == one.cleaning
    assert chosen.gold.adjudicated_from == ("a",) and chosen.gold.decisions == ()


# --- wrong input --------------------------------------------------------------------------------

def test_no_sets_is_an_error():
    with pytest.raises(InputError, match=r"E701 .*no annotation set was given for article 'a1'"):
        choose_gold("a1", [])


def test_set_of_another_article_is_an_error():
    with pytest.raises(InputError, match=r"E702 .*a set of article 'a2' \(annotator 'b'\) was given with the sets of article 'a1'"):
        choose_gold("a1", [aset("a"), aset("b", article="a2")])


def test_two_sets_of_one_annotator_is_an_error():
    with pytest.raises(InputError, match=r"E703 .*annotator 'a' has 2 sets for article 'a1'"):
        choose_gold("a1", [aset("a"), aset("a"), aset("b")])


# --- properties ---------------------------------------------------------------------------------

SLOTS = [(0, 5), (10, 15), (19, 25), (29, 35), (37, 41)]  # non-overlapping entity spans


@st.composite
def annotation_sets(draw, annotator: str) -> AnnotationSet:
    chosen = draw(st.lists(st.sampled_from(range(len(SLOTS))), unique=True, max_size=len(SLOTS)))
    entities = [ent(SLOTS[i], draw(st.sampled_from(["PERSON", "ORG"])), id=f"{annotator}{i}",
                    qid=draw(st.sampled_from([None, "Q1", "Q2"]))) for i in sorted(chosen)]
    holders = draw(st.lists(st.sampled_from([AUTHOR] + [e.id for e in entities]), unique=True, max_size=3))
    stances = [stance(h, draw(st.sampled_from(["favor", "against"])), id=f"s{i}") for i, h in enumerate(holders)]
    # one stance per (holder key, target), as the validator requires
    seen, unique = set(), []
    for s in stances:
        e = next((e for e in entities if e.id == s.holder), None)
        key = AUTHOR if e is None else (e.qid or e.text.lower())
        if key not in seen:
            seen.add(key)
            unique.append(s)
    return aset(annotator, entities, unique)


@given(st.integers(1, 4).flatmap(lambda n: st.tuples(*(annotation_sets(a) for a in "abcd"[:n]))))
def test_gold_ids_are_unique_holders_resolve_and_entities_are_flat(sets):
    chosen = choose_gold("a1", list(sets), allow_unadjudicated=True)
    gold = chosen.gold
    ids = [e.id for e in gold.entities]
    assert len(ids) == len(set(ids))
    assert all(s.holder == AUTHOR or s.holder in ids for s in gold.stances)
    spans = sorted((e.start, e.end) for e in gold.entities)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    assert len({(s.holder, s.target) for s in gold.stances}) == len(gold.stances)
    if len(sets) == 1:
        assert keys(gold) == sorted((e.start, e.end, e.label) for e in sets[0].entities)
        assert chosen.disagreements == ()


# --- the fast paths against their definitions ---------------------------------------------------

spans = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12), st.sampled_from(["PERSON", "ORG"])), unique=True,
                 max_size=8)


@given(spans, st.data())
def test_flat_equals_flat_by_votes(candidates, data):
    support = {key: [None] * data.draw(st.integers(1, 3)) for key in candidates}
    assert flat(candidates, support) == flat_by_votes(candidates, support)


@given(spans)
def test_no_overlap_is_no_overlapping_pair(candidates):
    in_order = sorted(candidates)
    overlapping = any(a[0] < b[1] and b[0] < a[1] for a, b in combinations(in_order, 2))
    if no_overlap(in_order):
        assert not overlapping
    elif all(start <= end for start, end, _ in in_order):
        assert overlapping


@given(st.lists(st.sampled_from([None, "", "Q1", "Q2", "Q3"]), min_size=1, max_size=5))
def test_gold_qid_is_the_most_common_qid(qids):
    counts = Counter(q for q in qids if q)
    expected = min(counts, key=lambda q: (-counts[q], q)) if counts else None
    assert gold_qid([ent(PUTIN, qid=q) for q in qids]) == (expected, counts if len(counts) > 1 else None)


@given(st.integers(1, 4).flatmap(lambda n: st.tuples(*(annotation_sets(a) for a in "abcd"[:n]))))
def test_majority_vote_lists_what_the_full_votes_list(sets):
    """Votes skipped as unanimous and gold are the ones majority_vote would have left out."""
    ordered = sorted(sets, key=lambda s: s.annotator)
    gold, lines = majority_vote(ordered)
    with patch("builder.article.adjudicate.unanimous_places", lambda items: None):  # every vote made
        assert majority_vote(ordered) == (gold, lines)


@given(st.integers(1, 4).flatmap(lambda n: st.tuples(*(annotation_sets(a) for a in "abcd"[:n]))))
def test_gold_from_the_comparisons_items_is_the_same(sets):
    """The build hands the gold choice the items its comparison of the article made."""
    comparison = compare_article(sets, len(TEXT))
    given = choose_gold("a1", sets, allow_unadjudicated=True, items=comparison.items)
    assert given == choose_gold("a1", sets, allow_unadjudicated=True)


def test_items_of_other_sets_are_refused():
    sets = two_annotators()
    with pytest.raises(ValueError, match="not those of the sets"):
        majority_vote(sets, [set_items(s) for s in reversed(sets)])
    with pytest.raises(ValueError, match="not those of the sets"):
        majority_vote(sets, [set_items(sets[0])])
