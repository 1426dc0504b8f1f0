"""A gold set over its raw text -> the pieces an article page marks: entities, debris, and stance evidence inside them.

Entities and debris are flat and never overlap each other (the set checks refuse it), so they cut the
text into pieces: plain text, an entity, a debris span. Evidence spans may cross entities and overlap
each other, so each piece is cut again into runs at every evidence boundary inside it, and each run
knows the stances whose evidence covers it. The page then nests evidence inside an entity mark or
inside plain text, never across a mark, and the HTML stays well formed.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from builder.records import AnnotationSet, Debris, Entity


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    stances: tuple[str, ...]  # ids of the stances whose evidence covers the run


@dataclass(frozen=True, slots=True)
class Piece:
    runs: tuple[Run, ...]
    entity: Entity | None = None  # the piece is this entity
    debris: Debris | None = None  # the piece is this debris span


def pieces(text: str, gold: AnnotationSet) -> tuple[Piece, ...]:
    """The raw text as pieces, in order; joined, their runs give the text back."""
    spans = sorted([(e.start, e.end, e, None) for e in gold.entities] + [(d.start, d.end, None, d) for d in gold.cleaning],
                   key=lambda s: (s[0], s[1]))
    evidence = sorted((v.start, v.end, s.id) for s in gold.stances for v in s.evidence)
    cuts = sorted({b for start, end, _ in evidence for b in (start, end)})
    found, at = [], 0
    for start, end, entity, debris in spans:
        if start < at:  # overlapping marks: a set the checks refuse; shown as plain text
            continue
        if start > at:
            found.append(Piece(runs(text, at, start, evidence, cuts)))
        found.append(Piece(runs(text, start, end, evidence, cuts), entity, debris))
        at = end
    if at < len(text):
        found.append(Piece(runs(text, at, len(text), evidence, cuts)))
    return tuple(found)


def runs(text: str, start: int, end: int, evidence: list[tuple[int, int, str]], cuts: list[int]) -> tuple[Run, ...]:
    """[start, end) of ``text`` cut at the evidence boundaries inside it, each run with the stances covering it."""
    inner = cuts[bisect_right(cuts, start):bisect_left(cuts, end)]
    bounds = [start, *inner, end]
    found = []
    for a, b in zip(bounds, bounds[1:]):
        covering = tuple(sorted({sid for s, e, sid in evidence if s <= a and b <= e}))
        found.append(Run(text[a:b], covering))
    return tuple(found)
