"""brat standoff: parsing .ann files, export, round trips, the real brat example data."""

from __future__ import annotations

import textwrap
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.sources.annotations import dump_annotation_set, load_schema, scan_annotations
from builder.cli import main
from builder.sources.corpus import load_corpus
from builder.errors import InputError
from builder.interop.brat.collection import brat_documents, export_brat, import_brat
from builder.interop.brat.reading import parse_brat
from builder.interop.brat.writing import annotation_conf, brat_ann
from builder.interop.matching import NewArticles
from builder.interop.policies import LabelPolicy
from builder.records import AUTHOR, AnnotationSet, Debris, Entity, Evidence, Stance
from conftest import REPO, SHARED
from factories import ARTICLE, make_project, sha, span, write_article

REALDATA = SHARED / "realdata" / "brat"
SCHEMA = load_schema(REPO / "annotations" / "schema.yaml")
LABELS = LabelPolicy(schema=SCHEMA)
TEXT = "President Joe Biden met Olaf Scholz.\nFREE TOOL\nXP simulator\n“We back the plan,” Biden said.\n"


def fail_on(problems):
    """Returned problems -> the InputError a caller would raise, so tests can match the full message."""
    if problems:
        raise InputError(problems)


def ann(source: str) -> str:
    return textwrap.dedent(source).replace("|", "\t")


def parse(source, text=TEXT, labels=LABELS):
    return parse_brat(ann(source), text, file="doc.ann", doc="doc", annotator="team-c", labels=labels)


def at(quoted, nth=0, text=TEXT):
    s = span(text, quoted, nth)
    return f"{s['start']} {s['end']}"


def test_text_bound_lines_become_entities_with_qids_and_ids():
    imported, problems = parse(f"""\
        T1|PERSON {at("Joe Biden")}|Joe Biden
        T2|PERSON {at("Olaf Scholz")}|Olaf Scholz
        N1|Reference T1 Wikidata:Q6279|Joe Biden
        #1|AnnotatorNotes T2|{{"id": "e2"}}
        """)
    fail_on(problems)
    assert imported.entities == (Entity("T1", len("President "), len("President Joe Biden"), "PERSON", "Joe Biden", "Q6279"),
                                 Entity("e2", TEXT.index("Olaf"), TEXT.index("Olaf") + 11, "PERSON", "Olaf Scholz"))
    assert imported.where == "doc doc" and imported.annotator == "team-c"


def test_debris_and_a_stance_with_holder_target_and_note():
    imported, problems = parse(f"""\
        T1|PERSON {at("Biden", 1)}|Biden
        T2|Debris {at("FREE TOOL")}|FREE TOOL
        T3|Evidence {at("We back the plan")}|We back the plan
        A1|Reason T2 promotion
        A2|Stance T3 favor
        A3|Target T3 us-peace-plan-2025
        R1|Holder Arg1:T1 Arg2:T3
        #1|AnnotatorNotes T3|said to Reuters
        """)
    fail_on(problems)
    s = span(TEXT, "We back the plan")
    assert imported.cleaning == (Debris(TEXT.index("FREE"), TEXT.index("FREE") + 9, "promotion", "FREE TOOL"),)
    assert imported.stances == (Stance("T3", "T1", "us-peace-plan-2025", "favor", (Evidence(s["start"], s["end"], s["text"]),),
                                       "said to Reuters"),)


def test_an_author_stance():
    imported, problems = parse(f"""\
        T1|Evidence {at("We back the plan")}|We back the plan
        A1|Stance T1 neutral
        A2|Target T1 us-peace-plan-2025
        A3|Author T1
        """)
    fail_on(problems)
    assert imported.stances[0].holder == AUTHOR


def test_a_span_across_line_breaks_is_read_from_its_fragments():
    start, end = TEXT.index("FREE TOOL"), TEXT.index("XP simulator") + len("XP simulator")
    imported, problems = parse(f"""\
        T1|Debris {start} {start + 9};{end - 12} {end}|FREE TOOL XP simulator
        A1|Reason T1 promotion
        """)
    fail_on(problems)
    assert imported.cleaning == (Debris(start, end, "promotion", "FREE TOOL\nXP simulator"),)


