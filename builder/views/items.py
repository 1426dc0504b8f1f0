"""The list columns of items the documents and annotations configs share: ``ITEMS = {column: ItemColumn}``.

The documents config writes each column of the gold set, the annotations config each annotator's, with
their agreement; both iterate ``ITEMS``, so an annotation layer's list column is one entry below.
An item is a tuple of its values in the order of its struct's fields (``entity_item`` ...), so that
``arrow.columns_to_batch`` converts a chunk of rows with one ``pa.array`` call; labels are ClassLabel
integers already. Items are sorted by raw span (entities, evidence, debris) or by (holder key, target).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter

from datasets import List, Value

from builder.records import ProjectedEvidence, ProjectedSet, ProjectedStance, Schema
from builder.views.schema import LabelIds, labels, span_features


def entity_item(schema: Schema) -> dict:
    return {"id": Value("string"), "label": labels(schema)["entity"], "text": Value("string"),
            **span_features(), "qid": Value("string")}


def stance_item(schema: Schema) -> dict:
    lab = labels(schema)
    return {"id": Value("string"), "holder": Value("string"), "holder_key": Value("string"),
            "holder_entity_id": Value("string"), "target": lab["target"], "label": lab["stance"],
            "evidence": List({"text": Value("string"), **span_features()})}


def debris_item(schema: Schema) -> dict:
    return {"raw_start": Value("int32"), "raw_end": Value("int32"), "reason": labels(schema)["debris"],
            "text": Value("string")}


RAW_SPAN = itemgetter(5, 6)  # of an entity item: (raw_start, raw_end)
EVIDENCE_RAW_SPAN = itemgetter(3, 4)  # of an evidence item
DEBRIS_SPAN = itemgetter(0, 1)  # of a debris item


def optional(offset: int) -> int | None:
    """A clean offset, or None where it is -1 (a span cleaning removed: only in annotators' sets)."""
    return None if offset < 0 else offset


def entity_items(projected: ProjectedSet, ids: LabelIds) -> list[tuple]:
    """The entities of a set: id, label, text, clean start/end, raw start/end, qid."""
    label_id = ids.entity
    return sorted([(e.id, label_id[e.label], e.text, optional(start), optional(end), e.start, e.end, e.qid)
                   for e, start, end in projected.entities], key=RAW_SPAN)


def evidence_items(evidence: Sequence[ProjectedEvidence]) -> list[tuple]:
    """The evidence of a stance: text, clean start/end, raw start/end."""
    return sorted([(v.text, optional(start), optional(end), v.start, v.end) for v, start, end in evidence],
                  key=EVIDENCE_RAW_SPAN)


def by_holder_and_target(projected: ProjectedSet) -> list[ProjectedStance]:
    return sorted(projected.stances, key=lambda s: (s.holder_key, s.stance.target))


def stance_items(projected: ProjectedSet, ids: LabelIds) -> list[tuple]:
    """The stances of a set: id, holder, holder key, holder entity id, target, label, evidence."""
    target_id, stance_id = ids.target, ids.stance
    return [(s.stance.id, s.holder_text, s.holder_key, None if s.stance.holder.startswith("@") else s.stance.holder,
             target_id[s.stance.target], stance_id[s.stance.label], evidence_items(s.evidence))
            for s in by_holder_and_target(projected)]


def debris_items(projected: ProjectedSet, ids: LabelIds) -> list[tuple]:
    """The debris spans of a set: raw start/end, reason, text."""
    reason_id = ids.debris
    return sorted([(d.start, d.end, reason_id[d.reason], d.text) for d in projected.annotations.cleaning],
                  key=DEBRIS_SPAN)



@dataclass(frozen=True, slots=True)
class ItemColumn:
    """One list column of items: the struct of an item and a set's items, and where the annotations config
    puts their agreement: an ``agreement`` field on each item (whose first value is its id), or one
    ``<column>_agreement`` figure of the whole set, after the item columns."""

    kind: str  # of its items, as agreement names it (``agreement.items.KINDS``): "entity"
    struct: Callable[[Schema], dict]  # the Features of one item, in the order of the item tuple's values
    items: Callable[[ProjectedSet, LabelIds], list[tuple]]  # a set's items, sorted
    agreement_per_item: bool


ITEMS: dict[str, ItemColumn] = {
    "entities": ItemColumn("entity", entity_item, entity_items, agreement_per_item=True),
    "stances": ItemColumn("stance", stance_item, stance_items, agreement_per_item=True),
    "debris": ItemColumn("debris", debris_item, debris_items, agreement_per_item=False),
}
