import json
import re
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from builder.article.align import boundary_problems, misaligned, tokenize
from builder.sources import annotations
from builder.sources.annotations import json_schema, load_annotation_file, load_annotators, load_schema
from builder.article.clean import clean_article, removed_ranges
from builder.errors import InputError
from builder.sources.listing import index_inputs, read_files
from builder.article.project import project_span
from builder.records import AUTHOR, AnnotationSet, ArticleMeta, Debris, Entity, Evidence, RawArticle, Stance
from builder.validate import (CheckedArticle, alignment_problems, article_from, check_article, check_set, checked_inputs,
                              format_report, passed_items, read_article, set_is_valid, set_problems, validate_inputs)
from factories import ARTICLE, REPO, annotation, default_entities, make_project, sha, span, write_annotation


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
    return checked_inputs(project / "corpus", project / "annotations")


def test_a_valid_project_passes(project):
    report = validate_inputs(project / "corpus", project / "annotations")
    assert report.ok, format_report(report)
    assert report.counts == {"articles": 1, "annotation sets": 1, "entities": 6, "stances": 2, "debris spans": 2}
    assert "no problems found" in format_report(report)


def test_schema_violation_names_the_pointer(project):
    rewrite(project, lambda d: d["entities"][1].update(start="10"))
    with pytest.raises(InputError, match=r"E101 .*team-a/a1\.json: article a1, entities\[1\]: annotation file is invalid: '10' is not of type 'integer' \(at /entities/1/start\)"):
        check(project)


# A final new line: Python's ``$`` matches before it, so jsonschema accepted what jsonschema-rs refused
# and the file was neither read nor reported.
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


def test_a_file_the_two_schema_engines_disagree_on_is_reported_not_dropped(project, monkeypatch):
    """Should jsonschema accept what jsonschema-rs refuses (as it did a final new line while the patterns
    ended in ``$``), jsonschema-rs words the problem: the file is never left out without a word."""
    lenient = json.loads(json.dumps(json_schema()).replace(r"(?![\\s\\S])", "$"))
    monkeypatch.setattr(annotations, "json_schema_validator", lambda: jsonschema.Draft202012Validator(lenient))
    rewrite(project, lambda d: d.update(annotator="team-a\n"))
    with pytest.raises(InputError, match=r'E116 .*team-a/a1\.json: article a1: annotation file is invalid: '
                                         r'"team-a\\n" does not match .*\(at /annotator\); jsonschema-rs refuses it'):
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


def test_entity_boundary_inside_a_token(project):
    rewrite(project, lambda d: d["entities"][5].update(span(ARTICLE, "Kreml")))
    with pytest.raises(InputError, match=r"E201 .*entities\[5\] ORG 'Kreml'.*span boundary at \d+ falls inside token 'Kremlin'"):
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
    """A \\ud800 escape without its other half is no character: jsonschema-rs raised UnicodeEncodeError on it
    in a field with a pattern, the build failed writing it elsewhere (the metadata's outlet)."""
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


# --- the fast path of check_set and alignment_problems against their definitions ------------------

SCHEMA = load_schema(REPO / "annotations" / "schema.yaml")
ANNOTATORS = load_annotators(REPO / "annotations" / "annotators.yaml")
RAW = RawArticle(ArticleMeta("a1", "a1.txt", sha(ARTICLE), "en", None, None, None, "test"), ARTICLE, "a1.txt")
TWO_TARGETS = replace(SCHEMA, targets={**SCHEMA.targets, "other-plan": "Another plan."})  # E114 is per target
FREE = len(ARTICLE.split("FREE")[0])  # "FREE TOOL" is debris in the fixture
WORDS = [(m.start(), m.end()) for m in re.finditer(r"\S+", ARTICLE)]


@st.composite
def raw_span(draw, near_words=True):
    """(start, end, quoted): mostly a run of whole words quoted right, sometimes off by a little."""
    if near_words and draw(st.integers(0, 3)):
        first = draw(st.integers(0, len(WORDS) - 1))
        last = draw(st.integers(first, min(first + 2, len(WORDS) - 1)))
        start, end = WORDS[first][0], WORDS[last][1]
    else:
        start = draw(st.integers(-2, len(ARTICLE) + 1))
        end = draw(st.integers(start - 1, start + 12))
    quoted = ARTICLE[max(start, 0):max(end, 0)] or "x"
    if not draw(st.integers(0, 7)):
        quoted = quoted[1:] + "?"
    return start, end, quoted