def test_a_discontinuous_span_is_reported():
    imported, problems = parse(f"""\
        T1|PERSON {TEXT.index("Joe")} {TEXT.index("Joe") + 3};{TEXT.index("Biden")} {TEXT.index("Biden") + 5}|Joe Biden
        T2|PERSON {at("Olaf Scholz")}|Olaf Scholz
        """)
    assert [e.text for e in imported.entities] == ["Olaf Scholz"]
    with pytest.raises(InputError, match=r"E417 doc\.ann: line 1 \(T1 PERSON\): span 10 13;14 19 is not contiguous text: "
                                         r"its fragments are separated by more than line breaks"):
        fail_on(problems)


def test_quoted_text_that_differs_from_the_txt_is_reported():
    _, problems = parse("T1\tPERSON 10 19\tJoe Bidem\nT2\tPERSON 900 905\tBiden\n")
    with pytest.raises(InputError, match=r"E418 doc\.ann: line 1 \(T1 PERSON\): quoted text 'Joe Bidem' differs from the text at \[10, 19\): 'Joe Biden'"):
        fail_on(problems[:1])
    assert f"(out of range for {len(TEXT)} characters)" in problems[1].what


def test_malformed_lines_and_duplicate_ids_are_reported():
    _, problems = parse(f"""\
        T1|PERSON ten 19|Joe Biden
        junk
        T2|PERSON {at("Olaf Scholz")}|Olaf Scholz
        T2|PERSON {at("Olaf Scholz")}|Olaf Scholz
        """)
    with pytest.raises(InputError, match=r"E415 doc\.ann: line 1: line 1 is not brat standoff: a text-bound line is 'T1<TAB>TYPE START END"):
        fail_on(problems[:1])
    assert "expected ID<TAB>ANNOTATION" in problems[1].what
    with pytest.raises(InputError, match=r"E421 doc\.ann: line 4: brat annotation id 'T2' is used twice"):
        fail_on(problems[2:])


def test_offsets_and_qids_in_other_digits_than_ascii_are_malformed():
    """``\\d`` matches any Unicode digit and ``int`` reads them: offsets in Arabic-Indic digits were taken."""
    _, problems = parse("""\
        T1|PERSON \u0661\u0660 \u0661\u0669|Joe Biden
        T2|PERSON 24 35|Olaf Scholz
        N1|Reference T2 Wikidata:Q\u0664\u0662|Olaf Scholz
        """)
    with pytest.raises(InputError, match=r"E415 doc\.ann: line 1: line 1 is not brat standoff"):
        fail_on(problems[:1])
    assert [p.code for p in problems] == ["E415", "E427"]


def test_an_entity_id_in_a_note_that_is_not_an_id_is_reported_as_such():
    _, problems = parse(f"""\
        T1|PERSON {at("Joe Biden")}|Joe Biden
        #1|AnnotatorNotes T1|{{"id": "e 1"}}
        """)
    with pytest.raises(InputError, match=r"E429 doc\.ann: line 1 \(T1\): entity id 'e 1' is not 1-32 letters, digits"):
        fail_on(problems)


def test_events_relations_attributes_and_notes_newsstance_has_no_place_for_are_reported():
    imported, problems = parse(f"""\
        T1|PERSON {at("Joe Biden")}|Joe Biden
        T2|Meet {at("met")}|met
        T3|PERSON {at("Olaf Scholz")}|Olaf Scholz
        E1|Meet:T2 Agent:T1 Partner:T3
        R1|Family Arg1:T1 Arg2:T3
        A1|Negation E1
        N1|Reference T1 Wikipedia:534366|Joe Biden
        N2|Reference T3 Wikidata:Scholz|Olaf Scholz
        #1|AnnotatorNotes T1|check this
        *|Alias T1 T3
        """)
    assert [e.id for e in imported.entities] == ["T1", "T3"]
    codes = Counter(p.code for p in problems)
    assert codes == {"E403": 7, "E427": 1}
    with pytest.raises(InputError, match=r"E403 doc\.ann: line 2 \(T2 Meet\): event trigger is not imported: events are not part of newsstance"):
        fail_on(problems[:1])
    with pytest.raises(InputError, match=r"E427 doc\.ann: line 8 \(N2\): 'Scholz' is not a Wikidata QID"):
        fail_on([p for p in problems if p.code == "E427"])
    assert any("brat R1 Family Arg1:T1 Arg2:T3 is not imported" in p.what for p in problems)


