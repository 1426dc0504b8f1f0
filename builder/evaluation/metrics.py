"""Pure metric functions: entity spans, stance labels and cleaned texts -> scores.

Nothing here reads a file. The definitions, so that every reported number means the same thing:

NER, strict
    An entity is ``(article_id, start, end, label)``, offsets into the cleaned text. A predicted
    entity is correct when gold has an entity with exactly the same span and label. Precision =
    correct / predicted, recall = correct / gold, F1 their harmonic mean; 0 when a denominator is 0.
    Micro = over all entities; per label = over the entities of that label. With gold taken from
    the ``ner`` config by :func:`iob2_spans`, this equals ``seqeval``'s
    ``classification_report(mode="strict", scheme=IOB2)`` (the tests compare them).

NER, partial (any overlap, same label)
    A predicted and a gold entity *match* when they have the same label and share at least one
    character. Each entity is matched at most once (a maximum one-to-one matching), so one long
    prediction cannot claim several gold entities. Precision = matched / predicted, recall =
    matched / gold. Partial scores are never below strict ones.

Stance
    Accuracy = correct / gold items (a missing prediction is wrong). Per label: precision =
    correct / predicted with that label, recall = correct / gold with that label. Macro-F1 = mean
    F1 over the labels that occur in gold or predictions (as scikit-learn's ``average="macro"``).
    F_avg (SemEval-2016 Task 6) = (F1(favor) + F1(against)) / 2. The confusion matrix counts gold
    label (row) x predicted label (column), with a column ``MISSING`` for items without prediction.

Cleaning, character level
    ``kept`` = length of the longest common subsequence (LCS) of the predicted and the gold cleaned
    text, in code points (order-preserving: a character counts once, and only in order).
    Precision = sum(kept) / sum(len(predicted)), recall = sum(kept) / sum(len(gold)) over the
    articles (micro), F1 their harmonic mean; ``f1_mean`` is the mean of per-article F1 (an empty
    prediction of an empty gold text scores 1). Exact match = share of articles whose prediction
    equals the gold text character for character.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MISSING = "MISSING"  # confusion-matrix column of gold items without prediction


@dataclass(frozen=True, slots=True)
class Span:
    """One entity: offsets are code points into the article's cleaned text, end exclusive."""

    article_id: str
    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float
    correct: int  # matched predictions (== matched gold items for one-to-one matching)
    predicted: int
    gold: int  # the support


@dataclass(frozen=True, slots=True)
class NerScores:
    strict: PRF
    partial: PRF
    strict_per_label: tuple[tuple[str, PRF], ...]  # labels of gold or predictions, sorted
    partial_per_label: tuple[tuple[str, PRF], ...]


@dataclass(frozen=True, slots=True)
class StanceScores:
    accuracy: float
    macro_f1: float
    f_avg: float | None  # None when the labels have no 'favor' and 'against'
    per_label: tuple[tuple[str, PRF], ...]  # in the order of ``labels``
    labels: tuple[str, ...]
    confusion: tuple[tuple[int, ...], ...]  # rows: gold labels; columns: labels + MISSING
    items: int
    missing: int


@dataclass(frozen=True, slots=True)
class CleaningScores:
    precision: float
    recall: float
    f1: float
    f1_mean: float
    exact_match: float
    kept_chars: int
    predicted_chars: int
    gold_chars: int
    articles: int
    missing: int


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def harmonic(precision: float, recall: float) -> float:
    return ratio(2 * precision * recall, precision + recall)


def prf(correct: int, predicted: int, gold: int) -> PRF:
    precision, recall = ratio(correct, predicted), ratio(correct, gold)
    return PRF(precision, recall, harmonic(precision, recall), correct, predicted, gold)


# --- NER ---------------------------------------------------------------------------------------

def split_tag(tag: str) -> tuple[str, str]:
    """'B-PERSON' -> ('B', 'PERSON'); 'O' -> ('O', '')."""
    prefix, _, label = tag.partition("-")
    return (prefix, label) if label else ("O", "")


def iob2_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Token spans ``(first, end_exclusive, label)`` of an IOB2 tag sequence, read strictly: an
    entity starts at ``B-X`` and continues over ``I-X``; an ``I-`` that continues nothing is not
    an entity (as seqeval's strict IOB2 mode)."""
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tags):
        prefix, label = split_tag(tags[i])
        if prefix != "B":
            i += 1
            continue
        end = i + 1
        while end < len(tags) and split_tag(tags[end]) == ("I", label):
            end += 1
        spans.append((i, end, label))
        i = end
    return spans


def overlaps(a: Span, b: Span) -> bool:
    return a.article_id == b.article_id and a.label == b.label and a.start < b.end and b.start < a.end


def max_overlap_matching(gold: Sequence[Span], predicted: Sequence[Span]) -> int:
    """Size of a maximum one-to-one matching of overlapping same-label spans (augmenting paths)."""
    candidates = [[g for g, gs in enumerate(gold) if overlaps(p, gs)] for p in predicted]
    owner: dict[int, int] = {}  # gold index -> predicted index

    def augment(p: int, seen: set[int]) -> bool:
        for g in candidates[p]:
            if g in seen:
                continue
            seen.add(g)
            if g not in owner or augment(owner[g], seen):
                owner[g] = p
                return True
        return False

    return sum(augment(p, set()) for p in range(len(predicted)))


