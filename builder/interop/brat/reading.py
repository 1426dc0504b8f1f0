"""One document's .ann text over its .txt text -> an ``ImportedSet`` and every item not taken (``parse_brat``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from builder.errors import Problem, problem
from builder.interop.brat.standoff import (AUTHOR_ATTRIBUTE, DEBRIS_TYPE, EVIDENCE_TYPE, HOLDER, NOTES, REASON,
                                           STANCE, TARGET, WIKIDATA, Line, TextBound, contiguous, parse_lines,
                                           parse_note)
from builder.interop.matching import ImportedSet
from builder.interop.policies import ITEM_ID, QID, LabelPolicy
from builder.interop.stances import EvidenceItem, stances_from_evidence
from builder.records import Debris, Entity, Stance


@dataclass(slots=True)
class Found:
    """What the lines of one document say, filled in as they are read (keys are brat T ids)."""

    textbounds: dict[str, TextBound]
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # "entity" | "debris" | "evidence" | "dropped"
    entity_labels: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, dict[str, str | bool]] = field(default_factory=lambda: defaultdict(dict))
    holders: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    qids: dict[str, str] = field(default_factory=dict)
    notes: dict[str, dict | str] = field(default_factory=dict)

    def note_id(self, tb_id: str) -> str | None:
        note = self.notes.get(tb_id)
        return note.get("id") if isinstance(note, dict) else None

    def of_kind(self, kind: str) -> list[str]:
        return [t for t in self.textbounds if self.kinds.get(t) == kind]


def parse_brat(ann: str, text: str, *, file: str, doc: str, annotator: str,
               labels: LabelPolicy = LabelPolicy(), article_hint: str | None = None) -> tuple[ImportedSet, list[Problem]]:
    """One document's .ann text over its .txt text -> an ImportedSet and every item not taken."""
    textbounds, others, problems = parse_lines(ann, file)
    found = Found(textbounds)
    triggers = {field.split(":", 1)[1] for line in others if line.id.startswith("E")
                for field in line.fields[:1] if ":" in field}
    for tb in textbounds.values():
        problems.extend(read_textbound(tb, tb.id in triggers, found, text, labels, file))
    for line in others:
        where = f"line {line.line} ({line.id})"
        taken, more = read_line(line, found, file, where)
        problems.extend(more)
        if not taken and not more:
            problems.append(problem("E403", file, where, kind=f"brat {describe(line)}",
                                    reason="it refers to an annotation that was not imported (reported above)"))
    entities, more = build_entities(found, text, file)
    problems.extend(more)
    cleaning, more = build_cleaning(found, text, labels, file)
    problems.extend(more)
    stances, more = build_stances(found, text, labels, file)
    problems.extend(more)
    imported = ImportedSet(file=file, where=f"doc {doc}", text=text, article_hint=article_hint, annotator=annotator,
                           cleaning=cleaning, entities=entities, stances=stances)
    return imported, problems


def read_textbound(tb: TextBound, trigger: bool, found: Found, text: str, labels: LabelPolicy,
                   file: str) -> list[Problem]:
    """One text-bound annotation into ``found`` (its span and kind), or why it is not taken."""
    where = f"line {tb.line} ({tb.id} {tb.type})"
    if trigger:
        return [problem("E403", file, where, kind="event trigger", reason="events are not part of newsstance")]
    span, problems = contiguous(tb, text, file)
    if span is None:
        return problems
    if tb.type in (DEBRIS_TYPE, EVIDENCE_TYPE):
        found.kinds[tb.id] = tb.type.lower()
    else:
        label, problems = labels.resolve("entity_labels", tb.type, file, where)
        if label is None:
            return problems
        found.kinds[tb.id], found.entity_labels[tb.id] = "entity", label
    found.spans[tb.id] = span
    return []


def describe(line: Line) -> str:
    return f"{line.id} {' '.join(line.fields)}"