def test_unknown_types_are_reported_or_mapped_and_lines_about_them_say_so():
    source = f"""\
        T1|Person {at("Joe Biden")}|Joe Biden
        N1|Reference T1 Wikidata:Q6279|Joe Biden
        """
    imported, problems = parse(source)
    assert imported.entities == ()
    with pytest.raises(InputError, match=r"E406 doc\.ann: line 1 \(T1 Person\): label 'Person' is not one of the entity labels"):
        fail_on(problems[:1])
    assert "refers to an annotation that was not imported" in problems[1].what
    imported, problems = parse(source, labels=LabelPolicy(SCHEMA, {"Person": "PERSON"}))
    assert problems == [] and imported.entities[0].label == "PERSON" and imported.entities[0].qid == "Q6279"


def test_debris_without_reason_and_evidence_without_stance_are_reported():
    imported, problems = parse(f"""\
        T1|Debris {at("FREE TOOL")}|FREE TOOL
        T2|Evidence {at("We back the plan")}|We back the plan
        A1|Target T2 us-peace-plan-2025
        A2|Author T2
        """)
    assert imported.cleaning == () and imported.stances == ()
    assert "debris span is not imported: it has no Reason attribute" in problems[0].what
    with pytest.raises(InputError, match=r"E414 doc\.ann: line 2 \(T2 Evidence\): stance evidence is not imported: it has no Stance attribute"):
        fail_on(problems[1:])


def test_unpaired_files_are_reported(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "b.ann").write_text("", encoding="utf-8")
    documents, problems = brat_documents(tmp_path)
    assert documents == []
    with pytest.raises(InputError, match=r"E419 .*a\.txt: a\.txt has no matching \.ann"):
        fail_on(problems)


# --- export and round trips ---------------------------------------------------------------------------


def gold_like(text=TEXT) -> AnnotationSet:
    ev = [Evidence(*[span(text, q)[k] for k in ("start", "end", "text")]) for q in ("We back the plan", "Biden said")]
    debris = span(text, "FREE TOOL\nXP simulator")
    return AnnotationSet("a1", "gold", sha(text),
                         (Debris(debris["start"], debris["end"], "promotion", debris["text"]),),
                         (Entity("T2", *[span(text, "Joe Biden")[k] for k in ("start", "end")], "PERSON", "Joe Biden", "Q6279"),
                          Entity("e5", *[span(text, "Biden", 1)[k] for k in ("start", "end")], "PERSON", "Biden", "Q6279")),
                         (Stance("T2", "e5", "us-peace-plan-2025", "favor", (ev[0], ev[1]), "note\twith a tab"),
                          Stance("s9", AUTHOR, "us-peace-plan-2025", "neutral", (ev[1],))))


def test_native_to_brat_to_native_is_identical():
    aset = gold_like()
    text, problems = brat_ann(aset, TEXT)
    fail_on(problems)
    assert "T3\tDebris 37 46;47 59\tFREE TOOL XP simulator" in text.splitlines()
    imported, problems = parse_brat(text, TEXT, file="a1.ann", doc="a1", annotator="gold", labels=LABELS)
    fail_on(problems)
    back = AnnotationSet("a1", "gold", sha(TEXT), imported.cleaning, imported.entities, imported.stances)
    assert dump_annotation_set(back) == dump_annotation_set(aset)


