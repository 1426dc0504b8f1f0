"""Fixtures of the views tests: a small label schema, hand-made built articles, and every config's rows as dicts.

Rows are read the way the build writes them: each view's ``rows`` (or ``derive``) through
``arrow.columns_to_batch`` with the config's declared schema, then ``to_pylist()``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pyarrow as pa
import pytest

from builder.article.align import Tokens, as_columns, tokenize
from builder.article.build import ArticleContext, ArticleResult, build_article
from builder.config import BuildConfig
from builder.records import (AnnotationSet, Annotator, ArticleMeta, BuiltArticle, CleanArticle, Debris, Entity,
                             Evidence, OffsetMap, ProjectedEntity, ProjectedEvidence, ProjectedSet, ProjectedStance,
                             RawArticle, Schema, Stance)
from builder.sources.listing import index_inputs, read_files
from builder.views import VIEWS, ViewInput
from builder.views.arrow import columns_to_batch
from builder.views.schema import LabelIds, label_ids
from builder.views.sentences import sentences_of

SCHEMA = Schema(entity_labels={"PERSON": "a person", "ORG": "an organisation", "LOC": "a place"},
                stance_labels={"favor": "", "against": "", "neutral": ""},
                debris_reasons={"advertising": "", "promotion": ""}, targets={"plan": "the plan", "deal": "the deal"})
ANNOTATORS = {"team-a": Annotator("team-a", "import", "first pass"),
              "team-b": Annotator("team-b", "project-team", "second pass")}


def make_article(text: str, *, entities: Sequence[ProjectedEntity] = (), stances: Sequence[ProjectedStance] = (),
                 debris: Sequence[Debris] = (), prefix: str = "", tokens: Tokens | None = None,
                 sets: Sequence[ProjectedSet] = (), notes=(), inferred=(), article_id: str = "a1") -> BuiltArticle:
    """An article whose cleaned text is ``text``; its raw text has ``prefix`` before it, which cleaning removed.

    ``entities`` and ``stances`` are the gold set's; ``sets`` are the annotators' sets."""
    meta = ArticleMeta(article_id, f"{article_id}.txt", "f" * 64, "en", "Outlet", "https://example.invalid/a1",
                       "2025-01-02", "test rights", notes=tuple(notes), inferred=tuple(inferred))
    raw = RawArticle(meta, prefix + text, Path(f"{article_id}.txt"))
    shift = len(prefix)
    offsets = OffsetMap(tuple([-1] * shift + list(range(len(text) + 1))), tuple(range(shift, shift + len(text) + 1)))
    gold = AnnotationSet(article_id, "gold", "f" * 64, tuple(debris), tuple(p.entity for p in entities),
                         tuple(s.stance for s in stances))
    return BuiltArticle(CleanArticle(raw, text, offsets), "train", tokens if tokens is not None else tokenize(text),
                        ProjectedSet(gold, tuple(entities), tuple(stances)), tuple(sets))


def mention(entity_id: str, label: str, start: int, quoted: str, *, shift: int = 0,
            qid: str | None = None) -> ProjectedEntity:
    """An entity at clean offset ``start`` of the cleaned text; its raw offsets are ``shift`` further on."""
    return ProjectedEntity(Entity(entity_id, shift + start, shift + start + len(quoted), label, quoted, qid),
                           start, start + len(quoted))


def evidence(start: int, quoted: str, *, shift: int = 0, lost: bool = False) -> ProjectedEvidence:
    """Evidence at clean offset ``start``, its raw offsets ``shift`` further on; ``lost``: cleaning removed
    it, ``start`` is a raw offset."""
    if lost:
        return ProjectedEvidence(Evidence(start, start + len(quoted), quoted), -1, -1)
    return ProjectedEvidence(Evidence(shift + start, shift + start + len(quoted), quoted), start, start + len(quoted))


def stance(stance_id: str, *found: ProjectedEvidence, holder: str = "e2", holder_key: str = "scholz",
           target: str = "plan", label: str = "favor") -> ProjectedStance:
    """A stance with this evidence; the holder's text is its key in title case."""
    return ProjectedStance(Stance(stance_id, holder, target, label, tuple(v.evidence for v in found)),
                           holder_key.title(), holder_key, found)


