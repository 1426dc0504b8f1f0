"""builder/article/boundaries.py: a token split where a boundary falls inside it, as a spaCy Doc of the same text."""

import numpy as np
import pytest
import spacy

from builder.article.boundaries import doc_split_at, inside_tokens, split_doc, token_columns

NLP = spacy.blank("en")


def test_the_split_doc_has_the_same_text_and_whitespace():
    text = "51'Bright  scored, Chance!Habib too"
    doc = doc_split_at(NLP, text, [text.index("Bright"), text.index("!"), text.index("Habib")])
    assert doc.text == text
    assert [(t.text, t.whitespace_) for t in doc] == [("51'", ""), ("Bright", " "), (" ", ""), ("scored", ""),
                                                      (",", " "), ("Chance", ""), ("!", ""), ("Habib", " "),
                                                      ("too", "")]


def test_lexeme_attributes_of_the_pieces_come_from_the_vocabulary():
    doc = doc_split_at(NLP, "$8m.", [len("$8m")])
    assert [(t.text, t.is_punct, t.like_num) for t in doc] == [("$", False, False), ("8", False, True),
                                                              ("m", False, False), (".", True, False)]


@pytest.mark.parametrize("boundaries, expected", [
    ([], ([], [])),
    ([0, 2, 3, 9, 99, -5], ([], [])),  # token edges, a whitespace token, outside the text
    ([6, 5, 5], ([2, 2], [5, 6])),  # inside "left": each offset once, in order
])
def test_inside_tokens_finds_offsets_strictly_inside_non_space_tokens(boundaries, expected):
    idx, length, space, _ = token_columns(NLP.make_doc("He  left."))  # He, " ", left, .
    tokens, offsets = inside_tokens(idx, length, space, boundaries)
    assert (tokens.tolist(), offsets.tolist()) == expected


def test_split_doc_without_cuts_gives_the_same_tokens():
    doc = NLP.make_doc("No cut here.")
    assert [t.text for t in split_doc(doc, np.array([], dtype=np.int64), np.array([], dtype=np.int64))] == \
        [t.text for t in doc]