@st.composite
def annotation_sets(draw):
    """Sets near a valid one (entities on distinct words outside the debris, known labels, unique ids),
    with each kind of mistake drawn now and then, in half of the sets, so that every check can fail
    alone or with others."""
    careful = draw(st.booleans())

    def rarely(usual, other):
        return other if not careful and not draw(st.integers(0, 6)) else usual

    ad, free = Debris(0, 27, "advertising", ARTICLE[:27]), Debris(FREE, FREE + 9, "promotion", "FREE TOOL")
    touching = (free._replace(end=FREE + 4, text="FREE"), free._replace(start=FREE + 4, text=" TOOL"))
    cleaning = draw(st.sampled_from([(), (ad,), (ad, free), touching]))
    kept = [w for w in WORDS if not careful or all(w[1] <= d.start - 1 or d.end + 1 <= w[0] for d in cleaning)]
    cleaning += tuple(Debris(s, e, rarely("promotion", "spam"), q)
                      for s, e, q in draw(st.lists(raw_span(near_words=False), max_size=rarely(0, 2))))

    def word_span():
        start, end = draw(st.sampled_from(kept))
        return start, end, ARTICLE[start:end]

    words = sorted(draw(st.sets(st.sampled_from(kept), max_size=10)))
    words = [part for s, e in words for part in ([(s, s + 1), (s + 1, e)] if e - s > 1 and draw(st.booleans()) else [(s, e)])]
    spans = [(s, e, ARTICLE[s:e]) for s, e in words] + draw(st.lists(raw_span(), max_size=rarely(0, 2)))
    entities = [Entity(rarely(f"e{i}", "e0"), s, e, rarely("PERSON", "WEIRD"),
                       rarely(q, draw(st.sampled_from([q + "?", q[:-1] + ("y" if q.endswith("x") else "x")]))),
                       draw(st.sampled_from([None, "Q1"]))) for i, (s, e, q) in enumerate(spans)]
    if entities and not careful and not draw(st.integers(0, 4)):
        entities.append(draw(st.sampled_from(entities))._replace(id="e99"))  # the same span twice: E107
    if not draw(st.integers(0, 5)):
        entities = draw(st.permutations(entities))
    holders = [e.id for e in entities] + [AUTHOR]
    stances = tuple(Stance(rarely(f"s{k}", "s0"), rarely(draw(st.sampled_from(holders[-2:])), "nobody"),
                           rarely(draw(st.sampled_from(list(TWO_TARGETS.targets))), "other"),
                           rarely(draw(st.sampled_from(["favor", "against"])), "maybe"),
                           tuple(Evidence(*rarely(word_span(), draw(raw_span()))) for _ in range(draw(st.integers(1, 2)))))
                    for k in range(draw(st.integers(0, 3))))
    return AnnotationSet("a1", rarely("team-a", "nobody"), rarely(sha(ARTICLE), "0" * 64), cleaning,
                         tuple(entities), stances, path=Path("team-a/a1.json"))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(annotation_sets())
def test_set_is_valid_exactly_when_the_definition_finds_nothing(aset):
    problems = set_problems(aset, RAW, TWO_TARGETS, ANNOTATORS)
    assert set_is_valid(aset, RAW, TWO_TARGETS, ANNOTATORS) == (not problems)
    assert check_set(aset, RAW, TWO_TARGETS, ANNOTATORS) == problems


ONE_MISTAKE = {
    "E107": lambda a: replace(a, entities=a.entities + (a.entities[0]._replace(id="e9"),)),
    "E108": lambda a: replace(a, entities=a.entities + (Entity("e9", FREE, FREE + len("FREE"), "ORG", "FREE"),)),
    "E108 (the line break after a removed line)": lambda a: replace(a, entities=a.entities + (
        Entity("e9", len("Continues after advertising"), len("Continues after advertising\nPresident"), "PERSON",
               "\nPresident"),)),
    "E110": lambda a: replace(a, stances=a.stances + (a.stances[0]._replace(holder=AUTHOR),)),
    "E112": lambda a: replace(a, cleaning=a.cleaning + (Debris(FREE, FREE + len("FREE"), "promotion", "FREE"),)),
    "E114": lambda a: replace(a, stances=a.stances + (a.stances[0]._replace(id="s9"),)),
    "E109": lambda a: replace(a, stances=(a.stances[0]._replace(holder="e9"),)),
    "E106": lambda a: replace(a, entities=(a.entities[0]._replace(label="PEOPLE"),)),
    "E105": lambda a: replace(a, stances=(a.stances[0]._replace(evidence=(Evidence(0, 3, "Con?"),)),)),
}


