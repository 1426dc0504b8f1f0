import json
from types import SimpleNamespace
from typing import Literal

import jsonschema
import msgspec
import pytest

from builder.errors import InputError
from builder.records import AUTHOR, AnnotationSet, Debris, Decision, Entity, Evidence, Stance
from builder.sources.annotation_format import FORMAT
from builder.sources import annotations
from builder.sources.annotation_schema import json_schema
from builder.sources.annotations import (annotation_set_to_dict, dump_annotation_set, load_annotation_file,
                                         load_annotators, load_schema, parse_annotation_set, write_annotation_set,
                                         written)
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


def test_schema_names_every_section_of_the_label_schema_in_order(tmp_path):
    path = tmp_path / "schema.yaml"
    path.write_text("entity_labels: {PERSON: people}\nstance_labels: {}\n", encoding="utf-8")
    with pytest.raises(InputError, match="needs non-empty mappings entity_labels, stance_labels, debris_reasons, targets"):
        load_schema(path)


def test_an_empty_qid_note_and_adjudication_record_are_not_written():
    entity, stance = Entity("e1", 0, len("A"), "PERSON", "A", ""), Stance("s1", AUTHOR, "plan", "favor", (), "")
    written = annotation_set_to_dict(AnnotationSet("a1", "team-a", "f" * 64, (), (entity,), (stance,)))
    assert written == {"format": FORMAT, "article_id": "a1", "annotator": "team-a", "raw_sha256": "f" * 64,
                       "cleaning": [], "entities": [{"id": "e1", "start": 0, "end": 1, "label": "PERSON", "text": "A"}],
                       "stances": [{"id": "s1", "holder": AUTHOR, "target": "plan", "label": "favor", "evidence": []}]}


def test_a_gold_set_is_written_with_every_field_in_the_order_of_the_structs():
    evidence = Evidence(0, len("A"), "A")
    gold = AnnotationSet("a1", "gold", "f" * 64, (Debris(0, 1, "advertising", "A"),),
                         (Entity("e1", 0, 1, "PERSON", "A", "Q1"),),
                         (Stance("s1", "e1", "plan", "favor", (evidence,), "a note"),), None, ("team-a", "team-b"),
                         (Decision("s1", "kept", "both agree"),))
    text = dump_annotation_set(gold)
    assert list(json.loads(text)) == ["format", "article_id", "annotator", "raw_sha256", "cleaning", "entities",
                                      "stances", "adjudicated_from", "decisions"]
    assert list(json.loads(text)["stances"][0]) == ["id", "holder", "target", "label", "evidence", "note"]
    again, problems = parse_annotation_set(json.loads(text), None)
    assert problems == [] and again == gold


class Note(msgspec.Struct):
    id: str
    text: str
    mark: str | None = None


class Notes(msgspec.Struct):
    kind: Literal["notes/1"]
    notes: list[Note]


def test_any_struct_writes_its_records_fields_its_constant_and_its_optional_fields_with_a_value():
    record = SimpleNamespace(notes=(SimpleNamespace(id="n1", text="a", mark=None), SimpleNamespace(id="n2", text="b",
                                                                                                   mark="x")))
    assert written(msgspec.inspect.type_info(Notes), record) == {
        "kind": "notes/1", "notes": [{"id": "n1", "text": "a"}, {"id": "n2", "text": "b", "mark": "x"}]}


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


# --- YAML read strictly ------------------------------------------------------------------------------

def schema_text() -> str:
    from factories import REPO
    return (REPO / "annotations" / "schema.yaml").read_text(encoding="utf-8")


def test_a_yaml_alias_is_refused_with_its_line(tmp_path):
    path = tmp_path / "annotators.yaml"
    path.write_text("base: &b {kind: k}\nannotators:\n  - *b\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"E805 .*annotators.yaml: YAML anchor at line 1"):
        load_annotators(path)


def test_a_yaml_file_over_its_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    from builder.sources import limits
    path = tmp_path / "schema.yaml"
    path.write_text(schema_text(), encoding="utf-8")
    monkeypatch.setattr(limits, "_active", [limits.Limits(yaml_bytes=100)])
    monkeypatch.setattr(limits, "use", lambda value: value)  # load_schema would reset the limits first
    with pytest.raises(InputError, match=r"E801 .*schema.yaml: the file is \d[\d,]* bytes, over the limit yaml_bytes = 100"):
        load_schema(path)


def test_an_unknown_top_level_key_of_schema_yaml_is_refused_with_the_known_keys(tmp_path):
    path = tmp_path / "schema.yaml"
    path.write_text(schema_text() + "colours: {}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"E806 .*unknown key\(s\) colours at /; known keys: entity_labels, "):
        load_schema(path)


def test_a_label_name_with_markup_is_refused(tmp_path):
    path = tmp_path / "schema.yaml"
    path.write_text(schema_text().replace("targets:\n", 'targets:\n  "<b>x</b>": bold\n'), encoding="utf-8")
    with pytest.raises(InputError, match=r"E807 .*/targets must be keyed by label names .*got '<b>x</b>'"):
        load_schema(path)


def test_limits_of_schema_yaml_become_the_limits_in_force(tmp_path, monkeypatch):
    from builder.sources import limits
    monkeypatch.setattr(limits, "_active", [limits.Limits()])
    path = tmp_path / "schema.yaml"
    path.write_text(schema_text() + "limits:\n  spans_per_file: 7\n", encoding="utf-8")
    load_schema(path)
    assert limits.active().spans_per_file == 7 and limits.active().article_bytes == limits.Limits().article_bytes


def test_a_set_with_more_spans_than_the_limit_is_refused(tmp_path, monkeypatch):
    from builder.sources import limits
    monkeypatch.setattr(limits, "_active", [limits.Limits(spans_per_file=3)])
    path = tmp_path / "team-a" / "a1.json"
    path.parent.mkdir()
    path.write_text(json.dumps(annotation("a1", ARTICLE, "team-a", entities=default_entities())), encoding="utf-8")
    aset, problems = load_annotation_file(path)
    assert aset is None
    with pytest.raises(InputError, match=r"E801 .*a1.json: article a1: the number of spans .* is 8 spans, over the "
                                         r"limit spans_per_file = 3"):
        raise InputError(problems)


def test_a_key_twice_in_an_annotation_file_is_named_with_its_pointer(tmp_path):
    path = tmp_path / "team-a" / "a1.json"
    path.parent.mkdir()
    text = json.dumps(annotation("a1", ARTICLE, "team-a", entities=default_entities()))
    path.write_text(text.replace('"label": "GPE"', '"label": "GPE", "label": "ORG"'), encoding="utf-8")
    aset, problems = load_annotation_file(path)
    assert aset is None
    with pytest.raises(InputError, match=r"E808 .*a1.json: article a1, entities\[2\]: key 'label' given twice in one object, at "
                                         r"/entities/2/label"):
        raise InputError(problems)