def group(spans: Iterable[Span]) -> dict[tuple[str, str], list[Span]]:
    """Spans by (article, label), sorted, so that matching runs on small groups."""
    groups: dict[tuple[str, str], list[Span]] = {}
    for span in sorted(set(spans), key=lambda s: (s.article_id, s.label, s.start, s.end)):
        groups.setdefault((span.article_id, span.label), []).append(span)
    return groups


def ner_scores(gold: Iterable[Span], predicted: Iterable[Span]) -> NerScores:
    """Strict and partial entity scores, micro and per label. Duplicate spans count once."""
    gold_groups, pred_groups = group(gold), group(predicted)
    labels = sorted({label for _, label in gold_groups} | {label for _, label in pred_groups})
    count: dict[str, Counter] = {label: Counter() for label in labels}
    for key in sorted(set(gold_groups) | set(pred_groups)):
        g, p = gold_groups.get(key, []), pred_groups.get(key, [])
        tally = count[key[1]]
        tally["gold"] += len(g)
        tally["predicted"] += len(p)
        tally["strict"] += len(set(g) & set(p))
        tally["partial"] += max_overlap_matching(g, p)
    total = sum(count.values(), Counter())

    def view(kind: str, tally: Counter) -> PRF:
        return prf(tally[kind], tally["predicted"], tally["gold"])

    return NerScores(
        strict=view("strict", total),
        partial=view("partial", total),
        strict_per_label=tuple((label, view("strict", count[label])) for label in labels),
        partial_per_label=tuple((label, view("partial", count[label])) for label in labels),
    )


# --- stance ------------------------------------------------------------------------------------

def stance_scores(gold: Sequence[str], predicted: Sequence[str | None], labels: Sequence[str]) -> StanceScores:
    """Scores of predicted stance labels against gold, item by item; ``None`` = no prediction.

    ``labels`` is the label inventory (the ClassLabel names), which orders the per-label rows and
    the confusion matrix. Every gold and predicted label must be one of them.
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions; pair them item by item")
    labels = tuple(labels)
    unknown = sorted({x for x in (*gold, *predicted) if x is not None and x not in labels})
    if unknown:
        raise ValueError(f"labels {unknown} are not in the inventory {list(labels)}")
    columns = (*labels, MISSING)
    pairs = Counter((g, MISSING if p is None else p) for g, p in zip(gold, predicted))
    confusion = tuple(tuple(pairs[(g, p)] for p in columns) for g in labels)
    per_label = tuple(
        (label, prf(pairs[(label, label)], sum(pairs[(g, label)] for g in labels), sum(pairs[(label, p)] for p in columns)))
        for label in labels
    )
    present = [score for _, score in per_label if score.gold or score.predicted]
    by_label = dict(per_label)
    f_avg = (by_label["favor"].f1 + by_label["against"].f1) / 2 if {"favor", "against"} <= set(labels) else None
    return StanceScores(
        accuracy=ratio(sum(pairs[(label, label)] for label in labels), len(gold)),
        macro_f1=ratio(sum(score.f1 for score in present), len(present)),
        f_avg=f_avg,
        per_label=per_label,
        labels=labels,
        confusion=confusion,
        items=len(gold),
        missing=sum(p is None for p in predicted),
    )


# --- cleaning ----------------------------------------------------------------------------------

def lcs_length(a: str, b: str) -> int:
    """Length of the longest common subsequence of two strings, in code points.

    Bit-parallel (Hyyrö 2004): one bit per character of ``a`` in a Python integer, a few integer
    operations per character of ``b``; exact, and fast enough for long articles.
    """
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return 0
    masks: dict[str, int] = {}
    for i, char in enumerate(a):
        masks[char] = masks.get(char, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for char in b:
        u = v & masks.get(char, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - v.bit_count()


def text_f1(gold: str, predicted: str) -> float:
    if not gold and not predicted:
        return 1.0
    kept = lcs_length(gold, predicted)
    return harmonic(ratio(kept, len(predicted)), ratio(kept, len(gold)))


def cleaning_scores(pairs: Sequence[tuple[str, str | None]]) -> CleaningScores:
    """Character-level scores of ``(gold_clean_text, predicted_text or None)`` per article;
    a missing prediction (None) is scored as an empty text."""
    kept = predicted_chars = gold_chars = exact = 0
    f1s = []
    for gold, predicted in pairs:
        text = predicted or ""
        common = lcs_length(gold, text)
        kept += common
        predicted_chars += len(text)
        gold_chars += len(gold)
        exact += predicted is not None and text == gold
        f1s.append(text_f1(gold, text))
    precision, recall = ratio(kept, predicted_chars), ratio(kept, gold_chars)
    return CleaningScores(
        precision=precision,
        recall=recall,
        f1=harmonic(precision, recall),
        f1_mean=ratio(sum(f1s), len(f1s)),
        exact_match=ratio(exact, len(pairs)),
        kept_chars=kept,
        predicted_chars=predicted_chars,
        gold_chars=gold_chars,
        articles=len(pairs),
        missing=sum(predicted is None for _, predicted in pairs),
    )
