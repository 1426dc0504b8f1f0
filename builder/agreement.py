"""Annotation sets of several annotators -> how far they agree, per article and over the corpus.

Only the annotators' own sets are compared; gold sets are left out. Every figure compares the sets
of one article pair by pair (the pair's first annotator is the smaller id), and the corpus figure
sums the counts over every pair of every article, then computes the figure once.

- **Entity F1, exact span.** Items are (start, end, label). For annotators A and B,
  F1 = 2·|A∩B| / (|A| + |B|): symmetric, in [0, 1], and **1.0 when both marked nothing** (nothing
  to disagree on). Overall and per label (a label's F1 counts only the items with that label).
- **Stance kappa.** Cohen's kappa (``sklearn.metrics.cohen_kappa_score``'s arithmetic) over the labels of the
  (holder, target) pairs that *both* annotators gave a stance on. Holders are matched by the holder
  entity's QID, else its text lowercased (``builder.project.holder_key``); ``@author`` as such.
  Stances only one annotator of a pair gave are counted as ``unmatched`` and are not in kappa.
  When both annotators used one and the same label, kappa is undefined (sklearn gives nan): it is
  reported as ``None`` / null with the note "undefined: only one label used".
- **Krippendorff's alpha** (the ``krippendorff`` library, nominal), over the articles with three or
  more annotators. Stance units are (holder, target) items; an annotator without a stance on the
  item is missing. Entity units are the union of the spans (start, end) any annotator marked; an
  annotator who did not mark a span gives it the value "O" (every annotator reads the whole text),
  so a boundary disagreement is a disagreement on two units.
- **Debris, per character.** Per pair, F1 over the sets of raw character positions each annotator
  marks as debris (1.0 when neither marks any); and, as a second view, Cohen's kappa over every
  character of the text (debris or not), which needs the text lengths.
- **Disagreements.** Places (an entity span, a (holder, target) pair, a debris span) on which the
  annotators of an article are not unanimous; ``adjudicate.py`` lists them.

A build computes all of this once per article, so the per-article path is kept cheap, each fast
path beside the definition it must equal (and tested against it): a set's items are made once
(``set_items``, remembered for the latest sets, which the gold choice, the annotations view and
the article's agreement share), kappa of a small table is computed in plain Python to numpy's float
(``cohen_kappa_small``), and the manifest entry is written straight from the figures
(``article_json_text``).
"""

from __future__ import annotations

import math
import warnings
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass
from itertools import chain, combinations, repeat
from json.encoder import encode_basestring as json_string
from operator import attrgetter, itemgetter

import krippendorff
import numpy as np

from .errors import EXCERPT_CHARS, InputError, problem
from .project import holder_key
from .records import AUTHOR, AnnotationSet

PLACE_KINDS = ("entity", "stance", "debris")  # what annotators vote on, in the order votes are listed
NO_ENTITY = "O"  # the alpha value of an entity unit an annotator did not mark
ONE_LABEL = "undefined: only one label used"
NO_ITEMS = "no items compared"
FEWER_THAN_THREE = "no article with three or more annotators"
NO_LENGTHS = "text lengths not given"
DECIMALS = 6

EntityKey = tuple[int, int, str]  # (start, end, label)
StanceKey = tuple[str, str, str]  # (holder key, target, label)
Unit = tuple[tuple[str, str], ...]  # one alpha unit: (annotator, value) for each annotator who gave one

# Field getters of the records, in C: an article has a few hundred items, each read several times.
ENTITY_ID = attrgetter("id")
ENTITY_KEY = attrgetter("start", "end", "label")  # an EntityKey
SPAN = attrgetter("start", "end")  # of an entity or a debris span
LABEL = attrgetter("label")
ITEM_LABEL = itemgetter(1)  # the label of a (place, label) item


# --- items of one set -------------------------------------------------------------------------

def set_file(aset: AnnotationSet) -> str:
    return str(aset.path) if aset.path is not None else f"annotations/{aset.annotator}/{aset.article_id}.json"


def stance_holders(aset: AnnotationSet) -> list[tuple[str, str]]:
    """(holder key, mention text) of each stance of ``aset``, in order; the key identifies the holder
    across annotators."""
    if not aset.stances:
        return []
    backwards = aset.entities[::-1]  # the first entity with an id wins
    entities = dict(zip(map(ENTITY_ID, backwards), backwards))
    found = []
    for stance in aset.stances:
        if stance.holder == AUTHOR:
            found.append((AUTHOR, AUTHOR))
        elif (entity := entities.get(stance.holder)) is not None:
            found.append((holder_key(entity.qid, entity.text), entity.text))
        else:
            raise InputError([problem("E109", set_file(aset), f"article {aset.article_id}, stance {stance.id}",
                                      holder=stance.holder)])
    return found


def entity_keys(aset: AnnotationSet) -> set[EntityKey]:
    return set(map(ENTITY_KEY, aset.entities))


