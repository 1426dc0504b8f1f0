"""An article's annotation sets -> the places its annotators vote on, and those they are not unanimous on.

A place is where an item of one of the kinds of ``items.KINDS`` is (an entity span, a (holder key,
target) pair, a debris span); a ``Vote`` says what each annotator put there. The gold choice
(``builder.article.adjudicate``) lists the votes that are not unanimous, and the article's comparison
counts them (``disagreements``). Every function here iterates ``KINDS``. Both are found from the
sets' items (``unanimous_places``, ``disagreements``) without making every vote; each such fast path
sits beside the definition it must equal (``votes``, ``disagreement_count``), which tests check.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from builder.agreement.items import KINDS, SetItems
from builder.records import AnnotationSet


@dataclass(frozen=True, slots=True)
class Vote:
    """What each annotator of an article put at one place of one kind (a key of ``KINDS``). A label is
    None where the annotator has nothing there."""

    kind: str  # a key of KINDS: "entity", "stance", "debris"
    place: tuple  # as the kind places items: (start, end) for entities and debris; (holder key, target) for stances
    text: str  # the first text of the place: the span's text, or the holder's mention text
    labels: tuple[tuple[str, str | None], ...]  # (annotator, label), by annotator id

    @property
    def unanimous(self) -> bool:
        values = {label for _, label in self.labels}
        return len(values) == 1 and None not in values

    def describe(self) -> str:
        """e.g. ``entity [10, 17) 'Kremlin': team-a ORG, team-b GPE, team-c (none)``."""
        where = KINDS[self.kind].where(self.place, self.text)
        return f"{self.kind} {where}: " + ", ".join(f"{a} {label or '(none)'}" for a, label in self.labels)


def placed_items(aset: AnnotationSet) -> Iterator[tuple[tuple[str, tuple], str, str]]:
    """((kind, place), label, text) of each item of ``aset``, kind by kind in ``KINDS`` order."""
    for name, kind in KINDS.items():
        for place, label, text in zip(*kind.placed(aset)):
            yield (name, place), label, text


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
    order = {kind: i for i, kind in enumerate(KINDS)}
    return tuple(
        Vote(kind, place, texts[kind, place],
             tuple((s.annotator, "+".join(sorted(found[kind, place][s.annotator])) or None) for s in ordered))
        for kind, place in sorted(found, key=lambda k: (order[k[0]], k[1])))


def labels_by_place(sets: Sequence[AnnotationSet]) -> dict[tuple, str | None]:
    """(kind, place) -> what one annotator's ``sets`` (normally one) put there, as a Vote's labels say it."""
    places: list[tuple] = []
    labels: list[str] = []
    for aset in sets:
        for name, kind in KINDS.items():
            placed = kind.placed(aset)
            places += [(name, place) for place in placed.places]
            labels += placed.labels
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
    for kind in KINDS:
        first, *others = (x.kinds[kind].places for x in items)
        count += len(set(first).union(*others)) - len(agreed_items(kind, items))
    return count


def unanimous_places(items: Sequence[SetItems]) -> set[tuple[str, tuple]] | None:
    """The (kind, place) of the votes that are unanimous, found without making the votes: with one
    plain set per annotator, the places where every set has the same (place, label) item; None when
    the sets are not like that (then only the votes tell)."""
    if not one_plain_set_each(items):
        return None
    return {(kind, place) for kind in KINDS for place, _ in agreed_items(kind, items)}


def agreed_items(kind: str, items: Sequence[SetItems]) -> frozenset[tuple[tuple, str]]:
    """The (place, label) items of one kind that every one of the (plain) sets has."""
    first, *others = (x.kinds[kind].distinct for x in items)
    return first.intersection(*others)


def one_plain_set_each(items: Sequence[SetItems]) -> bool:
    """One set per annotator, each plain: an annotator's label at a place is its one item's label."""
    return bool(items) and len({x.aset.annotator for x in items}) == len(items) and all(x.plain for x in items)
