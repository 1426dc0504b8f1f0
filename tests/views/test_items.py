"""builder/views/items.py: ITEMS, the item columns, and the entity, stance, evidence and debris items of the rows."""

from __future__ import annotations

import pytest
from datasets import Value

from builder.agreement.compare import ItemAgreement
from builder.records import AUTHOR, Debris, Entity, ProjectedEntity
from builder.views import VIEWS
from builder.views.items import ITEMS, ItemColumn

TEXT = "Joe met Olaf Scholz in Berlin."
PREFIX = "AD\n"


def test_entities_are_sorted_by_raw_span(article, mention, rows_of):
    berlin = mention("e1", "LOC", len("Joe met Olaf Scholz in "), "Berlin")
    scholz = mention("e2", "PERSON", len("Joe met "), "Olaf Scholz")
    olaf = mention("e3", "PERSON", len("Joe met "), "Olaf")  # same start, ends first
    joe = mention("e4", "PERSON", 0, "Joe")
    (row,) = rows_of(article(TEXT, entities=[berlin, scholz, olaf, joe]))["documents"]
    assert [e["id"] for e in row["entities"]] == ["e4", "e3", "e2", "e1"]


def test_an_entity_item_has_label_id_clean_and_raw_offsets_and_qid(article, mention, rows_of, ids):
    scholz = mention("e1", "PERSON", len("Joe met "), "Olaf Scholz", shift=len(PREFIX), qid="Q1")
    (row,) = rows_of(article(TEXT, entities=[scholz], prefix=PREFIX))["documents"]
    assert row["entities"] == [{"id": "e1", "label": ids.entity["PERSON"], "text": "Olaf Scholz",
                                "start": len("Joe met "), "end": len("Joe met Olaf Scholz"),
                                "raw_start": len("AD\nJoe met "), "raw_end": len("AD\nJoe met Olaf Scholz"),
                                "qid": "Q1"}]
    assert row["text"][row["entities"][0]["start"]:row["entities"][0]["end"]] == "Olaf Scholz"
    assert row["raw_text"][row["entities"][0]["raw_start"]:row["entities"][0]["raw_end"]] == "Olaf Scholz"


def test_an_entity_without_a_qid_has_none(article, mention, rows_of):
    (row,) = rows_of(article(TEXT, entities=[mention("e1", "PERSON", 0, "Joe")]))["documents"]
    assert row["entities"][0]["qid"] is None


def test_a_span_that_cleaning_removed_has_no_clean_offsets(article, annotator_set, rows_of):
    removed = ProjectedEntity(Entity("e9", 0, len("AD"), "ORG", "AD"), -1, -1)  # only an annotator's set has such
    rows = rows_of(article(TEXT, prefix=PREFIX, sets=[annotator_set("team-a", entities=[removed])]))["annotations"]
    (entity,) = rows[0]["entities"]
    assert (entity["start"], entity["end"], entity["raw_start"], entity["raw_end"]) == (None, None, 0, len("AD"))


def test_stances_are_sorted_by_holder_key_then_target(article, rows_of, stance):
    stances = [stance("s1"), stance("s2", holder="e1", holder_key="joe", label="against"),
               stance("s3", target="deal", label="neutral")]
    (row,) = rows_of(article(TEXT, stances=stances))["documents"]
    assert [s["id"] for s in row["stances"]] == ["s2", "s3", "s1"]


def test_a_stance_item_has_holder_target_and_label_ids(article, rows_of, ids, stance):
    (row,) = rows_of(article(TEXT, stances=[stance("s1", target="deal", label="neutral")]))["documents"]
    assert row["stances"] == [{"id": "s1", "holder": "Scholz", "holder_key": "scholz", "holder_entity_id": "e2",
                               "target": ids.target["deal"], "label": ids.stance["neutral"], "evidence": []}]


def test_the_author_as_holder_has_no_holder_entity_id(article, rows_of, stance):
    (row,) = rows_of(article(TEXT, stances=[stance("s1", holder=AUTHOR, holder_key="@author")]))["documents"]
    assert row["stances"][0]["holder_entity_id"] is None and row["stances"][0]["holder_key"] == "@author"


