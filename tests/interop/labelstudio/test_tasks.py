"""Label Studio import: full JSON and JSON-MIN tasks, offsets, regions, stances, the command, real exports."""

from __future__ import annotations

import json
import shutil
import textwrap
from collections import Counter

import pytest

from builder.sources.annotations import load_annotation_file, load_schema, scan_annotations
from builder.cli import main
from builder.sources.corpus import load_corpus
from builder.errors import InputError
from builder.interop.labelstudio.options import LabelStudioOptions
from builder.interop.labelstudio.tasks import import_labelstudio, parse_labelstudio
from builder.interop.matching import NewArticles, match_articles
from builder.interop.policies import AnnotatorPolicy, LabelPolicy
from builder.interop.offsets import utf16_map
from builder.records import Entity, Evidence, Stance
from conftest import REPO, SHARED
from factories import ARTICLE, fail_on, make_project, span, write_article

REALDATA = SHARED / "realdata" / "labelstudio"
SCHEMA = load_schema(REPO / "annotations" / "schema.yaml")
CHECKED = LabelPolicy(schema=SCHEMA)
TEXT = "President Joe Biden met Olaf Scholz in Berlin.\n“We back the plan,” Biden said.\n"




def region(rid, quoted, label, control="entity", text=TEXT, nth=0, **value):
    s = span(text, quoted, nth)
    return {"id": rid, "from_name": control, "to_name": "text", "type": "labels",
            "value": {"start": s["start"], "end": s["end"], "text": quoted, "labels": [label], **value}}


def per_region(rid, quoted, control, kind, content, text=TEXT, nth=0):
    s = span(text, quoted, nth)
    key = "choices" if kind == "choices" else "text"
    return {"id": rid, "from_name": control, "to_name": "text", "type": kind,
            "value": {"start": s["start"], "end": s["end"], key: content}}


def relation(holder, evidence, labels=()):
    return {"from_id": holder, "to_id": evidence, "type": "relation", "direction": "right", "labels": list(labels)}


def task(results, text=TEXT, completed_by=2, task_id=7, **data):
    return {"id": task_id, "data": {"text": text, **data},
            "annotations": [{"id": 70, "completed_by": completed_by, "result": results}]}


def parse(export, **options):
    options.setdefault("labels", CHECKED)
    return parse_labelstudio(export, file="export.json", options=LabelStudioOptions(**options))


def only(export, **options):
    sets, problems = parse(export, **options)
    fail_on(problems)
    assert len(sets) == 1
    return sets[0]


def test_labels_results_become_entities_with_the_region_ids():
    imported = only([task([region("a1", "Joe Biden", "PERSON"), region("a2", "Berlin", "GPE")])])
    assert imported.annotator == "ls-2"
    assert imported.entities == (Entity("a1", len("President "), len("President Joe Biden"), "PERSON", "Joe Biden"),
                                 Entity("a2", TEXT.index("Berlin"), TEXT.index("Berlin") + 6, "GPE", "Berlin"))
    assert imported.where == "task 7, annotation 70"


def test_a_single_task_object_is_read_too():
    assert only(task([region("a1", "Joe Biden", "PERSON")])).entities[0].text == "Joe Biden"


def test_an_emoji_before_a_span_does_not_shift_it():
    text = "🙂 Biden 👍 met Scholz."
    units = utf16_map(text)
    start = text.index("Scholz")
    browser = {"start": units.to_units(start), "end": units.to_units(start + 6), "text": "Scholz", "labels": ["PERSON"]}
    assert browser["start"] == start + 2  # two astral characters before it: two extra UTF-16 units
    result = {"id": "r1", "from_name": "entity", "to_name": "text", "type": "labels", "value": browser}
    entity = only([task([result], text=text)]).entities[0]
    assert (entity.start, entity.end, entity.text) == (start, start + 6, "Scholz")
    assert only([task([result], text=text)], offsets="utf16").entities[0].start == start
    codepoints = dict(result, value=dict(browser, start=start, end=start + 6))
    assert only([task([codepoints], text=text)]).entities[0].start == start


