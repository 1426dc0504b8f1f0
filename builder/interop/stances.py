"""Stance evidence spans as a tool holds them -> stances, one per (holder, target); misfits are reported."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from builder.errors import Problem, problem
from builder.interop.policies import LabelPolicy, unique_id
from builder.records import AUTHOR, Evidence, Stance


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One stance evidence span as a tool holds it, with what the tool says about its stance."""

    where: str  # its place, for messages
    preferred_id: str | None  # the stance id it carries, if any (used when it is a stance's first evidence)
    start: int
    end: int
    text: str
    label: str
    holders: tuple[str, ...]  # entity ids related to it as holder
    author: bool  # marked as the author's stance
    targets: tuple[str, ...]
    note: str | None = None
    target_hint: str = ""  # why no target is known, when the export lost it


def stances_from_evidence(items: Sequence[EvidenceItem], labels: LabelPolicy, file: str,
                          no_holder_hint: str = "") -> tuple[tuple[Stance, ...], list[Problem]]:
    """Evidence spans -> one stance per (holder, target), in order of first evidence; the stance takes
    its first evidence's id, and the notes of its evidence joined by line breaks."""
    problems: list[Problem] = []
    groups: dict[tuple[str, str], list[EvidenceItem]] = {}
    for item in items:
        why = None
        if len(item.targets) != 1:
            why = "no target is chosen" + item.target_hint if not item.targets else f"{len(item.targets)} targets are chosen {list(item.targets)}"
        elif len(item.holders) > 1:
            why = f"it is related to {len(item.holders)} holder entities {list(item.holders)}; evidence has one holder"
        elif item.holders and item.author:
            why = "it is related to a holder entity and also marked @author"
        elif not item.holders and not item.author:
            why = "it has no holder: relate the holder entity to it, or mark it @author" + no_holder_hint
        if why is not None:
            problems.append(problem("E414", file, item.where, detail=why))
            continue
        target, found = labels.resolve("targets", item.targets[0], file, item.where)
        if target is None:
            problems.extend(found)
            continue
        groups.setdefault((item.holders[0] if item.holders else AUTHOR, target), []).append(item)
    stances = []
    used: set[str] = set()
    for (holder, target), members in groups.items():
        found_labels = sorted({m.label for m in members})
        if len(found_labels) > 1:
            problems.append(problem("E414", file, "; ".join(m.where for m in members),
                                    detail=f"the evidence of one stance ({holder} -> {target}) has different labels {found_labels}"))
            continue
        notes = [m.note for m in members if m.note]
        stances.append(Stance(id=unique_id(members[0].preferred_id, used, "s"), holder=holder, target=target,
                              label=found_labels[0], evidence=tuple(Evidence(m.start, m.end, m.text) for m in members),
                              note="\n".join(notes) if notes else None))
    return tuple(stances), problems
