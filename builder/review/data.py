"""The checked inputs -> what the review site shows: per article its gold, its annotators' sets, their places and disagreements.

Everything is read from the same inputs as the build, checked by the same checks (``validate_inputs``),
and compared by the agreement code: a disagreement is a vote of ``agreement.votes`` that is not
unanimous, the places the article's line of `newsstance agreement` counts. Gold is the article's
``gold/`` set, else the build's rule (``adjudicate.choose_gold``, which marks it by its source). A gold
set may still hold open decisions (a draft of `newsstance adjudicate`): the site shows them first, the
only problems of the inputs (E940, E941) it does not refuse.

A gold decision is tied to a place when its ``item`` is the place's disagreement line (as a draft writes
it), else when it names the place: ``[start, end)`` of a span, the holder's quoted mention of a stance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from builder.agreement.compare import compare_article
from builder.agreement.corpus import article_figures, corpus_agreement
from builder.agreement.items import KINDS
from builder.agreement.report import AgreementReport, Figures
from builder.agreement.votes import Vote, votes
from builder.article.adjudicate import choose_gold
from builder.errors import InputError
from builder.records import AnnotationSet, Decision, RawArticle, Schema
from builder.release.licences import may_redistribute, redistributable

DRAFT_CODES = ("E940", "E941")  # a gold set's open or unapplied decisions: shown by the site, not refused
DRAFT = "draft (open decisions)"  # the gold source of a gold set with open decisions


@dataclass(frozen=True, slots=True)
class Place:
    """One place of an article, as the annotators and gold put it: a row of the annotator view."""

    kind: str  # of agreement.items.KINDS
    where: str  # e.g. "[10, 17) 'Kremlin'"
    labels: tuple[tuple[str, str | None], ...]  # (annotator, label or None), by annotator
    gold: str | None  # gold's label there, None when gold has nothing there
    disagreement: int  # its number among the article's disagreements (1...), 0 when the annotators agree
    decision: Decision | None  # the gold decision about it, if any
    anchor: str | None = None  # the id of gold's item there on the article page: "entity-e3", "stance-s2"


@dataclass(frozen=True, slots=True)
class ReviewArticle:
    article: RawArticle
    gold: AnnotationSet
    source: str  # "adjudicated", DRAFT, or the rule the build would use ("majority", "agreed-only", "single")
    sets: tuple[AnnotationSet, ...]  # the annotators' own sets, by annotator
    places: tuple[Place, ...]  # every place any annotator or gold has, by kind then place
    open_decisions: tuple[Decision, ...]  # of the gold set: no decision or reason yet
    figures: Figures | None  # agreement of this article's annotators; None with fewer than two

    @property
    def disagreements(self) -> tuple[Place, ...]:
        return tuple(p for p in self.places if p.disagreement)


@dataclass(frozen=True, slots=True)
class ReviewCorpus:
    articles: tuple[ReviewArticle, ...]  # by id
    agreement: AgreementReport
    schema: Schema
    gold_labels: Counter  # entity label -> gold entities with it, over the corpus
    stance_labels: Counter  # stance label -> gold stances with it
    restricted: frozenset[str] = frozenset()  # ids of the articles whose licence does not allow redistributing the text


def gather(corpus_dir: Path, annotations_dir: Path) -> ReviewCorpus:
    """The review of the inputs; refuses inputs the build would refuse, but for a gold set's open decisions."""
    from builder.validate import validate_inputs  # spaCy, for the token checks: only when a site is made

    report = validate_inputs(Path(corpus_dir), Path(annotations_dir))
    refused = [p for p in report.problems if p.code not in DRAFT_CODES]
    if refused or report.inputs is None:
        raise InputError(refused or report.problems)
    inputs = report.inputs
    articles = tuple(review_article(a, inputs.sets_by_article.get(a.id, ())) for a in inputs.articles
                     if inputs.sets_by_article.get(a.id))
    agreement = corpus_agreement({a.article.id: a.sets for a in articles},
                                 {a.article.id: len(a.article.text) for a in articles})
    allowed = redistributable(Path(annotations_dir) / "schema.yaml")
    return ReviewCorpus(articles, agreement, inputs.schema,
                        Counter(e.label for a in articles for e in a.gold.entities),
                        Counter(s.label for a in articles for s in a.gold.stances),
                        frozenset(a.article.id for a in articles
                                  if not may_redistribute(a.article.meta.license, allowed)))


def review_article(article: RawArticle, sets: Sequence[AnnotationSet]) -> ReviewArticle:
    annotated = tuple(sorted((s for s in sets if not s.is_gold), key=lambda s: s.annotator))
    open_decisions = tuple(d for s in sets if s.is_gold for d in s.decisions if d.decision is None or d.reason is None)
    choice = choose_gold(article.id, sets, allow_unadjudicated=True)
    source = DRAFT if open_decisions else choice.source
    comparison = compare_article(annotated, len(article.text)) if len(annotated) >= 2 else None
    return ReviewArticle(article, choice.gold, source, annotated, article_places(annotated, choice.gold),
                         open_decisions, article_figures(comparison) if comparison else None)


def article_places(sets: Sequence[AnnotationSet], gold: AnnotationSet) -> tuple[Place, ...]:
    """Every place of the annotators' sets and of gold, each with its labels; disagreements numbered."""
    places, number = [], 0
    anchors = {("entity", (e.start, e.end)): f"entity-{e.id}" for e in gold.entities}
    anchors |= {("stance", place): f"stance-{s.id}" for place, s in zip(KINDS["stance"].placed(gold).places, gold.stances)}
    for vote in votes([*sets, gold]):
        labels = tuple((a, label) for a, label in vote.labels if a != gold.annotator)
        gold_label = dict(vote.labels)[gold.annotator]
        disagrees = len(sets) >= 2 and not Vote(vote.kind, vote.place, vote.text, labels).unanimous
        if not labels or all(label is None for _, label in labels) and not gold_label:
            continue
        number += disagrees
        places.append(Place(vote.kind, KINDS[vote.kind].where(vote.place, vote.text), labels, gold_label,
                            number if disagrees else 0, decision_about(vote, labels, gold.decisions),
                            anchors.get((vote.kind, vote.place)) if gold_label else None))
    return tuple(places)


def decision_about(vote: Vote, labels, decisions: Sequence[Decision]) -> Decision | None:
    """The gold decision about ``vote``'s place (see the module's docstring), or None."""
    line = Vote(vote.kind, vote.place, vote.text, labels).describe()
    exact = next((d for d in decisions if d.item == line), None)
    if exact is not None:
        return exact
    if vote.kind == "stance":
        named = [d for d in decisions if d.item.startswith("stance") and f"{vote.text!r}" in d.item]
    else:
        named = [d for d in decisions if d.item.startswith(vote.kind) and f"[{vote.place[0]}, {vote.place[1]})" in d.item]
    return named[0] if named else None
