"""Overlapping or nested entity spans of an imported set, under the policy ``--overlaps`` chooses.

newsstance entities do not overlap (``validate`` refuses them, E107), while brat and Label Studio let
an annotator nest ``[United States [Navy]]``. The importers ask here before anything is written:

    refuse      (default) every overlapping pair is listed (E432) and nothing of that document is written
    keep-outer  the longest span of each group is kept, the spans inside or across it are dropped
    keep-inner  the shortest span is kept, the spans that contain or cross it are dropped

A kept span is chosen greedily (longest or shortest first, then leftmost), so the result does not depend
on the order the tool wrote the spans in. What a keep policy drops is counted per document in the
import report; an entity that is a stance holder is never dropped (E437 refuses the document instead).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from builder.article.set_checks import overlapping_pairs
from builder.errors import ConfigError, Problem, problem
from builder.interop.matching import ImportedSet
from builder.records import Entity

POLICIES = ("refuse", "keep-outer", "keep-inner")
KEEP_POLICIES = POLICIES[1:]


@dataclass(frozen=True, slots=True)
class Dropped:
    """What a keep policy dropped from one imported set (or, under ``refuse``, what it would drop)."""

    file: str
    where: str
    policy: str
    entities: tuple[Entity, ...]
    applied: bool  # False: the set was refused, and this is what the policy would drop


@dataclass(frozen=True, slots=True)
class Resolved:
    """One imported set after the policy: the set to write (None when refused), what was dropped, problems."""

    item: ImportedSet | None
    dropped: tuple[Dropped, ...]
    problems: tuple[Problem, ...]


def check_policy(policy: str) -> str:
    if policy not in POLICIES:
        raise ConfigError(str(problem("E428", "import options", name="overlaps", value=policy,
                                      choices=", ".join(POLICIES))))
    return policy


def relation(a: Entity, b: Entity) -> str:
    if (a.start, a.end) == (b.start, b.end):
        return f"are the same span (twice, with labels {a.label} and {b.label})"
    if a.start <= b.start and b.end <= a.end:
        return "nest (the first contains the second)"
    if b.start <= a.start and a.end <= b.end:
        return "nest (the second contains the first)"
    return "overlap (neither contains the other)"


def kept_under(entities: Sequence[Entity], policy: str) -> list[int]:
    """Indexes of the entities ``policy`` keeps: greedily by length (longest or shortest first), then leftmost."""
    sign = -1 if policy == "keep-outer" else 1
    order = sorted(range(len(entities)), key=lambda i: (sign * (entities[i].end - entities[i].start), entities[i].start, i))
    kept: list[int] = []
    for i in order:
        e = entities[i]
        if all(e.end <= entities[k].start or entities[k].end <= e.start for k in kept):
            kept.append(i)
    return sorted(kept)


def resolve_overlaps(item: ImportedSet, policy: str) -> Resolved:
    """Apply ``policy`` to the entities of one imported set."""
    entities = item.entities
    pairs = overlapping_pairs([(e.start, e.end, i) for i, e in enumerate(entities)])
    if not pairs:
        return Resolved(item, (), ())
    kept = {p: set(kept_under(entities, p)) for p in KEEP_POLICIES}
    would = {p: tuple(e for i, e in enumerate(entities) if i not in kept[p]) for p in KEEP_POLICIES}
    if policy == "refuse":
        problems = tuple(problem("E432", item.file, f"{item.where}, entities {a.id} and {b.id}", kind="entity",
                                 start=a.start, end=a.end, text=a.text, other_start=b.start, other_end=b.end,
                                 other_text=b.text, relation=relation(a, b))
                         for a, b in ((entities[i], entities[j]) for i, j in sorted((min(p), max(p)) for p in pairs)))
        return Resolved(None, tuple(Dropped(item.file, item.where, p, d, False) for p, d in would.items()), problems)
    holders = {s.holder: s.id for s in item.stances}
    held = [e for e in would[policy] if e.id in holders]
    if held:
        return Resolved(None, (), tuple(problem("E437", item.file, f"{item.where}, entity {e.id}", kind="entity",
                                                start=e.start, end=e.end, text=e.text, policy=policy,
                                                stance=holders[e.id]) for e in held))
    chosen = tuple(e for i, e in enumerate(entities) if i in kept[policy])
    return Resolved(replace(item, entities=chosen), (Dropped(item.file, item.where, policy, would[policy], True),), ())


def apply_overlaps(imported: Sequence[ImportedSet], policy: str) -> tuple[list[ImportedSet], list[Dropped], list[Problem]]:
    """Every imported set under ``policy``: the sets to match and write, what was (or would be) dropped, problems."""
    check_policy(policy)
    kept, dropped, problems = [], [], []
    for item in imported:
        resolved = resolve_overlaps(item, policy)
        if resolved.item is not None:
            kept.append(resolved.item)
        dropped.extend(resolved.dropped)
        problems.extend(resolved.problems)
    return kept, dropped, problems
