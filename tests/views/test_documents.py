"""builder/views/documents.py: one row per article, its metadata, both texts and the gold items."""

from __future__ import annotations

from factories import ARTICLE, make_project

TEXT = "Joe met Olaf Scholz."


def test_a_row_has_the_metadata_the_texts_and_the_gold_source(article, rows_of):
    built = article(TEXT, prefix="AD\n", notes=[("url", "not given"), ("outlet", "inferred")], inferred=["outlet"])
    (row,) = rows_of(built, gold_source="adjudicated")["documents"]
    assert {k: v for k, v in row.items() if k not in ("entities", "stances", "debris")} == {
        "id": "a1", "language": "en", "outlet": "Outlet", "url": "https://example.invalid/a1",
        "published": "2025-01-02", "rights": "test rights", "license": None,
        "metadata_notes": [{"field": "url", "note": "not given"}, {"field": "outlet", "note": "inferred"}],
        "inferred_fields": ["outlet"], "raw_sha256": "f" * 64, "text": TEXT, "raw_text": "AD\n" + TEXT,
        "gold_source": "adjudicated", "annotators": []}


def test_annotators_are_the_names_of_the_annotator_sets_in_order(article, annotator_set, rows_of):
    built = article(TEXT, sets=[annotator_set("team-b"), annotator_set("team-a")])
    assert rows_of(built)["documents"][0]["annotators"] == ["team-b", "team-a"]


def test_an_article_without_gold_items_has_empty_lists(article, rows_of):
    (row,) = rows_of(article(TEXT))["documents"]
    assert (row["entities"], row["stances"], row["debris"], row["metadata_notes"]) == ([], [], [], [])


def test_an_empty_text_is_still_one_row(article, rows_of):
    assert [row["text"] for row in rows_of(article(""))["documents"]] == [""]


def test_the_items_of_a_built_project_point_into_both_texts(tmp_path, built_project, batches):
    (result,), schema = built_project(make_project(tmp_path))
    (row,) = batches(result.rows, schema)["documents"].to_pylist()
    assert row["raw_text"] == ARTICLE and "Continues after advertising" not in row["text"]
    assert len(row["entities"]) == 6 and len(row["stances"]) == 2 and len(row["debris"]) == 2
    for entity in row["entities"]:
        assert row["text"][entity["start"]:entity["end"]] == entity["text"]
        assert row["raw_text"][entity["raw_start"]:entity["raw_end"]] == entity["text"]
    for evidence in (v for s in row["stances"] for v in s["evidence"]):
        assert row["text"][evidence["start"]:evidence["end"]] == evidence["text"]
    assert row["gold_source"] == "adjudicated" and row["annotators"] == ["team-a", "team-b"]


def test_an_article_without_annotation_sets_has_no_rows(tmp_path, built_project):
    (result,), _ = built_project(make_project(tmp_path, annotators=(), gold=False))
    assert result.rows is None and not result.summary.annotated
    assert result.summary.rows == {"documents": 0, "ner": 0, "stance": 0, "cleaning": 0, "annotations": 0}


def test_the_license_is_the_metadata_spdx_id(tmp_path, built_project, batches):
    root = make_project(tmp_path)
    meta_path = root / "corpus" / "a1.meta.json"
    meta_path.write_text(meta_path.read_text().replace('"rights"', '"license": "CC-BY-4.0", "rights"'))
    (result,), schema = built_project(root)
    assert batches(result.rows, schema)["documents"].column("license").to_pylist() == ["CC-BY-4.0"]
