"""Which values of each config carry an article's text, how a public release withholds them, and how they
are made again from the raw text and the offsets the release keeps.

A string value is kept only where its path is listed in ``KEPT`` (ids, metadata, qids...): every other
string is withheld (null), so that a text field a later config or layer adds is withheld by default, never
published by mistake. Lists keep their length (a token becomes null, not gone), numbers and labels stay.
A holder's key stays when it is a Wikidata QID or ``@author``, its mention text when it is ``@author``.

Restoring uses the build's own code for every value: the cleaned text is ``article.clean.cut`` of the
removed ranges of the gold debris, a token, entity, evidence or debris text is the slice of its offsets,
a holder key is ``article.project.holder_key``, a stance context is ``views.stance.context_of`` over the
sentences of ``article.align.tokenize``, its tokens split where the build split them (the cuts of
cleaning and the gold entities' boundaries: a split can end a sentence, ``51.Bright``). Offsets are never moved.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import pyarrow as pa

from builder.article.align import as_columns, tokenize
from builder.article.checks import cut_points
from builder.article.clean import cut, removed_ranges
from builder.article.project import holder_key
from builder.records import AUTHOR, Debris
from builder.views.sentences import Sentences, sentences_of
from builder.views.stance import context_of

QID = re.compile(r"Q[1-9][0-9]*")
ALWAYS_KEPT = frozenset({"id", "article_id"})  # every config's row ids, so that a row names its article
_ITEM_IDS = {"entities[].id", "entities[].qid", "stances[].id", "stances[].holder_entity_id"}
KEPT: dict[str, frozenset[str]] = {
    "documents": frozenset({"language", "outlet", "url", "published", "rights", "license", "metadata_notes[].field",
                            "metadata_notes[].note", "inferred_fields[]", "raw_sha256", "gold_source", "annotators[]",
                            *_ITEM_IDS}),
    "ner": frozenset(),
    "stance": frozenset({"target_description"}),
    "cleaning": frozenset(),
    "annotations": frozenset({"annotator", "annotator_kind", "annotator_description", *_ITEM_IDS}),
}


def article_column(schema: pa.Schema) -> str:
    """The column that names a row's article: ``article_id``, else ``id`` (documents, cleaning)."""
    return "article_id" if "article_id" in schema.names else "id"


def public_key(key: str | None) -> bool:
    """A holder key that carries no text: a QID or ``@author``."""
    return key is not None and (key == AUTHOR or QID.fullmatch(key) is not None)


def is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)


def is_list(kind: pa.DataType) -> bool:
    return pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind)


def withheld_value(value, kind: pa.DataType, path: str, kept: frozenset[str]):
    """``value`` (of Arrow type ``kind``, at ``path``) with every string not at a kept path nulled."""
    if value is None:
        return None
    if pa.types.is_struct(kind):
        out = {f.name: withheld_value(value[f.name], f.type, f"{path}.{f.name}" if path else f.name, kept)
               for f in kind}
        if public_key(value.get("holder_key")):
            out["holder_key"] = value["holder_key"]
            if value["holder_key"] == AUTHOR and "holder" in value:
                out["holder"] = value["holder"]
        return out
    if is_list(kind):
        return [withheld_value(v, kind.value_type, f"{path}[]", kept) for v in value]
    if is_text(kind):
        return value if path in kept or path in ALWAYS_KEPT else None
    return value


def withheld_row(row: Mapping, config: str, schema: pa.Schema) -> dict:
    """One row of ``config`` with its text withheld."""
    return withheld_value(row, pa.struct(list(schema)), "", KEPT.get(config, frozenset()))


class EvidenceSpan(NamedTuple):
    """What ``context_of`` reads of an evidence item: its clean offsets."""

    clean_start: int
    clean_end: int


class Evidence(NamedTuple):
    evidence: tuple[EvidenceSpan, ...]


@dataclass
class ArticleText:
    """One article's raw text and what is made from it, each made once when first needed."""

    raw: str
    language: str
    debris: tuple[Debris, ...]
    entities: tuple[tuple[int, int], ...] = ()  # the gold entities' clean offsets: where the build split tokens
    holders: dict[str, tuple[str, str]] = field(default_factory=dict)  # stance row id -> (holder, holder key)
    _clean: str | None = None
    _sentences: Sentences | None = None

    @property
    def clean(self) -> str:
        if self._clean is None:
            self._clean = cut(self.raw, removed_ranges(self.raw, self.debris))
        return self._clean

    @property
    def sentences(self) -> Sentences:
        if self._sentences is None:
            cuts = cut_points(removed_ranges(self.raw, self.debris))
            boundaries = [*cuts, *(offset for span in self.entities for offset in span)]
            self._sentences = sentences_of(as_columns(tokenize(self.clean, self.language, boundaries)))
        return self._sentences


