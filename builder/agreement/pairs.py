"""Two annotators' sets of one article -> what the pair adds to the agreement totals (``PairCounts``).

The sets of one article are compared pair by pair (the pair's first annotator is the smaller id);
each pair gives its counts, which are summed over every pair of every article before each figure
is computed once (``corpus.pooled``, coefficients.py). With the text length, a pair also counts the
debris characters (both, A only, B only, neither), for the debris kappa over every character.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import combinations
from typing import NamedTuple

from builder.agreement.items import ITEM_LABEL, SetItems, set_file, set_items
from builder.errors import InputError, problem
from builder.records import AnnotationSet


class PairCounts(NamedTuple):
    """What comparing two annotators' sets of one article adds to the totals."""

    entity_matched: int  # |A∩B| over (start, end, label)
    entity_annotated: int  # |A| + |B|
    entity_by_label: tuple[tuple[str, int, int], ...]  # (label, matched, annotated)
    stance_pairs: tuple[tuple[str, str], ...]  # (label of A, label of B) per (holder, target) both gave
    stance_unmatched: int  # (holder, target) pairs only one of the two gave
    debris_matched: int  # characters both mark as debris
    debris_annotated: int  # characters A marks + characters B marks
    debris_cells: tuple[int, int, int, int] | None  # characters: (both, A only, B only, neither); None without a length


def compare_pair(a: AnnotationSet, b: AnnotationSet, text_length: int | None = None) -> PairCounts:
    return compare_items(set_items(a), set_items(b), text_length)


def compare_all(sets: Sequence[AnnotationSet],
                text_length: int | None = None) -> tuple[list[PairCounts], list[SetItems]]:
    """``compare_pair`` of every pair of ``sets`` (in ``combinations`` order), and the items of each
    set (of none when there are fewer than two), each made once: when the set's first pair is
    compared, so that problems come as compare_pair raises them, pair by pair."""
    items: list[SetItems] = []
    pairs = []
    for i, j in combinations(range(len(sets)), 2):
        while len(items) <= j:  # (i, j) is the first pair of set j
            items.append(set_items(sets[len(items)]))
        pairs.append(compare_items(items[i], items[j], text_length))
    return pairs, items


def compare_items(a: SetItems, b: SetItems, text_length: int | None = None) -> PairCounts:
    ea, eb = a.kinds["entity"].distinct, b.kinds["entity"].distinct
    both = ea & eb
    matched, la, lb = Counter(map(ITEM_LABEL, both)), a.entity_labels, b.entity_labels
    by_label = tuple((label, matched.get(label, 0), la.get(label, 0) + lb.get(label, 0))
                     for label in sorted(la.keys() | lb.keys()))
    sa, sb = a.kinds["stance"].places, b.kinds["stance"].places
    ra, rb = a.debris, b.debris
    common, ca, cb = shared_chars(ra, rb), covered(ra), covered(rb)
    cells = None
    if text_length is not None:
        for aset, ranges in ((a.aset, ra), (b.aset, rb)):
            if ranges and ranges[-1][1] > text_length:
                raise InputError([problem("E705", set_file(aset), f"article {aset.article_id}",
                                          start=ranges[-1][0], end=ranges[-1][1], annotator=aset.annotator,
                                          length=text_length)])
        cells = (common, ca - common, cb - common, text_length - ca - cb + common)
    return PairCounts(
        entity_matched=len(both), entity_annotated=len(ea) + len(eb), entity_by_label=by_label,
        stance_pairs=tuple((sa[k], sb[k]) for k in sorted(sa.keys() & sb.keys())),
        stance_unmatched=len(sa.keys() ^ sb.keys()),
        debris_matched=common, debris_annotated=ca + cb, debris_cells=cells)


def covered(ranges: Sequence[tuple[int, int]]) -> int:
    return sum(end - start for start, end in ranges)


def shared_chars(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    """Characters in both of two merged range lists (sorted, none overlapping: as ``debris_ranges`` makes them)."""
    if a == b:  # as a rule, annotators mark the same debris
        return covered(a)
    total, i, j = 0, 0, 0
    while i < len(a) and j < len(b):
        total += max(0, min(a[i][1], b[j][1]) - max(a[i][0], b[j][0]))
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return total