def test_when_both_readings_fit_the_annotations_other_regions_decide():
    text = "🙂 Biden will meet Scholz."
    second_l = text.index("ll") + 1  # "l" fits both readings: code points [i, i+1) and UTF-16 units read as [i-1, i)
    ell = {"id": "r1", "from_name": "entity", "type": "labels",
           "value": {"start": second_l, "end": second_l + 1, "text": "l", "labels": ["PERSON"]}}
    assert only([task([ell], text=text)]).entities[0].start == second_l  # nothing else tells: code points
    units = utf16_map(text)
    scholz = {"id": "r2", "from_name": "entity", "type": "labels",
              "value": {"start": units.to_units(text.index("Scholz")), "end": units.to_units(text.index("Scholz") + 6),
                        "text": "Scholz", "labels": ["PERSON"]}}
    assert only([task([ell, scholz], text=text)]).entities[0].start == second_l - 1  # Scholz fits only as UTF-16


def test_utf16_offsets_read_as_code_points_are_refused():
    text = "🙂 Biden met Scholz."
    start = text.index("Scholz") + 1
    result = {"id": "r1", "from_name": "entity", "type": "labels",
              "value": {"start": start, "end": start + 6, "text": "Scholz", "labels": ["PERSON"]}}
    _, problems = parse([task([result], text=text)], offsets="codepoints")
    with pytest.raises(InputError, match=r"E405 export\.json: task 7, annotation 70, result r1: offsets \[13, 19\) "
                                         r"cannot be mapped to the text: the quoted text is 'Scholz', the text there "
                                         r"is: as code points 'cholz\.'"):
        fail_on(problems)


def test_offsets_that_drift_from_the_quoted_text_are_reported_not_repaired():
    result = region("r1", "Joe Biden", "PERSON")
    result["value"]["text"] = " Joe Biden"  # whitespace trimmed differently by the tool
    sets, problems = parse([task([result])])
    assert sets[0].entities == ()
    with pytest.raises(InputError, match=r"E405 .*result r1: offsets \[10, 19\) cannot be mapped.*quoted text is ' Joe Biden'"):
        fail_on(problems)


def test_offsets_out_of_range_are_reported():
    result = {"id": "r1", "from_name": "entity", "type": "labels",
              "value": {"start": 500, "end": 505, "text": "Biden", "labels": ["PERSON"]}}
    with pytest.raises(InputError, match=r"E405 .*out of range for a text of 79 characters"):
        fail_on(parse([task([result])])[1])


def test_a_region_without_quoted_text_is_taken_when_both_readings_agree():
    result = region("r1", "Joe Biden", "PERSON")
    del result["value"]["text"]
    assert only([task([result])]).entities[0].text == "Joe Biden"


def test_a_region_without_quoted_text_after_an_emoji_is_ambiguous():
    text = "🙂 Joe Biden met Olaf Scholz."
    result = {"id": "r1", "from_name": "entity", "type": "labels",
              "value": {"start": text.index("Biden"), "end": text.index("Biden") + 5, "labels": ["PERSON"]}}
    with pytest.raises(InputError, match=r"E405 .*no quoted text to decide between: as code points 'Biden'; as UTF-16 units ' Bide'"):
        fail_on(parse([task([result], text=text)])[1])


def test_hypertext_regions_are_reported():
    result = {"id": "h1", "from_name": "entity", "type": "hypertextlabels",
              "value": {"start": "/p[1]/text()[1]", "end": "/p[1]/text()[1]", "startOffset": 0, "endOffset": 5,
                        "text": "Biden", "hypertextlabels": ["PERSON"]}}
    xpath_labels = dict(result, id="h2", type="labels", value=dict(result["value"], labels=["PERSON"]))
    _, problems = parse([task([result, xpath_labels])])
    assert [p.code for p in problems] == ["E404", "E404"]
    with pytest.raises(InputError, match=r"E404 .*result h1: hypertextlabels regions index HTML"):
        fail_on(problems)


