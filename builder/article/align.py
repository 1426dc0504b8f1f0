"""Cleaned text -> spaCy tokens and sentences; entity spans -> BIO tags, strictly aligned.

Tokenizer: ``spacy.blank(language)`` with the rule-based ``sentencizer`` (no model download). Each line
of the cleaned text is tokenized on its own, so a section heading is never glued to the next sentence.
Whitespace tokens are dropped. An entity boundary inside a token is an error (E201), never snapped;
an entity that the sentencizer cut in two joins the sentences it spans.

How it runs fast, with the same result: the tokenizer splits text at whitespace and tokenizes each
run of non-space characters on its own, so one call over the whole text, with every line break
replaced by a whitespace character that no tokenizer rule mentions (``LINE_BREAK``), gives the
non-space tokens of the line-by-line calls. The sentencizer's rule (a sentence starts at the first
token after one of its punctuation characters that is not punctuation itself) is then applied over
the token arrays, restarting at every line, instead of once per line Doc. A language whose tokenizer
rules contain whitespace is tokenized line by line through the pipeline, as the rule above says.
Tokens are kept column by column (``Tokens``), which is what the views and the writer need.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import spacy
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH

from builder.errors import Problem, excerpt_around, problem
from builder.records import Token

LINE_BREAK = "\x1e"  # the whitespace that stands for "\n" in the one-call tokenization (no rule names it)
WHITESPACE_RULES = {" ", "\t", "\n", "\xa0"}  # single-whitespace special cases of spaCy's base exceptions


RENEW_EVERY = 10_000  # texts: then a new pipeline replaces the one whose vocabulary grew with every new word


@lru_cache(maxsize=4)
def pipeline(language: str = "en") -> spacy.language.Language:
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    return nlp


class Renewal:
    """spaCy keeps every word type it has seen (lexeme, string) for the life of the pipeline, so a
    long build would grow with the corpus' vocabulary. The pipeline is made anew every
    ``RENEW_EVERY`` texts; tokens do not depend on what the vocabulary already held."""

    texts = 0

    @classmethod
    def count(cls) -> None:
        cls.texts += 1
        if cls.texts % RENEW_EVERY == 0:
            pipeline.cache_clear()


class TokenTexts(Sequence[str]):
    """The token strings of a text, cut from it on first use (a list that compares like one).

    The build writes tokens from their offsets (``rows.py``), so most articles never need one
    Python string per token; code that reads them gets the same list as before."""

    __slots__ = ("text", "starts", "ends", "_list")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, text: str, starts: Sequence[int], ends: Sequence[int]):
        self.text, self.starts, self.ends = text, starts, ends
        self._list: list[str] | None = None

    def as_list(self) -> list[str]:
        if self._list is None:
            self._list = [self.text[a:b] for a, b in zip(self.starts, self.ends)]
        return self._list

    def __getitem__(self, index):
        return self.as_list()[index]

    def __len__(self) -> int:
        return len(self.starts)

    def __iter__(self) -> Iterator[str]:
        return iter(self.as_list())

    def __eq__(self, other: object) -> bool:
        return self.as_list() == (other.as_list() if isinstance(other, TokenTexts) else other)

    def __repr__(self) -> str:
        return repr(self.as_list())


@dataclass(frozen=True, slots=True)
class Tokens:
    """The non-space tokens of one cleaned text, column by column, with dense sentence indexes.

    It is also a read-only sequence of ``Token`` records, for code that wants one object per token.
    """

    texts: Sequence[str]  # a list, or a TokenTexts that cuts them from the text when first read
    starts: list[int]  # clean offsets
    ends: list[int]
    sentences: list[int]  # 0, 1, 2, ... with no gaps
    boundaries: tuple[set, set] | None = field(default=None, compare=False, repr=False)  # made on first use
    arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = field(default=None, compare=False, repr=False)

    def bounds(self) -> tuple[set, set]:
        """The sets of token starts and ends (several annotation sets are checked against one text)."""
        if self.boundaries is None:
            object.__setattr__(self, "boundaries", (set(self.starts), set(self.ends)))
        return self.boundaries

    def numpy(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Starts, ends and sentence indexes as int64 arrays (kept from ``tokenize``, else made once)."""
        if self.arrays is None:
            object.__setattr__(self, "arrays", tuple(np.array(c, dtype=np.int64).reshape(-1)
                                                     for c in (self.starts, self.ends, self.sentences)))
        return self.arrays

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, index: int) -> Token:
        if isinstance(index, slice):
            return tuple(self)[index]
        return Token(self.texts[index], self.starts[index], self.ends[index], self.sentences[index])

    def __iter__(self) -> Iterator[Token]:
        return map(Token, self.texts, self.starts, self.ends, self.sentences)


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line, without its line break."""
    spans = []
    start = 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


@lru_cache(maxsize=4)
def one_call_safe(language: str) -> bool:
    """Whether tokenizing the whole text at once gives the line-by-line tokens (see the module doc)."""
    nlp = pipeline(language)
    rules = nlp.tokenizer.rules or {}
    return (all(not any(c.isspace() for c in key) or key in WHITESPACE_RULES for key in rules)
            and nlp.pipe_names == ["sentencizer"])


@lru_cache(maxsize=4)
def sentence_punctuation(language: str) -> np.ndarray:
    """A table over code points: True for the sentencizer's punctuation characters (single characters)."""
    chars = pipeline(language).get_pipe("sentencizer").punct_chars
    if not all(len(c) == 1 for c in chars):
        raise ValueError("sentencizer punct_chars must be single characters")  # pragma: no cover
    table = np.zeros(0x110000, dtype=bool)
    table[[ord(c) for c in chars]] = True
    return table


