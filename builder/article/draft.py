"""The annotators' sets of one article -> a draft gold set: agreed items kept, each disagreement an open decision.

``newsstance adjudicate`` writes the draft; the user picks a candidate of each open decision (its
``choice`` into ``decision``) and says why (``reason``); ``apply_decisions`` then takes the chosen
candidates into the items. The places are those of agreement (``agreement.votes``): every vote that
is not unanimous is one open decision, so its decisions are exactly the places `newsstance agreement`
counts. What agreement does not compare is drafted by rule, and said in the draft:

- an agreed entity's QID: the most common one given (``adjudicate.gold_qid``); where the annotators
  gave different QIDs (or some none) the draft records a decision already taken, with the candidates,
  which the user may change;
- an agreed stance's evidence: the spans more than half of its annotators give (else all of them);
  its note: the first note by annotator id; its holder: the gold entity an annotator named
  (``adjudicate.gold_holder``), else (no agreed entity has the holder's key) the first annotator's holder
  entity, added to the draft.

Draft ids: entities ``e1``... by (start, end, label), then the candidates' entities; stances likewise.
``apply_decisions`` numbers them again: entities by span, stances by their holder's span, then target.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from builder.agreement.items import KINDS, set_items
from builder.agreement.votes import Vote, votes
from builder.article.adjudicate import GOLD, gold_holder, gold_qid
from builder.article.project import holder_key
from builder.errors import InputError, problem
from builder.records import AUTHOR, AnnotationSet, Debris, Decision, Entity, Evidence, Stance
from builder.sources.annotation_format import JsonCandidate

NONE = "none"  # the choice of a candidate that adds nothing: the annotators who put nothing at the place
QID_REASON = ("draft: of the QIDs given, the one given most often (ties: the smallest), as the majority rule takes "
              "it; change the choice if another is right, then say why")


def draft_gold(sets: Sequence[AnnotationSet]) -> AnnotationSet:
    """The draft gold set of one article's annotator sets (two or more, gold sets left out by the caller)."""
    ordered = sorted(sets, key=lambda s: s.annotator)
    held = [dict(zip([(k, p) for k, p in place_keys(s)], place_items(s))) for s in ordered]
    all_votes = votes(ordered)
    agreed = [v for v in all_votes if v.unanimous]
    entities, qid_decisions = agreed_entities([v for v in agreed if v.kind == "entity"], ordered, held)
    cleaning = tuple(held[0]["debris", v.place] for v in agreed if v.kind == "debris")
    agreed_stances = [v for v in agreed if v.kind == "stance"]
    counter = Counter(entity=len(entities), stance=len(agreed_stances))
    stances, holders = [], []  # an agreed stance whose holder's key no agreed entity has brings the first one's
    for i, v in enumerate(agreed_stances, 1):
        given = [h["stance", v.place] for h in held]
        stance, extra = with_holder(drafted_stance(f"s{i}", given, ordered, entities), given[0], ordered[0], counter)
        stances.append(stance)
        holders += extra
    open_ones = tuple(open_decision(v, ordered, held, entities, counter) for v in all_votes if not v.unanimous)
    return AnnotationSet(ordered[0].article_id, GOLD, ordered[0].raw_sha256, cleaning, entities + tuple(holders),
                         tuple(stances),
                         adjudicated_from=tuple(s.annotator for s in ordered), decisions=open_ones + qid_decisions)


def place_keys(aset: AnnotationSet) -> list[tuple[str, tuple]]:
    """(kind, place) of each item of ``aset``, in ``place_items`` order (the places agreement votes on)."""
    x = set_items(aset)
    return [(kind, place) for kind in ("entity", "stance", "debris") for place, _ in x.kinds[kind].items]


def place_items(aset: AnnotationSet) -> list:
    """The records of ``aset`` in ``place_keys`` order."""
    return [*aset.entities, *aset.stances, *aset.cleaning]