def test_a_region_with_two_labels_is_reported():
    result = region("r1", "Joe Biden", "PERSON")
    result["value"]["labels"] = ["PERSON", "ORG"]
    with pytest.raises(InputError, match=r"E408 .*result r1: region has 2 labels \['PERSON', 'ORG'\]"):
        fail_on(parse([task([result])])[1])


def test_document_level_choices_and_other_types_are_reported():
    choices = {"id": "c1", "from_name": "sentiment", "type": "choices", "value": {"choices": ["Positive"]}}
    rect = {"id": "x1", "from_name": "box", "type": "rectanglelabels", "value": {"x": 1}}
    _, problems = parse([task([choices, rect])])
    with pytest.raises(InputError, match=r"E403 .*result c1: choices result 'sentiment' is not imported: document-level"):
        fail_on(problems[:1])
    assert "rectanglelabels result 'box'" in problems[1].what


def test_cancelled_annotations_are_reported():
    export = task([])
    export["annotations"][0]["was_cancelled"] = True
    sets, problems = parse([export])
    assert sets == []
    with pytest.raises(InputError, match=r"E416 .*task 7, annotation 70: the annotation was cancelled"):
        fail_on(problems)


def test_an_export_that_is_not_a_list_of_tasks_is_refused():
    with pytest.raises(InputError, match=r"E401 export\.json: the file has an unexpected shape: expected a list of task objects"):
        fail_on(parse(["not a task"])[1])


def test_tasks_without_data_or_text_are_reported():
    _, problems = parse([task([]), {"text": "zzz"}, {"data": {"body": "x"}}])
    assert [p.where for p in problems] == ["task #1 (no id)", "task #2 (no id)"]
    with pytest.raises(InputError, match=r"E402 .*task #1 \(no id\): task has no text: it has no 'data' object"):
        fail_on(problems)
    assert "data.text is missing" in problems[1].what


def test_the_text_field_can_be_named():
    imported = only([task([region("a1", "Berlin", "GPE")], text="", body=TEXT)], text_field="body")
    assert imported.entities[0].text == "Berlin"


def test_unknown_labels_are_reported_mapped_skipped_or_kept():
    export = [task([region("a1", "Joe Biden", "Person"), region("a2", "Berlin", "Misc")])]
    _, problems = parse(export)
    with pytest.raises(InputError, match=r"E406 .*result a1: label 'Person' is not one of the entity labels of schema\.yaml \(PERSON, NORP"):
        fail_on(problems)
    sets, problems = parse(export, labels=LabelPolicy(SCHEMA, {"Person": "PERSON", "Misc": None}))
    assert [e.label for e in sets[0].entities] == ["PERSON"]
    with pytest.raises(InputError, match=r"E407 .*result a2: label 'Misc' is skipped: the label map maps it to null"):
        fail_on(problems)
    kept = only(export, labels=LabelPolicy(SCHEMA, keep_unknown=True))
    assert [e.label for e in kept.entities] == ["Person", "Misc"]
    assert [e.label for e in only(export, labels=LabelPolicy()).entities] == ["Person", "Misc"]


def test_annotators_come_from_completed_by_the_map_or_the_option():
    export = [task([], completed_by={"email": "Ann.Smith@example.org"})]
    assert only(export).annotator == "ls-ann-smith"
    assert only(export, annotators=AnnotatorPolicy(mapping={"Ann.Smith@example.org": "team-c"})).annotator == "team-c"
    assert only(export, annotators=AnnotatorPolicy(fixed="team-d")).annotator == "team-d"


def test_an_annotation_without_completed_by_needs_an_annotator():
    with pytest.raises(InputError, match=r"E411 .*task 7, annotation 70: no annotator id for an annotation without completed_by"):
        fail_on(parse([task([], completed_by=None)])[1])


def test_predictions_are_read_by_model_version():
    export = {"data": {"text": TEXT}, "predictions": [{"model_version": "team-a", "result": [region("a1", "Berlin", "GPE")]},
                                                      {"model_version": "model 1", "result": []}]}
    sets, problems = parse([export], source="predictions")
    assert [(s.annotator, len(s.entities)) for s in sets] == [("team-a", 1)]
    with pytest.raises(InputError, match=r"E411 .*prediction #1: no annotator id for Label Studio model_version 'model 1'"):
        fail_on(problems)


