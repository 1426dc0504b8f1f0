"""brat standoff (``<doc>.txt`` + ``<doc>.ann``) <-> annotation sets.

The lines newsstance reads and writes (annotations/brat/README.md has the full description)::

    T1<TAB>PERSON 10 27<TAB>Volodymyr Zelensky      an entity: the type is a schema label (or mapped)
    T2<TAB>Debris 560 569;570 582<TAB>FREE TOOL XP simulator   page debris; fragments between line breaks
    A1<TAB>Reason T2 promotion                       the debris reason
    T3<TAB>Evidence 700 790<TAB>...                  stance evidence
    A2<TAB>Stance T3 neutral                         its stance label
    A3<TAB>Target T3 us-peace-plan-2025              its target
    A4<TAB>Author T3                                 the holder is the author (instead of a Holder relation)
    R1<TAB>Holder Arg1:T1 Arg2:T3                    the holder entity of the evidence
    N1<TAB>Reference T1 Wikidata:Q3874799<TAB>Volodymyr Zelensky   the entity's QID
    #1<TAB>AnnotatorNotes T1<TAB>{"id": "e1"}        the newsstance id (and stance note), kept by the exporter

Offsets are code points, end exclusive. brat's format is line-oriented, so a span that crosses line
breaks is stored as fragments separated only by line breaks; the importer reads such a span back as
one span. Any other discontinuous span, and everything newsstance has no place for (events,
equivalences, other relation, attribute and normalization types, notes on entities), is reported.
Entity ids are the ``T`` ids unless a note carries one; a stance takes its first evidence's id.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from builder.sources.annotations import scan_annotations
from builder.sources.corpus import load_corpus, read_json
from builder.errors import InputError, Problem, problem
from builder.records import AUTHOR, AnnotationSet, Debris, Entity, Schema
from builder.interop.common import (ITEM_ID, QID, EvidenceItem, ImportedSet, ImportReport, LabelPolicy, NewArticles,
                     adjudication_from_json, adjudication_to_json, corpus_articles, match_articles,
                     stances_from_evidence, write_import)

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


def parse_brat(ann: str, text: str, *, file: str, doc: str, annotator: str,
               labels: LabelPolicy = LabelPolicy(), article_hint: str | None = None) -> tuple[ImportedSet, list[Problem]]:
    """One document's .ann text over its .txt text -> an ImportedSet and every item not taken."""
    textbounds, others, problems = parse_lines(ann, file)
    triggers = {field.split(":", 1)[1] for line in others if line.id.startswith("E")
                for field in line.fields[:1] if ":" in field}
    spans: dict[str, tuple[int, int]] = {}
    kinds: dict[str, str] = {}  # T id -> "entity" | "debris" | "evidence"
    entity_labels: dict[str, str] = {}
    for tb in textbounds.values():
        where = f"line {tb.line} ({tb.id} {tb.type})"
        if tb.id in triggers:
            problems.append(problem("E403", file, where, kind="event trigger", reason="events are not part of newsstance"))
            continue
        span, found = contiguous(tb, text, file)
        if span is None:
            problems.extend(found)
            continue
        if tb.type in (DEBRIS_TYPE, EVIDENCE_TYPE):
            kinds[tb.id] = tb.type.lower()
        else:
            label, found = labels.resolve("entity_labels", tb.type, file, where)
            if label is None:
                problems.extend(found)
                continue
            kinds[tb.id], entity_labels[tb.id] = "entity", label
        spans[tb.id] = span
    attributes: dict[str, dict[str, str | bool]] = defaultdict(dict)
    holders: dict[str, list[str]] = defaultdict(list)
    qids: dict[str, str] = {}
    notes: dict[str, dict | str] = {}
    for line in others:
        where = f"line {line.line} ({line.id})"
        taken, found = read_line(line, kinds, textbounds, attributes, holders, qids, notes, file, where)
        problems.extend(found)
        if not taken and not found:
            problems.append(problem("E403", file, where, kind=f"brat {describe(line)}",
                                    reason="it refers to an annotation that was not imported (reported above)"))
    entities, found = build_entities(textbounds, spans, kinds, entity_labels, qids, notes, text, file)
    problems.extend(found)
    cleaning = []
    for tb_id in (t for t in textbounds if kinds.get(t) == "debris"):
        reason = attributes[tb_id].get(REASON)
        where = f"line {textbounds[tb_id].line} ({tb_id} {DEBRIS_TYPE})"
        if not isinstance(reason, str):
            problems.append(problem("E403", file, where, kind="debris span", reason="it has no Reason attribute"))
            continue
        reason_label, found = labels.resolve("debris_reasons", reason, file, where)
        problems.extend(found)
        if reason_label is not None:
            start, end = spans[tb_id]
            cleaning.append(Debris(start, end, reason_label, text[start:end]))
    stances, found = build_stances(textbounds, spans, kinds, attributes, holders, notes, text, labels, file)
    problems.extend(found)
    imported = ImportedSet(file=file, where=f"doc {doc}", text=text, article_hint=article_hint, annotator=annotator,
                           cleaning=tuple(cleaning), entities=tuple(entities), stances=stances)
    return imported, problems


