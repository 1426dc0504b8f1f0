import json

import jsonschema
import pytest

from builder.errors import InputError
from builder.sources import annotations
from builder.sources.annotation_schema import json_schema
from builder.sources.annotations import (dump_annotation_set, load_annotation_file, load_annotators, load_schema,
                                         parse_annotation_set, write_annotation_set)
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


def test_a_lone_surrogate_in_a_parsed_document_is_a_problem_not_a_crash():
    data = annotation("a1", ARTICLE, "team-\ud800", entities=default_entities())  # a file cannot hold it
    aset, problems = parse_annotation_set(data, None)
    assert aset is None and [str(p).splitlines()[0] for p in problems] == [
        r"E013 None: article a1: lone surrogate \ud800 at character 5 of the string at /annotator: half of a UTF-16 "
        "pair, which is no character and cannot be written as UTF-8"]


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


def test_an_offset_beyond_any_text_is_a_shape_problem():
    data = annotation("a1", ARTICLE, "team-a", entities=default_entities())
    data["entities"][0]["end"] = 2**63
    _, problems = parse_annotation_set(data, None)
    assert [(p.code, p.where) for p in problems] == [("E101", "article a1, entities[0]")]
    assert "9223372036854775808 is greater than the maximum of 9223372036854775807" in str(problems[0])


def test_a_refusal_the_json_schema_cannot_word_is_worded_by_msgspec(monkeypatch):
    """Should the JSON Schema accept what msgspec refuses (as Python's ``$`` would accept a final new line),
    msgspec's own words say what is wrong: a file is never left out without a word."""
    lenient = json.loads(json.dumps(json_schema()).replace(r"(?![\\s\\S])", "$"))
    monkeypatch.setattr(annotations, "json_schema_validator", lambda: jsonschema.Draft202012Validator(lenient))
    data = annotation("a1", ARTICLE, "team-a\n", entities=default_entities())
    _, problems = parse_annotation_set(data, None)
    assert [(p.code, p.where) for p in problems] == [("E101", "article a1")]
    assert str(problems[0]).startswith("E101 None: article a1: annotation file is invalid: Expected `str` matching "
                                       "regex '^[a-z0-9][a-z0-9_-]{0,63}(?![\\\\s\\\\S])' (at /annotator)")
