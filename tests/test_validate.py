"""validate_inputs end to end: every coded problem of the inputs reported with its file and place, all at once."""

import json
import re

import jsonschema
import pytest

from builder.errors import InputError
from builder.sources import annotations
from builder.sources.annotation_schema import json_schema
from builder.validate import format_report, validate_inputs
from factories import ARTICLE, annotation, default_entities, make_project, span, write_annotation


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path, annotators=("team-a",), gold=False)


def rewrite(project, change, annotator="team-a", article="a1"):
    path = project / "annotations" / annotator / f"{article}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def check(project):
    report = validate_inputs(project / "corpus", project / "annotations")
    if not report.ok:
        raise InputError(report.problems)
    return report.inputs


def test_a_valid_project_passes(project):
    report = validate_inputs(project / "corpus", project / "annotations")
    assert report.ok, format_report(report)
    assert report.counts == {"articles": 1, "annotation sets": 1, "entities": 6, "stances": 2, "debris spans": 2}
    assert "no problems found" in format_report(report)


def test_schema_violation_names_the_pointer(project):
    rewrite(project, lambda d: d["entities"][1].update(start="10"))
    with pytest.raises(InputError, match=r"E101 .*team-a/a1\.json: article a1, entities\[1\]: annotation file is invalid: '10' is not of type 'integer' \(at /entities/1/start\)"):
        check(project)


# A final new line: Python's ``$`` matches before it, so a schema whose patterns ended in ``$`` accepted
# what msgspec refuses.
@pytest.mark.parametrize("change, where, pointer", [
    pytest.param(lambda d: d.update(annotator="team-a\n"), "article a1", "/annotator", id="annotator"),
    pytest.param(lambda d: d.update(article_id="a1\n"), r"article 'a1\\n'", "/article_id", id="article id"),
    pytest.param(lambda d: d.update(raw_sha256=d["raw_sha256"] + "\n"), "article a1", "/raw_sha256", id="raw_sha256"),
    pytest.param(lambda d: d["entities"][0].update(id="e1\n"), r"article a1, entities\[0\]", "/entities/0/id", id="entity id"),
    pytest.param(lambda d: d["entities"][0].update(qid="Q6279\n"), r"article a1, entities\[0\]", "/entities/0/qid", id="qid"),
    pytest.param(lambda d: d["stances"][1].update(id="s2\n"), r"article a1, stances\[1\]", "/stances/1/id", id="stance id"),
])
def test_a_value_with_a_final_new_line_is_refused(project, change, where, pointer):
    rewrite(project, change)
    with pytest.raises(InputError, match=rf"E101 .*team-a/a1\.json: {where}: annotation file is invalid: "
                                         rf"'[^']*\\n' does not match .*\(at {pointer}\)"):
        check(project)


def test_a_file_msgspec_refuses_and_the_json_schema_accepts_is_reported_not_dropped(project, monkeypatch):
    """Should the JSON Schema accept what msgspec refuses (as it did a final new line while the patterns
    ended in ``$``), msgspec's words say what is wrong: the file is never left out without a word."""
    lenient = json.loads(json.dumps(json_schema()).replace(r"(?![\\s\\S])", "$"))
    monkeypatch.setattr(annotations, "json_schema_validator", lambda: jsonschema.Draft202012Validator(lenient))
    rewrite(project, lambda d: d.update(annotator="team-a\n"))
    with pytest.raises(InputError, match=r"E101 .*team-a/a1\.json: article a1: annotation file is invalid: "
                                         r"Expected `str` matching regex .*\(at /annotator\)"):
        check(project)


def test_unknown_article(project):
    write_annotation(project / "annotations", annotation("zz", ARTICLE, "team-a"))
    with pytest.raises(InputError, match=r"E102 .*team-a/zz\.json: unknown article id 'zz'"):
        check(project)


def test_text_changed_after_annotation(project):
    rewrite(project, lambda d: d.update(raw_sha256="0" * 64))
    with pytest.raises(InputError, match=r"E103 .*article a1: raw_sha256 0{64} does not match .*the text changed after annotation"):
        check(project)


def test_offsets_out_of_range(project):
    rewrite(project, lambda d: d["entities"][0].update(start=9990, end=9999))
    with pytest.raises(InputError, match=rf"E104 .*entities\[0\], offsets \[9990, 9999\) \(id e1\): offsets \[9990, 9999\) are out of range for a text of {len(ARTICLE)} characters"):
        check(project)