def agreed_entities(agreed: Sequence[Vote], sets: Sequence[AnnotationSet],
                    held: Sequence[dict]) -> tuple[tuple[Entity, ...], tuple[Decision, ...]]:
    """The entities every annotator gave, numbered by span, and a taken decision for each whose QIDs differ."""
    entities, decisions = [], []
    for i, vote in enumerate(sorted(agreed, key=lambda v: (*v.place, v.labels[0][1])), 1):
        given = [h["entity", vote.place] for h in held]
        qid, _ = gold_qid(given)
        entity = given[0]._replace(id=f"e{i}", qid=qid)
        entities.append(entity)
        by_qid: dict[str | None, list[str]] = defaultdict(list)
        for s, e in zip(sets, given):
            by_qid[e.qid or None].append(s.annotator)
        if len(by_qid) > 1:
            candidates = [JsonCandidate(qid_choice(q), names, entities=[entity._replace(qid=q)])
                          for q, names in sorted(by_qid.items(), key=lambda kv: (-len(kv[1]), kv[0] or ""))]
            decisions.append(Decision(f"qid of entity {entity.label} [{entity.start}, {entity.end}) {entity.text!r}: "
                                      + ", ".join(f"{c.choice} ({', '.join(c.annotators)})" for c in candidates),
                                      qid_choice(qid), QID_REASON, tuple(candidates)))
    return tuple(entities), tuple(decisions)


def qid_choice(qid: str | None) -> str:
    return f"qid {qid}" if qid else "no qid"


def drafted_stance(stance_id: str, given: Sequence[Stance], sets: Sequence[AnnotationSet],
                   entities: Sequence[Entity]) -> Stance:
    """One stance from the stances several annotators gave at one place (same holder key, target, label);
    its holder is "" when the draft has no entity with the holder's key (``with_holder`` adds one)."""
    named = [(next((e for e in s.entities if e.id == st.holder), None), st) for s, st in zip(sets, given)]
    key = AUTHOR if given[0].holder == AUTHOR else holder_key(named[0][0].qid, named[0][0].text)
    same = [e.id for e in entities if holder_key(e.qid, e.text) == key]
    holder = gold_holder(key, named, same, {(e.start, e.end, e.label): e.id for e in entities})
    note = next((st.note for st in given if st.note), None)
    return Stance(stance_id, holder or "", given[0].target, given[0].label, majority_evidence(given), note)


def with_holder(stance: Stance, given: Stance, aset: AnnotationSet, counter: Counter) -> tuple[Stance, list[Entity]]:
    """``stance``, and the entity ``aset`` names as its holder under a new draft id when the draft has none."""
    if stance.holder:
        return stance, []
    counter["entity"] += 1
    holder = next(e for e in aset.entities if e.id == given.holder)._replace(id=f"e{counter['entity']}")
    return stance._replace(holder=holder.id), [holder]


def majority_evidence(given: Sequence[Stance]) -> tuple[Evidence, ...]:
    """The evidence spans more than half of ``given`` cite, in order; all cited spans when none has a majority."""
    counts = Counter(v for st in given for v in set(st.evidence))
    kept = [v for v, n in counts.items() if n > len(given) / 2] or list(counts)
    return tuple(sorted(kept, key=lambda v: (v.start, v.end)))


def open_decision(vote: Vote, sets: Sequence[AnnotationSet], held: Sequence[dict], entities: Sequence[Entity],
                  counter: Counter) -> Decision:
    """The open decision of a place the annotators are not unanimous on: one candidate per label given."""
    by_label: dict[str | None, list[int]] = defaultdict(list)
    for i, (_, label) in enumerate(vote.labels):
        by_label[label].append(i)
    candidates = []
    for label, who in sorted(by_label.items(), key=lambda kv: (-len(kv[1]), kv[0] or "")):
        names = [sets[i].annotator for i in who]
        if label is None:
            candidates.append(JsonCandidate(NONE, names))
            continue
        choice = f"{label} {KINDS[vote.kind].where(vote.place, vote.text)}"
        given = [held[i][vote.kind, vote.place] for i in who if (vote.kind, vote.place) in held[i]]
        candidates.append(candidate(vote.kind, choice, names, given, [sets[i] for i in who], entities, counter))
    return Decision(vote.describe(), None, None, tuple(candidates))


