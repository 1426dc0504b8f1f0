"""An article's annotation sets -> the items agreement compares, and what each pair of annotators adds to the totals.

Only the annotators' own sets are compared; gold sets are left out. The sets of one article are
compared pair by pair (the pair's first annotator is the smaller id); each pair gives its counts
(``PairCounts``), which agreement.py sums over every pair of every article before it computes
each figure once (coefficients.py).

- **Entities** are (start, end, label) items, matched exactly.
- **Stances** are (holder, target) items with a label. Holders are matched by the holder entity's
  QID, else its text lowercased (``builder.article.project.holder_key``); ``@author`` as such. Stances only
  one annotator of a pair gave are counted as ``unmatched``.
- **Debris** is the set of raw character positions an annotator marks, kept as merged ranges; with
  the text length, a pair also counts the characters (both, A only, B only, neither).

A build compares the sets of every article, so a set's items are made once (``set_items``,
remembered for the latest sets, which the gold choice, the annotations view and the article's
agreement share) and every pair is compared from them (``compare_all``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from operator import attrgetter, itemgetter
from typing import NamedTuple

from builder.errors import InputError, problem
from builder.article.project import holder_key
from builder.records import AUTHOR, AnnotationSet, columns

EntityKey = tuple[int, int, str]  # (start, end, label)
StanceKey = tuple[str, str, str]  # (holder key, target, label)

# Field getters of the records, in C: an article has a few hundred items, each read several times.
ENTITY_ID = attrgetter("id")
ENTITY_KEY = attrgetter("start", "end", "label")  # an EntityKey
ITEM_LABEL = itemgetter(1)  # the label of a (place, label) item
HOLDER_KEY = itemgetter(0)  # of a (holder key, mention text)


# --- items of one set -------------------------------------------------------------------------

def set_file(aset: AnnotationSet) -> str:
    return str(aset.path) if aset.path is not None else f"annotations/{aset.annotator}/{aset.article_id}.json"


def stance_holders(aset: AnnotationSet, ids: Sequence[str] | None = None) -> list[tuple[str, str]]:
    """(holder key, mention text) of each stance of ``aset``, in order; the key identifies the holder
    across annotators. ``ids`` are the set's entity ids in order, when the caller has them already."""
    if not aset.stances:
        return []
    if ids is None:
        ids = list(map(ENTITY_ID, aset.entities))
    found = []
    for stance in aset.stances:
        if stance.holder == AUTHOR:
            found.append((AUTHOR, AUTHOR))
            continue
        try:
            entity = aset.entities[ids.index(stance.holder)]  # the first entity with the id: a stance names few
        except ValueError:
            raise InputError([problem("E109", set_file(aset), f"article {aset.article_id}, stance {stance.id}",
                                      holder=stance.holder)]) from None
        found.append((holder_key(entity.qid, entity.text), entity.text))
    return found


def entity_keys(aset: AnnotationSet) -> set[EntityKey]:
    return set(map(ENTITY_KEY, aset.entities))


def stance_labels(aset: AnnotationSet) -> dict[tuple[str, str], str]:
    """(holder key, target) -> label."""
    return {(key, s.target): s.label for (key, _), s in zip(stance_holders(aset), aset.stances)}


def stance_keys(aset: AnnotationSet) -> list[StanceKey]:
    """(holder key, target, label) of each stance of ``aset``, in order."""
    return [(key, s.target, s.label) for (key, _), s in zip(stance_holders(aset), aset.stances)]


def debris_ranges(aset: AnnotationSet) -> tuple[tuple[int, int], ...]:
    """The debris spans as sorted, merged [start, end) ranges of raw character positions."""
    merged: list[list[int]] = []
    for start, end in sorted((d.start, d.end) for d in aset.cleaning if d.end > d.start):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


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


EntityItem = tuple[tuple[int, int], str]  # ((start, end), label): an EntityKey, nested as places are