def test_export_refuses_spans_brat_cannot_store_and_dangling_holders():
    broken = AnnotationSet("a1", "gold", sha(TEXT), (Debris(TEXT.index("\nFREE"), TEXT.index("\nFREE") + 10, "promotion", "\nFREE TOOL"),),
                           (), (Stance("s1", "e9", "us-peace-plan-2025", "favor", (Evidence(0, 9, "President"),)),))
    _, problems = brat_ann(broken, TEXT)
    with pytest.raises(InputError, match=r"E417 : article a1, annotator gold: span 36 46 is not contiguous text: it starts or ends with a line break"):
        fail_on(problems[:1])
    with pytest.raises(InputError, match=r"E109 : article a1, annotator gold, stance s1: stance holder 'e9' refers to no entity id"):
        fail_on(problems[1:])


IDS = st.sampled_from(["e1", "e2", "T1", "T2", "T7", "x_9", "s1"])
SPANS = st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 12)).map(
    lambda p: (p[0], min(len(TEXT), p[0] + p[1]))).filter(lambda p: "\n" not in (TEXT[p[0]], TEXT[p[1] - 1]))


@st.composite
def annotation_sets(draw):
    entity_ids = draw(st.lists(IDS, unique=True, max_size=4))
    entities = tuple(Entity(i, s, e, draw(st.sampled_from(list(SCHEMA.entity_labels))), TEXT[s:e],
                            draw(st.none() | st.from_regex(r"Q[1-9][0-9]{0,4}", fullmatch=True)))
                     for i, (s, e) in zip(entity_ids, draw(st.lists(SPANS, min_size=len(entity_ids), max_size=len(entity_ids)))))
    holders = draw(st.lists(st.sampled_from(entity_ids + [AUTHOR]), unique=True, max_size=3))
    stance_ids = draw(st.lists(IDS, unique=True, min_size=len(holders), max_size=len(holders)))
    stances = tuple(Stance(sid, holder, "us-peace-plan-2025", draw(st.sampled_from(list(SCHEMA.stance_labels))),
                           tuple(Evidence(s, e, TEXT[s:e]) for s, e in draw(st.lists(SPANS, min_size=1, max_size=3))),
                           draw(st.none() | st.text(min_size=1, max_size=10)))
                    for sid, holder in zip(stance_ids, holders))
    debris = tuple(Debris(s, e, draw(st.sampled_from(list(SCHEMA.debris_reasons))), TEXT[s:e])
                   for s, e in draw(st.lists(SPANS, max_size=2)))
    return AnnotationSet("a1", "team-a", sha(TEXT), debris, entities, stances)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(annotation_sets())
def test_brat_round_trip_is_identical_for_any_set(aset):
    text, problems = brat_ann(aset, TEXT)
    fail_on(problems)
    imported, problems = parse_brat(text, TEXT, file="a1.ann", doc="a1", annotator="team-a", labels=LABELS)
    fail_on(problems)
    assert (imported.cleaning, imported.entities, imported.stances) == (aset.cleaning, aset.entities, aset.stances)


def test_the_shipped_annotation_conf_is_generated_from_the_schema(repo):
    shipped = (repo / "annotations" / "brat" / "annotation.conf").read_text(encoding="utf-8")
    assert shipped == annotation_conf(SCHEMA)
    assert "Target\tArg:Evidence, Value:us-peace-plan-2025" in shipped


def test_export_and_import_commands_round_trip_a_project(tmp_path, capsys):
    root = make_project(tmp_path)
    out = tmp_path / "brat"
    assert main(["export", "brat", "--corpus", str(root / "corpus"), "--annotations", str(root / "annotations"),
                 "--annotator", "gold", "--output", str(out)]) == 0
    assert (out / "a1.txt").read_bytes() == (root / "corpus" / "a1.txt").read_bytes()
    assert (out / "annotation.conf").is_file()
    scratch = tmp_path / "scratch"
    assert main(["import", "brat", str(out), "--corpus", str(root / "corpus"), "--annotations", str(scratch),
                 "--schema", str(root / "annotations" / "schema.yaml"), "--annotator", "gold"]) == 0
    assert "wrote 1 annotation file(s): 6 entities, 2 stances, 2 debris spans" in capsys.readouterr().out
    (before,), (after,) = ([s for s in scan_annotations(d)[0] if s.annotator == "gold"] for d in (root / "annotations", scratch))
    assert dump_annotation_set(after) == dump_annotation_set(before)


