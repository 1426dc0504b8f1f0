"""builder/metrics.py: NER against seqeval, stance against hand-computed cases, LCS against a DP."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2
from sklearn.metrics import accuracy_score, f1_score

from builder.evaluation.metrics import (MISSING, Span, cleaning_scores, iob2_spans, lcs_length, max_overlap_matching,
                             ner_scores, prf, split_tag, stance_scores, text_f1)

LABELS = ("favor", "against", "neutral")


def seqeval_strict(y_true, y_pred) -> dict:
    return classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)


def spans_of(sentences: list[list[str]], article: str = "a") -> list[Span]:
    """Tags of sentences -> character spans, each token 1 char wide and 1 apart, sentences 1000 apart."""
    spans = []
    for s, tags in enumerate(sentences):
        base = 1000 * s
        spans += [Span(article, base + 2 * first, base + 2 * (end - 1) + 1, label)
                  for first, end, label in iob2_spans(tags)]
    return spans


def assert_equal_to_seqeval(true: list[list[str]], pred: list[list[str]]) -> None:
    ours = ner_scores(spans_of(true), spans_of(pred))
    theirs = seqeval_strict(true, pred)
    micro = theirs["micro avg"]
    assert ours.strict.precision == pytest.approx(micro["precision"])
    assert ours.strict.recall == pytest.approx(micro["recall"])
    assert ours.strict.f1 == pytest.approx(micro["f1-score"])
    assert ours.strict.gold == micro["support"]
    per_label = dict(ours.strict_per_label)
    assert set(per_label) == set(theirs) - {"micro avg", "macro avg", "weighted avg"}
    for label, score in per_label.items():
        assert score.precision == pytest.approx(theirs[label]["precision"])
        assert score.recall == pytest.approx(theirs[label]["recall"])
        assert score.f1 == pytest.approx(theirs[label]["f1-score"])
        assert score.gold == theirs[label]["support"]


# --- basics --------------------------------------------------------------------------------------

def test_prf_divides_by_zero_as_zero():
    assert prf(0, 0, 0).f1 == 0.0
    assert prf(0, 3, 0).precision == 0.0
    assert prf(2, 4, 2).f1 == pytest.approx(2 * 0.5 * 1.0 / 1.5)


@pytest.mark.parametrize("tag, expected", [("B-PERSON", ("B", "PERSON")), ("I-WORK_OF_ART", ("I", "WORK_OF_ART")),
                                           ("O", ("O", ""))])
def test_split_tag(tag, expected):
    assert split_tag(tag) == expected


@pytest.mark.parametrize("tags, spans", [
    (["B-PER", "I-PER", "O", "B-LOC"], [(0, 2, "PER"), (3, 4, "LOC")]),
    (["I-PER", "I-PER", "O"], []),                                    # no B: not an entity in strict IOB2
    (["B-PER", "I-LOC", "I-LOC"], [(0, 1, "PER")]),                   # I of another label ends the entity
    (["B-PER", "B-PER", "I-PER"], [(0, 1, "PER"), (1, 3, "PER")]),
    (["O", "B-DATE", "I-DATE", "I-DATE"], [(1, 4, "DATE")]),
    ([], []),
])
def test_iob2_spans(tags, spans):
    assert iob2_spans(tags) == spans


# --- NER against seqeval -------------------------------------------------------------------------

CASES = {
    "perfect": ([["B-PER", "I-PER", "O", "B-LOC"]], [["B-PER", "I-PER", "O", "B-LOC"]]),
    "boundary error": ([["B-PER", "I-PER", "O"]], [["B-PER", "O", "O"]]),
    "label error": ([["B-PER", "O"]], [["B-ORG", "O"]]),
    "stray I in prediction": ([["B-PER", "I-PER"]], [["I-PER", "I-PER"]]),
    "stray I in gold": ([["I-PER", "O", "B-LOC"]], [["B-PER", "O", "B-LOC"]]),
    "two sentences": ([["B-PER", "O"], ["B-PER", "I-PER"]], [["B-PER", "O"], ["O", "B-PER"]]),
    "label only predicted": ([["B-PER", "O"]], [["B-PER", "B-MISC"]]),
    "nothing predicted": ([["B-PER", "O", "B-LOC", "I-LOC"]], [["O", "O", "O", "O"]]),
    "adjacent same label": ([["B-PER", "B-PER", "O"]], [["B-PER", "I-PER", "O"]]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_ner_strict_equals_seqeval_on_cases(case):
    true, pred = CASES[case]
    assert_equal_to_seqeval(true, pred)


TAGS = st.sampled_from(["O", "O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-DATE", "I-DATE"])


@st.composite
def tagged_corpora(draw):
    lengths = draw(st.lists(st.integers(1, 12), min_size=1, max_size=5))
    true = [draw(st.lists(TAGS, min_size=n, max_size=n)) for n in lengths]
    pred = [draw(st.lists(TAGS, min_size=n, max_size=n)) for n in lengths]
    return true, pred


@settings(max_examples=300, deadline=None)
@given(tagged_corpora())
def test_ner_strict_equals_seqeval_property(corpora):
    true, pred = corpora
    if not spans_of(true) and not spans_of(pred):
        return  # seqeval reports no labels at all; ours has zeros
    assert_equal_to_seqeval(true, pred)


@settings(max_examples=200, deadline=None)
@given(tagged_corpora())
def test_partial_is_never_below_strict(corpora):
    true, pred = corpora
    scores = ner_scores(spans_of(true), spans_of(pred))
    assert scores.partial.correct >= scores.strict.correct
    assert scores.partial.f1 >= scores.strict.f1 - 1e-12


def test_partial_counts_overlap_with_same_label_only():
    gold = [Span("a", 0, 10, "PER"), Span("a", 20, 30, "LOC")]
    pred = [Span("a", 2, 10, "PER"), Span("a", 20, 25, "ORG"), Span("a", 10, 12, "PER")]
    scores = ner_scores(gold, pred)
    assert scores.strict.correct == 0
    assert (scores.partial.correct, scores.partial.predicted, scores.partial.gold) == (1, 3, 2)
    assert scores.partial.precision == pytest.approx(1 / 3)
    assert scores.partial.recall == pytest.approx(1 / 2)


def test_partial_matching_is_one_to_one():
    gold = [Span("a", 0, 5, "PER"), Span("a", 6, 10, "PER")]
    long_prediction = [Span("a", 0, 10, "PER")]
    assert ner_scores(gold, long_prediction).partial.correct == 1


def test_max_overlap_matching_finds_the_maximum_not_a_greedy_one():
    gold = [Span("a", 0, 5, "X"), Span("a", 10, 15, "X")]
    pred = [Span("a", 4, 12, "X"), Span("a", 0, 2, "X")]  # greedy would give pred 0 the first gold
    assert max_overlap_matching(gold, pred) == 2


def test_spans_of_different_articles_never_match():
    scores = ner_scores([Span("a", 0, 5, "PER")], [Span("b", 0, 5, "PER")])
    assert (scores.strict.correct, scores.partial.correct) == (0, 0)


# --- stance, hand-computed -----------------------------------------------------------------------

def test_stance_scores_hand_computed():
    gold = ["favor", "favor", "against", "against", "neutral", "neutral"]
    pred = ["favor", "against", "against", None, "neutral", "favor"]
    s = stance_scores(gold, pred, LABELS)
    # favor: 1 correct of 2 predicted, 2 gold -> P 1/2, R 1/2, F1 1/2
    # against: 1 correct of 2 predicted, 2 gold -> F1 1/2; neutral: 1 of 1 predicted, 2 gold -> P 1, R 1/2, F1 2/3
    assert s.accuracy == pytest.approx(3 / 6)
    assert dict(s.per_label)["favor"].f1 == pytest.approx(0.5)
    assert dict(s.per_label)["neutral"].f1 == pytest.approx(2 / 3)
    assert s.macro_f1 == pytest.approx((0.5 + 0.5 + 2 / 3) / 3)
    assert s.f_avg == pytest.approx(0.5)
    assert s.confusion == ((1, 1, 0, 0), (0, 1, 0, 1), (1, 0, 1, 0))
    assert (s.items, s.missing) == (6, 1)


def test_stance_f_avg_ignores_neutral():
    s = stance_scores(["neutral", "favor", "against"], ["neutral", "neutral", "against"], LABELS)
    # favor: P 0/0 -> 0, R 0 -> F1 0; against: F1 1 -> F_avg 0.5; neutral P 1/2 R 1 -> 2/3
    assert s.f_avg == pytest.approx(0.5)
    assert s.macro_f1 == pytest.approx((0 + 1 + 2 / 3) / 3)


def test_stance_macro_f1_skips_labels_absent_from_gold_and_predictions():
    s = stance_scores(["favor", "favor", "against"], ["favor", "against", "against"], LABELS)
    assert s.macro_f1 == pytest.approx((2 / 3 + 2 / 3) / 2)
    assert s.macro_f1 == pytest.approx(f1_score(["favor", "favor", "against"], ["favor", "against", "against"],
                                                average="macro"))


def test_stance_scores_agree_with_sklearn_on_a_mixed_case():
    gold = ["favor", "against", "neutral", "against", "favor", "neutral", "against"]
    pred = ["against", "against", "neutral", "favor", "favor", "against", "against"]
    s = stance_scores(gold, pred, LABELS)
    assert s.accuracy == pytest.approx(accuracy_score(gold, pred))
    assert s.macro_f1 == pytest.approx(f1_score(gold, pred, average="macro"))
    assert s.f_avg == pytest.approx(f1_score(gold, pred, labels=["favor", "against"], average="macro"))


def test_stance_missing_prediction_is_a_miss():
    s = stance_scores(["favor", "favor"], ["favor", None], LABELS)
    assert s.accuracy == 0.5
    assert dict(s.per_label)["favor"].precision == 1.0
    assert dict(s.per_label)["favor"].recall == 0.5
    assert s.confusion[0][-1] == 1 and MISSING == "MISSING"


def test_stance_without_favor_and_against_has_no_f_avg():
    assert stance_scores(["yes"], ["yes"], ("yes", "no")).f_avg is None


def test_stance_scores_rejects_unpaired_lists():
    with pytest.raises(ValueError, match="2 gold labels but 1 predictions"):
        stance_scores(["favor", "against"], ["favor"], LABELS)


def test_stance_scores_rejects_labels_outside_the_inventory():
    with pytest.raises(ValueError, match=r"labels \['maybe'\] are not in the inventory"):
        stance_scores(["favor"], ["maybe"], LABELS)


# --- cleaning ------------------------------------------------------------------------------------

def lcs_dp(a: str, b: str) -> int:
    row = [0] * (len(b) + 1)
    for ca in a:
        prev = 0
        for j, cb in enumerate(b, start=1):
            prev, row[j] = row[j], prev + 1 if ca == cb else max(row[j], row[j - 1])
    return row[-1]


@pytest.mark.parametrize("a, b, expected", [
    ("", "", 0), ("abc", "", 0), ("abc", "abc", 3), ("abcbdab", "bdcaba", 4),
    ("Kyiv – Київ", "Київ", 4), ("naïve café", "naive cafe", 8), ("\t\ta\n", "a\n", 2), ("日本語", "本", 1),
])
def test_lcs_length_cases(a, b, expected):
    assert lcs_length(a, b) == expected == lcs_dp(a, b)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab c\n€", max_size=40), st.text(alphabet="ab c\n€", max_size=40))
def test_lcs_length_equals_dynamic_programming(a, b):
    assert lcs_length(a, b) == lcs_dp(a, b) == lcs_length(b, a)


@given(st.text(max_size=60))
def test_lcs_of_a_text_with_itself_is_its_length(text):
    assert lcs_length(text, text) == len(text)
    assert text_f1(text, text) == 1.0


def test_cleaning_scores_hand_computed():
    gold = "Keep this.\nAnd this."
    kept_debris = "Keep this.\nBUY NOW\nAnd this."  # everything kept: recall 1
    scores = cleaning_scores([(gold, kept_debris), ("abc", "abc")])
    assert scores.kept_chars == len(gold) + 3
    assert scores.recall == 1.0
    assert scores.precision == pytest.approx((len(gold) + 3) / (len(kept_debris) + 3))
    assert scores.exact_match == 0.5
    assert scores.f1_mean == pytest.approx((text_f1(gold, kept_debris) + 1) / 2)


def test_cleaning_missing_prediction_scores_as_empty_text():
    scores = cleaning_scores([("abcd", None), ("ab", "ab")])
    assert (scores.missing, scores.kept_chars, scores.gold_chars) == (1, 2, 6)
    assert scores.recall == pytest.approx(2 / 6)
    assert scores.precision == 1.0
    assert scores.exact_match == 0.5


def test_text_f1_of_two_empty_texts_is_one():
    assert text_f1("", "") == 1.0
    assert text_f1("abc", "") == 0.0
