"""Tests of builder/agreement/items.py: the items of one set, each checked against its definition.

Fixtures are the small AnnotationSet records of tests/agreement_sets.py.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given

from agreement_sets import aset, deb, ent, loose_sets, stance
from builder.agreement.items import debris_ranges, entity_keys, set_items, stance_holders, stance_keys, stance_labels
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
        assert x.ids == tuple(e.id for e in s.entities)
        assert {(start, end, label) for (start, end), label in x.entities} == entity_keys(s)
        assert x.stance_keys == tuple(stance_keys(s)) and x.stances == stance_labels(s)
        assert x.holders == tuple(stance_holders(s)) and x.debris == debris_ranges(s)


def test_valid_sets_are_plain():
    a = aset("a", [ent(0, 5), ent(6, 9, "ORG")], [stance(AUTHOR, "favor")], [deb(10, 12)])
    assert set_items(a).plain
    assert not set_items(aset("a", [ent(0, 5), ent(0, 5, "ORG", id="x")])).plain
    assert not set_items(replace(a, cleaning=(deb(10, 12, ""),))).plain
