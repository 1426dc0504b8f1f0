"""The stance config: one row per (article, holder, target), its gold label, evidence and context sentences."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from datasets import Features, List, Value

from builder.records import ProjectedStance, Schema
from builder.views.items import by_holder_and_target, evidence_items
from builder.views.schema import labels, span_features
from builder.views.sentences import Sentences
from builder.views.view import ViewInput

DESCRIPTION = "one row per (article, holder, target): the gold stance label with its evidence"


def features(schema: Schema) -> Features:
    lab = labels(schema)
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


def context_of(stance: ProjectedStance, text: str, sentences: Sentences) -> str:
    """The sentences of the cleaned text that hold the evidence, in order, one per line."""
    starts, ends = sentences.starts, sentences.ends
    chosen = set()
    for v in stance.evidence:  # sentences with start < evidence end and end > evidence start
        chosen.update(range(bisect_right(ends, v.clean_start), bisect_left(starts, v.clean_end)))
    return "\n".join(text[starts[s]:ends[s]] for s in sorted(chosen))


def rows(item: ViewInput) -> list[tuple]:
    article, ids = item.article, item.ids
    article_id, text = article.clean.article.id, article.clean.text
    return [(f"{article_id}-{s.stance.id}", article_id, s.holder_text, s.holder_key, ids.target[s.stance.target],
             item.targets[s.stance.target], context_of(s, text, item.sentences), evidence_items(s.evidence),
             ids.stance[s.stance.label])
            for s in by_holder_and_target(article.gold)]
