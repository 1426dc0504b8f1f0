"""brat export of one set (.ann text, annotation.conf) and round trips through the reader."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.sources.annotations import dump_annotation_set, load_schema, scan_annotations
from builder.sources.corpus import load_corpus
from builder.errors import InputError
from builder.interop.brat.reading import parse_brat
from builder.interop.brat.writing import annotation_conf, brat_ann
from builder.interop.policies import LabelPolicy
from builder.records import AUTHOR, AnnotationSet, Debris, Entity, Evidence, Stance
from conftest import REPO
from factories import fail_on, sha, span

SCHEMA = load_schema(REPO / "annotations" / "schema.yaml")
LABELS = LabelPolicy(schema=SCHEMA)
TEXT = "President Joe Biden met Olaf Scholz.\nFREE TOOL\nXP simulator\n“We back the plan,” Biden said.\n"




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
