"""Pair counts and alpha units, summed over articles -> the agreement figures, per article and over the corpus.

Every figure compares the sets of one article pair by pair (pairs.py); the corpus figure sums the
counts over every pair of every article, then computes each figure once (``pooled``; the arithmetic
is in coefficients.py, the rendering in report.py). Only the annotators' own sets are compared.

- **Entity F1, exact span**, overall and per label (a label's F1 counts only the items with that
  label); 1.0 when both annotators of a pair marked nothing.
- **Stance kappa**: Cohen's kappa over the labels of the (holder, target) pairs both annotators of a
  pair gave; stances only one gave are counted as ``unmatched`` and are not in kappa. Undefined
  (None, "undefined: only one label used") when both used one and the same label.
- **Krippendorff's alpha** (nominal) over the units of the articles with three or more annotators
  (compare.py).
- **Debris, per character**: F1 over the raw character positions each annotator marks as debris
  (1.0 when neither marks any), and Cohen's kappa over every character, which needs the text lengths.
- **Disagreements**: places the annotators of an article are not unanimous on (votes.py).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from builder.agreement.coefficients import F1, Coefficient, Unit, alpha, f1_of, kappa
from builder.agreement.compare import ArticleComparison, compare_article
from builder.agreement.items import set_file
from builder.agreement.pairs import PairCounts
from builder.agreement.report import AgreementReport, ArticleAgreement, Figures
from builder.errors import InputError, problem
from builder.records import AnnotationSet

FEWER_THAN_THREE = "no article with three or more annotators"
FEWER_THAN_THREE_ANNOTATORS = "fewer than three annotators"  # the alpha note of one such article
NO_LENGTHS = "text lengths not given"


def pooled(pairs: Sequence[PairCounts], entity: Sequence[Unit], stance: Sequence[Unit], *,
           articles: int, disagreements: int, alpha_note: str | None) -> Figures:
    """Sum the counts of ``pairs``, then compute each figure once."""
    by_label: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for p in pairs:
        for label, matched, annotated in p.entity_by_label:
            by_label[label][0] += matched
            by_label[label][1] += annotated
    stance_confusion = Counter(pair for p in pairs for pair in p.stance_pairs)
    if any(p.debris_cells is None for p in pairs):
        debris_kappa = Coefficient(None, 0, NO_LENGTHS)
    else:
        cells = [sum(p.debris_cells[i] for p in pairs) for i in range(4)]
        debris_kappa = kappa({("debris", "debris"): cells[0], ("debris", "text"): cells[1],
                              ("text", "debris"): cells[2], ("text", "text"): cells[3]})
    entity_counts = (sum(p.entity_matched for p in pairs), sum(p.entity_annotated for p in pairs))
    debris_counts = (sum(p.debris_matched for p in pairs), sum(p.debris_annotated for p in pairs))
    no_alpha = Coefficient(None, 0, alpha_note)
    return Figures(
        articles=articles, pairs=len(pairs),
        entity_f1=F1(f1_of(*entity_counts), *entity_counts),
        entity_f1_by_label=tuple((label, F1(f1_of(m, n), m, n)) for label, (m, n) in sorted(by_label.items())),
        entity_alpha=no_alpha if alpha_note else alpha(entity),
        stance_kappa=kappa(stance_confusion),
        stance_unmatched=sum(p.stance_unmatched for p in pairs),
        stance_alpha=no_alpha if alpha_note else alpha(stance),
        debris_f1=F1(f1_of(*debris_counts), *debris_counts), debris_kappa=debris_kappa, disagreements=disagreements)


def article_figures(comparison: ArticleComparison) -> Figures:
    """The figures of one article with two or more annotators."""
    three = len(comparison.items) >= 3
    return pooled(comparison.pairs, comparison.entity_units, comparison.stance_units, articles=1,
                  disagreements=comparison.disagreements, alpha_note=None if three else FEWER_THAN_THREE_ANNOTATORS)


def group_by_article(sets: Iterable[AnnotationSet]) -> dict[str, tuple[AnnotationSet, ...]]:
    """Sets -> {article id: its sets sorted by annotator}, articles sorted by id."""
    grouped: dict[str, list[AnnotationSet]] = defaultdict(list)
    for s in sets:
        grouped[s.article_id].append(s)
    return {a: tuple(sorted(grouped[a], key=lambda s: s.annotator)) for a in sorted(grouped)}


def corpus_agreement(sets_by_article: Mapping[str, Sequence[AnnotationSet]],
                     text_lengths: Mapping[str, int] | None = None) -> AgreementReport:
    """Agreement of the annotators (gold sets excluded), per article and pooled over the corpus.

    ``text_lengths`` (article id -> characters of the raw text) is needed only for the debris kappa
    over every character; without it that figure is None with the note "text lengths not given".
    """
    articles, single, all_pairs = [], [], []
    corpus_entity_units: list[Unit] = []
    corpus_stance_units: list[Unit] = []
    unadjudicated = 0
    for article_id in sorted(sets_by_article):
        sets = sorted((s for s in sets_by_article[article_id] if not s.is_gold), key=lambda s: s.annotator)
        if len(sets) < 2:
            single.extend([article_id] if sets else [])
            continue
        length = None
        if text_lengths is not None:
            if article_id not in text_lengths:
                raise InputError([problem("E704", set_file(sets[0]), f"article {article_id}", id=article_id)])
            length = text_lengths[article_id]
        comparison = compare_article(sets, length)
        corpus_entity_units.extend(comparison.entity_units)
        corpus_stance_units.extend(comparison.stance_units)
        adjudicated = any(s.is_gold for s in sets_by_article[article_id])
        unadjudicated += 0 if adjudicated else comparison.disagreements
        all_pairs.extend(comparison.pairs)
        articles.append(ArticleAgreement(article_id, comparison.annotators, adjudicated, article_figures(comparison)))
    corpus = pooled(all_pairs, corpus_entity_units, corpus_stance_units, articles=len(articles),
                    disagreements=sum(a.figures.disagreements for a in articles),
                    alpha_note=None if any(len(a.annotators) >= 3 for a in articles) else FEWER_THAN_THREE)
    return AgreementReport(corpus, tuple(articles), tuple(single), unadjudicated)
