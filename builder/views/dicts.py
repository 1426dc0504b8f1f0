"""Built articles -> the rows of each published config (plain dicts, labels as ClassLabel integers).

Row order within a config is by article id, then by position in the text. Labels are written as the
integers of ``schema.py``'s ClassLabels (``LabelIds``), so the rows go to Arrow as they are.

These dicts are the definition of each config's rows, the readable one. The build writes the same
rows through ``rows.py`` (tuples, and columns for ``ner``), which Arrow converts several times
faster; tests check that both give the same batches. The ner tags and row ranges, and the stance
contexts, are computed here for both.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from operator import attrgetter

from builder.agreement.corpus import ItemAgreement
from builder.article.align import Tokens, as_columns, joined_sentences
from builder.article.project import unproject_span
from builder.records import Annotator, BuiltArticle, ProjectedSet, ProjectedStance
from builder.views.schema import LabelIds


def optional(value: int) -> int | None:
    return None if value < 0 else value


BY_RAW_SPAN = attrgetter("entity.start", "entity.end")


def entity_rows(projected: ProjectedSet, ids: LabelIds, scores: Mapping[str, float] | None = None) -> list[dict]:
    label_id = ids.entity
    rows = [{"id": e.id, "label": label_id[e.label], "text": e.text, "start": optional(start), "end": optional(end),
             "raw_start": e.start, "raw_end": e.end, "qid": e.qid}
            for e, start, end in sorted(projected.entities, key=BY_RAW_SPAN)]
    if scores is not None:
        for row in rows:
            row["agreement"] = scores.get(row["id"])
    return rows


def evidence_rows(stance: ProjectedStance) -> list[dict]:
    return [{"text": v.evidence.text, "start": optional(v.clean_start), "end": optional(v.clean_end),
             "raw_start": v.evidence.start, "raw_end": v.evidence.end}
            for v in sorted(stance.evidence, key=lambda v: (v.evidence.start, v.evidence.end))]


def stance_rows(projected: ProjectedSet, ids: LabelIds, scores: Mapping[str, float] | None = None) -> list[dict]:
    rows = []
    for s in sorted(projected.stances, key=lambda s: (s.holder_key, s.stance.target)):
        row = {"id": s.stance.id, "holder": s.holder_text, "holder_key": s.holder_key,
               "holder_entity_id": None if s.stance.holder.startswith("@") else s.stance.holder,
               "target": ids.target[s.stance.target], "label": ids.stance[s.stance.label],
               "evidence": evidence_rows(s)}
        if scores is not None:
            row["agreement"] = scores.get(s.stance.id)
        rows.append(row)
    return rows


def debris_rows(projected: ProjectedSet, ids: LabelIds) -> list[dict]:
    return [{"raw_start": d.start, "raw_end": d.end, "reason": ids.debris[d.reason], "text": d.text}
            for d in sorted(projected.annotations.cleaning, key=lambda d: (d.start, d.end))]


def documents_row(article: BuiltArticle, gold_source: str, ids: LabelIds) -> dict:
    meta = article.clean.article.meta
    return {
        "id": meta.id, "language": meta.language, "outlet": meta.outlet, "url": meta.url,
        "published": meta.published, "rights": meta.rights,
        "metadata_notes": [{"field": f, "note": n} for f, n in meta.notes],
        "inferred_fields": list(meta.inferred), "raw_sha256": meta.sha256,
        "text": article.clean.text, "raw_text": article.clean.article.text,
        "entities": entity_rows(article.gold, ids), "stances": stance_rows(article.gold, ids),
        "debris": debris_rows(article.gold, ids), "gold_source": gold_source,
        "annotators": [s.annotations.annotator for s in article.annotator_sets],
    }


def sentence_ranges(sentence_of: Sequence[int]) -> list[tuple[int, int]]:
    """(first, end) token index range of each sentence, for non-decreasing sentence indexes."""
    ranges = []
    first = 0
    while first < len(sentence_of):  # one bisection per sentence, not one step per token
        end = bisect_right(sentence_of, sentence_of[first], first)
        ranges.append((first, end))
        first = end
    return ranges


def crossing_spans(spans: Sequence[tuple[int, int, str]], lows: Sequence[int], highs: Sequence[int]) -> list[tuple[int, int]]:
    """The spans that do not end inside the sentence (``lows``, ``highs``) where they start: the only
    ones that can join sentences."""
    return [(start, end) for start, end, _ in spans
            if (row := bisect_right(lows, start) - 1) < 0 or end > highs[row]]


def ner_rows(article: BuiltArticle, ids: LabelIds) -> list[dict]:
    tokens = as_columns(article.tokens)
    tags, ranges = ner_sentences(article, ids)
    starts, ends = tokens.starts, tokens.ends
    article_id = article.clean.article.id
    return [{"id": f"{article_id}-{index:04d}", "article_id": article_id, "sentence_index": index,
             "tokens": tokens.texts[first:end], "ner_tags": tags[first:end],
             "token_starts": starts[first:end], "token_ends": ends[first:end]}
            for index, (first, end) in enumerate(ranges)]


def ner_sentences(article: BuiltArticle, ids: LabelIds) -> tuple[list[int], list[tuple[int, int]]]:
    """The BIO tag id of every token and the (first, end) token range of each row: a sentence, or the
    sentences that a gold entity joins."""
    tokens = as_columns(article.tokens)
    spans = gold_spans(article)
    ranges, lows, highs = row_ranges(tokens, spans)
    tags = [ids.bio["O"]] * len(tokens.starts)
    for i, tag in entity_tags(tokens, spans, ranges, lows, highs, ids).items():
        tags[i] = tag
    return tags, ranges


def entity_tags(tokens: Tokens, spans: Sequence[tuple[int, int, str]], ranges: Sequence[tuple[int, int]],
                lows: Sequence[int], highs: Sequence[int], ids: LabelIds) -> dict[int, int]:
    """The IOB2 tag id of each token that a span inside one row covers, by token index (every other
    token is O); of overlapping spans, the later one in span order tags the shared tokens."""
    starts, ends = tokens.starts, tokens.ends
    begin_inside = tag_ids(spans, ids)
    tags: dict[int, int] = {}
    for start, end, label in spans:
        row = bisect_right(lows, start) - 1
        if row < 0 or end > highs[row]:
            continue
        i = bisect_left(starts, start)
        if starts[i] != start:
            raise KeyError(start)
        tags[i], inside = begin_inside[label]
        i += 1
        while i < ranges[row][1] and ends[i] <= end:
            tags[i] = inside
            i += 1
    return tags


def gold_spans(article: BuiltArticle) -> list[tuple[int, int, str]]:
    """(clean start, clean end, label) of the gold entities, sorted."""
    return sorted((p.clean_start, p.clean_end, p.entity.label) for p in article.gold.entities)


def tag_ids(spans: Sequence[tuple[int, int, str]], ids: LabelIds) -> dict[str, tuple[int, int]]:
    """The (B-, I-) tag ids of each label of the spans."""
    return {label: (ids.bio[f"B-{label}"], ids.bio[f"I-{label}"]) for label in {s[2] for s in spans}}


Sentences = tuple[list[tuple[int, int]], list[int], list[int]]
"""The (first, end) token range of each sentence, with the clean start and end of each."""


def sentences_of(tokens: Tokens) -> Sentences:
    """The sentences as the sentencizer cut them: what the ner rows start from and the stance
    contexts are cut from (made once per article, for both)."""
    ranges = sentence_ranges(tokens.sentences)
    return (ranges, *bounds_of(tokens, ranges))


def row_ranges(tokens: Tokens, spans: Sequence[tuple[int, int, str]],
               sentences: Sentences | None = None) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """The (first, end) token range of each ner row, with the clean start and end of each: the
    sentences (``sentences_of(tokens)``, made here unless given), where the spans that cross a
    sentence break have joined them."""
    ranges, lows, highs = sentences_of(tokens) if sentences is None else sentences
    if crossing := crossing_spans(spans, lows, highs):
        ranges = sentence_ranges(joined_sentences(tokens, crossing))
        lows, highs = bounds_of(tokens, ranges)
    return ranges, lows, highs


def bounds_of(tokens: Tokens, ranges: Sequence[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Clean start and end of each (first, end) token range."""
    return [tokens.starts[a] for a, _ in ranges], [tokens.ends[b - 1] for _, b in ranges]


