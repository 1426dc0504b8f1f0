from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.article.clean import cut, offset_map
from builder.article.project import holder_key, project_all, project_set, project_span, unproject_span
from builder.records import AUTHOR, AnnotationSet, ArticleMeta, CleanArticle, Entity, Evidence, OffsetMap, RawArticle, Stance
from article.test_clean import text_and_removed


def test_span_before_and_after_removed_text_projects():
    offsets = offset_map(len("ab--cd"), [(2, 4)])
    assert project_span(offsets, 0, 2) == (0, 2)
    assert project_span(offsets, 4, 6) == (2, 4)


def test_span_touching_removed_text_does_not_project():
    offsets = offset_map(len("ab--cd"), [(2, 4)])
    assert project_span(offsets, 1, 3) is None
    assert project_span(offsets, 1, 5) is None  # crosses the removed range: never trimmed
    assert project_span(offsets, 2, 4) is None


def test_holder_key_prefers_the_qid():
    assert holder_key("Q30", "Washington") == "Q30"
    assert holder_key(None, "The  Kremlin") == "the kremlin"


def test_project_set_reuses_known_items_and_projects_the_others():
    raw = "AD Joe Biden met Olaf Scholz."
    meta = ArticleMeta("a1", "a1.txt", "0" * 64, "en", None, None, None, "test")
    clean = CleanArticle(RawArticle(meta, raw, Path("a1.txt")), raw[len("AD "):], offset_map(len(raw), [(0, len("AD "))]))
    joe = Entity("e1", len("AD "), len("AD Joe Biden"), "PERSON", "Joe Biden")
    olaf = Entity("e2", len("AD Joe Biden met "), len("AD Joe Biden met Olaf Scholz"), "PERSON", "Olaf Scholz")
    ad = Entity("e3", 0, len("AD Joe"), "PERSON", "AD Joe")  # touches the removed "AD "
    said = Evidence(len("AD Joe Biden "), len("AD Joe Biden met"), "met")
    gold = AnnotationSet("a1", "gold", "0" * 64, (), (joe,), (Stance("s1", "e1", "plan", "favor", (said,)),))
    other = AnnotationSet("a1", "ann1", "0" * 64, (), (joe, olaf, ad), (Stance("s1", "e2", "plan", "favor", (said,)),))
    known = project_set(gold, clean)
    reused = project_set(other, clean, known=known)
    assert reused == project_set(other, clean)
    assert reused.entities[0] is known.entities[0]
    assert reused.entities[1].clean_start == len("Joe Biden met ") and reused.entities[2].clean_start == -1
    assert reused.stances[0].holder_text == "Olaf Scholz"


@given(text_and_removed(), st.data())
def test_projection_round_trips_through_the_raw_text(case, data):
    text, removed = case
    offsets = offset_map(len(text), removed)
    clean_length = len(offsets.clean_to_raw) - 1
    if clean_length == 0:
        return
    start = data.draw(st.integers(0, clean_length - 1))
    end = data.draw(st.integers(start + 1, clean_length))
    raw_start, raw_end = unproject_span(offsets, start, end)
    projected = project_span(offsets, raw_start, raw_end)
    if projected is not None:  # contiguous in the raw text: must come back exactly
        assert projected == (start, end)
    else:  # the clean span straddles removed text
        assert any(raw_start < b and a < raw_end for a, b in removed)


def project_all_definition(offsets, starts, ends):
    projected = [project_span(offsets, start, end) for start, end in zip(starts, ends)]
    return None if None in projected else ([a for a, _ in projected], [b for _, b in projected])


@settings(max_examples=600, deadline=None)
@given(text_and_removed(), st.lists(st.tuples(st.integers(-2, 64), st.integers(-2, 64)), max_size=12), st.booleans())
def test_project_all_projects_like_project_span_one_by_one(case, spans, in_order):
    text, removed = case
    spans = [(start, end) for start, end in spans if (start < end and 0 <= start and end <= len(text)) or len(spans) % 3 == 0]
    if in_order:  # as files list spans (PositionMap.project_in_order)
        spans.sort()
    if len(spans) % 5 == 1:
        spans.append((-1, 0))  # the tuple answers for negative offsets (from its end): so must project_all
    starts, ends = [s for s, _ in spans], [e for _, e in spans]
    offsets = offset_map(len(text), removed)
    as_tuples = OffsetMap(tuple(offsets.raw_to_clean), tuple(offsets.clean_to_raw))  # the per-character definition
    try:
        expected = project_all_definition(as_tuples, starts, ends)
    except IndexError:
        return  # out of range: the tuple raises; callers check the range first (E104)
    assert project_all(offsets, starts, ends) == expected


def assert_projected_one_by_one(got, aset, offsets):
    """Every item of ``aset``, in order, where ``project_span`` puts it alone ((-1, -1): nowhere)."""
    def alone(item):
        return project_span(offsets, item.start, item.end) or (-1, -1)
    assert got.annotations is aset
    assert [(p.entity, p.clean_start, p.clean_end) for p in got.entities] == [(e, *alone(e)) for e in aset.entities]
    assert [s.stance for s in got.stances] == list(aset.stances)
    for projected in got.stances:
        assert [(v.evidence, v.clean_start, v.clean_end) for v in projected.evidence] == \
            [(v, *alone(v)) for v in projected.stance.evidence]


@st.composite
def sets_on(draw, text):
    def spans():
        start = draw(st.integers(0, max(len(text) - 1, 0)))
        return start, draw(st.integers(start + 1, max(len(text), start + 1)))
    entities = [Entity(f"e{i}", *spans(), "PERSON", "x", draw(st.sampled_from([None, "Q1"])))
                for i in range(draw(st.integers(0, 6)))]
    stances = [Stance(f"s{k}", draw(st.sampled_from([e.id for e in entities] + [AUTHOR])), "plan", "favor",
                      tuple(Evidence(*spans(), "y") for _ in range(draw(st.integers(1, 3)))))
               for k in range(draw(st.integers(0, 4)))]
    return entities, stances


@settings(max_examples=300, deadline=None)
@given(text_and_removed(), st.data())
def test_project_set_projects_every_item_as_project_span_does(case, data):
    text, removed = case
    if not text:
        return
    meta = ArticleMeta("a1", "a1.txt", "0" * 64, "en", None, None, None, "test")
    clean = CleanArticle(RawArticle(meta, text, Path("a1.txt")), cut(text, removed), offset_map(len(text), removed))
    gold_entities, gold_stances = data.draw(sets_on(text))
    gold = AnnotationSet("a1", "gold", "0" * 64, (), tuple(gold_entities), tuple(gold_stances))
    entities, stances = data.draw(sets_on(text))
    shared = data.draw(st.integers(0, len(gold_entities)))  # an annotator repeats some of the gold's items
    entities = gold_entities[:shared] + entities
    holders = {e.id for e in entities} | {AUTHOR}
    other = AnnotationSet("a1", "ann1", "0" * 64, (), tuple(entities),
                          tuple(s for s in gold_stances[:1] + stances if s.holder in holders))
    known = project_set(gold, clean)
    assert_projected_one_by_one(known, gold, clean.offsets)
    assert_projected_one_by_one(project_set(other, clean), other, clean.offsets)
    assert project_set(other, clean, known=known) == project_set(other, clean)  # reusing the gold's items changes nothing
