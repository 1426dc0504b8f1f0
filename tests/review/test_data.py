"""Tests of builder/review/data.py: what the site shows, read through the build's checks and agreement."""

from __future__ import annotations

import shutil

import pytest

from builder.errors import InputError
from builder.review.data import DRAFT, gather
from builder.review.drafts import write_draft
from factories import ARTICLE, REPO, annotation, default_entities, default_stances, write_annotation, write_article

SEED = "000_b81791b00934b5a0"


@pytest.fixture(scope="module")
def seed():
    return gather(REPO / "corpus", REPO / "annotations")


def test_the_seeds_disagreements_are_those_agreement_counts(seed):
    article = seed.articles[0]
    assert len(article.disagreements) == seed.agreement.corpus.disagreements == 15
    assert [p.disagreement for p in article.disagreements] == list(range(1, 16))
    assert article.source == "adjudicated"


def test_a_hand_written_decision_is_tied_to_the_places_it_names(seed):
    places = {p.where: p for p in seed.articles[0].places}
    assert places["[3233, 3238) 'Day X'"].decision.decision == "not an entity"
    assert places["[60, 77) 'the United States'"].decision.decision == "GPE [64, 77) 'United States'"
    washington = next(p for p in seed.articles[0].disagreements if p.where.startswith("'Washington' (key 'Q30')"))
    assert washington.decision.decision == "holder Washington with qid Q30, favor"
    assert washington.gold == "favor"


def test_unanimous_places_are_listed_with_gold_but_not_as_disagreements(seed):
    places = {p.where: p for p in seed.articles[0].places}
    zelensky = places["[10, 28) 'Volodimir Zelensky'"]
    assert zelensky.disagreement == 0 and zelensky.gold == "PERSON"
    assert dict(zelensky.labels) == {"team-a": "PERSON", "team-b": "PERSON", "team-c": "PERSON"}


def test_the_gold_label_counts_are_the_gold_sets(seed):
    assert sum(seed.gold_labels.values()) == 81 and seed.gold_labels["GPE"] == 26
    assert seed.stance_labels == {"favor": 2, "against": 3, "neutral": 3}


def test_a_draft_gold_is_shown_with_its_open_decisions(tmp_path):
    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    shutil.copytree(REPO / "annotations", tmp_path / "annotations")
    write_draft(tmp_path / "annotations", SEED, overwrite=True)
    article = gather(tmp_path / "corpus", tmp_path / "annotations").articles[0]
    assert article.source == DRAFT and len(article.open_decisions) == 15
    assert all(p.decision is not None and p.decision.decision is None for p in article.disagreements)


def test_other_problems_of_the_inputs_are_refused(tmp_path):
    write_article(tmp_path / "corpus", "art1", ARTICLE)
    shutil.copy(REPO / "annotations" / "schema.yaml", tmp_path / "schema.yaml")
    folder = tmp_path / "annotations"
    folder.mkdir()
    shutil.copy(REPO / "annotations" / "schema.yaml", folder / "schema.yaml")
    shutil.copy(REPO / "annotations" / "annotators.yaml", folder / "annotators.yaml")
    bad = annotation("art1", ARTICLE, "team-a", entities=default_entities(), stances=default_stances())
    bad["entities"][0]["label"] = "NOT_A_LABEL"
    write_annotation(folder, bad)
    with pytest.raises(InputError, match=r"E106 .*unknown entity label 'NOT_A_LABEL'"):
        gather(tmp_path / "corpus", folder)


def test_an_article_with_two_agreeing_annotators_and_no_gold_has_no_disagreement(tmp_path):
    write_article(tmp_path / "corpus", "art1", ARTICLE)
    folder = tmp_path / "annotations"
    folder.mkdir()
    shutil.copy(REPO / "annotations" / "schema.yaml", folder / "schema.yaml")
    shutil.copy(REPO / "annotations" / "annotators.yaml", folder / "annotators.yaml")
    for who in ("team-a", "team-b"):
        write_annotation(folder, annotation("art1", ARTICLE, who, entities=default_entities(), stances=default_stances()))
    article = gather(tmp_path / "corpus", folder).articles[0]
    assert article.source == "agreed-only" and article.disagreements == ()
    assert [e.label for e in article.gold.entities] == [e["label"] for e in default_entities()]


def test_a_place_gold_has_links_to_golds_item(seed):
    places = {p.where: p for p in seed.articles[0].places}
    assert places["[10, 28) 'Volodimir Zelensky'"].anchor == "entity-e1"
    assert places["[60, 77) 'the United States'"].anchor is None  # not in gold
    washington = next(p for p in seed.articles[0].places if p.where.startswith("'Washington' (key 'Q30')"))
    assert washington.anchor == "stance-s2"