def test_quoted_text_differs(project):
    rewrite(project, lambda d: d["entities"][0].update(start=d["entities"][0]["start"] + 1))
    with pytest.raises(InputError, match=r"E105 .*quoted text 'Joe Biden' differs from the text at \[39, 47\): 'oe Biden'"):
        check(project)


@pytest.mark.parametrize("change, kind", [
    (lambda d: d["entities"][0].update(label="PER"), "entity label 'PER'"),
    (lambda d: d["stances"][0].update(target="nato"), "stance target 'nato'"),
    (lambda d: d["stances"][0].update(label="pro"), "stance label 'pro'"),
    (lambda d: d["cleaning"][0].update(reason="ads"), "debris reason 'ads'"),
])
def test_unknown_labels(project, change, kind):
    rewrite(project, change)
    with pytest.raises(InputError, match=rf"E106 .*unknown {kind}; known: "):
        check(project)


def test_overlapping_entities(project):
    rewrite(project, lambda d: d["entities"].append(dict(span(ARTICLE, "President Joe"), id="e9", label="PERSON")))
    with pytest.raises(InputError, match=r"E107 .*entity \[28, 41\) 'President Joe' overlaps entity \[38, 47\) 'Joe Biden'"):
        check(project)


def test_entity_across_debris(project):
    text = ARTICLE
    rewrite(project, lambda d: d["entities"].append(dict(span(text, "FREE"), id="e9", label="ORG")))
    with pytest.raises(InputError, match=r"E108 .*entities\[6\].*span \[\d+, \d+\) 'FREE' overlaps debris"):
        check(project)


def test_evidence_across_debris(project):
    rewrite(project, lambda d: d["stances"][0]["evidence"].append(span(ARTICLE, "Monday.\nFREE TOOL")))
    with pytest.raises(InputError, match=r"E108 .*stances\[0\] \(id s1\), evidence\[1\]"):
        check(project)


def test_holder_that_points_nowhere(project):
    rewrite(project, lambda d: d["stances"][0].update(holder="e42"))
    with pytest.raises(InputError, match=r"E109 .*stances\[0\] \(id s1\): stance holder 'e42' refers to no entity id"):
        check(project)


def test_duplicate_entity_ids(project):
    rewrite(project, lambda d: d["entities"][1].update(id="e1"))
    with pytest.raises(InputError, match=r"E110 .*duplicate entity id 'e1'"):
        check(project)


def test_unknown_annotator(project):
    write_annotation(project / "annotations", annotation("a1", ARTICLE, "stranger"))
    with pytest.raises(InputError, match=r"E111 .*annotator 'stranger' is not recorded in annotations/annotators\.yaml"):
        check(project)


def test_overlapping_debris(project):
    rewrite(project, lambda d: d["cleaning"].append(dict(span(ARTICLE, "after"), reason="advertising")))
    with pytest.raises(InputError, match=r"E112 .*debris span \[0, 27\) overlaps debris span \[10, 15\)"):
        check(project)


def test_folder_and_annotator_disagree(project):
    rewrite(project, lambda d: d.update(annotator="team-b"))
    with pytest.raises(InputError, match=r"E113 .*is in folder 'team-a' but says annotator 'team-b'"):
        check(project)


def test_two_stances_for_one_holder_and_target(project):
    def twice(d):
        d["stances"][1]["holder"] = "e1"  # same QID as e5: the same holder
    rewrite(project, twice)
    with pytest.raises(InputError, match=r"E114 .*stance 'Q6279' -> 'us-peace-plan-2025' is given twice"):
        check(project)


def test_entity_boundary_inside_a_token_is_kept(project):
    rewrite(project, lambda d: d["entities"][5].update(span(ARTICLE, "Kreml")))
    check(project)  # the build splits "Kremlin" after "Kreml"


def test_entity_ending_with_whitespace(project):
    rewrite(project, lambda d: d["entities"][5].update(span(ARTICLE, "Kremlin ")))
    with pytest.raises(InputError, match=r"E210 .*entities\[5\] ORG \(id e6\): entity \[\d+, \d+\) 'Kremlin ' has "
                                         r"whitespace at its end"):
        check(project)


def test_malformed_json_annotation(project):
    (project / "annotations" / "team-a" / "a1.json").write_text('{"format": }', encoding="utf-8")
    with pytest.raises(InputError, match=r"E001 .*a1\.json: malformed JSON .* at line 1, column 12"):
        check(project)


