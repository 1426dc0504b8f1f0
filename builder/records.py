"""The typed records that travel between the stages of the build.

Offsets are Python code points, end exclusive, into the raw text unless a name says ``clean``.
Dicts exist only at the file-format edges (``corpus.py``, ``annotations.py``, ``views.py``).

The items a build makes by the hundred per article (entities, stances, evidence, debris, decisions
and their projections) are NamedTuples: immutable like the frozen dataclasses, and made about three
times faster.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import NamedTuple

AUTHOR = "@author"  # stance holder that is the article's author rather than an entity mention


def columns(items: Sequence[tuple], width: int) -> tuple[tuple, ...]:
    """The fields of ``items`` (NamedTuples of ``width`` fields) as ``width`` tuples, one per field."""
    return tuple(zip(*items)) or ((),) * width


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    id: str
    file: str
    sha256: str
    language: str
    outlet: str | None
    url: str | None
    published: str | None  # ISO date, YYYY-MM-DD
    rights: str
    split: str | None = None  # explicit split; None means "from the hash of the id"
    notes: tuple[tuple[str, str], ...] = ()  # (field, note): why a value is null, how it was inferred
    inferred: tuple[str, ...] = ()  # fields whose value is inferred rather than given by the source
    title: str | None = None  # the headline, when the source gives one (optional in .meta.json)
    license: str | None = None  # SPDX id of the text's licence; None: unknown or all rights reserved


@dataclass(frozen=True, slots=True)
class RawArticle:
    meta: ArticleMeta
    text: str
    path: Path

    @property
    def id(self) -> str:
        return self.meta.id


class Debris(NamedTuple):
    start: int
    end: int
    reason: str
    text: str


class Entity(NamedTuple):
    id: str
    start: int
    end: int
    label: str
    text: str
    qid: str | None = None


class Evidence(NamedTuple):
    start: int
    end: int
    text: str


class Stance(NamedTuple):
    id: str
    holder: str  # an entity id of the same set, or AUTHOR
    target: str
    label: str
    evidence: tuple[Evidence, ...]
    note: str | None = None


class Decision(NamedTuple):
    """One adjudication decision of a gold set: what was decided, and why."""

    item: str
    decision: str | None  # None: still open (a draft's decision, refused by validate)
    reason: str | None
    candidates: tuple = ()  # a draft's choices (``sources.annotation_format.JsonCandidate``), until applied


@dataclass(frozen=True, slots=True)
class AnnotationSet:
    article_id: str
    annotator: str
    raw_sha256: str
    cleaning: tuple[Debris, ...]
    entities: tuple[Entity, ...]
    stances: tuple[Stance, ...]
    path: Path | None = None
    adjudicated_from: tuple[str, ...] = ()
    decisions: tuple[Decision, ...] = ()

    @property
    def is_gold(self) -> bool:
        return self.annotator == "gold"


@dataclass(frozen=True, slots=True)
class Annotator:
    id: str
    kind: str  # "project-team" | "project-team-assistant" | "adjudication" | "import"
    description: str


@dataclass(frozen=True, slots=True)
class Target:
    id: str
    description: str


class GoldCount(NamedTuple):
    """Where the card counts a kind of label: the gold set's items that carry it, and the title of its table."""

    items: str  # the AnnotationSet field of those items: "entities"
    attribute: str  # the field of each item that holds the label: "label"
    title: str  # "Gold entity labels"


class LabelKind(NamedTuple):
    """One kind of label of ``Schema``, written once beside its field (in the field's metadata)."""

    name: str  # "entity": the key of its ClassLabel and the attribute of its label ids
    counted: GoldCount | None = None  # None: the card does not count it


KIND = "label_kind"  # the key of a Schema field's LabelKind in the field's metadata


def label_kind(name: str, counted: GoldCount | None = None) -> dict[str, LabelKind]:
    """The metadata of a Schema field: its kind of label."""
    return {KIND: LabelKind(name, counted)}


@dataclass(frozen=True, slots=True)
class Schema:
    """The label inventory of annotations/schema.yaml: label -> description, one field per kind of label.

    The ClassLabels, the label ids and the card's gold counts iterate these fields, so a kind added here
    (with its ``LabelKind``) needs no other list of kinds."""

    entity_labels: dict[str, str] = field(
        metadata=label_kind("entity", GoldCount("entities", "label", "Gold entity labels")))
    stance_labels: dict[str, str] = field(
        metadata=label_kind("stance", GoldCount("stances", "label", "Gold stance labels")))
    debris_reasons: dict[str, str] = field(
        metadata=label_kind("debris", GoldCount("cleaning", "reason", "Gold debris reasons")))
    targets: dict[str, str] = field(metadata=label_kind("target"))

    @classmethod
    def kinds(cls) -> tuple[LabelKind, ...]:
        """Its kinds of label, in the order of its fields."""
        return tuple(f.metadata[KIND] for f in fields(cls))

    def labels(self) -> dict[str, dict[str, str]]:
        """Each kind's labels (label -> description, in schema order) by the kind's name."""
        return {f.metadata[KIND].name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """raw <-> clean character map. ``raw_to_clean[i]`` is the clean index of raw char i, or -1 if
    removed; ``clean_to_raw[j]`` is the raw index of clean char j. Both have one extra final entry
    mapping end to end, so that an exclusive end offset projects like a start offset."""

    raw_to_clean: tuple[int, ...]
    clean_to_raw: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CleanArticle:
    article: RawArticle
    text: str
    offsets: OffsetMap


class Token(NamedTuple):
    text: str
    start: int  # clean offsets
    end: int
    sentence: int


class ProjectedEntity(NamedTuple):
    entity: Entity
    clean_start: int
    clean_end: int


class ProjectedEvidence(NamedTuple):
    evidence: Evidence
    clean_start: int
    clean_end: int


class ProjectedStance(NamedTuple):
    stance: Stance
    holder_text: str
    holder_key: str  # what identifies the holder across annotators: QID, else normalised mention text
    evidence: tuple[ProjectedEvidence, ...]


@dataclass(frozen=True, slots=True)
class ProjectedSet:
    """One annotation set, projected onto the cleaned text of its article."""

    annotations: AnnotationSet
    entities: tuple[ProjectedEntity, ...]
    stances: tuple[ProjectedStance, ...]


@dataclass(frozen=True, slots=True)
class BuiltArticle:
    """Everything the views need for one article: clean text, tokens, gold and every annotator."""

    clean: CleanArticle
    split: str
    tokens: tuple[Token, ...]
    gold: ProjectedSet
    annotator_sets: tuple[ProjectedSet, ...] = field(default=())
