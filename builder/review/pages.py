"""The review of the corpus -> the text of each page (index, articles) and of each chart, through jinja2 templates.

jinja2 escapes every value (autoescape on for .html and .svg templates); nothing here writes HTML by hand.
The page records below are what the templates read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from builder.agreement.report import shown
from builder.records import AUTHOR, AnnotationSet, Decision, Stance
from builder.review.charts import Chart, agreement_chart, label_chart
from builder.review.data import Place, ReviewArticle, ReviewCorpus
from builder.review.marks import Piece, pieces

TITLE = "newsstance annotation review"
UNCOMPARED = "n/a: one annotator"  # no pair compared: no figure, rather than the F1 1.000 of "both marked nothing"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("builder.review", "templates"),
                      autoescape=select_autoescape(["html", "svg", "j2"]), undefined=StrictUndefined,
                      keep_trailing_newline=True)
    env.globals["chart_svg"] = lambda chart: Markup(chart_text(chart))
    return env


def chart_text(chart: Chart) -> str:
    return environment().get_template("chart.svg.j2").render(chart=chart)


def charts(review: ReviewCorpus) -> tuple[Chart, ...]:
    """The overview figures: gold entity labels, gold stance labels, agreement per label."""
    return (label_chart("entity-labels", "Gold entities per label", review.gold_labels, list(review.schema.entity_labels)),
            label_chart("stance-labels", "Gold stances per label", review.stance_labels, list(review.schema.stance_labels)),
            agreement_chart(review.agreement.corpus))


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    numeric: bool


COLUMNS = (Column("article", False), Column("annotators", False), Column("gold", False), Column("open decisions", True),
           Column("disagreements", True), Column("entities", True), Column("stances", True), Column("debris", True),
           Column("entity F1", True))


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    annotators: str
    source: str
    counts: tuple[int, ...]  # open decisions, disagreements, entities, stances, debris
    f1: str
    f1_value: float  # -1 without a figure, so that it sorts last


@dataclass(frozen=True, slots=True)
class IndexPage:
    title: str
    articles: tuple[ReviewArticle, ...]
    figures: tuple[tuple[str, str], ...]
    charts: tuple[Chart, ...]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]  # open decisions first, then by id
    restricted: int = 0  # articles whose text this site holds but may not be redistributed


def index_page(review: ReviewCorpus, made: tuple[Chart, ...]) -> IndexPage:
    c = review.agreement.corpus
    figures = (("articles", str(len(review.articles))),
               ("annotators", str(len({s.annotator for a in review.articles for s in a.sets}))),
               ("gold entities", str(sum(review.gold_labels.values()))),
               ("gold stances", str(sum(review.stance_labels.values()))),
               ("gold debris spans", str(sum(len(a.gold.cleaning) for a in review.articles))),
               ("articles compared (two or more annotators)", str(c.articles)),
               *((name, shown(value) if c.pairs else UNCOMPARED) for name, value in (
                   ("entity exact-span F1", c.entity_f1.value), ("entity Krippendorff's alpha", c.entity_alpha.value),
                   ("stance Cohen's kappa", c.stance_kappa.value), ("debris character F1", c.debris_f1.value))),
               ("disagreements", str(c.disagreements)),
               ("open decisions", str(sum(len(a.open_decisions) for a in review.articles))))
    rows = [Row(a.article.id, ", ".join(s.annotator for s in a.sets), a.source,
                (len(a.open_decisions), len(a.disagreements), len(a.gold.entities), len(a.gold.stances),
                 len(a.gold.cleaning)),
                shown(a.figures.entity_f1.value) if a.figures else "—",
                a.figures.entity_f1.value if a.figures and a.figures.entity_f1.value is not None else -1.0)
            for a in review.articles]
    rows.sort(key=lambda r: (-r.counts[0], r.id))
    return IndexPage(TITLE, review.articles, figures, made, COLUMNS, tuple(rows), len(review.restricted))


@dataclass(frozen=True, slots=True)
class StanceView:
    stance: Stance
    holder: str  # the holder's mention text, or "@author"
    holder_id: str | None  # the entity id, for the anchor
    target_description: str


@dataclass(frozen=True, slots=True)
class ArticlePage:
    id: str
    article: object  # RawArticle
    source: str
    gold: AnnotationSet
    annotators: tuple[str, ...]
    pieces: tuple[Piece, ...]
    stances: tuple[StanceView, ...]
    places: tuple[Place, ...]
    disagreements: tuple[Place, ...]
    open_decisions: tuple[Decision, ...]
    other_decisions: tuple[Decision, ...]  # decided, and tied to no place
    restricted: bool = False  # the text's licence does not allow redistributing it
    open_rows: tuple[str | None, ...] = ()  # per open decision, the id of its row in the annotator view

    @property
    def open_with_rows(self) -> tuple[tuple[Decision, str | None], ...]:
        return tuple(zip(self.open_decisions, self.open_rows))


def article_page(a: ReviewArticle, targets: dict[str, str], restricted: bool = False) -> ArticlePage:
    texts = {e.id: e.text for e in a.gold.entities}
    stances = tuple(StanceView(s, AUTHOR if s.holder == AUTHOR else texts.get(s.holder, s.holder),
                               s.holder if s.holder in texts else None, targets.get(s.target, ""))
                    for s in a.gold.stances)
    tied = [p.decision for p in a.places if p.decision is not None]  # candidates are not hashable
    others = tuple(d for d in a.gold.decisions if d.decision is not None and d not in tied)
    rows = tuple(next((f"disagreement-{p.disagreement}" for p in a.disagreements if p.decision == d), None)
                 for d in a.open_decisions)
    return ArticlePage(a.article.id, a.article, a.source, a.gold, tuple(s.annotator for s in a.sets),
                       pieces(a.article.text, a.gold), stances, a.places, a.disagreements, a.open_decisions, others,
                       restricted, rows)


def renderer(name: str) -> Callable[..., str]:
    return environment().get_template(name).render


def render_index(page: IndexPage) -> str:
    return renderer("index.html.j2")(site=page)


def render_article(page: ArticlePage) -> str:
    return renderer("article.html.j2")(page=page)
