"""annotations/ -> annotation sets per (article, annotator), plus the label schema and annotators.

Layout (documented in annotations/README.md):
    annotations/schema.yaml              entity labels, stance labels, debris reasons, targets
    annotations/annotators.yaml          who made each set
    builder/annotation.schema.json       JSON Schema of one annotation file
    annotations/<annotator>/<article_id>.json   one file per (article, annotator); gold/ is adjudicated

This module only reads and writes the files and checks their shape (JSON Schema); checks against the
article text and the label inventory live in ``validate.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from itertools import repeat
from operator import attrgetter
from pathlib import Path
from typing import Annotated, Literal

import jsonschema
import jsonschema_rs
import msgspec
import yaml
from msgspec import Meta, Struct

from builder.sources.corpus import ARTICLE_ID, json_pointer, lone_surrogates, read_json
from builder.errors import InputError, Problem, problem
from builder.records import (AnnotationSet, Annotator, Debris, Decision, Entity, Evidence, Schema,
                      Stance)

FORMAT = "newsstance-annotation/1"
GOLD = "gold"
JSON_SCHEMA_PATH = Path(__file__).resolve().parent.parent / "annotation.schema.json"
RESERVED = {"labelstudio", "brat"}  # folders under annotations/ that hold tool configurations


@lru_cache(maxsize=1)
def json_schema() -> dict:
    return json.loads(JSON_SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def json_schema_validator() -> jsonschema.Draft202012Validator:
    """The validator that words the problems of a document the schema refuses."""
    return jsonschema.Draft202012Validator(json_schema())


@lru_cache(maxsize=1)
def schema_accepts() -> Callable[[object], bool]:
    """Whether the JSON Schema accepts a document: jsonschema-rs decides the same as jsonschema, about
    ten times faster, and a build checks every annotation file; jsonschema still words the problems."""
    return jsonschema_rs.validator_for(json_schema()).is_valid


def read_yaml(path: Path) -> object:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError([problem("E015", path, name=Path(path).name, detail=exc.strerror or str(exc))]) from None
    except UnicodeDecodeError as exc:
        detail = f"not UTF-8 (byte 0x{exc.object[exc.start]:02x} at byte offset {exc.start})"
        raise InputError([problem("E015", path, name=Path(path).name, detail=detail)]) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "?"
        raise InputError([problem("E002", path, detail=getattr(exc, "problem", None) or str(exc), line=line)]) from None


def load_schema(path: Path) -> Schema:
    data = read_yaml(path)
    sections = ("entity_labels", "stance_labels", "debris_reasons", "targets")
    if not isinstance(data, dict) or any(not isinstance(data.get(s), dict) or not data[s] for s in sections):
        raise InputError([problem("E101", path, detail=f"schema.yaml needs non-empty mappings {', '.join(sections)}",
                                  pointer="/")])
    return Schema(**{s: {str(k): str(v) for k, v in data[s].items()} for s in sections})


def load_annotators(path: Path) -> dict[str, Annotator]:
    data = read_yaml(path)
    entries = data.get("annotators") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) and {"id", "kind", "description"} <= set(e) for e in entries):
        raise InputError([problem("E101", path, detail="annotators.yaml needs a list 'annotators' of {id, kind, description}",
                                  pointer="/annotators")])
    return {str(e["id"]): Annotator(id=str(e["id"]), kind=str(e["kind"]), description=" ".join(str(e["description"]).split()))
            for e in entries}


def parse_annotation_set(data: object, path: Path | None) -> tuple[AnnotationSet | None, list[Problem]]:
    """A parsed JSON document -> AnnotationSet, or every shape problem found in it."""
    try:
        accepted = schema_accepts()(data)
    except UnicodeEncodeError:  # jsonschema-rs cannot take a lone surrogate (``read_json`` refuses them first)
        return None, lone_surrogates(data, str(path), annotation_where)
    if accepted:
        return annotation_set_from(data, path), []
    errors = sorted(json_schema_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:  # the engines disagree: jsonschema words nothing, so jsonschema-rs does (never a silent drop)
        return None, engine_disagreement(data, path)
    return None, [problem("E101", str(path), annotation_where(data, e.absolute_path), detail=e.message,
                          pointer=json_pointer(e.absolute_path)) for e in errors]


def engine_disagreement(data: object, path: Path | None) -> list[Problem]:
    """E116 for each error jsonschema-rs finds in a document that jsonschema accepts."""
    errors = sorted(jsonschema_rs.validator_for(json_schema()).iter_errors(data), key=lambda e: list(e.instance_path))
    return [problem("E116", str(path), annotation_where(data, e.instance_path), detail=e.message,
                    pointer=json_pointer(e.instance_path)) for e in errors] or [
        problem("E116", str(path), annotation_where(data, ()), detail="no rule named", pointer="/")]


def annotation_set_from(data: dict, path: Path | None) -> AnnotationSet:
    """A document the JSON Schema accepts -> AnnotationSet. JSON Schema counts 1.0 as an integer, so
    offsets go through int(): they are used as string indexes."""
    return AnnotationSet(
        article_id=data["article_id"],
        annotator=data["annotator"],
        raw_sha256=data["raw_sha256"],
        cleaning=tuple(Debris(int(d["start"]), int(d["end"]), d["reason"], d["text"]) for d in data["cleaning"]),
        entities=tuple(Entity(e["id"], int(e["start"]), int(e["end"]), e["label"], e["text"], e.get("qid"))
                       for e in data["entities"]),
        stances=tuple(Stance(s["id"], s["holder"], s["target"], s["label"],
                             tuple(Evidence(int(v["start"]), int(v["end"]), v["text"]) for v in s["evidence"]),
                             s.get("note"))
                      for s in data["stances"]),
        path=path,
        adjudicated_from=tuple(data.get("adjudicated_from", ())),
        decisions=tuple(Decision(d["item"], d["decision"], d["reason"]) for d in data.get("decisions", ())),
    )


# --- the fast reading: msgspec decodes the bytes straight into types that mirror the JSON Schema ---

# The types below say what annotation.schema.json says, each keyword as a constraint msgspec checks while
# it decodes (tests/test_speed_features.py holds the two to the same keywords), and stricter where the
# two libraries could read a document differently: there the slow path decides.
# - Patterns are the schema's own, which end in ``(?![\s\S])`` (no character follows) rather than ``$``:
#   Python's ``$`` also matches before a final new line, jsonschema-rs's does not.
# - Integers are at most 2**63 - 1: a larger one is no offset into any text, and ``json.loads`` refuses
#   one of more than 4,300 digits (the interpreter's limit): the loader decides, whatever the limit.
# - Numbers written 1.0 or 1e0, which the schema counts as integers, are floats to msgspec: refused here.
# - A key given twice counts once, the last value, as in ``json.loads``; msgspec checks every value.
# - Bytes that are not UTF-8, a byte-order mark, NaN and lone surrogates are refused by msgspec.
LARGEST_INTEGER = 2**63 - 1
Start = Annotated[int, Meta(ge=0, le=LARGEST_INTEGER)]
End = Annotated[int, Meta(ge=1, le=LARGEST_INTEGER)]
Quoted = Annotated[str, Meta(min_length=1)]
# The id patterns of annotation.schema.json, for the structs below and the importers (``formats.common``),
# without the anchors: a struct's pattern is ``whole(...)``, an importer matches with ``fullmatch``.
ITEM_ID = "[A-Za-z0-9_-]{1,32}"  # entity and stance ids, checked for all ids at once (``all_match``)
ANNOTATOR_ID = "[a-z0-9][a-z0-9_-]{0,63}"
QID = "Q[1-9][0-9]*"


def whole(pattern: str) -> str:
    """``pattern`` as the schema writes it: from the start, with no character after (not ``$``, see above)."""
    return f"^{pattern}(?![\\s\\S])"


class JsonDebris(Struct, forbid_unknown_fields=True, gc=False):
    start: Start
    end: End
    reason: str
    text: Quoted


class JsonEntity(Struct, forbid_unknown_fields=True, gc=False):
    id: str  # ITEM_ID
    start: Start
    end: End
    label: str
    text: Quoted
    qid: Annotated[str, Meta(pattern=whole(QID))] | None = None


class JsonEvidence(Struct, forbid_unknown_fields=True, gc=False):
    start: Start
    end: End
    text: Quoted


class JsonStance(Struct, forbid_unknown_fields=True, gc=False):
    id: str  # ITEM_ID
    holder: Quoted
    target: str
    label: str
    evidence: Annotated[list[JsonEvidence], Meta(min_length=1)]
    note: str | None = None


class JsonDecision(Struct, forbid_unknown_fields=True, gc=False):
    item: str
    decision: str
    reason: str


class JsonAnnotationFile(Struct, forbid_unknown_fields=True, gc=False):
    format: Literal["newsstance-annotation/1"]
    article_id: Annotated[str, Meta(pattern=whole(ARTICLE_ID))]
    annotator: Annotated[str, Meta(pattern=whole(ANNOTATOR_ID))]
    raw_sha256: Annotated[str, Meta(pattern=whole("[0-9a-f]{64}"))]
    cleaning: list[JsonDebris]
    entities: list[JsonEntity]
    stances: list[JsonStance]
    adjudicated_from: list[str] = []
    decisions: list[JsonDecision] = []


@lru_cache(maxsize=1)
def annotation_decoder() -> msgspec.json.Decoder:
    return msgspec.json.Decoder(JsonAnnotationFile)


@lru_cache(maxsize=None)
def all_match_pattern(pattern: str) -> re.Pattern:
    return re.compile(f"{pattern}(?:\n{pattern})*")


def all_match(pattern: str, values: list[str]) -> bool:
    """Whether every value matches ``pattern`` (which matches no new line) from start to end, by one regex
    over the values joined by new lines: a new line inside a value shows in the count of them. A
    pattern per item costs more than the rest of decoding the item."""
    if not values:
        return True
    joined = "\n".join(values)
    return joined.count("\n") == len(values) - 1 and all_match_pattern(pattern).fullmatch(joined) is not None


GET_ID = attrgetter("id")
FIELDS = {kind: attrgetter(*kind._fields) for kind in (Debris, Entity, Evidence, Decision)}


def records(kind: type, items: list[Struct]) -> tuple:
    """``kind`` NamedTuples of decoded items whose fields have the same names, made in C (``attrgetter``
    of the fields and ``tuple.__new__``, no ``__new__`` call per item)."""
    return tuple(map(tuple.__new__, repeat(kind), map(FIELDS[kind], items)))


def decode_annotation(data: bytes, path: Path | None) -> AnnotationSet | None:
    """The set of an annotation file's bytes if they are, beyond doubt, UTF-8 JSON that ``json.loads``
    reads as a document the JSON Schema accepts: the same set ``annotation_set_from`` makes of that
    document. None for anything else, which ``load_annotation_file`` (the definition) then reads and
    words; a Hypothesis property holds the two to this.

    A build reads three annotation files per article; this takes about half the time of ``json.loads``,
    jsonschema-rs and records made from the dicts. The records stay NamedTuples: turning the structs
    into them is about half of what is left, and the stages after this one read the records as tuples."""
    try:
        document = annotation_decoder().decode(data)
    except (msgspec.DecodeError, UnicodeDecodeError):  # ValidationError is a DecodeError
        return None
    if not all_match(ITEM_ID, [*map(GET_ID, document.entities), *map(GET_ID, document.stances)]):
        return None
    return AnnotationSet(
        document.article_id, document.annotator, document.raw_sha256,
        records(Debris, document.cleaning),
        records(Entity, document.entities),
        tuple([tuple.__new__(Stance, (s.id, s.holder, s.target, s.label, records(Evidence, s.evidence), s.note))
               for s in document.stances]),
        path,
        tuple(document.adjudicated_from),
        records(Decision, document.decisions),
    )


def annotation_where(data: object, pointer) -> str:
    parts = list(pointer)
    article = data.get("article_id") if isinstance(data, dict) else None
    where = "" if not isinstance(article, str) else f"article {article if article.isprintable() else repr(article)}"
    if len(parts) >= 2 and parts[0] in ("cleaning", "entities", "stances"):
        where += f", {parts[0]}[{parts[1]}]"
    return where.lstrip(", ")


def load_annotation_file(path: Path) -> tuple[AnnotationSet | None, list[Problem]]:
    problems: list[Problem] = []
    data = read_json(path, problems, annotation_where)
    if data is None:
        return None, problems
    aset, problems = parse_annotation_set(data, path)
    if aset is not None and aset.annotator != path.parent.name:
        return None, [problem("E113", path, f"article {aset.article_id}", folder=path.parent.name, annotator=aset.annotator)]
    return aset, problems


def annotation_files(annotations_dir: Path) -> list[Path]:
    """Every annotation file, sorted by (annotator, article) so the order never depends on the file system."""
    root = Path(annotations_dir)
    return sorted((p for p in root.glob("*/*.json") if p.parent.name not in RESERVED),
                  key=lambda p: (p.parent.name, p.name))


def scan_annotations(annotations_dir: Path) -> tuple[list[AnnotationSet], list[Problem]]:
    sets: list[AnnotationSet] = []
    problems: list[Problem] = []
    for path in annotation_files(annotations_dir):
        aset, found = load_annotation_file(path)
        problems.extend(found)
        if aset is not None:
            sets.append(aset)
    return sets, problems


def annotation_set_to_dict(aset: AnnotationSet) -> dict:
    data: dict = {
        "format": FORMAT,
        "article_id": aset.article_id,
        "annotator": aset.annotator,
        "raw_sha256": aset.raw_sha256,
        "cleaning": [{"start": d.start, "end": d.end, "reason": d.reason, "text": d.text} for d in aset.cleaning],
        "entities": [{"id": e.id, "start": e.start, "end": e.end, "label": e.label, "text": e.text,
                      **({"qid": e.qid} if e.qid else {})} for e in aset.entities],
        "stances": [{"id": s.id, "holder": s.holder, "target": s.target, "label": s.label,
                     "evidence": [{"start": v.start, "end": v.end, "text": v.text} for v in s.evidence],
                     **({"note": s.note} if s.note else {})} for s in aset.stances],
    }
    if aset.adjudicated_from:
        data["adjudicated_from"] = list(aset.adjudicated_from)
    if aset.decisions:
        data["decisions"] = [{"item": d.item, "decision": d.decision, "reason": d.reason} for d in aset.decisions]
    return data


def dump_annotation_set(aset: AnnotationSet) -> str:
    """The canonical text of an annotation file: stable key order, 2-space indent, trailing newline."""
    return json.dumps(annotation_set_to_dict(aset), ensure_ascii=False, indent=2) + "\n"


def write_annotation_set(aset: AnnotationSet, annotations_dir: Path) -> Path:
    path = Path(annotations_dir) / aset.annotator / f"{aset.article_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_annotation_set(aset), encoding="utf-8")
    return path
