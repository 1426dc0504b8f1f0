"""builder/views/sentences.py: the sentencizer's sentences, and the ner rows where an entity crosses a break."""

from __future__ import annotations

import pytest

from builder.article.align import tokenize
from builder.views.sentences import Sentences, crossing_spans, row_sentences, sentence_ranges, sentences_of

TEXT = "One here. Two there. Three."


@pytest.mark.parametrize("sentence_of, ranges", [
    ([], []), ([0], [(0, 1)]), ([0, 0, 1], [(0, 2), (2, 3)]), ([0, 1, 1, 2], [(0, 1), (1, 3), (3, 4)]),
    ([3, 3, 3], [(0, 3)])])
def test_sentence_ranges_cut_at_each_new_sentence_index(sentence_of, ranges):
    assert sentence_ranges(sentence_of) == ranges


def test_sentences_have_token_ranges_and_clean_bounds():
    assert sentences_of(tokenize(TEXT)) == Sentences(
        [(0, 3), (3, 6), (6, 8)], [0, len("One here. "), len("One here. Two there. ")],
        [len("One here."), len("One here. Two there."), len(TEXT)])


def test_no_tokens_no_sentences():
    assert sentences_of(tokenize("")) == Sentences([], [], [])


@pytest.mark.parametrize("span, crosses", [
    ((0, len("One")), False),
    ((len("One "), len("One here. Two")), True),  # from the first sentence into the second
    ((len("One here. "), len("One here. Two there.")), False),  # a whole sentence
    ((len("One here. Two "), len("One here. Two there. Three")), True)])
def test_a_span_crosses_when_it_ends_after_the_sentence_where_it_starts(span, crosses):
    found = crossing_spans([(*span, "X")], sentences_of(tokenize(TEXT)))
    assert found == ([span] if crosses else [])


def test_without_crossing_spans_the_rows_are_the_sentences():
    tokens = tokenize(TEXT)
    sentences = sentences_of(tokens)
    assert row_sentences(tokens, [(0, len("One"), "X")], sentences) is sentences


def test_a_crossing_span_joins_the_sentences_it_spans_and_only_those():
    tokens = tokenize(TEXT)
    rows = row_sentences(tokens, [(len("One "), len("One here. Two"), "X")], sentences_of(tokens))
    assert rows == Sentences([(0, 6), (6, 8)], [0, len("One here. Two there. ")],
                             [len("One here. Two there."), len(TEXT)])


def test_a_span_whose_ends_are_not_token_bounds_joins_nothing():
    tokens = tokenize(TEXT)
    rows = row_sentences(tokens, [(len("On"), len("One here. Tw"), "X")], sentences_of(tokens))
    assert rows.ranges == [(0, 3), (3, 6), (6, 8)]
