"""One annotation set -> the items agreement compares: entity, stance and debris places with their labels.

Only the annotators' own sets are compared; gold sets are left out.

- **Entities** are (start, end, label) items, matched exactly.
- **Stances** are (holder, target) items with a label. Holders are matched by the holder entity's
  QID, else its text lowercased (``builder.article.project.holder_key``); ``@author`` as such.
- **Debris** is the set of raw character positions an annotator marks, kept as merged ranges.

A set's items are made by ``set_items``, once per set by whoever compares it: the caller that
needs them twice (the gold choice after the article's comparison) is handed them, not a memo.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter, itemgetter

from builder.article.project import holder_key
from builder.errors import InputError, problem
from builder.records import AUTHOR, AnnotationSet, columns

EntityKey = tuple[int, int, str]  # (start, end, label)
StanceKey = tuple[str, str, str]  # (holder key, target, label)

# Field getters of the records, in C: an article has a few hundred items, each read several times.
ENTITY_ID = attrgetter("id")
ENTITY_KEY = attrgetter("start", "end", "label")  # an EntityKey
ITEM_LABEL = itemgetter(1)  # the label of a (place, label) item
HOLDER_KEY = itemgetter(0)  # of a (holder key, mention text)


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


EntityItem = tuple[tuple[int, int], str]  # ((start, end), label): an EntityKey, nested as places are


@dataclass(frozen=True, slots=True)
class SetItems:
    """The items of one set as agreement compares them (read-only: they are shared). An article's
    sets are compared as a whole (``compare.compare_article``): pair by pair (``pairs.compare_items``),
    item by item for the annotations view and all together (``votes.disagreements``); the gold choice
    reads the same items (``votes.unanimous_places``).

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


def set_items(aset: AnnotationSet) -> SetItems:
    """The items of ``aset``, each kind with its places (see ``SetItems``)."""
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