def candidate(kind: str, choice: str, names: list[str], given: list, sets: Sequence[AnnotationSet],
              entities: Sequence[Entity], counter: Counter) -> JsonCandidate:
    """What choosing ``choice`` adds: the item as its annotators gave it, with a draft id of its own."""
    counter[kind] += 1
    if kind == "entity":
        qid, _ = gold_qid(given)
        return JsonCandidate(choice, names, entities=[given[0]._replace(id=f"e{counter['entity']}", qid=qid)])
    if kind == "debris":
        return JsonCandidate(choice, names, cleaning=[given[0]])
    stance, extra = with_holder(drafted_stance(f"s{counter['stance']}", given, sets, entities), given[0], sets[0],
                                counter)
    return JsonCandidate(choice, names, entities=extra, stances=[stance])


# --- applying the choices ---------------------------------------------------------------------

def apply_decisions(draft: AnnotationSet) -> AnnotationSet:
    """The gold set of a draft whose decisions are all taken: the chosen candidates' items added (an entity
    at a span already there replaces it, as a QID choice does), ids numbered again, candidates dropped."""
    problems = []
    chosen: list[JsonCandidate] = []
    for i, d in enumerate(draft.decisions):
        choices = ", ".join(repr(c.choice) for c in d.candidates) or "none given"
        if d.decision is None or d.reason is None:
            problems.append(problem("E940", str(draft.path), f"article {draft.article_id}", index=i, item=d.item,
                                    choices=choices, id=draft.article_id))
            continue
        found = [c for c in d.candidates if c.choice == d.decision]
        if d.candidates and not found:
            problems.append(problem("E944", str(draft.path), f"article {draft.article_id}", index=i, item=d.item,
                                    decision=d.decision, choices=choices))
        chosen += found
    if problems:
        raise InputError(problems)
    entities = {(e.start, e.end): e for e in draft.entities}
    renamed = {}  # a candidate's entity id -> the id of the entity it replaced, or its own
    for c in chosen:
        for e in map(as_entity, c.entities):
            renamed[e.id] = entities[e.start, e.end].id if (e.start, e.end) in entities else e.id
            entities[e.start, e.end] = e._replace(id=renamed[e.id])
    stances = list(draft.stances) + [as_stance(s) for c in chosen for s in c.stances]
    cleaning = sorted([*draft.cleaning, *(as_debris(d) for c in chosen for d in c.cleaning)])
    return renumbered(replace(draft, cleaning=tuple(cleaning), entities=tuple(entities.values()), stances=tuple(
        s._replace(holder=renamed.get(s.holder, s.holder)) for s in stances),
        decisions=tuple(Decision(d.item, d.decision, d.reason) for d in draft.decisions)))


def renumbered(gold: AnnotationSet) -> AnnotationSet:
    """Entities ``e1``... by (start, end, label); stances ``s1``... by their holder's span (@author first), then target."""
    entities = sorted(gold.entities, key=lambda e: (e.start, e.end, e.label))
    new_id = {e.id: f"e{i}" for i, e in enumerate(entities, 1)}
    span = {e.id: (e.start, e.end) for e in entities}
    stances = sorted(gold.stances, key=lambda s: (span.get(s.holder, (-1, -1)), s.target))
    return replace(gold, entities=tuple(e._replace(id=new_id[e.id]) for e in entities), stances=tuple(
        s._replace(id=f"s{i}", holder=new_id.get(s.holder, s.holder)) for i, s in enumerate(stances, 1)))


def as_entity(e) -> Entity:
    return Entity(e.id, e.start, e.end, e.label, e.text, e.qid)


def as_debris(d) -> Debris:
    return Debris(d.start, d.end, d.reason, d.text)


def as_stance(s) -> Stance:
    return Stance(s.id, s.holder, s.target, s.label, tuple(Evidence(v.start, v.end, v.text) for v in s.evidence),
                  s.note)
