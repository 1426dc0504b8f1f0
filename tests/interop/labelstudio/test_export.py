"""Label Studio export: tasks with predictions, refusals, and round trips through the importer."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.sources.annotations import dump_annotation_set, load_schema, scan_annotations
from builder.cli import main
from builder.sources.corpus import load_corpus
from builder.errors import ConfigError, InputError
from builder.interop.labelstudio.export import labelstudio_tasks, set_results
from builder.interop.labelstudio.options import LabelStudioOptions
from builder.interop.labelstudio.tasks import parse_labelstudio
from builder.interop.matching import match_articles
from builder.interop.policies import LabelPolicy
from builder.records import AnnotationSet, Debris, Decision, Entity, Evidence, Stance
from conftest import REPO
from factories import ARTICLE, fail_on, make_project, sha, span, write_article

SCHEMA = load_schema(REPO / "annotations" / "schema.yaml")
CHECKED = LabelPolicy(schema=SCHEMA)




def parse(export, **options):
    options.setdefault("labels", CHECKED)
    return parse_labelstudio(export, file="export.json", options=LabelStudioOptions(**options))


def round_trip(articles, sets, offsets="codepoints"):
    tasks = json.loads(json.dumps(labelstudio_tasks(articles, sets, offsets=offsets)))
    imported, problems = parse(tasks, source="predictions")
    fail_on(problems)
    back, _, problems = match_articles(imported, articles)
    fail_on(problems)
    return back


def test_native_to_labelstudio_to_native_is_identical(tmp_path):
    root = make_project(tmp_path)
    articles = load_corpus(root / "corpus")
    sets, problems = scan_annotations(root / "annotations")
    fail_on(problems)
    assert [dump_annotation_set(s) for s in round_trip(articles, sets)] == [dump_annotation_set(s) for s in sets]


def test_round_trip_keeps_notes_author_stances_adjudication_and_astral_text(tmp_path):
    text = "🙂 " + ARTICLE
    write_article(tmp_path / "corpus", "a1", text)
    articles = load_corpus(tmp_path / "corpus")
    ev = [Evidence(*[span(text, q)[k] for k in ("start", "end", "text")]) for q in ("We back the plan", "The Kremlin rejected it")]
    biden = span(text, "Biden", 1)
    aset = AnnotationSet("a1", "gold", sha(text), (), (Entity("x9", biden["start"], biden["end"], "PERSON", "Biden", "Q6279"),),
                         (Stance("s7", "x9", "us-peace-plan-2025", "favor", (ev[0],), "line one\nline two"),
                          Stance("s2", "@author", "us-peace-plan-2025", "neutral", (ev[1], ev[0]))),
                         adjudicated_from=("team-a", "team-b"),
                         decisions=(Decision("s7", "favor", "both agree"),))
    for offsets in ("codepoints", "utf16"):
        (back,) = round_trip(articles, [aset], offsets)
        assert dump_annotation_set(back) == dump_annotation_set(aset)


def test_utf16_export_counts_the_emoji(tmp_path):
    text = "🙂 Joe Biden\n"
    aset = AnnotationSet("a1", "team-a", sha(text), (), (Entity("e1", 2, 11, "PERSON", "Joe Biden"),), ())
    results, _ = set_results(aset, text, "utf16")
    assert (results[0]["value"]["start"], results[0]["value"]["end"]) == (3, 12)


def test_export_refuses_region_id_clashes_dangling_holders_and_unknown_articles(tmp_path):
    write_article(tmp_path / "corpus", "a1", ARTICLE)
    articles = load_corpus(tmp_path / "corpus")
    ev = Evidence(*[span(ARTICLE, "rejected it")[k] for k in ("start", "end", "text")])
    clash = AnnotationSet("a1", "team-a", sha(ARTICLE), (), (Entity("s1", 0, 9, "ORG", ARTICLE[:9]),),
                          (Stance("s1", "s1", "us-peace-plan-2025", "against", (ev,)),))
    with pytest.raises(InputError, match=r"E421 : article a1, annotator team-a: Label Studio region id 's1' is used twice"):
        labelstudio_tasks(articles, [clash])
    dangling = AnnotationSet("a1", "team-a", sha(ARTICLE), (), (), (Stance("s1", "e9", "us-peace-plan-2025", "against", (ev,)),))
    with pytest.raises(InputError, match=r"E109 .*stance s1: stance holder 'e9' refers to no entity id"):
        labelstudio_tasks(articles, [dangling])
    with pytest.raises(InputError, match=r"E102 .*unknown article id 'zz'"):
        labelstudio_tasks(articles, [AnnotationSet("zz", "team-a", sha(ARTICLE), (), (), ())])
    with pytest.raises(InputError, match=r"E103 .*raw_sha256 0+ does not match"):
        labelstudio_tasks(articles, [AnnotationSet("a1", "team-a", "0" * 64, (), (), ())])
    with pytest.raises(ConfigError, match=r"E428 .*option offsets='auto' is invalid"):
        labelstudio_tasks(articles, [], offsets="auto")


def test_round_trip_of_the_real_seed_gold(repo):
    sets, problems = scan_annotations(repo / "annotations")
    if not any(s.is_gold for s in sets):
        pytest.skip("annotations/gold/ has no set yet")
    fail_on(problems)
    articles = load_corpus(repo / "corpus")
    back = round_trip(articles, sets)
    assert sorted(dump_annotation_set(s) for s in back) == sorted(dump_annotation_set(s) for s in sets)


ASTRAL_TEXT = "🙂 President Joe Biden will meet Olaf Scholz...\n“We back the plan,” Biden said 👍 -- 2025.\n"
SPANS = st.tuples(st.integers(0, len(ASTRAL_TEXT) - 1), st.integers(1, 12)).map(
    lambda p: (p[0], min(len(ASTRAL_TEXT), p[0] + p[1])))


@st.composite
def annotation_sets(draw):
    """Any annotation set over ASTRAL_TEXT whose entity and stance ids are distinct region ids."""
    entity_ids = draw(st.lists(st.sampled_from(["e1", "e2", "T1", "x_9"]), unique=True, max_size=4))
    entities = tuple(Entity(i, s, e, draw(st.sampled_from(list(SCHEMA.entity_labels))), ASTRAL_TEXT[s:e],
                            draw(st.none() | st.from_regex(r"Q[1-9][0-9]{0,4}", fullmatch=True)))
                     for i, (s, e) in zip(entity_ids, draw(st.lists(SPANS, min_size=len(entity_ids), max_size=len(entity_ids)))))
    holders = draw(st.lists(st.sampled_from(entity_ids + ["@author"]), unique=True, max_size=3))
    stances = tuple(Stance(sid, holder, "us-peace-plan-2025", draw(st.sampled_from(list(SCHEMA.stance_labels))),
                           tuple(Evidence(s, e, ASTRAL_TEXT[s:e]) for s, e in draw(st.lists(SPANS, min_size=1, max_size=3))),
                           draw(st.none() | st.text(min_size=1, max_size=10)))
                    for sid, holder in zip(["s1", "s2", "T7"], holders))
    debris = tuple(Debris(s, e, draw(st.sampled_from(list(SCHEMA.debris_reasons))), ASTRAL_TEXT[s:e])
                   for s, e in draw(st.lists(SPANS, max_size=2)))
    return AnnotationSet("a1", "team-a", sha(ASTRAL_TEXT), debris, entities, stances)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(aset=annotation_sets(), offsets=st.sampled_from(["codepoints", "utf16"]))
def test_labelstudio_round_trip_is_identical_for_any_set(tmp_path, aset, offsets):
    if not (tmp_path / "corpus").exists():
        write_article(tmp_path / "corpus", "a1", ASTRAL_TEXT)
    (back,) = round_trip(load_corpus(tmp_path / "corpus"), [aset], offsets)
    assert (back.cleaning, back.entities, back.stances) == (aset.cleaning, aset.entities, aset.stances)


def test_export_then_import_commands_round_trip_a_project(tmp_path, capsys):
    root = make_project(tmp_path)
    inputs = ["--corpus", str(root / "corpus"), "--annotations", str(root / "annotations")]
    assert main(["export", "labelstudio", *inputs, "--annotator", "gold", "--output", str(tmp_path / "tasks.json")]) == 0
    assert "wrote 1 task(s)" in capsys.readouterr().out
    scratch = tmp_path / "scratch"
    assert main(["import", "labelstudio", str(tmp_path / "tasks.json"), "--from", "predictions", "--corpus",
                 str(root / "corpus"), "--annotations", str(scratch), "--schema", str(root / "annotations" / "schema.yaml"),
                 "--annotator-kind", "adjudication"]) == 0
    (before,), (after,) = ([s for s in scan_annotations(d)[0] if s.annotator == "gold"] for d in (root / "annotations", scratch))
    assert dump_annotation_set(after) == dump_annotation_set(before)
    assert main(["import", "labelstudio", str(tmp_path / "tasks.json"), "--annotations", str(tmp_path / "none")]) == 2
