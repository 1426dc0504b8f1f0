"""One article's files -> its result: every check, gold, agreement, cleaning, tokens and the rows of each config.

Pure: the same bytes give the same result, and nothing here knows of worker processes or of the cache
(``speed/`` wraps this function from outside). An article with problems gives them and no rows; one without
annotation sets gives a summary and no rows.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from hashlib import sha256
from typing import NamedTuple

from builder.agreement.compare import compare_article, item_agreements
from builder.agreement.tally import AgreementPiece, agreement_piece
from builder.article.adjudicate import choose_gold
from builder.article.align import as_columns
from builder.article.project import project_set
from builder.article.splits import split_of
from builder.config import BuildConfig
from builder.errors import InputError, Problem
from builder.records import AnnotationSet, Annotator, BuiltArticle, Schema
from builder.sources.listing import ArticleBytes, InputIndex
from builder.article.checks import check_article
from builder.views import VIEWS, ViewInput
from builder.views.schema import LabelIds, label_ids
from builder.views.sentences import sentences_of

GOLD_ORDER = 3  # E115 and other gold problems come after every input problem, by article id


class InputFile(NamedTuple):
    """One file an article was built from: its name in the manifest (``corpus/x.txt``) and its sha256."""

    name: str
    sha256: str


class LabelCount(NamedTuple):
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """What the build keeps of one article once its rows are written: counts, agreement, inputs."""

    article_id: str
    annotated: bool
    split: str | None
    rows: dict[str, int]  # per config
    labels: dict[str, tuple[LabelCount, ...]]  # of the gold set, per kind of label the card counts
    gold_source: str | None
    disagreements: tuple[str, ...]
    agreement: AgreementPiece | None
    inputs: tuple[InputFile, ...]
    language: str = ""  # the article's language code (metadata)
    split_tokens: int = 0  # tokens of spaCy's tokenizer split at an annotation boundary
    outlet: str | None = None  # as the metadata names it


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """One article built: its summary and rows (per config that has its own rows), or its problems."""

    inputs: tuple[InputFile, ...]
    summary: ArticleSummary | None
    problems: tuple[tuple[tuple, Problem], ...] = ()  # with their place in file order
    misfiled: bool = False  # a file names another article than its file name: group the inputs by content
    rows: Mapping[str, list | Mapping] | None = None


@dataclass(frozen=True, slots=True)
class ArticleContext:
    """What building any article needs besides its own files: made once per build."""

    schema: Schema
    annotators: Mapping[str, Annotator]
    ids: LabelIds
    split_ratios: tuple[tuple[str, float], ...]
    allow_unadjudicated: bool
    by_content: bool

    @classmethod
    def of(cls, index: InputIndex, config: BuildConfig) -> ArticleContext:
        return cls(index.schema, index.annotators, label_ids(index.schema), config.split_ratios,
                   config.allow_unadjudicated, index.by_content)


def article_inputs(data: ArticleBytes) -> tuple[InputFile, ...]:
    """The article's files with their sha256: metadata, raw text (if there is one), annotation files."""
    files = data.files
    named = [InputFile(f"corpus/{os.path.basename(files.meta)}", sha256(data.meta).hexdigest())]
    if data.raw_name is not None:
        named.append(InputFile(f"corpus/{data.raw_name}", data.raw_sha256))
    named += [InputFile(f"annotations/{name}", sha256(raw).hexdigest())
              for name, raw in zip(files.annotations, data.annotations)]
    return tuple(named)


def label_counts(gold: AnnotationSet, schema: Schema) -> dict[str, tuple[LabelCount, ...]]:
    """How often each label of each counted kind (``LabelKind.counted``) occurs in the gold set's items."""
    counts = {}
    for kind in schema.kinds():
        if kind.counted is not None:
            labels = Counter(getattr(item, kind.counted.attribute) for item in getattr(gold, kind.counted.items))
            counts[kind.name] = tuple(LabelCount(label, count) for label, count in labels.items())
    return counts


def build_article(data: ArticleBytes, context: ArticleContext) -> ArticleResult:
    """Check, adjudicate, compare, clean, project, tokenize and make the rows of one article."""
    inputs = article_inputs(data)
    checked = check_article(data, context.schema, context.annotators, by_content=context.by_content)
    if checked.problems or checked.misfiled or checked.article is None:
        return ArticleResult(inputs, None, tuple(checked.problems), checked.misfiled)
    article = checked.article
    if not checked.sets:
        return ArticleResult(inputs, ArticleSummary(article.id, False, None, {name: 0 for name in VIEWS}, {}, None,
                                                    (), None, inputs, language=article.meta.language,
                                                    outlet=article.meta.outlet))
    comparison = compare_article(checked.sets, len(article.text))
    try:
        choice = choose_gold(article.id, checked.sets, allow_unadjudicated=context.allow_unadjudicated,
                             items=comparison.items)
    except InputError as exc:
        return ArticleResult(inputs, None, tuple(((GOLD_ORDER, article.id, ""), p) for p in exc.problems))
    clean, _ = checked.cleaned_text(choice.gold.cleaning)
    gold = project_set(choice.gold, clean)
    _, tokens = checked.clean_and_tokens(choice.gold.cleaning, ((p.clean_start, p.clean_end) for p in gold.entities))
    built = BuiltArticle(clean=clean, split=split_of(article.meta, context.split_ratios), tokens=tokens, gold=gold,
                         annotator_sets=tuple(project_set(s, clean, known=gold) for s in checked.sets if not s.is_gold))
    item = ViewInput(built, choice.source, context.ids, context.schema.targets, context.annotators,
                     dict(zip(comparison.annotators, item_agreements(comparison))), sentences_of(as_columns(tokens)))
    rows = {name: view.rows(item) for name, view in VIEWS.items() if view.rows is not None}
    counts = {name: row_count(rows[view.derive_from if view.rows is None else name]) for name, view in VIEWS.items()}
    summary = ArticleSummary(
        article.id, True, built.split, counts, label_counts(gold.annotations, context.schema), choice.source,
        choice.disagreements,
        agreement_piece(article.id, comparison, any(s.is_gold for s in checked.sets)), inputs,
        language=article.meta.language, split_tokens=tokens.split, outlet=article.meta.outlet)
    return ArticleResult(inputs, summary, rows=rows)


def row_count(rows: list | Mapping) -> int:
    """Rows as tuples (a list) or as columns (a mapping of columns, ``id`` among them)."""
    return len(rows["id"]) if isinstance(rows, Mapping) else len(rows)
