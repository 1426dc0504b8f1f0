"""The ``stance`` task: gold items from the ``stance`` config, predicted labels checked, then scored.

Predictions: one line per gold item of the ``stance`` config, ``{"article_id": "...",
"holder_key": "...", "target": "...", "label": "favor"}``, with ``holder_key`` and ``target``
copied from that config. Scores: accuracy, per-label P/R/F1, macro-F1, F_avg and the confusion
matrix (``metrics.stance_scores``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from builder.evaluation import metrics
from builder.evaluation.gold import documents_gold
from builder.evaluation.predictions import Checker, missing_warning
from builder.evaluation.records import DataRef, Gold, Line, Scored, StanceItem

Key = tuple[str, str, str]  # (article_id, holder_key, target): one gold item


def key_of(item: StanceItem) -> Key:
    return item.article_id, item.holder_key, item.target


def load_gold(ref: DataRef, read: Callable[[str], object]) -> Gold:
    gold = documents_gold("stance", ref, read)
    stance = read("stance")
    labels, targets = stance.features["label"], stance.features["target"]
    items = sorted((StanceItem(article_id=r["article_id"], holder_key=r["holder_key"],
                                target=targets.int2str(r["target"]), label=labels.int2str(r["label"]))
                    for r in stance.to_list()), key=key_of)
    return replace(gold, stances=tuple(items), stance_labels=tuple(labels.names), targets=tuple(targets.names))


def parse(lines: Sequence[Line], gold: Gold, check: Checker) -> dict[Key, str]:
    keys = {key_of(s) for s in gold.stances}
    predicted: dict[Key, str] = {}
    for entry in lines:
        line, obj = entry.number, entry.value
        if not check.header(line, obj, {"holder_key": str, "target": str, "label": str}):
            continue
        article_id, holder_key, target, label = obj["article_id"], obj["holder_key"], obj["target"], obj["label"]
        key = (article_id, holder_key, target)
        if not (check.known(line, article_id, "target", target, gold.targets)
                and check.known(line, article_id, "stance label", label, gold.stance_labels)):
            continue
        if key not in keys:
            check.add("E607", line, article_id, holder_key=holder_key, target=target)
        elif check.first(key, line, article_id, f"holder_key {holder_key!r}, target {target!r}"):
            predicted[key] = label
    return predicted


def score(gold: Gold, predicted: Mapping[Key, str], file: str) -> Scored:
    keys = [key_of(s) for s in gold.stances]
    scores = metrics.stance_scores([s.label for s in gold.stances], [predicted.get(k) for k in keys],
                                   gold.stance_labels)
    missing = ["/".join(k) for k in keys if k not in predicted]
    sizes = {"articles": len(gold.articles), "gold_items": len(keys), "predicted_items": len(predicted),
             "missing_items": len(missing)}
    return Scored(scores, sizes, missing_warning(file, "stance items", missing, len(keys)))