def stance_results(label="favor", target="us-peace-plan-2025"):
    return [region("e5", "Biden", "PERSON", nth=1), region("ev1", "We back the plan", label, control="stance"),
            per_region("ev1", "We back the plan", "target", "choices", [target]), relation("e5", "ev1")]


def test_a_holder_relation_and_a_target_make_a_stance():
    imported = only([task(stance_results())])
    s = span(TEXT, "We back the plan")
    assert imported.stances == (Stance("ev1", "e5", "us-peace-plan-2025", "favor",
                                       (Evidence(s["start"], s["end"], s["text"]),)),)


def test_evidence_of_one_holder_and_target_is_one_stance_with_its_notes():
    results = stance_results() + [region("ev2", "Biden said", "favor", control="stance"),
                                  per_region("ev2", "Biden said", "target", "choices", ["us-peace-plan-2025"]),
                                  relation("ev2", "e5"),  # drawn the other way round: still the holder link
                                  per_region("ev1", "We back the plan", "note", "textarea", ["quoted"]),
                                  per_region("ev2", "Biden said", "note", "textarea", ["by Reuters"])]
    (stance,) = only([task(results)]).stances
    assert [v.text for v in stance.evidence] == ["We back the plan", "Biden said"] and stance.note == "quoted\nby Reuters"


def test_an_author_stance_has_no_relation():
    results = [region("ev1", "We back the plan", "neutral", control="stance"),
               per_region("ev1", "We back the plan", "target", "choices", ["us-peace-plan-2025"]),
               per_region("ev1", "We back the plan", "author", "choices", ["@author"])]
    assert only([task(results)]).stances[0].holder == "@author"


@pytest.mark.parametrize("change, message", [
    (lambda r: r.pop(2), "no target is chosen"),
    (lambda r: r.pop(3), "it has no holder: relate the holder entity to it, or mark it @author"),
    (lambda r: r.append(per_region("ev1", "We back the plan", "author", "choices", ["@author"])),
     "it is related to a holder entity and also marked @author"),
    (lambda r: r.extend([region("e1", "Joe Biden", "PERSON"), relation("e1", "ev1")]), r"it is related to 2 holder entities \['e5', 'e1'\]"),
])
def test_incomplete_stance_evidence_is_reported(change, message):
    results = stance_results()
    change(results)
    imported, problems = parse([task(results)])
    assert imported[0].stances == ()
    with pytest.raises(InputError, match=rf"E414 .*result ev1: stance evidence is not imported: {message}"):
        fail_on(problems)


def test_evidence_of_one_stance_with_two_labels_is_reported():
    results = stance_results() + [region("ev2", "Biden said", "against", control="stance"),
                                  per_region("ev2", "Biden said", "target", "choices", ["us-peace-plan-2025"]),
                                  relation("e5", "ev2")]
    with pytest.raises(InputError, match=r"E414 .*result ev1; .*result ev2: .*\(e5 -> us-peace-plan-2025\) has different labels \['against', 'favor'\]"):
        fail_on(parse([task(results)])[1])


def test_unknown_targets_and_stance_labels_are_reported():
    _, problems = parse([task(stance_results(label="pro", target="other-plan"))])
    with pytest.raises(InputError, match=r"E406 .*result ev1: label 'pro' is not one of the stance labels"):
        fail_on(problems)
    _, problems = parse([task(stance_results(target="other-plan"))])
    assert "label 'other-plan' is not one of the targets" in problems[0].what


def test_relations_that_are_not_holder_links_are_reported():
    results = [region("e1", "Joe Biden", "PERSON"), region("e2", "Olaf Scholz", "PERSON"), relation("e1", "e2", ["met"]),
               relation("e1", "gone")]
    _, problems = parse([task(results)])
    with pytest.raises(InputError, match=r"E403 .*relation e1 -> e2 \['met'\]: relation is not imported: it links two entities"):
        fail_on(problems)
    assert "does not link an entity region to a stance evidence region" in problems[1].what


