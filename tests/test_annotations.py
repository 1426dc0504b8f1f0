import json
import re

import pytest

from builder.annotations import (HoldsNonInteger, annotation_set_from, annotation_set_from_integers, dump_annotation_set,
                                 load_annotation_file, load_annotators, load_schema, parse_annotation_set,
                                 parse_integers_only, write_annotation_set)
from builder.errors import InputError
from builder.records import Entity
from builder.validate import read_annotation
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


# --- the fast reading of a file the schema accepts ------------------------------------------------

def full_document():
    return annotation("a1", ARTICLE, "team-a", entities=default_entities(), stances=default_stances(),
                      adjudicated_from=["team-b"], decisions=[{"item": "x", "decision": "y", "reason": "z"}])


@pytest.mark.parametrize("change", [
    lambda d: None,
    lambda d: [e.pop("qid", None) for e in d["entities"]],  # no qid anywhere: the all-in-C path
    lambda d: d["stances"][0].update(note="said twice"),
    lambda d: d.update(entities=[], stances=[], cleaning=[]),
    lambda d: [d.pop(k) for k in ("adjudicated_from", "decisions")],
])
def test_annotation_set_from_integers_equals_annotation_set_from(change):
    document = full_document()
    change(document)
    parsed = parse_integers_only(json.dumps(document))
    assert annotation_set_from_integers(parsed, None) == annotation_set_from(document, None)
    assert [type(e) for e in annotation_set_from_integers(parsed, None).entities] == [Entity] * len(document["entities"])


@pytest.mark.parametrize("number", ["1.0", "1e2", "NaN", "-Infinity", "2.5"])
def test_parse_integers_only_refuses_any_other_number(number):
    with pytest.raises(HoldsNonInteger, match=re.escape(number)):
        parse_integers_only(f'{{"start": {number}}}')


def test_read_annotation_reads_offsets_written_as_floats_as_the_loader_does(tmp_path):
    document = full_document()
    document["entities"][0]["start"] = float(document["entities"][0]["start"])
    path = tmp_path / "team-a" / "a1.json"
    path.parent.mkdir()
    path.write_text(json.dumps(document), encoding="utf-8")
    aset, problems = read_annotation(path, path.read_bytes())
    assert (aset, problems) == load_annotation_file(path) and not problems
    assert type(aset.entities[0].start) is int


@pytest.mark.parametrize("text, code", [('{"start": 1.5, ', "E001"), (b'{"start": 1.5, "x": "\xff"}', "E005")])
def test_read_annotation_words_a_broken_file_with_floats_as_the_loader_does(tmp_path, text, code):
    path = tmp_path / "team-a" / "a1.json"
    path.parent.mkdir()
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    aset, problems = read_annotation(path, path.read_bytes())
    assert (aset, problems) == load_annotation_file(path) and [p.code for p in problems] == [code]
