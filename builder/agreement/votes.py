"""An article's annotation sets -> the places its annotators vote on, and those they are not unanimous on.

A place is an entity span, a (holder key, target) pair or a debris span; a ``Vote`` says what each
annotator put there. The gold choice (``builder.article.adjudicate``) lists the votes that are not
unanimous, and the article's comparison counts them (``disagreements``). Both are found from the
sets' items (``unanimous_places``, ``disagreements``) without making every vote; each such fast path
sits beside the definition it must equal (``votes``, ``disagreement_count``), which tests check.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from builder.agreement.items import SetItems, stance_holders
from builder.errors import EXCERPT_CHARS
from builder.records import AUTHOR, AnnotationSet

PLACE_KINDS = ("entity", "stance", "debris")  # what annotators vote on, in the order votes are listed


@dataclass(frozen=True, slots=True)
class Vote:
    """What each annotator of an article put at one place: an entity or debris span, or a
    (holder key, target) pair. A label is None where the annotator has nothing there."""

    kind: str  # "entity" | "stance" | "debris"
    place: tuple  # (start, end) for entities and debris; (holder key, target) for stances
    text: str  # the span's text, or the holder's mention text
    labels: tuple[tuple[str, str | None], ...]  # (annotator, label), by annotator id

    @property
    def unanimous(self) -> bool:
        values = {label for _, label in self.labels}
        return len(values) == 1 and None not in values

    def describe(self) -> str:
        """e.g. ``entity [10, 17) 'Kremlin': team-a ORG, team-b GPE, team-c (none)``."""
        if self.kind == "stance":
            key, target = self.place
            holder = AUTHOR if key == AUTHOR else f"{self.text!r} (key {key!r})"
            where = f"stance {holder} -> {target}"
        else:
            text = self.text if len(self.text) <= EXCERPT_CHARS else self.text[:EXCERPT_CHARS] + "…"
            where = f"{self.kind} [{self.place[0]}, {self.place[1]}) {text!r}"
        return where + ": " + ", ".join(f"{a} {label or '(none)'}" for a, label in self.labels)


def placed_items(aset: AnnotationSet) -> Iterator[tuple[tuple[str, tuple], str, str]]:
    """((kind, place), label, text) of each item of ``aset``: entities, stances, then debris spans."""
    for e in aset.entities:
        yield ("entity", (e.start, e.end)), e.label, e.text
    for st, (key, text) in zip(aset.stances, stance_holders(aset)):
        yield ("stance", (key, st.target)), st.label, text
    for d in aset.cleaning:
        yield ("debris", (d.start, d.end)), d.reason, d.text


def votes(sets: Sequence[AnnotationSet], skip: Collection[tuple[str, tuple]] = ()) -> tuple[Vote, ...]:
    """Every place any of ``sets`` annotated, sorted by kind and place (sets are taken in annotator order),
    but the (kind, place) in ``skip``: places the caller will not list, whose votes need not be made."""
    ordered = sorted(sets, key=lambda s: s.annotator)
    found: dict[tuple[str, tuple], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    texts: dict[tuple[str, tuple], str] = {}
    for s in ordered:
        for where, label, text in placed_items(s):
            if where not in skip:
                found[where][s.annotator].append(label)
                texts.setdefault(where, text)
    order = {kind: i for i, kind in enumerate(PLACE_KINDS)}
    return tuple(
        Vote(kind, place, texts[kind, place],
             tuple((s.annotator, "+".join(sorted(found[kind, place][s.annotator])) or None) for s in ordered))
        for kind, place in sorted(found, key=lambda k: (order[k[0]], k[1])))


def labels_by_place(sets: Sequence[AnnotationSet]) -> dict[tuple, str | None]:
    """(kind, place) -> what one annotator's ``sets`` (normally one) put there, as a Vote's labels say it."""
    places: list[tuple] = []
    labels: list[str] = []
    for aset in sets:
        places += [("entity", e.start, e.end) for e in aset.entities]
        labels += [e.label for e in aset.entities]
        places += [("stance", key, st.target) for st, (key, _) in zip(aset.stances, stance_holders(aset))]
        labels += [st.label for st in aset.stances]
        places += [("debris", d.start, d.end) for d in aset.cleaning]
        labels += [d.reason for d in aset.cleaning]
    found = dict(zip(places, labels))
    if len(found) == len(places) and all(labels):  # one label per place: nothing to join
        return found
    grouped: dict[tuple, list[str]] = defaultdict(list)
    for place, label in zip(places, labels):
        grouped[place].append(label)
    return {place: "+".join(sorted(group)) or None for place, group in grouped.items()}


def disagreement_count(sets: Sequence[AnnotationSet]) -> int:
    """The votes of ``sets`` that are not unanimous, counted without making the votes: a place is
    unanimous when every annotator put the same label there."""
    by_annotator: dict[str, list[AnnotationSet]] = defaultdict(list)
    for aset in sorted(sets, key=lambda s: s.annotator):
        by_annotator[aset.annotator].append(aset)
    if not by_annotator:
        return 0
    first, *others = [labels_by_place(group) for group in by_annotator.values()]
    unanimous = set(first.items()).intersection(*(other.items() for other in others))
    return len(set(first).union(*others)) - sum(label is not None for _, label in unanimous)


def disagreements(items: Sequence[SetItems]) -> int:
    """``disagreement_count`` of the items' sets, from the places ``set_items`` made: with one plain
    set per annotator, the places any set has, less those where every set has the same (place, label)
    item."""
    if not one_plain_set_each(items):
        return disagreement_count([x.aset for x in items])
    count = 0
    for kind, (first, *others) in zip(PLACE_KINDS, zip(*(x.places() for x in items))):
        count += len(set(first).union(*others)) - len(agreed_items(kind, items))
    return count


def unanimous_places(items: Sequence[SetItems]) -> set[tuple[str, tuple]] | None:
    """The (kind, place) of the votes that are unanimous, found without making the votes: with one
    plain set per annotator, the places where every set has the same (place, label) item; None when
    the sets are not like that (then only the votes tell)."""
    if not one_plain_set_each(items):
        return None
    return {(kind, place) for kind in PLACE_KINDS for place, _ in agreed_items(kind, items)}


def agreed_items(kind: str, items: Sequence[SetItems]) -> set[tuple[tuple, str]]:
    """The (place, label) items of one kind that every one of the (plain) sets has."""
    if kind == "entity":  # the many: the sets' items are frozensets already
        first, *others = (x.entities for x in items)
        return first.intersection(*others)
    first, *others = (x.stances if kind == "stance" else x.debris_places for x in items)
    return set(first.items()).intersection(*(o.items() for o in others))


def one_plain_set_each(items: Sequence[SetItems]) -> bool:
    """One set per annotator, each plain: an annotator's label at a place is its one item's label."""
    return bool(items) and len({x.aset.annotator for x in items}) == len(items) and all(x.plain for x in items)