def test_evidence_is_sorted_by_raw_span(article, rows_of, evidence, stance):
    start, end, shift = len("Joe met Olaf Scholz in "), len("Joe met Olaf Scholz in Berlin"), len(PREFIX)
    berlin, joe = evidence(start, "Berlin", shift=shift), evidence(0, "Joe", shift=shift)
    built = article(TEXT, prefix=PREFIX, stances=[stance("s1", berlin, joe, holder="e1", holder_key="joe")])
    (row,) = rows_of(built)["documents"]
    assert row["stances"][0]["evidence"] == [
        {"text": "Joe", "start": 0, "end": len("Joe"), "raw_start": len("AD\n"), "raw_end": len("AD\nJoe")},
        {"text": "Berlin", "start": start, "end": end, "raw_start": len("AD\nJoe met Olaf Scholz in "),
         "raw_end": len("AD\nJoe met Olaf Scholz in Berlin")}]


def test_evidence_that_cleaning_removed_has_no_clean_offsets(article, rows_of, evidence, stance):
    lost = evidence(0, "AD", lost=True)
    (row,) = rows_of(article(TEXT, prefix=PREFIX, stances=[stance("s1", lost, holder=AUTHOR, holder_key="@author")]))[
        "documents"]
    assert row["stances"][0]["evidence"] == [{"text": "AD", "start": None, "end": None, "raw_start": 0,
                                              "raw_end": len("AD")}]


def test_debris_is_sorted_by_raw_span_with_reason_ids(article, rows_of, ids):
    prefix = "AD\nFREE\n"
    debris = [Debris(len("AD\n"), len("AD\nFREE\n"), "promotion", "FREE\n"),
              Debris(0, len("AD\n"), "advertising", "AD\n")]
    (row,) = rows_of(article(TEXT, prefix=prefix, debris=debris))["documents"]
    assert row["debris"] == [
        {"raw_start": 0, "raw_end": len("AD\n"), "reason": ids.debris["advertising"], "text": "AD\n"},
        {"raw_start": len("AD\n"), "raw_end": len("AD\nFREE\n"), "reason": ids.debris["promotion"], "text": "FREE\n"}]


def test_a_label_missing_from_the_schema_is_a_key_error_naming_it(article, mention, view_input):
    built = article(TEXT, entities=[mention("e1", "NORP", 0, "Joe")])
    with pytest.raises(KeyError, match="NORP"):
        VIEWS["documents"].rows(view_input(built))


def note_items(projected, ids) -> list[tuple]:
    return [(f"{projected.annotations.annotator}-n1", "a note")]


def note_column(*, agreement_per_item: bool) -> ItemColumn:
    """A column as a new annotation layer would add it: notes of an id and a text."""
    return ItemColumn("note", lambda schema: {"id": Value("string"), "text": Value("string")}, note_items,
                      agreement_per_item=agreement_per_item)


def test_a_column_added_to_items_is_in_the_documents_and_annotations_configs(article, annotator_set, rows_of,
                                                                             monkeypatch):
    monkeypatch.setitem(ITEMS, "notes", note_column(agreement_per_item=True))
    scores = {"team-a": ItemAgreement({"entity": {}, "stance": {}, "note": {"team-a-n1": 0.5}}, None)}
    rows = rows_of(article(TEXT, sets=[annotator_set("team-a")]), agreement=scores)
    assert list(rows["documents"][0])[-5:] == ["stances", "debris", "notes", "gold_source", "annotators"]
    assert rows["documents"][0]["notes"] == [{"id": "gold-n1", "text": "a note"}]
    (row,) = rows["annotations"]
    assert list(row)[-3:] == ["debris", "notes", "debris_agreement"]
    assert row["notes"] == [{"id": "team-a-n1", "text": "a note", "agreement": 0.5}]


def test_a_column_with_agreement_per_set_has_its_own_agreement_column(article, annotator_set, rows_of, monkeypatch):
    monkeypatch.setitem(ITEMS, "notes", note_column(agreement_per_item=False))
    (row,) = rows_of(article(TEXT, sets=[annotator_set("team-a")]))["annotations"]
    assert list(row)[-4:] == ["debris", "notes", "debris_agreement", "notes_agreement"]
    assert row["notes"] == [{"id": "team-a-n1", "text": "a note"}] and row["notes_agreement"] is None
