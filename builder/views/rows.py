"""Built articles -> the rows of each published config, in the shape Arrow takes fastest.

The same rows as ``views.py``, which stays their definition (tests compare the Arrow batches of
both, config by config): what differs is the shape. A row here is a tuple of its values in the
order of the config's schema fields, a struct item a tuple in the order of its fields, so that
``arrow.columns_to_batch`` converts a chunk of rows with one ``pa.array`` call, which looks up no
dict keys. The ``cleaning`` rows are columns of the ``documents`` batch (``cleaning_batch``). The ``ner`` rows, hundreds of tokens per article, come as columns instead
(``arrow.Columns``): offsets and tags as numpy arrays and token strings as UTF-8 bytes cut from the
cleaned text, so that no Python object is made per token.

Every tuple below lists its fields in the order of ``schema.features_for``; a test fails on any
difference from the dict rows.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from operator import itemgetter

import numpy as np
import pyarrow as pa

from builder.agreement.corpus import ItemAgreement
from builder.article.align import TokenTexts, as_columns
from builder.views.arrow import Columns, Lists, Utf8
from builder.records import Annotator, BuiltArticle, ProjectedEvidence, ProjectedSet, ProjectedStance
from builder.views.schema import LabelIds
from builder.views.dicts import Sentences, context_of, entity_tags, gold_spans, row_ranges


def entity_items(projected: ProjectedSet, ids: LabelIds) -> list[tuple]:
    """``views.entity_rows`` without agreement."""
    label_id = ids.entity
    return sorted([(id_, label_id[label], text, None if start < 0 else start, None if end < 0 else end, raw_start,
                    raw_end, qid)
                   for (id_, raw_start, raw_end, label, text, qid), start, end in projected.entities], key=RAW_SPAN)


def scored_entity_items(projected: ProjectedSet, ids: LabelIds, scores: Mapping[str, float]) -> list[tuple]:
    """``views.entity_rows`` with each entity's agreement."""
    label_id, score = ids.entity, scores.get
    return sorted([(id_, label_id[label], text, None if start < 0 else start, None if end < 0 else end, raw_start,
                    raw_end, qid, score(id_))
                   for (id_, raw_start, raw_end, label, text, qid), start, end in projected.entities], key=RAW_SPAN)


RAW_SPAN = itemgetter(5, 6)  # of an entity item: (raw_start, raw_end), by which entity_rows sorts
EVIDENCE_RAW_SPAN = itemgetter(3, 4)  # of an evidence item
DEBRIS_SPAN = itemgetter(0, 1)  # of a debris item


def evidence_items(evidence: Sequence[ProjectedEvidence]) -> list[tuple]:
    """``views.evidence_rows`` of a stance's evidence."""
    return sorted([(text, None if start < 0 else start, None if end < 0 else end, raw_start, raw_end)
                   for (raw_start, raw_end, text), start, end in evidence], key=EVIDENCE_RAW_SPAN)


def by_holder_and_target(projected: ProjectedSet) -> list[ProjectedStance]:
    return sorted(projected.stances, key=lambda s: (s.holder_key, s.stance.target))


def stance_items(projected: ProjectedSet, ids: LabelIds, scores: Mapping[str, float] | None = None) -> list[tuple]:
    """``views.stance_rows`` (with each stance's agreement when ``scores`` are given)."""
    target_id, stance_id = ids.target, ids.stance
    items = [(s.id, holder_text, holder_key, None if s.holder.startswith("@") else s.holder, target_id[s.target],
              stance_id[s.label], evidence_items(evidence))
             for s, holder_text, holder_key, evidence in by_holder_and_target(projected)]
    if scores is None:
        return items
    return [(*item, scores.get(item[0])) for item in items]


def debris_items(projected: ProjectedSet, ids: LabelIds) -> list[tuple]:
    """``views.debris_rows``."""
    reason_id = ids.debris
    return sorted([(start, end, reason_id[reason], text) for start, end, reason, text in projected.annotations.cleaning],
                  key=DEBRIS_SPAN)


