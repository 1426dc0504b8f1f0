"""JSON-MIN as Label Studio 1.23 writes it, and its full JSON export: the fixtures made from the seed's gold.

``fixtures/seed-gold-1.23-json-min.json`` is label-studio-sdk 2.1.2's ``convert_to_json_min`` (what Label
Studio 1.23.2 runs for Export > JSON-MIN) over ``fixtures/seed-gold-1.23-json.json``, a full export of
that version in which the seed's gold was submitted as an annotation (``fixtures/make_exports.py``).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from builder.errors import InputError
from builder.interop.labelstudio.options import LabelStudioOptions
from builder.interop.labelstudio.tasks import parse_labelstudio
from builder.interop.policies import LabelPolicy
from builder.sources.annotations import load_schema, scan_annotations
from conftest import REPO
from factories import fail_on, span

FIXTURES = Path(__file__).parent / "fixtures"
OPTIONS = LabelStudioOptions(labels=LabelPolicy(load_schema(REPO / "annotations" / "schema.yaml")))
TEXT = "Joe Biden said: “We back the plan.”\n"


def fixture(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def seed_gold():
    (gold,) = [s for s in scan_annotations(REPO / "annotations")[0] if s.is_gold]
    return gold


def parse(export, **options):
    from dataclasses import replace
    return parse_labelstudio(export, file="export.json", options=replace(OPTIONS, **options))


def test_the_full_export_of_label_studio_1_23_gives_the_seed_gold_back():
    (imported,), problems = parse(fixture("seed-gold-1.23-json.json"))
    gold = seed_gold()
    assert problems == []
    assert (imported.entities, imported.stances, imported.cleaning) == (gold.entities, gold.stances, gold.cleaning)


def test_json_min_keeps_every_span_and_refuses_the_unlinked_values_naming_json():
    gold = seed_gold()
    (imported,), problems = parse(fixture("seed-gold-1.23-json-min.json"))
    assert [(e.start, e.end, e.label, e.text) for e in imported.entities] == [(e.start, e.end, e.label, e.text)
                                                                              for e in gold.entities]
    assert imported.cleaning == gold.cleaning
    evidence = sum(len(s.evidence) for s in gold.stances)
    assert Counter(p.code for p in problems) == {"E433": 2, "E414": evidence}
    qids = sum(1 for e in gold.entities if e.qid)
    with pytest.raises(InputError, match=rf"E433 export\.json: task 1, annotation 1, qid: JSON-MIN drops the link between "
                                         rf"a QID and its span: {qids} QID value\(s\) .* for {len(gold.entities)} entity "
                                         rf"regions.*\n    fix: export as JSON \(Label Studio: Export > JSON, not JSON-MIN\)"):
        fail_on(problems[:1])
    assert "JSON-MIN drops the link between a note and its span" in problems[1].what
    assert all("JSON-MIN exports have no relations: export as JSON" in p.what for p in problems[2:])


def min_record(**controls):
    return {"text": TEXT, "id": 5, **controls, "annotator": 1, "annotation_id": 9, "created_at": "2026-11-28T10:15:42Z",
            "updated_at": "2026-11-28T10:15:42Z", "lead_time": 3.5}


def test_a_lone_value_goes_to_the_only_region_of_its_kind():
    record = min_record(entity=[{**span(TEXT, "Joe Biden"), "labels": ["PERSON"]}], qid="Q6279",
                        stance=[{**span(TEXT, "We back the plan"), "labels": ["favor"]}],
                        target="us-peace-plan-2025", author="@author", note="quoted")
    (imported,), problems = parse([record])
    assert problems == [] and imported.entities[0].qid == "Q6279"
    (stance,) = imported.stances
    assert (stance.holder, stance.target, stance.label, stance.note) == ("@author", "us-peace-plan-2025", "favor", "quoted")


def test_equal_values_one_per_region_are_given_back_and_different_ones_refused():
    regions = [{**span(TEXT, "Joe Biden"), "labels": ["PERSON"]}, {**span(TEXT, "plan"), "labels": ["PRODUCT"]}]
    (imported,), problems = parse([min_record(entity=regions, qid=["Q6279", "Q6279"])])
    assert problems == [] and [e.qid for e in imported.entities] == ["Q6279", "Q6279"]
    (imported,), problems = parse([min_record(entity=regions, qid=["Q6279", "Q1"])])
    assert [e.qid for e in imported.entities] == [None, None] and [p.code for p in problems] == ["E433"]


def test_stance_evidence_without_its_target_says_json_min_lost_it():
    evidence = [{**span(TEXT, "We back the plan"), "labels": ["favor"]}, {**span(TEXT, "Joe Biden said"), "labels": ["favor"]}]
    _, problems = parse([min_record(stance=evidence, target=["us-peace-plan-2025", "other"], author=["@author", "@author"])])
    assert [p.code for p in problems] == ["E433", "E414", "E414"]
    assert "no target is chosen linked to it: JSON-MIN lost which region each target belongs to (E433)" in problems[1].what


def test_predictions_listed_by_id_point_to_a_snapshot_export():
    _, problems = parse(fixture("seed-gold-1.23-json.json"), source="predictions")
    with pytest.raises(InputError, match=r"E434 export\.json: task 1: 'predictions' holds 1 id\(s\), not the predictions "
                                         r"themselves.*\n    fix: export a snapshot with them in full \(Label Studio API: POST /api/projects/<id>/exports/ "
                                         r"with serialization_options {\"predictions\": {\"only_id\": false}}"):
        fail_on(problems)


def test_a_value_that_kept_its_offsets_is_matched_by_them_beside_bare_ones():
    regions = [{**span(TEXT, "Joe Biden"), "labels": ["PERSON"]}, {**span(TEXT, "plan"), "labels": ["PRODUCT"]}]
    several = {**span(TEXT, "plan"), "text": ["Q1", "Q2"]}  # two lines in one box: JSON-MIN keeps the offsets
    (imported,), problems = parse([min_record(entity=regions, qid=["Q6279", several])])
    assert imported.entities[0].qid == "Q6279"  # the other region has its value: the bare one is Biden's
    with pytest.raises(InputError, match=r"E427 .*qid\[1\]: 'Q1Q2' is not a Wikidata QID"):
        fail_on(problems)
