"""The list items of the documents and annotations configs: entities, stances with evidence, debris.

An item is a tuple of its values in the order of its struct's fields (``schema.entity_item`` ...), so that
``arrow.columns_to_batch`` converts a chunk of rows with one ``pa.array`` call; labels are ClassLabel
integers already. Items are sorted by raw span (entities, evidence, debris) or by (holder key, target).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter

from builder.records import ProjectedEvidence, ProjectedSet, ProjectedStance
from builder.views.schema import LabelIds

RAW_SPAN = itemgetter(5, 6)  # of an entity item: (raw_start, raw_end)
EVIDENCE_RAW_SPAN = itemgetter(3, 4)  # of an evidence item
DEBRIS_SPAN = itemgetter(0, 1)  # of a debris item


def optional(offset: int) -> int | None:
    """A clean offset, or None where it is -1 (a span cleaning removed: only in annotators' sets)."""
    return None if offset < 0 else offset


def entity_items(projected: ProjectedSet, ids: LabelIds, scores: Mapping[str, float] | None = None) -> list[tuple]:
    """The entities of a set: id, label, text, clean start/end, raw start/end, qid (and agreement, with ``scores``)."""
    label_id = ids.entity
    items = [(e.id, label_id[e.label], e.text, optional(start), optional(end), e.start, e.end, e.qid)
             for e, start, end in projected.entities]
    if scores is not None:
        items = [(*item, scores.get(item[0])) for item in items]
    return sorted(items, key=RAW_SPAN)


def evidence_items(evidence: Sequence[ProjectedEvidence]) -> list[tuple]:
    """The evidence of a stance: text, clean start/end, raw start/end."""
    return sorted([(v.text, optional(start), optional(end), v.start, v.end) for v, start, end in evidence],
                  key=EVIDENCE_RAW_SPAN)


def by_holder_and_target(projected: ProjectedSet) -> list[ProjectedStance]:
    return sorted(projected.stances, key=lambda s: (s.holder_key, s.stance.target))


def stance_items(projected: ProjectedSet, ids: LabelIds, scores: Mapping[str, float] | None = None) -> list[tuple]:
    """The stances of a set: id, holder, holder key, holder entity id, target, label, evidence (and agreement)."""
    target_id, stance_id = ids.target, ids.stance
    items = [(s.stance.id, s.holder_text, s.holder_key, None if s.stance.holder.startswith("@") else s.stance.holder,
              target_id[s.stance.target], stance_id[s.stance.label], evidence_items(s.evidence))
             for s in by_holder_and_target(projected)]
    if scores is None:
        return items
    return [(*item, scores.get(item[0])) for item in items]


def debris_items(projected: ProjectedSet, ids: LabelIds) -> list[tuple]:
    """The debris spans of a set: raw start/end, reason, text."""
    reason_id = ids.debris
    return sorted([(d.start, d.end, reason_id[d.reason], d.text) for d in projected.annotations.cleaning],
                  key=DEBRIS_SPAN)
