"""Annotation spans -> the cleaned text, through the offset map (a lookup, never a re-search).

A span projects only when none of its characters was removed by cleaning; otherwise it is an error
(E108), never trimmed.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain, islice, repeat
from operator import attrgetter

from builder.records import (AUTHOR, AnnotationSet, CleanArticle, OffsetMap, ProjectedEntity,
                      ProjectedEvidence, ProjectedSet, ProjectedStance)

START, END = attrgetter("start"), attrgetter("end")


def project_span(offsets: OffsetMap, start: int, end: int) -> tuple[int, int] | None:
    """Clean ``[start, end)`` of raw ``[start, end)``, or None when any character of it was removed."""
    if end <= start:
        return None
    fast = getattr(offsets.raw_to_clean, "span", None)  # a PositionMap answers with one bisection
    if fast is not None and (found := fast(start, end)) is not NotImplemented:
        return found
    clean_start = offsets.raw_to_clean[start]
    last = offsets.raw_to_clean[end - 1]
    if clean_start < 0 or last < 0 or last - clean_start != end - 1 - start:
        return None
    return clean_start, last + 1


def project_all(offsets: OffsetMap, starts: Sequence[int], ends: Sequence[int]) -> tuple[list[int], list[int]] | None:
    """The clean starts and ends of raw spans when ``project_span`` projects every one, else None;
    in bulk when the map can (``PositionMap.project_all``)."""
    bulk = getattr(offsets.raw_to_clean, "project_all", None)
    if bulk is not None and (found := bulk(starts, ends)) is not NotImplemented:
        return found
    projected = [project_span(offsets, start, end) for start, end in zip(starts, ends)]
    if None in projected:
        return None
    return [start for start, _ in projected], [end for _, end in projected]


def unproject_span(offsets: OffsetMap, clean_start: int, clean_end: int) -> tuple[int, int]:
    """Raw ``[start, end)`` of a clean span (always defined: clean text is a subsequence of raw)."""
    if clean_end <= clean_start:
        raw = offsets.clean_to_raw[clean_start]
        return raw, raw
    return offsets.clean_to_raw[clean_start], offsets.clean_to_raw[clean_end - 1] + 1


def holder_key(qid: str | None, text: str) -> str:
    """What identifies a stance holder across annotators: the QID, else the mention text lowercased."""
    return qid if qid else " ".join(text.lower().split())


def project_set(aset: AnnotationSet, clean: CleanArticle, known: ProjectedSet | None = None) -> ProjectedSet:
    """Project every span of ``aset``; spans that touch removed text get clean offsets of -1.

    The gold set is validated first (E108), so only another annotator's spans, which may overlap the
    gold debris, can come out as -1; the views publish them with null clean offsets. ``known`` is a
    set already projected onto the same ``clean`` (the gold): its items that ``aset`` repeats are
    reused, not projected again (annotators mostly repeat the gold's spans).
    """
    offsets = clean.offsets
    known_entities = {p.entity: p for p in known.entities} if known else {}
    known_evidence = {v.evidence: v for s in known.stances for v in s.evidence} if known else {}
    entities = projected_items(ProjectedEntity, aset.entities, offsets, known_entities)
    evidence = iter(projected_items(ProjectedEvidence, list(chain.from_iterable(s.evidence for s in aset.stances)),
                                    offsets, known_evidence))
    by_id = {e.id: e for e in aset.entities}
    stances = []
    for stance in aset.stances:
        holder = by_id.get(stance.holder)
        holder_text = "the article's author" if stance.holder == AUTHOR else holder.text
        key = AUTHOR if stance.holder == AUTHOR else holder_key(holder.qid, holder.text)
        stances.append(ProjectedStance(stance, holder_text, key, tuple(islice(evidence, len(stance.evidence)))))
    return ProjectedSet(annotations=aset, entities=entities, stances=tuple(stances))


def projected_items(kind: type, items: Sequence, offsets: OffsetMap, known: dict) -> tuple:
    """``kind(item, clean_start, clean_end)`` of each item (an Entity or Evidence): the one in ``known``
    if there is one, else projected, with (-1, -1) when it touches removed text.

    Made in bulk when it can (a build projects the gold and every annotator's set of every article):
    known items looked up with one ``map``, and the few others found by ``list.index``; a set with
    nothing known (the gold) projected with ``project_all`` and its records made in C, when every
    span projects."""
    found = list(map(known.get, items)) if known else [None] * len(items)
    if None not in found:
        return tuple(found)
    if not known:
        projected = project_all(offsets, list(map(START, items)), list(map(END, items)))
        if projected is not None:
            return tuple(map(tuple.__new__, repeat(kind), zip(items, *projected)))
    i = -1
    for _ in range(found.count(None)):
        i = found.index(None, i + 1)
        item = items[i]
        found[i] = kind(item, *(project_span(offsets, item.start, item.end) or (-1, -1)))
    return tuple(found)
