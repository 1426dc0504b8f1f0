"""builder/article/align.py's one-call tokenization against its definition: every line through the pipeline on its own."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.article.align import one_call_safe, tokenize, tokenize_by_line
from factories import ARTICLE


PIECES = ["a", "Mr.", "e.g.", "a.m.", ".", "!", "?", "...", "“", "”", "’s", "n't", ":)", "(", ")", "-", "—", " ",
          "  ", "\n", "\n\n", "\t", "\xa0", "U.S.", "http://x.y/z", "Word", "2.5", "$5", "%", "'", '"', "é", "😀",
          "\u2028", "\r", ";", "St.", "\x1e", "?!", "۔"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_one_call_tokenization_equals_the_line_by_line_definition(pieces):
    text = "".join(pieces)
    assert one_call_safe("en")  # else tokenize would be tokenize_by_line, and this compared it with itself
    assert tokenize(text) == tokenize_by_line(text)


def test_tokenization_of_a_seed_like_article():
    tokens = tokenize(ARTICLE)
    assert tokens == tokenize_by_line(ARTICLE)
    assert tokens.texts[:3] == ["Continues", "after", "advertising"]
    assert tokens.sentences[tokens.texts.index("President")] == 1  # a new line is a new sentence


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES + ["51'Bright", '2"Kalidou', "Chance!Habib", "$8m.", "ab", "x.y"]), max_size=30),
       st.lists(st.integers(-2, 200), max_size=12))
def test_tokens_split_at_boundaries_in_one_call_equal_the_line_by_line_definition(pieces, boundaries):
    """Split tokens and their sentences: the array sentencizer over the whole text against spaCy's
    sentencizer over each line's split Doc."""
    text = "".join(pieces)
    tokens = tokenize(text, boundaries=boundaries)
    assert tokens == tokenize_by_line(text, boundaries=boundaries)
    starts, ends = tokens.bounds()
    assert all(b in starts or b in ends or not 0 < b < len(text) or text[b].isspace() or text[b - 1].isspace()
               for b in boundaries)  # every boundary inside the text and not beside whitespace is a token edge
