"""Small AnnotationSet records and Hypothesis strategies of them, shared by the tests of builder/agreement.

Offsets are plain numbers into an imagined text, since agreement compares offsets and labels only.
"""

from __future__ import annotations

from hypothesis import strategies as st

from builder.records import AUTHOR, AnnotationSet, Debris, Entity, Evidence, Stance

TARGET = "us-peace-plan-2025"


def ent(start: int, end: int, label: str = "PERSON", id: str | None = None, text: str | None = None,
        qid: str | None = None) -> Entity:
    return Entity(id or f"e{start}", start, end, label, text or f"t{start}", qid)


def stance(holder: str, label: str, target: str = TARGET, id: str | None = None) -> Stance:
    return Stance(id or f"s-{holder}-{target}", holder, target, label, (Evidence(0, 1, "x"),))


def deb(start: int, end: int, reason: str = "advertising") -> Debris:
    return Debris(start, end, reason, "x" * (end - start))


def aset(annotator: str, entities=(), stances=(), cleaning=(), article: str = "a1") -> AnnotationSet:
    return AnnotationSet(article, annotator, "0" * 64, tuple(cleaning), tuple(entities), tuple(stances))


def author_stances(annotator: str, labels: list[str | None], article: str = "a1") -> AnnotationSet:
    """One @author stance per target t0, t1, ...; None leaves the target out."""
    return aset(annotator, stances=[stance(AUTHOR, label, f"t{i}") for i, label in enumerate(labels) if label],
                article=article)


entity_sets = st.sets(st.tuples(st.integers(0, 30), st.integers(1, 5), st.sampled_from(["PERSON", "ORG", "GPE"])),
                      max_size=8).map(lambda items: [ent(s, s + n, label, id=f"e{i}")
                                                     for i, (s, n, label) in enumerate(sorted(items))])
debris_lists = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 10)), max_size=4).map(
    lambda items: [deb(s, s + n) for s, n in items])
stance_lists = st.lists(st.tuples(st.sampled_from([AUTHOR, "e0", "e6"]), st.sampled_from(["t0", "t1"]),
                                  st.sampled_from(["favor", "against"])), max_size=4).map(
    lambda items: [stance(holder, label, target, id=f"s{i}") for i, (holder, target, label) in enumerate(items)])

# sets that are not always plain: two entities on one span, two stances on one (holder, target), two
# debris spans at one place, an empty label; and one annotator with two sets
any_labels = st.sampled_from(["PERSON", "ORG", "GPE", ""])
loose_entities = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 4), any_labels), max_size=8).map(
    lambda items: [ent(s, s + n, label, id=f"e{i}") for i, (s, n, label) in enumerate(items)])
reasons = st.sampled_from(["advertising", "promotion", ""])
loose_debris = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 10), reasons), max_size=4).map(
    lambda items: [deb(s, s + n, reason) for s, n, reason in items])
loose_sets = st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), loose_entities, stance_lists, loose_debris),
                      min_size=1, max_size=4).map(
    lambda contents: [aset(annotator, [*entities, ent(0, 5, id="e0"), ent(6, 9, id="e6")], stances, cleaning)
                      for annotator, entities, stances, cleaning in contents])


def entity_keys(aset: AnnotationSet) -> set[tuple[int, int, str]]:
    """The definition the agreement items are checked against: each entity's (start, end, label)."""
    return {(e.start, e.end, e.label) for e in aset.entities}
