"""The annotations config: one row per (article, annotator), that annotator's own items with their agreement."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from datasets import Features, List, Value

from builder.records import Schema
from builder.views.items import ITEMS, ItemColumn
from builder.views.view import ViewInput

if TYPE_CHECKING:
    from builder.agreement.compare import ItemAgreement

DESCRIPTION = "one row per (article, annotator): every annotator's own labels, with per-item agreement"


def per_set_agreement() -> list[str]:
    """The item columns whose agreement is one ``<column>_agreement`` figure of the set, after the item columns."""
    return [name for name, column in ITEMS.items() if not column.agreement_per_item]


def features(schema: Schema) -> Features:
    agreement = {"agreement": Value("float32")}
    return Features({
        "id": Value("string"),
        "article_id": Value("string"),
        "annotator": Value("string"),
        "annotator_kind": Value("string"),
        "annotator_description": Value("string"),
        **{name: List((column.struct(schema) | agreement) if column.agreement_per_item else column.struct(schema))
           for name, column in ITEMS.items()},
        **{f"{name}_agreement": Value("float32") for name in per_set_agreement()},
    })


def agreement_of(scores: ItemAgreement | None, column: ItemColumn) -> Mapping[str, float | None] | float | None:
    """An annotator's agreement on one item column: per item id (the shares of its kind), or the set's
    figure of its kind (``ItemAgreement.debris``); None without figures."""
    if scores is None:
        return None
    return scores.shares[column.kind] if column.agreement_per_item else getattr(scores, column.kind)


def with_agreement(items: list[tuple], per_id: Mapping[str, float | None] | None) -> list[tuple]:
    """Each item with its agreement after its values (None where it has no figure)."""
    get = (per_id or {}).get
    return [(*item, get(item[0])) for item in items]


def rows(item: ViewInput) -> list[tuple]:
    article, ids = item.article, item.ids
    article_id = article.clean.article.id
    found = []
    for projected in article.annotator_sets:
        who = item.annotators[projected.annotations.annotator]
        scores = item.agreement.get(who.id)
        columns = [with_agreement(column.items(projected, ids), agreement_of(scores, column))
                   if column.agreement_per_item else column.items(projected, ids) for column in ITEMS.values()]
        found.append((f"{article_id}-{who.id}", article_id, who.id, who.kind, who.description, *columns,
                      *(agreement_of(scores, ITEMS[name]) for name in per_set_agreement())))
    return found
