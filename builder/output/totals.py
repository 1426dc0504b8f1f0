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
    entity_labels: Counter = field(default_factory=Counter)
    stance_labels: Counter = field(default_factory=Counter)
    debris_reasons: Counter = field(default_factory=Counter)
    gold_sources: Counter = field(default_factory=Counter)
    unadjudicated: list[str] = field(default_factory=list)
    agreement: AgreementTally = field(default_factory=AgreementTally)
    problems: list[tuple[tuple, Problem]] = field(default_factory=list)
    misfiled: bool = False

    @property
    def failed(self) -> bool:
        return bool(self.problems) or self.misfiled

    def add(self, summary: ArticleSummary) -> None:
        self.articles += 1
        if not summary.annotated:
            return
        self.annotated += 1
        for counter, counts in ((self.entity_labels, summary.entity_labels), (self.stance_labels, summary.stance_labels),
                                (self.debris_reasons, summary.debris_reasons)):
            for label, count in counts:
                counter[label] += count
        self.gold_sources[summary.gold_source] += 1
        self.unadjudicated.extend(summary.disagreements)
        self.agreement.add(summary.article_id, summary.agreement)