def test_a_txt_that_differs_from_its_article_is_refused(tmp_path):
    write_article(tmp_path / "corpus", "a1", ARTICLE)
    (tmp_path / "brat").mkdir()
    (tmp_path / "brat" / "a1.txt").write_text(ARTICLE.replace("Biden", "Bidén"), encoding="utf-8")
    (tmp_path / "brat" / "a1.ann").write_text("", encoding="utf-8")
    (tmp_path / "brat" / "b.txt").write_bytes(b"caf\xe9\n")
    (tmp_path / "brat" / "b.ann").write_text("", encoding="utf-8")
    report = import_brat(tmp_path / "brat", corpus_dir=tmp_path / "corpus", annotations_dir=tmp_path / "out", annotator="team-c")
    assert report.written == ()
    with pytest.raises(InputError, match=r"E410 .*a1\.ann: doc a1: the text differs from corpus article 'a1'"):
        fail_on([p for p in report.problems if p.code == "E410"])
    with pytest.raises(InputError, match=r"E005 .*b\.txt: raw text is not valid UTF-8: byte 0xe9 at byte offset 3"):
        fail_on([p for p in report.problems if p.code == "E005"])


# --- the real brat example data ------------------------------------------------------------------------

CONLL_MAP = {"PER": "PERSON", "LOC": "LOC", "ORG": "ORG", "MISC": None}
TUTORIAL_MAP = {"Person": "PERSON", "Organization": "ORG", "GPE": "GPE", "Money": "MONEY"}


@pytest.mark.parametrize("collection, label_map, t_lines, entities", [
    ("corpora/CoNLL-ST_2002/esp", CONLL_MAP, 540, 478),
    ("corpora/CoNLL-ST_2002/ned", CONLL_MAP, 276, 220),
    ("tutorials/news", TUTORIAL_MAP, 119, 96),
])
def test_real_brat_data_yields_one_entity_per_text_bound_line_or_a_reason(collection, label_map, t_lines, entities):
    folder = REALDATA / collection
    if not folder.is_dir():
        pytest.skip(f"{folder} is not on this machine")
    documents, problems = brat_documents(folder)
    assert problems == []
    found_lines = found_entities = reported = 0
    for name, txt, ann_path in documents:
        text, source = txt.read_bytes().decode("utf-8"), ann_path.read_text(encoding="utf-8")
        imported, problems = parse_brat(source, text, file=str(ann_path), doc=name, annotator="x",
                                        labels=LabelPolicy(SCHEMA, label_map))
        quoted = {tuple(line.split("\t")[1].split(" ")[1:]) + (line.split("\t")[2],)
                  for line in source.splitlines() if line.startswith("T")}
        for e in imported.entities:
            assert text[e.start:e.end] == e.text and (str(e.start), str(e.end), e.text) in quoted
        found_lines += len(quoted)
        found_entities += len(imported.entities)
        reported += sum(1 for p in problems if "(T" in p.where)  # problems about a text-bound line
    assert (found_lines, found_entities) == (t_lines, entities)
    assert found_entities + reported == t_lines


def test_real_brat_documents_import_as_new_articles(tmp_path):
    folder = REALDATA / "corpora" / "CoNLL-ST_2002" / "esp"
    if not folder.is_dir():
        pytest.skip(f"{folder} is not on this machine")
    report = import_brat(folder, corpus_dir=tmp_path / "corpus", annotations_dir=tmp_path / "annotations",
                         annotator="conll2002", labels=LabelPolicy(SCHEMA, CONLL_MAP),
                         new_articles=NewArticles("es", "unknown", "brat CoNLL-2002 example"))
    assert report.counts == {"sets": 10, "entities": 478, "stances": 0, "debris": 0}
    assert Counter(p.code for p in report.problems) == {"E407": 62}
    articles = load_corpus(tmp_path / "corpus")
    assert [a.id for a in articles][:2] == ["esp.train-doc-100", "esp.train-doc-1400"]
    assert articles[0].path.read_bytes() == (folder / "esp.train-doc-100.txt").read_bytes()


