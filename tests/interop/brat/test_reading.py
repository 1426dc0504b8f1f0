"""brat import of one document: .ann lines -> entities, debris, stances, or a reason; real brat data."""

from __future__ import annotations

import textwrap
from collections import Counter

import pytest

from builder.sources.annotations import load_schema
from builder.errors import InputError
from builder.interop.brat.collection import brat_documents
from builder.interop.brat.reading import parse_brat
from builder.interop.policies import LabelPolicy
from builder.records import AUTHOR, Debris, Entity, Evidence, Stance
from conftest import REPO, SHARED
from factories import fail_on, span

REALDATA = SHARED / "realdata" / "brat"
SCHEMA = load_schema(REPO / "annotations" / "schema.yaml")
LABELS = LabelPolicy(schema=SCHEMA)
TEXT = "President Joe Biden met Olaf Scholz.\nFREE TOOL\nXP simulator\n“We back the plan,” Biden said.\n"




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
