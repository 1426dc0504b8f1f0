"""Cleaned text -> spaCy tokens and sentences; entity spans -> BIO tags, strictly aligned.

Tokenizer: ``spacy.blank(language)`` with the rule-based ``sentencizer`` (no model download). Each line
of the cleaned text is tokenized on its own, so a section heading is never glued to the next sentence.
Whitespace tokens are dropped. An entity boundary inside a token is an error (E201), never snapped;
an entity that the sentencizer cut in two joins the sentences it spans.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import spacy

from .errors import Problem, excerpt_around, problem
from .records import Token


@lru_cache(maxsize=4)
def pipeline(language: str = "en") -> spacy.language.Language:
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    return nlp


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line, without its line break."""
    spans = []
    start = 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def tokenize(text: str, language: str = "en") -> tuple[Token, ...]:
    """Tokens with clean offsets and a sentence index that runs over the whole text."""
    lines = line_spans(text)
    tokens: list[Token] = []
    sentence = -1
    for (line_start, _), doc in zip(lines, pipeline(language).pipe(text[a:b] for a, b in lines)):
        for sent in doc.sents:
            sentence += 1
            for token in sent:
                if not token.is_space:
                    tokens.append(Token(token.text, line_start + token.idx,
                                        line_start + token.idx + len(token.text), sentence))
    return renumber_sentences(tokens)


def renumber_sentences(tokens: list[Token]) -> tuple[Token, ...]:
    """Sentence indexes 0, 1, 2, ... with no gaps (a sentence may have held only whitespace)."""
    numbering: dict[int, int] = {}
    return tuple(Token(t.text, t.start, t.end, numbering.setdefault(t.sentence, len(numbering))) for t in tokens)


def boundary_problems(tokens: Sequence[Token], spans: Iterable[tuple[int, int, str]], text: str,
                      file: str, where: str) -> list[Problem]:
    """E201 for every span (clean start, end, description) whose boundary falls inside a token."""
    starts = {t.start for t in tokens}
    ends = {t.end for t in tokens}
    found = []
    for start, end, label in spans:
        for offset, ok in ((start, start in starts), (end, end in ends)):
            if not ok:
                token = next((t for t in tokens if t.start < offset < t.end), None)
                if token is None:  # boundary in whitespace: the span starts or ends with a space
                    token = next((t for t in tokens if t.start >= offset), tokens[-1] if tokens else Token("", 0, 0, 0))
                found.append(problem("E201", file, f"{where}, {label}, clean offsets [{start}, {end})",
                                     excerpt=excerpt_around(text, start, end), offset=offset, token=token.text,
                                     token_start=token.start, token_end=token.end))
    return found


def join_sentences(tokens: Sequence[Token], spans: Iterable[tuple[int, int]]) -> tuple[Token, ...]:
    """Merge sentences that an entity span crosses, so no entity is split between two rows."""
    sentence_of = {t.start: t.sentence for t in tokens}
    sentence_end = {t.end: t.sentence for t in tokens}
    merge: dict[int, int] = {}
    for start, end in spans:
        first, last = sentence_of.get(start), sentence_end.get(end)
        if first is not None and last is not None:
            for s in range(first + 1, last + 1):
                merge[s] = merge.get(first, first)
    if not merge:
        return tuple(tokens)
    return renumber_sentences([Token(t.text, t.start, t.end, merge.get(t.sentence, t.sentence)) for t in tokens])


def bio_tags(tokens: Sequence[Token], spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """IOB2 tag per token for aligned (start, end, label) spans."""
    index_of_start = {t.start: i for i, t in enumerate(tokens)}
    tags = ["O"] * len(tokens)
    for start, end, label in spans:
        i = index_of_start[start]
        tags[i] = f"B-{label}"
        i += 1
        while i < len(tokens) and tokens[i].end <= end:
            tags[i] = f"I-{label}"
            i += 1
    return tags