def annotator_set(annotator: str, *, entities: Sequence[ProjectedEntity] = (), stances: Sequence[ProjectedStance] = (),
                  debris: Sequence[Debris] = ()) -> ProjectedSet:
    annotations = AnnotationSet("a1", annotator, "f" * 64, tuple(debris), tuple(p.entity for p in entities),
                                tuple(s.stance for s in stances))
    return ProjectedSet(annotations, tuple(entities), tuple(stances))


def batches(rows: Mapping[str, list | Mapping], schema: Schema) -> dict[str, pa.RecordBatch]:
    """Each config's batch of the rows its view made (``rows[name]``), the derived configs' made from theirs."""
    found = {}
    for name, view in VIEWS.items():
        arrow_schema = view.features(schema).arrow_schema
        if view.rows is None:
            found[name] = view.derive(found[view.derive_from], arrow_schema)
        else:
            part = rows[name]
            found[name] = columns_to_batch([part] if isinstance(part, Mapping) else part, arrow_schema)
    return found


def view_input(article: BuiltArticle, *, agreement=None, gold_source: str = "gold", schema: Schema = SCHEMA,
               annotators: Mapping[str, Annotator] = ANNOTATORS) -> ViewInput:
    return ViewInput(article, gold_source, label_ids(schema), schema.targets, annotators, agreement or {},
                     sentences_of(as_columns(article.tokens)))


def rows_of(article: BuiltArticle, *, schema: Schema = SCHEMA, **options) -> dict[str, list[dict]]:
    """Every config's rows of one article, as dicts (``options``: those of ``view_input``)."""
    item = view_input(article, schema=schema, **options)
    made = {name: view.rows(item) for name, view in VIEWS.items() if view.rows is not None}
    return {name: batch.to_pylist() for name, batch in batches(made, schema).items()}


def built_project(root: Path) -> tuple[list[ArticleResult], Schema]:
    """``build_article`` of every article of a project (a folder with corpus/ and annotations/)."""
    index = index_inputs(root / "corpus", root / "annotations")
    config = BuildConfig(corpus_dir=root / "corpus", annotations_dir=root / "annotations",
                         card_path=root / "DATASET_CARD.md", output_dir=root / "out")
    context = ArticleContext.of(index, config)
    return [build_article(read_files(files), context) for files in index], index.schema


@pytest.fixture
def schema() -> Schema:
    return SCHEMA


@pytest.fixture
def ids() -> LabelIds:
    return label_ids(SCHEMA)


@pytest.fixture
def article() -> Callable[..., BuiltArticle]:
    return make_article


@pytest.fixture(name="mention")
def mention_fixture() -> Callable[..., ProjectedEntity]:
    return mention


@pytest.fixture(name="evidence")
def evidence_fixture() -> Callable[..., ProjectedEvidence]:
    return evidence


@pytest.fixture(name="stance")
def stance_fixture() -> Callable[..., ProjectedStance]:
    return stance


@pytest.fixture(name="annotator_set")
def annotator_set_fixture() -> Callable[..., ProjectedSet]:
    return annotator_set


@pytest.fixture(name="rows_of")
def rows_of_fixture() -> Callable[..., dict[str, list[dict]]]:
    return rows_of


@pytest.fixture(name="built_project", scope="session")
def built_project_fixture() -> Callable[[Path], tuple[list[ArticleResult], Schema]]:
    return built_project


@pytest.fixture(name="batches", scope="session")
def batches_fixture() -> Callable[..., dict[str, pa.RecordBatch]]:
    return batches


@pytest.fixture(name="view_input")
def view_input_fixture() -> Callable[..., ViewInput]:
    return view_input
