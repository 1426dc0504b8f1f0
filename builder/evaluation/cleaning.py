"""The ``cleaning`` task: gold cleaned texts from the ``cleaning`` config, predicted texts checked, then scored.

Predictions: one line per article, ``{"article_id": "...", "text": "the cleaned text"}``.
Scores: character-level (LCS) P/R/F1 and exact match (``metrics.cleaning_scores``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from builder.evaluation import metrics
from builder.evaluation.predictions import Checker, missing_warning
from builder.evaluation.records import DataRef, Gold, Line, Scored


def load_gold(ref: DataRef, read: Callable[[str], object]) -> Gold:
    rows = read("cleaning").to_list()
    return Gold("cleaning", ref, texts={r["id"]: r["clean_text"] for r in rows},
                raw_texts={r["id"]: r["raw_text"] for r in rows})


def parse(lines: Sequence[Line], gold: Gold, check: Checker) -> dict[str, str]:
    predicted: dict[str, str] = {}
    for entry in lines:
        line, obj = entry.number, entry.value
        if check.header(line, obj, {"text": str}) and check.first(obj["article_id"], line, obj["article_id"], "this article"):
            predicted[obj["article_id"]] = obj["text"]
    return predicted


def score(gold: Gold, predicted: Mapping[str, str], file: str) -> Scored:
    scores = metrics.cleaning_scores([(gold.texts[a], predicted.get(a)) for a in gold.articles])
    missing = [a for a in gold.articles if a not in predicted]
    sizes = {"articles": len(gold.articles), "gold_items": len(gold.articles), "predicted_items": len(predicted),
             "missing_articles": len(missing)}
    return Scored(scores, sizes, missing_warning(file, "articles", missing, len(gold.articles)))
