"""builder/output/totals.py: the corpus figures, added up one article summary at a time."""

from __future__ import annotations

from builder.agreement.tally import AgreementPiece
from builder.article.build import ArticleSummary, LabelCount
from builder.errors import problem
from builder.output.totals import Totals


def annotated(article_id: str, *, entities=(), source: str = "gold", disagreements=()) -> ArticleSummary:
    labels = {"entity": tuple(LabelCount(*e) for e in entities), "stance": (LabelCount("favor", 1),), "debris": ()}
    return ArticleSummary(article_id, True, "train", {}, labels, source, tuple(disagreements),
                          AgreementPiece(("team-a",), False, (), (), (), 0, None), ())


def test_labels_sources_and_disagreements_add_up_over_annotated_articles():
    totals = Totals()
    totals.add(annotated("a1", entities=[("PERSON", 2), ("ORG", 1)]))
    totals.add(annotated("a2", entities=[("PERSON", 1)], source="team-a", disagreements=["a2: e1 label"]))
    assert (totals.articles, totals.annotated) == (2, 2)
    assert totals.labels == {"entity": {"PERSON": 3, "ORG": 1}, "stance": {"favor": 2}, "debris": {}}
    assert totals.gold_sources == {"gold": 1, "team-a": 1} and totals.unadjudicated == ["a2: e1 label"]
    assert totals.agreement.single == ["a1", "a2"]  # one annotator each: nothing to compare


def test_an_article_without_annotations_counts_only_as_loaded():
    totals = Totals()
    totals.add(ArticleSummary("a1", False, None, {}, {}, None, (), None, ()))
    assert (totals.articles, totals.annotated, totals.gold_sources, totals.labels) == (1, 0, {}, {})


def test_a_build_fails_with_problems_or_misfiled_files():
    assert not Totals().failed
    assert Totals(misfiled=True).failed
    assert Totals(problems=[((0, "a1", ""), problem("E303", "out", path="out"))]).failed
