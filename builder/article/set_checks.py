"""One annotation set checked against its article, the label schema and the annotators: every problem, worded.

Each check asks its question once for all the items of a kind (quoted texts compared with ``map``,
labels as one set, overlaps in one pass over the spans in order) and words its problems item by item
only when that finds something: a build checks every set of every article, and nearly all are valid.
Sets of one article mostly repeat each other's items (gold is adjudicated from the annotators): an
item equal to one of a set that passed every check (``PassedItems``) is not checked alone again (in
the text, quoted right, a known label), only with the other items of its set (ids, overlaps, debris).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, filterfalse, repeat
from operator import le, lt, sub
from typing import NamedTuple

from builder.article.clean import removed_ranges
from builder.article.project import holder_key
from builder.errors import STANCE_HOLDER, Problem, excerpt_around, problem
from builder.records import AUTHOR, AnnotationSet, Annotator, Entity, Evidence, RawArticle, Schema, columns


@dataclass(frozen=True, slots=True)
class PassedItems:
    """The items of a set that passed every check of ``check_set``: for another set of the same article,
    an item equal to one of these is in the text, quoted right, with a known label."""

    entities: frozenset[Entity]
    evidence: frozenset[Evidence]


def passed_items(aset: AnnotationSet) -> PassedItems:
    return PassedItems(frozenset(aset.entities), frozenset(chain.from_iterable(s.evidence for s in aset.stances)))


def check_set(aset: AnnotationSet, article: RawArticle, schema: Schema,
              annotators: Mapping[str, Annotator], passed: PassedItems | None = None) -> list[Problem]:
    """Every problem of one set, in order (none: the set is valid); offsets are checked only if the text
    is the one annotated. ``passed``: the items of another set of the same article that passed."""
    if aset.raw_sha256 != article.meta.sha256:
        return [problem("E103", str(aset.path), f"article {aset.article_id}", actual=aset.raw_sha256,
                        expected=article.meta.sha256)]
    found = [] if aset.annotator in annotators else [
        problem("E111", str(aset.path), f"article {aset.article_id}", annotator=aset.annotator)]
    text = article.text
    debris = debris_problems(aset, text, schema)
    found += debris
    in_range = [d for d in aset.cleaning if 0 <= d.start < d.end <= len(text)] if debris else aset.cleaning
    removed = removed_ranges(text, in_range)
    place = Place(aset, text, removed, *columns(removed, 2))
    found += entity_problems(aset, schema, place, passed)
    found += stance_problems(aset, schema, place, passed)
    return found + decision_problems(aset) if aset.decisions else found


def decision_problems(aset: AnnotationSet) -> list[Problem]:
    """E940 for each decision of a (draft) gold set still open, E941 for one decided but not applied."""
    found = []
    for i, d in enumerate(aset.decisions):
        choices = ", ".join(repr(c.choice) for c in d.candidates) or "none given"
        if d.decision is None or d.reason is None:
            found.append(problem("E940", str(aset.path), f"article {aset.article_id}", index=i, item=d.item,
                                 choices=choices, id=aset.article_id))
        elif d.candidates:
            found.append(problem("E941", str(aset.path), f"article {aset.article_id}", index=i, item=d.item,
                                 decision=d.decision, id=aset.article_id))
    return found


class Place(NamedTuple):
    """What the wording of a set's problems needs: its file and article, the text and the ranges its
    cleaning removes (sorted, not overlapping)."""

    aset: AnnotationSet
    text: str
    removed: list[tuple[int, int]]
    removed_starts: Sequence[int]
    removed_ends: Sequence[int]

    @property
    def file(self) -> str:
        return str(self.aset.path)

    @property
    def base(self) -> str:
        return f"article {self.aset.article_id}"

    def where(self, kind: str, index: int, start: int, end: int) -> str:
        return f"{self.base}, {kind}[{index}], offsets [{start}, {end})"

    def span(self, start: int, end: int, quoted: str, where: str) -> list[Problem]:
        return check_span(self.text, start, end, quoted, self.file, where)

    def debris(self, start: int, end: int, quoted: str, where: str) -> list[Problem]:
        """E108 when [start, end) overlaps a removed range."""
        hit = debris_at(self.removed, self.removed_ends, start, end)
        return [problem("E108", self.file, where, excerpt=excerpt_around(self.text, start, end), start=start, end=end,
                        text=quoted, debris_start=hit[0], debris_end=hit[1])] if hit else []


def check_span(text: str, start: int, end: int, quoted: str, file: str, where: str) -> list[Problem]:
    if not 0 <= start < end <= len(text):
        return [problem("E104", file, where, start=start, end=end, length=len(text))]
    if text[start:end] != quoted:
        return [problem("E105", file, where, excerpt=excerpt_around(text, start, end),
                        quoted=quoted, start=start, end=end, actual=text[start:end])]
    return []


def debris_problems(aset: AnnotationSet, text: str, schema: Schema) -> list[Problem]:
    """E104, E105, E106 (reason) and E112 (overlap) of the cleaning's debris spans."""
    starts, ends, reasons, quoted = columns(aset.cleaning, 4)
    if (spans_fit(text, starts, ends, quoted) and schema.debris_reasons.keys() >= set(reasons)
            and disjoint(*in_order(starts, ends))):
        return []
    place, found, in_range = Place(aset, text, [], (), ()), [], []
    for i, d in enumerate(aset.cleaning):
        where = place.where("cleaning", i, d.start, d.end)
        found += place.span(d.start, d.end, d.text, where)
        if d.reason not in schema.debris_reasons:
            found.append(problem("E106", place.file, where, kind="debris reason", value=d.reason,
                                 known=", ".join(schema.debris_reasons)))
        if 0 <= d.start < d.end <= len(text):
            in_range.append((d.start, d.end, i))
    for i, j in overlapping_pairs(in_range):
        a, b = aset.cleaning[i], aset.cleaning[j]
        found.append(problem("E112", place.file, place.where("cleaning", i, a.start, a.end), start=a.start, end=a.end,
                             other_start=b.start, other_end=b.end))
    return found