@pytest.mark.parametrize("code", sorted(ONE_MISTAKE))
def test_set_is_valid_for_the_valid_fixture_and_not_with_one_mistake(project, code):
    aset, _ = load_annotation_file(project / "annotations" / "team-a" / "a1.json")
    assert set_is_valid(aset, RAW, SCHEMA, ANNOTATORS) and check_set(aset, RAW, SCHEMA, ANNOTATORS) == []
    wrong = ONE_MISTAKE[code](aset)
    assert not set_is_valid(wrong, RAW, SCHEMA, ANNOTATORS)
    assert code.split()[0] in [p.code for p in check_set(wrong, RAW, SCHEMA, ANNOTATORS)]


def alignment_definition(aset, article, clean, tokens):
    """E201 as alignment_problems words them, every entity projected one by one."""
    spans = [(*p, i) for i, e in enumerate(aset.entities) if (p := project_span(clean.offsets, e.start, e.end))]
    if not misaligned(tokens, [(a, b) for a, b, _ in spans]):
        return []
    described = [(a, b, f"entities[{i}] {aset.entities[i].label} {aset.entities[i].text!r} raw "
                        f"[{aset.entities[i].start}, {aset.entities[i].end})") for a, b, i in spans]
    return boundary_problems(tokens, described, clean.text, str(aset.path), f"article {aset.article_id}")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(annotation_sets())
def test_alignment_problems_equal_the_span_by_span_definition(aset):
    cleaning = tuple(d for d in aset.cleaning if 0 <= d.start < d.end <= len(ARTICLE))
    cleaning = tuple(d for i, d in enumerate(cleaning) if all(d.end <= o.start or o.end <= d.start for o in cleaning[:i]))
    entities = tuple(e for e in aset.entities if 0 <= e.start < e.end <= len(ARTICLE))  # as check_set leaves them
    aset = AnnotationSet(aset.article_id, aset.annotator, aset.raw_sha256, cleaning, entities, (), aset.path)
    clean = clean_article(RAW, cleaning)
    tokens = tokenize(clean.text, "en")
    expected = alignment_definition(aset, RAW, clean, tokens)
    assert alignment_problems(aset, RAW, clean, tokens) == expected


# --- items checked once per article: a set that passed lends its items to the next sets ----------

@st.composite
def passed_and_another(draw):
    """Two sets of one article, the second repeating some of the first's entities (some with one field
    changed) and stances (with their evidence) next to its own, under its own cleaning."""
    first, second = draw(annotation_sets()), draw(annotation_sets())
    changes = [lambda e: e, lambda e: e._replace(label="WEIRD"), lambda e: e._replace(text=e.text + "?"),
               lambda e: e._replace(end=e.end + 1)]
    repeated = tuple(draw(st.sampled_from(changes))(e) for e in first.entities if draw(st.booleans()))
    entities = repeated + second.entities
    if draw(st.booleans()):
        entities = tuple(sorted(entities, key=lambda e: (e.start, e.end)))
    stances = tuple(s for s in first.stances if draw(st.booleans())) + second.stances
    return first, replace(second, entities=entities, stances=stances)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(passed_and_another())
def test_a_set_checked_with_the_items_of_a_passed_set_gets_the_problems_it_gets_alone(sets):
    first, second = sets
    assume(not check_set(first, RAW, TWO_TARGETS, ANNOTATORS))
    passed = passed_items(first)
    alone = check_set(second, RAW, TWO_TARGETS, ANNOTATORS)
    assert set_is_valid(second, RAW, TWO_TARGETS, ANNOTATORS, passed) == (not alone)
    assert check_set(second, RAW, TWO_TARGETS, ANNOTATORS, passed) == alone
    if alone or removed_ranges(ARTICLE, first.cleaning) != removed_ranges(ARTICLE, second.cleaning):
        return
    clean = clean_article(RAW, second.cleaning)
    tokens = tokenize(clean.text, "en")
    if not alignment_problems(first, RAW, clean, tokens):  # the first set's entities are on token boundaries
        assert (alignment_problems(second, RAW, clean, tokens, passed.entities)
                == alignment_problems(second, RAW, clean, tokens))


def three_sets(tmp_path, change_gold=None, change_others=None):
    """make_project's team-a, team-b and gold, ``change_gold`` applied to gold and ``change_others`` to the two teams."""
    project = make_project(tmp_path)
    for annotator, change in (("gold", change_gold), ("team-a", change_others), ("team-b", change_others)):
        if change is not None:
            rewrite(project, change, annotator)
    return validate_inputs(project / "corpus", project / "annotations").problems


