"""Annotation sets of several annotators -> how far they agree, per article and over the corpus.

Only the annotators' own sets are compared; gold sets are left out. Every figure compares the sets
of one article pair by pair (the pair's first annotator is the smaller id; agreement_items.py), and
the corpus figure sums the counts over every pair of every article, then computes the figure once
(``pooled``; the arithmetic is in coefficients.py, the rendering in agreement_report.py).

- **Entity F1, exact span.** Items are (start, end, label). For annotators A and B,
  F1 = 2·|A∩B| / (|A| + |B|): symmetric, in [0, 1], and **1.0 when both marked nothing** (nothing
  to disagree on). Overall and per label (a label's F1 counts only the items with that label).
- **Stance kappa.** Cohen's kappa (``sklearn.metrics.cohen_kappa_score``'s arithmetic) over the labels of the
  (holder, target) pairs that *both* annotators gave a stance on. Holders are matched by the holder
  entity's QID, else its text lowercased (``builder.article.project.holder_key``); ``@author`` as such.
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

Other modules import agreement's names from here, those of the modules it is split into too. A
build computes all of this once per article, so the per-article path is kept cheap, each fast path
beside the definition it must equal (and tested against it): the items of a set are made once
(``set_items``); an article's sets are compared once (``compare_article``), and its figures, its
share of the corpus totals and the per-item agreement of the annotations view are all read from
that comparison; the places annotators agree on are found from the items (``disagreements``,
``unanimous_places``) without making the votes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, combinations, repeat
from operator import attrgetter

from builder.agreement.items import (RECENT_SETS, PairCounts, SetItems, compare_all, compare_pair, covered,
                              debris_ranges, entity_keys, set_file, set_items, shared_chars, stance_holders, stance_keys,
                              stance_labels)
from builder.agreement.report import (AgreementReport, ArticleAgreement, Figures, article_json, article_json_text,
                               card_section, format_table)
from builder.agreement.coefficients import (F1, NO_ITEMS, ONE_LABEL, Coefficient, Unit, alpha, cohen_kappa, cohen_kappa_numpy,
                           cohen_kappa_small, f1_of, kappa, numpy_sum)
from builder.errors import EXCERPT_CHARS, InputError, problem
from builder.records import AUTHOR, AnnotationSet

__all__ = [  # the names other modules import from here, those defined here and those of the split-off modules
    "F1", "FEWER_THAN_THREE", "NO_ITEMS", "NO_LENGTHS", "ONE_LABEL", "RECENT_SETS", "AgreementReport",
    "ArticleAgreement", "ArticleComparison", "Coefficient", "Figures", "ItemAgreement", "PairCounts", "Vote", "alpha",
    "article_figures", "article_json", "article_json_text", "card_section", "cohen_kappa", "cohen_kappa_numpy",
    "cohen_kappa_small", "compare_all", "compare_article", "compare_pair", "corpus_agreement", "covered",
    "debris_ranges", "disagreement_count", "disagreements", "entity_keys", "entity_units", "f1_of", "format_table",
    "group_by_article", "item_agreements", "kappa",
    "numpy_sum", "pooled", "set_file", "set_items", "shared_chars", "stance_holders", "stance_keys", "stance_labels",
    "stance_units", "unanimous_places", "votes",
]

PLACE_KINDS = ("entity", "stance", "debris")  # what annotators vote on, in the order votes are listed
NO_ENTITY = "O"  # the alpha value of an entity unit an annotator did not mark
FEWER_THAN_THREE = "no article with three or more annotators"
ANNOTATOR = attrgetter("annotator")
NO_LENGTHS = "text lengths not given"


# --- alpha units ------------------------------------------------------------------------------

def entity_units(items: Sequence[SetItems]) -> list[Unit]:
    """One unit per span any annotator marked; the value is the label, or "O" where not marked."""
    spans = sorted(set().union(*(x.entity_places for x in items)))
    return [tuple((x.aset.annotator, x.entity_places.get(span, NO_ENTITY)) for x in items) for span in spans]


def stance_units(items: Sequence[SetItems]) -> list[Unit]:
    """One unit per (holder key, target); annotators without a stance on it are missing."""
    keys = sorted(set().union(*(x.stances for x in items)))
    return [tuple((x.aset.annotator, x.stances[k]) for x in items if k in x.stances) for k in keys]


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
    for st, (key, text) in zip(aset.stances, set_items(aset).holders):
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


# --- one article's sets, compared once --------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ArticleComparison:
    """The annotators' own sets of one article compared once: each set's items and every pair's
    counts, which the article's figures (``article_figures``), the corpus totals and the per-item
    agreement of the annotations view (``item_agreements``) are all read from."""

    sets: tuple[AnnotationSet, ...]  # gold excluded, by annotator
    items: tuple[SetItems, ...]  # of each set; none when there are fewer than two sets
    pairs: tuple[PairCounts, ...]  # of every pair of sets, in ``combinations`` order
    entity_units: tuple[Unit, ...]  # with three or more sets, else none
    stance_units: tuple[Unit, ...]
    disagreements: int  # places the sets are not unanimous on

    @property
    def annotators(self) -> tuple[str, ...]:
        return tuple(s.annotator for s in self.sets)


def compare_article(sets: Iterable[AnnotationSet], text_length: int | None = None) -> ArticleComparison:
    """Compare the annotators' sets among ``sets`` (gold sets are left out); ``text_length`` (of the raw
    text) gives the debris cells of each pair. Problems come as ``compare_all`` raises them."""
    annotated = tuple(sorted((s for s in sets if not s.is_gold), key=ANNOTATOR))
    pairs, items = compare_all(annotated, text_length)
    three = len(items) >= 3
    return ArticleComparison(annotated, tuple(items), tuple(pairs),
                             tuple(entity_units(items)) if three else (), tuple(stance_units(items)) if three else (),
                             disagreements(items) if items else 0)


def article_figures(comparison: ArticleComparison) -> Figures:
    """The figures of one article with two or more annotators."""
    three = len(comparison.items) >= 3
    return pooled(comparison.pairs, comparison.entity_units, comparison.stance_units, articles=1,
                  disagreements=comparison.disagreements, alpha_note=None if three else "fewer than three annotators")


@dataclass(frozen=True, slots=True)
class ItemAgreement:
    """Per item of one set: the share of the other annotators with the same item; None without others."""

    entities: Mapping[str, float | None]  # entity id -> share with the same (start, end, label)
    stances: Mapping[str, float | None]  # stance id -> share with the same (holder key, target, label)
    debris: float | None  # mean character F1 of the set's debris with each other annotator's


def item_agreements(comparison: ArticleComparison) -> tuple[ItemAgreement, ...]:
    """Of each set (in ``comparison.sets`` order), per item, the share of the other annotators' sets with
    the same item (a set of the same annotator is not another's); for the annotations view."""
    sets, items = comparison.sets, comparison.items
    pair_of = dict(zip(combinations(range(len(items)), 2), comparison.pairs))
    found = []
    for i, aset in enumerate(sets):
        others = [j for j, other in enumerate(sets) if other.annotator != aset.annotator]
        if not others:
            found.append(ItemAgreement({e.id: None for e in aset.entities}, {s.id: None for s in aset.stances}, None))
            continue
        mine, theirs = items[i], [items[j] for j in others]
        share = [count / len(others) for count in range(len(others) + 1)]  # others who have an item -> its share
        if len(theirs) == 1:  # as a rule: whether the other has the item (False, True index the shares as 0, 1)
            entity_support = map(theirs[0].entities.__contains__, mine.entity_items)
        else:
            counts = Counter(chain.from_iterable(x.entities for x in theirs))  # item -> others who have it
            entity_support = map(counts.get, mine.entity_items, repeat(0))
        stance_support = Counter(chain.from_iterable(set(x.stance_keys) for x in theirs))
        debris = [f1_of(p.debris_matched, p.debris_annotated) for p in (pair_of[min(i, j), max(i, j)] for j in others)]
        found.append(ItemAgreement(
            entities=dict(zip(mine.ids, map(share.__getitem__, entity_support))),
            stances={s.id: share[stance_support[key]] for s, key in zip(aset.stances, mine.stance_keys)},
            debris=sum(debris) / len(debris)))
    return tuple(found)


# --- per article and over the corpus ----------------------------------------------------------

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
        comparison = compare_article(sets, length)
        corpus_entity_units.extend(comparison.entity_units)
        corpus_stance_units.extend(comparison.stance_units)
        adjudicated = any(s.is_gold for s in sets_by_article[article_id])
        unadjudicated += 0 if adjudicated else comparison.disagreements
        all_pairs.extend(comparison.pairs)
        articles.append(ArticleAgreement(article_id, comparison.annotators, adjudicated, article_figures(comparison)))
    corpus = pooled(all_pairs, corpus_entity_units, corpus_stance_units, articles=len(articles),
                    disagreements=sum(a.figures.disagreements for a in articles),
                    alpha_note=None if any(len(a.annotators) >= 3 for a in articles) else FEWER_THAN_THREE)
    return AgreementReport(corpus, tuple(articles), tuple(single), unadjudicated)
