"""The corpus agreement added up one article at a time: what each article adds, and the running sums.

Pair counts are summed as they come (pooling sums them anyway), so memory does not grow with the corpus
(alpha's units do, for articles with three or more annotators). The result equals
``corpus.corpus_agreement`` of all the sets at once, without per-article entries (the build streams those
into the manifest).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from builder.agreement.coefficients import Unit
from builder.agreement.compare import ArticleComparison
from builder.agreement.corpus import FEWER_THAN_THREE, article_figures, pooled
from builder.agreement.pairs import PairCounts
from builder.agreement.report import AgreementReport, ArticleAgreement, article_json_text


@dataclass(frozen=True, slots=True)
class AgreementPiece:
    """What one article adds to the corpus agreement (its annotators' sets, gold excluded)."""

    annotators: tuple[str, ...]
    adjudicated: bool
    pairs: tuple[PairCounts, ...]
    entity_units: tuple[Unit, ...]
    stance_units: tuple[Unit, ...]
    disagreements: int
    by_article: str | None  # its entry of the manifest's agreement.by_article, as JSON text


def agreement_piece(article_id: str, comparison: ArticleComparison, adjudicated: bool) -> AgreementPiece:
    """Per article, as ``corpus.corpus_agreement`` computes it, from the comparison of its sets."""
    names = comparison.annotators
    if len(names) < 2:
        return AgreementPiece(names, adjudicated, (), (), (), 0, None)
    text = article_json_text(ArticleAgreement(article_id, names, adjudicated, article_figures(comparison)))
    return AgreementPiece(names, adjudicated, tuple(comparison.pairs), comparison.entity_units,
                          comparison.stance_units, comparison.disagreements, text)


@dataclass
class AgreementTally:
    """The running sums of every article's ``AgreementPiece``."""

    compared: int = 0
    pairs: int = 0
    entity_matched: int = 0
    entity_annotated: int = 0
    by_label: dict[str, list[int]] = field(default_factory=dict)  # label -> [matched, annotated]
    stance_pairs: Counter = field(default_factory=Counter)
    stance_unmatched: int = 0
    debris_matched: int = 0
    debris_annotated: int = 0
    debris_cells: list[int] | None = field(default_factory=lambda: [0, 0, 0, 0])
    entity_units: list[Unit] = field(default_factory=list)
    stance_units: list[Unit] = field(default_factory=list)
    disagreements: int = 0
    unadjudicated: int = 0
    single: list[str] = field(default_factory=list)  # articles with one annotator
    with_three: bool = False

    def add(self, article_id: str, piece: AgreementPiece) -> None:
        if len(piece.annotators) < 2:
            self.single.extend([article_id] if piece.annotators else [])
            return
        self.compared += 1
        self.disagreements += piece.disagreements
        self.unadjudicated += 0 if piece.adjudicated else piece.disagreements
        self.with_three |= len(piece.annotators) >= 3
        self.entity_units.extend(piece.entity_units)
        self.stance_units.extend(piece.stance_units)
        for pair in piece.pairs:
            self.add_pair(pair)

    def add_pair(self, pair: PairCounts) -> None:
        self.pairs += 1
        self.entity_matched += pair.entity_matched
        self.entity_annotated += pair.entity_annotated
        for label, matched, annotated in pair.entity_by_label:
            counts = self.by_label.setdefault(label, [0, 0])
            counts[0] += matched
            counts[1] += annotated
        self.stance_pairs.update(pair.stance_pairs)
        self.stance_unmatched += pair.stance_unmatched
        self.debris_matched += pair.debris_matched
        self.debris_annotated += pair.debris_annotated
        if pair.debris_cells is None or self.debris_cells is None:
            self.debris_cells = None
        else:
            self.debris_cells = [a + b for a, b in zip(self.debris_cells, pair.debris_cells)]

    def report(self) -> AgreementReport:
        """The corpus report, without per-article entries."""
        merged = PairCounts(
            entity_matched=self.entity_matched, entity_annotated=self.entity_annotated,
            entity_by_label=tuple((label, m, n) for label, (m, n) in self.by_label.items()),
            stance_pairs=tuple(pair for pair, n in sorted(self.stance_pairs.items()) for _ in range(n)),
            stance_unmatched=self.stance_unmatched, debris_matched=self.debris_matched,
            debris_annotated=self.debris_annotated,
            debris_cells=None if self.debris_cells is None else tuple(self.debris_cells))
        corpus = pooled([merged] if self.pairs else [], self.entity_units, self.stance_units,
                        articles=self.compared, disagreements=self.disagreements,
                        alpha_note=None if self.with_three else FEWER_THAN_THREE)
        return AgreementReport(replace(corpus, pairs=self.pairs), (), tuple(self.single), self.unadjudicated)
