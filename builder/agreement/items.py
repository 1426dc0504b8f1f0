"""One annotation set -> the items agreement compares: the places of each kind (``KINDS``) with their labels.

Only the annotators' own sets are compared; gold sets are left out.

- **Entities** are (start, end, label) items, matched exactly.
- **Stances** are (holder, target) items with a label. Holders are matched by the holder entity's
  QID, else its text lowercased (``builder.article.project.holder_key``); ``@author`` as such.
- **Debris** is the set of raw character positions an annotator marks, kept as merged ranges.

``KINDS`` registers each kind: its place function and how a disagreement line names a place. The
votes, the disagreement count and the per-item agreement iterate it, so that a new kind of item is
one entry here.

A set's items are made by ``set_items``, once per set by whoever compares it: the caller that
needs them twice (the gold choice after the article's comparison) is handed them, not a memo.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import NamedTuple

from builder.article.project import holder_key
from builder.errors import EXCERPT_CHARS, STANCE_HOLDER, InputError, problem
from builder.records import AUTHOR, AnnotationSet, columns

StanceKey = tuple[str, str, str]  # (holder key, target, label)

# Field getters of the records, in C: an article has a few hundred items, each read several times.
ITEM_ID = attrgetter("id")
ITEM_LABEL = itemgetter(1)  # the label of a (place, label) item
HOLDER_KEY = itemgetter(0)  # of a (holder key, mention text)
MENTION = itemgetter(1)  # of a (holder key, mention text)


def set_file(aset: AnnotationSet) -> str:
    return str(aset.path) if aset.path is not None else f"annotations/{aset.annotator}/{aset.article_id}.json"


def stance_holders(aset: AnnotationSet) -> list[tuple[str, str]]:
    """(holder key, mention text) of each stance of ``aset``, in order; the key identifies the holder
    across annotators."""
    if not aset.stances:
        return []
    ids = list(map(ITEM_ID, aset.entities))
    found = []
    for stance in aset.stances:
        if stance.holder == AUTHOR:
            found.append((AUTHOR, AUTHOR))
            continue
        try:
            entity = aset.entities[ids.index(stance.holder)]  # the first entity with the id: a stance names few
        except ValueError:
            raise InputError([problem("E109", set_file(aset), f"article {aset.article_id}, stance {stance.id}",
                                      value=stance.holder, **STANCE_HOLDER)]) from None
        found.append((holder_key(entity.qid, entity.text), entity.text))
    return found


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


def ids_of(field: str) -> Callable[[AnnotationSet], tuple[str, ...]]:
    """The ids of a set's items in its ``field`` (a list of records with an ``id``), in order."""
    records = attrgetter(field)
    return lambda aset: tuple(map(ITEM_ID, records(aset)))


class Placed(NamedTuple):
    """The items of one kind of one set, field by field, in the set's order."""

    places: tuple[tuple, ...]  # where each item is: what annotators are compared on
    labels: tuple[str, ...]  # what each item says there
    texts: tuple[str, ...]  # what a disagreement line quotes of each item


def entity_placed(aset: AnnotationSet) -> Placed:
    """Entities: (start, end) places, labelled with the entity label."""
    _, starts, ends, labels, texts, _ = columns(aset.entities, 6)
    return Placed(tuple(zip(starts, ends)), labels, texts)


def stance_placed(aset: AnnotationSet) -> Placed:
    """Stances: (holder key, target) places, labelled with the stance; the text is the holder's mention."""
    holders = stance_holders(aset)
    _, _, targets, labels, _, _ = columns(aset.stances, 6)
    return Placed(tuple(zip(map(HOLDER_KEY, holders), targets)), labels, tuple(map(MENTION, holders)))


def debris_placed(aset: AnnotationSet) -> Placed:
    """Debris: (start, end) places of the raw text, labelled with the reason."""
    starts, ends, reasons, texts = columns(aset.cleaning, 4)
    return Placed(tuple(zip(starts, ends)), reasons, texts)


def span_where(place: tuple, text: str) -> str:
    """e.g. ``[10, 17) 'Kremlin'``, the text cut to EXCERPT_CHARS."""
    text = text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"
    return f"[{place[0]}, {place[1]}) {text!r}"


def stance_where(place: tuple, text: str) -> str:
    """e.g. ``'Putin' (key 'Q7747') -> us-peace-plan-2025``, or ``@author -> ...``."""
    key, target = place
    holder = AUTHOR if key == AUTHOR else f"{text!r} (key {key!r})"
    return f"{holder} -> {target}"


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of item annotators are compared on, item by item: where a set's items are, and how a
    disagreement line and the card name such a place."""

    placed: Callable[[AnnotationSet], Placed]  # the set's items of the kind
    where: Callable[[tuple, str], str]  # (place, text) -> the place in a disagreement line, after the kind
    noun: str  # a place of the kind in the card's prose
    ids: Callable[[AnnotationSet], tuple[str, ...]] | None  # the set's item ids, in order: each item then
    # has its share of the others with the same item (``compare.item_agreements``); None: items without ids


# every kind, in the order votes are listed and the card names them; a layer adds its kind here
KINDS: dict[str, Kind] = {
    "entity": Kind(entity_placed, span_where, "an entity span", ids_of("entities")),
    "stance": Kind(stance_placed, stance_where, "a holder-target pair", ids_of("stances")),
    "debris": Kind(debris_placed, span_where, "a debris span", None),
}


@dataclass(frozen=True, slots=True)
class KindItems:
    """The items of one kind of one set, as agreement compares them (read-only: they are shared)."""

    items: tuple[tuple[tuple, str], ...]  # (place, label) of each item, in order
    distinct: frozenset[tuple[tuple, str]]  # the same items, each once
    places: dict[tuple, str]  # place -> label (where a set puts two items at one place, the later one)
    ids: tuple[str, ...]  # of each item, in order, for a kind with ids; else none


@dataclass(frozen=True, slots=True)
class SetItems:
    """The items of one set as agreement compares them (read-only: they are shared). An article's
    sets are compared as a whole (``compare.compare_article``): pair by pair (``pairs.compare_items``),
    item by item for the annotations view and all together (``votes.disagreements``); the gold choice
    reads the same items (``votes.unanimous_places``)."""

    aset: AnnotationSet
    kinds: Mapping[str, KindItems]  # of each kind of KINDS, in its order
    entity_labels: Mapping[str, int]  # label -> distinct entity items with it
    debris: tuple[tuple[int, int], ...]  # debris_ranges(aset)
    plain: bool  # one item per place, every label non-empty: the places are labels_by_place([aset])

    @property
    def stance_keys(self) -> tuple[StanceKey, ...]:
        """(holder key, target, label) of each stance of the set, in order: ``stance_keys(aset)``."""
        return tuple((*place, label) for place, label in self.kinds["stance"].items)


def set_items(aset: AnnotationSet) -> SetItems:
    """The items of ``aset``, each kind with its places (see ``SetItems``)."""
    kinds = {}
    for name, kind in KINDS.items():
        placed = kind.placed(aset)
        items = tuple(zip(placed.places, placed.labels))
        kinds[name] = KindItems(items, frozenset(items), dict(items), kind.ids(aset) if kind.ids else ())
    plain = all(len(x.places) == len(x.items) and all(map(ITEM_LABEL, x.items)) for x in kinds.values())
    entities = kinds["entity"]  # one item per span, as in valid sets: then the items are distinct
    entity_labels = Counter(map(ITEM_LABEL, entities.items if len(entities.places) == len(entities.items)
                                else entities.distinct))
    return SetItems(aset, kinds, entity_labels, debris_ranges(aset), plain)
