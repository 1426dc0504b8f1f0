import json

import pytest

from builder.annotations import (dump_annotation_set, load_annotation_file, load_annotators, load_schema,
                                 parse_annotation_set, write_annotation_set)
from builder.errors import InputError
from factories import ARTICLE, annotation, default_entities, default_stances


def test_parse_and_dump_round_trip(tmp_path):
    data = annotation("a1", ARTICLE, "team-a", entities=default_entities(), stances=default_stances())
    aset, problems = parse_annotation_set(data, None)
    assert problems == []
    path = write_annotation_set(aset, tmp_path)
    assert path == tmp_path / "team-a" / "a1.json"
    again, problems = load_annotation_file(path)
    assert problems == [] and dump_annotation_set(again) == path.read_text(encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == data


def test_integral_float_offsets_become_integers():
    data = annotation("a1", ARTICLE, "team-a", entities=default_entities())
    data["entities"][0]["start"] = float(data["entities"][0]["start"])  # JSON Schema counts 1.0 as an integer
    aset, problems = parse_annotation_set(data, None)
    assert problems == [] and type(aset.entities[0].start) is int


def test_every_shape_problem_is_listed(tmp_path):
    data = annotation("a1", ARTICLE, "team-a", entities=default_entities())
    data["entities"][0]["start"] = -1
    data["entities"][2].pop("label")
    data["surprise"] = True
    _, problems = parse_annotation_set(data, tmp_path / "x.json")
    assert [p.where for p in problems] == ["article a1", "article a1, entities[0]", "article a1, entities[2]"]
    assert all(p.code == "E101" for p in problems)


def test_schema_and_annotators_of_the_repository(repo):
    schema = load_schema(repo / "annotations" / "schema.yaml")
    assert len(schema.entity_labels) == 18 and list(schema.stance_labels) == ["favor", "against", "neutral"]
    annotators = load_annotators(repo / "annotations" / "annotators.yaml")
    assert {"team-a", "team-b", "gold"} <= set(annotators)
    assert all("not" in a.description.lower() or a.kind == "adjudication" for a in annotators.values())


def test_schema_needs_every_section(tmp_path):
    path = tmp_path / "schema.yaml"
    path.write_text("entity_labels: {PERSON: people}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"E101 .*schema\.yaml: annotation file is invalid: schema\.yaml needs non-empty mappings"):
        load_schema(path)


def test_annotators_need_id_kind_and_description(tmp_path):
    path = tmp_path / "annotators.yaml"
    path.write_text("annotators:\n  - id: x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"E101 .*annotators\.yaml needs a list 'annotators'"):
        load_annotators(path)