def stance_labels(aset: AnnotationSet) -> dict[tuple[str, str], str]:
    """(holder key, target) -> label."""
    return {(key, s.target): s.label for (key, _), s in zip(stance_holders(aset), aset.stances)}


def stance_keys(aset: AnnotationSet) -> list[StanceKey]:
    """(holder key, target, label) of each stance of ``aset``, in order."""
    return [(key, s.target, s.label) for (key, _), s in zip(stance_holders(aset), aset.stances)]


def debris_ranges(aset: AnnotationSet) -> tuple[tuple[int, int], ...]:
    """The debris spans as sorted, merged [start, end) ranges of raw character positions."""
    merged: list[list[int]] = []
    for start, end in sorted((d.start, d.end) for d in aset.cleaning if d.end > d.start):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


def covered(ranges: Sequence[tuple[int, int]]) -> int:
    return sum(end - start for start, end in ranges)


def shared_chars(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    """Characters in both of two merged range lists (sorted, none overlapping: as ``debris_ranges`` makes them)."""
    if a == b:  # as a rule, annotators mark the same debris
        return covered(a)
    total, i, j = 0, 0, 0
    while i < len(a) and j < len(b):
        total += max(0, min(a[i][1], b[j][1]) - max(a[i][0], b[j][0]))
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return total


def f1_of(matched: int, annotated: int) -> float:
    """2·|A∩B| / (|A|+|B|), given ``annotated`` = |A|+|B|; 1.0 when both are empty."""
    return 1.0 if annotated == 0 else 2 * matched / annotated


@dataclass(frozen=True, slots=True)
class SetItems:
    """The items of one set as agreement compares them, made once per set (read-only: they are
    shared). An article's sets are compared by the gold choice (``unanimous_places``), item by item
    for the annotations view (``item_agreement``), pair by pair (``compare_items``) and all together
    (``disagreements``)."""

    aset: AnnotationSet
    entities: Set[tuple[tuple[int, int], str]]  # ((start, end), label): entity_keys(aset), nested
    entity_labels: Counter  # label -> items of ``entities`` with it
    stance_keys: tuple[StanceKey, ...]  # stance_keys(aset)
    stances: dict[tuple[str, str], str]  # stance_labels(aset)
    debris: tuple[tuple[int, int], ...]  # debris_ranges(aset)
    entity_places: dict[tuple[int, int], str]  # (start, end) -> label
    debris_places: dict[tuple[int, int], str]  # (start, end) -> reason
    plain: bool  # one item per place, every label non-empty: the places are labels_by_place([aset])

    def places(self) -> tuple[dict, dict, dict]:
        """place -> label of each kind, in PLACE_KINDS order."""
        return self.entity_places, self.stances, self.debris_places

    def entity_items(self) -> Iterable[tuple[tuple[int, int], str]]:
        """((start, end), label) of each entity of the set, in order."""
        if len(self.entity_places) == len(self.aset.entities):  # one entity per span: the places are in order
            return self.entity_places.items()
        return zip(map(SPAN, self.aset.entities), map(LABEL, self.aset.entities))


RECENT_SETS = 8  # set_items remembers the items of this many sets, the latest ones
recent_items: dict[int, SetItems] = {}  # id(set) -> its items; an item holds its set, so the id stays its own


def set_items(aset: AnnotationSet) -> SetItems:
    """The items of ``aset``; the latest sets' are remembered by identity, since a build takes an
    article's sets through the gold choice, the annotations view and the agreement one after another."""
    known = recent_items.get(id(aset))
    if known is not None and known.aset is aset:
        return known
    items = make_set_items(aset)
    if len(recent_items) >= RECENT_SETS:
        del recent_items[next(iter(recent_items))]  # the oldest
    recent_items[id(aset)] = items
    return items


def make_set_items(aset: AnnotationSet) -> SetItems:
    keys = tuple(stance_keys(aset))
    stances = {(key, target): label for key, target, label in keys}
    entity_places = dict(zip(map(SPAN, aset.entities), map(LABEL, aset.entities)))
    debris_places = {(d.start, d.end): d.reason for d in aset.cleaning}
    if len(entity_places) == len(aset.entities):  # one entity per span, as in valid sets: the places are the items
        entities: Set = entity_places.items()
        entity_labels = Counter(entity_places.values())
    else:
        entities = set(zip(map(SPAN, aset.entities), map(LABEL, aset.entities)))
        entity_labels = Counter(map(ITEM_LABEL, entities))
    plain = (len(entity_places) == len(aset.entities) and len(stances) == len(aset.stances)
             and len(debris_places) == len(aset.cleaning)
             and all(entity_places.values()) and all(stances.values()) and all(debris_places.values()))
    return SetItems(aset, entities, entity_labels, keys, stances, debris_ranges(aset), entity_places, debris_places,
                    plain)


# --- one pair of annotators -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PairCounts:
    """What comparing two annotators' sets of one article adds to the totals."""

    entity_matched: int  # |A∩B| over (start, end, label)
    entity_annotated: int  # |A| + |B|
    entity_by_label: tuple[tuple[str, int, int], ...]  # (label, matched, annotated)
    stance_pairs: tuple[tuple[str, str], ...]  # (label of A, label of B) per (holder, target) both gave
    stance_unmatched: int  # (holder, target) pairs only one of the two gave
    debris_matched: int  # characters both mark as debris
    debris_annotated: int  # characters A marks + characters B marks
    debris_cells: tuple[int, int, int, int] | None  # characters: (both, A only, B only, neither); None without a length


def compare_pair(a: AnnotationSet, b: AnnotationSet, text_length: int | None = None) -> PairCounts:
    return compare_items(set_items(a), set_items(b), text_length)


def compare_all(sets: Sequence[AnnotationSet],
                text_length: int | None = None) -> tuple[list[PairCounts], list[SetItems]]:
    """``compare_pair`` of every pair of ``sets`` (in ``combinations`` order), and the items of each
    set (of none when there are fewer than two), each made once: when the set's first pair is
    compared, so that problems come as compare_pair raises them, pair by pair."""
    items: list[SetItems] = []
    pairs = []
    for i, j in combinations(range(len(sets)), 2):
        while len(items) <= j:  # (i, j) is the first pair of set j
            items.append(set_items(sets[len(items)]))
        pairs.append(compare_items(items[i], items[j], text_length))
    return pairs, items


def compare_items(a: SetItems, b: SetItems, text_length: int | None = None) -> PairCounts:
    both = a.entities & b.entities
    matched, annotated = Counter(map(ITEM_LABEL, both)), a.entity_labels + b.entity_labels
    by_label = tuple((label, matched.get(label, 0), annotated[label]) for label in sorted(annotated))
    sa, sb = a.stances, b.stances
    ra, rb = a.debris, b.debris
    common, ca, cb = shared_chars(ra, rb), covered(ra), covered(rb)
    cells = None
    if text_length is not None:
        for aset, ranges in ((a.aset, ra), (b.aset, rb)):
            if ranges and ranges[-1][1] > text_length:
                raise InputError([problem("E705", set_file(aset), f"article {aset.article_id}",
                                          start=ranges[-1][0], end=ranges[-1][1], annotator=aset.annotator,
                                          length=text_length)])
        cells = (common, ca - common, cb - common, text_length - ca - cb + common)
    return PairCounts(
        entity_matched=len(both), entity_annotated=len(a.entities) + len(b.entities), entity_by_label=by_label,
        stance_pairs=tuple((sa[k], sb[k]) for k in sorted(sa.keys() & sb.keys())),
        stance_unmatched=len(sa.keys() ^ sb.keys()),
        debris_matched=common, debris_annotated=ca + cb, debris_cells=cells)


# --- coefficients -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class F1:
    value: float
    matched: int  # items (or characters) both annotators of a pair marked, summed over pairs
    annotated: int  # |A| + |B|, summed over pairs


@dataclass(frozen=True, slots=True)
class Coefficient:
    """A kappa or an alpha; ``value`` is None when it is undefined, and ``note`` says why."""

    value: float | None
    items: int  # label pairs (kappa, characters for debris) or units with two or more values (alpha)
    note: str | None = None


def kappa(confusion: Mapping[tuple[str, str], int]) -> Coefficient:
    """Cohen's kappa (sklearn) of pooled label pairs: (label of A, label of B) -> count."""
    cells = [(pair, count) for pair, count in sorted(confusion.items()) if count > 0]
    items = sum(count for _, count in cells)
    if not items:
        return Coefficient(None, 0, NO_ITEMS)
    if len({label for pair, _ in cells for label in pair}) < 2:
        return Coefficient(None, items, ONE_LABEL)
    value = cohen_kappa(cells)
    return Coefficient(None, items, ONE_LABEL) if math.isnan(value) else Coefficient(value, items)


def cohen_kappa(cells: Sequence[tuple[tuple[str, str], int]]) -> float:
    """``sklearn.metrics.cohen_kappa_score(y1, y2, sample_weight=counts)`` of ((label A, label B), count)
    cells: ``cohen_kappa_numpy`` (the definition), or the same float by ``cohen_kappa_small`` when
    the table is small, as it is for one article (a build computes two kappas per article, and numpy's
    per-call overhead is most of their cost there)."""
    small = cohen_kappa_small(cells)
    return cohen_kappa_numpy(cells) if small is None else small


def cohen_kappa_numpy(cells: Sequence[tuple[tuple[str, str], int]]) -> float:
    """``sklearn.metrics.cohen_kappa_score(y1, y2, sample_weight=counts)`` of ((label A, label B), count)
    cells, by the same numpy operations in the same order (so the same float, nan where sklearn gives
    nan) without sklearn's input checks, which cost about 1 ms a call.
    tests/test_speed_features.py checks that both give the same value."""
    labels = sorted({label for pair, _ in cells for label in pair})
    index = {label: i for i, label in enumerate(labels)}
    confusion = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for (a, b), count in cells:
        confusion[index[a], index[b]] += count
    confusion = confusion.astype(np.float64)
    sum0, sum1 = np.sum(confusion, axis=0), np.sum(confusion, axis=1)
    expected = np.outer(sum0, sum1) / np.sum(sum0)
    weights = np.ones((len(labels), len(labels)), dtype=np.float64)
    np.fill_diagonal(weights, 0)
    denominator = np.sum(weights * expected)
    if denominator == 0:
        return math.nan
    return float(1 - np.sum(weights * confusion) / denominator)


EXACT = 2 ** 53  # integers below it are exact as float64: so are the counts, their sums and products
PAIRWISE_BLOCK = 128  # numpy sums longer arrays by halves (see numpy_sum)


def cohen_kappa_small(cells: Sequence[tuple[tuple[str, str], int]]) -> float | None:
    """``cohen_kappa_numpy`` in plain Python, the same float: None (use numpy) for a table of 12 or
    more labels, a negative count, or counts too large for every product of two margins to be an
    exact float.

    Within those bounds every step of the numpy version is exact except the divisions (correctly
    rounded, the same in Python) and one sum of floats, the expected disagreement, which
    ``numpy_sum`` adds in numpy's order. tests/test_speed_features.py checks it against
    ``cohen_kappa_numpy`` (and that against sklearn)."""
    labels = sorted({label for pair, _ in cells for label in pair})
    size = len(labels)
    if size * size >= PAIRWISE_BLOCK:
        return None
    index = {label: i for i, label in enumerate(labels)}
    sum0, sum1 = [0] * size, [0] * size  # np.sum(confusion, axis=0) and axis=1: the margins
    total = agreeing = 0
    for (a, b), count in cells:
        if count < 0:
            return None
        i, j = index[a], index[b]
        sum1[i] += count
        sum0[j] += count
        total += count
        agreeing += count if i == j else 0
    if total * total >= EXACT:
        return None
    if total == 0:
        return math.nan  # numpy: 0/0 makes every expected cell nan, and nan is not 0
    weighted = [0.0 if i == j else float(sum0[i] * sum1[j]) / total for i in range(size) for j in range(size)]
    denominator = numpy_sum(weighted)  # np.sum(weights * expected): the weights are 0 on the diagonal, else 1
    if denominator == 0:
        return math.nan
    return 1 - (total - agreeing) / denominator  # np.sum(weights * confusion) is the disagreeing count


def numpy_sum(values: Sequence[float]) -> float:
    """``np.sum`` of a float64 array of fewer than ``PAIRWISE_BLOCK`` values, in numpy's order
    (``pairwise_sum`` in numpy's ``loops_utils.h.src``), from numpy's identity +0.0: left to right
    below 8 values; else eight running sums, each over every eighth value, added as
    ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the values past the last multiple of 8, left to right."""
    n = len(values)
    if n >= PAIRWISE_BLOCK:
        raise ValueError(f"numpy_sum reproduces numpy's order below {PAIRWISE_BLOCK} values, not {n}")
    if n < 8:
        total = 0.0
        for value in values:
            total += value
        return total
    running = list(values[:8])
    whole = n - n % 8
    for start in range(8, whole, 8):
        for k in range(8):
            running[k] += values[start + k]
    total = (((running[0] + running[1]) + (running[2] + running[3]))
             + ((running[4] + running[5]) + (running[6] + running[7])))
    for value in values[whole:]:
        total += value
    return 0.0 + total


def alpha(units: Iterable[Unit]) -> Coefficient:
    """Krippendorff's nominal alpha (the ``krippendorff`` library) of units labelled by annotators."""
    pairable = [u for u in units if len(u) >= 2]
    if not pairable:
        return Coefficient(None, 0, NO_ITEMS)
    values = sorted({value for unit in pairable for _, value in unit})
    if len(values) < 2:
        return Coefficient(None, len(pairable), ONE_LABEL)
    rows = {a: i for i, a in enumerate(sorted({a for unit in pairable for a, _ in unit}))}
    matrix = np.full((len(rows), len(pairable)), np.nan)
    for column, unit in enumerate(pairable):
        for annotator, value in unit:
            matrix[rows[annotator], column] = values.index(value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
    return Coefficient(None, len(pairable), ONE_LABEL) if math.isnan(value) else Coefficient(value, len(pairable))


def entity_units(sets: Sequence[AnnotationSet]) -> list[Unit]:
    """One unit per span any annotator marked; the value is the label, or "O" where not marked."""
    labels = [{(e.start, e.end): e.label for e in s.entities} for s in sets]
    spans = sorted({span for by_span in labels for span in by_span})
    return [tuple((s.annotator, by_span.get(span, NO_ENTITY)) for s, by_span in zip(sets, labels)) for span in spans]


def stance_units(sets: Sequence[AnnotationSet]) -> list[Unit]:
    """One unit per (holder key, target); annotators without a stance on it are missing."""
    labels = [stance_labels(s) for s in sets]
    keys = sorted({k for by_key in labels for k in by_key})
    return [tuple((s.annotator, by_key[k]) for s, by_key in zip(sets, labels) if k in by_key) for k in keys]


# --- places annotators disagree on ------------------------------------------------------------

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
    for first, *others in zip(*(x.places() for x in items)):
        count += len(set(first).union(*others)) - len(set(first.items()).intersection(*(o.items() for o in others)))
    return count


def unanimous_places(items: Sequence[SetItems]) -> set[tuple[str, tuple]] | None:
    """The (kind, place) of the votes that are unanimous, found without making the votes: with one
    plain set per annotator, the places where every set has the same (place, label) item; None when
    the sets are not like that (then only the votes tell)."""
    if not one_plain_set_each(items):
        return None
    agreed = set()
    for kind, (first, *others) in zip(PLACE_KINDS, zip(*(x.places() for x in items))):
        agreed.update((kind, place) for place, _ in set(first.items()).intersection(*(o.items() for o in others)))
    return agreed


def one_plain_set_each(items: Sequence[SetItems]) -> bool:
    """One set per annotator, each plain: an annotator's label at a place is its one item's label."""
    return bool(items) and len({x.aset.annotator for x in items}) == len(items) and all(x.plain for x in items)


# --- per-item agreement for the `annotations` config ------------------------------------------

@dataclass(frozen=True, slots=True)
class ItemAgreement:
    """Per item of one set: the share of the other annotators with the same item; None without others."""

    entities: Mapping[str, float | None]  # entity id -> share with the same (start, end, label)
    stances: Mapping[str, float | None]  # stance id -> share with the same (holder key, target, label)
    debris: float | None  # mean character F1 of the set's debris with each other annotator's


def item_agreement(aset: AnnotationSet, others: Sequence[AnnotationSet]) -> ItemAgreement:
    """Per item of ``aset``, the share of the other annotators with the same item (gold sets and
    ``aset``'s own annotator are not others)."""
    others = [o for o in others if not o.is_gold and o.annotator != aset.annotator]
    if not others:
        return ItemAgreement({e.id: None for e in aset.entities}, {s.id: None for s in aset.stances}, None)
    mine, theirs = set_items(aset), [set_items(o) for o in others]
    share = [count / len(others) for count in range(len(others) + 1)]  # others who have an item -> its share
    entity_items = mine.entity_items()
    if len(theirs) == 1:  # as a rule: whether the other has the item (False, True index the shares as 0, 1)
        entity_support = map(theirs[0].entities.__contains__, entity_items)
    else:
        counts = Counter(chain.from_iterable(x.entities for x in theirs))  # item -> others who have it
        entity_support = map(counts.get, entity_items, repeat(0))
    entity_shares = map(share.__getitem__, entity_support)
    stance_support = Counter(chain.from_iterable(set(x.stance_keys) for x in theirs))
    debris = [f1_of(shared_chars(mine.debris, x.debris), covered(mine.debris) + covered(x.debris)) for x in theirs]
    return ItemAgreement(
        entities=dict(zip(map(ENTITY_ID, aset.entities), entity_shares)),
        stances={s.id: share[stance_support[key]] for s, key in zip(aset.stances, mine.stance_keys)},
        debris=sum(debris) / len(debris))


# --- the report -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Figures:
    articles: int  # articles compared (two or more annotators)
    pairs: int  # annotator pairs compared
    entity_f1: F1
    entity_f1_by_label: tuple[tuple[str, F1], ...]
    entity_alpha: Coefficient
    stance_kappa: Coefficient
    stance_unmatched: int
    stance_alpha: Coefficient
    debris_f1: F1
    debris_kappa: Coefficient
    disagreements: int


@dataclass(frozen=True, slots=True)
class ArticleAgreement:
    article_id: str
    annotators: tuple[str, ...]
    adjudicated: bool  # the article has a gold set, so its disagreements are resolved
    figures: Figures


@dataclass(frozen=True, slots=True)
class AgreementReport:
    corpus: Figures
    articles: tuple[ArticleAgreement, ...]  # articles with two or more annotators, by id
    single_annotator: tuple[str, ...]  # articles with one annotator: nothing to compare
    unadjudicated_disagreements: int  # disagreements in articles without a gold set

    def to_json(self) -> dict:
        """For manifest.json: stable key order, floats rounded to 6 decimals, undefined as null."""
        return {
            "articles_compared": self.corpus.articles,
            "articles_single_annotator": len(self.single_annotator),
            "unadjudicated_disagreements": self.unadjudicated_disagreements,
            "corpus": figures_json(self.corpus),
            "by_article": {a.article_id: article_json(a) for a in self.articles},
        }


def article_json(a: ArticleAgreement) -> dict:
    """An article's entry of the report's ``by_article``."""
    return {"annotators": list(a.annotators), "adjudicated": a.adjudicated, **figures_json(a.figures)}


def article_json_text(a: ArticleAgreement) -> str:
    """``json.dumps(article_json(a), indent=2, ensure_ascii=False)``, the entry as the manifest embeds
    it, written straight from the figures: the build writes one per article, and with ``indent``
    Python 3.11's json uses its pure-Python encoder (a generator per dict). tests/test_agreement.py
    checks that both give the same text for any figures."""
    f = a.figures
    return (
        "{\n"
        f'  "annotators": {strings_text(a.annotators, "  ")},\n'
        f'  "adjudicated": {"true" if a.adjudicated else "false"},\n'
        f'  "articles": {f.articles},\n'
        f'  "annotator_pairs": {f.pairs},\n'
        '  "entities": {\n'
        f'    "f1": {json_number(rounded(f.entity_f1.value))},\n'
        f'    "matched": {f.entity_f1.matched},\n'
        f'    "annotated": {f.entity_f1.annotated},\n'
        f'    "by_label": {by_label_text(f.entity_f1_by_label, "    ")},\n'
        f'    "alpha": {coefficient_text_json(f.entity_alpha, "    ")}\n'
        "  },\n"
        '  "stances": {\n'
        f'    "kappa": {coefficient_text_json(f.stance_kappa, "    ")},\n'
        f'    "unmatched": {f.stance_unmatched},\n'
        f'    "alpha": {coefficient_text_json(f.stance_alpha, "    ")}\n'
        "  },\n"
        '  "debris": {\n'
        f'    "char_f1": {f1_text(f.debris_f1, "    ")},\n'
        f'    "char_kappa": {coefficient_text_json(f.debris_kappa, "    ")}\n'
        "  },\n"
        f'  "disagreements": {f.disagreements}\n'
        "}")


def f1_text(f1: F1, pad: str) -> str:
    """``f1_json(f1)`` as indented JSON whose opening brace is on a line indented by ``pad``."""
    return (f'{{\n{pad}  "f1": {json_number(rounded(f1.value))},\n{pad}  "matched": {f1.matched},\n'
            f'{pad}  "annotated": {f1.annotated}\n{pad}}}')


def by_label_text(by_label: Sequence[tuple[str, F1]], pad: str) -> str:
    if not by_label:
        return "{}"
    inner = pad + "  "
    labels = dict(by_label).items()  # as figures_json makes them a dict
    return "{\n" + ",\n".join(f"{inner}{json_string(label)}: {f1_text(v, inner)}" for label, v in labels) + f"\n{pad}}}"


def coefficient_text_json(c: Coefficient, pad: str) -> str:
    """``coefficient_json(c)`` as indented JSON whose opening brace is on a line indented by ``pad``."""
    note = "null" if c.note is None else json_string(c.note)
    return (f'{{\n{pad}  "value": {json_number(rounded(c.value))},\n{pad}  "items": {c.items},\n'
            f'{pad}  "note": {note}\n{pad}}}')


def strings_text(values: Sequence[str], pad: str) -> str:
    if not values:
        return "[]"
    return "[\n" + ",\n".join(f"{pad}  {json_string(v)}" for v in values) + f"\n{pad}]"


def json_number(value: float | None) -> str:
    """A float (or None) as json writes it, NaN and the infinities by their JavaScript names."""
    if value is None:
        return "null"
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, DECIMALS)


def f1_json(f1: F1) -> dict:
    return {"f1": rounded(f1.value), "matched": f1.matched, "annotated": f1.annotated}


def coefficient_json(c: Coefficient) -> dict:
    return {"value": rounded(c.value), "items": c.items, "note": c.note}


def figures_json(f: Figures) -> dict:
    return {
        "articles": f.articles,
        "annotator_pairs": f.pairs,
        "entities": {**f1_json(f.entity_f1), "by_label": {label: f1_json(v) for label, v in f.entity_f1_by_label},
                     "alpha": coefficient_json(f.entity_alpha)},
        "stances": {"kappa": coefficient_json(f.stance_kappa), "unmatched": f.stance_unmatched,
                    "alpha": coefficient_json(f.stance_alpha)},
        "debris": {"char_f1": f1_json(f.debris_f1), "char_kappa": coefficient_json(f.debris_kappa)},
        "disagreements": f.disagreements,
    }


def pooled(pairs: Sequence[PairCounts], entity: Sequence[Unit], stance: Sequence[Unit], *,
           articles: int, disagreements: int, alpha_note: str | None) -> Figures:
    """Sum the counts of ``pairs``, then compute each figure once."""
    by_label: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for p in pairs:
        for label, matched, annotated in p.entity_by_label:
            by_label[label][0] += matched
            by_label[label][1] += annotated
    stance_confusion = Counter(pair for p in pairs for pair in p.stance_pairs)
    if any(p.debris_cells is None for p in pairs):
        debris_kappa = Coefficient(None, 0, NO_LENGTHS)
    else:
        cells = [sum(p.debris_cells[i] for p in pairs) for i in range(4)]
        debris_kappa = kappa({("debris", "debris"): cells[0], ("debris", "text"): cells[1],
                              ("text", "debris"): cells[2], ("text", "text"): cells[3]})
    entity_counts = (sum(p.entity_matched for p in pairs), sum(p.entity_annotated for p in pairs))
    debris_counts = (sum(p.debris_matched for p in pairs), sum(p.debris_annotated for p in pairs))
    no_alpha = Coefficient(None, 0, alpha_note)
    return Figures(
        articles=articles, pairs=len(pairs),
        entity_f1=F1(f1_of(*entity_counts), *entity_counts),
        entity_f1_by_label=tuple((label, F1(f1_of(m, n), m, n)) for label, (m, n) in sorted(by_label.items())),
        entity_alpha=no_alpha if alpha_note else alpha(entity),
        stance_kappa=kappa(stance_confusion),
        stance_unmatched=sum(p.stance_unmatched for p in pairs),
        stance_alpha=no_alpha if alpha_note else alpha(stance),
        debris_f1=F1(f1_of(*debris_counts), *debris_counts), debris_kappa=debris_kappa, disagreements=disagreements)


def group_by_article(sets: Iterable[AnnotationSet]) -> dict[str, tuple[AnnotationSet, ...]]:
    """Sets -> {article id: its sets sorted by annotator}, articles sorted by id."""
    grouped: dict[str, list[AnnotationSet]] = defaultdict(list)
    for s in sets:
        grouped[s.article_id].append(s)
    return {a: tuple(sorted(grouped[a], key=lambda s: s.annotator)) for a in sorted(grouped)}


def corpus_agreement(sets_by_article: Mapping[str, Sequence[AnnotationSet]],
                     text_lengths: Mapping[str, int] | None = None) -> AgreementReport:
    """Agreement of the annotators (gold sets excluded), per article and pooled over the corpus.

    ``text_lengths`` (article id -> characters of the raw text) is needed only for the debris kappa
    over every character; without it that figure is None with the note "text lengths not given".
    """
    articles, single, all_pairs = [], [], []
    corpus_entity_units: list[Unit] = []
    corpus_stance_units: list[Unit] = []
    unadjudicated = 0
    for article_id in sorted(sets_by_article):
        sets = sorted((s for s in sets_by_article[article_id] if not s.is_gold), key=lambda s: s.annotator)
        if len(sets) < 2:
            single.extend([article_id] if sets else [])
            continue
        length = None
        if text_lengths is not None:
            if article_id not in text_lengths:
                raise InputError([problem("E704", set_file(sets[0]), f"article {article_id}", id=article_id)])
            length = text_lengths[article_id]
        pairs, items = compare_all(sets, length)
        three = len(sets) >= 3
        entity, stance = (entity_units(sets), stance_units(sets)) if three else ([], [])
        corpus_entity_units.extend(entity)
        corpus_stance_units.extend(stance)
        places = disagreements(items)
        adjudicated = any(s.is_gold for s in sets_by_article[article_id])
        unadjudicated += 0 if adjudicated else places
        all_pairs.extend(pairs)
        articles.append(ArticleAgreement(
            article_id, tuple(s.annotator for s in sets), adjudicated,
            pooled(pairs, entity, stance, articles=1, disagreements=places,
                   alpha_note=None if three else "fewer than three annotators")))
    corpus = pooled(all_pairs, corpus_entity_units, corpus_stance_units, articles=len(articles),
                    disagreements=sum(a.figures.disagreements for a in articles),
                    alpha_note=None if any(len(a.annotators) >= 3 for a in articles) else FEWER_THAN_THREE)
    return AgreementReport(corpus, tuple(articles), tuple(single), unadjudicated)


# --- text -------------------------------------------------------------------------------------

def shown(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def coefficient_text(c: Coefficient) -> str:
    return shown(c.value) + (f" ({c.note})" if c.note else "")


def entity_counts(f1: F1) -> str:
    return f"{f1.matched} matches, {f1.annotated} entities by the two annotators of each pair"


def figure_rows(f: Figures) -> list[tuple[str, str, str]]:
    """(figure, value, what was compared) for the table and the card."""
    rows = [("Entities: exact-span F1", shown(f.entity_f1.value), entity_counts(f.entity_f1))]
    rows += [(f"  {label}", shown(v.value), entity_counts(v)) for label, v in f.entity_f1_by_label]
    rows += [
        ("Entities: Krippendorff's alpha (spans)", coefficient_text(f.entity_alpha), f"{f.entity_alpha.items} spans"),
        ("Stances: Cohen's kappa", coefficient_text(f.stance_kappa),
         f"{f.stance_kappa.items} holder-target pairs both gave; {f.stance_unmatched} given by one only"),
        ("Stances: Krippendorff's alpha", coefficient_text(f.stance_alpha), f"{f.stance_alpha.items} holder-target items"),
        ("Debris: character F1", shown(f.debris_f1.value),
         f"{f.debris_f1.matched} characters in common, {f.debris_f1.annotated} marked by the two annotators of each pair"),
        ("Debris: character kappa", coefficient_text(f.debris_kappa), f"{f.debris_kappa.items} characters"),
    ]
    return rows


def format_table(report: AgreementReport) -> str:
    """A plain-text table for the terminal: corpus figures, then one line per article."""
    c = report.corpus
    lines = [f"Annotator agreement: {c.articles} article(s) with two or more annotators, {c.pairs} annotator "
             f"pair(s); {len(report.single_annotator)} article(s) with one annotator not compared; gold sets "
             "not included.", ""]
    rows = [("figure", "value", "compared")] + figure_rows(c)
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    lines += [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]}".rstrip() for r in rows]
    lines += ["", f"Disagreements: {c.disagreements} place(s) where the annotators are not unanimous; "
                  f"{report.unadjudicated_disagreements} in articles without an adjudicated gold set."]
    if report.articles:
        head = ("article", "annotators", "entity F1", "stance kappa", "debris F1", "debris kappa", "disagreements")
        body = [(a.article_id, ",".join(a.annotators), shown(a.figures.entity_f1.value),
                 shown(a.figures.stance_kappa.value), shown(a.figures.debris_f1.value),
                 shown(a.figures.debris_kappa.value), str(a.figures.disagreements)) for a in report.articles]
        widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
        lines += ["", *("  ".join(f"{cell:<{w}}" for cell, w in zip(r, widths)).rstrip() for r in [head, *body])]
    return "\n".join(lines) + "\n"


MEANINGS = (
    ("Entity F1 (exact span)", "For each pair of annotators A and B, 2·|A∩B| / (|A|+|B|), where an entity "
     "matches only with the same start, end and label. 1.0 when neither marked anything."),
    ("Entity alpha", "Krippendorff's alpha (nominal) over the union of the spans any annotator marked, on articles "
     "with three or more annotators; an annotator who did not mark a span gives it the value \"no entity\"."),
    ("Stance kappa", "Cohen's kappa over the stance labels of the holder-target pairs both annotators of a pair "
     "labelled; holders are matched by Wikidata QID, else by their mention text lowercased."),
    ("Stance alpha", "Krippendorff's alpha (nominal) over the holder-target items, on articles with three or more "
     "annotators; an annotator without a stance on an item is missing."),
    ("Debris character F1", "F1 over the sets of raw character positions each annotator of a pair marks as "
     "page debris. 1.0 when neither marked any."),
    ("Debris character kappa", "Cohen's kappa over every character of the article, debris or not."),
)


def card_section(report: AgreementReport, *, heading: str = "### Annotator agreement") -> str:
    """Markdown for the dataset card's generated "Annotator agreement" section, under ``heading``
    (level 3 by default: DATASET_CARD.md puts the section inside "## Dataset creation")."""
    c = report.corpus
    intro = (f"Agreement is measured on the {c.articles} article(s) that two or more annotators labelled "
             f"independently ({c.pairs} annotator pair(s)); {len(report.single_annotator)} article(s) with one "
             "annotator are not compared, and gold sets are not part of it. Counts are summed over every pair "
             "of annotators of every article, then each figure is computed once. \"n/a\" marks a figure that "
             "is undefined, with the reason (kappa and alpha are undefined when only one label was used).")
    table = ["| Figure | Value | Compared |", "|---|---|---|"]
    table += [f"| {name} | {value} | {compared} |" for name, value, compared in figure_rows(c)
              if not name.startswith("  ")]
    labels = ["| Entity label | F1 | Compared |", "|---|---|---|"]
    labels += [f"| {label} | {shown(v.value)} | {entity_counts(v)} |" for label, v in c.entity_f1_by_label]
    meanings = "\n".join(f"- **{name}**: {text}" for name, text in MEANINGS)
    disagreements = (f"The annotators were not unanimous on {c.disagreements} place(s) (an entity span, a "
                     f"holder-target pair or a debris span); {report.unadjudicated_disagreements} of them are in "
                     "articles without an adjudicated gold set.")
    parts = [heading, intro, "\n".join(table)]
    if c.entity_f1_by_label:
        parts.append("\n".join(labels))
    parts += [meanings, disagreements]
    return "\n\n".join(parts) + "\n"
