"""Built articles -> the rows of each published config (plain dicts, labels as names).

Row order within a config is by article id, then by position in the text; ``write.py`` encodes the
label names into the ClassLabel integers of ``schema.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .align import bio_tags, join_sentences
from .project import unproject_span
from .records import Annotator, BuiltArticle, ProjectedSet, ProjectedStance, Token


@dataclass(frozen=True, slots=True)
class ItemScores:
    """Per-item agreement of one annotator's set with the other annotators of the article."""

    entities: Mapping[str, float]
    stances: Mapping[str, float]
    debris: float | None


def optional(value: int) -> int | None:
    return None if value < 0 else value


def entity_rows(projected: ProjectedSet, scores: Mapping[str, float] | None = None) -> list[dict]:
    rows = []
    for p in sorted(projected.entities, key=lambda p: (p.entity.start, p.entity.end)):
        e = p.entity
        row = {"id": e.id, "label": e.label, "text": e.text, "start": optional(p.clean_start),
               "end": optional(p.clean_end), "raw_start": e.start, "raw_end": e.end, "qid": e.qid}
        if scores is not None:
            row["agreement"] = scores.get(e.id)
        rows.append(row)
    return rows


def evidence_rows(stance: ProjectedStance) -> list[dict]:
    return [{"text": v.evidence.text, "start": optional(v.clean_start), "end": optional(v.clean_end),
             "raw_start": v.evidence.start, "raw_end": v.evidence.end}
            for v in sorted(stance.evidence, key=lambda v: (v.evidence.start, v.evidence.end))]


def stance_rows(projected: ProjectedSet, scores: Mapping[str, float] | None = None) -> list[dict]:
    rows = []
    for s in sorted(projected.stances, key=lambda s: (s.holder_key, s.stance.target)):
        row = {"id": s.stance.id, "holder": s.holder_text, "holder_key": s.holder_key,
               "holder_entity_id": None if s.stance.holder.startswith("@") else s.stance.holder,
               "target": s.stance.target, "label": s.stance.label, "evidence": evidence_rows(s)}
        if scores is not None:
            row["agreement"] = scores.get(s.stance.id)
        rows.append(row)
    return rows


def debris_rows(projected: ProjectedSet) -> list[dict]:
    return [{"raw_start": d.start, "raw_end": d.end, "reason": d.reason, "text": d.text}
            for d in sorted(projected.annotations.cleaning, key=lambda d: (d.start, d.end))]


def documents_row(article: BuiltArticle, gold_source: str) -> dict:
    meta = article.clean.article.meta
    return {
        "id": meta.id, "language": meta.language, "outlet": meta.outlet, "url": meta.url,
        "published": meta.published, "rights": meta.rights,
        "metadata_notes": [{"field": f, "note": n} for f, n in meta.notes],
        "inferred_fields": list(meta.inferred), "raw_sha256": meta.sha256,
        "text": article.clean.text, "raw_text": article.clean.article.text,
        "entities": entity_rows(article.gold), "stances": stance_rows(article.gold),
        "debris": debris_rows(article.gold), "gold_source": gold_source,
        "annotators": [s.annotations.annotator for s in article.annotator_sets],
    }


def sentences(tokens: tuple[Token, ...]) -> Iterator[list[Token]]:
    current: list[Token] = []
    for token in tokens:
        if current and token.sentence != current[-1].sentence:
            yield current
            current = []
        current.append(token)
    if current:
        yield current


def ner_rows(article: BuiltArticle) -> list[dict]:
    spans = [(p.clean_start, p.clean_end, p.entity.label) for p in article.gold.entities]
    tokens = join_sentences(article.tokens, [(a, b) for a, b, _ in spans])
    rows = []
    for index, sentence in enumerate(sentences(tokens)):
        lo, hi = sentence[0].start, sentence[-1].end
        inside = [(a, b, label) for a, b, label in spans if lo <= a and b <= hi]
        rows.append({"id": f"{article.clean.article.id}-{index:04d}", "article_id": article.clean.article.id,
                     "sentence_index": index, "tokens": [t.text for t in sentence],
                     "ner_tags": bio_tags(sentence, inside), "token_starts": [t.start for t in sentence],
                     "token_ends": [t.end for t in sentence]})
    return rows


def context_of(stance: ProjectedStance, tokens: tuple[Token, ...], text: str) -> str:
    """The sentences of the cleaned text that hold the evidence, in order, one per line."""
    bounds: dict[int, list[int]] = {}
    for t in tokens:
        bound = bounds.setdefault(t.sentence, [t.start, t.end])
        bound[1] = t.end
    chosen = sorted({s for v in stance.evidence for s, (a, b) in bounds.items()
                     if v.clean_start < b and a < v.clean_end})
    return "\n".join(text[bounds[s][0]:bounds[s][1]] for s in chosen)


def stance_view_rows(article: BuiltArticle, targets: Mapping[str, str]) -> list[dict]:
    rows = []
    for s in sorted(article.gold.stances, key=lambda s: (s.holder_key, s.stance.target)):
        rows.append({"id": f"{article.clean.article.id}-{s.stance.id}", "article_id": article.clean.article.id,
                     "holder": s.holder_text, "holder_key": s.holder_key, "target": s.stance.target,
                     "target_description": targets[s.stance.target],
                     "context": context_of(s, article.tokens, article.clean.text),
                     "evidence": evidence_rows(s), "label": s.stance.label})
    return rows


def cleaning_row(article: BuiltArticle) -> dict:
    return {"id": article.clean.article.id, "raw_text": article.clean.article.text,
            "clean_text": article.clean.text, "debris": debris_rows(article.gold)}


def annotation_rows(article: BuiltArticle, annotators: Mapping[str, Annotator],
                    scores: Mapping[str, ItemScores]) -> list[dict]:
    rows = []
    for projected in article.annotator_sets:
        who = annotators[projected.annotations.annotator]
        item = scores.get(who.id)
        rows.append({
            "id": f"{article.clean.article.id}-{who.id}", "article_id": article.clean.article.id,
            "annotator": who.id, "annotator_kind": who.kind, "annotator_description": who.description,
            "entities": entity_rows(projected, item.entities if item else {}),
            "stances": stance_rows(projected, item.stances if item else {}),
            "debris": debris_rows(projected), "debris_agreement": item.debris if item else None,
        })
    return rows


def raw_span_of(article: BuiltArticle, clean_start: int, clean_end: int) -> tuple[int, int]:
    return unproject_span(article.clean.offsets, clean_start, clean_end)
