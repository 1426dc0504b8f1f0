"""builder/output/statements.py: the card's facts read from the metadata, the annotators and the gold counts."""

from __future__ import annotations

from collections import Counter

import yaml

from builder.output.statements import (AnnotatorFacts, CorpusFacts, corpus_facts, present_layers, tasks_section,
                                       yaml_tasks)
from builder.sources.listing import index_inputs
from factories import ARTICLE, annotation, default_entities, write_annotation, write_article, REPO


def project(tmp_path):
    corpus, annotations = tmp_path / "corpus", tmp_path / "annotations"
    write_article(corpus, "a1", ARTICLE, language="yo", outlet="Outlet A")
    write_article(corpus, "a2", ARTICLE, language="yo", outlet=None, notes={"outlet": "not given"})
    write_article(corpus, "a3", ARTICLE, language="ig", outlet="Outlet A")
    write_article(corpus, "unannotated", ARTICLE, language="ha")
    for article_id in ("a1", "a2", "a3"):
        write_annotation(annotations, annotation(article_id, ARTICLE, "ann-1", entities=default_entities()))
    write_annotation(annotations, annotation("a1", ARTICLE, "ann-2", entities=default_entities()))
    (annotations / "schema.yaml").write_bytes((REPO / "annotations" / "schema.yaml").read_bytes())
    (annotations / "annotators.yaml").write_text(yaml.safe_dump({"annotators": [
        {"id": "ann-1", "kind": "human", "description": "x"}, {"id": "ann-2", "kind": "model", "description": "y"},
        {"id": "unused", "kind": "human", "description": "z"}]}), encoding="utf-8")
    return index_inputs(corpus, annotations)


def test_facts_of_the_annotated_articles_only(tmp_path):
    facts = corpus_facts(project(tmp_path), compared_pairs=1, languages=Counter(yo=2, ig=1),
                         outlets=Counter({"Outlet A": 2, None: 1}))
    assert facts == CorpusFacts(languages=(("yo", 2), ("ig", 1)), outlets=(("Outlet A", 2),), without_outlet=1,
                                annotators=(AnnotatorFacts("ann-1", "human", 3), AnnotatorFacts("ann-2", "model", 1)),
                                compared_pairs=1)


def test_a_layer_exists_only_with_gold_items():
    labels = {"entity": Counter(PERSON=1), "stance": Counter(), "debris": Counter(navigation=0)}
    assert list(present_layers(labels)) == ["entity"]


def test_no_layer_no_task():
    assert tasks_section({}) == "No annotation layer has gold items yet, so no task is supported."
    assert yaml_tasks({}, CorpusFacts()) == {"task_categories": [], "task_ids": [], "tags": ["news"]}
