"""Tests of builder/review/pages.py: the page records the templates read."""

from __future__ import annotations

from dataclasses import replace

import pytest

from builder.records import Decision
from builder.review.data import gather
from builder.review.pages import article_page, charts, index_page
from factories import REPO


@pytest.fixture(scope="module")
def seed():
    return gather(REPO / "corpus", REPO / "annotations")


def test_articles_with_open_decisions_come_first_in_the_index(seed):
    article = seed.articles[0]
    opened = replace(article, article=replace(article.article, meta=replace(article.article.meta, id="zzz")),
                     open_decisions=(Decision("entity x", None, None),))
    page = index_page(replace(seed, articles=(article, opened)), charts(seed))
    assert [(r.id, r.counts[0]) for r in page.rows] == [("zzz", 1), (article.article.id, 0)]
    assert dict(page.figures)["open decisions"] == "1"


def test_decisions_tied_to_no_place_are_listed_apart(seed):
    page = article_page(seed.articles[0], dict(seed.schema.targets))
    assert [d.decision for d in page.other_decisions] == ["keep the table's QIDs on every mention of those actors",
                                                          "no qid"]


def test_a_stance_names_its_holder_and_its_targets_description(seed):
    page = article_page(seed.articles[0], {"us-peace-plan-2025": "the plan"})
    first = page.stances[0]
    assert (first.holder, first.holder_id, first.target_description) == ("Volodimir Zelensky", "e1", "the plan")


def test_one_annotator_gives_no_agreement_figure_in_the_index(tmp_path):
    from factories import make_project

    root = make_project(tmp_path / "p", annotators=("team-a",), gold=False)
    review = gather(root / "corpus", root / "annotations")
    figures = dict(index_page(review, charts(review)).figures)
    assert figures["entity exact-span F1"] == figures["debris character F1"] == "n/a: one annotator"
    assert [r.f1 for r in index_page(review, charts(review)).rows] == ["—"]
