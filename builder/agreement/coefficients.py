"""Counts summed over annotator pairs -> the agreement coefficients: F1, Cohen's kappa, Krippendorff's alpha.

- **F1.** F1 = 2·|A∩B| / (|A| + |B|): symmetric, in [0, 1], and **1.0 when both marked nothing**
  (nothing to disagree on).
- **Cohen's kappa** (``sklearn.metrics.cohen_kappa_score``'s arithmetic) of pooled (label of A,
  label of B) pairs. When both annotators used one and the same label, kappa is undefined (sklearn
  gives nan): it is reported as ``None`` / null with the note "undefined: only one label used".
- **Krippendorff's alpha** (the ``krippendorff`` library, nominal) of units, each the values the
  annotators who gave one put on it.

A build computes two kappas per article, so kappa of a small table is computed in plain Python to
numpy's float (``cohen_kappa_small``), beside the numpy definition it must equal (and is tested
against); the figures are NamedTuples, which are cheaper to make than frozen dataclasses.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import krippendorff
import numpy as np

ONE_LABEL = "undefined: only one label used"
NO_ITEMS = "no items compared"

Unit = tuple[tuple[str, str], ...]  # one alpha unit: (annotator, value) for each annotator who gave one


def f1_of(matched: int, annotated: int) -> float:
    """2·|A∩B| / (|A|+|B|), given ``annotated`` = |A|+|B|; 1.0 when both are empty."""
    return 1.0 if annotated == 0 else 2 * matched / annotated


class F1(NamedTuple):
    value: float
    matched: int  # items (or characters) both annotators of a pair marked, summed over pairs
    annotated: int  # |A| + |B|, summed over pairs


class Coefficient(NamedTuple):
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
    the table is small, as it is for one article (a build computes two kappas per article)."""
    small = cohen_kappa_small(cells)
    return cohen_kappa_numpy(cells) if small is None else small


def cohen_kappa_numpy(cells: Sequence[tuple[tuple[str, str], int]]) -> float:
    """``sklearn.metrics.cohen_kappa_score(y1, y2, sample_weight=counts)`` of ((label A, label B), count)
    cells, by the same numpy operations in the same order (so the same float, nan where sklearn gives
    nan) without sklearn's input checks, which cost more than the arithmetic.
    tests/agreement/test_coefficients.py checks that both give the same value."""
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
    ``numpy_sum`` adds in numpy's order. tests/agreement/test_coefficients.py checks it against
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
