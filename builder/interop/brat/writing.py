"""An annotation set -> the text of its .ann file, and a schema -> brat's annotation.conf.

Ids and notes are written so that ``reading.py`` reads the same set back.
"""

from __future__ import annotations

import json
from collections import defaultdict

from builder.errors import STANCE_HOLDER, Problem, problem
from builder.interop.brat.standoff import (AUTHOR_ATTRIBUTE, BRAT_T_ID, DEBRIS_TYPE, EVIDENCE_TYPE, HOLDER, NOTES,
                                           REASON, STANCE, TARGET)
from builder.records import AUTHOR, AnnotationSet, Schema


def fragments_of(text: str, start: int, end: int) -> tuple[list[tuple[int, int]] | None, str]:
    """A span -> its fragments between line breaks (brat cannot store a line break inside a span)."""
    if text[start] == "\n" or text[end - 1] == "\n":
        return None, "it starts or ends with a line break, which brat cannot store"
    fragments, position = [], start
    for piece in text[start:end].split("\n"):
        if piece:
            fragments.append((position, position + len(piece)))
        position += len(piece) + 1
    return fragments, ""


def one_line(text: str) -> str:
    return text.replace("\n", " ")


def brat_ids(item_ids: list[str | None]) -> list[str]:
    """A T id per span: its newsstance id when that is a free T id, else the first free ``T<n>``."""
    taken: set[str] = set()
    wanted = []
    for item_id in item_ids:
        keep = item_id if item_id and BRAT_T_ID.fullmatch(item_id) and item_id not in taken else None
        if keep:
            taken.add(keep)
        wanted.append(keep)
    number = 0
    t_ids = []
    for keep in wanted:
        if keep is None:
            number += 1
            while f"T{number}" in taken:
                number += 1
            keep = f"T{number}"
            taken.add(keep)
        t_ids.append(keep)
    return t_ids


def brat_ann(aset: AnnotationSet, text: str) -> tuple[str, list[Problem]]:
    """One annotation set -> the text of its .ann file (ids and notes as parse_brat reads them back)."""
    problems: list[Problem] = []
    where = f"article {aset.article_id}, annotator {aset.annotator}"
    spans = [("entity", e.id, e.start, e.end, e.label) for e in aset.entities]
    spans += [("debris", None, d.start, d.end, DEBRIS_TYPE) for d in aset.cleaning]
    spans += [("evidence", s.id if k == 0 else None, v.start, v.end, EVIDENCE_TYPE)
              for s in aset.stances for k, v in enumerate(s.evidence)]
    t_ids = brat_ids([item_id for _, item_id, *_ in spans])
    lines, extra = [], []
    counters = defaultdict(int)

    def add(prefix: str, body: str) -> None:
        counters[prefix] += 1
        extra.append(f"{prefix}{counters[prefix]}\t{body}")

    by_entity = {e.id: t for e, t in zip(aset.entities, t_ids)}
    evidence_t = iter(t_ids[len(aset.entities) + len(aset.cleaning):])
    for (kind, item_id, start, end, brat_type), t_id in zip(spans, t_ids):
        fragments, why = fragments_of(text, start, end)
        if fragments is None:
            problems.append(problem("E417", str(aset.path or ""), where, offsets=f"{start} {end}", reason=why))
            continue
        offsets = ";".join(f"{s} {e}" for s, e in fragments)
        lines.append(f"{t_id}\t{brat_type} {offsets}\t{' '.join(text[s:e] for s, e in fragments)}")
    for e, t_id in zip(aset.entities, t_ids):
        if e.qid:
            add("N", f"Reference {t_id} Wikidata:{e.qid}\t{one_line(e.text)}")
        if e.id != t_id:
            add("#", f"{NOTES} {t_id}\t{json.dumps({'id': e.id}, ensure_ascii=False)}")
    for d, t_id in zip(aset.cleaning, t_ids[len(aset.entities):]):
        add("A", f"{REASON} {t_id} {d.reason}")
    for s in aset.stances:
        for k, _ in enumerate(s.evidence):
            t_id = next(evidence_t)
            add("A", f"{STANCE} {t_id} {s.label}")
            add("A", f"{TARGET} {t_id} {s.target}")
            if s.holder == AUTHOR:
                add("A", f"{AUTHOR_ATTRIBUTE} {t_id}")
            elif s.holder in by_entity:
                add("R", f"{HOLDER} Arg1:{by_entity[s.holder]} Arg2:{t_id}")
            elif k == 0:
                problems.append(problem("E109", str(aset.path or ""), f"{where}, stance {s.id}", value=s.holder, **STANCE_HOLDER))
            note = {key: value for key, value in (("id", s.id if s.id != t_id else None), ("note", s.note)) if value}
            if k == 0 and note:
                add("#", f"{NOTES} {t_id}\t{json.dumps(note, ensure_ascii=False)}")
    order = {"R": 0, "A": 1, "N": 2, "#": 3}
    extra.sort(key=lambda line: (order[line[0]], int(line[1:line.index("\t")])))
    return "\n".join(lines + extra) + "\n", problems


def annotation_conf(schema: Schema) -> str:
    """brat's annotation.conf for ``schema`` (shipped as annotations/brat/annotation.conf)."""
    return "\n".join([
        "# newsstance brat configuration, generated from annotations/schema.yaml; see annotations/brat/README.md",
        "[entities]", *schema.entity_labels, DEBRIS_TYPE, EVIDENCE_TYPE, "",
        "[relations]",
        f"{HOLDER}\tArg1:<ENTITY>, Arg2:{EVIDENCE_TYPE}",
        f"<OVERLAP>\tArg1:{EVIDENCE_TYPE}, Arg2:<ANY>, <ANY>",
        f"<OVERLAP>\tArg1:<ANY>, Arg2:{EVIDENCE_TYPE}, <ANY>", "",
        "[events]", "",
        "[attributes]",
        f"{REASON}\tArg:{DEBRIS_TYPE}, Value:{'|'.join(schema.debris_reasons)}",
        f"{STANCE}\tArg:{EVIDENCE_TYPE}, Value:{'|'.join(schema.stance_labels)}",
        f"{TARGET}\tArg:{EVIDENCE_TYPE}, Value:{'|'.join(schema.targets)}",
        f"{AUTHOR_ATTRIBUTE}\tArg:{EVIDENCE_TYPE}", ""])
