"""The documents config (the default): one row per article, its metadata, texts and gold items."""

from __future__ import annotations

from datasets import Features, List, Value

from builder.records import Schema
from builder.views.items import ITEMS
from builder.views.view import ViewInput


def listed(names) -> str:
    """``a, b and c``."""
    *first, last = names
    return f"{', '.join(first)} and {last}" if first else last


DESCRIPTION = f"one row per article: metadata, cleaned and raw text, gold {listed(ITEMS)}"


def features(schema: Schema) -> Features:
    return Features({
        "id": Value("string"),
        "language": Value("string"),
        "outlet": Value("string"),
        "url": Value("string"),
        "published": Value("string"),
        "rights": Value("string"),
        "license": Value("string"),
        "metadata_notes": List({"field": Value("string"), "note": Value("string")}),
        "inferred_fields": List(Value("string")),
        "raw_sha256": Value("string"),
        "text": Value("string"),
        "raw_text": Value("string"),
        **{name: List(column.struct(schema)) for name, column in ITEMS.items()},
        "gold_source": Value("string"),
        "annotators": List(Value("string")),
    })


def rows(item: ViewInput) -> list[tuple]:
    article, ids = item.article, item.ids
    meta = article.clean.article.meta
    return [(meta.id, meta.language, meta.outlet, meta.url, meta.published, meta.rights, meta.license,
             list(meta.notes),
             list(meta.inferred), meta.sha256, article.clean.text, article.clean.article.text,
             *(column.items(article.gold, ids) for column in ITEMS.values()),
             item.gold_source, [s.annotations.annotator for s in article.annotator_sets])]
