"""Tests of builder/agreement/coefficients.py: kappa by hand, and its fast paths against sklearn and numpy.

Kappa without sklearn must be sklearn's float; kappa in plain Python must be the numpy float, bit
for bit; ``numpy_sum`` must add in numpy's order. (Kappa and alpha of whole reports are tested in
tests/agreement/test_corpus.py.)
"""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from builder.agreement.coefficients import (NO_ITEMS, Coefficient, alpha, cohen_kappa, cohen_kappa_numpy, cohen_kappa_small,
                                            kappa, numpy_sum)


def test_kappa_by_hand():
    # 10 items: agree 4 favor + 4 against, 1 each way apart. p_o = 0.8, p_e = 0.5·0.5 + 0.5·0.5 = 0.5,
    # kappa = (0.8 - 0.5) / (1 - 0.5) = 0.6
    got = kappa({("favor", "favor"): 4, ("favor", "against"): 1, ("against", "favor"): 1, ("against", "against"): 4})
    assert got == Coefficient(pytest.approx(0.6), 10, None)



# --- kappa --------------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.tuples(st.sampled_from("abcd"), st.sampled_from("abcd")), st.integers(1, 10**6),
                       min_size=1, max_size=10))
def test_cohen_kappa_equals_sklearn(confusion):
    cells = sorted(confusion.items())
    if len({label for pair, _ in cells for label in pair}) < 2:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = float(cohen_kappa_score([p[0] for p, _ in cells], [p[1] for p, _ in cells],
                                           sample_weight=[c for _, c in cells]))
    got = cohen_kappa(cells)
    assert got == expected or (math.isnan(got) and math.isnan(expected))


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.tuples(st.sampled_from("abcdefghijklm"), st.sampled_from("abcdefghijklm")),
                       st.one_of(st.integers(0, 5), st.integers(0, 10**8)), min_size=1, max_size=40))
def test_cohen_kappa_in_python_is_the_numpy_float(confusion):
    """The same float, bit for bit (or nan for nan), as the numpy operations; None past its bounds."""
    cells = sorted(confusion.items())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = cohen_kappa_numpy(cells)
    got = cohen_kappa_small(cells)
    labels = {label for pair, _ in cells for label in pair}
    if len(labels) >= 12 or sum(confusion.values()) ** 2 >= 2 ** 53:
        assert got is None
    else:
        assert got == expected or (math.isnan(got) and math.isnan(expected))
        assert cohen_kappa(cells) == got or math.isnan(got)


def test_cohen_kappa_in_python_leaves_negative_counts_to_numpy():
    assert cohen_kappa_small([(("a", "a"), 3), (("a", "b"), -1), (("b", "b"), 2)]) is None


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.floats(0, 1e6), st.floats(allow_nan=False), st.sampled_from([0.0, -0.0, 1e-300])),
                max_size=127))
def test_numpy_sum_adds_in_numpys_order(values):
    array = np.array(values, dtype=np.float64)
    side = math.isqrt(len(values))
    square = array[:side * side].reshape(side, side)  # as cohen_kappa sums its table
    with np.errstate(over="ignore", invalid="ignore"):
        sums = ((np.sum(array), numpy_sum(values)), (np.sum(square), numpy_sum(values[:side * side])))
    for expected, got in sums:
        assert got == float(expected) or (math.isnan(got) and math.isnan(expected))
        assert math.copysign(1, got) == math.copysign(1, expected) or math.isnan(got)


def test_numpy_sum_refuses_what_numpy_adds_by_halves():
    with pytest.raises(ValueError, match="below 128 values, not 128"):
        numpy_sum([1.0] * 128)


def test_alpha_without_pairable_units():
    assert alpha([(("a", "favor"),), (("b", "against"),)]) == Coefficient(None, 0, NO_ITEMS)