def describe(line: Line) -> str:
    return f"{line.id} {' '.join(line.fields)}"


def read_line(line: Line, kinds, textbounds, attributes, holders, qids, notes, file: str,
              where: str) -> tuple[bool, list[Problem]]:
    """One non-text-bound line into the maps it feeds; (taken, problems). Not taken without a problem
    means it refers to an annotation that was itself reported."""
    prefix, fields = line.id[:1], line.fields
    if prefix in ("E", "*"):
        return False, [problem("E403", file, where, kind=f"brat {describe(line)}",
                               reason="events and equivalences are not part of newsstance")]
    refs = [f.split(":", 1)[-1] for f in fields[1:]]
    if any(r in textbounds and kinds.get(r) in (None, "dropped") for r in refs[:2]):
        return False, []
    if prefix == "R" and len(fields) == 3 and fields[0] == HOLDER:
        arg1, arg2 = (dict(f.split(":", 1) for f in fields[1:] if ":" in f).get(k) for k in ("Arg1", "Arg2"))
        if kinds.get(arg1) == "entity" and kinds.get(arg2) == "evidence":
            holders[arg2].append(arg1)
            return True, []
    if prefix in ("A", "M") and len(fields) in (2, 3):
        name, target = fields[0], fields[1]
        value = fields[2] if len(fields) == 3 else True
        wanted = {REASON: "debris", STANCE: "evidence", TARGET: "evidence", AUTHOR_ATTRIBUTE: "evidence"}.get(name)
        if wanted is not None and kinds.get(target) == wanted and (name == AUTHOR_ATTRIBUTE) == (value is True):
            attributes[target][name] = value
            return True, []
    if prefix == "N" and len(fields) == 3 and fields[0] == "Reference" and kinds.get(fields[1]) == "entity":
        db, _, qid = fields[2].partition(":")
        if db.lower() == WIKIDATA:
            if not QID.fullmatch(qid):
                return False, [problem("E427", file, where, value=qid)]
            qids[fields[1]] = qid
            return True, []
    if prefix == "#" and len(fields) == 2 and fields[0] == NOTES and fields[1] in kinds:
        ours = parse_note(line.tail)
        if ours is not None or kinds[fields[1]] == "evidence":
            notes[fields[1]] = ours if ours is not None else line.tail
            return True, []
    return False, [problem("E403", file, where, kind=f"brat {describe(line)}",
                           reason="newsstance reads Holder relations, Reason/Stance/Target/Author attributes, "
                                  "Wikidata references and notes on stance evidence")]


def note_id(notes, tb_id: str) -> str | None:
    note = notes.get(tb_id)
    return note.get("id") if isinstance(note, dict) else None


