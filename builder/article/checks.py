"""One article's files -> the article, its annotation sets and every problem of them (``check_article``).

``check_article`` takes the bytes of one article's files (its metadata, raw text and annotation files,
as ``sources.listing.read_files`` reads them) and runs every check on them: the article's
(``sources.corpus``; that spaCy can make the tokenizer of its language here, ``article.language``), each
file's shape (``sources.annotations``), each set against the article (``set_checks.check_set``) and that
no entity starts or ends with whitespace (``edge_problems``: the one place no token boundary can be).
Nothing stops at the first problem; the entities of a set that passed every check are not checked alone
again in the next sets. Sets with the same cleaning share one cleaned text
(``CheckedArticle.clean_and_tokens``), which the build tokenizes, split at the gold's boundaries.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from builder.article.align import Tokens, tokenize
from builder.article.clean import clean_article, removed_ranges
from builder.article.language import tokenizer_problems
from builder.article.set_checks import check_set, passed_items
from builder.errors import Problem, problem
from builder.records import AnnotationSet, Annotator, CleanArticle, Debris, RawArticle, Schema
from builder.sources.corpus import decode_raw, load_article, parse_meta
from builder.sources.listing import NOT_JSON, ArticleBytes, meta_document, problem_order, raw_name, read_annotation


@dataclass(slots=True)
class CheckedArticle:
    """One article after every check: the article, its sets (by annotator), what is wrong with them,
    and the cleaned texts, shared by sets (and a gold) with the same cleaning."""

    article: RawArticle | None
    sets: tuple[AnnotationSet, ...]
    problems: list[tuple[tuple, Problem]]  # with their place in file order (``problem_order``)
    counts: Counter
    misfiled: bool = False  # a file says another article id than its name: group by content instead
    cleaned: dict = field(default_factory=dict)  # removed ranges -> (CleanArticle, clean offsets of the cuts)
    by_debris: dict = field(default_factory=dict)  # debris spans -> the same: sets (and a gold) mostly repeat them

    def cleaned_text(self, debris: Sequence[Debris]) -> tuple[CleanArticle, tuple[int, ...]]:
        """The cleaned text of ``debris`` and the clean offsets where cleaning cut text out."""
        debris = tuple(debris)
        found = self.by_debris.get(debris)
        if found is None:
            key = tuple(removed_ranges(self.article.text, debris))
            if key not in self.cleaned:
                self.cleaned[key] = (clean_article(self.article, debris), cut_points(key))
            found = self.by_debris[debris] = self.cleaned[key]
        return found

    def clean_and_tokens(self, debris: Sequence[Debris],
                         spans: Iterable[tuple[int, int]] = ()) -> tuple[CleanArticle, Tokens]:
        """The cleaned text of ``debris`` and its tokens, split where cleaning cut text out and at the
        starts and ends of ``spans`` (clean offsets: the gold entities), wherever those fall inside a token."""
        clean, cuts = self.cleaned_text(debris)
        boundaries = [*cuts, *(offset for span in spans for offset in span)]
        return clean, tokenize(clean.text, self.article.meta.language, boundaries)


def cut_points(removed: Sequence[tuple[int, int]]) -> tuple[int, ...]:
    """The clean offset of each removed range: where the text before and the text after it now meet."""
    cuts, total = [], 0
    for start, end in removed:
        cuts.append(start - total)
        total += end - start
    return tuple(cuts)


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
    if article is not None and sets:
        found += [(problem_order(0, meta_path), p)
                  for p in tokenizer_problems(article.meta.language, str(meta_path), f"article {article.id}")]
    passed = None  # the first set that passed every check
    for aset in sets:
        problems = check_set(aset, article, schema, annotators, passed)
        if not problems:
            problems = edge_problems(aset)
            if not problems and passed is None:
                passed = passed_items(aset)
        if problems:
            place = problem_order(2, aset.path)
            found += [(place, p) for p in problems]
    return checked


def edge_problems(aset: AnnotationSet) -> list[Problem]:
    """E210 for each entity that starts or ends with whitespace (its quoted text, checked equal to the
    text at its offsets): tokens never hold whitespace, so no token boundary can be there."""
    found = []
    for i, e in enumerate(aset.entities):
        for side, char in (("start", e.text[:1]), ("end", e.text[-1:])):
            if char.isspace():
                found.append(problem("E210", str(aset.path), f"article {aset.article_id}, entities[{i}] {e.label} "
                                     f"(id {e.id})", start=e.start, end=e.end, text=e.text, side=side))
    return found


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