def entity_problems(aset: AnnotationSet, schema: Schema, place: Place, passed: PassedItems | None) -> list[Problem]:
    """E110 (ids), then E104, E105, E106 (label), E108 (debris) and E107 (overlap) of the entities."""
    ids, starts, ends, labels, quoted, _ = columns(aset.entities, 6)
    found = [] if len(set(ids)) == len(ids) else [
        problem("E110", place.file, place.base, kind="entity", value=v) for v, n in sorted(Counter(ids).items()) if n > 1]
    if passed is not None:  # an item's own checks only for items the passed set does not hold
        _, fresh_starts, fresh_ends, labels, quoted, _ = columns(unknown(aset.entities, passed.entities), 6)
    else:
        fresh_starts, fresh_ends = starts, ends
    text = place.text
    if spans_fit(text, fresh_starts, fresh_ends, quoted) and schema.entity_labels.keys() >= set(labels):
        ordered = in_order(starts, ends)
        if disjoint(*ordered) and clear_of(*ordered, place.removed_starts, place.removed_ends, len(text)):
            return found
    spans, known = [], schema.entity_labels
    for i, e in enumerate(aset.entities):
        where = place.where("entities", i, e.start, e.end) + f" (id {e.id})"
        span_problems = place.span(e.start, e.end, e.text, where)
        found += span_problems
        if e.label not in known:
            found.append(problem("E106", place.file, where, kind="entity label", value=e.label, known=", ".join(known)))
        if not span_problems:
            spans.append((e.start, e.end, i))
            found += place.debris(e.start, e.end, e.text, where)
    for i, j in overlapping_pairs(spans):
        a, b = aset.entities[i], aset.entities[j]
        found.append(problem("E107", place.file, place.where("entities", i, a.start, a.end), start=a.start, end=a.end,
                             text=a.text, other_start=b.start, other_end=b.end, other_text=b.text))
    return found