@dataclass(frozen=True, slots=True)
class SetItems:
    """The items of one set as agreement compares them, made once per set (read-only: they are
    shared). An article's sets are compared by the gold choice (``unanimous_places``, ``votes``) and
    once as a whole (``agreement.compare_article``): pair by pair (``compare_items``), item by item
    for the annotations view and all together (``disagreements``).

    Each kind of item has its places (place -> label; where a set puts two items at one place, the
    later one): ``plain`` says whether they are the set's items, one per place, every label given."""

    aset: AnnotationSet
    ids: tuple[str, ...]  # of each entity of the set, in order
    entity_items: tuple[EntityItem, ...]  # of each entity of the set, in order
    entities: frozenset[EntityItem]  # entity_keys(aset), nested
    entity_labels: Mapping[str, int]  # label -> items of ``entities`` with it
    holders: tuple[tuple[str, str], ...]  # stance_holders(aset)
    stance_keys: tuple[StanceKey, ...]  # stance_keys(aset)
    stances: dict[tuple[str, str], str]  # stance_labels(aset): the stance places
    debris: tuple[tuple[int, int], ...]  # debris_ranges(aset)
    entity_places: dict[tuple[int, int], str]  # (start, end) -> label
    debris_places: dict[tuple[int, int], str]  # (start, end) -> reason
    plain: bool  # one item per place, every label non-empty: the places are labels_by_place([aset])

    def places(self) -> tuple[dict, dict, dict]:
        """place -> label of each kind, in PLACE_KINDS order."""
        return self.entity_places, self.stances, self.debris_places


RECENT_SETS = 8  # set_items remembers the items of this many sets, the latest ones
recent_items: dict[int, SetItems] = {}  # id(set) -> its items; an item holds its set, so the id stays its own


def set_items(aset: AnnotationSet) -> SetItems:
    """The items of ``aset``; the latest sets' are remembered by identity, since a build takes an
    article's sets through the gold choice and then the article's comparison."""
    known = recent_items.get(id(aset))
    if known is not None and known.aset is aset:
        return known
    items = make_set_items(aset)
    if len(recent_items) >= RECENT_SETS:
        del recent_items[next(iter(recent_items))]  # the oldest
    recent_items[id(aset)] = items
    return items


def make_set_items(aset: AnnotationSet) -> SetItems:
    ids, starts, ends, labels, _, _ = columns(aset.entities, 6)
    entity_items = tuple(zip(zip(starts, ends), labels))
    entity_places = dict(entity_items)
    one_per_span = len(entity_places) == len(entity_items)  # as in valid sets: then the items are distinct
    entities = frozenset(entity_items)
    entity_labels = Counter(labels if one_per_span else map(ITEM_LABEL, entities))
    holders = tuple(stance_holders(aset, ids))
    _, _, targets, stance_labels, _, _ = columns(aset.stances, 6)
    keys = tuple(zip(map(HOLDER_KEY, holders), targets, stance_labels))
    stances = dict(zip(zip(map(HOLDER_KEY, holders), targets), stance_labels))
    debris_starts, debris_ends, reasons, _ = columns(aset.cleaning, 4)
    debris_places = dict(zip(zip(debris_starts, debris_ends), reasons))
    plain = (one_per_span and len(stances) == len(keys) and len(debris_places) == len(reasons)
             and all(labels) and all(stance_labels) and all(reasons))
    return SetItems(aset, ids, entity_items, entities, entity_labels, holders, keys, stances, debris_ranges(aset),
                    entity_places, debris_places, plain)


# --- one pair of annotators -------------------------------------------------------------------

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
    both = a.entities & b.entities
    matched, la, lb = Counter(map(ITEM_LABEL, both)), a.entity_labels, b.entity_labels
    by_label = tuple((label, matched.get(label, 0), la.get(label, 0) + lb.get(label, 0))
                     for label in sorted(la.keys() | lb.keys()))
    sa, sb = a.stances, b.stances
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
        entity_matched=len(both), entity_annotated=len(a.entities) + len(b.entities), entity_by_label=by_label,
        stance_pairs=tuple((sa[k], sb[k]) for k in sorted(sa.keys() & sb.keys())),
        stance_unmatched=len(sa.keys() ^ sb.keys()),
        debris_matched=common, debris_annotated=ca + cb, debris_cells=cells)