def test_integers_too_long_for_python_are_problems_at_their_pointers(project):
    document = annotation("a1", ARTICLE, "team-a", entities=default_entities())
    document["entities"][0].update(start="START", end="END")
    (project / "annotations" / "team-a" / "a1.json").write_text(
        json.dumps(document).replace('"START"', "1" * 4301).replace('"END"', "-" + "2" * 5000), encoding="utf-8")
    meta = project / "corpus" / "a1.meta.json"
    meta.write_text(meta.read_text(encoding="utf-8").replace('"split": "train"', '"split": ' + "9" * 4400), encoding="utf-8")
    with pytest.raises(InputError, match=r"E012 .*a1\.meta\.json: article a1: integer of 4400 digits \(at /split\) is longer") as caught:
        check(project)
    assert re.findall(r"E012 .*team-a/a1\.json: article a1, entities\[0\]: integer of (\d+) digits \(at (\S+)\)", str(caught.value)) == [
        ("4301", "/entities/0/start"), ("5000", "/entities/0/end")]


def test_lone_surrogates_are_problems_at_their_pointers(project):
    """A \\ud800 escape without its other half is no character: a schema engine once raised UnicodeEncodeError
    on it in a field with a pattern, the build failed writing it elsewhere (the metadata's outlet)."""
    document = annotation("a1", ARTICLE, "team-a", entities=default_entities())
    document["entities"][1].update(id="e\ud8002")
    document["entities"][3]["text"] += "\udc00"
    (project / "annotations" / "team-a" / "a1.json").write_text(json.dumps(document), encoding="utf-8")
    meta = project / "corpus" / "a1.meta.json"
    meta.write_text(meta.read_text(encoding="utf-8").replace('"Test Outlet"', '"Test\\ud83d Outlet"'), encoding="utf-8")
    with pytest.raises(InputError, match=r"E013 .*a1\.meta\.json: article a1: lone surrogate \\ud83d at character 4 "
                                         r"of the string at /outlet: half of a UTF-16 pair") as caught:
        check(project)
    assert re.findall(r"E013 .*team-a/a1\.json: article a1, entities\[\d\]: lone surrogate (\\u\w+) at character (\d) "
                      r"of the string at (\S+):", str(caught.value)) == [
        ("\\ud800", "1", "/entities/1/id"), ("\\udc00", "6", "/entities/3/text")]
    assert r"near: 'e\ud8002'" in str(caught.value)


def test_json_nested_deeper_than_python_reads_is_a_problem(project):
    nested = "[" * 3000 + '"x"' + "]" * 3000
    (project / "annotations" / "team-a" / "a1.json").write_text('{"decisions": ' + nested + "}", encoding="utf-8")
    meta = project / "corpus" / "a1.meta.json"
    meta.write_text(meta.read_text(encoding="utf-8").replace('"notes": {}', '"notes": ' + nested), encoding="utf-8")
    with pytest.raises(InputError, match=r"E014 .*a1\.meta\.json: JSON nested 3001 levels deep") as caught:
        check(project)
    assert re.search(r"E014 .*team-a/a1\.json: JSON nested 3001 levels deep \(the deepest at line 1, column 3014\)",
                     str(caught.value))


def test_malformed_yaml(project):
    (project / "annotations" / "schema.yaml").write_text("entity_labels:\n  PERSON: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"E002 .*schema\.yaml: malformed YAML .* at line 3"):
        check(project)


def test_every_problem_is_reported_at_once_and_grouped(project):
    def many(d):
        d["entities"][0]["label"] = "PER"
        d["entities"][1]["start"] += 1
        d["stances"][0]["holder"] = "nobody"
    rewrite(project, many)
    report = validate_inputs(project / "corpus", project / "annotations")
    assert sorted(p.code for p in report.problems) == ["E105", "E106", "E109"]
    text = format_report(report)
    assert "3 problem(s) of 3 kind(s)" in text and "[E105] 1 problem(s)" in text


def test_the_repository_validates(repo):
    report = validate_inputs(repo / "corpus", repo / "annotations")
    assert report.ok, format_report(report)




def test_an_offset_beyond_any_text_is_refused_with_the_file(project):
    rewrite(project, lambda d: d["entities"][0].update(end=2**63))
    with pytest.raises(InputError, match=r"E101 .*team-a/a1\.json: article a1, entities\[0\]: annotation file is invalid: "
                                         r"9223372036854775808 is greater than the maximum of 9223372036854775807"):
        check(project)
