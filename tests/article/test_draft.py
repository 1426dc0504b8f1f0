"""Tests of draft adjudication (builder/article/draft.py) on the seed's three sets and on small fixtures."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from builder.agreement.compare import compare_article
from builder.agreement.votes import votes
from builder.article.draft import NONE, apply_decisions, draft_gold
from builder.errors import InputError
from builder.sources.annotations import scan_annotations
from factories import REPO

SEED = "000_b81791b00934b5a0"


@pytest.fixture(scope="module")
def seed():
    sets, problems = scan_annotations(REPO / "annotations")
    assert not problems
    gold = next(s for s in sets if s.is_gold)
    return gold, [s for s in sets if not s.is_gold]


def as_the_gold_decided(decision):
    """The seed gold's decisions, as choices: the guideline spans of team-a and team-b over team-c's 'the ...'
    and 'Day X' (3.1 rule 5, 3.3), 'Army' kept (3.1 rule 7), the holders Washington and Moscow with their
    country's QID (3.4), and no QID on NORP 'French'; every other QID as drafted (the table's QIDs)."""
    if decision.decision is not None:
        return decision._replace(decision="no qid", reason="a NORP names a people") if "'French'" in decision.item \
            else decision
    majority = next(c for c in decision.candidates if c.annotators == ["team-a", "team-b"])
    return decision._replace(decision=majority.choice, reason="guidelines")


def test_the_open_decisions_are_the_places_agreement_counts(seed):
    _, sets = seed
    draft = draft_gold(sets)
    open_items = [d.item for d in draft.decisions if d.decision is None]
    assert open_items == [v.describe() for v in votes(sets) if not v.unanimous]
    assert len(open_items) == compare_article(sets).disagreements == 15


def test_the_drafts_agreed_items_are_the_golds_agreed_items(seed):
    gold, sets = seed
    draft = draft_gold(sets)
    agreed = set.intersection(*({(e.start, e.end, e.label) for e in s.entities} for s in sets))
    assert {(e.start, e.end, e.label) for e in draft.entities} == agreed
    assert agreed <= {(e.start, e.end, e.label) for e in gold.entities}
    assert draft.cleaning == gold.cleaning
    assert stances_by_holder_span(draft) <= stances_by_holder_span(gold)
    assert len(draft.stances) == 6  # Washington and Moscow: the holder keys differ, open decisions


def stances_by_holder_span(aset):
    span = {e.id: (e.start, e.end) for e in aset.entities}
    return {(span[s.holder], s.target, s.label, s.evidence, s.note) for s in aset.stances}


def test_each_candidate_says_who_gave_it(seed):
    _, sets = seed
    day_x = next(d for d in draft_gold(sets).decisions if "'Day X'" in d.item)
    assert [(c.choice, c.annotators) for c in day_x.candidates] == [
        (NONE, ["team-a", "team-b"]), ("DATE [3233, 3238) 'Day X'", ["team-c"])]
    assert day_x.candidates[1].entities[0].label == "DATE"


def test_filling_the_decisions_as_the_gold_did_gives_the_gold(seed):
    gold, sets = seed
    draft = draft_gold(sets)
    filled = apply_decisions(replace(draft, decisions=tuple(map(as_the_gold_decided, draft.decisions))))
    assert filled.entities == gold.entities  # ids, spans, labels, texts and QIDs
    assert filled.stances == gold.stances  # ids, holders, targets, labels, evidence, notes
    assert filled.cleaning == gold.cleaning
    assert filled.adjudicated_from == gold.adjudicated_from
    assert all(not d.candidates and d.reason for d in filled.decisions)


def test_apply_refuses_an_open_decision(seed):
    _, sets = seed
    with pytest.raises(InputError, match=r"E940 .*is an open decision") as caught:
        apply_decisions(draft_gold(sets))
    assert caught.value.codes.count("E940") == 15


def test_apply_refuses_a_decision_that_names_no_candidate(seed):
    _, sets = seed
    draft = draft_gold(sets)
    wrong = tuple(d._replace(decision="PERSON", reason="why") if d.decision is None else d for d in draft.decisions)
    with pytest.raises(InputError, match=r"E944 .*the decision 'PERSON' is none of its candidates' choices"):
        apply_decisions(replace(draft, decisions=wrong))


def test_two_annotators_who_agree_give_no_decision(seed):
    _, sets = seed
    a, b = sets[0], replace(sets[0], annotator="team-x")
    draft = draft_gold([a, b])
    assert draft.decisions == ()
    assert [e.start for e in draft.entities] == sorted(e.start for e in a.entities)


def test_a_stance_whose_holder_is_not_agreed_brings_its_entity(seed):
    _, sets = seed
    a = sets[0]
    moved = replace(a, annotator="team-x", entities=tuple(e for e in a.entities if e.id != "e68"))  # Jean-Noel Barrot, the only mention
    draft = draft_gold([a, replace(moved, stances=tuple(s for s in a.stances if s.holder != "e68"))])
    barrot = next(d for d in draft.decisions if d.item.startswith("stance 'Jean-Noel Barrot'"))
    chosen = next(c for c in barrot.candidates if c.choice != NONE)
    assert [e.text for e in chosen.entities] == ["Jean-Noel Barrot"]
    assert chosen.stances[0].holder == chosen.entities[0].id


def test_validate_refuses_an_open_decision_and_an_unapplied_one(seed):
    from builder.article.set_checks import decision_problems
    from factories import fail_on

    _, sets = seed
    draft = draft_gold(sets)
    with pytest.raises(InputError, match=r"E940 .*decisions\[0\] .*is an open decision"):
        fail_on(decision_problems(draft))
    filled = replace(draft, decisions=tuple(map(as_the_gold_decided, draft.decisions)))
    decided = r"E941 .*decisions\[1\] .*is decided \(\"GPE \[64, 77\) 'United States'\"\) but its candidates"
    with pytest.raises(InputError, match=decided):
        fail_on(decision_problems(filled))
    assert decision_problems(apply_decisions(filled)) == []
