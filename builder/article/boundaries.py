"""spaCy tokens -> the same tokens split wherever an annotation boundary falls inside one.

The pieces of a split token become tokens of a new ``Doc`` of the same text (spaCy's own
``Doc(vocab, words, spaces)``): nothing here decides where a word ends, only where an annotation said
it does. ``article/align.py`` splits the build's tokens; exporters place entities on the same splits.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import spacy
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH
from spacy.tokens import Doc


def inside_tokens(idx: np.ndarray, length: np.ndarray, space: np.ndarray,
                  boundaries: Iterable[int]) -> tuple[np.ndarray, np.ndarray]:
    """(token index, offset) of every boundary that falls strictly inside a non-space token, by offset;
    ``idx`` and ``length`` are the tokens' offsets and lengths in the same coordinates as the boundaries."""
    offsets = np.unique(np.fromiter(boundaries, dtype=np.int64))
    token = np.searchsorted(idx, offsets, side="right") - 1
    found = token >= 0
    token, offsets = token[found], offsets[found]
    found = (offsets < idx[token] + length[token]) & (offsets > idx[token]) & ~space[token]
    return token[found], offsets[found]


def split_doc(doc: Doc, tokens: np.ndarray, offsets: np.ndarray) -> Doc:
    """A new Doc of the same text whose token ``tokens[k]`` is cut at character ``offsets[k]`` (sorted by
    offset, in the doc's coordinates); the pieces keep the token's trailing whitespace on the last one."""
    cuts: dict[int, list[int]] = {}
    for token, offset in zip(tokens.tolist(), offsets.tolist()):
        cuts.setdefault(token, []).append(offset)
    words, spaces = [], []
    for token in doc:
        if token.i in cuts:
            edges = [0, *(offset - token.idx for offset in cuts[token.i]), len(token.text)]
            words += [token.text[a:b] for a, b in zip(edges, edges[1:])]
            spaces += [False] * (len(edges) - 2)
        else:
            words.append(token.text)
        spaces.append(bool(token.whitespace_))
    return Doc(doc.vocab, words=words, spaces=spaces)


def token_columns(doc: Doc) -> tuple[np.ndarray, ...]:
    """Each token's offset and length, and whether it is whitespace and punctuation, as numpy columns."""
    array = doc.to_array([IDX, LENGTH, IS_SPACE, IS_PUNCT]).astype(np.int64).reshape(-1, 4)
    return array[:, 0], array[:, 1], array[:, 2] == 1, array[:, 3] == 1


def doc_split_at(nlp: spacy.language.Language, text: str, boundaries: Iterable[int]) -> Doc:
    """``nlp``'s tokenizer over ``text``, each token a boundary falls inside split there (as the build splits
    them): the Doc an exporter places entities on."""
    doc = nlp.make_doc(text)
    idx, length, space, _ = token_columns(doc)
    inside, offsets = inside_tokens(idx, length, space, boundaries)
    return split_doc(doc, inside, offsets) if len(inside) else doc
