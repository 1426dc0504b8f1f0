"""builder/rows.py: the rows the build writes give the very Arrow batches of views.py's dict rows."""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa
import pytest

from builder.views import rows
from builder.views import dicts as views
from builder.article.adjudicate import choose_gold
from builder.agreement.compare import ItemAgreement, compare_article
from builder.article.align import Tokens, as_columns, tokenize
from builder.views.arrow import columns_to_batch
from builder.config import BuildConfig
from builder.sources.listing import index_inputs, read_files
from builder.speed.runner import built_article
from builder.records import (AUTHOR, AnnotationSet, Annotator, ArticleMeta, BuiltArticle, CleanArticle, Debris, Entity,
                             Evidence, OffsetMap, ProjectedEntity, ProjectedEvidence, ProjectedSet, ProjectedStance,
                             RawArticle, Schema, Stance)
from builder.views.schema import CONFIGS, features_for, label_ids
from builder.validate import check_article
from builder.output.parquet import encode_group, encoded_rows_to_batch
from conftest import REPO
from views.test_dicts import SCHEMA as SMALL_SCHEMA
from views.test_dicts import built_article as small_article

import synthetic  # noqa: E402

SCHEMA = Schema(entity_labels={"PERSON": "a person", "ORG": "an organisation", "LOC": "a place"},
                stance_labels={"favor": "", "against": "", "neutral": ""},
                debris_reasons={"advertising": "", "promotion": ""}, targets={"plan": "the plan", "deal": "the deal"})
ANNOTATORS = {"team-a": Annotator("team-a", "import", "first"), "team-b": Annotator("team-b", "import", "second")}


def definition_rows(article: BuiltArticle, scores: dict, schema: Schema, annotators, source: str) -> dict[str, list]:
    ids = label_ids(schema)
    return {"documents": [views.documents_row(article, source, ids)], "ner": views.ner_rows(article, ids),
            "stance": views.stance_view_rows(article, schema.targets, ids), "cleaning": [views.cleaning_row(article, ids)],
            "annotations": views.annotation_rows(article, annotators, scores, ids)}


def fast_parts(article: BuiltArticle, scores: dict, schema: Schema, annotators, source: str) -> dict[str, list]:
    """The parts ``parallel.article_rows`` gives ``build_chunk``."""
    ids = label_ids(schema)
    sentences = views.sentences_of(as_columns(article.tokens))
    return {"documents": [rows.documents_row(article, source, ids)], "ner": [rows.ner_columns(article, ids, sentences)],
            "stance": rows.stance_view_rows(article, schema.targets, ids, sentences),
            "annotations": rows.annotation_rows(article, annotators, scores, ids)}


def fast_batches(parts: dict[str, list], schema: Schema) -> dict[str, pa.RecordBatch]:
    """The batches ``build_chunk`` makes of the parts."""
    batches = {config: columns_to_batch(part, features_for(config, schema).arrow_schema) for config, part in parts.items()}
    batches["cleaning"] = rows.cleaning_batch(batches["documents"], features_for("cleaning", schema).arrow_schema)
    return batches


def both_ways(article: BuiltArticle, scores: dict, schema: Schema = SCHEMA, annotators=ANNOTATORS,
              source: str = "gold") -> dict[str, tuple[pa.RecordBatch, pa.RecordBatch]]:
    """(from_pylist of views.py's dict rows, columns_to_batch of rows.py's parts) of every config."""
    definition = definition_rows(article, scores, schema, annotators, source)
    fast = fast_batches(fast_parts(article, scores, schema, annotators, source), schema)
    return {config: (encoded_rows_to_batch(definition[config], features_for(config, schema)), fast[config])
            for config in CONFIGS}


def assert_same(expected: pa.RecordBatch, got: pa.RecordBatch, config: str) -> None:
    assert got.schema.equals(expected.schema, check_metadata=True), config
    assert got.num_rows == expected.num_rows, config
    for name in expected.schema.names:
        assert got.column(name).equals(expected.column(name)), (config, name, got.column(name).to_pylist(),
                                                                expected.column(name).to_pylist())


def assert_same_parquet(expected: pa.RecordBatch, got: pa.RecordBatch) -> None:
    schema = expected.schema
    one, two = (encode_group(pa.Table.from_batches([b]), schema) for b in (expected, got))
    assert bytes(one.data) == bytes(two.data) and one.arrow_bytes == two.arrow_bytes


# --- hand-made articles, one edge case each ----------------------------------------------------