def read_line(line: Line, found: Found, file: str, where: str) -> tuple[bool, list[Problem]]:
    """One non-text-bound line into ``found``; (taken, problems). Not taken without a problem means it
    refers to an annotation that was itself reported."""
    prefix, fields, kinds = line.id[:1], line.fields, found.kinds
    if prefix in ("E", "*"):
        return False, [problem("E403", file, where, kind=f"brat {describe(line)}",
                               reason="events and equivalences are not part of newsstance")]
    refs = [f.split(":", 1)[-1] for f in fields[1:]]
    if any(r in found.textbounds and kinds.get(r) in (None, "dropped") for r in refs[:2]):
        return False, []
    if prefix == "R" and len(fields) == 3 and fields[0] == HOLDER:
        arg1, arg2 = (dict(f.split(":", 1) for f in fields[1:] if ":" in f).get(k) for k in ("Arg1", "Arg2"))
        if kinds.get(arg1) == "entity" and kinds.get(arg2) == "evidence":
            found.holders[arg2].append(arg1)
            return True, []
    if prefix in ("A", "M") and len(fields) in (2, 3):
        name, target = fields[0], fields[1]
        value = fields[2] if len(fields) == 3 else True
        wanted = {REASON: "debris", STANCE: "evidence", TARGET: "evidence", AUTHOR_ATTRIBUTE: "evidence"}.get(name)
        if wanted is not None and kinds.get(target) == wanted and (name == AUTHOR_ATTRIBUTE) == (value is True):
            found.attributes[target][name] = value
            return True, []
    if prefix == "N" and len(fields) == 3 and fields[0] == "Reference" and kinds.get(fields[1]) == "entity":
        db, _, qid = fields[2].partition(":")
        if db.lower() == WIKIDATA:
            if not QID.fullmatch(qid):
                return False, [problem("E427", file, where, value=qid)]
            found.qids[fields[1]] = qid
            return True, []
    if prefix == "#" and len(fields) == 2 and fields[0] == NOTES and fields[1] in kinds:
        ours = parse_note(line.tail)
        if ours is not None or kinds[fields[1]] == "evidence":
            found.notes[fields[1]] = ours if ours is not None else line.tail
            return True, []
    return False, [problem("E403", file, where, kind=f"brat {describe(line)}",
                           reason="newsstance reads Holder relations, Reason/Stance/Target/Author attributes, "
                                  "Wikidata references and notes on stance evidence")]


def build_entities(found: Found, text: str, file: str) -> tuple[tuple[Entity, ...], list[Problem]]:
    """Entity spans -> entities, with the id a note carries (else the T id) and their QIDs."""
    entities, problems, used = [], [], set()
    for tb_id in found.of_kind("entity"):
        entity_id = found.note_id(tb_id) or tb_id
        if entity_id in used or not ITEM_ID.fullmatch(entity_id):
            problems.append(problem("E421" if entity_id in used else "E429", file,
                                    f"line {found.textbounds[tb_id].line} ({tb_id})", kind="entity", value=entity_id))
            found.kinds[tb_id] = "dropped"
            continue
        used.add(entity_id)
        start, end = found.spans[tb_id]
        entities.append(Entity(entity_id, start, end, found.entity_labels[tb_id], text[start:end],
                               found.qids.get(tb_id)))
    return tuple(entities), problems


def build_cleaning(found: Found, text: str, labels: LabelPolicy, file: str) -> tuple[tuple[Debris, ...], list[Problem]]:
    """Debris spans with their Reason attribute -> debris."""
    cleaning, problems = [], []
    for tb_id in found.of_kind("debris"):
        reason = found.attributes[tb_id].get(REASON)
        where = f"line {found.textbounds[tb_id].line} ({tb_id} {DEBRIS_TYPE})"
        if not isinstance(reason, str):
            problems.append(problem("E403", file, where, kind="debris span", reason="it has no Reason attribute"))
            continue
        reason_label, more = labels.resolve("debris_reasons", reason, file, where)
        problems.extend(more)
        if reason_label is not None:
            start, end = found.spans[tb_id]
            cleaning.append(Debris(start, end, reason_label, text[start:end]))
    return tuple(cleaning), problems


def build_stances(found: Found, text: str, labels: LabelPolicy, file: str) -> tuple[tuple[Stance, ...], list[Problem]]:
    """Evidence spans with their attributes, holder relations and notes -> stances."""
    entity_id = {tb_id: found.note_id(tb_id) or tb_id for tb_id in found.of_kind("entity")}
    items, problems = [], []
    for tb_id in found.of_kind("evidence"):
        where = f"line {found.textbounds[tb_id].line} ({tb_id} {EVIDENCE_TYPE})"
        attributes = found.attributes[tb_id]
        label = attributes.get(STANCE)
        if not isinstance(label, str):
            problems.append(problem("E414", file, where,
                                    detail="it has no Stance attribute (favor, against or neutral)"))
            continue
        label, more = labels.resolve("stance_labels", label, file, where)
        problems.extend(more)
        if label is None:
            continue
        start, end = found.spans[tb_id]
        note, target = found.notes.get(tb_id), attributes.get(TARGET)
        items.append(EvidenceItem(
            where=where, preferred_id=found.note_id(tb_id) or tb_id, start=start, end=end, text=text[start:end],
            label=label, holders=tuple(entity_id[h] for h in found.holders.get(tb_id, ()) if h in entity_id),
            author=attributes.get(AUTHOR_ATTRIBUTE) is True,
            targets=(target,) if isinstance(target, str) else (),
            note=note.get("note") if isinstance(note, dict) else note))
    stances, more = stances_from_evidence(items, labels, file)
    return stances, problems + more
