import json
import re

import pytest

from builder.sources.annotations import (all_match, annotation_files, annotation_set_from, decode_annotation,
                                 dump_annotation_set, load_annotation_file, load_annotators, load_schema,
                                 parse_annotation_set, write_annotation_set)
from builder.errors import InputError
from builder.sources.listing import read_annotation
from builder.records import Entity, Evidence
from factories import ARTICLE, annotation, default_entities, default_stances, full_document


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
    data = annotation("a1", ARTICLE, "team-\ud800", entities=default_entities())  # jsonschema-rs cannot take it
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


# --- the fast reading of a file the schema accepts ------------------------------------------------

@pytest.mark.parametrize("change", [
    lambda d: None,
    lambda d: [e.pop("qid", None) for e in d["entities"]],
    lambda d: d["stances"][0].update(note="said twice"),
    lambda d: d["stances"][0].update(note=None),
    lambda d: d["entities"][0].update(qid=None),
    lambda d: d.update(entities=[], stances=[], cleaning=[]),
    lambda d: [d.pop(k) for k in ("adjudicated_from", "decisions")],
])
def test_decode_annotation_equals_annotation_set_from(change):
    document = full_document()
    change(document)
    decoded = decode_annotation(json.dumps(document).encode("utf-8"), None)
    assert decoded == annotation_set_from(document, None)
    assert [type(e) for e in decoded.entities] == [Entity] * len(document["entities"])
    assert all(type(v) is Evidence for s in decoded.stances for v in s.evidence)


def written(document: dict, replace: tuple[str, str] = ("", "")) -> bytes:
    return json.dumps(document).replace(*replace).encode("utf-8")


# Documents the fast path leaves to the loader: those the schema refuses, and those it accepts but
# msgspec reads otherwise than json.loads, or could.
@pytest.mark.parametrize("data", [
    pytest.param(written(full_document(), ('"start": 0', '"start": 0.0')), id="1.0 for 1"),
    pytest.param(written(full_document(), ('"start": 0', '"start": 0e0')), id="exponent"),
    pytest.param(written(full_document(), ('"start": 0', '"start": NaN')), id="NaN"),
    pytest.param(written(full_document(), ('"start": 0', '"start": -Infinity')), id="-Infinity"),
    pytest.param(written(full_document(), ('"start": 0', '"start": true')), id="true for an offset"),
    pytest.param(written(full_document(), ('"start": 0', f'"start": {2**63}')), id="integer over 2**63 - 1"),
    pytest.param(written(full_document(), ('"start": 0', '"start": -1, "start": 0')), id="a key twice, the first refused"),
    pytest.param(b"\xef\xbb\xbf" + written(full_document()), id="byte-order mark"),
    pytest.param(written(full_document(), ('"Continues', '"\\ud800Continues')), id="lone surrogate"),
    pytest.param(written(full_document()).replace(b'"Continues', b'"\xed\xa0\x80Continues'), id="encoded surrogate"),
    pytest.param(written(full_document()).replace(b'"Continues', b'"\xffContinues'), id="not UTF-8"),
    pytest.param(written(full_document(), ('"team-a"', '"team-a\\n"')), id="annotator with a final new line"),
    pytest.param(written(full_document(), ('"a1"', '"a1\\n"')), id="article id with a final new line"),
    pytest.param(written(full_document(), ('"e1"', '"e1\\n"')), id="entity id with a final new line"),
    pytest.param(written(full_document(), ('"s1"', '"s\\n1"')), id="stance id with a new line"),
    pytest.param(written(full_document(), ('"e1"', '"' + "e" * 33 + '"')), id="entity id of 33 characters"),
    pytest.param(written(full_document(), ('"Q6279"', '"Q6279\\n"')), id="qid with a final new line"),
    pytest.param(written(full_document(), ('"stances"', '"surprise": 1, "stances"')), id="unknown field"),
    pytest.param(written(full_document()) + b" x", id="trailing text"),
])
def test_decode_annotation_leaves_doubtful_documents_to_the_loader(data, tmp_path):
    assert decode_annotation(data, None) is None
    path = tmp_path / "team-a" / "a1.json"
    path.parent.mkdir()
    path.write_bytes(data)
    assert read_annotation(path, data) == load_annotation_file(path)


def test_decode_annotation_reads_a_key_given_twice_as_json_loads_does():
    data = written(full_document(), ('"start": 0', '"start": 3, "start": 0'))
    assert b'"start": 3, "start": 0' in data
    assert decode_annotation(data, None) == annotation_set_from(json.loads(data), None)


@pytest.mark.parametrize("values, expected", [
    ([], True), (["e1"], True), (["e1", "s_2", "A-" + "x" * 30], True), (["e1", ""], False), (["x" * 33], False),
    (["e1\n"], False), (["e1", "e\n2"], False), (["e 1"], False), (["é"], False), (["e1\ne2"], False),
])
def test_all_match_means_every_value_matches_on_its_own(values, expected):
    assert all_match("[A-Za-z0-9_-]{1,32}", values) is expected
    assert expected == all(re.fullmatch("[A-Za-z0-9_-]{1,32}", v) for v in values)


def test_the_repository_files_take_the_fast_path_and_read_as_the_loader_reads_them(repo):
    paths = annotation_files(repo / "annotations")
    assert paths
    for path in paths:
        data = path.read_bytes()
        assert decode_annotation(data, path) is not None
        assert read_annotation(path, data) == load_annotation_file(path)
