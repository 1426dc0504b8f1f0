"""The annotation file format as msgspec structs: the one decoder of annotation files, bytes or document.

The structs are the format: ``builder/annotation.schema.json`` is made from them (``annotation_schema``),
each of its keywords a constraint msgspec checks while it decodes. msgspec decides; the JSON Schema only
words a refusal (``annotations.refusal_problems``).
- Patterns (the schema's too) end in ``(?![\\s\\S])`` (no character follows) rather than ``$``,
  which in Python also matches before a final new line.
- Integers are at most 2**63 - 1 (the schema's ``maximum``): a larger one is no offset into any text,
  and ``json.loads`` refuses one of more than 4,300 digits (the interpreter's limit).
- Numbers written 1.0 or 1e0 are integers to the JSON Schema, floats to msgspec: in bytes they are
  refused (the loader reads them again with ``json.loads``), in a document they are made ints first.
- A key given twice counts once, the last value, as in ``json.loads``; msgspec checks every value.
- Bytes that are not UTF-8, a byte-order mark, NaN and lone surrogates are refused by msgspec.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from operator import attrgetter
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct

from builder.records import AnnotationSet, Debris, Decision, Entity, Evidence, Stance
from builder.sources.corpus import ARTICLE_ID

FORMAT = "newsstance-annotation/1"
LARGEST_INTEGER = 2**63 - 1
Start = Annotated[int, Meta(ge=0, le=LARGEST_INTEGER)]
End = Annotated[int, Meta(ge=1, le=LARGEST_INTEGER)]
Quoted = Annotated[str, Meta(min_length=1)]
# The id patterns of the format, for the structs below and the importers (``interop.common``),
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


class JsonCandidate(Struct, forbid_unknown_fields=True, gc=False):
    """One choice of an open decision of a draft gold set (``newsstance adjudicate``): what it would add to
    gold (nothing, for "not an entity"), and the annotators who gave it."""

    choice: Quoted  # what ``decision`` says to pick it: "GPE [64, 77) 'United States'", "none"
    annotators: list[str]
    cleaning: list[JsonDebris] = []
    entities: list[JsonEntity] = []
    stances: list[JsonStance] = []


class JsonDecision(Struct, forbid_unknown_fields=True, gc=False):
    item: str
    decision: str | None  # null: an open decision of a draft, refused by validate (E940)
    reason: str | None
    candidates: list[JsonCandidate] = []  # a draft's choices; ``adjudicate --apply`` takes the chosen one in


class JsonAnnotationFile(Struct, forbid_unknown_fields=True, gc=False):
    format: Literal[FORMAT]
    article_id: Annotated[str, Meta(pattern=whole(ARTICLE_ID))]
    annotator: Annotated[str, Meta(pattern=whole(ANNOTATOR_ID))]
    raw_sha256: Annotated[str, Meta(pattern=whole("[0-9a-f]{64}"))]
    cleaning: list[JsonDebris]
    entities: list[JsonEntity]
    stances: list[JsonStance]
    adjudicated_from: list[str] = []
    decisions: list[JsonDecision] = []


FILE = msgspec.inspect.type_info(JsonAnnotationFile)
NOT_ANNOTATIONS = ("decisions",)  # a gold set's record of its adjudication: items, but not annotations
ANNOTATION_LISTS = tuple(f.name for f in FILE.fields if f.name not in NOT_ANNOTATIONS and
                         isinstance(f.type, msgspec.inspect.ListType) and
                         isinstance(f.type.item_type, msgspec.inspect.StructType))
"""The file's lists of annotations (cleaning, entities, stances), in the order of its fields."""
ID_LISTS = {f.name: f.type.item_type.cls.__name__.removeprefix("Json").lower() for f in FILE.fields
            if f.name in ANNOTATION_LISTS and any(g.name == "id" for g in f.type.item_type.fields)}
"""The lists whose items have an id (entities, stances), each with the name of its item (entity, stance)."""