def sentence_bounds(tokens: Tokens) -> tuple[list[int], list[int]]:
    """Clean start and end of each sentence (of the tokens as the sentencizer cut them)."""
    return sentences_of(tokens)[1:]


def context_of(stance: ProjectedStance, text: str, bounds: tuple[list[int], list[int]]) -> str:
    """The sentences of the cleaned text (``bounds``: their clean starts and ends) that hold the
    evidence, in order, one per line."""
    starts, ends = bounds
    chosen = set()
    for v in stance.evidence:  # sentences with start < evidence end and end > evidence start
        chosen.update(range(bisect_right(ends, v.clean_start), bisect_left(starts, v.clean_end)))
    return "\n".join(text[starts[s]:ends[s]] for s in sorted(chosen))


def stance_view_rows(article: BuiltArticle, targets: Mapping[str, str], ids: LabelIds) -> list[dict]:
    rows = []
    bounds = sentence_bounds(as_columns(article.tokens)) if article.gold.stances else None
    for s in sorted(article.gold.stances, key=lambda s: (s.holder_key, s.stance.target)):
        rows.append({"id": f"{article.clean.article.id}-{s.stance.id}", "article_id": article.clean.article.id,
                     "holder": s.holder_text, "holder_key": s.holder_key, "target": ids.target[s.stance.target],
                     "target_description": targets[s.stance.target],
                     "context": context_of(s, article.clean.text, bounds),
                     "evidence": evidence_rows(s), "label": ids.stance[s.stance.label]})
    return rows


def cleaning_row(article: BuiltArticle, ids: LabelIds) -> dict:
    return {"id": article.clean.article.id, "raw_text": article.clean.article.text,
            "clean_text": article.clean.text, "debris": debris_rows(article.gold, ids)}


def annotation_rows(article: BuiltArticle, annotators: Mapping[str, Annotator],
                    scores: Mapping[str, ItemAgreement], ids: LabelIds) -> list[dict]:
    rows = []
    for projected in article.annotator_sets:
        who = annotators[projected.annotations.annotator]
        item = scores.get(who.id)
        rows.append({
            "id": f"{article.clean.article.id}-{who.id}", "article_id": article.clean.article.id,
            "annotator": who.id, "annotator_kind": who.kind, "annotator_description": who.description,
            "entities": entity_rows(projected, ids, item.entities if item else {}),
            "stances": stance_rows(projected, ids, item.stances if item else {}),
            "debris": debris_rows(projected, ids), "debris_agreement": item.debris if item else None,
        })
    return rows


def raw_span_of(article: BuiltArticle, clean_start: int, clean_end: int) -> tuple[int, int]:
    return unproject_span(article.clean.offsets, clean_start, clean_end)
