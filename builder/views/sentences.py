"""Tokens -> the sentences the ner rows and the stance contexts are cut from."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import NamedTuple

from builder.article.align import Tokens, joined_sentences


class Sentences(NamedTuple):
    """Token ranges of consecutive sentences (or rows), with the clean start and end of each."""

    ranges: list[tuple[int, int]]  # (first, end) token index of each
    starts: list[int]
    ends: list[int]


def sentence_ranges(sentence_of: Sequence[int]) -> list[tuple[int, int]]:
    """(first, end) token index range of each sentence, for non-decreasing sentence indexes."""
    ranges = []
    first = 0
    while first < len(sentence_of):  # one bisection per sentence, not one step per token
        end = bisect_right(sentence_of, sentence_of[first], first)
        ranges.append((first, end))
        first = end
    return ranges


def bounded(tokens: Tokens, ranges: list[tuple[int, int]]) -> Sentences:
    return Sentences(ranges, [tokens.starts[a] for a, _ in ranges], [tokens.ends[b - 1] for _, b in ranges])


def sentences_of(tokens: Tokens) -> Sentences:
    """The sentences as the sentencizer cut them (made once per article, for the ner rows and the stance contexts)."""
    return bounded(tokens, sentence_ranges(tokens.sentences))


def crossing_spans(spans: Sequence[tuple[int, int, str]], sentences: Sentences) -> list[tuple[int, int]]:
    """The spans that do not end inside the sentence where they start: the only ones that can join sentences."""
    lows, highs = sentences.starts, sentences.ends
    return [(start, end) for start, end, _ in spans
            if (row := bisect_right(lows, start) - 1) < 0 or end > highs[row]]


def row_sentences(tokens: Tokens, spans: Sequence[tuple[int, int, str]], sentences: Sentences) -> Sentences:
    """The ner rows: the sentences, where the spans that cross a sentence break have joined them."""
    if crossing := crossing_spans(spans, sentences):
        return bounded(tokens, sentence_ranges(joined_sentences(tokens, crossing)))
    return sentences