def documents_row(article: BuiltArticle, gold_source: str, ids: LabelIds) -> tuple:
    """``views.documents_row``."""
    meta = article.clean.article.meta
    return (meta.id, meta.language, meta.outlet, meta.url, meta.published, meta.rights, list(meta.notes),
            list(meta.inferred), meta.sha256, article.clean.text, article.clean.article.text,
            entity_items(article.gold, ids), stance_items(article.gold, ids), debris_items(article.gold, ids),
            gold_source, [s.annotations.annotator for s in article.annotator_sets])


def ner_columns(article: BuiltArticle, ids: LabelIds, sentences: Sentences) -> Columns:
    """``views.ner_rows``, column by column: every token of the article, cut into its (joined) sentences
    (``sentences``: ``views.sentences_of`` its tokens, shared with the stance contexts)."""
    tokens = as_columns(article.tokens)
    starts, ends, _ = tokens.numpy()
    spans = gold_spans(article)
    ranges, lows, highs = row_ranges(tokens, spans, sentences)
    tags = array("q", [ids.bio["O"]]) * len(starts)  # int64 without numpy's per-call cost, handed over uncopied
    for i, tag in entity_tags(tokens, spans, ranges, lows, highs, ids).items():
        tags[i] = tag
    lengths = [end - first for first, end in ranges]
    texts = tokens.texts
    if isinstance(texts, TokenTexts):  # not cut yet: cut them as UTF-8 bytes instead (texts are valid UTF-8, read strictly)
        texts = Utf8.cut(texts.text, starts, ends)
    article_id = article.clean.article.id
    return {"id": ner_row_ids(article_id, len(ranges)),
            "article_id": [article_id] * len(ranges), "sentence_index": range(len(ranges)),
            "tokens": Lists(lengths, texts), "ner_tags": Lists(lengths, np.frombuffer(tags, dtype=np.int64)),
            "token_starts": Lists(lengths, starts), "token_ends": Lists(lengths, ends)}


ROW_SUFFIXES: list[str] = []  # "-0000", "-0001", ...: made once, as far as the longest article needs


def ner_row_ids(article_id: str, count: int) -> list[str]:
    """``f"{article_id}-{index:04d}"`` for each row index, without formatting the index every time."""
    while len(ROW_SUFFIXES) < count:
        ROW_SUFFIXES.append(f"-{len(ROW_SUFFIXES):04d}")
    return [article_id + suffix for suffix in ROW_SUFFIXES[:count]]


def stance_view_rows(article: BuiltArticle, targets: Mapping[str, str], ids: LabelIds,
                     sentences: Sentences) -> list[tuple]:
    """``views.stance_view_rows`` (``sentences``: ``views.sentences_of`` the article's tokens)."""
    stances = by_holder_and_target(article.gold)
    if not stances:
        return []
    bounds = sentences[1:]
    article_id, text = article.clean.article.id, article.clean.text
    return [(f"{article_id}-{s.stance.id}", article_id, s.holder_text, s.holder_key, ids.target[s.stance.target],
             targets[s.stance.target], context_of(s, text, bounds), evidence_items(s.evidence), ids.stance[s.stance.label])
            for s in stances]


def cleaning_batch(documents: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """``views.cleaning_row`` of the same articles as a batch of ``documents_row`` rows: the cleaning
    config's fields are documents fields (``clean_text`` is ``text``), so its columns are those
    arrays, converted once."""
    return pa.RecordBatch.from_arrays([documents.column(name) for name in ("id", "raw_text", "text", "debris")],
                                      schema=schema)


def annotation_rows(article: BuiltArticle, annotators: Mapping[str, Annotator],
                    scores: Mapping[str, ItemAgreement], ids: LabelIds) -> list[tuple]:
    """``views.annotation_rows``."""
    rows = []
    article_id = article.clean.article.id
    for projected in article.annotator_sets:
        who = annotators[projected.annotations.annotator]
        item = scores.get(who.id)
        rows.append((f"{article_id}-{who.id}", article_id, who.id, who.kind, who.description,
                     scored_entity_items(projected, ids, item.entities if item else {}),
                     stance_items(projected, ids, item.stances if item else {}),
                     debris_items(projected, ids), item.debris if item else None))
    return rows
