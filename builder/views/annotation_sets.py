"""The annotations config: one row per (article, annotator), that annotator's own items with their agreement."""

from __future__ import annotations

from datasets import Features, List, Value

from builder.records import Schema
from builder.views.items import debris_items, entity_items, stance_items
from builder.views.schema import debris_item, entity_item, stance_item
from builder.views.view import ViewInput

DESCRIPTION = "one row per (article, annotator): every annotator's own labels, with per-item agreement"


def features(schema: Schema) -> Features:
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


def rows(item: ViewInput) -> list[tuple]:
    article, ids = item.article, item.ids
    article_id = article.clean.article.id
    found = []
    for projected in article.annotator_sets:
        who = item.annotators[projected.annotations.annotator]
        scores = item.agreement.get(who.id)
        found.append((f"{article_id}-{who.id}", article_id, who.id, who.kind, who.description,
                      entity_items(projected, ids, scores.shares["entity"] if scores else {}),
                      stance_items(projected, ids, scores.shares["stance"] if scores else {}),
                      debris_items(projected, ids), scores.debris if scores else None))
    return found
