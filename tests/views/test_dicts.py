"""The views write labels as the ClassLabel integers of schema.py's Features."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from datasets import ClassLabel, List

from builder.article.align import Tokens
from builder.records import (AnnotationSet, ArticleMeta, BuiltArticle, CleanArticle, Debris, Entity, OffsetMap,
                             ProjectedEntity, ProjectedSet, RawArticle, Schema)
from builder.views.schema import CONFIGS, features_for, label_ids
from builder.views.dicts import cleaning_row, documents_row, ner_rows, sentence_ranges

SCHEMA = Schema(entity_labels={"PERSON": "a person", "ORG": "an organisation"},
                stance_labels={"favor": "", "against": "", "neutral": ""},
                debris_reasons={"advertising": "", "promotion": ""}, targets={"plan": "the plan", "deal": "the deal"})
IDS = label_ids(SCHEMA)


def class_labels(feature, path: str = "") -> list[tuple[str, ClassLabel]]:
    if isinstance(feature, ClassLabel):
        return [(path, feature)]
    if isinstance(feature, List):
        return class_labels(feature.feature, path)
    if isinstance(feature, dict):
        return [found for key, f in feature.items() for found in class_labels(f, f"{path}/{key}")]
    return []


@pytest.mark.parametrize("config", CONFIGS)
def test_label_ids_number_every_class_label_as_the_features_do(config):
    kind = {"label": None, "reason": IDS.debris, "target": IDS.target, "ner_tags": IDS.bio}
    for path, feature in class_labels(features_for(config, SCHEMA)):
        name = path.rsplit("/", 1)[-1]
        ids = kind[name] or (IDS.entity if path.startswith(("/entities",)) else IDS.stance)
        assert ids == {label: feature.str2int(label) for label in feature.names}, path


TEXT = "Joe Biden met Olaf Scholz."


def built_article() -> BuiltArticle:
    meta = ArticleMeta("a1", "a1.txt", "0" * 64, "en", None, None, None, "test")
    raw = RawArticle(meta, "AD " + TEXT, Path("a1.txt"))
    identity = tuple(range(len(raw.text) + 1))
    clean = CleanArticle(raw, TEXT, OffsetMap(identity, identity))
    words = [("Joe", 0), ("Biden", len("Joe ")), ("met", len("Joe Biden ")), ("Olaf", len("Joe Biden met ")),
             ("Scholz", len("Joe Biden met Olaf ")), (".", len("Joe Biden met Olaf Scholz"))]
    tokens = Tokens([w for w, _ in words], [s for _, s in words], [s + len(w) for w, s in words], [0] * len(words))
    scholz = Entity("e1", len("AD Joe Biden met "), len("AD Joe Biden met Olaf Scholz"), "PERSON", "Olaf Scholz")
    debris = Debris(0, len("AD "), "advertising", "AD ")
    gold = AnnotationSet("a1", "gold", "0" * 64, (debris,), (scholz,), ())
    projected = ProjectedSet(gold, (ProjectedEntity(scholz, len("Joe Biden met "), len("Joe Biden met Olaf Scholz")),), ())
    return BuiltArticle(clean, "train", tokens, projected)


def test_ner_tags_are_bio_ids():
    (row,) = ner_rows(built_article(), IDS)
    assert row["ner_tags"] == [IDS.bio[t] for t in ["O", "O", "O", "B-PERSON", "I-PERSON", "O"]]


def test_an_entity_across_a_sentence_break_joins_only_those_sentences():
    article = built_article()
    cut = Tokens(article.tokens.texts, article.tokens.starts, article.tokens.ends, [0, 0, 1, 1, 2, 3])  # "Olaf | Scholz"
    rows = ner_rows(replace(article, tokens=cut), IDS)
    assert [row["tokens"] for row in rows] == [["Joe", "Biden"], ["met", "Olaf", "Scholz"], ["."]]
    assert [row["sentence_index"] for row in rows] == [0, 1, 2]
    assert rows[1]["ner_tags"] == [IDS.bio[t] for t in ["O", "B-PERSON", "I-PERSON"]]


def test_entity_and_debris_labels_are_ids():
    document = documents_row(built_article(), "gold", IDS)
    assert [e["label"] for e in document["entities"]] == [IDS.entity["PERSON"]]
    assert [d["reason"] for d in cleaning_row(built_article(), IDS)["debris"]] == [IDS.debris["advertising"]]


def test_an_unknown_label_is_a_key_error():
    with pytest.raises(KeyError, match="B-PERSON"):
        ner_rows(built_article(), label_ids(Schema({"ORG": ""}, {"favor": ""}, {"advertising": ""}, {"plan": ""})))


@pytest.mark.parametrize("sentence_of, ranges", [
    ([], []), ([0], [(0, 1)]), ([0, 0, 1], [(0, 2), (2, 3)]), ([0, 1, 1, 2], [(0, 1), (1, 3), (3, 4)]),
    ([3, 3, 3], [(0, 3)])])
def test_sentence_ranges_cut_at_each_new_sentence_index(sentence_of, ranges):
    assert sentence_ranges(sentence_of) == ranges
