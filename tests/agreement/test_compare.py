"""Tests of builder/agreement/compare.py: one article's sets compared once, the alpha units and the
per-item agreement of the annotations view (checked against its definition).

Fixtures are the small AnnotationSet records of tests/agreement_sets.py.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given

from agreement_sets import aset, author_stances, deb, ent, entity_keys, entity_sets, loose_sets, stance
from builder.agreement.coefficients import f1_of
from builder.agreement.compare import compare_article, entity_units, item_agreements, stance_units
from builder.agreement.items import debris_ranges, set_items, stance_keys
from builder.agreement.pairs import covered, shared_chars
from builder.records import AUTHOR


def test_entity_units_are_the_span_union():
    a = aset("a", [ent(0, 5, "PERSON"), ent(10, 15, "ORG")])
    b = aset("b", [ent(0, 5, "PERSON"), ent(10, 15, "GPE")])
    c = aset("c", [ent(0, 5, "PERSON"), ent(20, 25, "DATE")])
    assert entity_units([set_items(s) for s in (a, b, c)]) == [
        (("a", "PERSON"), ("b", "PERSON"), ("c", "PERSON")),
        (("a", "ORG"), ("b", "GPE"), ("c", "O")),
        (("a", "O"), ("b", "O"), ("c", "DATE"))]


def test_stance_units_leave_out_who_gave_none():
    assert stance_units([set_items(author_stances("a", ["favor"])), set_items(author_stances("b", [None, "against"]))]) == [
        (("a", "favor"),), (("b", "against"),)]


def test_comparison_of_three_sets():
    sets = [aset("c"), aset("gold", [ent(0, 5)]), aset("a", [ent(0, 5)]), aset("b", [ent(0, 5)])]
    comparison = compare_article(sets, 10)
    assert comparison.annotators == ("a", "b", "c")
    assert [x.aset for x in comparison.items] == list(comparison.sets)
    assert len(comparison.pairs) == 3 and len(comparison.entity_units) == 1
    assert comparison.disagreements == 1


def test_comparison_of_fewer_than_two_sets_has_no_items():
    comparison = compare_article([aset("a", [ent(0, 5)])])
    assert (comparison.items, comparison.pairs, comparison.disagreements) == ((), (), 0)


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
    assert item.shares == {"entity": {"x": 1.0, "y": 0.0}, "stance": {"s": 0.5}}
    assert item.debris == pytest.approx((1.0 + 0.5) / 2)


def test_item_agreement_counts_no_set_of_the_same_annotator():
    a = aset("a", [ent(0, 5, id="x"), ent(6, 9, id="y")])
    again = aset("a", [ent(6, 9, id="y")])
    item = item_agreement(a, [a, again, aset("b", [ent(0, 5)])])
    assert item.shares["entity"] == {"x": 1.0, "y": 0.0}


def test_item_agreement_without_others_is_none():
    a = aset("a", [ent(0, 5, id="x")], [stance(AUTHOR, "favor", id="s")])
    item = item_agreement(a, [a, aset("gold")])
    assert (item.shares, item.debris) == ({"entity": {"x": None}, "stance": {"s": None}}, None)
    assert item_agreements(compare_article([aset("gold")])) == ()


@given(entity_sets, entity_sets, entity_sets)
def test_item_agreement_is_a_share(ea, eb, ec):
    a = aset("a", ea)
    item = item_agreement(a, [a, aset("b", eb), aset("c", ec)])
    assert set(item.shares["entity"]) == {e.id for e in ea}
    assert all(v in (0.0, 0.5, 1.0) for v in item.shares["entity"].values())
    assert item_agreement(a, [a, aset("b", ea)]).shares["entity"] == {e.id: 1.0 for e in ea}


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
@given(loose_sets)
def test_item_agreement_equals_the_definition(sets):
    comparison = compare_article(sets)
    for s, item in zip(comparison.sets, item_agreements(comparison)):
        entities, stances, debris = item_agreement_by_definition(s, comparison.sets)
        assert (item.shares, item.debris) == ({"entity": entities, "stance": stances}, debris)
        assert list(item.shares["entity"]) == list(entities)


