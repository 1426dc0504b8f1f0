"""Tests of builder/agreement/votes.py: the places annotators vote on, and those they are not unanimous on.

Fixtures are the small AnnotationSet records of tests/agreement_sets.py; each fast path
(``disagreements``, ``unanimous_places``, ``votes(skip=...)``) is checked against the votes.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from agreement_sets import (TARGET, aset, deb, debris_lists, ent, entity_sets, loose_sets, stance,
                            stance_lists)
from builder.agreement.items import set_items
from builder.agreement.votes import disagreement_count, disagreements, unanimous_places, votes
from builder.records import AUTHOR


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


@given(st.lists(st.tuples(entity_sets, stance_lists, debris_lists), min_size=1, max_size=4))
def test_disagreement_count_is_the_count_of_votes_not_unanimous(contents):
    sets = [aset(f"a{i % 3}", [*entities, ent(0, 5, id="e0"), ent(6, 9, id="e6")], stances, cleaning)
            for i, (entities, stances, cleaning) in enumerate(contents)]
    assert disagreement_count(sets) == sum(not v.unanimous for v in votes(sets))


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


