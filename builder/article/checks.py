"""One article's files -> the article, its annotation sets and every problem of them (``check_article``).

``check_article`` takes the bytes of one article's files (its metadata, raw text and annotation files,
as ``sources.listing.read_files`` reads them) and runs every check on them: the article's
(``sources.corpus``), each file's shape (``sources.annotations``), each set against the article
(``set_checks.check_set``) and the token alignment of each set's entities over its own cleaned text
(``alignment_problems``). Nothing stops at the first problem. Sets with the same cleaning share one
cleaned text and tokenization (``CheckedArticle.clean_and_tokens``), which the build uses too; the
entities of a set that passed every check are not checked alone again in the next sets.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from builder.article.align import Tokens, boundary_problems, misaligned, tokenize
from builder.article.clean import clean_article, removed_ranges
from builder.article.project import project_all, project_span
from builder.article.set_checks import check_set, passed_items, unknown
from builder.errors import Problem, problem
from builder.records import AnnotationSet, Annotator, CleanArticle, Debris, Entity, RawArticle, Schema, columns
from builder.sources.corpus import decode_raw, load_article, parse_meta
from builder.sources.listing import NOT_JSON, ArticleBytes, meta_document, problem_order, raw_name, read_annotation


@dataclass(slots=True)
class CheckedArticle:
    """One article after every check: the article, its sets (by annotator), what is wrong with them,
    and the cleaned texts with their tokens, shared by sets (and a gold) with the same cleaning."""

    article: RawArticle | None
    sets: tuple[AnnotationSet, ...]
    problems: list[tuple[tuple, Problem]]  # with their place in file order (``problem_order``)
    counts: Counter
    misfiled: bool = False  # a file says another article id than its name: group by content instead
    cleaned: dict = field(default_factory=dict)  # removed ranges -> (CleanArticle, Tokens)
    by_debris: dict = field(default_factory=dict)  # debris spans -> the same: sets (and a gold) mostly repeat them

    def clean_and_tokens(self, debris: Sequence[Debris]) -> tuple[CleanArticle, Tokens]:
        debris = tuple(debris)
        found = self.by_debris.get(debris)
        if found is None:
            key = tuple(removed_ranges(self.article.text, debris))
            if key not in self.cleaned:
                clean = clean_article(self.article, debris)
                self.cleaned[key] = (clean, tokenize(clean.text, self.article.meta.language))
            found = self.by_debris[debris] = self.cleaned[key]
        return found


def set_counts(aset: AnnotationSet) -> Counter:
    counts: Counter = Counter()
    add_set_counts(counts, aset)
    return counts


def add_set_counts(counts: Counter, aset: AnnotationSet) -> None:
    """What one set adds to the checked counts, in place (zero counts may stay: the counts are summed
    with ``+``, which drops them)."""
    counts["annotation sets"] += 1
    counts["entities"] += len(aset.entities)
    counts["stances"] += len(aset.stances)
    counts["debris spans"] += len(aset.cleaning)


def check_article(data: ArticleBytes, schema: Schema, annotators: Mapping[str, Annotator], *,
                  by_content: bool = False) -> CheckedArticle:
    """Every check of one article and its annotation sets."""
    files = data.files
    meta_path = Path(files.meta)
    article, problems = article_from(meta_path, data.document, data.raw, data.raw_sha256)
    found = [(problem_order(0, meta_path), p) for p in problems]
    sets: list[AnnotationSet] = []
    counts: Counter = Counter({"articles": int(article is not None)})
    misfiled = article is not None and article.id != files.name and not by_content
    for path, raw in zip(files.annotation_paths(), data.annotations):
        aset, problems = read_annotation(path, raw)
        found += [(problem_order(1, path), p) for p in problems]
        if aset is None:
            continue
        add_set_counts(counts, aset)
        if article is None or aset.article_id != article.id:
            misfiled |= article is not None and not by_content
            found.append((problem_order(2, path), problem("E102", str(aset.path), id=aset.article_id)))
            continue
        sets.append(aset)
    checked = CheckedArticle(article, tuple(sorted(sets, key=lambda s: s.annotator)), found, counts, misfiled)
    passed, passed_clean = None, None  # the first set that passed every check, and its cleaned text
    for aset in sets:
        problems = check_set(aset, article, schema, annotators, passed)
        if not problems:
            clean, tokens = checked.clean_and_tokens(aset.cleaning)
            problems = alignment_problems(aset, article, clean, tokens,
                                          passed.entities if passed is not None and clean is passed_clean else ())
            if not problems and passed is None:
                passed, passed_clean = passed_items(aset), clean
        if problems:
            place = problem_order(2, aset.path)
            found += [(place, p) for p in problems]
    return checked


def alignment_problems(aset: AnnotationSet, article: RawArticle, clean: CleanArticle | None = None,
                       tokens: Tokens | None = None, aligned: Collection[Entity] = ()) -> list[Problem]:
    """E201 for entities of ``aset`` whose boundaries fall inside a spaCy token of its cleaned text.

    ``clean`` and ``tokens`` may be given when another set of the article has the same cleaning;
    ``aligned``: entities known to fall on token boundaries of that text (another set's, checked).
    """
    if clean is None:
        clean = clean_article(article, aset.cleaning)
    if tokens is None:
        tokens = tokenize(clean.text, article.meta.language)
    _, starts, ends, *_ = columns(unknown(aset.entities, aligned) if aligned else aset.entities, 6)
    projected = project_all(clean.offsets, starts, ends)
    if projected is not None:  # the usual case, decided in bulk: every entity projects, on token boundaries
        token_starts, token_ends = tokens.bounds()
        if token_starts.issuperset(projected[0]) and token_ends.issuperset(projected[1]):
            return []
    spans = []
    for i, e in enumerate(aset.entities):
        projected = project_span(clean.offsets, e.start, e.end)
        if projected is not None:
            spans.append((*projected, i))
    if not misaligned(tokens, [(a, b) for a, b, _ in spans]):
        return []
    described = [(a, b, f"entities[{i}] {aset.entities[i].label} {aset.entities[i].text!r} raw "
                        f"[{aset.entities[i].start}, {aset.entities[i].end})") for a, b, i in spans]
    return boundary_problems(tokens, described, clean.text, str(aset.path), f"article {aset.article_id}")


def read_article(meta_path: Path, meta_bytes: bytes, raw_bytes: bytes | None) -> tuple[RawArticle | None, list[Problem]]:
    """The article of ``meta_path`` from bytes already read; ``corpus.load_article`` words any problem."""
    return article_from(meta_path, meta_document(meta_bytes), raw_bytes,
                        None if raw_bytes is None else hashlib.sha256(raw_bytes).hexdigest())


def article_from(meta_path: Path, data: object, raw_bytes: bytes | None,
                 raw_sha256: str | None) -> tuple[RawArticle | None, list[Problem]]:
    """``read_article`` from the metadata already parsed (``meta_document``) and the raw text's sha256."""
    if data is NOT_JSON:
        return load_article(meta_path)
    meta, found = parse_meta(data, meta_path)
    if meta is None or raw_bytes is None or raw_name(data) is None:
        return load_article(meta_path)
    if raw_sha256 != meta.sha256:
        return load_article(meta_path)
    raw_path = meta_path.parent / meta.file
    text, found = decode_raw(raw_bytes, raw_path, f"article {meta.id}")
    if text is None:
        return load_article(meta_path)
    return RawArticle(meta=meta, text=text, path=raw_path), []
