"""Tests of builder/agreement/pairs.py: the counts of one pair of annotators.

Fixtures are the small AnnotationSet records of tests/agreement_sets.py; the pairs made from set
items are checked against the definition they replaced.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agreement_sets import aset, deb, debris_lists, ent, entity_keys, entity_sets, loose_sets, stance
from builder.agreement.coefficients import f1_of
from builder.agreement.items import debris_ranges, stance_labels
from builder.agreement.pairs import PairCounts, compare_all, compare_pair, covered, shared_chars
from builder.errors import InputError
from builder.records import AUTHOR


def test_holders_match_by_qid_then_lowercased_text():
    a = aset("a", [ent(0, 5, id="p", text="Putin", qid="Q7747"), ent(10, 20, id="k", text="The Kremlin")],
             [stance("p", "against", id="s1"), stance("k", "against", id="s2"), stance(AUTHOR, "neutral", id="s3")])
    b = aset("b", [ent(40, 56, id="x", text="Vladimir  Putin", qid="Q7747"), ent(60, 70, id="y", text="the kremlin")],
             [stance("x", "against"), stance("y", "favor"), stance(AUTHOR, "neutral")])
    pair = compare_pair(a, b)
    assert sorted(pair.stance_pairs) == [("against", "against"), ("against", "favor"), ("neutral", "neutral")]
    assert pair.stance_unmatched == 0


@given(debris_lists, debris_lists, st.booleans())
def test_shared_chars_are_the_characters_both_mark(da, db, same):
    ra, rb = debris_ranges(aset("a", cleaning=da)), debris_ranges(aset("b", cleaning=da if same else db))
    chars = [{i for start, end in ranges for i in range(start, end)} for ranges in (ra, rb)]
    assert shared_chars(ra, rb) == len(chars[0] & chars[1])
    assert covered(ra) == len(chars[0])


# --- pairs of set items against the definition ------------------------------------------------

def compare_pair_by_definition(a, b, text_length=None) -> PairCounts:
    """compare_pair as it read before set items: every figure from the sets' keys, labels and ranges."""
    ka, kb = entity_keys(a), entity_keys(b)
    both = ka & kb
    matched, annotated = Counter(k[2] for k in both), Counter(k[2] for k in ka) + Counter(k[2] for k in kb)
    sa, sb = stance_labels(a), stance_labels(b)
    ra, rb = debris_ranges(a), debris_ranges(b)
    common, ca, cb = shared_chars(ra, rb), covered(ra), covered(rb)
    cells = None if text_length is None else (common, ca - common, cb - common, text_length - ca - cb + common)
    return PairCounts(len(both), len(ka) + len(kb), tuple((label, matched[label], annotated[label])
                                                          for label in sorted(annotated)),
                      tuple((sa[k], sb[k]) for k in sorted(sa.keys() & sb.keys())), len(sa.keys() ^ sb.keys()),
                      common, ca + cb, cells)


@given(loose_sets)
def test_pairs_of_set_items_equal_the_definition(sets):
    pairs, items = compare_all(sets, 100)
    assert pairs == [compare_pair_by_definition(a, b, 100) for a, b in combinations(sets, 2)]
    assert [x.aset for x in items] == (sets if len(sets) > 1 else [])
    assert all(compare_pair(a, b) == compare_pair_by_definition(a, b) for a, b in combinations(sets, 2))


def test_compare_all_raises_pair_by_pair_as_compare_pair():
    """The items of set c are made only when its first pair comes: a's debris beyond the text (E705, in
    pair a-b) is reported, not c's unknown holder (E109, first met in pair a-c)."""
    sets = [aset("a", cleaning=[deb(5, 20)]), aset("b"), aset("c", stances=[stance("e9", "favor")])]
    with pytest.raises(InputError, match=r"E705 .*debris \[5, 20\) of annotator 'a'"):
        compare_all(sets, 10)
    with pytest.raises(InputError, match=r"E109 .*stance holder 'e9' refers to no entity"):
        compare_all(sets, 30)


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
