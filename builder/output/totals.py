"""Article summaries -> the corpus figures the card and the manifest need, added up as the articles come."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from builder.agreement.tally import AgreementTally
from builder.article.build import ArticleSummary
from builder.errors import Problem


@dataclass
class Totals:
    articles: int = 0  # loaded, annotated or not
    annotated: int = 0
    labels: dict[str, Counter] = field(default_factory=dict)  # of the gold sets, per kind of label
    gold_sources: Counter = field(default_factory=Counter)
    unadjudicated: list[str] = field(default_factory=list)
    unadjudicated_of: dict[str, tuple[str, ...]] = field(default_factory=dict)  # the same lines, by article id
    agreement: AgreementTally = field(default_factory=AgreementTally)
    problems: list[tuple[tuple, Problem]] = field(default_factory=list)
    misfiled: bool = False
    languages: Counter = field(default_factory=Counter)  # annotated articles per language code
    outlets: Counter = field(default_factory=Counter)  # annotated articles per outlet; None: no outlet given
    split_tokens: dict[str, int] = field(default_factory=dict)  # article id -> tokens split at annotation boundaries

    @property
    def failed(self) -> bool:
        return bool(self.problems) or self.misfiled

    def add(self, summary: ArticleSummary) -> None:
        self.articles += 1
        if not summary.annotated:
            return
        self.annotated += 1
        self.languages[summary.language] += 1
        self.outlets[summary.outlet] += 1
        if summary.split_tokens:
            self.split_tokens[summary.article_id] = summary.split_tokens
        for kind, counts in summary.labels.items():
            counter = self.labels.setdefault(kind, Counter())
            for label, count in counts:
                counter[label] += count
        self.gold_sources[summary.gold_source] += 1
        self.unadjudicated.extend(summary.disagreements)
        if summary.disagreements:
            self.unadjudicated_of[summary.article_id] = tuple(summary.disagreements)
        self.agreement.add(summary.article_id, summary.agreement)
