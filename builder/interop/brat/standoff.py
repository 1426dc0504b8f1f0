"""The .ann vocabulary newsstance uses, and .ann text -> its lines (text-bound spans checked against the text)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from builder.errors import Problem, problem

DEBRIS_TYPE = "Debris"
EVIDENCE_TYPE = "Evidence"
HOLDER = "Holder"
REASON, STANCE, TARGET, AUTHOR_ATTRIBUTE = "Reason", "Stance", "Target", "Author"
WIKIDATA = "wikidata"
NOTES = "AnnotatorNotes"
OFFSETS = re.compile(r"[0-9]+ [0-9]+(;[0-9]+ [0-9]+)*")  # matched whole (fullmatch); ASCII digits only
BRAT_T_ID = re.compile(r"T[0-9]+")
ADJUDICATION_SUFFIX = ".adjudication.json"  # beside <doc>.ann: a gold set's adjudicated_from and decisions


@dataclass(frozen=True, slots=True)
class TextBound:
    id: str
    line: int
    type: str
    fragments: tuple[tuple[int, int], ...]
    quoted: str


@dataclass(frozen=True, slots=True)
class Line:
    id: str
    line: int
    fields: tuple[str, ...]  # the second column split on spaces
    tail: str  # the third column, if any


def parse_lines(ann: str, file: str) -> tuple[dict[str, TextBound], list[Line], list[Problem]]:
    """The .ann text -> text-bound annotations by id, the other lines in order, and syntax problems."""
    textbounds: dict[str, TextBound] = {}
    others: list[Line] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for n, raw in enumerate(ann.split("\n"), start=1):
        if not raw.strip():
            continue
        columns = raw.rstrip("\r").split("\t", 2)
        if len(columns) < 2 or not columns[0] or not columns[1].strip():
            problems.append(problem("E415", file, f"line {n}", line=n, detail="expected ID<TAB>ANNOTATION[<TAB>TEXT]"))
            continue
        ann_id, body, tail = columns[0], columns[1], columns[2] if len(columns) > 2 else ""
        if ann_id in seen and ann_id != "*":
            problems.append(problem("E421", file, f"line {n}", kind="brat annotation", value=ann_id))
            continue
        seen.add(ann_id)
        if ann_id.startswith("T"):
            kind, _, offsets = body.partition(" ")
            if not OFFSETS.fullmatch(offsets) or len(columns) < 3:
                problems.append(problem("E415", file, f"line {n}", line=n,
                                        detail="a text-bound line is 'T1<TAB>TYPE START END[;START END]<TAB>TEXT'"))
                continue
            fragments = tuple(tuple(int(x) for x in part.split(" ")) for part in offsets.split(";"))
            textbounds[ann_id] = TextBound(ann_id, n, kind, fragments, tail)
        else:
            others.append(Line(ann_id, n, tuple(body.split()), tail))
    return textbounds, others, problems


def contiguous(tb: TextBound, text: str, file: str) -> tuple[tuple[int, int] | None, list[Problem]]:
    """The span of a text-bound annotation, checked against its quoted text, or why there is none."""
    where = f"line {tb.line} ({tb.id} {tb.type})"
    fragments = sorted(tb.fragments)
    if any(not 0 <= s < e <= len(text) for s, e in fragments):
        return None, [problem("E418", file, where, quoted=tb.quoted, start=fragments[0][0], end=fragments[-1][1],
                              actual=f"(out of range for {len(text)} characters)")]
    gaps = [text[a[1]:b[0]] for a, b in zip(fragments, fragments[1:])]
    if any(not gap or set(gap) != {"\n"} for gap in gaps):
        shown = ";".join(f"{s} {e}" for s, e in tb.fragments)
        return None, [problem("E417", file, where, offsets=shown,
                              reason="its fragments are separated by more than line breaks")]
    actual = " ".join(text[s:e] for s, e in fragments)
    if actual != tb.quoted:
        return None, [problem("E418", file, where, quoted=tb.quoted, start=fragments[0][0], end=fragments[-1][1],
                              actual=actual)]
    return (fragments[0][0], fragments[-1][1]), []


def parse_note(tail: str) -> dict | None:
    """A note written by the exporter ({"id": ..., "note": ...}), or None for a free-text note."""
    try:
        data = json.loads(tail)
    except ValueError:
        return None
    if isinstance(data, dict) and set(data) <= {"id", "note"} and data and all(isinstance(v, str) for v in data.values()):
        return data
    return None