def article_of(text: str, gold_entities=(), annotator_sets=(), stances=(), debris=(), raw_prefix: str = "",
               tokens: Tokens | None = None, notes=(), inferred=()) -> BuiltArticle:
    """An article whose cleaned text is ``text`` (the raw text has ``raw_prefix`` before it, removed as debris)."""
    meta = ArticleMeta("a1", "a1.txt", "0" * 64, "en", "Outlet", None, "2025-01-02", "test", notes=notes,
                       inferred=inferred)
    raw = RawArticle(meta, raw_prefix + text, Path("a1.txt"))
    shift = len(raw_prefix)
    clean = CleanArticle(raw, text, OffsetMap(tuple([-1] * shift + list(range(len(text) + 1))),
                                              tuple(range(shift, shift + len(text) + 1))))
    gold = AnnotationSet("a1", "gold", "0" * 64, tuple(debris), tuple(p.entity for p in gold_entities),
                         tuple(s.stance for s in stances))
    return BuiltArticle(clean, "train", tokens if tokens is not None else tokenize(text),
                        ProjectedSet(gold, tuple(gold_entities), tuple(stances)), tuple(annotator_sets))


def mention(text: str, quoted: str, label: str, entity_id: str, shift: int = 0, qid: str | None = None,
            nth: int = 0) -> ProjectedEntity:
    start = -1
    for _ in range(nth + 1):
        start = text.index(quoted, start + 1)
    return ProjectedEntity(Entity(entity_id, shift + start, shift + start + len(quoted), label, quoted, qid),
                           start, start + len(quoted))


TEXT = "Zoë Müller met 李明 and Olaf Scholz 🙂 in Berlin.\nThe plan, said Müller, is good. Scholz agreed."
PREFIX = "AD\n"


def rich_article() -> tuple[BuiltArticle, dict]:
    """Non-ASCII tokens (2, 3 and 4 UTF-8 bytes), nested gold entities, a QID, an author and an entity
    holder, evidence and an entity that did not project, an annotator without agreement figures."""
    shift = len(PREFIX)
    zoe = mention(TEXT, "Zoë Müller", "PERSON", "e1", shift, qid="Q1")
    scholz = mention(TEXT, "Olaf Scholz", "PERSON", "e2", shift)
    nested = mention(TEXT, "Scholz", "LOC", "e3", shift)  # inside e2, and after it: it tags the shared token
    berlin = mention(TEXT, "Berlin", "LOC", "e4", shift)
    evidence = Evidence(shift + TEXT.index("The plan"), shift + TEXT.index(" is good"), "The plan, said Müller")
    projected_evidence = ProjectedEvidence(evidence, TEXT.index("The plan"), TEXT.index(" is good"))
    lost_evidence = ProjectedEvidence(Evidence(0, len("AD"), "AD"), -1, -1)
    by_zoe = Stance("s1", "e1", "plan", "favor", (evidence,))
    by_author = Stance("s2", AUTHOR, "deal", "neutral", (evidence, lost_evidence.evidence))
    stances = (ProjectedStance(by_zoe, "Zoë Müller", "Q1", (projected_evidence,)),
               ProjectedStance(by_author, "the author", "@author", (lost_evidence, projected_evidence)))
    debris = (Debris(0, len("AD\n"), "advertising", "AD\n"),)
    lost = ProjectedEntity(Entity("e9", 0, len("AD"), "ORG", "AD"), -1, -1)
    team_a = AnnotationSet("a1", "team-a", "0" * 64, debris, (zoe.entity, lost.entity), (by_zoe,))
    team_b = AnnotationSet("a1", "team-b", "0" * 64, (), (scholz.entity,), (by_author,))
    sets = (ProjectedSet(team_a, (lost, zoe), stances[:1]), ProjectedSet(team_b, (scholz,), stances[1:]))
    article = article_of(TEXT, (zoe, scholz, nested, berlin), sets, stances, debris, PREFIX,
                         notes=(("url", "not given"), ("outlet", "inferred")), inferred=("outlet",))
    scores = {"team-a": ItemAgreement({"e1": 0.5}, {"s1": 1.0}, 0.25)}  # e9 without a figure; team-b without any
    return article, scores


def crossing_article() -> BuiltArticle:
    """A gold entity across the sentencizer's break joins the two sentences into one ner row."""
    text = "We met Dr. Smith. Later Dr. Jones came. Then we left."
    tokens = tokenize(text)
    cut = Tokens(tokens.texts, tokens.starts, tokens.ends,
                 [0 if i < 3 else 1 if i < 5 else 2 if i < 10 else 3 for i in range(len(tokens))])  # "Dr. | Smith"
    return article_of(text, (mention(text, "Dr. Smith", "PERSON", "e1"),), tokens=cut)