def test_brat_round_trip_of_the_real_seed_sets(repo):
    sets, problems = scan_annotations(repo / "annotations")
    if not sets:
        pytest.skip("the seed article has no annotation set yet")
    fail_on(problems)
    texts = {a.id: a.text for a in load_corpus(repo / "corpus")}
    for aset in sets:
        source, problems = brat_ann(aset, texts[aset.article_id])
        fail_on(problems)
        imported, problems = parse_brat(source, texts[aset.article_id], file="seed.ann", doc=aset.article_id,
                                        annotator=aset.annotator, labels=LABELS)
        fail_on(problems)
        back = AnnotationSet(aset.article_id, aset.annotator, aset.raw_sha256, imported.cleaning, imported.entities,
                             imported.stances, adjudicated_from=aset.adjudicated_from, decisions=aset.decisions)
        assert dump_annotation_set(back) == dump_annotation_set(aset)


def test_the_seed_gold_round_trips_through_the_commands_with_its_adjudication(tmp_path, repo, capsys):
    if not (repo / "annotations" / "gold").is_dir():
        pytest.skip("annotations/gold/ has no set yet")
    assert main(["export", "brat", "--corpus", str(repo / "corpus"), "--annotations", str(repo / "annotations"),
                 "--annotator", "gold", "--output", str(tmp_path / "brat")]) == 0
    assert list((tmp_path / "brat").glob("*.adjudication.json"))
    assert main(["import", "brat", str(tmp_path / "brat"), "--corpus", str(repo / "corpus"), "--annotations",
                 str(tmp_path / "scratch"), "--schema", str(repo / "annotations" / "schema.yaml"), "--annotator", "gold"]) == 0
    before = sorted(dump_annotation_set(s) for s in scan_annotations(repo / "annotations")[0] if s.is_gold)
    after = sorted(dump_annotation_set(s) for s in scan_annotations(tmp_path / "scratch")[0])
    assert after == before


def test_a_malformed_adjudication_file_is_reported(tmp_path):
    write_article(tmp_path / "corpus", "a1", ARTICLE)
    (tmp_path / "brat").mkdir()
    (tmp_path / "brat" / "a1.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "brat" / "a1.ann").write_text("", encoding="utf-8")
    (tmp_path / "brat" / "a1.adjudication.json").write_text('{"decisions": [{"item": "x"}]}', encoding="utf-8")
    report = import_brat(tmp_path / "brat", corpus_dir=tmp_path / "corpus", annotations_dir=tmp_path / "out", annotator="gold")
    with pytest.raises(InputError, match=r"E401 .*a1\.adjudication\.json: the file has an unexpected shape: expected \{adjudicated_from"):
        fail_on(report.problems)
    assert len(report.written) == 1


def test_export_refuses_a_set_it_cannot_write_and_writes_nothing(tmp_path):
    root = make_project(tmp_path, annotators=("team-a",), gold=False)
    path = root / "annotations" / "team-a" / "a1.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"holder": "e5"', '"holder": "e9"'), encoding="utf-8")
    with pytest.raises(InputError, match=r"E109 .*team-a/a1\.json: article a1, annotator team-a, stance s1: stance holder 'e9'"):
        export_brat(root / "corpus", root / "annotations", tmp_path / "out", annotator="team-a", schema=SCHEMA)
    assert not (tmp_path / "out").exists()


def test_a_broken_corpus_stops_the_import(tmp_path):
    write_article(tmp_path / "corpus", "a1", ARTICLE)
    (tmp_path / "corpus" / "a1.txt").write_text("changed", encoding="utf-8")
    (tmp_path / "brat").mkdir()
    with pytest.raises(InputError, match=r"E008 .*a1\.txt: article a1: sha256 of the raw file is"):
        import_brat(tmp_path / "brat", corpus_dir=tmp_path / "corpus", annotations_dir=tmp_path / "out", annotator="x")
