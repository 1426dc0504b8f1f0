"""One article's annotation sets -> their comparison: every pair's counts, the alpha units, the per-item agreement.

An article's sets are compared once (``compare_article``; gold sets are left out), and its figures
(``corpus.article_figures``), its share of the corpus totals and the per-item agreement of the
annotations view (``item_agreements``) are all read from that comparison. The gold choice is
handed the comparison's items, so that each set's items are made once per article.

Krippendorff's alpha needs units, made here for articles with three or more annotators: stance
units are (holder, target) items, and an annotator without a stance on the item is missing; entity
units are the union of the spans (start, end) any annotator marked, and an annotator who did not
mark a span gives it the value "O" (every annotator reads the whole text), so a boundary
disagreement is a disagreement on two units.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, combinations, repeat
from operator import attrgetter

from builder.agreement.coefficients import Unit, f1_of
from builder.agreement.items import KINDS, SetItems
from builder.agreement.pairs import PairCounts, compare_all
from builder.agreement.votes import disagreements
from builder.records import AnnotationSet

NO_ENTITY = "O"  # the alpha value of an entity unit an annotator did not mark
ANNOTATOR = attrgetter("annotator")


def entity_units(items: Sequence[SetItems]) -> list[Unit]:
    """One unit per span any annotator marked; the value is the label, or "O" where not marked."""
    places = [x.kinds["entity"].places for x in items]
    spans = sorted(set().union(*places))
    return [tuple((x.aset.annotator, p.get(span, NO_ENTITY)) for x, p in zip(items, places)) for span in spans]


def stance_units(items: Sequence[SetItems]) -> list[Unit]:
    """One unit per (holder key, target); annotators without a stance on it are missing."""
    places = [x.kinds["stance"].places for x in items]
    keys = sorted(set().union(*places))
    return [tuple((x.aset.annotator, p[k]) for x, p in zip(items, places) if k in p) for k in keys]


@dataclass(frozen=True, slots=True)
class ArticleComparison:
    """The annotators' own sets of one article compared once: each set's items and every pair's
    counts, which the article's figures (``corpus.article_figures``), the corpus totals and the per-item
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


@dataclass(frozen=True, slots=True)
class ItemAgreement:
    """Per item of one set: the share of the other annotators with the same item; None without others."""

    shares: Mapping[str, Mapping[str, float | None]]  # kind (of KINDS, one with ids) -> item id -> share
    # of the others with the same (place, label) item: e.g. "entity" -> {"e1": 0.5}
    debris: float | None  # mean character F1 of the set's debris with each other annotator's


def item_agreements(comparison: ArticleComparison) -> tuple[ItemAgreement, ...]:
    """Of each set (in ``comparison.sets`` order), per item, the share of the other annotators' sets with
    the same item (a set of the same annotator is not another's); for the annotations view."""
    sets, items = comparison.sets, comparison.items
    pair_of = dict(zip(combinations(range(len(items)), 2), comparison.pairs))
    identified = [name for name, kind in KINDS.items() if kind.ids]  # the kinds whose items have a share
    found = []
    for i, aset in enumerate(sets):
        others = [j for j, other in enumerate(sets) if other.annotator != aset.annotator]
        if not others:
            found.append(ItemAgreement({kind: dict.fromkeys(KINDS[kind].ids(aset)) for kind in identified}, None))
            continue
        mine, theirs = items[i], [items[j] for j in others]
        share = [count / len(others) for count in range(len(others) + 1)]  # others who have an item -> its share
        shares = {}
        for kind in identified:
            if len(theirs) == 1:  # as a rule: whether the other has the item (False, True index the shares as 0, 1)
                support = map(theirs[0].kinds[kind].distinct.__contains__, mine.kinds[kind].items)
            else:
                counts = Counter(chain.from_iterable(x.kinds[kind].distinct for x in theirs))  # item -> others with it
                support = map(counts.get, mine.kinds[kind].items, repeat(0))
            shares[kind] = dict(zip(mine.kinds[kind].ids, map(share.__getitem__, support)))
        debris = [f1_of(p.debris_matched, p.debris_annotated) for p in (pair_of[min(i, j), max(i, j)] for j in others)]
        found.append(ItemAgreement(shares, sum(debris) / len(debris)))
    return tuple(found)