@pytest.mark.parametrize("case", ["small", "rich", "crossing", "empty", "no entities"])
def test_rows_give_the_batches_of_the_dict_rows(case):
    article, scores = {"small": lambda: (small_article(), {}), "rich": rich_article,
                       "crossing": lambda: (crossing_article(), {}), "empty": lambda: (article_of(""), {}),
                       "no entities": lambda: (article_of("Nothing here. At all."), {})}[case]()
    for config, (expected, got) in both_ways(article, scores, SMALL_SCHEMA if case == "small" else SCHEMA).items():
        assert_same(expected, got, config)
        assert_same_parquet(expected, got)


def test_the_rich_article_has_the_cases_it_is_made_for():
    article, scores = rich_article()
    built = both_ways(article, scores)
    ner = built["ner"][0].to_pylist()
    assert any(not token.isascii() and len(token.encode()) == 4 for row in ner for token in row["tokens"])
    ids = label_ids(SCHEMA).bio
    first = ner[0]
    assert first["ner_tags"][first["tokens"].index("Olaf")] == ids["B-PERSON"]
    assert first["ner_tags"][first["tokens"].index("Scholz")] == ids["B-LOC"]  # nested: the later span wins
    documents = built["documents"][0].to_pylist()[0]
    assert {s["holder_entity_id"] for s in documents["stances"]} == {"e1", None}
    assert None in {e["start"] for s in documents["stances"] for e in s["evidence"]}
    annotations = built["annotations"][0].to_pylist()
    assert annotations[1]["debris_agreement"] is None and annotations[0]["entities"][0]["start"] is None


def test_an_entity_across_a_sentence_break_is_in_one_ner_row():
    expected, got = both_ways(crossing_article(), {})["ner"]
    assert [len(t) for t in got.column("tokens").to_pylist()] == [len(t) for t in expected.column("tokens").to_pylist()]
    assert got.num_rows == 3


def test_an_unknown_label_is_the_same_key_error():
    ids = label_ids(Schema({"ORG": ""}, {"favor": ""}, {"advertising": ""}, {"plan": ""}))
    with pytest.raises(KeyError, match="B-PERSON"):
        rows.ner_columns(small_article(), ids, views.sentences_of(as_columns(small_article().tokens)))


# --- a synthetic corpus, article by article as the build makes them ---------------------------

@pytest.fixture(scope="module")
def synthetic_articles(tmp_path_factory):
    corpus = synthetic.generate(tmp_path_factory.mktemp("synthetic") / "project", articles=24, seed=5)
    index = index_inputs(corpus / "corpus", corpus / "annotations")
    config = BuildConfig(corpus_dir=corpus / "corpus", annotations_dir=corpus / "annotations",
                         output_dir=corpus / "out", card_path=corpus / "DATASET_CARD.md", progress=False)
    found = []
    for files in index:
        checked = check_article(read_files(files), index.schema, index.annotators, by_content=index.by_content)
        assert not checked.problems
        choice = choose_gold(checked.article.id, checked.sets, allow_unadjudicated=config.allow_unadjudicated)
        comparison = compare_article(checked.sets, len(checked.article.text))
        built, scores = built_article(checked.article, checked.sets, choice, checked, comparison, config)
        found.append((built, scores, index.schema, index.annotators, choice.source))
    return found


def test_rows_of_synthetic_articles_give_the_batches_of_the_dict_rows(synthetic_articles):
    assert any(not a.clean.text.isascii() for a, *_ in synthetic_articles)
    for found in synthetic_articles:
        for config, (expected, got) in both_ways(*found).items():
            assert_same(expected, got, config)


def test_a_chunk_of_synthetic_articles_gives_one_equal_batch(synthetic_articles):
    """The parts of several articles, put together as build_chunk does."""
    schema = synthetic_articles[0][2]
    definition = [definition_rows(*found) for found in synthetic_articles]
    fast = [fast_parts(*found) for found in synthetic_articles]
    batches = fast_batches({config: [part for parts in fast for part in parts[config]] for config in fast[0]}, schema)
    for config in CONFIGS:
        expected = encoded_rows_to_batch([row for rows_of in definition for row in rows_of[config]],
                                         features_for(config, schema))
        assert_same(expected, batches[config], config)
        assert_same_parquet(expected, batches[config])


def test_ner_row_ids_are_the_formatted_indexes():
    assert rows.ner_row_ids("a1", 3) == ["a1-0000", "a1-0001", "a1-0002"]
    assert rows.ner_row_ids("b", 10_002)[-2:] == [f"b-{i:04d}" for i in (10_000, 10_001)]
    assert rows.ner_row_ids("c", 0) == [] and rows.ner_row_ids("c", 1) == ["c-0000"]
