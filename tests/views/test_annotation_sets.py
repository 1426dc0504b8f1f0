"""builder/views/annotation_sets.py: the annotations config, a row per (article, annotator) with per-item agreement."""

from __future__ import annotations

from builder.agreement.compare import ItemAgreement
from builder.records import Debris, Entity, ProjectedEntity
from factories import make_project

TEXT = "Joe met Olaf Scholz."


def test_a_row_names_the_annotator_and_holds_its_own_items_with_their_agreement(article, mention, stance, annotator_set,
                                                                                rows_of, ids):
    olaf = mention("e1", "PERSON", len("Joe met "), "Olaf", shift=len("AD\n"))
    debris = [Debris(0, len("AD\n"), "advertising", "AD\n")]
    said = stance("s1", holder="e1", holder_key="olaf", label="neutral")
    team_b = annotator_set("team-b", entities=[olaf], stances=[said], debris=debris)
    scores = {"team-b": ItemAgreement({"entity": {"e1": 0.5}, "stance": {"s1": 1.0}}, 0.25)}
    (row,) = rows_of(article(TEXT, prefix="AD\n", sets=[team_b]), agreement=scores)["annotations"]
    assert row == {
        "id": "a1-team-b", "article_id": "a1", "annotator": "team-b", "annotator_kind": "project-team",
        "annotator_description": "second pass",
        "entities": [{"id": "e1", "label": ids.entity["PERSON"], "text": "Olaf", "start": len("Joe met "),
                      "end": len("Joe met Olaf"), "raw_start": len("AD\nJoe met "), "raw_end": len("AD\nJoe met Olaf"),
                      "qid": None, "agreement": 0.5}],
        "stances": [{"id": "s1", "holder": "Olaf", "holder_key": "olaf", "holder_entity_id": "e1",
                     "target": ids.target["plan"], "label": ids.stance["neutral"], "evidence": [], "agreement": 1.0}],
        "debris": [{"raw_start": 0, "raw_end": len("AD\n"), "reason": ids.debris["advertising"], "text": "AD\n"}],
        "debris_agreement": 0.25}


def test_one_row_per_annotator_set_in_order_and_none_for_gold(article, annotator_set, rows_of):
    rows = rows_of(article(TEXT, sets=[annotator_set("team-b"), annotator_set("team-a")]))["annotations"]
    assert [(row["id"], row["annotator"]) for row in rows] == [("a1-team-b", "team-b"), ("a1-team-a", "team-a")]
    assert rows_of(article(TEXT))["annotations"] == []


def test_an_item_without_a_figure_has_no_agreement(article, mention, annotator_set, rows_of):
    team_a = annotator_set("team-a", entities=[mention("e1", "PERSON", 0, "Joe"), mention("e2", "PERSON", 8, "Olaf")])
    scores = {"team-a": ItemAgreement({"entity": {"e2": 1.0}, "stance": {}}, None)}
    (row,) = rows_of(article(TEXT, sets=[team_a]), agreement=scores)["annotations"]
    assert [(e["id"], e["agreement"]) for e in row["entities"]] == [("e1", None), ("e2", 1.0)]
    assert row["debris_agreement"] is None


def test_an_annotator_without_agreement_figures_has_none_anywhere(article, mention, annotator_set, rows_of, stance):
    said = stance("s1", holder="e1", holder_key="joe")
    team_a = annotator_set("team-a", entities=[mention("e1", "PERSON", 0, "Joe")], stances=[said])
    scores = {"team-b": ItemAgreement({"entity": {"e1": 1.0}, "stance": {"s1": 1.0}}, 1.0)}  # another annotator's figures
    (row,) = rows_of(article(TEXT, sets=[team_a]), agreement=scores)["annotations"]
    assert row["entities"][0]["agreement"] is None and row["stances"][0]["agreement"] is None
    assert row["debris_agreement"] is None


def test_items_that_cleaning_removed_keep_their_raw_offsets_only(article, annotator_set, rows_of, evidence, stance):
    removed = ProjectedEntity(Entity("e9", 0, len("AD"), "ORG", "AD"), -1, -1)
    said = stance("s1", evidence(0, "AD", lost=True), holder="e9", holder_key="ad")
    team_a = annotator_set("team-a", entities=[removed], stances=[said])
    (row,) = rows_of(article(TEXT, prefix="AD\n", sets=[team_a]))["annotations"]
    assert (row["entities"][0]["start"], row["entities"][0]["raw_end"]) == (None, len("AD"))
    assert row["stances"][0]["evidence"] == [{"text": "AD", "start": None, "end": None, "raw_start": 0,
                                              "raw_end": len("AD")}]


def test_annotators_who_agree_have_agreement_one_and_gold_has_no_row(tmp_path, built_project, batches):
    (result,), schema = built_project(make_project(tmp_path))  # team-a, team-b and gold: the same items
    rows = batches(result.rows, schema)["annotations"].to_pylist()
    assert [(row["id"], row["annotator_kind"]) for row in rows] == [("a1-team-a", "project-team-assistant"),
                                                                   ("a1-team-b", "project-team-assistant")]
    for row in rows:
        assert {item["agreement"] for item in row["entities"] + row["stances"]} == {1.0}
        assert row["debris_agreement"] == 1.0


def test_an_article_annotated_by_gold_alone_has_no_annotations_rows(tmp_path, built_project):
    (result,), _ = built_project(make_project(tmp_path, annotators=()))
    assert result.rows["annotations"] == [] and result.summary.rows["annotations"] == 0
    assert result.summary.rows["documents"] == 1
