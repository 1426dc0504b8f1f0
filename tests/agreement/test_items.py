"""Tests of builder/agreement_items.py: the items of one set and the counts of one pair of annotators.

Fixtures are the small AnnotationSet records of tests/test_agreement.py; each fast path is checked
against the definition it replaced.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.agreement.items import (RECENT_SETS, PairCounts, compare_all, compare_pair, covered, debris_ranges,
                                     entity_keys, set_items, shared_chars, stance_labels)
from builder.errors import InputError
from builder.records import AUTHOR
from agreement.test_corpus_agreement import aset, deb, debris_lists, ent, loose_sets, stance


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



# --- set items against the definition ---------------------------------------------------------

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


def test_set_items_are_remembered_for_the_latest_sets_by_identity():
    a = aset("a", [ent(0, 5)], [stance(AUTHOR, "favor")], [deb(10, 12)])
    assert set_items(a) is set_items(a)
    twin = replace(a)  # equal, but another set: its own items
    assert set_items(twin) is not set_items(a) and set_items(twin).aset is twin
    first = set_items(a)
    for i in range(RECENT_SETS):
        set_items(aset(f"x{i}"))
    again = set_items(a)
    assert again is not first and again == first


def test_compare_all_raises_pair_by_pair_as_compare_pair():
    """The items of set c are made only when its first pair comes: a's debris beyond the text (E705, in
    pair a-b) is reported, not c's unknown holder (E109, first met in pair a-c)."""
    sets = [aset("a", cleaning=[deb(5, 20)]), aset("b"), aset("c", stances=[stance("e9", "favor")])]
    with pytest.raises(InputError, match=r"E705 .*debris \[5, 20\) of annotator 'a'"):
        compare_all(sets, 10)
    with pytest.raises(InputError, match=r"E109 .*stance holder 'e9' refers to no entity"):
        compare_all(sets, 30)