def test_an_item_wrong_in_every_set_is_reported_in_every_file(tmp_path):
    def misquote(data):
        data["entities"][2]["text"] = "Berlim"
    problems = three_sets(tmp_path, misquote, misquote)
    assert [(p.code, Path(p.file).parent.name) for p in problems] == [
        ("E105", "gold"), ("E105", "team-a"), ("E105", "team-b")]
    assert len({p.where for p in problems}) == 1  # the same item, worded alike in each file


def test_an_entity_the_gold_passed_is_checked_against_the_debris_of_another_set(tmp_path):
    def monday_is_debris(data):
        data["cleaning"].append(dict(span(ARTICLE, "Monday"), reason="promotion"))
    problems = three_sets(tmp_path, change_others=monday_is_debris)
    assert [(p.code, Path(p.file).parent.name, p.where) for p in problems] == [
        ("E108", team, f"article a1, entities[3], offsets [{ARTICLE.index('Monday')}, "
                       f"{ARTICLE.index('Monday') + len('Monday')}) (id e4)") for team in ("team-a", "team-b")]


def test_an_entity_aligned_in_the_gold_text_is_aligned_again_where_the_cleaning_differs(tmp_path):
    """"Smith" is a token of the gold's text; team-a removes " AD " and reads "Smithson": E201 there only."""
    text = ARTICLE + "Smith AD son said.\n"
    project = make_project(tmp_path, annotators=("team-a",), text=text)
    smith = dict(span(text, "Smith"), id="e7", label="PERSON")
    rewrite(project, lambda d: d["entities"].append(smith), "gold")
    rewrite(project, lambda d: (d["entities"].append(smith),
                                d["cleaning"].append(dict(span(text, " AD "), reason="advertising"))))
    problems = validate_inputs(project / "corpus", project / "annotations").problems
    assert [(p.code, Path(p.file).parent.name) for p in problems] == [("E201", "team-a")]
    assert "entities[6] PERSON 'Smith'" in problems[0].where and "Smithson" in str(problems[0])


def test_check_set_words_an_item_of_an_unexpected_type_as_the_definition_does(project):
    aset, _ = load_annotation_file(project / "annotations" / "team-a" / "a1.json")
    wrong = replace(aset, entities=(aset.entities[0]._replace(text=None), *aset.entities[1:]))  # made in code
    assert [p.code for p in check_set(wrong, RAW, SCHEMA, ANNOTATORS)] == ["E105"]


# --- the metadata parsed and the raw text hashed once per article ------------------------------

@pytest.mark.parametrize("change", [
    None,
    lambda meta, raw: meta.write_bytes(b"{not json"),
    lambda meta, raw: meta.write_bytes(b"\xff\xfe"),
    lambda meta, raw: meta.write_text("null", encoding="utf-8"),
    lambda meta, raw: raw.write_bytes(raw.read_bytes() + b" changed"),
    lambda meta, raw: raw.unlink(),
    lambda meta, raw: meta.write_text(meta.read_text(encoding="utf-8").replace('"a1.txt"', '"../a1.txt"'), encoding="utf-8"),
])
def test_article_from_the_bytes_read_once_equals_read_article(project, change):
    meta, raw = project / "corpus" / "a1.meta.json", project / "corpus" / "a1.txt"
    if change is not None:
        change(meta, raw)
    (files,) = index_inputs(project / "corpus", project / "annotations")
    data = read_files(files)
    expected = read_article(meta, data.meta, data.raw)
    assert article_from(meta, data.document, data.raw, data.raw_sha256) == expected
    assert (expected[0] is None) == (change is not None)


def test_sets_with_the_same_debris_share_one_cleaning_and_tokenization(tmp_path):
    project = make_project(tmp_path)  # team-a, team-b and gold, with the same cleaning
    (files,) = index_inputs(project / "corpus", project / "annotations")
    checked = check_article(read_files(files), load_schema(project / "annotations" / "schema.yaml"),
                            load_annotators(project / "annotations" / "annotators.yaml"))
    assert not checked.problems and len(checked.sets) == 3 and len(checked.cleaned) == 1
    first = checked.clean_and_tokens(checked.sets[0].cleaning)
    assert all(checked.clean_and_tokens(s.cleaning) is first for s in checked.sets)
    fresh = CheckedArticle(checked.article, checked.sets, [], checked.counts)
    for aset in checked.sets:  # the shared result is what the debris of each set gives on its own
        clean, tokens = fresh.clean_and_tokens(aset.cleaning)
        assert clean == first[0] and tokens == first[1]
        assert clean == clean_article(checked.article, aset.cleaning)
    other = checked.sets[0].cleaning[1:]
    assert checked.clean_and_tokens(other)[0] == clean_article(checked.article, other) != first[0]