def test_debris_and_qids_are_read():
    text = "Continues after advertising\n" + TEXT
    results = [region("d1", "Continues after advertising", "advertising", control="debris", text=text),
               region("e1", "Joe Biden", "PERSON", text=text),
               per_region("e1", "Joe Biden", "qid", "textarea", ["Q6279"], text=text)]
    imported = only([task(results, text=text)])
    assert imported.cleaning[0].reason == "advertising" and imported.entities[0].qid == "Q6279"


def test_a_bad_qid_or_a_foreign_per_region_control_is_reported():
    results = [region("e1", "Joe Biden", "PERSON"), per_region("e1", "Joe Biden", "qid", "textarea", ["Biden"]),
               per_region("e1", "Joe Biden", "sentiment", "choices", ["pos"]),
               per_region("zz", "Berlin", "qid", "textarea", ["Q64"])]
    _, problems = parse([task(results)])
    with pytest.raises(InputError, match=r"E427 .*result e1: 'Biden' is not a Wikidata QID"):
        fail_on(problems)
    assert "'sentiment' is not imported: it is not a control" in problems[1].what
    assert "belongs to no imported region" in problems[2].what


def min_record(**regions):
    return {"id": 9, "text": TEXT, "annotator": "ann@example.org", "annotation_id": 90, **regions}


def test_json_min_regions_become_entities():
    record = min_record(label=[{**span(TEXT, "Joe Biden"), "labels": ["PERSON"]}, {**span(TEXT, "Berlin"), "labels": ["GPE"]}],
                        qid=[{**span(TEXT, "Joe Biden"), "text": ["Q6279"]}])
    imported = only([record, {"id": 10, "text": "nobody annotated this"}])
    assert [(e.id, e.text, e.qid) for e in imported.entities] == [("e1", "Joe Biden", "Q6279"), ("e2", "Berlin", None)]
    assert imported.annotator == "ls-ann" and imported.where == "task 9, annotation 90"


def test_json_min_per_region_values_of_a_refused_region_are_not_reported_twice():
    record = min_record(label=[{**span(TEXT, "Joe Biden"), "labels": ["PER"]}, {**span(TEXT, "Berlin"), "labels": ["GPE"]}],
                        qid=[{**span(TEXT, "Joe Biden"), "text": ["Q6279"]}, {**span(TEXT, "Berlin"), "text": [""]}])
    sets, problems = parse([record])
    assert [p.code for p in problems] == ["E406"] and sets[0].entities[0].qid is None  # an emptied QID box is no QID


def test_json_min_problems_name_the_control_and_index():
    record = min_record(label=[{**span(TEXT, "Joe Biden"), "labels": ["PER"]}])
    with pytest.raises(InputError, match=r"E406 .*task 9, annotation 90, label\[0\]: label 'PER'"):
        fail_on(parse([record])[1])


def test_json_min_stance_evidence_needs_the_full_export():
    record = min_record(stance=[{**span(TEXT, "We back the plan"), "labels": ["favor"]}],
                        target=[{**span(TEXT, "We back the plan"), "choices": ["us-peace-plan-2025"]}])
    with pytest.raises(InputError, match=r"E414 .*task 9, annotation 90, stance\[0\]: .*it has no holder.*"
                                         r"JSON-MIN exports have no relations: export as JSON"):
        fail_on(parse([record])[1])