def stance_problems(aset: AnnotationSet, schema: Schema, place: Place, passed: PassedItems | None) -> list[Problem]:
    """E110 (ids), then E109 (holder), E106 (target, label) and the evidence's E104, E105, E108; then E114."""
    ids, holders, targets, labels, evidence, _ = columns(aset.stances, 6)
    found = [] if len(set(ids)) == len(ids) else [
        problem("E110", place.file, place.base, kind="stance", value=v) for v, n in sorted(Counter(ids).items()) if n > 1]
    entities = {e.id: e for e in aset.entities}
    spans = list(chain.from_iterable(evidence))
    fresh = spans if passed is None else unknown(spans, passed.evidence)
    if not (entities.keys() >= set(holders) - {AUTHOR} and schema.targets.keys() >= set(targets)
            and schema.stance_labels.keys() >= set(labels) and spans_fit(place.text, *columns(fresh, 3))
            and clear_of(place.removed_starts, place.removed_ends, *columns(spans, 3)[:2], len(place.text))):
        for i, s in enumerate(aset.stances):
            where = f"{place.base}, stances[{i}] (id {s.id})"
            if s.holder != AUTHOR and s.holder not in entities:
                found.append(problem("E109", place.file, where, value=s.holder, **STANCE_HOLDER))
            for kind, value, known in (("stance target", s.target, schema.targets),
                                       ("stance label", s.label, schema.stance_labels)):
                if value not in known:
                    found.append(problem("E106", place.file, where, kind=kind, value=value, known=", ".join(known)))
            for k, v in enumerate(s.evidence):
                evidence_where = f"{where}, evidence[{k}], offsets [{v.start}, {v.end})"
                found += place.span(v.start, v.end, v.text, evidence_where) or place.debris(v.start, v.end, v.text,
                                                                                             evidence_where)
    pairs = [(AUTHOR if entity is None else holder_key(entity.qid, entity.text), target)  # who holds it: E114
             for holder, entity, target in zip(holders, map(entities.get, holders), targets)
             if entity is not None or holder == AUTHOR]
    if len(set(pairs)) == len(pairs):
        return found
    return found + [problem("E114", place.file, place.base, holder=h, target=t)
                    for (h, t), n in sorted(Counter(pairs).items()) if n > 1]


# --- the bulk questions -----------------------------------------------------------------------

def spans_fit(text: str, starts: Sequence[int], ends: Sequence[int], quoted: Sequence[str]) -> bool:
    """Whether every [start, end) is a non-empty range of ``text`` that reads ``quoted`` (no E104, E105);
    False for an item of a type no file gives (a set made in code), which the wording then words.

    ``text.startswith(quoted, start, end)`` with ``end - start == len(quoted)`` says ``text[start:end] ==
    quoted`` without making the slice."""
    if not starts:
        return True
    try:
        return (min(starts) >= 0 and max(ends) <= len(text) and all(map(lt, starts, ends))
                and list(map(sub, ends, starts)) == list(map(len, quoted))
                and all(map(text.startswith, quoted, starts, ends)))
    except TypeError:
        return False


def in_order(starts: Sequence[int], ends: Sequence[int]) -> tuple[Sequence[int], Sequence[int]]:
    """The spans sorted by (start, end), as two columns (files list spans in order: no sort then)."""
    if all(map(le, starts, starts[1:])):
        return starts, ends
    return columns(sorted(zip(starts, ends)), 2)


def disjoint(starts: Sequence[int], ends: Sequence[int]) -> bool:
    """Whether non-empty spans, sorted by start, overlap nowhere: each ends before the next starts."""
    return all(map(le, ends, starts[1:]))


def clear_of(starts: Sequence[int], ends: Sequence[int], query_starts: Sequence[int], query_ends: Sequence[int],
             length: int) -> bool:
    """Whether no query span overlaps one of the sorted, disjoint spans ``starts``/``ends`` (all within a
    text of ``length``): each query ends before the first span that ends after its start, the span
    ``debris_at`` would find. Bisecting the few into the many is the cheap way round."""
    following = [*starts, length]
    return all(map(le, query_ends, map(following.__getitem__, map(bisect_right, repeat(ends), query_starts))))


def unknown(items: Sequence[tuple], known: Collection[tuple]) -> list[tuple]:
    """The items ``known`` does not hold, in order."""
    return list(filterfalse(known.__contains__, items))


def overlapping_pairs(spans: Sequence[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Index pairs (i, j) of overlapping (start, end, index) spans, each overlapping span reported once:
    j overlaps i, the span before it in (start, end) order that reaches furthest. One sort and one pass,
    so that a file of many spans piled on one place gives as many problems as spans, never their square."""
    pairs = []
    reach, holder = None, None  # the furthest end so far, and the index of the span that has it
    for start, end, i in sorted(spans):
        if reach is not None and start < reach:
            pairs.append((holder, i))
        if reach is None or end > reach:
            reach, holder = end, i
    return pairs


def debris_at(removed: Sequence[tuple[int, int]], ends: Sequence[int], start: int, end: int) -> tuple[int, int] | None:
    """The first removed range that [start, end) overlaps (ranges sorted, not overlapping), or None."""
    i = bisect_right(ends, start)
    return removed[i] if i < len(removed) and removed[i][0] < end else None
