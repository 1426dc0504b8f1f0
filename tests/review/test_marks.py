"""Tests of builder/review/marks.py: the pieces and runs an article page marks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from builder.records import AnnotationSet, Debris, Entity, Evidence, Stance
from builder.review.marks import pieces

TEXT = "Continues after advertising\nBiden backs the plan, said Scholz.\n"


def gold(entities=(), cleaning=(), stances=()):
    return AnnotationSet("a", "gold", "0" * 64, tuple(cleaning), tuple(entities), tuple(stances))


def at(quoted: str) -> tuple[int, int]:
    start = TEXT.index(quoted)
    return start, start + len(quoted)


BIDEN = Entity("e1", *at("Biden"), "PERSON", "Biden")
SCHOLZ = Entity("e2", *at("Scholz"), "PERSON", "Scholz")
AD = Debris(*at("Continues after advertising"), "advertising", "Continues after advertising")


def joined(found) -> str:
    return "".join(run.text for piece in found for run in piece.runs)


def test_the_pieces_give_the_text_back():
    found = pieces(TEXT, gold([BIDEN, SCHOLZ], [AD]))
    assert joined(found) == TEXT
    assert [p.debris is not None for p in found][:1] == [True]
    assert [p.entity.id for p in found if p.entity] == ["e1", "e2"]


def test_evidence_is_cut_at_an_entity_boundary():
    evidence = Evidence(*at("Biden backs the plan"), "Biden backs the plan")
    found = pieces(TEXT, gold([BIDEN], [AD], [Stance("s1", "e1", "t", "favor", (evidence,))]))
    biden = next(p for p in found if p.entity)
    assert [(r.text, r.stances) for r in biden.runs] == [("Biden", ("s1",))]
    after = found[found.index(biden) + 1]
    assert [(r.text, r.stances) for r in after.runs] == [(" backs the plan", ("s1",)), (", said Scholz.\n", ())]


def test_overlapping_evidence_of_two_stances_covers_each_run_once():
    one = Evidence(*at("backs the plan"), "backs the plan")
    two = Evidence(*at("the plan, said"), "the plan, said")
    found = pieces(TEXT, gold(stances=[Stance("s1", "@author", "t", "favor", (one,)),
                                       Stance("s2", "@author", "t", "neutral", (two,))]))
    runs = [(r.text, r.stances) for p in found for r in p.runs if r.stances]
    assert runs == [("backs ", ("s1",)), ("the plan", ("s1", "s2")), (", said", ("s2",))]


def test_an_empty_set_is_one_plain_piece():
    found = pieces(TEXT, gold())
    assert len(found) == 1 and found[0].entity is None and joined(found) == TEXT


@st.composite
def marked_text(draw):
    """A text with flat entities and debris between them, and stances whose evidence falls anywhere."""
    text = draw(st.text(alphabet="ab \né", min_size=1, max_size=60))
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=8)))
    spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
    entities, cleaning = [], []
    for i, (a, b) in enumerate(spans):
        if draw(st.booleans()):
            entities.append(Entity(f"e{i}", a, b, "ORG", text[a:b]))
        else:
            cleaning.append(Debris(a, b, "advertising", text[a:b]))
    stances = []
    for i in range(draw(st.integers(0, 3))):
        a = draw(st.integers(0, len(text) - 1))
        b = draw(st.integers(a + 1, len(text)))
        stances.append(Stance(f"s{i}", "@author", "t", "favor", (Evidence(a, b, text[a:b]),)))
    return text, gold(entities, cleaning, stances)


@given(marked_text())
def test_runs_give_the_text_back_and_each_knows_the_evidence_over_it(case):
    text, aset = case
    found = pieces(text, aset)
    assert joined(found) == text
    at = 0
    for piece in found:
        for run in piece.runs:
            covering = {s.id for s in aset.stances for v in s.evidence if v.start <= at and at + len(run.text) <= v.end}
            assert set(run.stances) == covering and run.text
            end = at + len(run.text)
            assert not any(at < b < end for s in aset.stances for v in s.evidence for b in (v.start, v.end))
            at += len(run.text)
