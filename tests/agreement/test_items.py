"""Tests of builder/agreement/items.py: the items of one set, each checked against its definition.

Fixtures are the small AnnotationSet records of tests/agreement_sets.py.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given

from agreement_sets import aset, deb, ent, entity_keys, loose_sets, stance
from builder.agreement.compare import compare_article, item_agreements
from builder.agreement.corpus import corpus_agreement
from builder.agreement.items import (KINDS, Kind, Placed, debris_ranges, set_items, span_where,
                                     stance_holders, stance_keys, stance_labels)
from builder.agreement.report import card_section
from builder.agreement.votes import disagreements, votes
from builder.errors import InputError
from builder.records import AUTHOR


def test_holder_keys_are_the_qid_else_the_lowercased_text():
    a = aset("a", [ent(0, 5, id="p", text="Putin", qid="Q7747"), ent(10, 20, id="k", text="The Kremlin")],
             [stance("p", "against"), stance("k", "favor"), stance(AUTHOR, "neutral")])
    assert stance_holders(a) == [("Q7747", "Putin"), ("the kremlin", "The Kremlin"), (AUTHOR, AUTHOR)]
    assert stance_keys(a)[0] == ("Q7747", "us-peace-plan-2025", "against")


def test_a_holder_that_is_no_entity_is_an_error():
    broken = aset("a", stances=[stance("e9", "favor", id="s1")])
    with pytest.raises(InputError, match=r"E109 .*annotations/a/a1\.json.*stance s1.*stance holder 'e9' refers to no entity"):
        set_items(broken)


def test_debris_ranges_are_sorted_and_merged():
    a = aset("a", cleaning=[deb(10, 12), deb(0, 4), deb(3, 6), deb(6, 8), deb(20, 20)])
    assert debris_ranges(a) == ((0, 8), (10, 12))


@given(loose_sets)
def test_set_items_equal_the_definitions(sets):
    for s in sets:
        x = set_items(s)
        assert x.aset is s
        entities, stances, debris = (x.kinds[kind] for kind in ("entity", "stance", "debris"))
        assert entities.ids == tuple(e.id for e in s.entities) and stances.ids == tuple(st.id for st in s.stances)
        assert {(start, end, label) for (start, end), label in entities.distinct} == entity_keys(s)
        assert x.stance_keys == tuple(stance_keys(s)) and stances.places == stance_labels(s)
        assert debris.items == tuple(((d.start, d.end), d.reason) for d in s.cleaning) and not debris.ids
        assert x.debris == debris_ranges(s)
        for kind in x.kinds.values():
            assert kind.distinct == set(kind.items) and kind.places == dict(kind.items)
        placed = KINDS["stance"].placed(s)
        assert tuple(zip(placed.places, placed.texts)) == tuple(
            ((key, st.target), text) for st, (key, text) in zip(s.stances, stance_holders(s)))


def test_valid_sets_are_plain():
    a = aset("a", [ent(0, 5), ent(6, 9, "ORG")], [stance(AUTHOR, "favor")], [deb(10, 12)])
    assert set_items(a).plain
    assert not set_items(aset("a", [ent(0, 5), ent(0, 5, "ORG", id="x")])).plain
    assert not set_items(replace(a, cleaning=(deb(10, 12, ""),))).plain


def linked_placed(aset):
    """A toy kind: the entities with a QID, labelled with it."""
    linked = [e for e in aset.entities if e.qid]
    return Placed(tuple((e.start, e.end) for e in linked), tuple(e.qid for e in linked), tuple(e.text for e in linked))


def test_a_registered_kind_is_voted_on_counted_shared_and_named(monkeypatch):
    monkeypatch.setitem(KINDS, "link", Kind(linked_placed, span_where, "a linked span",
                                            lambda aset: tuple(e.id for e in aset.entities if e.qid)))
    a = aset("a", [ent(0, 5, id="x", text="Putin", qid="Q7747")])
    b = aset("b", [ent(0, 5, text="Putin", qid="Q1")])
    assert [v.describe() for v in votes([a, b]) if not v.unanimous] == ["link [0, 5) 'Putin': a Q7747, b Q1"]
    assert disagreements([set_items(a), set_items(b)]) == 1
    assert item_agreements(compare_article([a, b]))[0].shares["link"] == {"x": 0.0}
    card = card_section(corpus_agreement({"a1": [a, b]}))
    assert "(an entity span, a holder-target pair, a debris span or a linked span)" in card
