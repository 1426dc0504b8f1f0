"""The ``ner`` task: gold entities from the ``ner`` config, predicted entities checked, then scored.

Predictions: one line per article, ``{"article_id": "...", "entities": [{"start": 0, "end": 9,
"label": "PERSON"}, ...]}``. Offsets are code points into the cleaned ``text`` of the
``documents`` config, end exclusive. Labels are the entity ClassLabel names. Scores: strict and
partial P/R/F1 (``metrics.ner_scores``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from builder.evaluation import metrics
from builder.evaluation.gold import documents_gold
from builder.evaluation.metrics import Span
from builder.evaluation.predictions import Checker, missing_warning, shape_problem
from builder.evaluation.records import DataRef, Gold, Line, Scored


def ner_gold_spans(rows: Sequence[Mapping], tag_names: Sequence[str]) -> list[Span]:
    """Rows of the ``ner`` config -> entity spans in clean character offsets (strict IOB2)."""
    spans = []
    for row in rows:
        tags = [tag_names[t] if isinstance(t, int) else t for t in row["ner_tags"]]
        for first, end, label in metrics.iob2_spans(tags):
            spans.append(Span(row["article_id"], row["token_starts"][first], row["token_ends"][end - 1], label))
    return spans


def entity_labels_of(tag_names: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(metrics.split_tag(t)[1] for t in tag_names if t != "O"))


def load_gold(ref: DataRef, read: Callable[[str], object]) -> Gold:
    gold = documents_gold("ner", ref, read)
    ner = read("ner")
    names = ner.features["ner_tags"].feature.names
    return replace(gold, entities=tuple(ner_gold_spans(ner.to_list(), names)), entity_labels=entity_labels_of(names))


def parse(lines: Sequence[Line], gold: Gold, check: Checker) -> dict[str, list[Span]]:
    predicted: dict[str, list[Span]] = {}
    for entry in lines:
        line, obj = entry.number, entry.value
        if not check.header(line, obj, {"entities": list}):
            continue
        article_id = obj["article_id"]
        if not check.first(article_id, line, article_id, "this article"):
            continue
        length = len(gold.texts[article_id])
        spans = predicted.setdefault(article_id, [])
        for index, entity in enumerate(obj["entities"]):
            wrong = shape_problem(entity, {"start": int, "end": int, "label": str})
            if wrong:
                check.add("E602", line, article_id, detail=f"entities[{index}]: {wrong}", task="ner")
                continue
            start, end, label = entity["start"], entity["end"], entity["label"]
            if not 0 <= start < end <= length:
                check.add("E604", line, article_id, start=start, end=end, length=length)
            elif check.known(line, article_id, "entity label", label, gold.entity_labels) and check.first(
                    (article_id, start, end, label), line, article_id, f"entity [{start}, {end}) {label}"):
                spans.append(Span(article_id, start, end, label))
    return predicted


def score(gold: Gold, predicted: Mapping[str, list[Span]], file: str) -> Scored:
    missing = [a for a in gold.articles if a not in predicted]
    spans = [s for a in sorted(predicted) for s in predicted[a]]
    sizes = {"articles": len(gold.articles), "gold_items": len(gold.entities), "predicted_items": len(spans),
             "missing_articles": len(missing)}
    return Scored(metrics.ner_scores(gold.entities, spans), sizes,
                  missing_warning(file, "articles", missing, len(gold.articles)))