def test_the_command_writes_files_lists_problems_and_exits_1(tmp_path, capsys):
    root = make_project(tmp_path, annotators=(), gold=False)
    export = textwrap.dedent("""\
        [{"id": 3, "data": {"text": %s, "article_id": "a1"},
          "annotations": [{"id": 30, "completed_by": 2, "result": [
            {"id": "r1", "from_name": "entity", "to_name": "text", "type": "labels",
             "value": {"start": %d, "end": %d, "text": "Joe Biden", "labels": ["PER"]}},
            {"id": "r2", "from_name": "entity", "to_name": "text", "type": "labels",
             "value": {"start": 0, "end": 3, "text": "Con", "labels": ["MISC"]}}]}]}]
        """) % (json.dumps(ARTICLE), ARTICLE.index("Joe"), ARTICLE.index("Joe") + 9)
    (tmp_path / "export.json").write_text(export, encoding="utf-8")
    (tmp_path / "map.yaml").write_text("PER: PERSON\n", encoding="utf-8")
    argv = ["import", "labelstudio", str(tmp_path / "export.json"), "--corpus", str(root / "corpus"),
            "--annotations", str(root / "annotations"), "--label-map", str(tmp_path / "map.yaml")]
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert "wrote 1 annotation file(s): 1 entities" in out
    assert "E406 " in out and "task 3, annotation 30, result r2: label 'MISC'" in out and "E406 x1" in out
    aset, problems = load_annotation_file(root / "annotations" / "ls-2" / "a1.json")
    assert problems == [] and aset.entities[0].text == "Joe Biden"
    assert main(argv) == 1 and "E413" in capsys.readouterr().out
    assert main(argv + ["--new-articles"]) == 2


REAL_LABELS = LabelPolicy(SCHEMA, {"Person": "PERSON", "PER": "PERSON", "Organization": "ORG", "ORG": "ORG",
                                   "Datetime": "DATE", "Date": "DATE", "LOC": "GPE", "MISC": None})


def real_export(name):
    path = REALDATA / name
    if not path.is_file():
        pytest.skip(f"{path} is not on this machine")
    return json.loads(path.read_text(encoding="utf-8"))


def span_results(export, source="annotations"):
    """Every text span result of an export (full JSON or JSON-MIN), as its value dict."""
    tasks = [export] if isinstance(export, dict) else export
    found = []
    for t in tasks:
        if "data" in t:
            found += [r["value"] for a in t.get(source, []) for r in a["result"] if r.get("type") == "labels"]
        else:
            found += [v for values in t.values() if isinstance(values, list)
                      for v in values if isinstance(v, dict) and "labels" in v]
    return found


@pytest.mark.parametrize("name, source, spans, entities, reported", [
    ("biographynet_angel-daza/testing_ls_full.json", "annotations", 13, 13, {"E403": 7}),
    ("biographynet_angel-daza/testing_ls.json", "annotations", 34, 32, {"E407": 2}),
    ("label-studio_repo_examples/named_entity_annotation_1.json", "annotations", 1, 1, {}),
    ("label-studio_repo_examples/named_entity_tasks.json", "predictions", 1, 1, {}),
    ("label-studio_repo_examples/humor_dataset_2_annotations.json", "annotations", 0, 0, {"E403": 2}),
    ("label-studio_repo_examples/tasks_annotations_predictions.json", "annotations", 0, 0, {"E403": 4, "E402": 2}),
])
def test_real_exports_yield_one_entity_per_span_or_a_reason(name, source, spans, entities, reported):
    export = real_export(name)
    fixed = None if "biographynet" in name else "ls-example"  # the small fixtures have no completed_by
    sets, problems = parse(export, labels=REAL_LABELS, annotators=AnnotatorPolicy(fixed=fixed), source=source)
    assert len(span_results(export, source)) == spans
    imported = [e for s in sets for e in s.entities]
    span_problems = [p for p in problems if p.code in ("E404", "E405", "E406", "E407", "E408")]
    assert len(imported) == entities and entities + len(span_problems) == spans
    for s in sets:
        for e in s.entities:
            assert s.text[e.start:e.end] == e.text
    quoted = {(v["start"], v["end"], v["text"]) for v in span_results(export, source)}
    assert {(e.start, e.end, e.text) for e in imported} <= quoted
    assert dict(Counter(p.code for p in problems)) == reported


def test_two_annotations_of_one_task_by_one_annotator_are_both_refused(tmp_path):
    export = real_export("label-studio_repo_examples/tasks_annotations_predictions.json")
    sets, problems = parse(export, annotators=AnnotatorPolicy(fixed="ls-example"))
    write_article(tmp_path, "x2", "x2")
    _, _, found = match_articles([s for s in sets if s.text == "x2"], load_corpus(tmp_path))
    assert [p.where for p in found] == ["task #1 (no id), annotation #0", "task #1 (no id), annotation #1"]


