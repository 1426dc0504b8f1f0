"""The ner config: one row per sentence of the cleaned text, its tokens and IOB2 tags of the gold entities.

A gold entity that the sentencizer cut in two joins the sentences it spans into one row. The rows of an
article come column by column (``arrow.Columns``): offsets and tags as numpy arrays and token strings as
UTF-8 byte ranges of the cleaned text, so that no Python object is made per token.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

import numpy as np
from datasets import ClassLabel, Features, List, Value

from builder.article.align import TokenTexts, Tokens, as_columns
from builder.records import BuiltArticle, Schema
from builder.views.arrow import Columns, Lists, Utf8
from builder.views.schema import LabelIds, bio_names
from builder.views.sentences import Sentences, row_sentences
from builder.views.view import ViewInput

DESCRIPTION = "one row per sentence of the cleaned text: tokens and BIO tags of the gold entities"


def features(schema: Schema) -> Features:
    return Features({
        "id": Value("string"),
        "article_id": Value("string"),
        "sentence_index": Value("int32"),
        "tokens": List(Value("string")),
        "ner_tags": List(ClassLabel(names=bio_names(schema))),
        "token_starts": List(Value("int32")),
        "token_ends": List(Value("int32")),
    })


def gold_spans(article: BuiltArticle) -> list[tuple[int, int, str]]:
    """(clean start, clean end, label) of the gold entities, sorted."""
    return sorted((p.clean_start, p.clean_end, p.entity.label) for p in article.gold.entities)


def entity_tags(tokens: Tokens, spans: Sequence[tuple[int, int, str]], rows: Sentences, ids: LabelIds) -> dict[int, int]:
    """The IOB2 tag id of each token that a span inside one row covers, by token index (every other
    token is O); of overlapping spans, the later one in span order tags the shared tokens."""
    starts, ends = tokens.starts, tokens.ends
    begin_inside = {label: (ids.bio[f"B-{label}"], ids.bio[f"I-{label}"]) for label in {s[2] for s in spans}}
    tags: dict[int, int] = {}
    for start, end, label in spans:
        row = bisect_right(rows.starts, start) - 1
        if row < 0 or end > rows.ends[row]:
            continue
        i = bisect_left(starts, start)
        if starts[i] != start:
            raise KeyError(start)
        tags[i], inside = begin_inside[label]
        i += 1
        while i < rows.ranges[row][1] and ends[i] <= end:
            tags[i] = inside
            i += 1
    return tags


ROW_SUFFIXES: list[str] = []  # "-0000", "-0001", ...: made once, as far as the longest article needs


def row_ids(article_id: str, count: int) -> list[str]:
    """``f"{article_id}-{index:04d}"`` for each row index, without formatting the index every time."""
    while len(ROW_SUFFIXES) < count:
        ROW_SUFFIXES.append(f"-{len(ROW_SUFFIXES):04d}")
    return [article_id + suffix for suffix in ROW_SUFFIXES[:count]]


def rows(item: ViewInput) -> Columns:
    """Every token of the article, cut into its (joined) sentences, as the columns of its rows."""
    article, ids = item.article, item.ids
    tokens = as_columns(article.tokens)
    starts, ends, _ = tokens.numpy()
    spans = gold_spans(article)
    found = row_sentences(tokens, spans, item.sentences)
    tags = array("q", [ids.bio["O"]]) * len(starts)  # int64 without numpy's per-call cost, handed over uncopied
    for i, tag in entity_tags(tokens, spans, found, ids).items():
        tags[i] = tag
    lengths = [end - first for first, end in found.ranges]
    texts = tokens.texts
    if isinstance(texts, TokenTexts):  # not cut yet: cut them as UTF-8 bytes instead (texts are valid UTF-8, read strictly)
        texts = Utf8.cut(texts.text, starts, ends)
    article_id = article.clean.article.id
    count = len(found.ranges)
    return {"id": row_ids(article_id, count), "article_id": [article_id] * count, "sentence_index": range(count),
            "tokens": Lists(lengths, texts), "ner_tags": Lists(lengths, np.frombuffer(tags, dtype=np.int64)),
            "token_starts": Lists(lengths, starts), "token_ends": Lists(lengths, ends)}