def tokenize(text: str, language: str = "en") -> Tokens:
    """Tokens with clean offsets and a sentence index that runs over the whole text."""
    Renewal.count()
    if not one_call_safe(language):
        return tokenize_by_line(text, language)
    doc = pipeline(language).tokenizer(text.replace("\n", LINE_BREAK))
    if not len(doc):
        return Tokens([], [], [], [])
    array = doc.to_array([IDX, LENGTH, IS_SPACE, IS_PUNCT]).astype(np.int64)
    idx, length, space, punct = array[:, 0], array[:, 1], array[:, 2] == 1, array[:, 3] == 1
    code_points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    in_punct_chars = (length == 1) & sentence_punctuation(language)[code_points[idx]]
    breaks = np.flatnonzero(code_points == 10)
    line = np.searchsorted(breaks, idx, side="right")
    # The sentencizer's rule per line: a token that is neither punctuation nor one of its characters
    # starts a sentence when one of the characters came after the previous such token of the line.
    word = ~punct & ~in_punct_chars
    seen = np.cumsum(in_punct_chars)
    words = np.flatnonzero(word)
    previous = np.concatenate(([-1], words[:-1]))
    first_of_line = np.concatenate(([True], line[words[1:]] != line[words[:-1]])) if len(words) else np.zeros(0, bool)
    line_first_token = np.searchsorted(line, line[words], side="left")
    since = np.where(first_of_line, line_first_token, previous + 1)
    seen_before = seen[words] - np.where(since > 0, seen[np.maximum(since - 1, 0)], 0)
    starts_sentence = np.zeros(len(idx), dtype=bool)
    starts_sentence[words[seen_before > 0]] = True
    starts_sentence[np.concatenate(([True], line[1:] != line[:-1]))] = True
    kept = np.flatnonzero(~space)
    if not len(kept):
        return Tokens([], [], [], [])
    boundaries = np.cumsum(starts_sentence)
    sentence = boundaries[kept]
    new = np.concatenate(([True], sentence[1:] != sentence[:-1]))
    starts = idx[kept]
    ends = starts + length[kept]
    sentences = np.cumsum(new) - 1
    starts_list, ends_list = starts.tolist(), ends.tolist()
    return Tokens(TokenTexts(text, starts_list, ends_list), starts_list, ends_list, sentences.tolist(),
                  arrays=(starts, ends, sentences))


def tokenize_by_line(text: str, language: str = "en") -> Tokens:
    """The definition: every non-blank line through the pipeline on its own."""
    texts, starts, ends, sentences = [], [], [], []
    sentence, dense, last = -1, -1, None
    lines = line_spans(text)
    for (line_start, _), doc in zip(lines, pipeline(language).pipe(text[a:b] for a, b in lines)):
        for sent in doc.sents:
            sentence += 1
            for token in sent:
                if not token.is_space:
                    if sentence != last:
                        dense, last = dense + 1, sentence
                    texts.append(token.text)
                    starts.append(line_start + token.idx)
                    ends.append(line_start + token.idx + len(token.text))
                    sentences.append(dense)
    return Tokens(texts, starts, ends, sentences)


def misaligned(tokens: Tokens, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether any (clean start, end) span has a boundary inside a token or in whitespace."""
    starts, ends = tokens.bounds()
    return any(start not in starts or end not in ends for start, end in spans)


def boundary_problems(tokens: Sequence[Token], spans: Iterable[tuple[int, int, str]], text: str,
                      file: str, where: str) -> list[Problem]:
    """E201 for every span (clean start, end, description) whose boundary falls inside a token."""
    tokens = tuple(tokens)
    starts = {t.start for t in tokens}
    ends = {t.end for t in tokens}
    ordered = [t.start for t in tokens]  # tokens come in text order: a bisection finds the one at an offset
    found = []
    for start, end, label in spans:
        for offset, ok in ((start, start in starts), (end, end in ends)):
            if not ok:
                i = bisect_left(ordered, offset)
                token = tokens[i - 1] if i and tokens[i - 1].start < offset < tokens[i - 1].end else None
                if token is None:  # boundary in whitespace: the span starts or ends with a space
                    token = tokens[i] if i < len(tokens) else tokens[-1] if tokens else Token("", 0, 0, 0)
                found.append(problem("E201", file, f"{where}, {label}, clean offsets [{start}, {end})",
                                     excerpt=excerpt_around(text, start, end), offset=offset, token=token.text,
                                     token_start=token.start, token_end=token.end))
    return found


def joined_sentences(tokens: Tokens, spans: Iterable[tuple[int, int]]) -> list[int]:
    """Sentence index per token after merging the sentences that an entity span crosses."""
    starts, ends, sentences = tokens.starts, tokens.ends, tokens.sentences
    merge: dict[int, int] = {}
    for start, end in spans:  # a bisection per span, cheaper than a dict of every token's offsets
        i, j = bisect_left(starts, start), bisect_left(ends, end)
        if i < len(starts) and starts[i] == start and j < len(ends) and ends[j] == end:
            first, last = sentences[i], sentences[j]
            for s in range(first + 1, last + 1):
                merge[s] = merge.get(first, first)
    if not merge:
        return tokens.sentences
    numbering: dict[int, int] = {}
    return [numbering.setdefault(merge.get(s, s), len(numbering)) for s in tokens.sentences]


def as_columns(tokens: Sequence[Token]) -> Tokens:
    if isinstance(tokens, Tokens):
        return tokens
    tokens = tuple(tokens)
    return Tokens([t.text for t in tokens], [t.start for t in tokens], [t.end for t in tokens],
                  [t.sentence for t in tokens])