def test_a_real_export_imports_as_new_articles(tmp_path):
    real_export("biographynet_angel-daza/testing_ls_full.json")
    (tmp_path / "annotations").mkdir()
    shutil.copy(REPO / "annotations" / "schema.yaml", tmp_path / "annotations")
    options = LabelStudioOptions(labels=REAL_LABELS, id_field="text_id")
    report = import_labelstudio(REALDATA / "biographynet_angel-daza" / "testing_ls_full.json", corpus_dir=tmp_path / "corpus",
                                annotations_dir=tmp_path / "annotations", options=options,
                                new_articles=NewArticles("nl", "unknown", "testing_ls_full.json"))
    assert report.counts["entities"] == 13 and len(report.new_articles) == 2
    assert sorted(a.id for a in load_corpus(tmp_path / "corpus")) == ["15793801_05", "4175081_02"]
    sets, problems = scan_annotations(tmp_path / "annotations")
    assert problems == [] and {s.annotator for s in sets} == {"ls-2"}


def command(tmp_path, export, *extra):
    root = make_project(tmp_path, annotators=(), gold=False)
    return ["import", "labelstudio", str(export), "--corpus", str(root / "corpus"), "--annotations",
            str(root / "annotations"), *extra]


def test_a_missing_export_file_is_a_coded_error_without_traceback(tmp_path, capsys):
    assert main(command(tmp_path, tmp_path / "nowhere.json")) == 1
    out = capsys.readouterr().out
    assert "E430" in out and "Traceback" not in out
    report = import_labelstudio(tmp_path / "nowhere.json", corpus_dir=tmp_path / "corpus", annotations_dir=tmp_path)
    with pytest.raises(InputError, match=r"E430 .*nowhere\.json: Label Studio export file .*nowhere\.json does not exist"):
        fail_on(report.problems)


def test_an_empty_export_is_refused():
    with pytest.raises(InputError, match=r"E431 export\.json: the export holds nothing to import: it is an empty list of tasks"):
        fail_on(parse([])[1])
    with pytest.raises(InputError, match=r"E431 export\.json: .*none of its 1 task\(s\) has annotations \(read predictions "
                                         r"with --from predictions\)"):
        fail_on(parse([{"data": {"text": TEXT}, "annotations": [], "predictions": [{"result": []}]}])[1])


def test_an_object_that_is_not_a_task_is_refused_with_its_keys():
    with pytest.raises(InputError, match=r"E401 export\.json: the file has an unexpected shape: expected a list of task "
                                         r"objects, found an object with keys: tasks"):
        fail_on(parse({"tasks": "x"})[1])


def test_a_wrong_text_field_lists_the_fields_the_task_has():
    export = [{"id": 4, "data": {"raw_text": TEXT, "url": "https://x.example", "n": 3}, "annotations": []}]
    with pytest.raises(InputError, match=r"E402 export\.json: task 4: task has no text: data\.text is missing or not a "
                                         r"non-empty string; its text fields are: raw_text, url"):
        fail_on(parse(export)[1])


def test_a_new_article_keeps_the_tasks_provenance(tmp_path):
    export = [{"id": 4, "data": {"raw_text": TEXT, "url": "https://naija.example/a", "title": "Biden met Scholz",
                                 "source": "Naija News"},
               "annotations": [{"id": 40, "completed_by": 2, "result": [region("r1", "Joe Biden", "PERSON")]}]}]
    (tmp_path / "export.json").write_text(json.dumps(export), encoding="utf-8")
    options = LabelStudioOptions(labels=CHECKED, text_field="raw_text")
    report = import_labelstudio(tmp_path / "export.json", corpus_dir=tmp_path / "corpus", annotations_dir=tmp_path / "ann",
                                options=options, new_articles=NewArticles("en", "unknown", "export.json"))
    (article,) = load_corpus(tmp_path / "corpus")
    assert (article.meta.url, article.meta.title, article.meta.outlet) == ("https://naija.example/a", "Biden met Scholz",
                                                                           "Naija News")
    assert "Not given" not in dict(article.meta.notes)["url"] and report.counts["entities"] == 1