def build_entities(textbounds, spans, kinds, entity_labels, qids, notes, text: str,
                   file: str) -> tuple[list[Entity], list[Problem]]:
    entities, problems, used = [], [], set()
    for tb_id in (t for t in textbounds if kinds.get(t) == "entity"):
        entity_id = note_id(notes, tb_id) or tb_id
        if entity_id in used or not ITEM_ID.fullmatch(entity_id):
            problems.append(problem("E421" if entity_id in used else "E429", file, f"line {textbounds[tb_id].line} ({tb_id})",
                                    kind="entity", value=entity_id))
            kinds[tb_id] = "dropped"
            continue
        used.add(entity_id)
        start, end = spans[tb_id]
        entities.append(Entity(entity_id, start, end, entity_labels[tb_id], text[start:end], qids.get(tb_id)))
    return entities, problems


def build_stances(textbounds, spans, kinds, attributes, holders, notes, text: str, labels: LabelPolicy,
                  file: str) -> tuple[tuple, list[Problem]]:
    """Evidence spans with their attributes, holder relations and notes -> stances."""
    entity_id = {tb_id: note_id(notes, tb_id) or tb_id for tb_id in textbounds if kinds.get(tb_id) == "entity"}
    items, problems = [], []
    for tb_id in (t for t in textbounds if kinds.get(t) == "evidence"):
        where = f"line {textbounds[tb_id].line} ({tb_id} {EVIDENCE_TYPE})"
        label = attributes[tb_id].get(STANCE)
        if not isinstance(label, str):
            problems.append(problem("E414", file, where, detail="it has no Stance attribute (favor, against or neutral)"))
            continue
        label, found = labels.resolve("stance_labels", label, file, where)
        problems.extend(found)
        if label is None:
            continue
        start, end = spans[tb_id]
        note, target = notes.get(tb_id), attributes[tb_id].get(TARGET)
        items.append(EvidenceItem(
            where=where, preferred_id=note_id(notes, tb_id) or tb_id, start=start, end=end, text=text[start:end],
            label=label, holders=tuple(entity_id[h] for h in holders.get(tb_id, ()) if h in entity_id),
            author=attributes[tb_id].get(AUTHOR_ATTRIBUTE) is True,
            targets=(target,) if isinstance(target, str) else (),
            note=note.get("note") if isinstance(note, dict) else note))
    stances, found = stances_from_evidence(items, labels, file)
    return stances, problems + found


# --- export -------------------------------------------------------------------------------------


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


def brat_ann(aset: AnnotationSet, text: str) -> tuple[str, list[Problem]]:
    """One annotation set -> the text of its .ann file (ids and notes as parse_brat reads them back)."""
    problems: list[Problem] = []
    where = f"article {aset.article_id}, annotator {aset.annotator}"
    spans = [("entity", e.id, e.start, e.end, e.label) for e in aset.entities]
    spans += [("debris", None, d.start, d.end, DEBRIS_TYPE) for d in aset.cleaning]
    spans += [("evidence", s.id if k == 0 else None, v.start, v.end, EVIDENCE_TYPE)
              for s in aset.stances for k, v in enumerate(s.evidence)]
    taken: set[str] = set()
    wanted = []  # brat id each span keeps when its newsstance id is already a free T id
    for kind, item_id, *_ in spans:
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
                problems.append(problem("E109", str(aset.path or ""), f"{where}, stance {s.id}", holder=s.holder))
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


# --- I/O edges ------------------------------------------------------------------------------------


