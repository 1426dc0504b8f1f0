"""check_set against its item-by-item definition, and the items of a passed set lent to the next sets."""

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from builder.article.clean import removed_ranges
from builder.article.project import holder_key
from builder.article.set_checks import check_set, check_span, debris_at, overlapping_pairs, passed_items
from builder.errors import STANCE_HOLDER, excerpt_around, problem
from builder.records import AUTHOR, AnnotationSet, ArticleMeta, Debris, Entity, Evidence, RawArticle, Stance
from builder.sources.annotations import load_annotators, load_schema, parse_annotation_set
from factories import ARTICLE, REPO, annotation, default_entities, default_stances, sha


SCHEMA = load_schema(REPO / "annotations" / "schema.yaml")
ANNOTATORS = load_annotators(REPO / "annotations" / "annotators.yaml")
RAW = RawArticle(ArticleMeta("a1", "a1.txt", sha(ARTICLE), "en", None, None, None, "test"), ARTICLE, "a1.txt")
FIXTURE, _ = parse_annotation_set(annotation("a1", ARTICLE, "team-a", entities=default_entities(),
                                              stances=default_stances()), Path("team-a/a1.json"))
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
def test_check_set_gives_what_the_item_by_item_definition_gives(aset):
    assert check_set(aset, RAW, TWO_TARGETS, ANNOTATORS) == definition(aset, RAW, TWO_TARGETS, ANNOTATORS)


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
def test_the_valid_fixture_passes_and_one_mistake_is_found(code):
    assert check_set(FIXTURE, RAW, SCHEMA, ANNOTATORS) == []
    wrong = ONE_MISTAKE[code](FIXTURE)
    assert code.split()[0] in [p.code for p in check_set(wrong, RAW, SCHEMA, ANNOTATORS)]



def definition(aset, article, schema, annotators):
    """Every problem of one set, worded item by item, in order: what ``check_set`` must give."""
    file = str(aset.path)
    base = f"article {aset.article_id}"
    if aset.raw_sha256 != article.meta.sha256:
        return [problem("E103", file, base, actual=aset.raw_sha256, expected=article.meta.sha256)]
    text = article.text
    found = []
    if aset.annotator not in annotators:
        found.append(problem("E111", file, base, annotator=aset.annotator))

    def where(kind: str, index: int, start: int, end: int) -> str:
        return f"{base}, {kind}[{index}], offsets [{start}, {end})"

    valid_debris = []
    for i, d in enumerate(aset.cleaning):
        if not (0 <= d.start < d.end <= len(text) and text[d.start:d.end] == d.text):
            found += check_span(text, d.start, d.end, d.text, file, where("cleaning", i, d.start, d.end))
        if d.reason not in schema.debris_reasons:
            found.append(problem("E106", file, where("cleaning", i, d.start, d.end), kind="debris reason",
                                 value=d.reason, known=", ".join(schema.debris_reasons)))
        if 0 <= d.start < d.end <= len(text):
            valid_debris.append((d.start, d.end, i))
    for i, j in overlapping_pairs(valid_debris):
        a, b = aset.cleaning[i], aset.cleaning[j]
        found.append(problem("E112", file, where("cleaning", i, a.start, a.end), start=a.start, end=a.end,
                             other_start=b.start, other_end=b.end))
    removed = removed_ranges(text, [aset.cleaning[i] for _, _, i in valid_debris])
    removed_ends = [b for _, b in removed]

    def debris_problems(start, end, quoted, place):
        hit = debris_at(removed, removed_ends, start, end)
        return [problem("E108", file, place, excerpt=excerpt_around(text, start, end), start=start, end=end,
                        text=quoted, debris_start=hit[0], debris_end=hit[1])] if hit else []

    ids = Counter(e.id for e in aset.entities)
    if len(ids) < len(aset.entities):
        found += [problem("E110", file, base, kind="entity", value=v) for v, n in sorted(ids.items()) if n > 1]
    valid_entities = []
    labels, length = schema.entity_labels, len(text)
    for i, e in enumerate(aset.entities):
        start, end = e.start, e.end
        if (0 <= start < end <= length and text[start:end] == e.text and e.label in labels
                and not debris_at(removed, removed_ends, start, end)):
            valid_entities.append((start, end, i))
            continue
        place = where("entities", i, start, end) + f" (id {e.id})"
        span_problems = check_span(text, start, end, e.text, file, place)
        found += span_problems
        if e.label not in labels:
            found.append(problem("E106", file, place, kind="entity label", value=e.label, known=", ".join(labels)))
        if not span_problems:
            valid_entities.append((start, end, i))
            found += debris_problems(start, end, e.text, place)
    for i, j in overlapping_pairs(valid_entities):
        a, b = aset.entities[i], aset.entities[j]
        found.append(problem("E107", file, where("entities", i, a.start, a.end), start=a.start, end=a.end,
                             text=a.text, other_start=b.start, other_end=b.end, other_text=b.text))

    entities = {e.id: e for e in aset.entities}
    stance_ids = Counter(s.id for s in aset.stances)
    found += [problem("E110", file, base, kind="stance", value=v) for v, n in sorted(stance_ids.items()) if n > 1]
    pairs: Counter[tuple[str, str]] = Counter()
    for i, s in enumerate(aset.stances):
        place = f"{base}, stances[{i}] (id {s.id})"
        if s.holder != AUTHOR and s.holder not in entities:
            found.append(problem("E109", file, place, value=s.holder, **STANCE_HOLDER))
        else:
            holder = entities.get(s.holder)
            pairs[(AUTHOR if holder is None else holder_key(holder.qid, holder.text), s.target)] += 1
        if s.target not in schema.targets:
            found.append(problem("E106", file, place, kind="stance target", value=s.target,
                                 known=", ".join(schema.targets)))
        if s.label not in schema.stance_labels:
            found.append(problem("E106", file, place, kind="stance label", value=s.label,
                                 known=", ".join(schema.stance_labels)))
        for k, v in enumerate(s.evidence):
            evidence_place = f"{place}, evidence[{k}], offsets [{v.start}, {v.end})"
            span_problems = check_span(text, v.start, v.end, v.text, file, evidence_place)
            found += span_problems or debris_problems(v.start, v.end, v.text, evidence_place)
    found += [problem("E114", file, base, holder=h, target=t) for (h, t), n in sorted(pairs.items()) if n > 1]
    return found


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
    assert check_set(second, RAW, TWO_TARGETS, ANNOTATORS, passed) == alone


def test_check_set_words_an_item_of_an_unexpected_type_as_the_definition_does():
    wrong = replace(FIXTURE, entities=(FIXTURE.entities[0]._replace(text=None), *FIXTURE.entities[1:]))  # made in code
    assert [p.code for p in check_set(wrong, RAW, SCHEMA, ANNOTATORS)] == ["E105"]