def article_text(documents_row: Mapping, raw: str) -> ArticleText:
    """The text of a documents row's article, whose raw text is ``raw`` (verified by its sha256)."""
    debris = tuple(Debris(d["raw_start"], d["raw_end"], "", "") for d in documents_row["debris"])
    entities = tuple((e["start"], e["end"]) for e in documents_row["entities"])
    return ArticleText(raw, documents_row["language"], debris, entities)


def restored_items(value, text: ArticleText, entities: Mapping[str, Mapping]):
    """Nested items with their text again: a ``text`` beside raw offsets is their slice; a holder is the
    text of its entity (among the row's ``entities``), its key ``holder_key`` of that entity."""
    if isinstance(value, list):
        return [restored_items(v, text, entities) for v in value]
    if not isinstance(value, dict):
        return value
    out = {name: restored_items(v, text, entities) for name, v in value.items()}
    if out.get("text") is None and "raw_start" in out and out["raw_start"] is not None:
        out["text"] = text.raw[out["raw_start"]:out["raw_end"]]
    if "holder" in out and out.get("holder_entity_id") is not None:
        entity = entities.get(out["holder_entity_id"])
        if entity is not None:
            mention = text.raw[entity["raw_start"]:entity["raw_end"]]
            out["holder"] = mention if out["holder"] is None else out["holder"]
            out["holder_key"] = holder_key(entity["qid"], mention) if out["holder_key"] is None else out["holder_key"]
    return out


def stance_row_fields(row: Mapping, text: ArticleText) -> dict:
    holder, key = text.holders.get(row["id"], (None, None))
    context = context_of(Evidence(tuple(EvidenceSpan(v["start"], v["end"]) for v in row["evidence"])),
                         text.clean, text.sentences)
    return {"holder": row["holder"] or holder, "holder_key": row["holder_key"] or key, "context": context}


def ner_row_fields(row: Mapping, text: ArticleText) -> dict:
    clean = text.clean
    return {"tokens": [clean[s:e] for s, e in zip(row["token_starts"], row["token_ends"])]}


TOP_LEVEL: dict[str, Callable[[Mapping, ArticleText], dict]] = {
    "documents": lambda row, text: {"text": text.clean, "raw_text": text.raw},
    "cleaning": lambda row, text: {"clean_text": text.clean, "raw_text": text.raw},
    "ner": ner_row_fields,
    "stance": stance_row_fields,
    "annotations": lambda row, text: {},
}


def restored_row(row: Mapping, config: str, text: ArticleText) -> dict:
    """One withheld row of ``config`` with its text made again from ``text``."""
    entities = {e["id"]: e for e in row.get("entities") or []}
    out = restored_items(dict(row), text, entities)
    if config in TOP_LEVEL:
        out.update(TOP_LEVEL[config](out, text))
    if config == "documents":
        text.holders.update({f"{row['id']}-{s['id']}": (s["holder"], s["holder_key"]) for s in out["stances"]})
    return out


def still_withheld(value, kind: pa.DataType, path: str, kept: frozenset[str]) -> str | None:
    """The path of the first string that is null where a release withholds text, if any."""
    if value is None:
        return path if is_text(kind) and path not in kept and path not in ALWAYS_KEPT else None
    if pa.types.is_struct(kind):
        for f in kind:
            key = value.get("holder_key")
            if (f.name == "holder_key" and public_key(key)) or (f.name == "holder" and key == AUTHOR):
                continue
            found = still_withheld(value[f.name], f.type, f"{path}.{f.name}" if path else f.name, kept)
            if found is not None:
                return found
    elif is_list(kind):
        for v in value:
            if (found := still_withheld(v, kind.value_type, f"{path}[]", kept)) is not None:
                return found
    return None


def unrestored_field(row: Mapping, config: str, schema: pa.Schema) -> str | None:
    """A text field of a hydrated row that this builder could not make again (a config or layer it does not know)."""
    return still_withheld(row, pa.struct(list(schema)), "", KEPT.get(config, frozenset()))
