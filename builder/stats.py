"""Counts of the corpus and its annotations, per annotator, for `newsstance stats`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from builder.validate import Inputs


@dataclass(frozen=True, slots=True)
class AnnotatorStats:
    sets: int
    entities: Counter
    stances: Counter
    debris: Counter


@dataclass(frozen=True, slots=True)
class CorpusStats:
    articles: int
    annotated: int
    characters: int
    by_annotator: dict[str, AnnotatorStats]


def corpus_stats(inputs: Inputs) -> CorpusStats:
    sets_by_annotator: dict[str, list] = {}
    for sets in inputs.sets_by_article.values():
        for aset in sets:
            sets_by_annotator.setdefault(aset.annotator, []).append(aset)
    by_annotator = {
        annotator: AnnotatorStats(
            sets=len(sets),
            entities=Counter(e.label for s in sets for e in s.entities),
            stances=Counter(t.label for s in sets for t in s.stances),
            debris=Counter(d.reason for s in sets for d in s.cleaning))
        for annotator, sets in sets_by_annotator.items()}
    return CorpusStats(articles=len(inputs.articles), annotated=len(inputs.sets_by_article),
                       characters=sum(len(a.text) for a in inputs.articles),
                       by_annotator=dict(sorted(by_annotator.items())))


def format_counter(counter: Counter) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))) or "none"


def format_stats(stats: CorpusStats) -> str:
    lines = [f"articles: {stats.articles} ({stats.annotated} annotated), characters: {stats.characters}"]
    for annotator, a in stats.by_annotator.items():
        lines += [f"\n{annotator}: {a.sets} set(s)",
                  f"  entities ({sum(a.entities.values())}): {format_counter(a.entities)}",
                  f"  stances ({sum(a.stances.values())}): {format_counter(a.stances)}",
                  f"  debris spans ({sum(a.debris.values())}): {format_counter(a.debris)}"]
    return "\n".join(lines)