def either(names: list[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


@dataclass(frozen=True, slots=True)
class Refused:
    """Why msgspec refused a document, in its words, and where (JSON pointer parts; () for the whole)."""

    detail: str
    parts: tuple


@lru_cache(maxsize=1)
def annotation_decoder() -> msgspec.json.Decoder:
    return msgspec.json.Decoder(JsonAnnotationFile)


def decode_annotation(data: bytes, path: Path | None) -> AnnotationSet | None:
    """The set of an annotation file's bytes, or None when msgspec refuses them (the caller then reads
    the file with ``json.loads``, which may accept what the bytes say otherwise, see above, and words
    any refusal). The records are made from the structs in C (``records``)."""
    try:
        document = annotation_decoder().decode(data)
    except (msgspec.DecodeError, UnicodeDecodeError):  # ValidationError is a DecodeError
        return None
    found = annotation_set(document, path)
    return found if isinstance(found, AnnotationSet) else None


def convert_annotation(data: object, path: Path | None) -> AnnotationSet | Refused:
    """The set of a parsed JSON document (``json.loads``, or a dict made in code), or why it is refused."""
    try:
        document = msgspec.convert(integral_offsets(data), JsonAnnotationFile)
    except msgspec.ValidationError as exc:
        return refused(str(exc))
    return annotation_set(document, path)


def annotation_set(document: JsonAnnotationFile, path: Path | None) -> AnnotationSet | Refused:
    """The set of a decoded file, once the ids of its items (``ID_LISTS``) match ``ITEM_ID`` (all ids by one regex)."""
    ids = list(chain.from_iterable(map(GET_ID, getattr(document, name)) for name in ID_LISTS))
    if not all_match(ITEM_ID, ids):
        return Refused(f"an {either(list(ID_LISTS.values()))} id does not match {whole(ITEM_ID)!r}", ())
    return AnnotationSet(
        document.article_id, document.annotator, document.raw_sha256,
        records(Debris, document.cleaning),
        records(Entity, document.entities),
        tuple([tuple.__new__(Stance, (s.id, s.holder, s.target, s.label, records(Evidence, s.evidence), s.note))
               for s in document.stances]),
        path,
        tuple(document.adjudicated_from),
        tuple([Decision(d.item, d.decision, d.reason, tuple(d.candidates)) for d in document.decisions]),
    )


MSGSPEC_PLACE = re.compile(r"(.*) - at `\$(.*)`", re.DOTALL)
PLACE_PART = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def refused(message: str) -> Refused:
    """msgspec's message (``... - at `$.entities[0].start```) as a ``Refused``."""
    found = MSGSPEC_PLACE.fullmatch(message)
    if found is None:
        return Refused(message, ())
    return Refused(found[1], tuple(key or int(index) for key, index in PLACE_PART.findall(found[2])))


def integral_offsets(data: object) -> object:
    """``data`` with its offsets written 1.0 or 1e2 (integers to the JSON Schema) as ints; offsets are the
    only integers of the format. A copy of the lists of items; any other shape is left for msgspec."""
    if not isinstance(data, dict):
        return data

    def item(value: object) -> object:
        if not isinstance(value, dict) or not any(isinstance(value.get(k), float) for k in ("start", "end")):
            return value
        return {key: int(v) if key in ("start", "end") and isinstance(v, float) and v.is_integer() else v
                for key, v in value.items()}

    def stance(value: object) -> object:
        if not isinstance(value, dict) or not isinstance(value.get("evidence"), list):
            return value
        return {**value, "evidence": [item(v) for v in value["evidence"]]}

    copy = dict(data)
    for key, change in (("cleaning", item), ("entities", item), ("stances", stance)):
        if isinstance(copy.get(key), list):
            copy[key] = [change(v) for v in copy[key]]
    return copy


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
FIELDS = {kind: attrgetter(*kind._fields) for kind in (Debris, Entity, Evidence)}


def records(kind: type, items: list[Struct]) -> tuple:
    """``kind`` NamedTuples of decoded items whose fields have the same names, made in C (``attrgetter``
    of the fields and ``tuple.__new__``, no ``__new__`` call per item)."""
    return tuple(map(tuple.__new__, repeat(kind), map(FIELDS[kind], items)))