def brat_documents(folder: Path) -> tuple[list[tuple[str, Path, Path]], list[Problem]]:
    """(document name, .txt, .ann) of every pair under ``folder``, sorted; unpaired files are problems."""
    folder = Path(folder)
    texts = {p.relative_to(folder).with_suffix("").as_posix(): p for p in folder.rglob("*.txt")}
    anns = {p.relative_to(folder).with_suffix("").as_posix(): p for p in folder.rglob("*.ann")}
    problems = [problem("E419", texts[n], name=texts[n].name, missing=".ann") for n in sorted(set(texts) - set(anns))]
    problems += [problem("E419", anns[n], name=anns[n].name, missing=".txt") for n in sorted(set(anns) - set(texts))]
    return [(name, texts[name], anns[name]) for name in sorted(set(texts) & set(anns))], problems


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """A .txt exactly as stored (no newline translation), or why it cannot be read."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [problem("E005", path, byte=data[exc.start], offset=exc.start)]


def import_brat(folder: Path, *, corpus_dir: Path, annotations_dir: Path, annotator: str,
                labels: LabelPolicy = LabelPolicy(), new_articles: NewArticles | None = None,
                overwrite: bool = False, strict: bool = False) -> ImportReport:
    """Every .txt/.ann pair under ``folder`` -> one annotation file per document, by ``annotator``."""
    documents, problems = brat_documents(folder)
    if not documents and not problems:
        problems.append(problem("E419", folder, name=str(folder), missing=".txt/.ann pair"))
    imported = []
    for name, txt, ann in documents:
        text, found = read_text(txt)
        ann_text, found_ann = read_text(ann)
        problems.extend(found + found_ann)
        if text is None or ann_text is None:
            continue
        item, found = parse_brat(ann_text, text, file=str(ann), doc=name, annotator=annotator, labels=labels,
                                 article_hint=Path(name).name)
        problems.extend(found)
        sidecar = ann.with_suffix(ADJUDICATION_SUFFIX)
        data = read_json(sidecar, problems) if sidecar.is_file() else None  # a syntax error is reported (E001)
        if data is not None:
            adjudication = adjudication_from_json(data)
            if adjudication is None:
                problems.append(problem("E401", sidecar, detail="expected {adjudicated_from: [...], decisions: [...]}"))
            else:
                item = replace(item, adjudicated_from=adjudication[0], decisions=adjudication[1])
        imported.append(item)
    articles = corpus_articles(corpus_dir, allow_empty=new_articles is not None)
    sets, new, found = match_articles(imported, articles, new_articles)
    return write_import(sets, new, problems + found, corpus_dir=corpus_dir, annotations_dir=annotations_dir,
                        overwrite=overwrite, strict=strict)


def export_brat(corpus_dir: Path, annotations_dir: Path, output_dir: Path, *, annotator: str,
                schema: Schema) -> int:
    """Write ``<id>.txt`` (the raw bytes) + ``<id>.ann`` for each article ``annotator`` annotated, and
    annotation.conf; returns the number of documents."""
    articles = {a.id: a for a in load_corpus(corpus_dir)}
    sets, problems = scan_annotations(annotations_dir)
    chosen = [s for s in sets if s.annotator == annotator]
    files = {}
    for aset in chosen:
        article = articles.get(aset.article_id)
        if article is None:
            problems.append(problem("E102", str(aset.path), f"annotator {annotator}", id=aset.article_id))
            continue
        if aset.raw_sha256 != article.meta.sha256:
            problems.append(problem("E103", str(aset.path), f"article {aset.article_id}",
                                    actual=aset.raw_sha256, expected=article.meta.sha256))
            continue
        ann, found = brat_ann(aset, article.text)
        problems.extend(found)
        files[article.id] = (article.path.read_bytes(), ann, adjudication_to_json(aset))
    if problems:
        raise InputError(problems)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "annotation.conf").write_text(annotation_conf(schema), encoding="utf-8")
    for article_id, (raw, ann, adjudication) in sorted(files.items()):
        (output_dir / f"{article_id}.txt").write_bytes(raw)
        (output_dir / f"{article_id}.ann").write_text(ann, encoding="utf-8")
        if adjudication is not None:  # brat has no place for it; the importer reads it back
            (output_dir / f"{article_id}{ADJUDICATION_SUFFIX}").write_text(
                json.dumps(adjudication, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return len(files)
