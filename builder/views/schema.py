"""The declared ``datasets.Features`` of every published config, shared by the writer and the card.

Label names come from annotations/schema.yaml, so a label added there appears in the ClassLabels.
Spans are plain lists of structs (``List({...})``): ``Sequence`` of a dict would turn into a dict of
lists, which the Hub viewer cannot show. Offsets are code points, end exclusive; ``start``/``end`` are
into the cleaned ``text``, ``raw_start``/``raw_end`` into ``raw_text``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from datasets import ClassLabel, Features, List, Value

from builder.records import Schema

CONFIGS = ("documents", "ner", "stance", "cleaning", "annotations")
DEFAULT_CONFIG = "documents"

CONFIG_DESCRIPTIONS = {
    "documents": "one row per article: metadata, cleaned and raw text, gold entities, stances and debris",
    "ner": "one row per sentence of the cleaned text: tokens and BIO tags of the gold entities",
    "stance": "one row per (article, holder, target): the gold stance label with its evidence",
    "cleaning": "one row per article: raw text, cleaned text and the debris spans removed",
    "annotations": "one row per (article, annotator): every annotator's own labels, with per-item agreement",
}


def bio_names(schema: Schema) -> list[str]:
    return ["O"] + [f"{prefix}-{label}" for label in schema.entity_labels for prefix in ("B", "I")]


def labels(schema: Schema) -> dict[str, ClassLabel]:
    return {
        "entity": ClassLabel(names=list(schema.entity_labels)),
        "stance": ClassLabel(names=list(schema.stance_labels)),
        "target": ClassLabel(names=list(schema.targets)),
        "debris": ClassLabel(names=list(schema.debris_reasons)),
    }


@dataclass(frozen=True, slots=True)
class LabelIds:
    """The ClassLabel integer of each label name, numbered as ``labels`` and ``bio_names`` number them:
    the views write these integers into their rows, so the writer has no names to encode."""

    entity: Mapping[str, int]
    stance: Mapping[str, int]
    target: Mapping[str, int]
    debris: Mapping[str, int]
    bio: Mapping[str, int]


def numbered(names: Sequence[str]) -> dict[str, int]:
    return {name: i for i, name in enumerate(names)}


def label_ids(schema: Schema) -> LabelIds:
    return LabelIds(entity=numbered(list(schema.entity_labels)), stance=numbered(list(schema.stance_labels)),
                    target=numbered(list(schema.targets)), debris=numbered(list(schema.debris_reasons)),
                    bio=numbered(bio_names(schema)))


def span_features(with_raw: bool = True) -> dict:
    span = {"start": Value("int32"), "end": Value("int32")}
    if with_raw:
        span |= {"raw_start": Value("int32"), "raw_end": Value("int32")}
    return span


def entity_item(schema: Schema) -> dict:
    return {"id": Value("string"), "label": labels(schema)["entity"], "text": Value("string"),
            **span_features(), "qid": Value("string")}


def stance_item(schema: Schema) -> dict:
    lab = labels(schema)
    return {"id": Value("string"), "holder": Value("string"), "holder_key": Value("string"),
            "holder_entity_id": Value("string"), "target": lab["target"], "label": lab["stance"],
            "evidence": List({"text": Value("string"), **span_features()})}


def debris_item(schema: Schema) -> dict:
    return {"raw_start": Value("int32"), "raw_end": Value("int32"), "reason": labels(schema)["debris"],
            "text": Value("string")}


def features_for(config: str, schema: Schema) -> Features:
    lab = labels(schema)
    if config == "documents":
        return Features({
            "id": Value("string"),
            "language": Value("string"),
            "outlet": Value("string"),
            "url": Value("string"),
            "published": Value("string"),
            "rights": Value("string"),
            "metadata_notes": List({"field": Value("string"), "note": Value("string")}),
            "inferred_fields": List(Value("string")),
            "raw_sha256": Value("string"),
            "text": Value("string"),
            "raw_text": Value("string"),
            "entities": List(entity_item(schema)),
            "stances": List(stance_item(schema)),
            "debris": List(debris_item(schema)),
            "gold_source": Value("string"),
            "annotators": List(Value("string")),
        })
    if config == "ner":
        return Features({
            "id": Value("string"),
            "article_id": Value("string"),
            "sentence_index": Value("int32"),
            "tokens": List(Value("string")),
            "ner_tags": List(ClassLabel(names=bio_names(schema))),
            "token_starts": List(Value("int32")),
            "token_ends": List(Value("int32")),
        })
    if config == "stance":
        return Features({
            "id": Value("string"),
            "article_id": Value("string"),
            "holder": Value("string"),
            "holder_key": Value("string"),
            "target": lab["target"],
            "target_description": Value("string"),
            "context": Value("string"),
            "evidence": List({"text": Value("string"), **span_features()}),
            "label": lab["stance"],
        })
    if config == "cleaning":
        return Features({
            "id": Value("string"),
            "raw_text": Value("string"),
            "clean_text": Value("string"),
            "debris": List(debris_item(schema)),
        })
    if config == "annotations":
        agreement = {"agreement": Value("float32")}
        return Features({
            "id": Value("string"),
            "article_id": Value("string"),
            "annotator": Value("string"),
            "annotator_kind": Value("string"),
            "annotator_description": Value("string"),
            "entities": List(entity_item(schema) | agreement),
            "stances": List(stance_item(schema) | agreement),
            "debris": List(debris_item(schema)),
            "debris_agreement": Value("float32"),
        })
    raise ValueError(f"unknown config {config!r}; known: {', '.join(CONFIGS)}")
