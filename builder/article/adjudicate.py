"""The annotation sets of one article -> its gold set, and the disagreements left on the way.

Policy (annotations/README.md, "Gold"):

- ``adjudicated``: the article has a set by annotator ``gold``; it is gold as it is.
- ``majority`` (three or more annotators): an item is gold when more than half of the annotators
  have it. Items are entities (start, end, label), stances (holder key, target, label) and debris
  spans (start, end, reason). A gold stance's evidence is the union of the agreeing annotators'
  evidence (overlapping spans merged). Gold entities, and gold debris spans, must not overlap: with
  valid (flat) input two majority items cannot overlap, but if they do, the one with more votes,
  then the longer one, then the earlier one is kept, and the other is listed. The vote is the
  documented policy, so such an article is never refused; its disagreements are listed.
- ``agreed-only`` (two annotators): the same vote, so only the items both have become gold. The
  release build refuses such an article when the two disagree (E115, listing the disagreements)
  unless ``allow_unadjudicated=True``.
- ``single`` (one annotator): that set, through the same vote, is gold.

Outside ``adjudicated``, gold ids are new and deterministic: entities ``e1``, ``e2``... by (start,
end, label), stances ``s1``... by (holder key, target). An entity's QID is the most common QID the
agreeing annotators gave (ties: the smallest); different QIDs are listed. A stance's holder becomes
the gold entity an agreeing annotator named, else the earliest gold entity, provided its holder key
(gold QID, else text lowercased) is the stance's; without one the stance is left out and listed.
Every place where the annotators are not unanimous is listed in ``disagreements`` with its outcome,
and recorded as a ``Decision`` of the gold set.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from builder.agreement.items import SetItems, set_file, set_items
from builder.agreement.votes import Vote, unanimous_places, votes
from builder.article.project import holder_key
from builder.errors import InputError, problem
from builder.records import AUTHOR, AnnotationSet, Debris, Decision, Entity, Evidence, Stance

GOLD = "gold"
SOURCES = ("adjudicated", "majority", "agreed-only", "single")


@dataclass(frozen=True, slots=True)
class GoldChoice:
    gold: AnnotationSet  # annotator "gold"; entity ids unique, stance holders are gold entity ids
    source: str  # one of SOURCES
    disagreements: tuple[str, ...]  # human-readable, each naming the item, the labels by annotator and the outcome


def check_sets(article_id: str, sets: Sequence[AnnotationSet]) -> None:
    if not sets:
        raise InputError([problem("E701", f"annotations/*/{article_id}.json", f"article {article_id}", id=article_id)])
    problems = [problem("E702", set_file(s), f"article {article_id}", other=s.article_id, annotator=s.annotator,
                        id=article_id) for s in sets if s.article_id != article_id]
    counts = Counter(s.annotator for s in sets)
    problems += [problem("E703", f"annotations/{a}/{article_id}.json", f"article {article_id}", annotator=a,
                         count=n, id=article_id) for a, n in sorted(counts.items()) if n > 1]
    if problems:
        raise InputError(problems)


def choose_gold(article_id: str, sets: Sequence[AnnotationSet], *, allow_unadjudicated: bool = False,
                items: Sequence[SetItems] = ()) -> GoldChoice:
    """Gold of one article from all its sets (a gold set included, if any), by the policy above.
    ``items`` are those of the annotators' sets sorted by annotator, when the caller has made them
    (``ArticleComparison.items``); otherwise the vote makes them."""
    check_sets(article_id, sets)
    adjudicated = [s for s in sets if s.is_gold]
    if adjudicated:
        return GoldChoice(adjudicated[0], "adjudicated", ())
    ordered = sorted(sets, key=lambda s: s.annotator)
    source = {1: "single", 2: "agreed-only"}.get(len(ordered), "majority")
    gold, disagreements = majority_vote(ordered, items)
    if source == "agreed-only" and disagreements and not allow_unadjudicated:
        first = ordered[0].path
        file = Path(first).parent.parent / GOLD / f"{article_id}.json" if first else f"annotations/gold/{article_id}.json"
        where = f"article {article_id} (disagreements: {'; '.join(disagreements)})"
        raise InputError([problem("E115", str(file), where, id=article_id, count=len(disagreements))])
    return GoldChoice(gold, source, disagreements)


# --- the vote ---------------------------------------------------------------------------------

def merge_evidence(spans: Sequence[Evidence]) -> tuple[Evidence, ...]:
    """The union of evidence spans; overlapping spans are merged (their texts are raw-text slices)."""
    merged: list[Evidence] = []
    for span in sorted(set(spans), key=lambda v: (v.start, v.end)):
        last = merged[-1] if merged else None
        if last is not None and span.start < last.end:
            if span.end > last.end:
                merged[-1] = Evidence(last.start, span.end, last.text + span.text[last.end - span.start:])
        else:
            merged.append(span)
    return tuple(merged)


def flat(candidates: Sequence[tuple[int, int, str]], support: dict) -> tuple[list, dict]:
    """``flat_by_votes``, without its quadratic loop when no two candidates overlap (as with valid input)."""
    in_order = sorted(candidates)
    return (in_order, {}) if no_overlap(in_order) else flat_by_votes(candidates, support)


def flat_by_votes(candidates: Sequence[tuple[int, int, str]], support: dict) -> tuple[list, dict]:
    """Keep non-overlapping spans, preferring more votes, then longer, then earlier; and say why others went."""
    kept: list[tuple[int, int, str]] = []
    dropped: dict[tuple[int, int], str] = {}
    for key in sorted(candidates, key=lambda k: (-len(support[k]), -(k[1] - k[0]), k[0], k[2])):
        clash = next((k for k in kept if key[0] < k[1] and k[0] < key[1]), None)
        if clash is None:
            kept.append(key)
        else:
            dropped[key[0], key[1]] = (f"left out: {key[2]} overlaps [{clash[0]}, {clash[1]}) {clash[2]}, kept with "
                                       "more votes, a longer span or an earlier start")
    return sorted(kept), dropped


def no_overlap(spans: Sequence[tuple[int, int, str]]) -> bool:
    """True when no two of ``spans`` (sorted) overlap as ``flat`` means it (a.start < b.end and b.start
    < a.end): every span ends at or after its start and at or before the next one starts, so every
    later span starts at or after the end of every earlier one. False may also mean "not sure"."""
    return (all(start <= end for start, end, _ in spans)
            and all(previous[1] <= following[0] for previous, following in zip(spans, spans[1:])))


def majority_vote(sets: Sequence[AnnotationSet],
                  items: Sequence[SetItems] = ()) -> tuple[AnnotationSet, tuple[str, ...]]:
    """Gold of the items more than half of ``sets`` have, and the disagreements with their outcome.
    ``items`` are those of ``sets``, in order, when the caller has made them; else they are made here."""
    if not items:
        items = [set_items(s) for s in sets]
    elif len(items) != len(sets) or any(x.aset is not s for x, s in zip(items, sets)):
        raise ValueError("majority_vote: the items given are not those of the sets")
    n, need = len(sets), len(sets) // 2 + 1
    entity_support: dict[tuple[int, int, str], list[Entity]] = defaultdict(list)
    debris_support: dict[tuple[int, int, str], list[Debris]] = defaultdict(list)
    # (holder key, target, label) -> (the entity the stance names as holder, the stance) of each set with it
    stance_support: dict[tuple[str, str, str], list[tuple[Entity | None, Stance]]] = defaultdict(list)
    for s, x in zip(sets, items):
        for e in s.entities:
            entity_support[e.start, e.end, e.label].append(e)
        for d in s.cleaning:
            debris_support[d.start, d.end, d.reason].append(d)
        by_id = {e.id: e for e in reversed(s.entities)} if s.stances else {}  # the first entity with an id
        for st, key in zip(s.stances, x.stance_keys):
            stance_support[key].append((by_id.get(st.holder), st))
    outcomes: dict[tuple[str, tuple], str] = {}
    notes: list[str] = []

    kept, dropped = flat([k for k, v in entity_support.items() if len(v) >= need], entity_support)
    outcomes |= {("entity", place): why for place, why in dropped.items()}
    entities = []
    for i, key in enumerate(kept, 1):
        qid, qids = gold_qid(entity_support[key])
        if qids:
            notes.append(f"entity [{key[0]}, {key[1]}) {entity_support[key][0].text!r} {key[2]}: QIDs "
                         + ", ".join(f"{q} ({c})" for q, c in sorted(qids.items())) + f" -> gold {qid}")
        entities.append(Entity(f"e{i}", key[0], key[1], key[2], entity_support[key][0].text, qid))
        outcomes["entity", key[:2]] = f"gold {key[2]} ({len(entity_support[key])} of {n})"
    gold_ids = {(e.start, e.end, e.label): e.id for e in entities}
    gold_by_key: dict[str, list[str]] = defaultdict(list)  # holder key -> ids of the gold entities with it, in order
    for e in entities:
        gold_by_key[holder_key(e.qid, e.text)].append(e.id)

    kept, dropped = flat([k for k, v in debris_support.items() if len(v) >= need], debris_support)
    outcomes |= {("debris", place): why for place, why in dropped.items()}
    cleaning = tuple(Debris(k[0], k[1], k[2], debris_support[k][0].text) for k in kept)
    outcomes |= {("debris", k[:2]): f"gold {k[2]} ({len(debris_support[k])} of {n})" for k in kept}

    stances: list[Stance] = []
    for key in sorted(k for k, v in stance_support.items() if len(v) >= need):
        place = ("stance", key[:2])
        if outcomes.get(place, "").startswith("gold"):  # only when a set gives one pair two stances
            outcomes[place] = f"left out: two labels have a majority ({key[2]} too)"
            continue
        holder = gold_holder(key[0], stance_support[key], gold_by_key.get(key[0], []), gold_ids)
        if holder is None:
            outcomes[place] = f"left out: {key[2]} has a majority, but its holder has no entity in gold"
            continue
        evidence = merge_evidence([v for _, st in stance_support[key] for v in st.evidence])
        stances.append(Stance(f"s{len(stances) + 1}", holder, key[1], key[2], evidence))
        outcomes[place] = f"gold {key[2]} ({len(stance_support[key])} of {n})"

    agreed = unanimous_places(items) or set()  # most places, as a rule: not listed
    settled = {place for place in agreed if outcomes.get(place, "").startswith("gold")}
    listed = [v for v in votes(sets, skip=settled)
              if not v.unanimous or not outcomes.get((v.kind, v.place), "").startswith("gold")]
    described = [(v.describe(), outcome_of(v, outcomes, n)) for v in listed]
    lines = tuple(f"{vote} -> {outcome}" for vote, outcome in described) + tuple(notes)
    gold = AnnotationSet(
        article_id=sets[0].article_id, annotator=GOLD, raw_sha256=sets[0].raw_sha256, cleaning=cleaning,
        entities=tuple(entities), stances=tuple(stances), adjudicated_from=tuple(s.annotator for s in sets),
        decisions=tuple(Decision(vote, outcome, reason_of(n)) for vote, outcome in described))
    return gold, lines


def gold_qid(agreeing: Sequence[Entity]) -> tuple[str | None, Counter | None]:
    """The most common QID of the agreeing entities (ties: the smallest; None without any), and the
    count of each QID when they differ (to be listed)."""
    if all(e.qid == agreeing[0].qid for e in agreeing):  # as a rule: nothing to count
        return agreeing[0].qid or None, None
    qids = Counter(e.qid for e in agreeing if e.qid)
    qid = min(qids, key=lambda q: (-qids[q], q)) if qids else None
    return qid, (qids if len(qids) > 1 else None)


def gold_holder(key: str, support: Sequence[tuple[Entity | None, Stance]], same: Sequence[str],
                gold_ids: dict) -> str | None:
    """The gold entity id (or @author) of a gold stance's holder, or None when gold has no entity with
    the stance's holder key (the gold QID of a mention can differ from the one an annotator gave).
    ``support`` are the agreeing stances with the entity each names as holder (None for none);
    ``same`` are the ids of the gold entities with that key, in gold order."""
    if key == AUTHOR:
        return AUTHOR
    named = []
    for entity, _ in support:
        if entity is not None and gold_ids.get((entity.start, entity.end, entity.label)) in same:
            named.append((entity.start, entity.end, gold_ids[entity.start, entity.end, entity.label]))
    if named:
        return min(named)[2]
    return same[0] if same else None


def outcome_of(vote: Vote, outcomes: dict, n: int) -> str:
    found = outcomes.get((vote.kind, vote.place))
    if found:
        return found
    return "left out (not agreed)" if n == 2 else "left out (no label has a majority)"


def reason_of(n: int) -> str:
    if n == 1:
        return "single annotator"
    if n == 2:
        return "not adjudicated: only the items both annotators agree on are gold"
    return f"majority vote of {n} annotators: an item is gold when more than half have it"
